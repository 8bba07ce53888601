"""Catalogue search benchmark: Hiraku's package_search and dataset page against Datasette.

    .venv/bin/python bench/catalog.py [--datasets 10000] [--requests 200]

1. Generates N datasets (Japanese titles, notes, tags; ~20 organizations, 1-3 resources each)
   into a fresh temporary HIRAKU_DATA_DIR (SQLite), then builds the search index with
   `hiraku reindex`.
2. Writes the same catalogue rows into a SQLite file for Datasette (one `datasets` table with
   tags/groups/res_format as JSON arrays, an FTS5 table with the trigram tokenizer, the usual
   way to make FTS5 work on Japanese).
3. Starts `hiraku serve --no-worker` and `datasette` on free loopback ports and times the same
   query shapes over HTTP, sequentially after a warm-up: p50 / p95 in milliseconds, and the
   ratio Hiraku / Datasette.
"""

import argparse
import json
import os
import random
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
from datetime import UTC, datetime, timedelta
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
FACETS = ["organization", "groups", "tags", "res_format", "license_id"]

DEPARTMENTS = [
    ("soumu", "総務課"), ("kikaku", "企画調整課"), ("joho", "情報政策課"), ("zeimu", "税務課"),
    ("shimin", "市民課"), ("kankyo", "環境生活課"), ("gomi", "廃棄物対策課"),
    ("fukushi", "社会福祉課"), ("kosodate", "こども家庭課"), ("kenko", "健康増進課"),
    ("kanko", "観光課"), ("shoko", "商工課"), ("norin", "農林課"), ("doboku", "道路課"),
    ("toshi", "都市計画課"), ("kensetsu", "建築住宅課"), ("suido", "上下水道局"),
    ("kyoiku", "教育総務課"), ("bunka", "文化課"), ("bosai", "危機管理課"),
]  # fmt: skip
GROUPS = [
    ("bosai", "防災"), ("jinko", "人口・世帯"), ("kanko", "観光"), ("kosodate", "子育て"),
    ("kenko", "健康・医療"), ("kankyo", "環境"), ("kotsu", "交通"), ("kyoiku", "教育"),
    ("zaisei", "財政"), ("sangyo", "産業"),
]  # fmt: skip
SUBJECTS = [
    "指定緊急避難場所", "AED設置箇所", "公衆トイレ", "公園", "保育所", "幼稚園", "小学校",
    "医療機関", "介護サービス事業所", "文化財", "観光施設", "イベント", "ごみ収集日",
    "人口", "世帯数", "出生数", "公共施設", "子育て施設", "消防水利", "バス停留所",
    "図書館の蔵書", "選挙管理委員会の投票所", "道路工事", "水道管路", "空き家", "地価",
    "農地", "温泉", "Wi-Fiスポット", "放射線量", "気象観測", "財政状況", "入札結果",
]  # fmt: skip
KINDS = ["一覧", "統計", "月報", "年報", "位置情報", "集計表", "調査結果", "推移"]
AREAS = ["会津若松市", "北会津地区", "河東地区", "市内全域", "鶴ヶ城周辺", "湊地区"]
TAGS = [
    "防災", "避難", "AED", "子育て", "保育", "医療", "福祉", "観光", "文化", "交通", "バス",
    "人口", "統計", "環境", "ごみ", "道路", "上下水道", "教育", "財政", "農業", "温泉",
    "イベント", "施設", "地図", "オープンデータ", "Wi-Fi", "選挙", "住宅", "気象", "放射線",
]  # fmt: skip
FORMATS = ["CSV", "CSV", "CSV", "XLSX", "PDF", "JSON", "GeoJSON"]
LICENSES = ["cc-by-4.0", "cc-by-4.0", "cc-by-4.0", "cc-zero", "pdl-1.0"]

Q_WORDS = ["避難場所", "AED", "公園", "保育", "人口 統計", "ごみ", "バス停", "医療機関",
           "観光 イベント", "Wi-Fi", "子育て施設", "文化財", "選挙", "温泉", "水道"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fake_catalog(count: int, seed: int = 7) -> list[dict]:
    """Plain dicts describing the datasets, shared by the Hiraku and Datasette loaders."""
    rnd = random.Random(seed)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(count):
        subject, kind, area = rnd.choice(SUBJECTS), rnd.choice(KINDS), rnd.choice(AREAS)
        year = rnd.randint(2015, 2025)
        org = rnd.choice(DEPARTMENTS)[0]
        rows.append(
            {
                "name": f"ds-{i:05d}",
                "title": f"{area}の{subject}{kind}（令和{year - 2018}年度）",
                "title_en": f"{subject} {kind} {year}" if rnd.random() < 0.3 else "",
                "notes": f"{area}における{subject}の{kind}です。{year}年{rnd.randint(1, 12)}月"
                f"時点の情報を{rnd.choice(['CSV形式', 'Excel形式', '地図データ'])}で公開しています。"
                f"{rnd.choice(TAGS)}に関するデータも含みます。",
                "organization": org,
                "groups": rnd.sample([g for g, _ in GROUPS], rnd.randint(0, 2)),
                "tags": rnd.sample(TAGS, rnd.randint(1, 5)),
                "license_id": rnd.choice(LICENSES),
                "resources": [
                    {"name": f"{subject}_{n + 1}", "format": rnd.choice(FORMATS)}
                    for n in range(rnd.randint(1, 3))
                ],
                "modified": start + timedelta(minutes=rnd.randint(0, 60 * 24 * 365 * 5)),
            }
        )
    return rows


def load_hiraku(rows: list[dict]) -> None:
    """Bulk-load straight into the catalog tables (the actions would take minutes for 10k)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from hiraku.catalog.models import Category, Dataset, Organization, Resource, Tag

    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        orgs = {
            name: Organization.objects.create(name=name, title=title) for name, title in DEPARTMENTS
        }
        groups = {name: Category.objects.create(name=name, title=title) for name, title in GROUPS}
        tags = {name: Tag.objects.create(name=name) for name in TAGS}
        datasets = Dataset.objects.bulk_create(
            [
                Dataset(
                    name=r["name"],
                    title=r["title"],
                    title_en=r["title_en"],
                    notes=r["notes"],
                    organization=orgs[r["organization"]],
                    license_id=r["license_id"],
                )
                for r in rows
            ],
            batch_size=1000,
        )
        tag_links, group_links, resources = [], [], []
        for dataset, r in zip(datasets, rows, strict=True):
            tag_links += [
                Dataset.tags.through(dataset_id=dataset.pk, tag_id=tags[t].pk) for t in r["tags"]
            ]
            group_links += [
                Dataset.categories.through(dataset_id=dataset.pk, category_id=groups[g].pk)
                for g in r["groups"]
            ]
            resources += [
                Resource(
                    dataset=dataset,
                    name=res["name"],
                    url=f"https://example.jp/{r['name']}/{n}",
                    format=res["format"],
                    position=n,
                )
                for n, res in enumerate(r["resources"])
            ]
        Dataset.tags.through.objects.bulk_create(tag_links, batch_size=2000)
        Dataset.categories.through.objects.bulk_create(group_links, batch_size=2000)
        Resource.objects.bulk_create(resources, batch_size=2000)
        for dataset, r in zip(datasets, rows, strict=True):
            Dataset.objects.filter(pk=dataset.pk).update(modified=r["modified"])


def load_datasette(rows: list[dict], path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE datasets (id INTEGER PRIMARY KEY, name TEXT UNIQUE, title TEXT,"
        " title_en TEXT, notes TEXT, organization TEXT, groups TEXT, tags TEXT,"
        " res_format TEXT, license_id TEXT, modified TEXT)"
    )
    db.executemany(
        "INSERT INTO datasets (name, title, title_en, notes, organization, groups, tags,"
        " res_format, license_id, modified) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (
                r["name"], r["title"], r["title_en"], r["notes"], r["organization"],
                json.dumps(r["groups"], ensure_ascii=False),
                json.dumps(r["tags"], ensure_ascii=False),
                json.dumps(sorted({res["format"] for res in r["resources"]})),
                r["license_id"], r["modified"].isoformat(),
            )
            for r in rows
        ],
    )  # fmt: skip
    for column in ("organization", "license_id", "modified"):
        db.execute(f"CREATE INDEX datasets_{column} ON datasets ({column})")
    db.execute(
        "CREATE VIRTUAL TABLE datasets_fts USING fts5(title, title_en, notes, tags,"
        " content=\"datasets\", content_rowid='id', tokenize='trigram')"
    )
    db.execute("INSERT INTO datasets_fts(datasets_fts) VALUES ('rebuild')")
    db.commit()
    db.close()


def start(cmd: list[str], env: dict, url: str, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return proc
        except urllib.error.HTTPError:
            return proc  # it answers; the timed run reports what it answers
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"server did not start: {' '.join(cmd)} (see {log})")


def timed(urls: list[str], repeat: int, *, cold: bool = False) -> tuple[float, float]:
    """p50 and p95 in ms over `repeat` sequential GETs cycling through urls, after warm-up.

    cold: every Hiraku request asks for a different page (start=0, 1, 2, ...), so no two
    share a cached answer and each one does the whole search. (Datasette caches nothing.)
    """

    def url_for(i: int) -> str:
        url = urls[i % len(urls)]
        return url.replace("rows=PAGE", f"rows=10&start={i}" if cold else "rows=10").replace(
            "_size=PAGE", "_size=10"
        )

    if not cold:
        for i in range(len(urls)):
            urllib.request.urlopen(url_for(i)).read()
    samples = []
    for i in range(repeat):
        began = time.perf_counter()
        with urllib.request.urlopen(url_for(i)) as response:
            response.read()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def shapes(hiraku: str, datasette: str, rows: list[dict]) -> dict[str, tuple[list, list]]:
    facet_field = urllib.parse.quote(json.dumps(FACETS))
    ds_facets = "&_facet=organization&_facet=license_id" + "".join(
        f"&_facet_array={f}" for f in ("groups", "tags", "res_format")
    )

    def q(word: str) -> str:
        return urllib.parse.quote(word)

    api = f"{hiraku}/api/3/action/package_search"
    table = f"{datasette}/bench/datasets.json?_size=PAGE&_shape=objects"
    names = [r["name"] for r in rows[:: max(1, len(rows) // 50)]]
    return {
        "q (text only)": (
            [f"{api}?rows=PAGE&facet=false&q={q(w)}" for w in Q_WORDS],
            [f"{table}&_search={q(w)}&_nofacet=1" for w in Q_WORDS],
        ),
        "q + 5 facets": (
            [f"{api}?rows=PAGE&q={q(w)}&facet.field={facet_field}" for w in Q_WORDS],
            [f"{table}&_search={q(w)}{ds_facets}" for w in Q_WORDS],
        ),
        "fq + 5 facets": (
            [
                f"{api}?rows=PAGE&fq={q(f'organization:{d} res_format:CSV')}"
                f"&facet.field={facet_field}"
                for d, _ in DEPARTMENTS
            ],
            [
                f"{table}&organization={d}&res_format__arraycontains=CSV{ds_facets}"
                for d, _ in DEPARTMENTS
            ],
        ),
        "all + 5 facets": (
            [f"{api}?rows=PAGE&facet.field={facet_field}"],
            [f"{table}{ds_facets}"],
        ),
        "dataset page": (
            [f"{hiraku}/dataset/{n}/" for n in names],
            [f"{datasette}/bench/datasets/{int(n[3:]) + 1}" for n in names],
        ),
    }


def found_counts(hiraku: str, datasette: str) -> None:
    """How many datasets each finds per query word: speed means little if nothing is found
    (FTS5's trigram tokenizer cannot match words shorter than three characters)."""
    print("\nDatasets found per query (Hiraku package_search count / Datasette _search count):")
    for word in Q_WORDS:
        quoted = urllib.parse.quote(word)
        url = f"{hiraku}/api/3/action/package_search?rows=0&facet=false&q={quoted}"
        ours = json.load(urllib.request.urlopen(url))["result"]["count"]
        url = f"{datasette}/bench/datasets.json?_size=0&_search={quoted}&_nofacet=1"
        theirs = json.load(urllib.request.urlopen(url)).get("filtered_table_rows_count")
        print(f"  {word:<12} {ours:>6} / {theirs}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="hiraku-bench-search-"))
    os.environ.update(
        {
            "HIRAKU_DATA_DIR": str(work / "data"),
            "DJANGO_SETTINGS_MODULE": "hiraku.settings",
            "HIRAKU_LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    rows = fake_catalog(args.datasets)
    began = time.perf_counter()
    load_hiraku(rows)
    print(f"loaded {len(rows)} datasets in {time.perf_counter() - began:.1f} s")
    env = dict(os.environ)
    began = time.perf_counter()
    subprocess.run([str(VENV_BIN / "hiraku"), "reindex"], env=env, check=True)
    print(f"hiraku reindex: {time.perf_counter() - began:.1f} s")
    load_datasette(rows, work / "bench.db")

    hiraku_port, datasette_port = free_port(), free_port()
    hiraku_url = f"http://127.0.0.1:{hiraku_port}"
    datasette_url = f"http://127.0.0.1:{datasette_port}"
    servers = [
        start(
            [str(VENV_BIN / "hiraku"), "serve", "--no-worker", "--port", str(hiraku_port)],
            env,
            f"{hiraku_url}/api/3/action/package_search?rows=1",
            work / "hiraku.log",
        ),
        start(
            [str(VENV_BIN / "datasette"), str(work / "bench.db"), "-p", str(datasette_port)]
            + ["--setting", "facet_time_limit_ms", "1000"],
            env,
            f"{datasette_url}/bench/datasets.json?_size=1",
            work / "datasette.log",
        ),
    ]
    try:
        found_counts(hiraku_url, datasette_url)
        print(f"\n{args.datasets} datasets, {args.requests} sequential requests per shape")
        print("warm: repeated questions (Hiraku answers public searches from its cache);")
        print("cold: every request different, so every one is computed in full.")
        header = f"{'shape':<24} {'Hiraku p50/p95 ms':>20} {'Datasette p50/p95 ms':>22}"
        print(f"{header} {'ratio p50':>9}")
        for label, (ours, peer) in shapes(hiraku_url, datasette_url, rows).items():
            for cold in (False, True) if label != "dataset page" else (False,):
                name = f"{label} ({'cold' if cold else 'warm'})"
                try:
                    h50, h95 = timed(ours, args.requests, cold=cold)
                except OSError as error:
                    print(f"{name:<24} Hiraku failed: {error}")
                    continue
                d50, d95 = timed(peer, args.requests, cold=cold)
                print(
                    f"{name:<24} {h50:>9.1f} / {h95:<8.1f} {d50:>11.1f} / {d95:<8.1f}"
                    f" {h50 / d50:>9.2f}"
                )
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
