"""Staff forms: create, edit (with optimistic concurrency), delete, add resources, upload
versions, and bad input mapped onto fields with an error summary."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hiraku.catalog.models import Dataset, Resource, ResourceVersion

VALID = {
    "title": "避難所一覧",
    "name": "shelters",
    "owner_org": "joho",
    "license_id": "cc-by-4.0",
    "state": "active",
    "tags": "防災, 避難所、災害",
    "groups": ["bosai"],
    "spatial": "072028",
}


def test_only_publishers_get_the_create_form(client, catalog):
    url = reverse("web:dataset_new")
    assert client.get(url).status_code == 302  # to sign-in
    client.force_login(catalog.joho_member)
    assert client.get(url).status_code == 403
    client.force_login(catalog.joho_editor)
    assert client.get(url).status_code == 200


def test_create_dataset(client, catalog):
    client.force_login(catalog.joho_editor)
    response = client.post(reverse("web:dataset_new"), VALID)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:resource_new", args=["shelters"])
    dataset = Dataset.objects.get(name="shelters")
    assert dataset.organization.name == "joho"
    assert sorted(t.name for t in dataset.tags.all()) == ["災害", "避難所", "防災"]
    assert [c.name for c in dataset.categories.all()] == ["bosai"]


def test_bad_input_maps_to_fields_with_summary(client, catalog):
    client.force_login(catalog.joho_editor)
    data = {**VALID, "name": "Bad Name!", "spatial": "072029", "author_email": "not-an-email"}
    response = client.post(reverse("web:dataset_new"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"name", "spatial", "author_email"}
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'href="#id_spatial"' in html  # summary links to the field
    assert 'aria-invalid="true"' in html
    assert not Dataset.objects.filter(title="避難所一覧").exists()
    assert response.context["form"]["title"].value() == "避難所一覧"  # input kept


def test_duplicate_name_is_a_field_error(client, catalog):
    client.force_login(catalog.joho_editor)
    response = client.post(reverse("web:dataset_new"), {**VALID, "name": "public-aed"})
    assert response.status_code == 400
    assert "That URL is already in use" in str(response.context["form"].errors["name"])


def test_cannot_create_in_other_organization(client, catalog):
    client.force_login(catalog.kankyo_editor)
    response = client.post(reverse("web:dataset_new"), VALID)  # owner_org joho
    assert response.status_code == 400  # not one of the offered choices
    assert not Dataset.objects.filter(name="shelters").exists()


def _edit_data(client, name):
    form = client.get(reverse("web:dataset_edit", args=[name])).context["form"]
    data = {}
    for field_name in form.fields:
        value = form[field_name].value()
        if value is None or value is False:
            continue
        data[field_name] = value
    return data


def test_edit_dataset_keeps_extras_and_resources(client, catalog):
    catalog.aed.extras = {"keep": "me"}
    catalog.aed.save()
    client.force_login(catalog.joho_editor)
    data = _edit_data(client, "public-aed")
    assert data["revision"] == catalog.aed.revision
    data["title"] = "AED設置箇所一覧 (改訂)"
    response = client.post(reverse("web:dataset_edit", args=["public-aed"]), data)
    assert response.status_code == 302
    catalog.aed.refresh_from_db()
    assert catalog.aed.title == "AED設置箇所一覧 (改訂)"
    assert catalog.aed.extras == {"keep": "me"}
    assert catalog.aed.resources.filter(state="active").count() == 1
    assert sorted(t.name for t in catalog.aed.tags.all()) == ["AED", "防災"]


def test_edit_conflict_keeps_input_and_explains(client, catalog):
    from hiraku.catalog import actions

    client.force_login(catalog.joho_editor)
    data = _edit_data(client, "public-aed")
    # Someone else saves meanwhile.
    actions.dataset_update(
        actor=catalog.joho_admin, dataset=catalog.aed, data={"title": "他の人の変更"}, partial=True
    )
    data["title"] = "私の変更"
    response = client.post(reverse("web:dataset_edit", args=["public-aed"]), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "編集中に他の人がこのデータセットを更新しました" in html
    assert 'value="私の変更"' in html
    catalog.aed.refresh_from_db()
    assert catalog.aed.title == "他の人の変更"
    # The form now carries the current revision, so saving again is a deliberate overwrite.
    assert str(response.context["form"]["revision"].value()) == str(catalog.aed.revision)
    data["revision"] = catalog.aed.revision
    assert client.post(reverse("web:dataset_edit", args=["public-aed"]), data).status_code == 302
    catalog.aed.refresh_from_db()
    assert catalog.aed.title == "私の変更"


def test_edit_and_delete_need_edit_permission(client, catalog):
    client.force_login(catalog.joho_member)
    assert client.get(reverse("web:dataset_edit", args=["public-aed"])).status_code == 403
    assert client.post(reverse("web:dataset_delete", args=["public-aed"])).status_code == 403
    client.force_login(catalog.outsider)
    assert client.get(reverse("web:dataset_edit", args=["private-survey"])).status_code == 404


def test_delete_dataset(client, catalog):
    client.force_login(catalog.joho_editor)
    assert client.get(reverse("web:dataset_delete", args=["public-aed"])).status_code == 200
    assert client.post(reverse("web:dataset_delete", args=["public-aed"])).status_code == 302
    catalog.aed.refresh_from_db()
    assert catalog.aed.state == "deleted"
    assert client.get(reverse("web:dataset", args=["public-aed"])).status_code == 404


def test_add_resource_by_upload(client, catalog):
    client.force_login(catalog.joho_editor)
    upload = SimpleUploadedFile("避難所.csv", "名称\n体育館\n".encode(), content_type="text/csv")
    response = client.post(
        reverse("web:resource_new", args=["public-aed"]), {"upload": upload, "description": "x"}
    )
    assert response.status_code == 302
    resource = Resource.objects.get(dataset=catalog.aed, name="避難所.csv")
    assert resource.format == "CSV"
    assert resource.current_version.size == len("名称\n体育館\n".encode())


def test_add_resource_by_url_and_xhr_reply(client, catalog):
    client.force_login(catalog.joho_editor)
    response = client.post(
        reverse("web:resource_new", args=["public-aed"]),
        {"url": "https://example.jp/data.json", "name": "data.json"},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    resource = Resource.objects.get(dataset=catalog.aed, name="data.json")
    assert response.json()["location"] == reverse("web:resource", args=["public-aed", resource.pk])


def test_add_resource_needs_file_or_url(client, catalog):
    client.force_login(catalog.joho_editor)
    response = client.post(reverse("web:resource_new", args=["public-aed"]), {"name": "x"})
    assert response.status_code == 400
    assert response.context["form"].errors["upload"]


def test_upload_over_limit_saves_nothing(client, catalog, settings):
    settings.HIRAKU = {**settings.HIRAKU, "MAX_UPLOAD_SIZE": 10}
    client.force_login(catalog.joho_editor)
    before = Resource.objects.count(), ResourceVersion.objects.count()
    upload = SimpleUploadedFile("big.csv", b"a,b\n" * 20, content_type="text/csv")
    response = client.post(reverse("web:resource_new", args=["public-aed"]), {"upload": upload})
    assert response.status_code == 413
    assert "ファイルが大きすぎます" in response.content.decode() or "サイズ上限" in (
        response.content.decode()
    )
    assert (Resource.objects.count(), ResourceVersion.objects.count()) == before


def test_new_version_upload(client, catalog, uploaded):
    client.force_login(catalog.joho_editor)
    url = reverse("web:version_new", args=["public-aed", uploaded.pk])
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("AED一覧.csv", "名称\nv3\n".encode(), content_type="text/csv")
    response = client.post(url, {"upload": upload})
    assert response.status_code == 302
    uploaded.refresh_from_db()
    assert uploaded.current_version.number == 3
    assert uploaded.versions.count() == 3


def test_new_version_requires_a_file(client, catalog, uploaded):
    client.force_login(catalog.joho_editor)
    url = reverse("web:version_new", args=["public-aed", uploaded.pk])
    response = client.post(url, {})
    assert response.status_code == 400
    assert uploaded.versions.count() == 2


@pytest.mark.parametrize("role", ["joho_member", "kankyo_editor"])
def test_upload_forms_refuse_non_editors(client, catalog, uploaded, role):
    client.force_login(getattr(catalog, role))
    assert client.get(reverse("web:resource_new", args=["public-aed"])).status_code == 403
    url = reverse("web:version_new", args=["public-aed", uploaded.pk])
    assert client.get(url).status_code == 403
