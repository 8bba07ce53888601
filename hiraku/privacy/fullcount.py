"""Big delimited files: a stratified sample read straight from byte offsets spread over the
file (no full pass), the detectors on that sample, then ONE DuckDB pass over the whole file that
counts every finding exactly with the detectors' patterns (and the rows).

    file  |==head==|....|==chunk==|....|==chunk==|....|==chunk==|   <- sample (~2,000 rows)
    DuckDB read_csv ─────────────────────────────────────────────>   <- count_if(...) per finding
"""

import csv
import os

import duckdb

from .detectors import get_detector
from .detectors.base import sql_normalized
from .scan import DETECT_VALUES, TableScan, column_values, findings_from_sample

CHUNKS = 20


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


def stratified_sample(path: str, options: dict, rows: int = DETECT_VALUES) -> list[list[str]]:
    """Rows read at CHUNKS evenly spread byte offsets (the first chunk right after the header).

    A chunk starts at the line after its offset; a line cut inside a quoted multi-line cell
    parses to the wrong width and is dropped, so no broken row reaches the detectors.
    """
    delimiter = options.get("delim", ",")
    width = len(options.get("names") or [])
    per_chunk = max(1, rows // CHUNKS)
    size = os.path.getsize(path)
    sample: list[list[str]] = []
    with open(path, "rb") as fh:
        for _ in range(int(options.get("skip", 0))):
            fh.readline()
        data_start = fh.tell()
        for k in range(CHUNKS):
            offset = data_start + (size - data_start) * k // CHUNKS
            fh.seek(offset)
            if k:
                fh.readline()  # finish the line the offset fell into
            lines = [fh.readline().decode("utf-8", errors="replace") for _ in range(per_chunk)]
            for row in csv.reader([line for line in lines if line], delimiter=delimiter):
                if not width or len(row) == width:
                    sample.append(row)
    return sample


def scan_delimited(
    name: str,
    columns: list[str],
    utf8_path: str,
    options: dict,
    *,
    sample_limit: int,
    select: str = "*",
    limit: int | None = None,
) -> TableScan:
    names = list(options.get("names") or columns)
    kept = [names.index(c) for c in columns if c in names] or list(range(len(names)))
    columns = [names[i] for i in kept]
    raw = stratified_sample(utf8_path, options, min(int(sample_limit), DETECT_VALUES))
    sample = [[row[i] if i < len(row) else "" for i in kept] for row in raw]

    con = duckdb.connect()
    try:
        opts = ", ".join(f"{key} = {_literal(value)}" for key, value in options.items())
        tail = f" LIMIT {int(limit)}" if limit is not None else ""
        # Risk needs the whole table's context, which the sample gives; counts need every row.
        findings = findings_from_sample(columns, column_values(columns, sample), scale=1.0)

        # Each column to count is normalised once (full-width → ASCII) in an inner SELECT,
        # or passed raw to detectors whose SQL pattern reads full-width forms itself.
        def wants_raw(finding) -> bool:
            return getattr(get_detector(finding.kind), "count_sql_raw", False)

        needed = sorted({(f.column, wants_raw(f)) for f in findings})
        alias = {key: f"c{i}" for i, key in enumerate(needed)}
        inner = (
            ", ".join(
                f"{quote_identifier(column) if raw else sql_normalized(quote_identifier(column))}"
                f" AS {alias[(column, raw)]}"
                for column, raw in needed
            )
            or "1 AS c"
        )
        source = (
            f"(SELECT {inner} FROM (SELECT {select} FROM "
            f"read_csv({_literal(utf8_path)}, {opts}){tail}))"
        )
        exact = [
            (finding, expr)
            for finding in findings
            if (
                expr := get_detector(finding.kind).count_sql(
                    alias[(finding.column, wants_raw(finding))]
                )
            )
        ]
        select_counts = ", ".join(["count(*)", *(f"count_if({expr})" for _, expr in exact)])
        counts = con.execute(f"SELECT {select_counts} FROM {source}").fetchone()
    finally:
        con.close()
    total = int(counts[0])
    scale = total / len(sample) if sample else 1.0
    exact_ids = {id(f) for f, _ in exact}
    for (finding, _), count in zip(exact, counts[1:], strict=True):
        finding.count, finding.estimated = int(count), False
    for finding in findings:
        if id(finding) not in exact_ids:  # names, free text: scaled from the sample
            finding.count, finding.estimated = round(finding.count * scale), True
    return TableScan(name, columns, total, len(sample), findings)
