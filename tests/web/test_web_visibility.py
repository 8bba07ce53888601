"""Pages per role: private and draft datasets never show to those who may not see them,
in lists, counts, facets and pages; badges show to those who may."""

import pytest
from django.urls import reverse

ROLES = ["anonymous", "outsider", "student", "joho_member", "joho_editor", "kankyo_editor"]
# Which of the non-public datasets each role may see (from tests/catalog/test_permissions.py).
SEES_SURVEY = {"student", "joho_member", "joho_editor"}
SEES_DRAFT = {"joho_member", "joho_editor"}


def _client_for(client, catalog, role):
    if role != "anonymous":
        client.force_login(getattr(catalog, role))
    return client


@pytest.mark.parametrize("role", ROLES)
def test_dataset_list_hides_what_role_may_not_see(client, catalog, role):
    client = _client_for(client, catalog, role)
    html = client.get(reverse("web:dataset_list")).content.decode()
    assert "AED設置箇所一覧" in html and "公園一覧" in html
    assert ("市民意識調査" in html) == (role in SEES_SURVEY)
    assert ("下書きの計画" in html) == (role in SEES_DRAFT)
    expected = 2 + (role in SEES_SURVEY) + (role in SEES_DRAFT)
    assert f"{expected} 件見つかりました" in html


@pytest.mark.parametrize("role", ROLES)
def test_facet_counts_only_count_visible(client, catalog, role):
    client = _client_for(client, catalog, role)
    response = client.get(reverse("web:dataset_list"))
    facets = {f: {i.name: i.count for i in items} for f, items in response.context["facet_groups"]}
    joho_count = 1 + (role in SEES_SURVEY) + (role in SEES_DRAFT)
    assert facets["organization"]["joho"] == joho_count
    assert ("調査" in facets["tags"]) == (role in SEES_SURVEY)


@pytest.mark.parametrize("role", ROLES)
def test_dataset_pages_404_for_hidden(client, catalog, role):
    client = _client_for(client, catalog, role)
    survey = client.get(reverse("web:dataset", args=["private-survey"]))
    draft = client.get(reverse("web:dataset", args=["draft-plan"]))
    assert survey.status_code == (200 if role in SEES_SURVEY else 404)
    assert draft.status_code == (200 if role in SEES_DRAFT else 404)
    if role in SEES_SURVEY:
        assert "非公開" in survey.content.decode()
    if role in SEES_DRAFT:
        assert "下書き" in draft.content.decode()


def test_home_category_and_org_counts_follow_permissions(client, catalog):
    home = client.get(reverse("web:home"))
    counts = {c.name: c.n for c in home.context["categories"]}
    assert counts == {"bosai": 1, "jinko": 1}
    orgs = client.get(reverse("web:organization_list"))
    html = orgs.content.decode()
    # The tree nests 情報政策課 under 総務部.
    assert html.index("総務部") < html.index("情報政策課")
    tree = orgs.context["tree"]
    soumu = next(node for node in tree if node["org"].name == "soumu")
    assert [child["org"].name for child in soumu["children"]] == ["joho"]
    assert soumu["children"][0]["total"] == 1  # only public-aed for anonymous
    assert soumu["total"] == 1  # a department counts its sections' datasets


def test_organization_page_lists_visible_datasets_only(client, catalog):
    html = client.get(reverse("web:organization", args=["joho"])).content.decode()
    assert "AED設置箇所一覧" in html and "市民意識調査" not in html and "下書きの計画" not in html
    client.force_login(catalog.joho_member)
    html = client.get(reverse("web:organization", args=["joho"])).content.decode()
    assert "市民意識調査" in html and "下書きの計画" in html
    # The department page includes its sections' datasets, still filtered by permission.
    client.logout()
    department = client.get(reverse("web:organization", args=["soumu"]))
    assert [d.name for d in department.context["datasets"]] == ["public-aed"]


def test_search_filters_and_removable_chips(client, catalog):
    response = client.get(reverse("web:dataset_list"), {"q": "AED", "tags": "防災"})
    html = response.content.decode()
    assert response.context["result"].count == 1
    assert "AED設置箇所一覧" in html and "公園一覧" not in html
    # The active filter chip links to the same search without that filter.
    assert 'href="?q=AED"' in html


def test_paging_20_per_page(client, catalog):
    from hiraku.catalog import actions

    for i in range(23):
        actions.dataset_create(
            actor=catalog.sysadmin,
            data={"name": f"bulk-{i:02d}", "title": f"一括 {i}", "owner_org": "kankyo"},
        )
    first = client.get(reverse("web:dataset_list"), {"q": "一括"})
    second = client.get(reverse("web:dataset_list"), {"q": "一括", "page": 2})
    assert len(first.context["result"].datasets) == 20
    assert len(second.context["result"].datasets) == 3
    assert first.context["pages"] == 2
    assert 'rel="next"' in first.content.decode()


def test_dataset_page_shows_metadata_licence_api_and_attribution(client, catalog):
    html = client.get(reverse("web:dataset", args=["public-aed"])).content.decode()
    assert "<strong>AED</strong>" in html  # Markdown rendered
    assert "creativecommons.org/licenses/by/4.0" in html
    assert "package_show?id=public-aed" in html and "urllib.request" in html
    assert "出典：会津若松市「AED設置箇所一覧」" in html
    assert "一切の責任を負いません" in html  # 免責


def test_markdown_is_sanitised(client, catalog):
    from hiraku.catalog import actions

    actions.dataset_update(
        actor=catalog.sysadmin,
        dataset=catalog.parks,
        data={"notes": "<script>alert(1)</script>[x](javascript:alert(2)) <img src=x onerror=y>"},
        partial=True,
    )
    html = client.get(reverse("web:dataset", args=["public-parks"])).content.decode()
    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html and "onerror" not in html


def test_edit_links_only_for_editors(client, catalog):
    url = reverse("web:dataset", args=["public-aed"])
    assert "/edit/" not in client.get(url).content.decode()
    client.force_login(catalog.joho_member)
    assert "/edit/" not in client.get(url).content.decode()
    client.force_login(catalog.joho_editor)
    assert "/dataset/public-aed/edit/" in client.get(url).content.decode()


def test_static_pages_and_404(client, catalog):
    assert "CC BY 4.0" in client.get(reverse("web:terms")).content.decode()
    assert "個人情報" in client.get(reverse("web:terms")).content.decode()
    assert client.get(reverse("web:about")).status_code == 200
    missing = client.get("/dataset/no-such-thing/")
    assert missing.status_code == 404
    assert "ページが見つかりません" in missing.content.decode()


def test_error_pages_render(client, catalog):
    from django.template.loader import render_to_string

    client.force_login(catalog.joho_member)
    forbidden = client.get(reverse("web:dataset_edit", args=["public-aed"]))
    assert forbidden.status_code == 403
    assert "権限がありません" in forbidden.content.decode()
    # The default 500 handler renders without a request context.
    html = render_to_string("500.html")
    assert "Server error" in html and 'lang="ja"' in html
