"""Privacy scan speed vs ingest, on the same 1,000,000-row, 13-column municipal-style CSV.

    .venv/bin/python bench/privacy.py                 # 1,000,000 rows, prints a table
    .venv/bin/python bench/privacy.py --rows 200000   # quicker
    .venv/bin/python bench/privacy.py --record        # also append the figures to bench/RESULTS.md

Goal: the privacy scan of a version takes no longer than its ingest. Measured in one run on the
same file stored as a catalog version (in a throw-away data dir with its own SQLite database):
- Hiraku ingest: hiraku.ingest.pipeline.ingest_version (when the ingest engine is present),
- DuckDB baseline: COPY (SELECT * FROM read_csv(...)) TO parquet,
- privacy scan: hiraku.privacy.services.scan_version (what the worker runs per version).
The generator comes from bench/ingest.py (its `generate`, the same file the ingest bench uses)
when present, else generate_csv below (same 13-column shape).
"""

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 2
COLUMNS = [
    "番号", "施設名", "所在地", "緯度", "経度", "電話番号", "開設日", "区分",
    "延床面積", "定員", "利用者数", "備考", "更新日",
]  # fmt: skip
KINDS = ["公民館", "集会所", "図書館", "体育館", "保育所", "児童館", "公園", "消防団詰所"]
TOWNS = ["追手町", "栄町", "城東町", "一箕町大字八幡", "門田町大字御山", "河東町", "北会津町"]
ERAS = [("昭和", 1925), ("平成", 1988), ("令和", 2018)]


def generate_csv(path: str, rows: int, seed: int = 1) -> None:
    """Facility-register-like rows: Japanese text, coordinates, phones, 和暦 and ISO dates."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for i in range(1, rows + 1):
            kind = rng.choice(KINDS)
            town = rng.choice(TOWNS)
            year = rng.randrange(1960, 2025)
            if rng.random() < 0.3:
                era, start = next(e for e in reversed(ERAS) if year > e[1])
                opened = f"{era}{year - start}年{rng.randrange(1, 13)}月{rng.randrange(1, 29)}日"
            else:
                opened = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            writer.writerow(
                [
                    i,
                    f"{town}{kind}{i % 97}",
                    f"会津若松市{town}{rng.randrange(1, 9)}-{rng.randrange(1, 40)}",
                    f"{37.45 + rng.random() * 0.1:.6f}",
                    f"{139.88 + rng.random() * 0.1:.6f}",
                    f"0242-{rng.randrange(20, 99)}-{rng.randrange(10000):04d}",
                    opened,
                    kind,
                    f"{rng.random() * 3000:.2f}",
                    rng.randrange(10, 500),
                    rng.randrange(0, 100000),
                    ""
                    if rng.random() < 0.8
                    else "駐車場あり。詳細は市のホームページをご覧ください。",
                    f"2025-{rng.randrange(1, 13):02d}-01",
                ]
            )


def _generator():
    """bench/ingest.py's generator when it has one (same file for both benches), else ours.

    bench/ingest.py: generate(folder: Path, rows) -> (utf8_path, cp932_path).
    """
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import ingest as ingest_bench  # type: ignore[import-not-found]
    except Exception:
        ingest_bench = None
    shared = getattr(ingest_bench, "generate", None)
    if callable(shared):

        def generate_shared(path: str, rows: int) -> None:
            folder = Path(path).parent / "ingest-generator"
            folder.mkdir(exist_ok=True)
            utf8, cp932 = shared(folder, rows)
            os.replace(utf8, path)
            os.remove(cp932)

        return generate_shared, "bench/ingest.py:generate"
    return generate_csv, "bench/privacy.py:generate_csv"


def _setup_django(data_dir: str) -> None:
    os.environ["HIRAKU_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("HIRAKU_REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "hiraku.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="hiraku-bench-privacy-") as tmp:
        csv_path = os.path.join(tmp, "bench.csv")
        generate, source = _generator()
        gen_s, _ = _timed(lambda: generate(csv_path, args.rows))
        size_mb = os.path.getsize(csv_path) / 1e6
        _setup_django(os.path.join(tmp, "var"))

        import duckdb
        from django.contrib.auth.models import User
        from django.core.files import File

        from hiraku.catalog import actions
        from hiraku.catalog.models import Organization
        from hiraku.privacy.files import scan_file
        from hiraku.privacy.services import scan_version

        admin = User.objects.create_superuser("bench", "bench@example.jp", "bench-password-1")
        Organization.objects.create(name="bench", title="ベンチ")
        dataset = actions.dataset_create(
            actor=admin, data={"name": "bench", "title": "bench", "owner_org": "bench"}
        )
        with open(csv_path, "rb") as fh:
            resource = actions.resource_create(
                actor=admin,
                dataset=dataset,
                data={"name": "bench.csv"},
                upload=File(fh, "bench.csv"),
            )
        version = resource.current_version
        # Every measurement reads the same stored file (same page-cache state for all).
        csv_path = version.file.path

        parquet = os.path.join(tmp, "baseline.parquet")

        def duck_copy():
            duckdb.sql(
                f"COPY (SELECT * FROM read_csv('{csv_path}')) TO '{parquet}' (FORMAT parquet)"
            )

        ingest_s, ingest_note = None, "hiraku.ingest.pipeline not available"
        try:
            from hiraku.ingest.pipeline import ingest_version
        except ImportError:
            pass
        else:
            ingest_s, job = _timed(lambda: ingest_version(version.pk))
            ingest_note = f"job state {job.state}"
        # The machine is shared: run each measurement ROUNDS times, interleaved, keep the best.
        runs: dict[str, list[float]] = {"duck": [], "scan": [], "file": []}
        for _ in range(ROUNDS):
            runs["duck"].append(_timed(duck_copy)[0])
            seconds, scan = _timed(lambda: scan_version(version=version))
            runs["scan"].append(seconds)
            seconds, result = _timed(lambda: scan_file(csv_path))
            runs["file"].append(seconds)
        duck_s, scan_s, file_s = (min(runs[k]) for k in ("duck", "scan", "file"))

    findings = ", ".join(f"{f.column}:{f.kind}={f.count}({f.risk})" for _, f in result.findings())
    ingest_ok = ingest_s is not None and "done" in ingest_note
    runs = {k: [round(v, 2) for v in vals] for k, vals in runs.items()}
    lines = [
        f"rows {args.rows:,}, 13 columns, {size_mb:.0f} MB UTF-8 (generator: {source}, {gen_s:.1f} s)",
        f"DuckDB CSV→Parquet COPY:       {duck_s:6.2f} s (best of {runs['duck']})",
        f"Hiraku ingest (whole):         {ingest_s:6.2f} s ({ingest_note})"
        if ingest_s is not None
        else f"Hiraku ingest:                  n/a ({ingest_note})",
        f"privacy scan_version:          {scan_s:6.2f} s (best of {runs['scan']}; "
        f"state {scan.state}, risk {scan.highest_risk or '-'})",
        f"privacy scan_file only:        {file_s:6.2f} s (best of {runs['file']})",
        (
            f"scan / Hiraku ingest ratio:    {scan_s / ingest_s:6.2f} (goal ≤ 1.00)"
            if ingest_ok
            else "scan / Hiraku ingest ratio:    n/a (the ingest did not finish: see above)"
        ),
        f"scan / DuckDB COPY ratio:      {scan_s / duck_s:6.2f} (ingest's own goal is ≤ 1.5)",
        f"findings: {findings}",
    ]
    print("\n".join(lines))
    if args.record:
        results = ROOT / "bench" / "RESULTS.md"
        existing = results.read_text(encoding="utf-8") if results.exists() else "# Benchmarks\n"
        section = (
            f"\n## Privacy scan vs ingest ({time.strftime('%Y-%m-%d')}, 2 cores)\n\n"
            f"Command: `.venv/bin/python bench/privacy.py --rows {args.rows} --record`\n\n"
            + "\n".join(f"    {line}" for line in lines)
            + "\n"
        )
        results.write_text(existing.rstrip("\n") + "\n" + section, encoding="utf-8")


if __name__ == "__main__":
    main()
