"""Bad input gets CKAN's error object with a bilingual message, and nothing is half-saved."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hiraku.accounts.services import token_create, token_revoke
from hiraku.catalog.models import ActivityEvent, Dataset, Resource, ResourceVersion

NEW = {"name": "new-data", "title": "新しいデータ", "owner_org": "joho"}


def _nothing_created() -> None:
    assert not Dataset.objects.filter(name="new-data").exists()


def _bilingual(message: str) -> None:
    assert " / " in message and any("\u3040" <= ch <= "\u9fff" for ch in message), message


@pytest.mark.django_db
def test_invalid_json_names_line_and_column(api_as):
    status, body = api_as("joho_editor").post("package_create", '{"name": "new-data",\n "title": }')
    assert status == 400 and body["success"] is False
    assert body["error"]["__type"] == "Validation Error"
    assert "line 2" in body["error"]["message"] and "行 2" in body["error"]["message"]
    _bilingual(body["error"]["message"])
    _nothing_created()


@pytest.mark.django_db
def test_json_that_is_not_an_object(api_as):
    status, body = api_as("joho_editor").post("package_create", "[1, 2]")
    assert status == 400 and "object" in body["error"]["message"]
    _nothing_created()


@pytest.mark.django_db
def test_body_not_utf8(api_as):
    status, body = api_as("joho_editor").post("package_create", '{"title": "市"}'.encode("cp932"))
    assert status == 400 and "UTF-8" in body["error"]["message"]


@pytest.mark.django_db
def test_unknown_and_wrongly_typed_fields(api_as):
    status, body = api_as("joho_editor").post(
        "package_create", {**NEW, "colour": "red", "private": "maybe", "tags": "x"}
    )
    assert status == 409
    error = body["error"]
    assert error["__type"] == "Validation Error"
    assert {"colour", "private", "tags"} <= set(error)
    for field in ("colour", "private", "tags"):
        _bilingual(error[field][0])
    _nothing_created()


@pytest.mark.django_db
def test_wrongly_typed_search_parameters(api_as):
    api = api_as("anonymous")
    status, body = api.get("package_search", rows="many")
    assert status == 409 and "rows" in body["error"]
    status, body = api.get("package_search", start="-1")
    assert status == 409 and "start" in body["error"]
    status, body = api.get("package_search", include_private="perhaps")
    assert status == 409 and "include_private" in body["error"]
    status, body = api.get("package_search", **{"facet.field": "[tags"})
    assert status == 409 and "facet.field" in body["error"]
    status, body = api.get("package_search", **{"facet.field": '["secret"]'})
    assert status == 409 and "facet.field" in body["error"]


@pytest.mark.django_db
def test_unsupported_fq_syntax_is_refused_clearly(api_as):
    api = api_as("anonymous")
    for fq in (
        "organization:joho OR organization:kankyo",
        "-tags:AED",
        "colour:red",
        "justwords",
    ):
        status, body = api.get("package_search", fq=fq)
        assert status == 409, fq
        assert body["error"]["__type"] == "Validation Error" and body["error"]["fq"]
        _bilingual(body["error"]["fq"][0])


@pytest.mark.django_db
def test_rows_are_capped_at_the_configured_maximum(api_as, settings):
    settings.HIRAKU = {**settings.HIRAKU, "API_ROWS_MAX": 1}
    status, body = api_as("anonymous").get("package_search", rows="500")
    assert status == 200 and body["result"]["count"] == 2 and len(body["result"]["results"]) == 1


@pytest.mark.django_db
def test_duplicate_name(api_as):
    status, body = api_as("joho_editor").post("package_create", {**NEW, "name": "public-aed"})
    assert status == 409 and "name" in body["error"]
    _bilingual(body["error"]["name"][0])
    assert Dataset.objects.filter(name="public-aed").count() == 1


@pytest.mark.django_db
def test_unknown_organization(api_as):
    status, body = api_as("sysadmin").post("package_create", {**NEW, "owner_org": "no-such-org"})
    assert status == 409 and "owner_org" in body["error"]
    _nothing_created()


@pytest.mark.django_db
def test_missing_parameter(api_as):
    status, body = api_as("anonymous").get("package_show")
    assert status == 400 and body["error"]["id"]
    _bilingual(body["error"]["message"])


@pytest.mark.django_db
def test_upload_over_the_size_limit_saves_nothing(api_as, catalog, settings, tmp_path):
    settings.HIRAKU = {**settings.HIRAKU, "MAX_UPLOAD_SIZE": 100}
    events_before = ActivityEvent.objects.count()
    status, body = api_as("joho_editor").upload(
        "resource_create",
        {"package_id": "public-aed", "name": "big.csv"},
        {"upload": SimpleUploadedFile("big.csv", b"a,b\n" + b"1,2\n" * 200, "text/csv")},
    )
    assert status == 413 and body["error"]["__type"] == "Validation Error"
    assert "upload" in body["error"]
    _bilingual(body["error"]["message"])
    assert not Resource.objects.filter(name="big.csv").exists()
    assert not ResourceVersion.objects.exists()
    assert ActivityEvent.objects.count() == events_before
    media = tmp_path / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.django_db
def test_write_without_token(api_as):
    status, body = api_as("anonymous").post("package_create", NEW)
    assert status == 403 and body["error"]["__type"] == "Authorization Error"
    assert "token" in body["error"]["message"]
    _nothing_created()


@pytest.mark.django_db
def test_unknown_and_revoked_tokens(catalog):
    from tests.api.conftest import ApiCaller

    status, body = ApiCaller(Client(), "hrk_not-a-real-token").post("package_create", NEW)
    assert status == 403 and "revoked" in body["error"]["message"]
    token, plain = token_create(user=catalog.joho_editor, name="soon revoked")
    token_revoke(user=catalog.joho_editor, token_id=token.pk)
    status, body = ApiCaller(Client(), "Bearer " + plain).post("package_create", NEW)
    assert status == 403 and body["error"]["__type"] == "Authorization Error"
    _nothing_created()


@pytest.mark.django_db
def test_token_header_variants(catalog):
    _, plain = token_create(user=catalog.joho_editor, name="t")
    for headers in (
        {"HTTP_AUTHORIZATION": plain},
        {"HTTP_AUTHORIZATION": f"Bearer {plain}"},
        {"HTTP_X_CKAN_API_KEY": plain},
    ):
        response = Client().get("/api/3/action/package_show", {"id": "private-survey"}, **headers)
        assert response.status_code == 200, headers


@pytest.mark.django_db
def test_stale_revision_is_a_conflict(api_as, catalog):
    api = api_as("joho_editor")
    package = api.get("package_show", id="public-aed")[1]["result"]
    status, _ = api.post(
        "package_patch", {"id": "public-aed", "title": "先に保存", "revision": package["revision"]}
    )
    assert status == 200
    stale = {**package, "title": "古い版からの編集"}
    status, body = api.post("package_update", stale)
    assert status == 409 and "revision" in body["error"]
    _bilingual(body["error"]["message"])
    assert Dataset.objects.get(name="public-aed").title == "先に保存"


@pytest.mark.django_db
def test_package_update_roundtrip_of_package_show(api_as):
    """A client may send back exactly what package_show gave it, with one change."""
    api = api_as("joho_editor")
    package = api.get("package_show", id="public-aed")[1]["result"]
    status, body = api.post("package_update", {**package, "notes": "更新"})
    assert status == 200, body
    result = body["result"]
    assert result["notes"] == "更新" and result["revision"] == package["revision"] + 1
    assert [t["name"] for t in result["tags"]] == [t["name"] for t in package["tags"]]
    assert [r["id"] for r in result["resources"]] == [r["id"] for r in package["resources"]]


@pytest.mark.django_db
def test_write_by_get_is_refused(api_as):
    status, body = api_as("joho_editor").get("package_create", **NEW)
    assert status == 400 and "POST" in body["error"]["message"]
    _nothing_created()


@pytest.mark.django_db
def test_unknown_action(api_as):
    status, body = api_as("anonymous").get("no_such_action")
    assert status == 404 and body["error"]["__type"] == "Not Found Error"
    assert "no_such_action" in body["error"]["message"]


@pytest.mark.django_db
def test_collaborator_capacity_other_than_member(api_as):
    status, body = api_as("joho_admin").post(
        "package_collaborator_create",
        {"id": "private-survey", "user_id": "outsider", "capacity": "editor"},
    )
    assert status == 409 and "capacity" in body["error"]


@pytest.mark.django_db
def test_session_writes_need_csrf(catalog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(catalog.joho_editor)
    response = client.post(
        "/api/3/action/package_create", json.dumps(NEW), content_type="application/json"
    )
    assert response.status_code == 403 and "CSRF" in response.json()["error"]["message"]
    _nothing_created()
    # Reads by POST without CSRF still work, as the anonymous public sees them.
    response = client.post(
        "/api/3/action/package_show",
        json.dumps({"id": "private-survey"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    client.get("/api/docs")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/3/action/package_create",
        json.dumps(NEW),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_http_basic_auth_of_a_proxy_is_not_taken_for_a_token(catalog):
    basic = {"HTTP_AUTHORIZATION": "Basic c3RhZ2luZzpwYXNzd29yZA=="}
    response = Client().get("/api/3/action/package_list", **basic)
    assert response.status_code == 200
    _, plain = token_create(user=catalog.joho_editor, name="t")
    response = Client().post(
        "/api/3/action/package_create",
        json.dumps(NEW),
        content_type="application/json",
        HTTP_X_CKAN_API_KEY=plain,
        **basic,
    )
    assert response.status_code == 200, response.content
