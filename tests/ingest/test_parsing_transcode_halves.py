"""The two-halves transcoder (a helper interpreter does the second half of a big file) gives
the same bytes, the same TranscodeStats and the same error row/offset as one pass.

CP932 normally takes the compiled one-pass loop instead (test_parsing_fast_transcode.py);
here it is switched off, so CP932 exercises the halves as it does when the module is missing.
"""

import dataclasses
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hiraku.ingest.parsing import ParseError, transcode_to_utf8
from hiraku.ingest.parsing import encoding as enc_module
from hiraku.ingest.parsing.encoding import _split_point


@pytest.fixture(autouse=True)
def _python_codec_only(monkeypatch):
    monkeypatch.setattr(enc_module, "fast_chunker", lambda encoding: None)


def _stats(stats) -> dict:
    return {k: v for k, v in dataclasses.asdict(stats).items() if k != "seconds"}


class _Recorder:
    """Wraps encoding._Helper and keeps the helper processes it started."""

    def __init__(self, monkeypatch):
        self.helpers = []
        original = enc_module._Helper
        recorder = self

        class Helper(original):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                recorder.helpers.append(self)

        monkeypatch.setattr(enc_module, "_Helper", Helper)


def both_ways(
    tmp_path: Path,
    data: bytes,
    encoding: str = "cp932",
    chunk: int = 8 << 20,
    helper_ok: bool = True,
):
    """(bytes, stats) of the one-process path and of the two-halves path."""
    src = tmp_path / "in.csv"
    src.write_bytes(data)
    results = []
    for name, parallel_min in (("one.csv", None), ("two.csv", 1)):
        out = tmp_path / name
        with pytest.MonkeyPatch.context() as patch:
            recorder = _Recorder(patch)
            stats = transcode_to_utf8(
                str(src), str(out), encoding, chunk=chunk, parallel_min=parallel_min
            )
        results.append((out.read_bytes(), _stats(stats)))
        assert not Path(str(out) + ".part2").exists()
        if parallel_min and helper_ok and _split_point(str(src), len(data), encoding, 1):
            # the helper really did the second half (no silent fallback to one process)
            (helper,) = recorder.helpers
            assert helper.process.returncode == 0 and helper.answer.startswith(b'{"ok"')
    return results


def error_both_ways(tmp_path: Path, data: bytes, encoding: str = "cp932", chunk: int = 8 << 20):
    src = tmp_path / "bad.csv"
    src.write_bytes(data)
    errors = []
    for name, parallel_min in (("one.csv", None), ("two.csv", 1)):
        out = tmp_path / name
        with pytest.raises(ParseError) as caught:
            transcode_to_utf8(str(src), str(out), encoding, chunk=chunk, parallel_min=parallel_min)
        assert not out.exists() and not Path(str(out) + ".part2").exists()
        errors.append(caught.value)
    return errors


ROWS = "".join(f"{i},髙松市番町{i}丁目,①㈱№{i % 7}\n" for i in range(400))


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
@pytest.mark.parametrize("encoding", ["cp932", "euc-jp", "shift_jis", "utf-8"])
def test_same_bytes_and_stats(tmp_path: Path, newline: str, encoding: str):
    text = "番号,住所,備考\n" + ROWS
    if encoding in ("euc-jp", "shift_jis"):  # ① ㈱ № 髙 are CP932 extensions
        text = text.replace("髙", "高").replace("①㈱№", "株")
    data = text.replace("\n", newline).encode(encoding)
    (one, one_stats), (two, two_stats) = both_ways(tmp_path, data, encoding, chunk=1000)
    assert two == one == text.encode()
    assert two_stats == one_stats
    assert one_stats["newline"] == {"\r\n": "CRLF", "\n": "LF", "\r": "CR"}[newline]
    assert one_stats["lines"] == 401


def test_split_point_is_after_a_line_feed(tmp_path: Path):
    path = tmp_path / "f.csv"
    data = ("a,b\r\n" + "髙松,1\r\n" * 100).encode("cp932")
    path.write_bytes(data)
    cut = _split_point(str(path), len(data), "cp932", 1)
    assert cut is not None and len(data) // 2 <= cut < len(data) and data[cut - 1 : cut] == b"\n"
    # never for UTF-16 (0x0A is half of many characters), small files or LF-less files
    assert _split_point(str(path), len(data), "utf-16-le", 1) is None
    assert _split_point(str(path), len(data), "iso2022_jp", 1) is None  # shift state
    assert _split_point(str(path), len(data), "cp932", len(data) + 1) is None
    assert _split_point(str(path), len(data), "cp932", None) is None
    path.write_bytes(b"a,b\rc,d\r" * 50)
    assert _split_point(str(path), 400, "cp932", 1) is None


@pytest.mark.parametrize("shift", [-2, -1, 0, 1, 2])
def test_crlf_at_the_cut(tmp_path: Path, shift: int):
    """The middle of the file falls before, on the CR, on the LF of, or after a CRLF: the
    pair is never split (the cut is right after a LF) and both paths agree."""
    head = ("a\r\n" + "髙" * 10 + "\r\n").encode("cp932")  # CR at 23, LF at 24
    assert head[23:25] == b"\r\n"
    k = 2 * (24 + shift) - 34  # so that len(data) // 2 == 24 + shift
    data = head + b"b" * k + b"\r\nccccc\r\n"
    middle = len(data) // 2
    assert middle == 24 + shift
    src = tmp_path / "in.csv"
    src.write_bytes(data)
    cut = _split_point(str(src), len(data), "cp932", 1)
    assert cut == (25 if shift <= 0 else 25 + k + 2)
    if shift == 0:
        assert data[middle - 1 : middle + 1] == b"\r\n"  # the middle is the LF of a CRLF
    (one, one_stats), (two, two_stats) = both_ways(tmp_path, data)
    assert two == one == ("a\n" + "髙" * 10 + "\n" + "b" * k + "\nccccc\n").encode()
    assert two_stats == one_stats and one_stats["newline"] == "CRLF"


def test_multiline_quoted_cells_across_the_cut(tmp_path: Path):
    import csv
    import io

    rows = [["番号", "備考"]] + [[str(i), f"1行目\r\n2行目{i}\r3行目"] for i in range(300)]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    (one, one_stats), (two, two_stats) = both_ways(tmp_path, buffer.getvalue().encode("cp932"))
    assert two == one and two_stats == one_stats and one_stats["newline"] == "mixed"
    parsed = list(csv.reader(io.StringIO(two.decode(), newline="")))
    assert parsed[1:] == [[str(i), f"1行目\n2行目{i}\n3行目"] for i in range(300)]


def test_no_trailing_newline(tmp_path: Path):
    data = ("a,b\r\n" + "髙松,1\r\n" * 50 + "最後,2").encode("cp932")
    (one, one_stats), (two, two_stats) = both_ways(tmp_path, data, chunk=64)
    assert two == one and two_stats == one_stats and one_stats["lines"] == 52


def test_bad_byte_in_the_second_half(tmp_path: Path):
    good = "名称,住所\r\n" + "".join(f"施設{i},髙松市{i}\r\n" for i in range(3000))
    bad_line = "壊れた行,".encode("cp932") + b"\x81\x0a" + "残り\r\n".encode("cp932")
    data = good.encode("cp932") + bad_line + ("施設,高松市\r\n" * 10).encode("cp932")
    src = tmp_path / "bad.csv"
    src.write_bytes(data)
    assert _split_point(str(src), len(data), "cp932", 1) < len(good.encode("cp932"))
    one, two = error_both_ways(tmp_path, data, chunk=4096)
    expected_offset = len(good.encode("cp932")) + len("壊れた行,".encode("cp932"))
    assert (two.row, two.offset) == (one.row, one.offset) == (3002, expected_offset)
    assert two.bilingual() == one.bilingual() and "81 0a" in two.message_en
    assert two.file == "bad.csv"


def test_mixed_utf8_and_cp932_in_the_second_half(tmp_path: Path):
    head = "\ufeff名称,住所\r\n" + "".join(f"施設{i},高松市{i}\r\n" for i in range(2000))
    data = head.encode() + "髙松市役所,番町\r\n".encode("cp932") + "後,続\r\n".encode() * 50
    one, two = error_both_ways(tmp_path, data, "utf-8", chunk=1000)
    assert (two.row, two.offset) == (one.row, one.offset) == (2002, len(head.encode()))
    assert "mixes encodings" in two.message_en


def test_bad_bytes_in_both_halves_report_the_first(tmp_path: Path):
    line = "髙松市,1\r\n".encode("cp932")
    data = b"a,b\r\n" + line * 10 + b"\x81,\r\n" + line * 300 + b"\x82,\r\n" + line * 10
    one, two = error_both_ways(tmp_path, data, chunk=100)
    assert (two.row, two.offset) == (one.row, one.offset) == (12, 5 + 10 * len(line))


def test_bad_byte_at_the_very_end_of_the_file(tmp_path: Path):
    data = ("a,b\r\n" + "髙松,1\r\n" * 100).encode("cp932") + b"\x81"  # a lead byte, cut
    one, two = error_both_ways(tmp_path, data, chunk=128)
    assert (two.row, two.offset) == (one.row, one.offset) == (102, len(data) - 1)


def test_bom_only_stripped_at_the_start(tmp_path: Path):
    """UTF-8 with a BOM (Excel's "CSV UTF-8"): only a BOM at the start of the file is
    dropped; a U+FEFF that starts the second half is data, as in one pass."""
    half = ("a,b\r\n" + "髙松,1\r\n" * 40).encode()
    data = b"\xef\xbb\xbf" + half + b"\xef\xbb\xbf" + half[:-11]  # the middle is in row 40
    src = tmp_path / "in.csv"
    src.write_bytes(data)
    assert _split_point(str(src), len(data), "utf-8", 1) == len(half) + 3
    (one, one_stats), (two, two_stats) = both_ways(tmp_path, data, "utf-8", chunk=50)
    assert two == one and two_stats == one_stats and one_stats["had_bom"]
    assert not two.startswith(b"\xef\xbb\xbf") and two.count(b"\xef\xbb\xbf") == 1


def test_progress_reaches_the_end(tmp_path: Path):
    data = ("a,b\r\n" + "髙松,1\r\n" * 5000).encode("cp932")
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes(data)
    seen: list[tuple[int, int]] = []
    transcode_to_utf8(
        str(src), str(out), "cp932", chunk=1000, parallel_min=1,
        progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    assert len(seen) > 10 and seen[-1] == (len(data), len(data))
    assert all(0 <= done <= total == len(data) for done, total in seen)


def test_helper_is_reaped_when_the_first_half_fails(tmp_path: Path, monkeypatch):
    recorder = _Recorder(monkeypatch)
    line = "髙松市,1\r\n".encode("cp932")
    data = b"a,b\r\n\x81,\r\n" + line * 20000  # bad at once; the helper has 100 KB to do
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes(data)
    with pytest.raises(ParseError) as caught:
        transcode_to_utf8(str(src), str(out), "cp932", chunk=64, parallel_min=1)
    assert caught.value.row == 2 and caught.value.offset == 5
    (helper,) = recorder.helpers
    assert helper.process.returncode is not None  # killed or finished, and reaped
    assert helper.process.stdout.closed and helper.process.stderr.closed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_helper_that_dies_is_replaced_by_this_process(tmp_path: Path, monkeypatch):
    """A helper killed from outside (or crashing) costs time, never the result."""
    broken = tmp_path / "broken_part.py"
    broken.write_text("import sys\nsys.stderr.write('boom')\nsys.exit(1)\n")
    monkeypatch.setattr(enc_module, "_PART_SCRIPT", str(broken))
    data = ("a,b\r\n" + "髙松,1\r\n" * 500).encode("cp932")
    (one, one_stats), (two, two_stats) = both_ways(tmp_path, data, chunk=512, helper_ok=False)
    assert two == one and two_stats == one_stats


def test_helper_that_cannot_start(tmp_path: Path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no interpreter")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    data = ("a,b\r\n" + "髙松,1\r\n" * 500).encode("cp932") + b"\x81,\r\n"
    (one, two) = error_both_ways(tmp_path, data, chunk=512)
    assert (two.row, two.offset) == (one.row, one.offset) == (502, len(data) - 4)


@settings(max_examples=30, deadline=None)
@given(
    st.text(alphabet='高松市髙①㈱№あア,"\r\nabc123 ', min_size=1, max_size=400),
    st.sampled_from(["cp932", "euc-jp", "utf-8"]),
    st.integers(min_value=1, max_value=33),
    st.booleans(),
)
def test_two_halves_agree_with_one_pass(tmp_path_factory, text, encoding, chunk, corrupt):
    if encoding == "euc-jp":
        text = text.replace("髙", "高").replace("①", "1").replace("㈱", "株").replace("№", "No")
    data = text.encode(encoding)
    if corrupt:  # a lead byte without its trail byte, somewhere
        where = len(data) * 3 // 4
        while where and data[where - 1] >= 0x80:  # not inside a character
            where -= 1
        data = data[:where] + b"\x81\n" + data[where:]
    folder = tmp_path_factory.mktemp("h")
    if corrupt:
        one, two = error_both_ways(folder, data, encoding, chunk)
        assert (two.row, two.offset) == (one.row, one.offset)
    else:
        (one, one_stats), (two, two_stats) = both_ways(folder, data, encoding, chunk)
        assert two == one == text.replace("\r\n", "\n").replace("\r", "\n").encode()
        assert two_stats == one_stats
