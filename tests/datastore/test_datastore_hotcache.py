"""The in-memory fast path (hotcache) returns exactly what the Parquet path returns."""

import pytest
from datastore_helpers import call
from django.conf import settings

from hiraku.api import answer_cache
from hiraku.datastore import engine, hotcache

QUERIES = [
    {"sort": "定員 desc"},
    {"sort": "更新日時 desc, 番号"},  # NULLs stay last in both directions
    {"sort": "更新日時 asc", "limit": 5},
    {"sort": "緯度", "offset": 120},
    {"sort": "種別, 名称 desc", "fields": "_id,種別,名称"},
    {"sort": "_id desc", "limit": 3},
    {"filters": {"種別": "避難所"}, "sort": "定員 desc", "limit": 7, "offset": 3},
    {"filters": {"種別": ["公園", "庁舎"]}, "sort": "名称"},
    {"q": "公園", "sort": "番号 desc"},
    {"filters": {"有料": True}, "limit": 4, "offset": 2},
    {"filters": {"種別": "ない値"}, "sort": "番号"},
    {},
]


@pytest.mark.parametrize("params", QUERIES)
def test_hot_path_matches_parquet_path(served, monkeypatch, params):
    rid = str(served.resource.pk)
    expected = call("datastore_search", None, resource_id=rid, **params)
    monkeypatch.setitem(settings.HIRAKU, "DATASTORE_HOT_MIN_ROWS", 0)
    hotcache.warm(str(engine.parquet_path(served.table)), served.table.row_count, wait=True)
    assert hotcache.get(str(engine.parquet_path(served.table))) is not None
    engine._count_cache.clear()
    answer_cache.clear()  # else the first call's encoded answer comes back
    got = call("datastore_search", None, resource_id=rid, **params)
    assert got["records"] == expected["records"]
    assert got["total"] == expected["total"]
    if params.get("filters") or params.get("q"):
        assert len(hotcache._positions) == 1  # the filter's positions were cached


def test_nulls_first_uses_the_parquet_path(served, monkeypatch):
    monkeypatch.setitem(settings.HIRAKU, "DATASTORE_HOT_MIN_ROWS", 0)
    hotcache.warm(str(engine.parquet_path(served.table)), served.table.row_count, wait=True)
    result = call(
        "datastore_search",
        None,
        resource_id=str(served.resource.pk),
        sort="緯度 nulls first",
        limit=1,
    )
    assert result["records"][0]["番号"] == 6
