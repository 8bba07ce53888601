"""Resource page and downloads: the current file, every past version, permissions, links."""

from urllib.parse import quote

from django.urls import reverse

from hiraku.catalog import gates


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_resource_page_lists_all_versions(client, catalog, uploaded):
    response = client.get(reverse("web:resource", args=["public-aed", uploaded.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for version in uploaded.versions.all():
        assert (
            reverse("web:download_version", args=["public-aed", uploaded.pk, version.number])
            in html
        )
        assert version.sha256[:16] in html
    assert 'id="data-heading"' in html  # the _resource_data.html block is included


def test_download_current_version_with_japanese_filename(client, catalog, uploaded):
    url = reverse("web:download", args=["public-aed", uploaded.pk, "AED一覧.csv"])
    response = client.get(url)
    assert response.status_code == 200
    assert _body(response) == "名称,住所\n市役所,東栄町\n図書館,栄町\n".encode()
    disposition = response["Content-Disposition"]
    assert "attachment" in disposition
    assert "filename*=utf-8''" + quote("AED一覧.csv") in disposition


def test_download_older_version(client, catalog, uploaded):
    url = reverse("web:download_version", args=["public-aed", uploaded.pk, 1])
    response = client.get(url)
    assert response.status_code == 200
    assert _body(response) == "名称,住所\n市役所,東栄町\n".encode()
    missing = reverse("web:download_version", args=["public-aed", uploaded.pk, 9])
    assert client.get(missing).status_code == 404


def test_download_of_private_dataset_needs_permission(client, catalog):
    from hiraku.catalog import actions
    from tests.conftest import make_upload

    resource = actions.resource_create(
        actor=catalog.sysadmin,
        dataset=catalog.survey,
        data={},
        upload=make_upload("survey.csv", b"a\n1\n"),
    )
    url = reverse("web:download_version", args=["private-survey", resource.pk, 1])
    assert client.get(url).status_code == 404
    client.force_login(catalog.outsider)
    assert client.get(url).status_code == 404
    client.force_login(catalog.student)
    assert client.get(url).status_code == 200


def test_held_version_is_not_downloadable_by_the_public(client, catalog, uploaded):
    def hold_v2(version):
        return "確認中 / Under review" if version.number == 2 else None

    gates.register_release_gate(hold_v2)
    try:
        current = reverse("web:download", args=["public-aed", uploaded.pk, "AED一覧.csv"])
        assert client.get(current).status_code == 403
        older = reverse("web:download_version", args=["public-aed", uploaded.pk, 1])
        assert client.get(older).status_code == 200
        client.force_login(catalog.joho_editor)  # editors review it, so they may
        assert client.get(current).status_code == 200
    finally:
        gates._gates.remove(hold_v2)


def test_link_resource_redirects(client, catalog):
    resource = catalog.aed.resources.get(name="aed.csv")
    url = reverse("web:download", args=["public-aed", resource.pk, "aed.csv"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "https://example.jp/aed.csv"


def test_resource_under_wrong_dataset_is_404(client, catalog, uploaded):
    url = reverse("web:resource", args=["public-parks", uploaded.pk])
    assert client.get(url).status_code == 404
