"""Column stats of big tables (tables.table_stats above EXACT_STATS_ROWS): nulls/min/max from
the Parquet footer, estimated distinct counts, exact GROUP BY / uniqueness where they matter.
Everything the big-table path reports exactly must equal the small-table (exact) path."""

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hiraku.ingest import tables
from hiraku.ingest.models import JobState

ROWS = 30_000


@pytest.fixture
def con():
    connection = duckdb.connect()
    connection.execute("SET threads = 2")
    yield connection
    connection.close()


def write(con, path: Path, select: str, row_group: int = 2048) -> str:
    con.execute(
        f"COPY ({select}) TO '{path}' (FORMAT parquet, COMPRESSION zstd, "
        f"ROW_GROUP_SIZE {row_group})"
    )
    return str(path)


def both(con, path: str, monkeypatch) -> tuple[dict, dict, list[str]]:
    names = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()]
    rows = con.execute(f"SELECT count(*) FROM '{path}'").fetchone()[0]
    decisions = [SimpleNamespace(name=name) for name in names]
    monkeypatch.setattr(tables, "EXACT_STATS_ROWS", 10**12)
    exact = tables.table_stats(con, path, decisions, rows)
    monkeypatch.setattr(tables, "EXACT_STATS_ROWS", 0)
    big = tables.table_stats(con, path, decisions, rows)
    return exact, big, names


MIXED = f"""
    SELECT
        i + 1 AS id,                                                   -- unique integer key
        'K-' || lpad((i * 7919 % {ROWS})::VARCHAR, 6, '0') AS code,   -- unique text key
        CASE WHEN i = 777 THEN 1 ELSE i END AS almost,                  -- one repeated value
        i % 7 AS small,                                                 -- 7 values
        CASE WHEN i % 5 = 0 THEN NULL ELSE (i * 37 % 1000) * 0.25::DOUBLE END AS amount,
        CASE WHEN i % 3 = 0 THEN NULL ELSE '区' || (i % 40)::VARCHAR END AS ward,
        repeat('長い説明文', 30) || (i % 9)::VARCHAR AS long_text,     -- no footer stats
        NULL::VARCHAR AS empty,
        i % 4 = 0 AS flag,
        DATE '2000-01-01' + (i * 13 % 9000)::INTEGER AS day,
        TIMESTAMP '2020-01-01 00:00:00' + to_seconds(i * 61) AS stamp,
        make_time(i % 24, i % 60, (i % 7) * 1.5) AS clock,
        (hash(i) % 2000000)::VARCHAR AS many                           -- ~29,800 of 30,000
    FROM range({ROWS}) t(i)
"""


def test_big_path_agrees_with_the_exact_path(con, tmp_path: Path, monkeypatch):
    path = write(con, tmp_path / "t.parquet", MIXED)
    exact, big, names = both(con, path, monkeypatch)
    for name in names:
        for key in ("nulls", "min", "max", "unique"):
            assert big[name][key] == exact[name][key], (name, key)
        if not big[name]["distinct_approx"]:
            assert big[name]["distinct"] == exact[name]["distinct"], name
            # near-unique columns get no top 5 (counts of 2 and 1 say nothing)
            assert big[name]["top"] in (exact[name]["top"], []), name
    # keys are found unique exactly, the near-key with one repeat exactly not unique
    assert big["id"]["unique"] and big["code"]["unique"] and not big["id"]["distinct_approx"]
    assert not big["almost"]["unique"] and big["almost"]["distinct"] == ROWS - 1
    assert not big["almost"]["distinct_approx"] and big["almost"]["top"] == []
    # few values: exact counts and the top 5
    for name in ("small", "ward", "flag", "long_text"):
        assert not big[name]["distinct_approx"] and big[name]["top"], name
    assert big["empty"] == {**exact["empty"], "distinct_approx": False}
    assert big["empty"]["nulls"] == ROWS and big["empty"]["min"] is None
    # many values, some repeated: an estimate close to the truth, no top values
    many = big["many"]
    assert many["distinct_approx"] and many["top"] == [] and not many["unique"]
    assert abs(many["distinct"] - exact["many"]["distinct"]) < 0.1 * exact["many"]["distinct"]
    assert many["distinct"] < many["nulls"] + ROWS  # never more than the present values


def test_footer_facts_are_the_column_min_max(con, tmp_path: Path):
    path = write(con, tmp_path / "t.parquet", MIXED)
    facts = tables.parquet_facts(con, path)
    assert facts["long_text"].range_exact is False  # long strings have no footer min/max
    for name in ("id", "amount", "ward", "day", "stamp", "clock", "flag"):
        low, high, nulls = con.execute(
            f'SELECT min("{name}"), max("{name}"), count(*) - count("{name}") FROM \'{path}\''
        ).fetchone()
        assert facts[name].range_exact, name
        assert (facts[name].low, facts[name].high, facts[name].nulls) == (low, high, nulls)
    assert facts["small"].distinct_bound is not None and facts["small"].distinct_bound <= 7 * 15


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.floats(allow_nan=False, width=64)),
        min_size=1,
        max_size=300,
    ),
    st.lists(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)), min_size=1),
)
def test_footer_doubles_and_dates_read_back_exactly(tmp_path_factory, floats, dates):
    connection = duckdb.connect()
    path = tmp_path_factory.mktemp("f") / "f.parquet"
    connection.execute(
        "CREATE TABLE t AS SELECT unnest(?::DOUBLE[]) AS x, unnest(?::DATE[]) AS d",
        [floats, dates],
    )
    write(connection, path, "SELECT * FROM t", row_group=64)
    facts = tables.parquet_facts(connection, str(path))
    for name in ("x", "d"):
        low, high = connection.execute(f"SELECT min({name}), max({name}) FROM t").fetchone()
        if facts[name].range_exact:
            assert (facts[name].low, facts[name].high) == (low, high)
            assert str(facts[name].low) == str(low)  # -0.0 and 0.0 too
    connection.close()


def test_small_tables_stay_exact(con, tmp_path: Path):
    path = write(con, tmp_path / "t.parquet", MIXED.replace(str(ROWS), "5000"))
    names = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()]
    stats = tables.table_stats(con, path, [SimpleNamespace(name=n) for n in names], 5000)
    assert not any(s["distinct_approx"] for s in stats.values())
    assert (
        stats["many"]["distinct"]
        == con.execute(f"SELECT count(DISTINCT many) FROM '{path}'").fetchone()[0]
    )


def test_data_dictionary_shows_approximate_counts_as_such(ingest, monkeypatch):
    from django.template.loader import render_to_string

    monkeypatch.setattr(tables, "EXACT_STATS_ROWS", 100)
    monkeypatch.setattr(tables, "TOP_MAX_ESTIMATE", 100)
    rows = [f"{i},{(i * 7919) % 2000},区{i % 5}" for i in range(3000)]
    job = ingest("big.csv", ("番号,値,区\n" + "\n".join(rows) + "\n").encode())
    assert job.state == JobState.DONE, job.message
    table = job.tables.get()
    stats = table.stats
    assert stats["番号"]["unique"] and not stats["番号"]["distinct_approx"]
    assert stats["区"]["distinct"] == 5 and stats["区"]["top"]
    assert stats["値"]["distinct_approx"] and not stats["値"]["unique"]
    html = render_to_string("datastore/_dictionary.html", {"tables": [table]})
    approx = f"約 {stats['値']['distinct']} <small>(approx.)</small>"
    assert approx in html
    assert html.count("約 ") == 1  # exact counts are shown as they are
