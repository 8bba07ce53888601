"""Facets, fq filters, sorting and paging over the searched set."""

import pytest

from hiraku.search.query import FACET_FIELDS, SearchQuery
from hiraku.search.selectors import dataset_search

pytestmark = pytest.mark.django_db


def _facets(result) -> dict[str, dict[str, int]]:
    return {field: {i.name: i.count for i in items} for field, items in result.facets.items()}


def test_facets_over_text_match(search_catalog):
    result = dataset_search(
        user=search_catalog.anonymous,
        query=SearchQuery(q="避難場所", facet_fields=FACET_FIELDS),
    )
    assert result.count == 2
    facets = _facets(result)
    assert facets["organization"] == {"soumu": 1, "kankyo": 1}
    assert facets["groups"] == {"bosai": 1}
    assert facets["tags"] == {"防災": 1, "避難": 1}
    assert facets["res_format"] == {"CSV": 1}
    assert facets["license_id"] == {"cc-by-4.0": 2}


def test_facet_labels_and_order(search_catalog):
    result = dataset_search(
        user=search_catalog.anonymous, query=SearchQuery(facet_fields=FACET_FIELDS)
    )
    organization = result.facets["organization"]
    assert [(i.name, i.display_name, i.count) for i in organization] == [
        ("kankyo", "環境部", 3),
        ("soumu", "総務部", 2),
        ("joho", "情報政策課", 1),
    ]
    assert [i.display_name for i in result.facets["groups"]] == ["防災", "人口・世帯"]
    # a dataset with a CSV and an XLSX counts once for each; two CSVs would still count once
    assert _facets(result)["res_format"] == {"CSV": 3, "XLSX": 1}


def test_facet_limit(search_catalog):
    result = dataset_search(
        user=search_catalog.anonymous, query=SearchQuery(facet_fields=("tags",), facet_limit=2)
    )
    assert len(result.facets["tags"]) == 2


def test_fq_filters_combine_with_text(search_catalog):
    def names(**kwargs):
        query = SearchQuery(rows=100, **kwargs)
        return sorted(d.name for d in dataset_search(user=None, query=query).datasets)

    assert names(q="避難場所", filters={"organization": ["kankyo"]}) == ["notes-only"]
    assert names(filters={"res_format": ["csv"], "tags": ["防災"]}) == ["public-aed", "shelters"]
    assert names(filters={"tags": ["防災", "AED"]}) == ["public-aed"]
    assert names(filters={"groups": ["bosai"]}) == ["public-aed", "shelters"]
    assert names(filters={"dataset_type": ["dataset"], "name": ["garbage"]}) == ["garbage"]
    assert names(filters={"dataset_type": ["harvest"]}) == []
    assert names(filters={"id": ["not-a-uuid"]}) == []
    assert names(filters={"id": [str(search_catalog.garbage.pk)]}) == ["garbage"]
    assert names(q="避難", filters={"owner_org": ["nowhere"]}) == []
    assert names(q="tags:ごみ") == ["garbage"]


def test_sort_and_paging(search_catalog):
    def page(**kwargs):
        result = dataset_search(user=None, query=SearchQuery(**kwargs))
        return result.count, [d.name for d in result.datasets]

    count, first = page(sort="name asc", rows=2)
    assert count == 6 and first == ["election", "garbage"]
    assert page(sort="name asc", rows=2, start=2)[1] == ["notes-only", "public-aed"]
    assert page(sort="name desc", rows=1)[1] == ["shelters"]
    # relevance, then paging through the ranked list
    assert page(q="避難場所", rows=1)[1] == ["shelters"]
    assert page(q="避難場所", rows=1, start=1) == (2, ["notes-only"])
    # with q, an explicit field sort wins over relevance
    assert page(q="避難場所", sort="name asc")[1] == ["notes-only", "shelters"]
