"""DuckDB connections for ingestion: bounded memory, no network, no extensions.

Every ingest opens its own in-memory connection. Memory is capped and DuckDB spills to a
temporary directory inside the job's scratch folder, so a 1 GiB CSV never needs 1 GiB of RAM.
"""

import os

import duckdb

# Cap for DuckDB's buffer manager. Peak RSS = this + Python + parquet writer buffers.
DEFAULT_MEMORY_LIMIT = os.environ.get("HIRAKU_INGEST_MEMORY_LIMIT", "512MB")
DEFAULT_THREADS = int(os.environ.get("HIRAKU_INGEST_THREADS", "2"))


def connect(
    *, temp_dir: str, memory_limit: str = DEFAULT_MEMORY_LIMIT
) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(
        ":memory:",
        config={
            # Extensions cannot be downloaded on a city's server (see shared pitfalls).
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "enable_external_access": True,
        },
    )
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET threads = {DEFAULT_THREADS}")
    con.execute("SET temp_directory = ?", [temp_dir])
    # Row order of a table is part of its meaning (a city's list is sorted on purpose).
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    return con


def quote_ident(name: str) -> str:
    """'名称"x' -> '"名称""x"' (DuckDB identifier quoting)."""
    return '"' + name.replace('"', '""') + '"'


def sql_literal(value) -> str:
    """Python value -> DuckDB literal, for read_csv options built from a dict.

    {"delim": "\\t", "names": ["a", "b"], "header": False} -> "'\\t'", "['a', 'b']", "false"
    """
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(sql_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{sql_literal(str(k))}: {sql_literal(v)}" for k, v in value.items())
            + "}"
        )
    return "'" + str(value).replace("'", "''") + "'"
