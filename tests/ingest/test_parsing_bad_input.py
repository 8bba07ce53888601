"""Bad input never crashes the parser: each case is a ParseError saying what and where."""

import io
import zipfile
from pathlib import Path

import pytest

from hiraku.ingest.parsing import (
    ParseError,
    analyze_csv,
    detect_encoding,
    detect_format,
    read_workbook,
    transcode_to_utf8,
)


def test_truncated_xlsx(testdata: Path, tmp_path: Path):
    data = (testdata / "takamatsu_city_tax_settlement.xlsx").read_bytes()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(ParseError) as caught:
        read_workbook(str(broken), "xlsx")
    assert caught.value.file == "broken.xlsx"
    assert "壊れ" in caught.value.message_ja and "truncated" in caught.value.message_en
    assert detect_format(str(broken)).kind == "binary"  # detection does not crash either


def _bomb(path: Path, inflated: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"0" * (1 << 20)
            for _ in range(inflated >> 20):
                member.write(block)


def test_zip_bomb_is_refused_before_parsing(tmp_path: Path):
    bomb = tmp_path / "bomb.xlsx"
    _bomb(bomb, 48 << 20)  # 48 MiB of zeros in ~50 KiB: a 1000x ratio
    assert bomb.stat().st_size < 1 << 20
    assert detect_format(str(bomb)).kind == "xlsx"
    with pytest.raises(ParseError) as caught:
        read_workbook(str(bomb), "xlsx")
    assert "ZIP bomb" in caught.value.message_en and "sheet1.xml" in caught.value.message_en


def test_binary_named_csv(tmp_path: Path):
    fake = tmp_path / "data.csv"
    fake.write_bytes(b"\x00\x01\x02\x03binary\xff\xfe\x00garbage" * 100)
    info = detect_format(str(fake), "data.csv")
    assert info.kind == "binary"
    png = tmp_path / "photo.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert detect_format(str(png), "photo.csv").kind == "image"


def test_100_mb_cell(tmp_path: Path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as f:  # written in 1 MiB pieces: no 100 MB string in the test
        f.write('名称,説明,備考\n一,短い,\n二,"'.encode())
        block = b"a" * (1 << 20)
        for _ in range(100):
            f.write(block)
        f.write(b'",x\n')
    with pytest.raises(ParseError) as caught:
        analyze_csv(str(path))
    error = caught.value
    assert (error.file, error.row, error.column) == ("huge.csv", 3, 2)
    assert "大きすぎ" in error.message_ja and "larger than the limit" in error.message_en


def test_ten_thousand_columns(tmp_path: Path):
    path = tmp_path / "wide.csv"
    header = ",".join(f"c{i}" for i in range(10_000))
    path.write_text(header + "\n" + ",".join("1" for _ in range(10_000)) + "\n", encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        analyze_csv(str(path))
    assert "10,000" in caught.value.message_en and caught.value.row == 1


def test_empty_file(tmp_path: Path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert detect_format(str(path)).kind == "empty"
    with pytest.raises(ParseError) as caught:
        analyze_csv(str(path))
    assert caught.value.message_en == "the file is empty" and caught.value.file == "empty.csv"
    blank = tmp_path / "blank.csv"
    blank.write_text("\n\n  \n", encoding="utf-8")
    with pytest.raises(ParseError):
        analyze_csv(str(blank))


def test_header_only(tmp_path: Path):
    path = tmp_path / "head.csv"
    path.write_text("名称,住所,緯度,経度\n", encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        analyze_csv(str(path))
    assert "no data rows" in caught.value.message_en and caught.value.row == 2
    layout = analyze_csv(str(path), allow_empty=True)  # the engine may accept an empty table
    assert layout.columns == ["名称", "住所", "緯度", "経度"] and layout.row_count == 0


def test_mixed_encodings_fail_with_offset_and_line(tmp_path: Path):
    path = tmp_path / "mixed.csv"
    utf8_part = "名称,住所\n" + "".join(f"施設{i},高松市{i}\n" for i in range(2000))
    cp932_part = "髙松市役所,番町一丁目\n".encode("cp932")
    path.write_bytes(utf8_part.encode() + cp932_part)
    encoding = detect_encoding(str(path), sample_bytes=4096)
    assert encoding.name == "utf-8"  # the sample alone looks fine
    out = tmp_path / "out.csv"
    with pytest.raises(ParseError) as caught:
        transcode_to_utf8(str(path), str(out), encoding.name, chunk=1000)
    error = caught.value
    assert error.row == 2002 and error.offset == len(utf8_part.encode())
    assert "混在" in error.message_ja and "mixes encodings" in error.message_en
    assert not out.exists()  # no half-written file is left behind


def test_analyze_refuses_invalid_utf8(tmp_path: Path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n1,2\n" + "髙,3\n".encode("cp932"))
    with pytest.raises(ParseError) as caught:
        analyze_csv(str(path))
    assert "UTF-8" in caught.value.message_en


def test_not_a_workbook_kind(tmp_path: Path):
    with pytest.raises(ParseError):
        read_workbook(str(tmp_path / "x.csv"), "csv")


def test_corrupt_xls(tmp_path: Path):
    path = tmp_path / "bad.xls"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k\x00"
        + b"\x00" * 600
    )
    assert detect_format(str(path)).kind == "xls"
    with pytest.raises(ParseError) as caught:
        read_workbook(str(path), "xls")
    assert caught.value.file == "bad.xls"


def test_parse_error_text():
    error = ParseError("列が多すぎます", "too many columns", file="a.csv", row=1, column=10001)
    assert error.bilingual() == (
        "列が多すぎます（ファイル a.csv、1行目、10001列目） / too many columns (file a.csv, row 1, column 10001)"
    )
    assert str(error) == error.bilingual() and error.as_dict()["row"] == 1
    assert ParseError("空です", "empty").bilingual() == "空です / empty"


def test_detect_json_and_text(tmp_path: Path):
    doc = tmp_path / "a.json"
    doc.write_text('{"items": [1, 2]}', encoding="utf-8")
    assert detect_format(str(doc)).kind == "json"
    notes = tmp_path / "readme.txt"
    notes.write_text("このファイルについて\n説明文です。\n", encoding="utf-8")
    assert detect_format(str(notes), "readme.txt").kind == "text"
    pdf = tmp_path / "a.csv"
    pdf.write_bytes(b"%PDF-1.4\n...")
    assert detect_format(str(pdf), "a.csv").kind == "pdf"
    zipped = tmp_path / "gtfs.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("stops.txt", "stop_id,stop_name\n1,駅\n")
    zipped.write_bytes(buffer.getvalue())
    assert detect_format(str(zipped)).kind == "zip"


def test_utf16_geojson(tmp_path: Path):
    doc = tmp_path / "shelters.json"
    doc.write_bytes('{"type": "FeatureCollection", "features": []}\n'.encode("utf-16"))
    assert detect_format(str(doc)).kind == "geojson"


def test_html_error_page_named_csv(tmp_path: Path):
    page = tmp_path / "data.csv"
    page.write_text(
        "<!DOCTYPE html>\n<html><body>404, ページが見つかりません, 戻る</body></html>\n"
    )
    assert detect_format(str(page), "data.csv").kind == "text"
