"""datastore_search_sql: one read-only SELECT over public, released tables; every escape refused."""

import logging

import pytest
from datastore_helpers import call, make_table

from hiraku.catalog.errors import ValidationFailed


def sql(user=None, text=""):
    return call("datastore_search_sql", user, sql=text)


def test_select_over_a_public_table(served):
    rid = served.resource.pk
    result = sql(
        text=f'SELECT "種別", count(*) AS n FROM "{rid}" GROUP BY 1 ORDER BY n DESC, 1 LIMIT 2'
    )
    assert result["records"] == [{"種別": "避難所", "n": 123}, {"種別": "公園", "n": 2}]
    assert result["fields"] == [{"id": "種別", "type": "text"}, {"id": "n", "type": "int"}]
    assert result["sql"].startswith("SELECT")
    assert "records_truncated" not in result


def test_joins_ctes_and_second_table(served):
    rid = served.resource.pk
    make_table(
        served.resource,
        sql="SELECT '公園' AS 種別, '緑' AS 色",
        name="色",
        position=1,
        job=served.table.job,
    )
    result = sql(
        text=f'WITH t AS (SELECT * FROM "{rid}") SELECT t."名称", c."色" FROM t JOIN "{rid}:色" c USING ("種別") ORDER BY 1'
    )
    assert [r["名称"] for r in result["records"]] == ["門田公園", "鶴ヶ城公園"]


def test_row_cap(served, settings):
    settings.HIRAKU = {**settings.HIRAKU, "SQL_ROW_CAP": 5}
    result = sql(text=f'SELECT * FROM "{served.resource.pk}"')
    assert len(result["records"]) == 5 and result["records_truncated"] is True


def test_time_limit(served, settings):
    settings.HIRAKU = {**settings.HIRAKU, "SQL_TIME_LIMIT_MS": 200}
    with pytest.raises(ValidationFailed) as err:
        sql(text="SELECT count(*) FROM range(100000000) a, range(100000000) b")
    assert "200 ms" in err.value.message


@pytest.mark.parametrize("which", ["private", "draft"])
def test_non_public_tables_are_refused_even_for_their_members(served, which):
    rid = getattr(served, which).pk
    with pytest.raises(ValidationFailed) as err:
        sql(served.catalog.sysadmin, f'SELECT * FROM "{rid}"')
    assert "not public" in err.value.message


def test_held_version_is_refused(served, release_gates):
    release_gates.append(lambda version: "審査中 / Under review")
    with pytest.raises(ValidationFailed):
        sql(served.catalog.sysadmin, f'SELECT * FROM "{served.resource.pk}"')


ATTACKS = [
    "SELECT 1; SELECT 2",
    "SELECT 1; DROP TABLE x",
    "COPY (SELECT 1) TO '/tmp/hiraku-pwned.csv'",
    "ATTACH '/tmp/x.duckdb' AS x",
    "INSTALL httpfs",
    "LOAD httpfs",
    "PRAGMA version",
    "SET enable_external_access = true",
    "RESET lock_configuration",
    "CALL pragma_version()",
    "EXPLAIN SELECT 1",
    "CREATE TABLE x AS SELECT 1",
    "CREATE MACRO m() AS 1",
    "EXPORT DATABASE '/tmp/hiraku-export'",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv_auto('/etc/passwd')",
    "SELECT * FROM READ_TEXT('/etc/passwd')",
    "SELECT * FROM \"read_text\"('/etc/passwd')",
    "SELECT * FROM read_blob('/etc/hostname')",
    "SELECT * FROM read_json('/etc/passwd')",
    "SELECT * FROM read_parquet('/etc/passwd')",
    "SELECT * FROM parquet_metadata('/etc/passwd')",
    "SELECT * FROM glob('/*')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM 'https://example.com/x.csv'",
    "SELECT * FROM sniff_csv('/etc/passwd')",
    "SELECT * FROM duckdb_settings()",
    "SELECT * FROM duckdb_extensions()",
    "SELECT * FROM query('SELECT * FROM read_text(''/etc/passwd'')')",
    "SELECT * FROM query_table('x')",
    "SELECT current_setting('allowed_paths')",
    "SELECT * FROM pragma_database_list",
    "SELECT getvariable('x')",
    "SELECT * FROM sqlite_scan('/tmp/x.db', 't')",
    'SELECT * FROM "00000000-0000-0000-0000-000000000000"',
    "/* comment */ SELECT * FROM read_text('/etc/passwd') -- x",
    "SELECT 1 UNION ALL SELECT * FROM read_text('/etc/passwd')",
    "WITH x AS (SELECT * FROM glob('/etc/*')) SELECT * FROM x",
    "",
    "SELEC 1",
]


def test_attacks_are_refused_with_a_bilingual_message_and_logged(served, caplog):
    """One test over the whole list (the catalog fixture is costly); failures name the attack."""
    caplog.set_level(logging.WARNING, logger="hiraku.datastore.sandbox")
    problems = []
    for attack in ATTACKS:
        caplog.clear()
        try:
            sql(served.catalog.outsider, attack)
        except ValidationFailed as err:
            if " / " not in err.message:
                problems.append(f"{attack!r}: message not bilingual")
            if "sql" not in err.errors:
                problems.append(f"{attack!r}: no error for the sql field")
            logged = any("outsider" in r.getMessage() for r in caplog.records)
            if attack.strip() and attack != "SELEC 1" and not logged:
                problems.append(f"{attack!r}: refusal not logged with the caller")
        else:
            problems.append(f"{attack!r}: was NOT refused")
    assert not problems, "\n".join(problems)
    assert not __import__("os").path.exists("/tmp/hiraku-pwned.csv")


def test_string_literals_that_look_like_functions_are_fine(served):
    result = sql(
        text=f"SELECT 'read_csv(/etc/passwd)' AS s, count(*) AS n FROM \"{served.resource.pk}\""
    )
    assert result["records"] == [{"s": "read_csv(/etc/passwd)", "n": 130}]


def test_external_access_is_off_even_if_a_check_is_bypassed(served):
    """The connection itself refuses files outside the allowed Parquet (defence in depth)."""
    from hiraku.datastore import engine, sandbox

    path = engine.parquet_path(served.table)
    conn = sandbox._connect({"t": path})
    try:
        assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 130
        for attack in (
            "SELECT * FROM read_text('/etc/passwd')",
            "SET enable_external_access = true",
            "SET lock_configuration = false",
        ):
            with pytest.raises(Exception):  # noqa: B017 (any DuckDB refusal)
                conn.execute(attack)
    finally:
        conn.close()
