"""Big delimited files: load once into DuckDB (all text), hand the detectors an even sample, then
count every finding exactly over the whole table with one SQL pass of the detectors' patterns."""

import duckdb

from .detectors import get_detector
from .scan import TableScan, column_values, findings_from_sample


def _literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return "'" + str(value).replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def scan_delimited(
    name: str, columns: list[str], utf8_path: str, options: dict, *, sample_limit: int
) -> TableScan:
    con = duckdb.connect()
    try:
        opts = ", ".join(f"{key} = {_literal(value)}" for key, value in options.items())
        con.execute(
            f"CREATE TEMP TABLE scanned AS SELECT * FROM read_csv({_literal(utf8_path)}, {opts})"
        )
        names = [row[0] for row in con.execute("DESCRIBE scanned").fetchall()]
        total = con.execute("SELECT count(*) FROM scanned").fetchone()[0]
        sample = con.execute(
            f"SELECT * FROM scanned USING SAMPLE reservoir({int(sample_limit)} ROWS) REPEATABLE (7)"
        ).fetchall()
        columns = names if len(names) != len(columns) else columns
        scale = total / len(sample) if sample else 1.0
        findings = findings_from_sample(columns, column_values(columns, sample), scale=scale)
        by_name = dict(zip(columns, names, strict=True))
        exact = [
            (finding, expr)
            for finding in findings
            if (expr := get_detector(finding.kind).count_sql(quote_identifier(by_name[finding.column])))
        ]
        if exact:
            select = ", ".join(f"count_if({expr})" for _, expr in exact)
            counts = con.execute(f"SELECT {select} FROM scanned").fetchone()
            for (finding, _), count in zip(exact, counts, strict=True):
                finding.count, finding.estimated = int(count), False
        return TableScan(name, columns, total, len(sample), findings)
    finally:
        con.close()
