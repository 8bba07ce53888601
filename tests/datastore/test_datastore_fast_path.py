"""The per-request fast path: one catalog query, Arrow filters, cached sorted orders, settings."""

import datetime as dt
import json
import time

import pytest
from datastore_helpers import ROWS, call, make_table, make_version
from django.conf import settings
from django.utils import timezone

from hiraku.catalog.errors import NotFound
from hiraku.catalog.models import Resource
from hiraku.datastore import engine, hotcache
from hiraku.datastore.access import served_table
from hiraku.ingest.models import JobState
from hiraku.ingest.selectors import active_tables


def test_public_search_costs_one_catalog_query(served, django_assert_num_queries):
    rid = str(served.resource.pk)
    call("datastore_search", None, resource_id=rid)  # DuckDB column list cached
    with django_assert_num_queries(1):  # tables + version + resource + dataset + org, joined
        result = call("datastore_search", None, resource_id=rid, filters={"種別": "避難所"})
    assert result["total"] == sum(1 for row in ROWS if row[2] == "避難所")


def test_serving_choice_matches_active_tables(served):
    resource = Resource.objects.create(dataset=served.catalog.aed, name="versions.csv")
    first = make_table(resource, rows=ROWS[:2])
    make_version(resource, state=JobState.RUNNING)  # a newer ingest still running
    assert served_table(user=None, resource_id=str(resource.pk)).table.pk == first.pk

    version, job = make_version(resource)
    make_table(resource, rows=ROWS[:3], job=job, name="b.csv", position=1)
    sheet_a = make_table(resource, rows=ROWS[:4], job=job, name="a.csv", position=0)
    # the same version ingested again, finished later: its tables serve
    job.finished = timezone.now() - dt.timedelta(hours=1)
    job.save()
    from hiraku.ingest.models import IngestJob

    again = IngestJob.objects.create(
        version=version, state=JobState.DONE, progress=1.0, finished=timezone.now()
    )
    rerun = make_table(resource, rows=ROWS[:5], job=again, name="a.csv")
    got = served_table(user=None, resource_id=str(resource.pk))
    assert [t.pk for t in got.tables] == [t.pk for t in active_tables(resource)] == [rerun.pk]
    assert got.version.pk == version.pk and got.resource.pk == resource.pk
    assert sheet_a.pk != rerun.pk


@pytest.mark.parametrize("ref", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_ids_are_not_found(served, ref):
    with pytest.raises(NotFound):
        call("datastore_search", None, resource_id=ref)


def test_deleted_dataset_is_not_found(served):
    served.catalog.aed.state = "deleted"
    served.catalog.aed.save()
    with pytest.raises(NotFound):
        call("datastore_search", served.catalog.sysadmin, resource_id=str(served.resource.pk))


ARROW_FILTERS = [
    {"備考": None},  # IS NULL
    {"定員": 20},  # int32 column, int value
    {"定員": [20, 40, "60"]},  # IN, values coerced to the column's type
    {"開設日": "2000-01-20"},  # date
    {"更新日時": "2023-01-01T12:00:00"},  # timestamp
    {"緯度": 37.4912},  # float64
    {"有料": "false", "種別": ["避難所", "美術館"]},  # several columns
    {"名称": "ない名前"},  # nothing matches
]


@pytest.mark.parametrize("filters", ARROW_FILTERS)
def test_arrow_filters_match_duckdb(served, monkeypatch, filters):
    rid = str(served.resource.pk)
    params = {"filters": json.dumps(filters, ensure_ascii=False), "sort": "番号 desc", "limit": 50}
    expected = call("datastore_search", None, resource_id=rid, **params)
    answered = []
    original = hotcache.arrow_positions

    def spy(table, conditions, **kwargs):
        found = original(table, conditions, **kwargs)
        answered.append(found is not None)
        return found

    monkeypatch.setattr(hotcache, "arrow_positions", spy)
    monkeypatch.setitem(settings.HIRAKU, "DATASTORE_HOT_MIN_ROWS", 0)
    hotcache.warm(str(engine.parquet_path(served.table)), served.table.row_count, wait=True)
    engine._count_cache.clear()
    got = call("datastore_search", None, resource_id=rid, **params)
    assert answered == [True]  # Arrow answered, DuckDB did not scan
    assert got["records"] == expected["records"]
    assert got["total"] == expected["total"]


def test_q_and_id_filters_still_use_duckdb(served, monkeypatch):
    rid = str(served.resource.pk)
    monkeypatch.setitem(settings.HIRAKU, "DATASTORE_HOT_MIN_ROWS", 0)
    hotcache.warm(str(engine.parquet_path(served.table)), served.table.row_count, wait=True)
    monkeypatch.setattr(hotcache, "arrow_positions", lambda *a: pytest.fail("not for q/_id"))
    assert call("datastore_search", None, resource_id=rid, q="美術館", sort="番号")["total"] == 1
    result = call("datastore_search", None, resource_id=rid, filters={"_id": [2, 3]}, sort="番号")
    assert [r["_id"] for r in result["records"]] == [2, 3]


def test_pages_of_one_sort_reuse_the_sorted_order(served, monkeypatch):
    rid = str(served.resource.pk)
    pages = [{"filters": {"種別": "避難所"}, "sort": "定員 desc", "limit": 10, "offset": o}
             for o in (0, 10, 120)]  # fmt: skip
    expected = [call("datastore_search", None, resource_id=rid, **p)["records"] for p in pages]
    monkeypatch.setitem(settings.HIRAKU, "DATASTORE_HOT_MIN_ROWS", 0)
    hotcache.warm(str(engine.parquet_path(served.table)), served.table.row_count, wait=True)
    got = [call("datastore_search", None, resource_id=rid, **p)["records"] for p in pages]
    assert got == expected
    assert len(hotcache._sorted) == 1 and len(hotcache._positions) == 1


def test_positions_budget_evicts_oldest(served, monkeypatch):
    rid = str(served.resource.pk)
    monkeypatch.setitem(settings.HIRAKU, "DATASTORE_HOT_MIN_ROWS", 0)
    monkeypatch.setitem(settings.HIRAKU, "DATASTORE_HOT_POSITIONS_BYTES", 1)
    hotcache.warm(str(engine.parquet_path(served.table)), served.table.row_count, wait=True)
    for capacity in (20, 40, 60):
        result = call(
            "datastore_search", None, resource_id=rid, filters={"定員": capacity}, sort="番号"
        )
        assert result["total"] == sum(1 for row in ROWS if row[8] == capacity)
    assert len(hotcache._positions) == 1 and len(hotcache._sorted) == 1


def test_tables_budget_zero_turns_the_cache_off(served, monkeypatch):
    monkeypatch.setitem(settings.HIRAKU, "DATASTORE_HOT_MIN_ROWS", 0)
    monkeypatch.setitem(settings.HIRAKU, "DATASTORE_HOT_TABLES_BYTES", 0)
    hotcache.warm(str(engine.parquet_path(served.table)), served.table.row_count, wait=True)
    assert hotcache.get(str(engine.parquet_path(served.table))) is None


def test_private_table_of_another_dataset_stays_hidden(served):
    other = make_table(served.private, rows=ROWS[:1], name="x.csv", position=5)
    with pytest.raises(NotFound):
        call("datastore_search", None, resource_id=str(other.resource_id))


INDEX_FILTERS = [
    {"定員": 20},
    {"定員": [60, 20, "20"]},
    {"種別": "避難所"},
    {"種別": ["美術館", "公園"]},
    {"開設日": "2000-01-20"},
    {"更新日時": "2023-01-01T12:00:00"},
    {"名称": "ない名前"},
    {"備考": "備考9"},  # a column with NULLs: they are left out of its order
]


@pytest.mark.parametrize("filters", INDEX_FILTERS)
def test_column_index_matches_duckdb(served, monkeypatch, filters):
    rid = str(served.resource.pk)
    params = {"filters": json.dumps(filters, ensure_ascii=False), "limit": 200}
    expected = call("datastore_search", None, resource_id=rid, **params)  # file order
    path = str(engine.parquet_path(served.table))
    monkeypatch.setitem(settings.HIRAKU, "DATASTORE_HOT_MIN_ROWS", 0)
    hotcache.warm(path, served.table.row_count, wait=True)
    hot = hotcache.get(path)
    (name,) = filters
    hotcache._build_index(path, hot, name)
    assert (path, name) in hotcache._indexes
    used = []
    original = hotcache._index_positions
    monkeypatch.setattr(hotcache, "_index_positions", lambda *a: used.append(1) or original(*a))
    engine._count_cache.clear()
    got = call("datastore_search", None, resource_id=rid, sort="", **params)
    assert used == [1]
    assert got["records"] == expected["records"]
    assert got["total"] == expected["total"]


def test_first_filter_builds_the_index_in_the_background(served, monkeypatch):
    path = str(engine.parquet_path(served.table))
    monkeypatch.setitem(settings.HIRAKU, "DATASTORE_HOT_MIN_ROWS", 0)
    hotcache.warm(path, served.table.row_count, wait=True)
    hot = hotcache.get(path)
    assert hotcache.arrow_positions(hot, [("定員", [20])], path=path).to_pylist() == [9]
    for _ in range(200):
        if (path, "定員") in hotcache._indexes:
            break
        time.sleep(0.01)
    assert (path, "定員") in hotcache._indexes
    assert hotcache.arrow_positions(hot, [("定員", [20])], path=path).to_pylist() == [9]
