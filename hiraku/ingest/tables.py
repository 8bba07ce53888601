"""Write one typed table to Parquet, then describe it (Table Schema, column stats).

write_parquet(con, typed_select, tmp_path)            # COPY (SELECT hk_integer(c) ...) TO
table_stats(con, tmp_path, decisions)  -> {"人口": {"nulls": 0, "distinct": 212, ...}}
table_schema(loaded, decisions)        -> {"fields": [{"name": "人口", "type": "integer", ...}]}
"""

import datetime as dt
import os
import re
from dataclasses import dataclass

from .duck import quote_ident, sql_literal
from .infer import ColumnDecision
from .parsing.values import MISSING_MARKERS
from .sources import LoadedTable

# Tables up to this many rows get exact stats for every column (one GROUP BY per column:
# ~70 ms for 13 columns of 100,000 rows). Bigger ones read nulls/min/max from the Parquet
# footer and estimate distinct counts first (see table_stats).
EXACT_STATS_ROWS = int(os.environ.get("HIRAKU_INGEST_EXACT_STATS_ROWS", "100000"))
# Top values are not worth a GROUP BY on a column that is (nearly) unique.
TOP_MAX_DISTINCT = 200_000
# Big tables: a column estimated to have more distinct values than this gets an approximate
# count and no top 5 (a top 5 of tens of thousands of values says little, and their GROUP BY
# costs 60-160 ms per column of 1,000,000 rows).
TOP_MAX_ESTIMATE = 10_000
# Distinct counts are estimated from the values whose hash falls in the lowest 1/32 of the
# hash range: every copy of a value is in or out together, so the sample's distinct count
# x 32 estimates the column's (error ~1/sqrt(distinct/32): ~2% at 100,000), and a sample
# without a repeated value is what a unique column looks like. DuckDB's HyperLogLog
# (approx_count_distinct) measured up to 27% off on unique columns of 0.1-3 M rows: too
# coarse to tell a key column from a nearly unique one.
SAMPLE_SHIFT = 5
STAT_TEXT_MAX = 200
PARQUET_FORMAT = {
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "time": "TIME",
    "string": "VARCHAR",
    "year": "BIGINT",
}


def safe_table_filename(name: str, taken: set[str]) -> str:
    """'高松市/AED 一覧.csv' -> '高松市_AED_一覧.csv'; unique within one version."""
    base = re.sub(r"[^\w.\-]+", "_", name, flags=re.UNICODE).strip("._") or "table"
    base = base[:120]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def write_parquet(con, typed_select: str, path: str) -> int:
    """The typed rows (converted as they stream, row order kept) -> Parquet, zstd."""
    con.execute(
        f"COPY ({typed_select}) TO {sql_literal(path)} "
        "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)"
    )
    return parquet_rows(con, path)


def parquet_rows(con, path: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM read_parquet({sql_literal(path)})").fetchone()[0])


def _short(value) -> object:
    if value is None or isinstance(value, bool | int | float):
        return value
    if hasattr(value, "isoformat"):  # date, datetime, time
        return value.isoformat()
    text = str(value)
    return text if len(text) <= STAT_TEXT_MAX else text[:STAT_TEXT_MAX] + "…"


def _grouped_stats(con, source: str, col: str) -> tuple[int, int, object, object, list]:
    """(present, distinct, min, max, top-5) of one column from ONE hash aggregate.

    The GROUP BY that finds the most frequent values also gives the exact distinct count
    (groups), the present count (sum of group sizes) and the range, which is cheaper than
    count(DISTINCT) in a wide aggregate (~4 s over 13 columns of 1,000,000 rows); these
    per-column queries each read one Parquet column.
    """
    rows = con.execute(
        f"SELECT v::VARCHAR, n, count(*) OVER (), sum(n) OVER (), min(v) OVER (), "
        f"max(v) OVER () FROM (SELECT {col} AS v, count(*) AS n FROM {source} "
        f"WHERE {col} IS NOT NULL GROUP BY 1) ORDER BY n DESC, v::VARCHAR LIMIT 5"
    ).fetchall()
    if not rows:
        return 0, 0, None, None, []
    _, _, distinct, present, low, high = rows[0]
    return int(present), int(distinct), low, high, [[_short(v), int(n)] for v, n, *_ in rows]


def _entry(row_count: int, present: int, distinct: int, low, high, top: list, exact: bool):
    return {
        "nulls": row_count - present,
        "distinct": distinct,
        "distinct_approx": not exact,
        "min": _short(low),
        "max": _short(high),
        # no top values for a column that is (nearly) unique
        "top": top if 0 < distinct <= TOP_MAX_DISTINCT and distinct < present else [],
        "unique": present > 0 and distinct == present,
    }


@dataclass
class _Facts:
    """What the Parquet footer says about one column (None: not known for every row group)."""

    type: str
    nulls: int | None
    low: object
    high: object
    range_exact: bool  # min/max stats exact in every row group that has a value
    distinct_bound: int | None  # at most this many distinct values (sum over row groups)


def _from_stat(duck_type: str, text: str | None):
    """A footer min/max (as parquet_metadata prints it) -> the value DuckDB's min() returns."""
    if text is None:
        raise ValueError("no statistic")
    if duck_type == "VARCHAR":
        return text
    if duck_type == "BIGINT":
        return int(text)
    if duck_type == "DOUBLE":
        value = float(text)  # DuckDB prints the shortest text that reads back as the same double
        if value != value:
            raise ValueError("NaN")  # min()/max() order NaN differently: compute instead
        return value
    if duck_type == "BOOLEAN":
        return {"true": True, "false": False}[text]
    if duck_type == "DATE":
        return dt.date.fromisoformat(text)
    if duck_type == "TIME":
        return dt.time.fromisoformat(text)
    if duck_type == "TIMESTAMP":
        return dt.datetime.fromisoformat(text)
    raise ValueError(duck_type)


def parquet_facts(con, path: str) -> dict[str, _Facts]:
    """Null counts, min/max and distinct-count bounds of every column from the Parquet footer
    (parquet_metadata, a few ms), for the flat tables write_parquet writes."""
    source = sql_literal(path)
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({source})").fetchall()
    rows = con.execute(
        "SELECT column_id, path_in_schema, row_group_num_rows, stats_null_count, "
        "stats_min_value, stats_max_value, coalesce(min_is_exact AND max_is_exact, false), "
        f"stats_distinct_count FROM parquet_metadata({source})"
    ).fetchall()
    by_column: dict[int, list] = {}
    for row in rows:
        by_column.setdefault(row[0], []).append(row)
    facts = {}
    for column_id, (name, duck_type, *_rest) in enumerate(described):
        groups = by_column.get(column_id, [])
        unknown = _Facts(duck_type, None, None, None, False, None)
        facts[name] = unknown
        if not groups or any(g[1] != name or g[3] is None for g in groups):
            continue  # not the flat layout written here, or no null counts: compute it all
        nulls = sum(g[3] for g in groups)
        # a row group without a distinct count (not dictionary encoded) may hold as many
        # distinct values as it has values
        bound = sum(g[7] if g[7] is not None else g[2] - g[3] for g in groups)
        low = high = None
        exact = True
        try:
            for _id, _name, size, null_count, low_text, high_text, is_exact, _ in groups:
                if null_count >= size:
                    continue  # no value in this row group
                if not is_exact:
                    raise ValueError("inexact")
                group_low = _from_stat(duck_type, low_text)
                group_high = _from_stat(duck_type, high_text)
                low = group_low if low is None else min(low, group_low)
                high = group_high if high is None else max(high, group_high)
        except (ValueError, KeyError, TypeError):
            exact, low, high = False, None, None
        facts[name] = _Facts(duck_type, nulls, low, high, exact, bound)
    return facts


def _estimates(con, source: str, names: list[str]) -> dict[str, tuple[int, bool]]:
    """(estimated distinct count, looks unique) per column, from one hash sample: looks unique
    when the sample has values and none of them twice."""
    threshold = f"{(1 << 64) >> SAMPLE_SHIFT}::UBIGINT"
    parts = []
    for name in names:
        col = quote_ident(name)
        where = f"FILTER (WHERE hash({col}) < {threshold} AND {col} IS NOT NULL)"
        parts += [f"count(*) {where}", f"count(DISTINCT {col}) {where}"]
    row = con.execute(f"SELECT {', '.join(parts)} FROM {source}").fetchone()
    return {
        name: (int(row[2 * i + 1]) << SAMPLE_SHIFT, 0 < row[2 * i] == row[2 * i + 1])
        for i, name in enumerate(names)
    }


def table_stats(con, path: str, decisions: list[ColumnDecision], row_count: int) -> dict:
    """nulls, distinct, distinct_approx, min, max, top-5, unique per column.

    Up to EXACT_STATS_ROWS rows: one GROUP BY per column gives everything, exactly.
    Above: nulls/min/max from the Parquet footer (computed for a column whose statistics are
    missing or inexact); an exact GROUP BY (distinct, top 5) for booleans and for columns whose
    row groups' dictionary sizes add up to at most TOP_MAX_DISTINCT; the other columns'
    distinct counts are estimated from a hash sample (one scan for all), then a column that
    looks unique gets an exact count(DISTINCT) (so a key column is reported unique exactly),
    a column with few distinct values an exact GROUP BY, and the rest keep the estimate
    (distinct_approx: true, no top values).
    """
    if not decisions:
        return {}
    source = f"read_parquet({sql_literal(path)})"
    if row_count <= EXACT_STATS_ROWS:
        return {
            d.name: _entry(row_count, *_grouped_stats(con, source, quote_ident(d.name)), True)
            for d in decisions
        }
    names = [d.name for d in decisions]
    facts = parquet_facts(con, path)
    missing = _Facts("", None, None, None, False, None)
    facts = {name: facts.get(name, missing) for name in names}
    present: dict[str, int] = {}
    ranges: dict[str, tuple] = {}
    unknown = [n for n in names if facts[n].nulls is None or not facts[n].range_exact]
    if unknown:  # statistics missing or inexact (e.g. long strings): one scan for those
        parts = []
        for name in unknown:
            col = quote_ident(name)
            parts += [f"count({col})", f"min({col})", f"max({col})"]
        row = con.execute(f"SELECT {', '.join(parts)} FROM {source}").fetchone()
        for i, name in enumerate(unknown):
            present[name] = int(row[3 * i])
            ranges[name] = (row[3 * i + 1], row[3 * i + 2])
    for name in names:
        if name not in present:
            present[name] = row_count - facts[name].nulls
            ranges[name] = (facts[name].low, facts[name].high)
    stats: dict[str, dict] = {}

    def grouped(name: str) -> None:
        stats[name] = _entry(row_count, *_grouped_stats(con, source, quote_ident(name)), True)

    estimate = []
    for name in names:
        bound = facts[name].distinct_bound
        if present[name] == 0:
            stats[name] = _entry(row_count, 0, 0, None, None, [], True)
        elif facts[name].type == "BOOLEAN" or (
            # dictionary-encoded row groups with few values each: cheap to group exactly
            bound is not None and bound <= min(TOP_MAX_DISTINCT, present[name] // 2)
        ):
            grouped(name)
        else:
            estimate.append(name)
    estimates = _estimates(con, source, estimate) if estimate else {}
    for name, (distinct, looks_unique) in estimates.items():
        low, high = ranges[name]
        if looks_unique:  # count exactly
            col = quote_ident(name)
            exact = int(con.execute(f"SELECT count(DISTINCT {col}) FROM {source}").fetchone()[0])
            stats[name] = _entry(row_count, present[name], exact, low, high, [], True)
        elif distinct <= TOP_MAX_ESTIMATE:
            grouped(name)
        else:  # a repeated value was seen, so it is not unique
            distinct = min(distinct, present[name] - 1)
            stats[name] = _entry(row_count, present[name], distinct, low, high, [], False)
    return {name: stats[name] for name in names}


def _field(d: ColumnDecision, original: str | None) -> dict:
    field = {
        "name": d.name,
        "type": d.frictionless_type,
        "format": "default",
        "hiraku:inferred": {
            "type": d.kind,
            "overridden": d.overridden,
            "reason": f"{d.reason_ja} / {d.reason_en}",
        },
        "hiraku:original_header": original if original is not None else d.name,
    }
    if d.kind == "date_us":
        field["format"] = "%m/%d/%Y"
    if d.role:
        field["hiraku:role"] = d.role
    if d.lost_values:
        field["hiraku:inferred"]["lost_values"] = d.lost_values
        field["hiraku:inferred"]["first_lost_row"] = d.first_lost_row
    return field


def table_schema(loaded: LoadedTable, decisions: list[ColumnDecision]) -> dict:
    fields = [_field(d, loaded.original_headers.get(d.name)) for d in decisions]
    typed = any(d.kind not in ("string",) for d in decisions)
    missing = [""] + sorted(m for m in MISSING_MARKERS if m) if typed else [""]
    return {"fields": fields, "missingValues": missing}
