"""datastore_search_sql: one read-only SELECT over public, released tables, nothing else.

Layers, each enough on its own for the common attacks:
1. DuckDB's own parser: exactly one statement, of type SELECT (no COPY, ATTACH, SET, PRAGMA,
   INSTALL, LOAD, CALL, EXPLAIN, CREATE ...).
2. A token check: no file-reading or catalog-inspecting functions (read_csv, glob, query(),
   duckdb_settings() ...), whatever the quoting.
3. A fresh in-memory connection per query whose only tables are views over the Parquet files
   of the referenced public resources; then external access off, only those files allowed,
   no extensions, configuration locked, memory and threads limited.
4. A time limit (conn.interrupt() from a timer) and a row cap.
"""

import logging
import re
import threading
from pathlib import Path
from typing import Any

import duckdb

from hiraku.catalog.errors import ValidationFailed, bilingual
from hiraku.conf import setting

from . import engine
from .access import public_tables
from .search import jsonable

logger = logging.getLogger("hiraku.datastore.sandbox")

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# Function and keyword names refused anywhere in the query (case-insensitive, quoted or not).
_FORBIDDEN = re.compile(
    r"^(read_\w*|parquet_\w*|glob|duckdb_\w*|pragma\w*|query|query_table|sniff_csv|"
    r"iceberg_\w*|delta_\w*|sqlite_\w*|postgres_\w*|mysql_\w*|current_setting|getenv|"
    r"getvariable|which_secret|checkpoint|force_checkpoint|install|load|attach|detach|copy|"
    r"export|import|set|reset|call|pragma|checkpoint|vacuum|create|insert|update|delete|drop|"
    r"alter|write_\w*|text_file|csv_\w*|json_\w*file\w*|"
    r"icu_\w*|test_\w*|enable_\w*|disable_\w*|repeat_row)$",
    re.I,
)
MEMORY_LIMIT = "1GB"


class SandboxRefused(ValidationFailed):
    pass


def _refuse(user, sql: str, ja: str, en: str) -> SandboxRefused:
    logger.warning(
        "refused sql from %s: %s (%s)",
        getattr(user, "username", None) or "anonymous",
        sql[:2000],
        en,
    )
    msg = bilingual(ja, en)
    return SandboxRefused(msg, {"sql": [msg]})


def _tokens(sql: str) -> list[tuple[str, str]]:
    """[(text, kind)] from DuckDB's tokenizer; kind is identifier/keyword/string_const/..."""
    raw = duckdb.tokenize(sql)
    data = sql.encode("utf-8")  # token positions are byte offsets
    out = []
    for i, (start, kind) in enumerate(raw):
        end = raw[i + 1][0] if i + 1 < len(raw) else len(data)
        out.append((data[start:end].decode("utf-8", "replace").strip(), kind.name))
    return out


def _table_refs(tokens: list[tuple[str, str]]) -> set[str]:
    refs = set()
    for text, kind in tokens:
        if kind == "identifier":
            name = text[1:-1].replace('""', '"') if text.startswith('"') else text
            resource_id = name.split(":", 1)[0]
            if _UUID.match(resource_id):
                refs.add(name)
    return refs


def _check_tokens(user, sql: str, tokens) -> None:
    previous = ""
    for text, kind in tokens:
        if kind == "string_const" and previous in ("from", "join", ","):
            # FROM '/path/file.csv' is a replacement scan: a file or URL read in disguise
            raise _refuse(
                user,
                sql,
                "FROM に文字列(ファイル名・URL)は使えません",
                "A string (file or URL) cannot be used as a table",
            )
        if kind != "comment":
            previous = text.lower()
        if kind in ("string_const", "numeric_const", "comment"):
            continue
        bare = text[1:-1] if text.startswith('"') and text.endswith('"') else text
        if _FORBIDDEN.match(bare):
            raise _refuse(
                user,
                sql,
                f"「{bare}」は SQL API では使えません",
                f"'{bare}' is not allowed in the SQL API",
            )


def _connect(views: dict[str, Path]) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(":memory:", config=engine.DUCKDB_CONFIG)
    for name, path in views.items():
        conn.execute(
            f"CREATE VIEW {engine.quote_identifier(name)} AS SELECT * FROM read_parquet({engine.sql_string(str(path))})"
        )
    allowed = ", ".join(engine.sql_string(str(p)) for p in views.values())
    conn.execute(f"SET allowed_paths = [{allowed}]")
    conn.execute("SET temp_directory = ''")
    conn.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    conn.execute("SET threads = 1")
    conn.execute("SET enable_external_access = false")
    conn.execute("SET lock_configuration = true")
    return conn


def search_sql(*, user, sql: str) -> dict[str, Any]:
    """Run one SELECT; result {sql, fields, records[, records_truncated]} like CKAN's."""
    sql = (sql or "").strip()
    if not sql:
        msg = bilingual("sql を指定してください", "sql is required")
        raise ValidationFailed(msg, {"sql": [msg]})
    try:
        statements = duckdb.extract_statements(sql)
        tokens = _tokens(sql)
    except duckdb.Error as exc:
        raise _refuse(
            user, sql, f"SQL を解釈できません: {exc}", f"Cannot parse the SQL: {exc}"
        ) from None
    if len(statements) != 1:
        raise _refuse(
            user, sql, "SQL は 1 文だけにしてください", "Exactly one SQL statement is allowed"
        )
    if statements[0].type != duckdb.StatementType.SELECT:
        raise _refuse(
            user,
            sql,
            "SELECT 文だけが使えます(読み取り専用)",
            "Only a SELECT statement is allowed (read-only)",
        )
    _check_tokens(user, sql, tokens)

    views: dict[str, Path] = {}
    for ref in sorted(_table_refs(tokens)):
        resource_id, _, table_name = ref.partition(":")
        tables = public_tables(resource_id)
        match = [t for t in tables if not table_name or t.name == table_name][:1]
        if not match:
            raise _refuse(
                user,
                sql,
                f"表「{ref}」は公開されていないか、ありません",
                f"Table '{ref}' does not exist or is not public",
            )
        views[ref] = engine.parquet_path(match[0])

    cap = int(setting("SQL_ROW_CAP"))
    body = statements[0].query.strip().rstrip(";")
    wrapped = f"SELECT * FROM (\n{body}\n) AS hiraku_sandbox LIMIT {cap + 1}"
    conn = _connect(views)
    timer = threading.Timer(int(setting("SQL_TIME_LIMIT_MS")) / 1000, conn.interrupt)
    timer.start()
    try:
        cursor = conn.execute(wrapped)
        names = [d[0] for d in cursor.description]
        types = [str(d[1]) for d in cursor.description]
        rows = cursor.fetchall()
    except duckdb.InterruptException:
        raise _refuse(
            user,
            sql,
            f"時間制限 ({setting('SQL_TIME_LIMIT_MS')} ms) を超えたため中止しました",
            f"Stopped: the query ran longer than {setting('SQL_TIME_LIMIT_MS')} ms",
        ) from None
    except duckdb.PermissionException:
        raise _refuse(user, sql, "許可されていない操作です", "Operation not permitted") from None
    except duckdb.Error as exc:
        text = str(exc).split("\n")[0]
        raise ValidationFailed(
            bilingual(f"SQL エラー: {text}", f"SQL error: {text}"), {"sql": [text]}
        ) from None
    finally:
        timer.cancel()
        conn.close()
    result: dict[str, Any] = {
        "sql": sql,
        "fields": [
            {"id": n, "type": engine.ckan_type(t)} for n, t in zip(names, types, strict=True)
        ],
        "records": [
            {n: jsonable(v) for n, v in zip(names, row, strict=True)} for row in rows[:cap]
        ],
    }
    if len(rows) > cap:
        result["records_truncated"] = True
    return result
