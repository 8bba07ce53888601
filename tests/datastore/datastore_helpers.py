"""Helpers for datastore tests: served tables made without the ingest pipeline.

make_table(resource, rows or sql, ...) writes a Parquet file with DuckDB into DATASTORE_DIR and
registers a ResourceVersion + an IngestJob in state done + a DataTable, as ingest would.
The `served` fixture (conftest.py) builds the standard table on the public AED dataset's resource:

    番号 名称          種別    住所                 緯度      経度       開設日      更新日時             定員 有料  備考
    1    市役所本庁舎  庁舎    会津若松市東栄町3-46  37.4948  139.9298  1950-04-01  2024-01-05 09:00:00  10  false 正面玄関
    ...
"""

import datetime as dt
import uuid
from pathlib import Path

import duckdb
import orjson
import pyarrow as pa
import pyarrow.parquet as pq
from django.test import RequestFactory

import hiraku.api.actions.datastore  # noqa: F401  (registers the actions)
from hiraku.api import answer_cache
from hiraku.api.registry import ActionContext, get_action
from hiraku.catalog.models import Resource, ResourceVersion
from hiraku.conf import setting
from hiraku.ingest.models import DataTable, IngestJob, JobState

ROWS = [
    # 番号, 名称, 種別, 住所, 緯度, 経度, 開設日, 更新日時, 定員, 有料, 備考
    (
        1,
        "市役所本庁舎",
        "庁舎",
        "会津若松市東栄町3-46",
        37.4948,
        139.9298,
        dt.date(1950, 4, 1),
        dt.datetime(2024, 1, 5, 9, 0),
        10,
        False,
        "正面玄関",
    ),
    (
        2,
        "鶴ヶ城公園",
        "公園",
        "会津若松市追手町1-1",
        37.4877,
        139.9298,
        dt.date(1965, 9, 1),
        dt.datetime(2024, 2, 1, 10, 30),
        500,
        True,
        '=HYPERLINK("http://evil")',
    ),
    (
        3,
        "会津図書館",
        "図書館",
        "会津若松市栄町3-50",
        37.4963,
        139.9312,
        dt.date(1980, 4, 1),
        dt.datetime(2024, 3, 1, 8, 0),
        120,
        False,
        "+SUM(A1:A9)",
    ),
    (
        4,
        "ＡＥＤ設置　体育館",
        "体育館",
        "会津若松市城東町１２－１",
        37.4901,
        139.9401,
        dt.date(1990, 6, 1),
        dt.datetime(2024, 4, 1, 12, 0),
        300,
        False,
        "-12.5",
    ),
    (
        5,
        "𠮷田公民館",
        "公民館",
        "会津若松市大町2-1",
        37.5001,
        139.9250,
        dt.date(2001, 1, 10),
        dt.datetime(2024, 5, 1, 13, 0),
        80,
        False,
        "@cmd 🍣",
    ),
    (
        6,
        "門田公園",
        "公園",
        "会津若松市門田町大字飯寺",
        None,
        None,
        dt.date(2010, 7, 7),
        None,
        0,
        None,
        None,
    ),
    (
        7,
        "髙橋記念館①",
        "美術館",
        "会津若松市本町5-5",
        37.4990,
        139.9330,
        dt.date(2015, 3, 3),
        dt.datetime(2024, 6, 1, 14, 0),
        40,
        True,
        "\tタブ始まり",
    ),
]
ROWS += [
    (
        n,
        f"避難所{n}",
        "避難所",
        f"会津若松市中央{n % 3 + 1}丁目{n}",
        37.49 + n / 10000,
        139.93 + n / 10000,
        dt.date(2000, 1, 1) + dt.timedelta(days=n),
        dt.datetime(2023, 1, 1) + dt.timedelta(hours=n),
        n * 2,
        n % 2 == 0,
        f"備考{n}",
    )
    for n in range(8, 131)
]
SCHEMA = pa.schema(
    [
        ("番号", pa.int64()),
        ("名称", pa.string()),
        ("種別", pa.string()),
        ("住所", pa.string()),
        ("緯度", pa.float64()),
        ("経度", pa.float64()),
        ("開設日", pa.date32()),
        ("更新日時", pa.timestamp("us")),
        ("定員", pa.int32()),
        ("有料", pa.bool_()),
        ("備考", pa.string()),
    ]
)
TABLE_SCHEMA = {
    "fields": [
        {"name": "番号", "type": "integer"},
        {"name": "名称", "type": "string", "title": "施設名称", "description": "施設の正式名称"},
        {"name": "種別", "type": "string"},
        {"name": "住所", "type": "string"},
        {"name": "緯度", "type": "number"},
        {"name": "経度", "type": "number"},
        {"name": "開設日", "type": "date"},
        {"name": "更新日時", "type": "datetime"},
        {"name": "定員", "type": "integer"},
        {"name": "有料", "type": "boolean"},
        {"name": "備考", "type": "string"},
    ]
}


def _write(rows: list[tuple] | None, schema: pa.Schema | None, sql: str | None) -> str:
    relative = f"tables/{uuid.uuid4()}.parquet"
    path = Path(setting("DATASTORE_DIR")) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if sql is not None:
        duckdb.connect().execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet)")
    else:
        columns = list(zip(*rows, strict=True)) if rows else [[] for _ in schema]
        pq.write_table(
            pa.table(
                [pa.array(list(c), type=f.type) for c, f in zip(columns, schema, strict=True)],
                schema=schema,
            ),
            path,
        )
    return relative


def make_version(
    resource: Resource, *, state: str = JobState.DONE
) -> tuple[ResourceVersion, IngestJob]:
    number = resource.versions.count() + 1
    version = ResourceVersion.objects.create(
        resource=resource, number=number, original_filename="data.csv", format="CSV"
    )
    job = IngestJob.objects.create(version=version, state=state, progress=1.0)
    return version, job


def make_table(
    resource,
    *,
    rows=None,
    schema=SCHEMA,
    sql=None,
    name="data.csv",
    position=0,
    job=None,
    table_schema=None,
    stats=None,
):
    if job is None:
        _, job = make_version(resource)
    relative = _write(rows, schema, sql)
    count = (
        duckdb.connect()
        .execute(
            f"SELECT count(*) FROM read_parquet('{Path(setting('DATASTORE_DIR')) / relative}')"
        )
        .fetchone()[0]
    )
    return DataTable.objects.create(
        job=job,
        version=job.version,
        resource=resource,
        name=name,
        position=position,
        parquet_path=relative,
        row_count=count,
        table_schema=table_schema if table_schema is not None else {},
        stats=stats or {},
    )


def call(name: str, user, **data):
    """Call a registered Action API function the way the dispatcher does."""
    from django.contrib.auth.models import AnonymousUser

    user = user or AnonymousUser()
    request = RequestFactory().get("/api/3/action/" + name)
    request.user = user
    # Each call computes its answer, so tests that compare two paths compare real work; the
    # answer cache has its own tests (test_datastore_answer_cache.py).
    answer_cache.clear()
    result = get_action(name).fn(ActionContext(request=request, user=user), data)
    if isinstance(result, orjson.Fragment):  # an encoded answer, as the envelope embeds it
        return orjson.loads(orjson.dumps(result))
    return result
