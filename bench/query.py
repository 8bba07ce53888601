"""Data API benchmark: Hiraku's datastore_search against Datasette's table JSON, 1,000,000 rows.

    .venv/bin/python bench/query.py [--rows 1000000] [--requests 200]

1. Writes a 13-column table (Japanese text, coordinates, dates, timestamps, numbers) as Parquet
   into a fresh temporary HIRAKU_DATA_DIR and registers it as the served table of a public
   resource (ResourceVersion + IngestJob done + DataTable, the shape `hiraku ingest` leaves;
   generating the rows directly keeps the benchmark about querying, not ingesting).
2. Writes the same rows into SQLite for Datasette, with indexes on the filter and sort columns
   (one index per filtered or sorted column, the usual `sqlite-utils create-index` tuning; no
   composite index made for this one query), and runs Datasette with suggest_facets off (so it only runs the page
   query and the count, like us).
3. Starts `hiraku serve --no-worker` and `datasette` on loopback and times over HTTP, after a
   warm-up, the same request: one equality filter, a sort, 100 rows, and the total.
   Two mixes: "repeat" cycles 20 values of 施設種別 (indexed in SQLite) x 2 sorts, so after
   the warm-up Hiraku answers from its encoded-answer cache (access still checked on every
   request; hiraku/api/answer_cache.py); "unique" filters 定員 (not indexed) with a value not
   asked before on every request, so every filter, page and total is computed.
"""

import argparse
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import duckdb

VENV_BIN = Path(sys.executable).parent
KINDS = ["公園", "学校", "図書館", "病院", "避難所", "公民館", "保育所", "AED", "消防署", "駐車場",
         "体育館", "集会所", "郵便局", "交番", "児童館", "美術館", "博物館", "温泉", "墓地", "給水所"]  # fmt: skip
TOWNS = ["栄町", "追手町", "中央", "大町", "馬場町", "本町", "西栄町", "東栄町", "日新町", "城東町"]
SORTS = ["開設日", "面積"]

TABLE_SQL = """
SELECT i + 1 AS "番号",
  '施設' || (i % 9973) || '号館' AS "施設名",
  {kinds}[(i * 7 % 20) + 1] AS "施設種別",
  '福島県会津若松市' || {towns}[(i % 10) + 1] || (i % 50 + 1) || '番' AS "住所",
  {towns}[(i % 10) + 1] || (i % 20 + 1) || '丁目' AS "町名",
  37.4 + (i % 1000) / 10000.0 AS "緯度",
  139.9 + (i % 997) / 10000.0 AS "経度",
  DATE '1950-01-01' + CAST(i * 7919 % 27000 AS INTEGER) AS "開設日",
  TIMESTAMP '2020-01-01 00:00:00' + to_seconds(i * 37) AS "更新日時",
  round((i * 7901 % 10007) * 1.37, 2) AS "面積",
  CAST(i % 500 AS INTEGER) AS "定員",
  '0242-' || lpad(CAST(i % 100 AS VARCHAR), 2, '0') || '-' || lpad(CAST(i % 10000 AS VARCHAR), 4, '0') AS "電話番号",
  CASE WHEN i % 3 = 0 THEN 'バリアフリー対応' WHEN i % 3 = 1 THEN '駐車場あり' ELSE NULL END AS "備考"
FROM range({rows}) t(i)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_parquet(rows: int, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    sql = TABLE_SQL.format(kinds=json.dumps(KINDS, ensure_ascii=False).replace('"', "'"),
                           towns=json.dumps(TOWNS, ensure_ascii=False).replace('"', "'"), rows=rows)  # fmt: skip
    duckdb.connect().execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet)")


def write_sqlite(parquet: Path, path: Path) -> None:
    con = duckdb.connect()
    result = con.execute(f"SELECT * FROM read_parquet('{parquet}')")
    names = [d[0] for d in result.description]
    db = sqlite3.connect(path)
    columns = ", ".join(f'"{n}"' for n in names)
    db.execute(f"CREATE TABLE facilities ({columns})")
    insert = f"INSERT INTO facilities VALUES ({', '.join('?' * len(names))})"
    while batch := result.fetchmany(50_000):
        db.executemany(
            insert,
            [tuple(v.isoformat() if hasattr(v, "isoformat") else v for v in row) for row in batch],
        )
    for column in ("施設種別", "開設日", "面積"):
        db.execute(f'CREATE INDEX "facilities_{column}" ON facilities ("{column}")')
    db.commit()
    db.close()


def register_hiraku(relative: str, rows: int) -> str:
    """Catalog rows for a public dataset whose resource serves the Parquet; returns its id."""
    import django

    django.setup()
    from django.core.management import call_command

    from hiraku.catalog.models import Dataset, Organization, Resource, ResourceVersion
    from hiraku.ingest.models import DataTable, IngestJob, JobState

    call_command("migrate", interactive=False, verbosity=0)
    org = Organization.objects.create(name="bench", title="ベンチマーク課")
    dataset = Dataset.objects.create(name="facilities", title="施設一覧", organization=org)
    resource = Resource.objects.create(dataset=dataset, name="facilities.csv", format="CSV")
    version = ResourceVersion.objects.create(
        resource=resource, number=1, original_filename="facilities.csv"
    )
    try:  # the privacy release gate wants a finished scan before anyone may read the data
        from hiraku.privacy.models import PrivacyScan

        PrivacyScan.objects.create(version=version, state="clear")
    except ImportError:
        pass
    job = IngestJob.objects.create(version=version, state=JobState.DONE, progress=1.0)
    DataTable.objects.create(job=job, version=version, resource=resource, name="facilities.csv",
                             parquet_path=relative, row_count=rows)  # fmt: skip
    return str(resource.pk)


def start(cmd: list[str], env: dict, url: str, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return proc
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{url} answered {error.code}: {error.read()[:500]!r}") from None
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"server did not start: {' '.join(cmd)} (see {log})")


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read())


def timed(urls: list[str], warmup: list[str]) -> tuple[float, float, int]:
    """p50, p95 (ms) and the number of failed requests (e.g. Datasette's SQL time limit)."""
    for url in warmup:
        get_json(url)
    samples, failed = [], 0
    for url in urls:
        began = time.perf_counter()
        try:
            get_json(url)
        except urllib.error.HTTPError:
            failed += 1
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], failed


def urls_for(hiraku: str, datasette: str, resource_id: str, filters: list[tuple[str, str, str]]):
    ours, peer = [], []
    for column, value, sort in filters:
        ours.append(f"{hiraku}/api/3/action/datastore_search?" + urllib.parse.urlencode(
            {"resource_id": resource_id, "filters": json.dumps({column: value}, ensure_ascii=False),
             "sort": f"{sort} desc", "limit": 100, "include_total": "true"}))  # fmt: skip
        peer.append(f"{datasette}/bench/facilities.json?" + urllib.parse.urlencode(
            {f"{column}__exact": value, "_sort_desc": sort, "_size": 100, "_shape": "objects"}))  # fmt: skip
    return ours, peer


def check_same_answer(ours: str, peer: str) -> None:
    mine, theirs = get_json(ours)["result"], get_json(peer)
    assert mine["total"] == theirs["filtered_table_rows_count"], (
        mine["total"],
        theirs["filtered_table_rows_count"],
    )
    assert [r["番号"] for r in mine["records"]][:1] and len(mine["records"]) == len(
        theirs["rows"]
    ) == 100


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--peer-unique-requests",
        type=int,
        default=10,
        help="Datasette requests for the unique mix (each scans the table; tens of seconds on a busy machine)",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="datastore-query-bench-"))
    print(f"work dir: {work}")
    os.environ.update({"HIRAKU_DATA_DIR": str(work / "data"), "DJANGO_SETTINGS_MODULE": "hiraku.settings",
                       "HIRAKU_LOG_LEVEL": "WARNING"})  # fmt: skip
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("HIRAKU_DATASTORE_DIR", None)
    relative = "bench/facilities.parquet"
    began = time.perf_counter()
    write_parquet(args.rows, work / "data" / "datastore" / relative)
    print(f"parquet: {args.rows:,} rows in {time.perf_counter() - began:.1f} s")
    resource_id = register_hiraku(relative, args.rows)
    began = time.perf_counter()
    write_sqlite(work / "data" / "datastore" / relative, work / "bench.db")
    print(f"sqlite for datasette: {time.perf_counter() - began:.1f} s")

    env = dict(os.environ)
    hiraku_url = f"http://127.0.0.1:{free_port()}"
    datasette_url = f"http://127.0.0.1:{free_port()}"
    servers = [
        start([str(VENV_BIN / "hiraku"), "serve", "--no-worker", "--port", hiraku_url.rsplit(":", 1)[1]], env,
              f"{hiraku_url}/api/3/action/datastore_search?resource_id={resource_id}&limit=1", work / "hiraku.log"),
        start([str(VENV_BIN / "datasette"), str(work / "bench.db"), "-p", datasette_url.rsplit(":", 1)[1],
               "--setting", "suggest_facets", "off", "--setting", "sql_time_limit_ms", "20000"], env,
              f"{datasette_url}/bench/facilities.json?_size=1", work / "datasette.log"),
    ]  # fmt: skip
    try:
        repeat = [("施設種別", KINDS[i % 20], SORTS[i // 20 % 2]) for i in range(args.requests)]
        # 定員 has 500 values (2,000 rows each) and no SQLite index: every total is a real count.
        unique = [("定員", str(i * 7 % 500), SORTS[i % 2]) for i in range(args.requests)]
        mixes = {"repeat": repeat, "unique": unique}
        warm_ours, warm_peer = urls_for(hiraku_url, datasette_url, resource_id, repeat[:40])
        for url in warm_ours * 2:  # both gunicorn workers load the hot cache in the background
            get_json(url)
        time.sleep(5)
        check_same_answer(warm_ours[0], warm_peer[0])
        print(f"\n{args.rows:,} rows x 13 columns; {args.requests} sequential requests per mix;"
              " filter + sort desc + 100 rows + total")  # fmt: skip
        print(f"{'mix':<8} {'Hiraku p50/p95 ms':>20} {'Datasette p50/p95 ms':>22} {'speed-up':>9}")
        for label, filters in mixes.items():
            ours, peer = urls_for(hiraku_url, datasette_url, resource_id, filters)
            h50, h95, h_failed = timed(ours, warm_ours[:20])
            print(f"{label:<8} {h50:>9.1f} / {h95:<8.1f}", end="", flush=True)
            if label == "unique":
                peer = peer[: args.peer_unique_requests]
            d50, d95, d_failed = timed(peer, warm_peer[:20])
            failures = (
                f"  (failed: Hiraku {h_failed}, Datasette {d_failed})"
                if h_failed or d_failed
                else ""
            )
            print(
                f" {d50:>11.1f} / {d95:<8.1f} {d50 / h50:>8.1f}x  (Datasette n={len(peer)})"
                + failures,
                flush=True,
            )
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
