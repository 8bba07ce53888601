"""Ingest benchmark: Hiraku's whole ingest vs DuckDB's own CSV->Parquet vs PostgreSQL COPY.

    .venv/bin/python bench/ingest.py [--rows 1000000] [--keep DIR] [--repeat 2]

Generates a municipal-style CSV (13 columns: codes, Japanese text, coordinates, dates with
some 和暦, numbers with separators, flags, times) in UTF-8 and CP932 in a temporary folder
(never committed), then in one run measures:
  - duckdb:   COPY (SELECT * FROM read_csv(utf8)) TO parquet  (the floor: no typing rules)
  - hiraku:   ingest_version() of the UTF-8 and the CP932 upload (detect, transcode, layout,
              full-pass typing, Parquet, stats, DataTable rows), each in a fresh subprocess
              so its peak RSS (ru_maxrss) is its own
  - postgres: COPY into an all-text table + one index (CKAN xloader's path), 127.0.0.1 db test
DuckDB and the two Hiraku ingests run in interleaved rounds (--repeat), a DuckDB run right
before each Hiraku run; each figure is the best of its runs, peak RSS the largest, and each
Hiraku run is also divided by the DuckDB run just before it (median of those paired ratios,
wall and CPU seconds). Prints a Markdown table for bench/RESULTS.md.
"""

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEADER = [
    "全国地方公共団体コード",
    "施設名",
    "住所",
    "郵便番号",
    "電話番号",
    "緯度",
    "経度",
    "開設日",
    "定員",
    "面積",
    "バリアフリー",
    "開館時刻",
    "備考",
]
WARDS = ["中央", "北", "南", "東", "西", "本町", "栄町", "城東", "一箕", "河東"]
KINDS = ["公民館", "小学校", "集会所", "体育館", "図書館", "公園", "保育所", "避難所"]
NOTES = [
    "",
    "",
    "駐車場あり",
    "土日休館",
    "※改修工事中（令和6年3月まで）",
    "車椅子対応, 多目的トイレ",
]


def _row(i: int, rng: random.Random) -> list[str]:
    year, month, day = rng.randint(1990, 2024), rng.randint(1, 12), rng.randint(1, 28)
    roll = rng.random()
    if roll < 0.05 and year >= 2020:
        opened = f"令和{year - 2018}年{month}月{day}日"
    elif roll < 0.10 and 1990 <= year <= 2018:
        opened = f"H{year - 1988}.{month}.{day}"
    else:
        opened = f"{year:04d}-{month:02d}-{day:02d}"
    capacity = rng.randint(10, 20000)
    return [
        f"07{rng.randint(0, 9999):04d}",
        f"{rng.choice(WARDS)}{rng.choice(KINDS)}{i % 997}",
        f"福島県会津若松市{rng.choice(WARDS)}町{rng.randint(1, 30)}-{rng.randint(1, 99)}",
        f"965-{rng.randint(0, 9999):04d}",
        f"0242-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
        f"{37.3 + rng.random() * 0.4:.6f}",
        f"{139.7 + rng.random() * 0.4:.6f}",
        opened,
        f"{capacity:,}" if rng.random() < 0.3 else str(capacity),
        f"{rng.random() * 5000:.2f}",
        rng.choice(["○", "×"]),
        f"{rng.randint(6, 10)}:{rng.choice(['00', '30'])}",
        rng.choice(NOTES),
    ]


def generate(folder: Path, rows: int) -> tuple[Path, Path]:
    import csv

    utf8, sjis = folder / "facilities_utf8.csv", folder / "facilities_cp932.csv"
    rng = random.Random(42)
    with open(utf8, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        for i in range(rows):
            writer.writerow(_row(i, rng))
    with (
        open(utf8, encoding="utf-8", newline="") as src,
        open(sjis, "w", encoding="cp932", newline="") as dst,
    ):
        while chunk := src.read(8 << 20):
            dst.write(chunk)
    return utf8, sjis


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bench_duckdb(utf8: Path, folder: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of DuckDB's own CSV -> Parquet."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 2")
    started, cpu = time.perf_counter(), _cpu_seconds()
    con.execute(
        f"COPY (SELECT * FROM read_csv('{utf8}')) TO '{folder / 'duck.parquet'}' "
        "(FORMAT parquet, COMPRESSION zstd)"
    )
    return time.perf_counter() - started, _cpu_seconds() - cpu


def bench_postgres(utf8: Path) -> float | str:
    try:
        import psycopg
    except ImportError:
        return "psycopg missing"
    table = f"bench_ingest_{uuid.uuid4().hex[:10]}"
    columns = ", ".join(f'"{name}" text' for name in HEADER)
    try:
        conn = psycopg.connect(
            "host=127.0.0.1 port=5432 dbname=test user=postgres", autocommit=True
        )
    except Exception as error:  # noqa: BLE001 - report, do not crash the benchmark
        return f"unreachable: {error}"[:80]
    try:
        started = time.perf_counter()
        conn.execute(f"CREATE TABLE {table} (_id serial, {columns})")
        names = ", ".join(f'"{name}"' for name in HEADER)
        with conn.cursor() as cur, open(utf8, "rb") as src:
            with cur.copy(
                f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy:
                while chunk := src.read(8 << 20):
                    copy.write(chunk)
        conn.execute(f'CREATE INDEX ON {table} ("全国地方公共団体コード")')
        return time.perf_counter() - started
    finally:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.close()


def bench_hiraku(path: Path, folder: Path) -> dict:
    """Run `worker` in a fresh interpreter (own database, own datastore, own peak RSS)."""
    data_dir = folder / f"hiraku_{path.stem}_{uuid.uuid4().hex[:8]}"  # fresh per run
    env = {**os.environ, "HIRAKU_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    for name in ("DATABASE_URL", "HIRAKU_REDIS_URL", "HIRAKU_DATASTORE_DIR"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, __file__, "worker", str(path)],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    shutil.rmtree(data_dir, ignore_errors=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-4000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def worker(path: str) -> None:
    """Inside the subprocess: set up a catalog, add the upload as a version, time the ingest."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiraku.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.files import File
    from django.core.management import call_command

    from hiraku.catalog import actions
    from hiraku.catalog.models import Organization
    from hiraku.ingest.pipeline import ingest_version
    from hiraku.ingest.receivers import queue_paused

    call_command("migrate", interactive=False, verbosity=0)
    admin = User.objects.create_superuser("bench", "b@example.jp", "pw-bench-12345")
    Organization.objects.create(name="city", title="市")
    dataset = actions.dataset_create(
        actor=admin, data={"name": "bench", "title": "Bench", "owner_org": "city"}
    )
    with open(path, "rb") as handle, queue_paused():
        res = actions.resource_create(
            actor=admin, dataset=dataset, data={"name": "r"}, upload=File(handle, Path(path).name)
        )
    res.refresh_from_db()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), _cpu_seconds()
    job = ingest_version(res.current_version_id)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu
    table = job.tables.first()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "state": job.state,
                "message": job.message,
                "rows": table.row_count if table else 0,
                "types": {f["name"]: f["type"] for f in table.table_schema["fields"]}
                if table
                else {},
                "phases": job.report.get("seconds"),
                "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "rss_before_mib": rss_before / 1024,
            },
            ensure_ascii=False,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", help="write the files here instead of a temporary folder")
    parser.add_argument("--repeat", type=int, default=2, help="interleaved rounds (best of)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hiraku-bench-ingest-") as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        utf8, sjis = generate(folder, args.rows)
        size = utf8.stat().st_size / 1024**2
        print(
            f"generated {args.rows:,} rows, {size:.0f} MiB in {time.perf_counter() - started:.1f}s"
        )
        # Interleaved rounds, best of each: the machine is shared, so DuckDB and Hiraku take
        # turns and each gets the same chance of a quiet moment.
        # Each Hiraku run is also paired with the DuckDB run just before it: the median of those
        # paired ratios is the figure least moved by a noisy neighbour (the best-of ratio below
        # compares Hiraku's best of N runs with DuckDB's best of 2N).
        ducks, runs = [], {"utf8": [], "cp932": []}
        paired = {"utf8": [], "cp932": []}
        for _ in range(args.repeat):
            for label, path in (("utf8", utf8), ("cp932", sjis)):
                duck_wall, duck_cpu = bench_duckdb(utf8, folder)
                ducks.append(duck_wall)
                result = bench_hiraku(path, folder)
                runs[label].append(result)
                paired[label].append(
                    (result["seconds"] / duck_wall, result["cpu_seconds"] / duck_cpu)
                )
        duck = min(ducks)
        hiraku_utf8, hiraku_sjis = (
            {
                **min(results, key=lambda r: r["seconds"]),
                "all_seconds": [round(r["seconds"], 2) for r in results],
                "peak_rss_mib": max(r["peak_rss_mib"] for r in results),
            }
            for results in (runs["utf8"], runs["cp932"])
        )
        print(f"DuckDB COPY runs: {[round(d, 2) for d in ducks]}")
        postgres = bench_postgres(utf8)
        print(json.dumps({"utf8": hiraku_utf8, "cp932": hiraku_sjis}, ensure_ascii=False, indent=1))
        pg = f"{postgres:.2f}" if isinstance(postgres, float) else postgres
        print(
            "\n| measurement | seconds | ratio to DuckDB's best | median paired ratio "
            "(wall / CPU) | peak RSS |"
        )
        print("|---|---|---|---|---|")
        print(f"| DuckDB COPY read_csv -> parquet (UTF-8) | {duck:.2f} | 1.00 | - | - |")
        for label, key, result in (
            ("UTF-8", "utf8", hiraku_utf8),
            ("CP932", "cp932", hiraku_sjis),
        ):
            walls = sorted(p[0] for p in paired[key])
            cpus = sorted(p[1] for p in paired[key])
            print(
                f"| Hiraku ingest ({label}, {result['state']}, {result['rows']:,} rows) | "
                f"{result['seconds']:.2f} | {result['seconds'] / duck:.2f} | "
                f"{statistics.median(walls):.2f} / {statistics.median(cpus):.2f} "
                f"(wall {', '.join(f'{w:.2f}' for w in walls)}) | "
                f"{result['peak_rss_mib']:.0f} MiB |"
            )
        ratio = f"{postgres / duck:.2f}" if isinstance(postgres, float) else "-"
        print(f"| PostgreSQL COPY + index (xloader path) | {pg} | {ratio} | - | - |")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "worker":
        worker(sys.argv[2])
    else:
        main()
