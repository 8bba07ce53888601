"""Every real municipal file in the shared test data: format, encoding, delimiter, header names
and row count, each checked by hand against the file."""

from pathlib import Path

import duckdb
import pytest

from hiraku.ingest.parsing import (
    analyze_csv,
    detect_encoding,
    detect_format,
    iter_csv_rows,
    read_workbook,
    transcode_to_utf8,
)

TAKAMATSU_META = ["LINK", "lang", "attribution_name", "license", "file_name", "download_from"]

# file -> (kind, encoding, bom, delimiter, skip_rows, header_rows, first columns, last column,
#          data rows, first row's first cells)
CSV_FILES = {
    "aizumi_5374_target.csv": (
        "csv", "utf-8", False, ",", 0, 1, ["type", "name", "notice", "furigana"], "furigana",
        1037, ["燃やさないごみ", "IHクッキングヒーター"],
    ),
    "kobe_facilities_tab_separated_cp932.csv": (
        "tsv", "cp932", False, "\t", 0, 1, ["施設ID", "施設名", "郵便番号", "住所", "方書"],
        "カテゴリリスト", 135, ["46", "リサイクル工房だいこく"],
    ),
    "kobe_garbage_days_by_address_cp932_2row_header.csv": (
        "csv", "cp932", False, ",", 0, 2,
        ["区", "町", "番地_丁番地", "燃えるゴミ_毎週", "燃えないゴミボンベ・スプレー_第何週",
         "燃えないゴミボンベ・スプレー_曜日", "容器包装プラスチック_第何週", "容器包装プラスチック_曜日",
         "缶・びん・ペットボトル_第何週", "缶・びん・ペットボトル_曜日", "備考_更新日など"],
        "列12", 2753, ["東灘区", "魚崎南町", "1丁目", "月木", "13", "金"],
    ),
    "kobe_indoor_shelters_cp932.csv": (
        "csv", "cp932", False, ",", 0, 1, ["No", "区", "緊急避難場所の利用", "避難所の利用", "名称"],
        "備考", 338, ["0001", "東灘", "○"],
    ),
    "localgov_list_utf8.csv": (
        "csv", "utf-8", False, ",", 0, 1, ["pid", "pref", "cid", "city", "citykana", "lat", "lng"],
        "phrase", 1916, ["1", "北海道", "1100", "札幌市"],
    ),
    "prefectures_utf8bom_cr.csv": (
        "csv", "utf-8", True, ",", 0, 1, ["pid", "pref", "url"], "url", 47, ["1", "北海道"],
    ),
    "takamatsu_city_tax_settlement_wareki.csv": (
        "csv", "utf-8", True, ",", 6, 1, ["No", "year", "taxItem", "taxItemContents"],
        "comparedToThePreviousYear", 21, ["1", "令和2年度", "市民税", "個人"],
    ),
    "takamatsu_evacuation_sites_utf8bom.csv": (
        "csv", "utf-8", True, ",", 6, 1, ["No", "name", "address", "telephoneNumber", "flood_L1"],
        "residentsAssociation", 193, ["1", "日新小学校跡施設"],
    ),
    "takamatsu_population_by_age_202303.csv": (
        "csv", "utf-8", True, ",", 6, 1,
        ["No", "prefCode", "regionCode", "prefName", "cityName", "surveyDate", "regionName"],
        "location", 235, ["1", "37201", "", "香川県", "高松市", "3/1/2023"],
    ),
    "takamatsu_public_toilets.csv": (
        "csv", "utf-8", False, ",", 0, 1, ["No", "latitude", "longitude", "prefCode"], "note",
        169, ["1", "34.34551", "134.05267"],
    ),
    "takamatsu_tsunami_evacuation_buildings.csv": (
        "csv", "utf-8", False, ",", 0, 1,
        ["No", "latitude", "longitude", "name", "address", "shelter", "capacity", "district"],
        "district", 113, ["1", "34.34657056", "134.06495", "ホテルパールガーデン"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CSV_FILES))
def test_real_csv_file(testdata: Path, tmp_path: Path, name: str):
    kind, enc, bom, delim, skip, header_rows, first_cols, last_col, count, first_row = CSV_FILES[
        name
    ]
    path = str(testdata / name)
    info = detect_format(path, name)
    assert info.kind == kind, info.reason
    encoding = detect_encoding(path)
    assert (encoding.name, encoding.bom) == (enc, bom)
    utf8 = str(tmp_path / "utf8.csv")
    stats = transcode_to_utf8(path, utf8, encoding.name)
    assert stats.had_bom == bom
    layout = analyze_csv(utf8)
    assert layout.delimiter == delim
    assert (layout.skip_rows, layout.header_rows) == (skip, header_rows)
    assert layout.columns[: len(first_cols)] == first_cols
    assert layout.columns[-1] == last_col
    assert len(set(c.lower() for c in layout.columns)) == len(layout.columns)
    rows = list(iter_csv_rows(utf8, layout))
    assert len(rows) == count == layout.row_count
    assert rows[0][: len(first_row)] == first_row
    assert all(len(r) == len(layout.columns) for r in rows)


@pytest.mark.parametrize("name", sorted(CSV_FILES))
def test_duckdb_options_read_the_same_rows(testdata: Path, tmp_path: Path, name: str):
    """The engine's path (DuckDB read_csv with our options) sees exactly iter_csv_rows' data."""
    path = str(testdata / name)
    utf8 = str(tmp_path / "utf8.csv")
    transcode_to_utf8(path, utf8, detect_encoding(path).name)
    layout = analyze_csv(utf8)
    options = layout.duckdb_read_csv_options()
    args = ", ".join(f"{key} := ${key}" for key in options)
    sql = f"SELECT {layout.duckdb_select_list()} FROM read_csv($path, {args})"
    rows = duckdb.connect().execute(sql, {"path": utf8, **options}).fetchall()
    if layout.data_row_limit is not None:
        rows = rows[: layout.data_row_limit]
    from_duckdb = [[cell or "" for cell in row] for row in rows if any(row)]
    assert from_duckdb == list(iter_csv_rows(utf8, layout))


def test_takamatsu_metadata_lines_are_kept(testdata: Path, tmp_path: Path):
    utf8 = str(tmp_path / "u.csv")
    transcode_to_utf8(str(testdata / "takamatsu_city_tax_settlement_wareki.csv"), utf8, "utf-8")
    layout = analyze_csv(utf8)
    assert list(layout.metadata)[:6] == TAKAMATSU_META
    assert layout.metadata["license"] == "http://creativecommons.org/licenses/by/3.0/deed.ja"
    assert layout.after_header_rows == 2  # #object_type_xsd, #property_context
    assert ("#property", "No") in layout.renamed
    assert layout.skip_lines == 9


def test_trailing_blank_rows_end_the_table(testdata: Path, tmp_path: Path):
    utf8 = str(tmp_path / "u.csv")
    transcode_to_utf8(str(testdata / "kobe_indoor_shelters_cp932.csv"), utf8, "cp932")
    layout = analyze_csv(utf8)
    assert layout.notes_start_row == 339 and layout.trailing_rows == 8
    assert layout.data_row_limit == 338
    assert ("№", "No") in layout.renamed


def test_bare_cr_file_transcodes_to_lf(testdata: Path, tmp_path: Path):
    utf8 = tmp_path / "u.csv"
    stats = transcode_to_utf8(str(testdata / "prefectures_utf8bom_cr.csv"), str(utf8), "utf-8")
    assert stats.newline == "CR" and stats.lines == 48
    data = utf8.read_bytes()
    assert b"\r" not in data and data.count(b"\n") == 47 and not data.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    "name,kind",
    [
        ("aizuwakamatsu_designated_shelters.geojson", "geojson"),
        ("kobe_estimated_population_h2708.xls", "xls"),
        ("kobe_school_children_20150501_merged_header.xlsx", "xlsx"),
        ("takamatsu_aed_locations.xlsx", "xlsx"),
        ("takamatsu_city_tax_settlement.xlsx", "xlsx"),
        ("takamatsu_garbage_collection_dates.xlsx", "xlsx"),
    ],
)
def test_real_non_csv_formats(testdata: Path, name: str, kind: str):
    # the name is hidden: detection works from the bytes
    assert detect_format(str(testdata / name), "upload.bin").kind == kind


GTFS_ROWS = {
    "agency.txt": 1, "agency_jp.txt": 1, "calendar.txt": 2, "calendar_dates.txt": 40,
    "fare_attributes.txt": 46, "fare_rider_categories.txt": 46, "fare_rules.txt": 63745,
    "feed_info.txt": 1, "rider_categories.txt": 1, "routes.txt": 74, "routes_jp.txt": 74,
    "shapes.txt": 34097, "stop_times.txt": 20594, "stops.txt": 706, "translations.txt": 480,
    "trips.txt": 541,
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(GTFS_ROWS))
def test_gtfs_feed_files(testdata: Path, tmp_path: Path, name: str):
    path = testdata / "gtfs_jp_donanbus" / name
    assert detect_format(str(path), name).kind == "csv"
    utf8 = str(tmp_path / "u.csv")
    transcode_to_utf8(str(path), utf8, detect_encoding(str(path)).name)
    layout = analyze_csv(utf8)
    first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert layout.columns == first_line.strip().split(",")
    assert (layout.skip_rows, layout.header_rows, layout.row_count) == (0, 1, GTFS_ROWS[name])


SHEETS = {
    # file -> {sheet: (header_rows, some columns, data rows, first cell of first row)}
    "takamatsu_aed_locations.xlsx": {
        "Sheet1": (1, ["No", "latitude", "longitude", "name", "address"], 450, "1"),
    },
    "takamatsu_city_tax_settlement.xlsx": {
        "Sheet1": (1, ["No", "year", "taxItem", "adjustedAmount", "incomeRate"], 21, "1"),
    },
    "takamatsu_garbage_collection_dates.xlsx": {
        "Sheet1": (1, ["No", "name", "burnableGarbage", "plasticContainers"], 8, "1"),
    },
    "kobe_school_children_20150501_merged_header.xlsx": {
        "幼稚園": (
            2,
            ["園名", "学級数_計", "学級数_3歳児", "幼児数_計", "(再掲)男女別_男"],
            51,
            "前年５月",
        ),
        "小学校": (
            2,
            ["校名", "学級数_計", "学級数_1年", "児童数_1年", "児童数_6年"],
            176,
            "前年５月",
        ),
        "中学校": (2, ["校名", "学級数_計", "生徒数_1年", "生徒数_3年"], 95, "前年5月"),
    },
}


@pytest.mark.parametrize("name", sorted(SHEETS))
def test_real_workbooks(testdata: Path, name: str):
    tables = {t.name: t for t in read_workbook(str(testdata / name), "xlsx")}
    for sheet, (header_rows, columns, count, first) in SHEETS[name].items():
        table = tables[sheet]
        assert table.header_rows == header_rows
        assert all(c in table.columns for c in columns), table.columns
        assert len(table.rows) == count
        assert table.rows[0][0] == first
        assert all(len(r) == len(table.columns) for r in table.rows)


def test_workbook_numbers_and_subtotals(testdata: Path):
    tables = {
        t.name: t
        for t in read_workbook(str(testdata / "takamatsu_city_tax_settlement.xlsx"), "xlsx")
    }
    row = tables["Sheet1"].rows[0]
    assert row[5] == "23279743112" and row[9] == "99.2"  # no "23279743112.0"
    school = {
        t.name: t
        for t in read_workbook(
            str(testdata / "kobe_school_children_20150501_merged_header.xlsx"), "xlsx"
        )
    }
    assert len(school) == 7
    elementary = school["小学校"]
    subtotal_names = [elementary.rows[i][0] for i in elementary.subtotal_rows]
    assert "中央区計" in subtotal_names and "合計" in subtotal_names
    assert any("subtotal" in w for w in elementary.warnings)
    assert school["中学校"].notes and school["中学校"].notes[0].startswith("（注）")
    assert school["総括表"].notes == ["（注）分：分校\u3000\u3000休：休園"]


def test_legacy_xls(testdata: Path):
    (table,) = read_workbook(str(testdata / "kobe_estimated_population_h2708.xls"), "xls")
    assert table.header_rows == 2
    assert "世帯数_Households" in table.columns
    assert table.titles[0].startswith("神")
    assert table.rows[0][0] == "平成23年 a)b)" and table.rows[0][2] == "2011"
    assert any(note.startswith("*") for note in table.notes)
