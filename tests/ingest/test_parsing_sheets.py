"""Workbooks built in the test (openpyxl / odfpy) with the layouts cities use."""

from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from hiraku.ingest.parsing import ParseError, detect_format, read_workbook
from hiraku.ingest.parsing.sheets import cell_text


def _school_book(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "小学校"
    ws["A1"] = "令和5年5月1日現在　市立小学校　児童数"  # a title row, merged across the page
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["校　　名", "児童数", None, None, "調査日", None])  # row 3: group labels
    ws.merge_cells("B3:D3")
    ws.merge_cells("A3:A4")
    ws.merge_cells("E3:E4")
    ws.append([None, "１年", "２年", "計", None, None])  # row 4: sub-headers
    ws.append(["東灘", 166, 163, 329, date(2023, 5, 1), None])
    ws.append(["本山第一", 120.0, 118.5, 238.5, datetime(2023, 5, 1, 9, 30), None])
    ws.append(["東灘区計", 286, 281.5, 567.5, None, None])
    ws.append([])
    ws.append(["（注）分校を含む。"])
    ws.append(["出典：教育委員会"])
    other = wb.create_sheet("空")
    other["A1"] = None
    times = wb.create_sheet("開館時間")
    times.append(["施設", "開館", "閉館", "有無"])
    times.append(["図書館", time(9, 0), time(21, 30), True])
    wb.save(path)


def test_merged_header_title_notes_and_values(tmp_path: Path):
    path = tmp_path / "school.xlsx"
    _school_book(path)
    assert detect_format(str(path), "school.xlsx").kind == "xlsx"
    tables = {t.name: t for t in read_workbook(str(path), "xlsx")}
    assert set(tables) == {"小学校", "開館時間"}  # the empty sheet is skipped
    school = tables["小学校"]
    assert school.titles == ["令和5年5月1日現在　市立小学校　児童数"]
    assert school.header_rows == 2
    assert school.columns == ["校名", "児童数_1年", "児童数_2年", "児童数_計", "調査日"]
    assert school.rows[0] == ["東灘", "166", "163", "329", "2023-05-01"]
    assert school.rows[1] == ["本山第一", "120", "118.5", "238.5", "2023-05-01T09:30:00"]
    assert school.subtotal_rows == [2]
    assert school.notes == ["（注）分校を含む。", "出典：教育委員会"]
    assert school.first_data_row == 5
    assert ("校　　名", "校名") in school.renamed
    hours = tables["開館時間"]
    assert hours.rows == [["図書館", "09:00:00", "21:30:00", "true"]]


def test_cells_merged_down_in_the_data_repeat_on_each_row(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["区", "施設", "件数"])
    ws.append(["北区", "北図書館", 3])
    ws.append([None, "北公民館", 4])
    ws.append([None, "北体育館", 5])
    ws.merge_cells("A2:A4")  # 区 written once beside its three facilities
    ws.append(["南区", "南図書館", 6])
    ws.append([None, "南公民館", None])
    ws.merge_cells("A5:A6")
    ws.append(["合計（東西区を除く）", None, 18])
    ws.merge_cells("A7:B7")  # across columns: the value stays where it is
    wb.save(tmp_path / "merged.xlsx")
    (table,) = read_workbook(str(tmp_path / "merged.xlsx"), "xlsx")
    assert [row[:2] for row in table.rows] == [
        ["北区", "北図書館"],
        ["北区", "北公民館"],
        ["北区", "北体育館"],
        ["南区", "南図書館"],
        ["南区", "南公民館"],
        ["合計（東西区を除く）", None],
    ]
    assert table.rows[4][2] is None  # an empty cell that is not merged stays empty
    assert any("3 セル" in w and "3 cells" in w for w in table.warnings)


def test_ods_workbook(tmp_path: Path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="避難所")
    for values in (["名称", "収容人数"], ["鶴ヶ城体育館", "500"], ["市民会館", "300"]):
        row = TableRow()
        for value in values:
            cell = (
                TableCell(valuetype="float", value=value)
                if value.isdigit()
                else TableCell(valuetype="string")
            )
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    path = tmp_path / "shelters.ods"
    doc.save(str(path))
    assert detect_format(str(path), "x.bin").kind == "ods"
    (sheet,) = read_workbook(str(path), "ods")
    assert sheet.columns == ["名称", "収容人数"]
    assert sheet.rows == [["鶴ヶ城体育館", "500"], ["市民会館", "300"]]


def test_too_many_cells(tmp_path: Path):
    path = tmp_path / "wide.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 4):
        ws.cell(row=r, column=50, value=r)
    wb.save(path)
    with pytest.raises(ParseError) as caught:
        read_workbook(str(path), "xlsx", max_cells=100)
    assert "too large" in caught.value.message_en and caught.value.file == "wide.xlsx"


@pytest.mark.parametrize(
    "value,text",
    [
        (2011.0, "2011"),
        (552.83, "552.83"),
        (0.1 + 0.2, "0.3"),
        (2793.7991787710507, "2793.79917877105"),
        (1e-7, "0.0000001"),
        (12345678901234567890.0, "12345678901234600000"),
        (True, "true"),
        (None, ""),
        ("", ""),
        (datetime(2023, 4, 1), "2023-04-01"),
        (datetime(2023, 4, 1, 8, 30), "2023-04-01T08:30:00"),
        (float("nan"), ""),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text
