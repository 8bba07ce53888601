"""Language switch, translated model names, and basic accessibility checks on every page."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.web.conftest import parse


def test_japanese_by_default_and_english_after_switch(client, catalog):
    html = client.get(reverse("web:home")).content.decode()
    assert '<html lang="ja">' in html and "データセットを検索" in html
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("web:dataset_list")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("web:dataset_list")
    html = client.get(reverse("web:home")).content.decode()
    assert '<html lang="en">' in html and "Search datasets" in html
    assert "Disaster prevention" in html  # categories use title_en in English


def test_model_verbose_names_are_translated():
    from hiraku.accounts.models import ApiToken
    from hiraku.catalog.models import Dataset

    with translation.override("ja"):
        assert str(Dataset._meta.verbose_name) == "データセット"
        assert str(Dataset._meta.get_field("license_id").verbose_name) == "ライセンス"
        assert str(ApiToken._meta.get_field("name").verbose_name) == "名前"


def _pages(catalog, uploaded):
    return [
        reverse("web:home"),
        reverse("web:dataset_list") + "?q=AED",
        reverse("web:dataset", args=["public-aed"]),
        reverse("web:resource", args=["public-aed", uploaded.pk]),
        reverse("web:organization_list"),
        reverse("web:organization", args=["soumu"]),
        reverse("web:terms"),
        reverse("web:about"),
        reverse("web:user"),
        reverse("web:dataset_new"),
        reverse("web:dataset_edit", args=["public-aed"]),
        reverse("web:resource_new", args=["public-aed"]),
        reverse("web:version_new", args=["public-aed", uploaded.pk]),
        reverse("web:dataset_delete", args=["public-aed"]),
    ]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_page_has_lang_one_h1_labels_and_landmarks(client, catalog, uploaded, language):
    client.force_login(catalog.joho_editor)
    client.post(reverse("set_language"), {"language": language})
    for url in _pages(catalog, uploaded):
        response = client.get(url)
        assert response.status_code == 200, url
        page = parse(response.content.decode())
        html_tag = next(attrs for tag, attrs in page.tags if tag == "html")
        assert html_tag.get("lang") == language, url
        assert page.h1_count == 1, url
        tags = {tag for tag, _ in page.tags}
        assert {"header", "main", "footer", "nav"} <= tags, url
        assert any(t == "a" and a.get("href") == "#main" for t, a in page.tags), url
        for tag, attrs in page.tags:
            if tag in ("input", "select", "textarea") and attrs.get("type") not in (
                "hidden",
                "submit",
            ):
                labelled = (
                    attrs.get("id") in page.label_for
                    or attrs.get("id") in page.wrapped_inputs
                    or attrs.get("aria-label")
                )
                assert labelled, f"{url}: unlabelled {tag} {attrs}"
            if tag == "img":
                assert "alt" in attrs, url


def test_login_page_labels(client, catalog):
    page = parse(client.get(reverse("web:login")).content.decode())
    assert {"id_username", "id_password"} <= page.label_for
