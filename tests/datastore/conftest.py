"""Fixtures for datastore tests (helpers and the standard table live in datastore_helpers.py)."""

from types import SimpleNamespace

import pytest
from datastore_helpers import ROWS, TABLE_SCHEMA, make_table

from hiraku.api import answer_cache
from hiraku.catalog.models import Resource
from hiraku.datastore import engine, hotcache


@pytest.fixture(autouse=True)
def release_gates(monkeypatch) -> list:
    """No release gate by default (the privacy app's gate is tested there); tests add their own."""
    from hiraku.catalog import gates

    monkeypatch.setattr(gates, "_gates", [])
    return gates._gates


@pytest.fixture(autouse=True)
def _fresh_caches():
    engine._columns_cache.clear()
    engine._count_cache.clear()
    hotcache.clear()
    answer_cache.clear()
    yield


@pytest.fixture
def served(catalog):
    """The AED dataset's resource with the standard table, plus a private and a draft one."""
    resource = catalog.aed.resources.get()
    table = make_table(
        resource,
        rows=ROWS,
        table_schema=TABLE_SCHEMA,
        stats={"種別": {"nulls": 0, "distinct": 8, "top": [["避難所", 123]]}},
    )
    private = Resource.objects.create(dataset=catalog.survey, name="answers.csv")
    make_table(private, rows=ROWS[:3])
    draft = Resource.objects.create(dataset=catalog.draft, name="plan.csv")
    make_table(draft, rows=ROWS[:2])
    return SimpleNamespace(
        resource=resource, table=table, private=private, draft=draft, catalog=catalog
    )
