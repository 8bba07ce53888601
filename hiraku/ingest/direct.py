"""Type a CSV and write its Parquet in ONE streaming pass over read_csv (no VARCHAR table).

    decisions = write_direct(con, "raw_1", columns, write=write)   # None: use decide.py instead

`raw_1` is a VIEW over read_csv (blank rows and the notes block already filtered out). The
sample (infer.plan_candidates) rules candidates out as in decide.py; every column that keeps a
candidate is written converted with a guard that makes the COPY itself the full-pass check:

    CASE WHEN hk_integer("人口") IS NOT NULL OR "人口" IS NULL THEN hk_integer("人口")
         WHEN hk_clean("人口") IS NULL OR hk_missing(hk_clean("人口")) THEN NULL   -- blank/marker
         ELSE error('hk-direct-fail …') END                                       -- a real failure

so a finished COPY proves every present cell converted; one aggregate over the Parquet then
gives the counts (and coordinate ranges) settle() needs. Any failure, any column that would
need its next candidate, or staff type overrides: returns None and the caller materialises the
VARCHAR table and runs decide.convert_columns, which handles every case (slower, never wrong).
"""

from collections.abc import Callable

from .duck import quote_ident, sql_literal
from .infer import SAMPLE_ROWS, ColumnDecision, plan_candidates, settle, text_decision
from .sql_values import CONVERTERS

FAIL_MARK = "hk-direct-fail"


def _guarded(name: str, kind: str | None) -> str:
    col = quote_ident(name)
    converter = CONVERTERS.get(kind or "")
    if not converter:
        return f"{col} AS {col}"
    conv = f"{converter}({col})"
    clean = f"hk_clean({col})"
    return (
        f"CASE WHEN {conv} IS NOT NULL OR {col} IS NULL THEN {conv} "
        f"WHEN {clean} IS NULL OR hk_missing({clean}) THEN NULL "
        f"ELSE error({sql_literal(FAIL_MARK + ' ')} || {col}) END AS {col}"
    )


def is_direct_failure(error: Exception) -> bool:
    return FAIL_MARK in str(error)


def write_direct(
    con,
    view: str,
    columns: list[str],
    *,
    write: Callable[[str], str],
) -> list[ColumnDecision] | None:
    """Decisions when the sample's first candidates hold on every row, else None.

    write(select) COPYs `select` to the table's Parquet and returns a SQL source reading it
    back; it raises what the COPY raised (is_direct_failure tells a failed guard apart).
    """
    head = con.execute(f"SELECT * FROM {view} LIMIT {SAMPLE_ROWS}").fetchall()
    plans, failures, decided = {}, {}, {}
    for index, name in enumerate(columns):
        sample = [(number, row[index]) for number, row in enumerate(head, start=1)]
        plans[name], failures[name] = plan_candidates(name, sample, None)
        if not plans[name]:
            decided[name] = text_decision(name, failures[name])
    guessed = {n: (plans[n][0] if n not in decided else None) for n in columns}
    select = f"SELECT {', '.join(_guarded(n, k) for n, k in guessed.items())} FROM {view}"
    try:
        written = write(select)
    except Exception as error:
        if is_direct_failure(error):
            return None
        raise
    typed = [n for n in columns if guessed[n]]
    if typed:
        parts = []
        for name in typed:
            col = quote_ident(name)
            ranged = guessed[name] == "coordinate"
            parts += [f"count({col})"]
            parts += [f"min({col})" if ranged else "NULL", f"max({col})" if ranged else "NULL"]
        row = con.execute(f"SELECT {', '.join(parts)} FROM {written}").fetchone()
        for i, name in enumerate(typed):
            counts = (0, *row[3 * i : 3 * i + 3])
            args = (con, view, name, guessed[name], counts, {}, decided)
            if not settle(*args, failures, plans):
                return None  # needs its next candidate: the full decide.py path
    decisions = [decided[name] for name in columns]
    final = {d.name: d.kind if d.converter else None for d in decisions}
    return decisions if final == guessed else None
