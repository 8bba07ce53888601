"""The compiled CP932 / Shift_JIS loop (parsing/_transcode.c via fast_transcode.py) gives
exactly what Python's codec gives: the same text for every byte and pair, the same bytes and
stats for whole files cut into any chunks, and the same error row and byte offset."""

import codecs
import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hiraku.ingest.parsing import ParseError, detect_encoding, fast_transcode, transcode_to_utf8
from hiraku.ingest.parsing import encoding as enc_module
from hiraku.ingest.parsing.transcode_part import RangeDecodeError, transcode_range


def test_the_compiled_module_is_built():
    # pip install builds it; without it CP932 silently falls back to the slower codec path
    assert fast_transcode.available()
    assert fast_transcode.fast_chunker("cp932") is not None
    assert fast_transcode.fast_chunker("Shift-JIS") is not None
    for other in ("utf-8", "euc-jp", "utf-16-le", "shift_jis_2004", "no-such-codec"):
        assert fast_transcode.fast_chunker(other) is None


@pytest.mark.parametrize("encoding", ["cp932", "shift_jis"])
def test_every_byte_and_pair_decodes_as_python_does(encoding: str):
    chunker = fast_transcode.fast_chunker(encoding)
    for first in range(256):
        for second in [None, *range(256)]:
            data = bytes([first]) if second is None else bytes([first, second])
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                text = None
            out, used, lf, crlf, cr, carry, error_at = chunker(data, False, True)
            if text is None:
                assert error_at >= 0, data.hex()
                continue
            fixed = text.replace("\r\n", "\n").replace("\r", "\n")
            assert error_at == -1 and used == len(data), data.hex()
            assert bytes(out) == fixed.encode(), data.hex()
            assert lf == fixed.count("\n") and crlf == text.count("\r\n")


def _run(src: Path, dst: Path, encoding: str, chunk: int, fast: bool):
    chunker = fast_transcode.fast_chunker(encoding) if fast else None
    size = src.stat().st_size
    try:
        counts = transcode_range(
            str(src), str(dst), encoding, 0, size, strip_bom=True, chunk=chunk, fast=chunker
        )
    except RangeDecodeError as error:
        return ("error", error.line, error.offset, error.snippet)
    return ("ok", dst.read_bytes(), counts)


# CP932 as city files have it: kanji, NEC/IBM extensions, half-width kana, CR/LF, quotes
ALPHABET = '高松市髙①㈱№あアｱﾞ￢∵\\~,"\r\nabc123 '


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=ALPHABET, min_size=0, max_size=200),
    st.integers(min_value=1, max_value=19),
    st.lists(st.tuples(st.integers(0, 400), st.binary(min_size=1, max_size=2)), max_size=2),
)
def test_same_result_as_python_for_any_chunking(tmp_path_factory, text, chunk, damage):
    data = bytearray(text.encode("cp932"))
    for where, junk in damage:  # stray bytes: lead bytes without trail, undefined pairs...
        at = min(where, len(data))
        data[at:at] = junk
    folder = tmp_path_factory.mktemp("f")
    src = folder / "in.csv"
    src.write_bytes(bytes(data))
    fast = _run(src, folder / "fast.csv", "cp932", chunk, fast=True)
    slow = _run(src, folder / "slow.csv", "cp932", chunk, fast=False)
    assert fast == slow


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.integers(min_value=1, max_value=19))
def test_any_bytes_at_all(tmp_path_factory, data, chunk):
    """Binary junk named .csv: the compiled loop neither crashes nor disagrees with Python."""
    folder = tmp_path_factory.mktemp("b")
    src = folder / "junk.csv"
    src.write_bytes(data)
    for encoding in ("cp932", "shift_jis"):
        fast = _run(src, folder / "fast.csv", encoding, chunk, fast=True)
        assert fast == _run(src, folder / "slow.csv", encoding, chunk, fast=False)


def _stats(stats) -> dict:
    return {k: v for k, v in dataclasses.asdict(stats).items() if k != "seconds"}


def test_real_city_files_same_as_python(testdata: Path, tmp_path: Path, monkeypatch):
    """Every CP932 file of the shared test data, cut into small chunks."""
    files = [p for p in sorted(testdata.glob("*.csv")) if detect_encoding(str(p)).name == "cp932"]
    assert len(files) >= 3, files
    for src in files:
        fast = transcode_to_utf8(str(src), str(tmp_path / "fast.csv"), "cp932", chunk=4096)
        with monkeypatch.context() as patch:
            patch.setattr(enc_module, "fast_chunker", lambda encoding: None)
            slow = transcode_to_utf8(
                str(src), str(tmp_path / "slow.csv"), "cp932", chunk=4096, parallel_min=None
            )
        assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "slow.csv").read_bytes(), src
        assert _stats(fast) == _stats(slow), src


def test_error_names_the_row_and_byte(tmp_path: Path):
    good = ("番号,名称\r\n" + "".join(f"{i},髙松{i}\r\n" for i in range(3000))).encode("cp932")
    bad = good + b"9,\x82\x20\r\n" + good  # 0x82 0x20: a lead byte, then no trail byte
    src = tmp_path / "bad.csv"
    src.write_bytes(bad)
    with pytest.raises(ParseError) as caught:
        transcode_to_utf8(str(src), str(tmp_path / "out.csv"), "cp932", chunk=1000)
    assert (caught.value.row, caught.value.offset) == (3002, len(good) + 2)
    assert not (tmp_path / "out.csv").exists()


def test_crlf_split_between_chunks_and_cr_at_the_end(tmp_path: Path):
    chunker = fast_transcode.fast_chunker("cp932")
    out, used, lf, crlf, cr, carry, error_at = chunker(b"a\r", False, False)
    assert (bytes(out), used, carry) == (b"a", 2, True)
    out, used, lf, crlf, cr, carry, error_at = chunker(b"\nb\r", True, True)
    assert (bytes(out), lf, crlf, cr, carry) == (b"\nb\n", 2, 1, 1, False)
    src = tmp_path / "cr.csv"
    src.write_bytes("髙\r\r\n①\r".encode("cp932"))
    for chunk in range(1, 9):
        assert _run(src, tmp_path / "a.csv", "cp932", chunk, True) == _run(
            src, tmp_path / "b.csv", "cp932", chunk, False
        )


def test_table_matches_the_codec_registry():
    # the table is derived from Python's codec, never written by hand
    table = fast_transcode.decoding_table("cp932")
    assert len(table) == 4 * (256 + 65536)
    at = 4 * (256 + (0xFB << 8 | 0xFC))  # 0xFBFC is 髙 in CP932
    width = table[at + 3]
    assert table[at : at + width] == "髙".encode() == codecs.decode(b"\xfb\xfc", "cp932").encode()
