"""DuckDB access for served tables: one shared in-memory database, one cursor per thread.

DuckDB reads the ingest pipeline's Parquet files directly (projection and filter pushdown), so
nothing is loaded up front. Two small caches keep pages fast on large tables: column lists per
Parquet file, and filtered row counts per (file, filter) so paging never recounts.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import duckdb

from hiraku.conf import setting
from hiraku.ingest.models import DataTable

# Extensions are never fetched at run time (see docs/datastore.md and shared pitfalls).
DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}

# DuckDB type name (prefix) -> the type name CKAN's datastore reports.
_CKAN_TYPES = [
    ("TINYINT", "int"),
    ("SMALLINT", "int"),
    ("INTEGER", "int"),
    ("BIGINT", "int"),
    ("HUGEINT", "int"),
    ("UTINYINT", "int"),
    ("USMALLINT", "int"),
    ("UINTEGER", "int"),
    ("UBIGINT", "int"),
    ("FLOAT", "numeric"),
    ("DOUBLE", "numeric"),
    ("DECIMAL", "numeric"),
    ("VARCHAR", "text"),
    ("DATE", "date"),
    ("TIMESTAMP", "timestamp"),
    ("TIME", "time"),
    ("BOOLEAN", "bool"),
    ("INTERVAL", "interval"),
]


def ckan_type(duckdb_type: str) -> str:
    upper = duckdb_type.upper()
    for prefix, name in _CKAN_TYPES:
        if upper == prefix or upper.startswith(prefix + "(") or upper.startswith(prefix + " "):
            return name
    return "text"


@dataclass(frozen=True)
class Column:
    name: str
    duckdb_type: str

    @property
    def ckan_type(self) -> str:
        return ckan_type(self.duckdb_type)


_database: duckdb.DuckDBPyConnection | None = None
_database_lock = threading.Lock()
_local = threading.local()


def _shared_database() -> duckdb.DuckDBPyConnection:
    global _database
    with _database_lock:
        if _database is None:
            _database = duckdb.connect(":memory:", config=DUCKDB_CONFIG)
        return _database


def cursor() -> duckdb.DuckDBPyConnection:
    """This thread's cursor on the shared database (cheap; DuckDB cursors are not thread-safe)."""
    cur = getattr(_local, "cursor", None)
    if cur is None:
        cur = _local.cursor = _shared_database().cursor()
    return cur


def new_cursor() -> duckdb.DuckDBPyConnection:
    """A cursor of its own, for a streamed download that outlives other queries in the thread."""
    return _shared_database().cursor()


def parquet_path(table: DataTable) -> Path:
    return Path(setting("DATASTORE_DIR")) / table.parquet_path


def sql_string(value: str) -> str:
    """A SQL string literal (DuckDB does not treat backslashes as escapes in '...')."""
    return "'" + value.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def scan(table: DataTable) -> str:
    """FROM-clause source for a table; file_row_number becomes CKAN's _id (1-based)."""
    return f"read_parquet({sql_string(str(parquet_path(table)))}, file_row_number=true)"


class _Lru(OrderedDict):
    def __init__(self, size: int):
        super().__init__()
        self.size = size
        self.lock = threading.Lock()

    def get_item(self, key):
        with self.lock:
            if key in self:
                self.move_to_end(key)
                return self[key]
        return None

    def put(self, key, value) -> None:
        with self.lock:
            self[key] = value
            self.move_to_end(key)
            while len(self) > self.size:
                self.popitem(last=False)


_columns_cache = _Lru(512)
_count_cache = _Lru(4096)


def columns(table: DataTable) -> list[Column]:
    """The Parquet file's columns in order; the file of a table never changes once written."""
    path = str(parquet_path(table))
    cached = _columns_cache.get_item(path)
    if cached is None:
        rows = (
            cursor().execute(f"DESCRIBE SELECT * FROM read_parquet({sql_string(path)})").fetchall()
        )
        cached = [Column(name=row[0], duckdb_type=row[1]) for row in rows]
        _columns_cache.put(path, cached)
    return cached


def cached_count(key: tuple, compute) -> int:
    value = _count_cache.get_item(key)
    if value is None:
        value = int(compute())
        _count_cache.put(key, value)
    return value
