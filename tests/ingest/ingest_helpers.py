"""Reading back what an ingest wrote (imported by the ingest tests)."""

from pathlib import Path

import duckdb


def read_table(table) -> list[tuple]:
    from hiraku.conf import setting

    path = Path(setting("DATASTORE_DIR")) / table.parquet_path
    return duckdb.sql(f"SELECT * FROM read_parquet('{path}')").fetchall()


def field_types(table) -> dict[str, str]:
    return {f["name"]: f["type"] for f in table.table_schema["fields"]}
