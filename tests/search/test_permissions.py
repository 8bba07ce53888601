"""Private and draft datasets never leak through results, counts or facets."""

import pytest

from hiraku.search.query import FACET_FIELDS, SearchQuery
from hiraku.search.selectors import dataset_search

pytestmark = pytest.mark.django_db


def _everything(user, q="", **kwargs):
    return dataset_search(
        user=user,
        query=SearchQuery(q=q, rows=100, facet_fields=FACET_FIELDS, facet_limit=-1, **kwargs),
    )


def _facet_names(result) -> dict[str, dict[str, int]]:
    return {field: {i.name: i.count for i in items} for field, items in result.facets.items()}


@pytest.mark.parametrize("role", ["anonymous", "outsider", "kankyo_editor"])
@pytest.mark.parametrize("q", ["", "調査", "計画", "joho", "情報政策課"])
def test_private_and_draft_invisible_to_outsiders(catalog, role, q):
    user = getattr(catalog, role)
    result = _everything(user, q, include_private=True, include_drafts=True)
    names = {d.name for d in result.datasets}
    assert not names & {"private-survey", "draft-plan"}
    assert result.count == len(names)
    facets = _facet_names(result)
    assert sum(facets["organization"].values()) == result.count
    assert "調査" not in facets["tags"]


def test_counts_and_facets_follow_what_the_member_sees(catalog):
    result = _everything(catalog.joho_member, include_private=True, include_drafts=True)
    assert {d.name for d in result.datasets} == {
        "public-aed",
        "private-survey",
        "draft-plan",
        "public-parks",
    }
    assert result.count == 4
    assert _facet_names(result)["organization"] == {"joho": 3, "kankyo": 1}
    assert _facet_names(result)["tags"] == {"AED": 1, "防災": 1, "調査": 1, "公園": 1}


def test_private_needs_include_private_even_for_members(catalog):
    result = _everything(catalog.joho_admin, "調査")
    assert result.count == 0 and result.facets["tags"] == []
    assert _everything(catalog.joho_admin, "調査", include_private=True).count == 1


def test_shared_user_finds_only_the_shared_private_dataset(catalog):
    result = _everything(catalog.student, "", include_private=True, include_drafts=True)
    assert {d.name for d in result.datasets} == {"public-aed", "private-survey", "public-parks"}


def test_deleted_dataset_is_never_found(catalog):
    from hiraku.catalog import actions

    actions.dataset_delete(actor=catalog.sysadmin, dataset=catalog.aed)
    result = _everything(catalog.sysadmin, "AED", include_private=True, include_drafts=True)
    assert result.count == 0 and result.datasets == []
