"""Every real municipal file in /work/shared/testdata ingests into the expected typed tables."""

import pytest
from ingest_helpers import field_types, read_table

from hiraku.ingest.models import JobState
from hiraku.ingest.selectors import active_tables

# file -> (format, {table: (rows, {column: type})}); only columns whose type matters are listed.
EXPECTED = {
    "kobe_indoor_shelters_cp932.csv": (
        "csv",
        {
            "kobe_indoor_shelters_cp932.csv": (
                338,
                {
                    "No": "string",
                    "緯度": "number",
                    "経度": "number",
                    "名称": "string",
                    "避難所の利用": "boolean",
                    "郵便番号": "string",
                },
            )
        },
    ),
    "kobe_facilities_tab_separated_cp932.csv": (
        "tsv",
        {
            "kobe_facilities_tab_separated_cp932.csv": (
                135,
                {
                    "施設ID": "integer",
                    "郵便番号": "string",
                    "電話番号": "string",
                    "緯度": "number",
                    "経度": "number",
                },
            )
        },
    ),
    "kobe_garbage_days_by_address_cp932_2row_header.csv": (
        "csv",
        {
            "kobe_garbage_days_by_address_cp932_2row_header.csv": (
                2753,
                {"区": "string", "町": "string", "燃えないゴミボンベ・スプレー_第何週": "integer"},
            )
        },
    ),
    "prefectures_utf8bom_cr.csv": (
        "csv",
        {"prefectures_utf8bom_cr.csv": (47, {"pid": "integer", "pref": "string"})},
    ),
    "localgov_list_utf8.csv": (
        "csv",
        {"localgov_list_utf8.csv": (1916, {"lat": "number", "lng": "number", "city": "string"})},
    ),
    "takamatsu_city_tax_settlement_wareki.csv": (
        "csv",
        {
            "takamatsu_city_tax_settlement_wareki.csv": (
                21,
                {
                    "No": "integer",
                    "year": "year",  # 令和2年度 -> 2020
                    "incomeAmount": "integer",
                    "incomeRate": "number",
                },
            )
        },
    ),
    "takamatsu_population_by_age_202303.csv": (
        "csv",
        {
            "takamatsu_population_by_age_202303.csv": (
                235,
                {"surveyDate": "date", "regionCode": "string", "totalPopulation": "integer"},
            )
        },
    ),
    "aizuwakamatsu_designated_shelters.geojson": (
        "geojson",
        {
            "aizuwakamatsu_designated_shelters.geojson": (
                102,
                {
                    "施設・場所名": "string",
                    "latitude": "number",
                    "longitude": "number",
                    "geometry": "string",
                },
            )
        },
    ),
    "kobe_estimated_population_h2708.xls": ("xls", {}),
    "takamatsu_aed_locations.xlsx": (
        "xlsx",
        {"Sheet1": (450, {"latitude": "number", "longitude": "number", "startTime": "time"})},
    ),
}


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_real_file_ingests(filename, ingest, testdata):
    fmt, tables = EXPECTED[filename]
    job = ingest(filename, testdata / filename)
    assert job.state == JobState.DONE, job.message
    assert job.detected_format == fmt
    assert job.finished and job.progress == 1.0
    produced = {t.name: t for t in job.tables.all()}
    assert produced, "at least one table"
    for name, (rows, types) in tables.items():
        table = produced[name]
        assert table.row_count == rows
        actual = field_types(table)
        for column, kind in types.items():
            assert actual[column] == kind, (column, table.table_schema)
        assert len(read_table(table)) == rows
        assert set(table.stats) == set(actual)
    served = list(active_tables(job.version.resource))
    assert [t.pk for t in served] == [t.pk for t in job.tables.order_by("position")]


def test_cp932_values_survive_transcoding(ingest, testdata):
    job = ingest("shelters.csv", testdata / "kobe_indoor_shelters_cp932.csv")
    assert job.detected_encoding == "cp932"
    table = job.tables.get()
    first = read_table(table)[0]
    names = [f["name"] for f in table.table_schema["fields"]]
    row = dict(zip(names, first, strict=True))
    assert row["No"] == "0001"  # a code keeps its leading zeros
    assert row["名称"] == "東灘小学校"
    assert row["緯度"] == pytest.approx(34.7248161)
    assert row["避難所の利用"] is True
    # the № header (a CP932-only character) came through as the original header
    original = table.table_schema["fields"][0]["hiraku:original_header"]
    assert original in ("№", "No")


def test_merged_header_workbook_has_seven_sheets(ingest, testdata):
    name = "kobe_school_children_20150501_merged_header.xlsx"
    job = ingest(name, testdata / name)
    assert job.state == JobState.DONE, job.message
    tables = list(job.tables.order_by("position"))
    assert len(tables) == 7
    primary = next(t for t in tables if t.name == "小学校")
    types = field_types(primary)
    assert types["児童数_1年"] == "integer"
    assert types["校名"] == "string"
    assert [t.position for t in tables] == list(range(7))


def test_stats_and_schema_shape(ingest, testdata):
    job = ingest("localgov.csv", testdata / "localgov_list_utf8.csv")
    table = job.tables.get()
    stats = table.stats["pref"]
    assert stats["nulls"] == 0
    assert stats["distinct"] == 47
    assert stats["top"][0][1] >= stats["top"][-1][1]
    assert len(stats["top"]) == 5
    lat = next(f for f in table.table_schema["fields"] if f["name"] == "lat")
    assert lat["hiraku:role"] == "latitude"
    assert "緯度" in lat["hiraku:inferred"]["reason"]
    assert 20 < table.stats["lat"]["min"] < table.stats["lat"]["max"] < 46


def test_zip_of_csvs_gives_one_table_per_member(ingest, testdata):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("stops.txt", "routes.txt"):
            archive.write(testdata / "gtfs_jp_donanbus" / name, f"feed/{name}")
    job = ingest("gtfs.zip", buffer.getvalue())
    assert job.state == JobState.DONE, job.message
    names = sorted(t.name for t in job.tables.all())
    assert names == ["feed/routes.txt", "feed/stops.txt"]
    stops = job.tables.get(name="feed/stops.txt")
    assert stops.row_count == 706
    assert field_types(stops)["stop_lat"] == "number"


def test_json_array_of_objects(ingest):
    content = (
        '[{"名称": "A", "人数": 3, "開所": "R5.4.1"}, {"名称": "B", "人数": 5, "備考": {"x": 1}}]'
    )
    job = ingest("list.json", content.encode())
    assert job.state == JobState.DONE, job.message
    table = job.tables.get()
    assert field_types(table) == {
        "名称": "string",
        "人数": "integer",
        "開所": "date",
        "備考": "string",
    }
    assert read_table(table)[1][3] == '{"x": 1}'


def test_pdf_is_kept_as_a_file(ingest):
    job = ingest("report.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
    assert job.state == JobState.NOT_TABULAR
    assert job.tables.count() == 0
    assert "not tabular" in job.message.lower()


def test_fiscal_years_of_a_real_file_are_western_years(ingest, testdata):
    """高松市's 市税決算 file writes its year as 令和2年度: stored as 2020 (Frictionless year)."""
    name = "takamatsu_city_tax_settlement_wareki.csv"
    table = ingest(name, testdata / name).tables.get()
    names = [f["name"] for f in table.table_schema["fields"]]
    years = {dict(zip(names, row, strict=True))["year"] for row in read_table(table)}
    assert years == {2020}
    assert table.stats["year"]["min"] == 2020
