"""The in-memory facet index and the page loader give exactly what the SQL paths give."""

import pytest

from hiraku.catalog import actions, permissions
from hiraku.catalog.models import Dataset, Resource
from hiraku.search import facet_index as facet_index_module
from hiraku.search.cache import index_generation
from hiraku.search.documents import documents_refresh_stale
from hiraku.search.facet_index import facet_index
from hiraku.search.facets import count_and_facets
from hiraku.search.page import page_datasets
from hiraku.search.query import FACET_FIELDS, SearchQuery
from hiraku.search.selectors import _apply_filters, _matched_ids, dataset_search

pytestmark = pytest.mark.django_db


def _plain(facets) -> dict:
    return {
        name: [(i.name, i.display_name, i.count) for i in items] for name, items in facets.items()
    }


@pytest.fixture
def many(search_catalog):
    """A second CSV on one dataset (it must count once in res_format)."""
    actions.resource_create(
        actor=search_catalog.sysadmin,
        dataset=search_catalog.garbage,
        data={"name": "more.csv", "url": "https://e.jp/m.csv", "format": "csv"},
    )
    documents_refresh_stale()
    return search_catalog


@pytest.mark.parametrize(
    ("include_private", "include_drafts", "filters"),
    [
        (False, False, {}),
        (True, True, {}),
        (False, False, {"res_format": ["CSV"]}),
        (True, False, {"organization": ["joho"]}),
        (False, False, {"tags": ["防災"], "groups": ["bosai"]}),
    ],
)
def test_index_counts_equal_sql_counts(many, include_private, include_drafts, filters):
    readable = permissions.readable_datasets(
        many.sysadmin, include_private=include_private, include_drafts=include_drafts
    )
    matched = _apply_filters(readable, filters)
    expected_total, expected = count_and_facets(matched, FACET_FIELDS, 50)
    ids = _matched_ids(matched)
    index = facet_index(index_generation())
    bits = index.matched_bits(ids)
    assert bits is not None
    assert len(ids) == expected_total
    assert _plain(index.facets(bits, FACET_FIELDS, 50)) == _plain(expected)
    assert _plain(index.facets(bits, ("tags",), 1)) == {"tags": _plain(expected)["tags"][:1]}


@pytest.mark.parametrize(
    "fields", [["-modified"], ["modified"], ["-created"], ["title"], ["-title"], ["-name"]]
)
def test_index_page_order_equals_sql_order(many, fields):
    readable = permissions.readable_datasets(many.sysadmin, include_private=True)
    ids = _matched_ids(readable)
    index = facet_index(index_generation())
    expected = list(readable.order_by(*fields, "name").values_list("pk", flat=True))
    assert index.page(ids, fields, 0, 100) == expected
    assert index.page(ids, fields, 2, 3) == expected[2:5]


def test_a_dataset_the_index_does_not_know_falls_back_to_sql(many):
    index = facet_index(index_generation())
    # Written with the ORM: no signal, so no re-index and no new generation.
    newcomer = Dataset.objects.create(name="newcomer", title="新着", organization=many.joho)
    Resource.objects.create(dataset=newcomer, name="n", url="https://e.jp/n", format="PDF")
    readable = permissions.readable_datasets(many.anonymous, include_private=False)
    assert index.matched_bits(_matched_ids(readable)) is None
    result = dataset_search(
        user=many.anonymous, query=SearchQuery(facet_fields=("res_format",), rows=100)
    )
    assert "newcomer" in [d.name for d in result.datasets]
    assert {i.name: i.count for i in result.facets["res_format"]}["PDF"] >= 1


def test_private_dataset_is_never_counted_for_the_public(many, monkeypatch):
    built = []
    real_build = facet_index_module._build
    monkeypatch.setattr(facet_index_module, "_build", lambda g: built.append(g) or real_build(g))
    monkeypatch.setattr(facet_index_module, "_current", None)
    anonymous = dataset_search(
        user=many.anonymous, query=SearchQuery(facet_fields=FACET_FIELDS, rows=100)
    )
    assert built, "the search should have used the facet index"
    organizations = {i.name: i.count for i in anonymous.facets["organization"]}
    names = {d.name for d in anonymous.datasets}
    assert "private-survey" not in names and "draft-plan" not in names
    assert organizations.get("joho", 0) == sum(
        1 for d in anonymous.datasets if d.organization.name == "joho"
    )
    assert anonymous.count == len(names)


def test_page_loads_related_rows_in_a_fixed_number_of_queries(many, django_assert_num_queries):
    readable = permissions.readable_datasets(many.anonymous, include_private=False)
    ids = list(readable.order_by("name").values_list("pk", flat=True))
    private = Dataset.objects.get(name="private-survey").pk
    with django_assert_num_queries(4):
        datasets = page_datasets(readable, [private, *ids])
    # the private one is dropped (permission re-check), the rest keep their order
    assert [d.pk for d in datasets] == ids
    with django_assert_num_queries(0):
        garbage = next(d for d in datasets if d.name == "garbage")
        assert [t.name for t in garbage.tags.all()] == ["ごみ"]
        formats = [r.format for r in garbage.resources.all()]
        assert sorted(formats) == ["CSV", "CSV", "XLSX"]
        assert all(r.dataset is garbage for r in garbage.resources.all())
        shelters = next(d for d in datasets if d.name == "shelters")
        assert [c.name for c in shelters.categories.all()] == ["bosai"]


def test_format_filter_is_the_same_alone_and_next_to_other_filters(many):
    # A deleted CSV must not make its dataset match (both forms check the resource's state).
    Resource.objects.filter(dataset__name="shelters").update(state="deleted")
    readable = permissions.readable_datasets(many.anonymous, include_private=False)

    def names(filters, text=False):
        return set(_apply_filters(readable, filters, text=text).values_list("name", flat=True))

    alone = names({"res_format": ["csv"]})
    assert alone == {"public-aed", "garbage"}
    assert names({"res_format": ["CSV"]}, text=True) == alone
    assert names({"res_format": ["csv"], "organization": ["kankyo"]}) == {"garbage"}
    assert names({"res_format": ["CSV", "XLSX"]}) == {"garbage"}
    result = dataset_search(user=many.anonymous, query=SearchQuery(q="カレンダー res_format:CSV"))
    assert [d.name for d in result.datasets] == ["garbage"]


def _answer(result) -> tuple:
    return result.count, [d.name for d in result.datasets], _plain(result.facets)


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"res_format": ["csv"]},
        {"organization": ["joho"], "res_format": ["CSV"]},
        {"tags": ["防災"], "groups": ["bosai"]},
        {"license_id": ["cc-by-4.0"]},
        {"tags": ["ない"]},
        {"dataset_type": ["dataset"]},
        {"dataset_type": ["harvest"]},
    ],
)
@pytest.mark.parametrize(
    "sort", ["score desc, metadata_modified desc", "name asc", "title_string desc"]
)
@pytest.mark.parametrize(("start", "rows"), [(0, 100), (1, 2), (50, 10)])
def test_public_answer_from_bitsets_equals_sql(many, monkeypatch, filters, sort, start, rows):
    from hiraku.search import selectors

    query = SearchQuery(
        filters=filters, sort=sort, start=start, rows=rows, facet_fields=FACET_FIELDS
    )
    used = []
    real = selectors._public_answer_in_memory
    monkeypatch.setattr(
        selectors, "_public_answer_in_memory", lambda *a: used.append(1) or real(*a)
    )
    from_bits = dataset_search(user=many.anonymous, query=query)
    assert used, "the bitset path should have answered"
    monkeypatch.setattr(selectors, "_public_answer_in_memory", lambda *a: None)
    from_sql = dataset_search(user=many.anonymous, query=query)
    assert _answer(from_bits) == _answer(from_sql)


def test_bitsets_follow_a_dataset_made_private(many):
    query = SearchQuery(facet_fields=("organization",), rows=100)
    before = dataset_search(user=many.anonymous, query=query)
    assert "garbage" in [d.name for d in before.datasets]
    actions.dataset_update(
        actor=many.sysadmin, dataset=many.garbage, data={"private": True}, partial=True
    )
    after = dataset_search(user=many.anonymous, query=query)
    assert "garbage" not in [d.name for d in after.datasets]
    assert after.count == before.count - 1
    assert sum(i.count for i in after.facets["organization"]) == after.count


def test_filters_the_bitsets_do_not_hold_go_to_sql(many):
    index = facet_index(index_generation())
    assert index.public_answer({"name": ["garbage"]}) is None
    assert index.public_answer({"res_format": ["ｃｓｖ"]}) is None  # not ASCII: SQL decides
    result = dataset_search(user=many.anonymous, query=SearchQuery(filters={"name": ["garbage"]}))
    assert [d.name for d in result.datasets] == ["garbage"]
