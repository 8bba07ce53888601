"""Encoding detection and the streaming transcoder: CP932 vs Shift_JIS, EUC-JP, UTF-16, BOMs,
chunk edges inside multibyte characters and CRLF pairs."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hiraku.ingest.parsing import detect_encoding, transcode_to_utf8

TEXT = "名称,住所\n髙松市役所,番町一丁目８番１５号\n㈱ことでん,①番のりば\n№,備考\n"


@pytest.mark.parametrize(
    "encoding,data,expected,bom",
    [
        ("cp932", TEXT.encode("cp932"), "cp932", False),  # strict shift_jis rejects 髙 ㈱ ① №
        ("shift_jis", "名称,住所\n高松市,番町\n".encode("shift_jis"), "cp932", False),
        (
            "euc-jp",
            "名称,住所\n高松市,番町一丁目\n会津若松市,東栄町\n".encode("euc-jp"),
            "euc-jp",
            False,
        ),
        ("utf-8", TEXT.encode(), "utf-8", False),
        ("utf-8-sig", TEXT.encode("utf-8-sig"), "utf-8", True),
        ("utf-16", TEXT.encode("utf-16-le"), "utf-16-le", False),  # no BOM: null pattern
        ("utf-16be", TEXT.encode("utf-16-be"), "utf-16-be", False),
        ("utf-16 bom", TEXT.encode("utf-16"), "utf-16-le", True),
        ("ascii", b"a,b\n1,2\n", "utf-8", False),
    ],
)
def test_detect_encoding(tmp_path: Path, encoding, data, expected, bom):
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    info = detect_encoding(str(path))
    assert (info.name, info.bom) == (expected, bom), info.reason
    assert 0 < info.confidence <= 1


def test_sample_cut_inside_a_character_is_not_an_error(tmp_path: Path):
    path = tmp_path / "f.csv"
    path.write_bytes(("高松市,番町\n" * 1000).encode("cp932"))
    for size in range(4090, 4100):  # some of these cut a double-byte character in half
        assert detect_encoding(str(path), sample_bytes=size).name == "cp932"
    path.write_bytes(("高松市,番町\n" * 1000).encode())
    for size in range(4090, 4100):
        assert detect_encoding(str(path), sample_bytes=size).name == "utf-8"


@settings(max_examples=40, deadline=None)
@given(
    st.text(alphabet='高松市髙①㈱№あア,"\r\nabc123 ', min_size=0, max_size=300),
    st.sampled_from(["cp932", "utf-8", "utf-16-le", "euc-jp"]),
    st.integers(min_value=1, max_value=17),
)
def test_transcode_any_chunk_size(tmp_path_factory, text, encoding, chunk):
    if encoding == "euc-jp":
        text = text.replace("髙", "高").replace("①", "1").replace("㈱", "株").replace("№", "No")
    folder = tmp_path_factory.mktemp("t")
    src, dst = folder / "in.csv", folder / "out.csv"
    src.write_bytes(text.encode(encoding))
    stats = transcode_to_utf8(str(src), str(dst), encoding, chunk=chunk)
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert dst.read_bytes() == expected.encode()
    assert stats.lines == expected.count("\n") + (
        1 if expected and not expected.endswith("\n") else 0
    )
    assert stats.bytes_in == len(text.encode(encoding))


def test_bom_is_stripped_and_progress_reported(tmp_path: Path):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes(("a,b\r\n" + "1,高\r\n" * 5000).encode("utf-8-sig"))
    seen: list[tuple[int, int]] = []
    stats = transcode_to_utf8(
        str(src), str(dst), "utf-8", progress=lambda d, t: seen.append((d, t)), chunk=4096
    )
    assert stats.had_bom and stats.newline == "CRLF" and stats.lines == 5001
    assert dst.read_bytes().startswith(b"a,b\n1,")
    assert seen[-1] == (src.stat().st_size, src.stat().st_size) and len(seen) > 5


def test_utf16_with_bom(tmp_path: Path):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes("名称\r\n高松\r\n".encode("utf-16"))
    info = detect_encoding(str(src))
    stats = transcode_to_utf8(str(src), str(dst), info.name)
    assert dst.read_text(encoding="utf-8") == "名称\n高松\n" and stats.had_bom


def test_quoted_crlf_stays_inside_its_field(tmp_path: Path):
    import csv

    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes('a,b\r\n"1行目\r\n2行目",x\r\n"bare\rcr",y\r\n'.encode("cp932"))
    stats = transcode_to_utf8(str(src), str(dst), "cp932")
    with open(dst, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [["a", "b"], ["1行目\n2行目", "x"], ["bare\ncr", "y"]]
    assert stats.newline == "mixed"
