"""Type every column of a VARCHAR table from full passes, and write the typed Parquet once.

    decisions, select, _ = convert_columns(con, "raw_1", columns, overrides, write=write)

The sample (infer.plan_candidates) only rules candidates OUT. Each remaining column is then
converted with its first candidate straight into the Parquet file (the write is speculative)
and checked on every row by comparing two counts:

    present   = count("人口")               over raw (cheap: no conversion)
    converted = count("人口")               over the Parquet just written (reads one column)

Equal counts prove every present cell converted. Where they differ, a converter-free scan
counts the cells that are blank or missing markers (which every converter turns into NULL);
only the rest are failures. A column with a real failure moves to its next candidate, checked
by an aggregate scan of raw (see _verify), and the Parquet is written again with the final
types. So the common case (the sample was right) reads the raw table once for the COPY and
once for the counts, and a file that turns to text near its end costs one extra COPY.
"""

from collections.abc import Callable

from .duck import quote_ident
from .infer import (
    SAMPLE_ROWS,
    ColumnDecision,
    override_decision,
    plan_candidates,
    settle,
    text_decision,
)
from .sql_values import CONVERTERS

VERIFY_BATCH = 64


def typed_select(table: str, kinds: dict[str, str | None]) -> str:
    """SELECT converting each typed column of raw on the fly (row order kept), for the COPY.

    {"人口": "integer", "名称": None} -> 'SELECT hk_integer("人口") AS "人口", "名称" AS "名称" FROM raw_1'
    """
    parts = []
    for name, kind in kinds.items():
        col = quote_ident(name)
        converter = CONVERTERS.get(kind or "")
        parts.append(f"{converter}({col}) AS {col}" if converter else f"{col} AS {col}")
    return f"SELECT {', '.join(parts)} FROM {table}"


def _failures(con, table: str, counts: dict[str, tuple]) -> dict:
    """(present, converted, min, max) per column -> (failures, converted, min, max).

    failures = present cells that are neither blank nor a missing marker - converted cells.
    The Unicode trim that tells blanks and markers apart runs only for columns whose present
    and converted counts differ.
    """
    unsure = [name for name, (present, converted, _, _) in counts.items() if present != converted]
    meaningful = {}
    if unsure:
        filters = [
            f"count(*) FILTER (WHERE hk_clean({quote_ident(n)}) IS NOT NULL "
            f"AND NOT hk_missing(hk_clean({quote_ident(n)})))"
            for n in unsure
        ]
        values = con.execute(f"SELECT {', '.join(filters)} FROM {table}").fetchone()
        meaningful = dict(zip(unsure, values, strict=True))
    return {
        name: (max(int(meaningful.get(name, present)) - int(converted), 0), converted, low, high)
        for name, (present, converted, low, high) in counts.items()
    }


def _verify(con, table: str, names: list[str], kinds: dict[str, str]) -> dict:
    """Per column: (failures, converted, min, max) from ONE aggregate scan of raw.

    The converter appears once per column (DuckDB shares identical aggregate inputs). A
    FILTER clause holding the converter was tried: DuckDB evaluates it again per aggregate,
    7x slower.
    """
    parts = []
    for name in names:
        col = quote_ident(name)
        conv = f"{CONVERTERS[kinds[name]]}({col})"
        ranged = kinds[name] == "coordinate"
        parts += [f"count({col})", f"count({conv})"]
        parts += [f"min({conv})" if ranged else "NULL", f"max({conv})" if ranged else "NULL"]
    row = con.execute(f"SELECT {', '.join(parts)} FROM {table}").fetchone()
    return _failures(con, table, {n: row[4 * i : 4 * i + 4] for i, n in enumerate(names)})


def _verify_written(con, table: str, written: str, kinds: dict[str, str]) -> dict:
    """The same facts as _verify, for columns already converted into the Parquet `written`."""
    names = list(kinds)
    present = con.execute(
        f"SELECT {', '.join(f'count({quote_ident(n)})' for n in names)} FROM {table}"
    ).fetchone()
    parts = []
    for name in names:
        col = quote_ident(name)
        ranged = kinds[name] == "coordinate"
        parts += [f"count({col})"]
        parts += [f"min({col})" if ranged else "NULL", f"max({col})" if ranged else "NULL"]
    row = con.execute(f"SELECT {', '.join(parts)} FROM {written}").fetchone()
    counts = {n: (present[i], *row[3 * i : 3 * i + 3]) for i, n in enumerate(names)}
    return _failures(con, table, counts)


def convert_columns(
    con,
    table: str,
    columns: list[str],
    overrides: dict[str, str] | None = None,
    *,
    write: Callable[[str], str] | None = None,
) -> tuple[list[ColumnDecision], str, list[str]]:
    """Decide every column's type from full passes; with `write`, also write the Parquet.

    write(select) must COPY the rows of `select` to the table's Parquet file and return a SQL
    source reading it back ("read_parquet('...')"); it is called once, or twice when a column
    the sample allowed turns out to need another type.
    -> (decisions, SELECT of the final typed rows, helper tables to drop afterwards: none)
    """
    overrides = overrides or {}
    head = con.execute(f"SELECT rowid, * FROM {table} LIMIT {SAMPLE_ROWS}").fetchall()
    plans, failures = {}, {}
    for index, name in enumerate(columns):
        sample = [(int(row[0]) + 1, row[index + 1]) for row in head]
        plans[name], failures[name] = plan_candidates(name, sample, overrides.get(name))
    decided: dict[str, ColumnDecision] = {}
    for name in columns:
        if overrides.get(name) == "string":
            decided[name] = override_decision(name, "string", None)
        elif not plans[name]:
            decided[name] = text_decision(name, failures[name])
    current = {n: plans[n][0] for n in columns if n not in decided}
    guessed = {n: current.get(n) for n in columns}
    checks = []
    if write is not None and current:
        written = write(typed_select(table, guessed))
        checks.append(_verify_written(con, table, written, current))
    while current:  # each round checks only the columns still being tried
        if not checks:
            pending = list(current)
            for start in range(0, len(pending), VERIFY_BATCH):
                batch = pending[start : start + VERIFY_BATCH]
                checks.append(_verify(con, table, batch, current))
        retry = []
        for results in checks:
            for name, counts in results.items():
                args = (con, table, name, current[name], counts, overrides, decided)
                if not settle(*args, failures, plans):
                    retry.append(name)
        checks = []
        current = {n: plans[n][0] for n in retry}
    decisions = [decided[name] for name in columns]
    final = {d.name: d.kind if d.converter else None for d in decisions}
    select = typed_select(table, final)
    if write is not None and (final != guessed or not any(guessed.values())):
        write(select)
    return decisions, select, []
