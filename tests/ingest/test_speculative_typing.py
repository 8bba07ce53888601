"""The typed Parquet is written speculatively from the sample's first candidates and then
checked on every row (hiraku/ingest/decide.py): a wrong guess must be rewritten, blanks and
missing markers are not failures, and no converter ever turns a marker into a value."""

import duckdb
import pytest
from ingest_helpers import field_types, read_table

from hiraku.ingest.decide import convert_columns
from hiraku.ingest.infer import SAMPLE_ROWS
from hiraku.ingest.models import JobState
from hiraku.ingest.sql_values import CONVERTERS, MISSING_MARKERS, install_macros


def _csv(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def test_text_after_the_sample_rewrites_the_parquet_as_text(ingest):
    rows = [f"{i},{i * 10},2023-04-{1 + i % 28:02d}" for i in range(SAMPLE_ROWS + 200)]
    rows[SAMPLE_ROWS + 100] = "9999,不明,2023-04-01"  # text long after the sampled rows
    job = ingest("late_text.csv", _csv("番号,人口,開設日", rows))
    assert job.state == JobState.DONE, job.message
    table = job.tables.get()
    assert field_types(table) == {"番号": "integer", "人口": "string", "開設日": "date"}
    values = read_table(table)
    # the rewritten file holds the original text, not the speculative integers
    assert values[1][1] == "10" and values[SAMPLE_ROWS + 100][1] == "不明"
    assert isinstance(values[1][0], int)
    # 番号 and 開設日 were guessed right and not rewritten into text
    assert values[SAMPLE_ROWS + 100][0] == 9999 and str(values[0][2]) == "2023-04-01"


def test_markers_and_blanks_after_the_sample_are_not_failures(ingest):
    rows = [f'{i},"{i:,}"' for i in range(1000, 1000 + SAMPLE_ROWS + 50)]
    rows[SAMPLE_ROWS + 10] = "1,－"
    rows[SAMPLE_ROWS + 11] = "2, "
    rows[SAMPLE_ROWS + 12] = "3,秘匿"
    job = ingest("markers.csv", _csv("番号,人口", rows))
    assert job.state == JobState.DONE, job.message
    table = job.tables.get()
    assert field_types(table)["人口"] == "integer"
    values = read_table(table)
    assert [values[SAMPLE_ROWS + k][1] for k in (10, 11, 12)] == [None, None, None]
    assert values[0][1] == 1000


def test_speculative_write_and_the_full_scan_agree():
    """convert_columns with and without `write` decide the same, and the written rows match."""
    con = duckdb.connect()
    install_macros(con)
    values = [("1", "○"), ("2", "×"), ("x", "○"), ("4", "はい")] * 200 + [("5", "maybe")]
    con.execute("CREATE TABLE raw_1 (a VARCHAR, b VARCHAR)")
    con.executemany("INSERT INTO raw_1 VALUES (?, ?)", values)
    plain, select, _ = convert_columns(con, "raw_1", ["a", "b"])
    writes: list[str] = []

    def write(sql: str) -> str:
        writes.append(sql)
        con.execute(f"CREATE OR REPLACE TABLE written AS {sql}")
        return "written"

    speculative, final, _ = convert_columns(con, "raw_1", ["a", "b"], write=write)
    assert [(d.name, d.kind) for d in plain] == [(d.name, d.kind) for d in speculative]
    assert [d.kind for d in plain] == ["integer", "string"]
    assert len(writes) == 2 and writes[-1] == final == select  # b was guessed boolean
    assert con.execute("SELECT count(*) FROM written WHERE b = 'maybe'").fetchone()[0] == 1


@pytest.mark.parametrize("kind", sorted(CONVERTERS))
def test_no_converter_turns_a_missing_marker_into_a_value(kind):
    """decide.py counts failures as (present, not blank, not a marker) - converted: that is
    only right while every converter returns NULL for blanks and markers."""
    con = duckdb.connect()
    install_macros(con)
    cells = [*MISSING_MARKERS, "", " ", "\u3000", "\t"]
    cells += [f" {m} " for m in MISSING_MARKERS] + [f"\u3000{m}" for m in MISSING_MARKERS]
    converted = [
        (cell, con.execute(f"SELECT {CONVERTERS[kind]}(?)", [cell]).fetchone()[0]) for cell in cells
    ]
    assert [c for c in converted if c[1] is not None] == []
