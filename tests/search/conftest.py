"""A few more datasets on top of the shared `catalog` fixture, worded for Japanese search."""

import pytest

from hiraku.search.query import SearchQuery
from hiraku.search.selectors import dataset_search


@pytest.fixture
def search_catalog(catalog):
    from hiraku.catalog import actions

    def create(**data):
        return actions.dataset_create(actor=catalog.sysadmin, data=data)

    catalog.shelters = create(
        name="shelters",
        title="指定緊急避難場所一覧",
        title_en="Designated emergency evacuation sites",
        owner_org="soumu",
        notes="災害時に避難する場所の一覧です。",
        tags=["防災", "避難"],
        groups=["bosai"],
        resources=[{"name": "避難所.csv", "url": "https://example.jp/s.csv", "format": "csv"}],
    )
    catalog.election = create(
        name="election",
        title="選挙管理委員会 開催記録",
        owner_org="soumu",
        notes="委員会の議事。",
    )
    catalog.garbage = create(
        name="garbage",
        title="ゴミ収集カレンダー",
        owner_org="kankyo",
        notes="ｶﾞｲﾄﾞブック付き。附属資料あり。",
        tags=["ごみ"],
        resources=[
            {"name": "calendar.xlsx", "url": "https://example.jp/c.xlsx", "format": "XLSX"},
            {"name": "calendar.csv", "url": "https://example.jp/c.csv", "format": "CSV"},
        ],
    )
    catalog.notes_only = create(
        name="notes-only",
        title="施設一覧",
        owner_org="kankyo",
        notes="避難場所として使える施設も含みます。",
        license_id="cc-by-4.0",
    )
    return catalog


@pytest.fixture
def search():
    """search(user, q, **SearchQuery fields) -> names of the datasets found, in result order."""

    def run(user, q="", **kwargs) -> list[str]:
        result = dataset_search(user=user, query=SearchQuery(q=q, rows=100, **kwargs))
        return [d.name for d in result.datasets]

    return run
