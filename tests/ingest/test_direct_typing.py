"""A CSV is typed and written in one pass over read_csv (hiraku/ingest/direct.py); anything the
sample got wrong, and staff type overrides, take decide.py's full path over a VARCHAR table."""

import pytest
from ingest_helpers import field_types, read_table

from hiraku.ingest import pipeline
from hiraku.ingest.infer import SAMPLE_ROWS
from hiraku.ingest.models import JobState


def _csv(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


@pytest.fixture
def full_path_calls(monkeypatch):
    """Counts calls of decide.convert_columns (the fallback) made by the pipeline."""
    calls = []
    original = pipeline.convert_columns

    def spy(*args, **kwargs):
        calls.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline, "convert_columns", spy)
    return calls


def test_the_common_case_never_builds_a_varchar_table(ingest, full_path_calls):
    rows = [f"{i},{i:,},令和5年4月{1 + i % 28}日,{35 + i / 10000:.4f},○" for i in range(700)]
    rows[600] = "600,－,,35.5,×"  # a marker and a blank past the sample are not failures
    job = ingest("direct.csv", _csv("番号,人口,開設日,緯度,有無", rows))
    assert job.state == JobState.DONE, job.message
    assert full_path_calls == []
    table = job.tables.get()
    assert field_types(table) == {
        "番号": "integer",
        "人口": "integer",
        "開設日": "date",
        "緯度": "number",
        "有無": "boolean",
    }
    values = read_table(table)
    assert len(values) == 700 == table.row_count
    assert values[1234 % 700][1] == 1234 % 700 and str(values[0][2]) == "2023-04-01"
    assert values[600][1:3] == (None, None) and values[600][4] is False


def test_text_after_the_sample_takes_the_full_path(ingest, full_path_calls):
    rows = [f"{i},{i * 10}" for i in range(SAMPLE_ROWS + 100)]
    rows[SAMPLE_ROWS + 50] = "7,不明"
    job = ingest("late.csv", _csv("番号,人口", rows))
    assert job.state == JobState.DONE, job.message
    assert len(full_path_calls) == 1
    table = job.tables.get()
    assert field_types(table) == {"番号": "integer", "人口": "string"}
    assert read_table(table)[SAMPLE_ROWS + 50] == (7, "不明")


def test_blank_rows_and_the_notes_block_stay_out(ingest, full_path_calls):
    content = (
        "令和5年 町別人口,,\n町名,男,女\n塩屋町,164,202\n,,\n築地町,311,365\n,,\n"
        "（注）住民基本台帳による,,\n出典：高松市,,\n"
    ).encode()
    job = ingest("notes.csv", content)
    assert job.state == JobState.DONE, job.message
    assert full_path_calls == []
    table = job.tables.get()
    assert read_table(table) == [("塩屋町", 164, 202), ("築地町", 311, 365)]
    assert table.notes == ["（注）住民基本台帳による", "出典：高松市"]


def test_type_overrides_take_the_full_path(ingest, full_path_calls):
    rows = [f"{i},{i}" for i in range(20)] + ["20,abc"]
    options = {"types": {"override.csv": {"値": "integer"}}}
    job = ingest("override.csv", _csv("番号,値", rows), options=options)
    assert job.state == JobState.DONE, job.message
    assert len(full_path_calls) == 1
    assert field_types(job.tables.get())["値"] == "integer"
    assert "abc" not in str(read_table(job.tables.get()))
    assert any("値" in w for w in job.report["warnings"])


def test_a_ragged_row_far_past_the_head_fails_cleanly(ingest):
    rows = [f"{i},{i}" for i in range(30000)]
    rows[25000] = "1,2,3"
    job = ingest("ragged.csv", _csv("番号,値", rows))
    assert job.state == JobState.FAILED
    assert " / " in job.message and "ragged.csv" in job.message
    assert job.tables.count() == 0


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_excel_csv_utf8_with_bom_goes_to_duckdb_untranscoded(ingest, monkeypatch, newline):
    """Excel's "CSV UTF-8" (byte order mark, CRLF): read as it is, the mark in no cell."""
    from hiraku.ingest import sources

    transcoded = []
    monkeypatch.setattr(
        sources, "transcode_to_utf8", lambda *args, **kwargs: transcoded.append(args)
    )
    text = "令和5年 町別人口,,\n町名,男,女\n塩屋町,164,202\n築地町,311,365\n（注）住基による,,\n"
    job = ingest("excel.csv", b"\xef\xbb\xbf" + text.replace("\n", newline).encode())
    assert job.state == JobState.DONE, job.message
    assert transcoded == []
    table = job.tables.get()
    assert read_table(table) == [("塩屋町", 164, 202), ("築地町", 311, 365)]
    assert [f["name"] for f in table.table_schema["fields"]] == ["町名", "男", "女"]
    assert job.tables.get().notes == ["（注）住基による"]
    assert job.report["tables"][0]["titles"] == ["令和5年 町別人口"]


def test_bom_on_a_header_only_first_line(ingest):
    job = ingest("bom.csv", "\ufeff名称,人口\n中央,1\n".encode())
    assert job.state == JobState.DONE, job.message
    assert [f["name"] for f in job.tables.get().table_schema["fields"]] == ["名称", "人口"]
    assert read_table(job.tables.get()) == [("中央", 1)]


def test_event_dates_with_the_day_of_the_week_are_dates(ingest, full_path_calls):
    rows = [
        "春まつり,2023年4月1日（土）",
        "花火大会,令和5年8月5日(土)",
        "市民マラソン,2023-10-09 (月・祝)",
    ]
    job = ingest("events.csv", _csv("イベント名,開催日", rows))
    assert job.state == JobState.DONE, job.message
    table = job.tables.get()
    assert field_types(table)["開催日"] == "date"
    assert [row[1].isoformat() for row in read_table(table)] == [
        "2023-04-01",
        "2023-08-05",
        "2023-10-09",
    ]
    assert full_path_calls == []


def test_year_columns_become_years_and_plain_numbers_stay_integers(ingest, full_path_calls):
    rows = [
        "平成30年度,2018,1200",
        "令和元年度,2019,1300",
        "令和２年度,2020,1250",
        "R3年度,2021,",
    ]
    job = ingest("years.csv", _csv("年度,西暦,件数", rows))
    assert job.state == JobState.DONE, job.message
    assert full_path_calls == []
    table = job.tables.get()
    assert field_types(table) == {"年度": "year", "西暦": "integer", "件数": "integer"}
    assert [row[0] for row in read_table(table)] == [2018, 2019, 2020, 2021]


def test_a_year_outside_its_era_keeps_the_column_as_text(ingest):
    # 昭和64年度 never began (昭和 ended on 1989-01-07): the column is not read as years.
    rows = ["昭和63年度,1", "昭和64年度,2", "平成元年度,3"]
    job = ingest("showa.csv", _csv("年度,件数", rows))
    assert job.state == JobState.DONE, job.message
    table = job.tables.get()
    assert field_types(table)["年度"] == "string"
    assert read_table(table)[1][0] == "昭和64年度"
