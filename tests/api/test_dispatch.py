"""The dispatcher and the documentation: URLs, request formats, envelope, OpenAPI, Swagger UI."""

import json
import re

import pytest
from django.test import Client

from hiraku.api.openapi import parse_docstring
from hiraku.api.registry import all_actions


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/", "/api/3", "/api/3/"])
def test_api_root_answers_version_3(url):
    response = Client().get(url)
    assert response.status_code == 200 and response.json() == {"version": 3}


@pytest.mark.django_db
def test_unversioned_and_versioned_urls_and_envelope(catalog):
    for url in ("/api/3/action/package_list", "/api/action/package_list"):
        body = Client().get(url).json()
        assert body == {
            "help": "http://testserver/api/3/action/help_show?name=package_list",
            "success": True,
            "result": ["public-aed", "public-parks"],
        }


@pytest.mark.django_db
def test_post_forms_legacy_json_and_multi_values(catalog):
    client = Client()
    # Old clients post JSON with a form content type; CKAN reads it as JSON.
    response = client.post(
        "/api/3/action/package_show",
        '{"id": "public-aed"}',
        content_type="application/x-www-form-urlencoded",
    )
    assert response.json()["result"]["name"] == "public-aed"
    response = client.post("/api/3/action/package_show", {"id": "public-aed"})  # multipart
    assert response.json()["result"]["name"] == "public-aed"
    response = client.post(
        "/api/3/action/package_search",
        "fq=tags:AED&rows=5",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.json()["result"]["count"] == 1
    response = client.get("/api/3/action/package_search", {"fq_list": ["tags:AED", "groups:bosai"]})
    assert response.json()["result"]["count"] == 1


@pytest.mark.django_db
def test_jsonp_runs_anonymously(catalog):
    from hiraku.accounts.services import token_create

    _, plain = token_create(user=catalog.joho_member, name="t")
    response = Client().get(
        "/api/3/action/package_search",
        {"callback": "cb", "include_private": "true"},
        HTTP_AUTHORIZATION=plain,
    )
    text = response.content.decode()
    assert response["Content-Type"].startswith("application/javascript")
    assert text.startswith("cb(") and "private-survey" not in text
    bad = Client().get("/api/3/action/site_read", {"callback": "alert(1)//"})
    assert bad["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_help_show_returns_the_docstring(catalog):
    body = Client().get("/api/3/action/help_show", {"name": "package_search"}).json()
    assert ":param fq:" in body["result"]


@pytest.mark.django_db
def test_status_show_and_license_list(catalog):
    status = Client().get("/api/3/action/status_show").json()["result"]
    assert status["ckan_version"].startswith("2.") and status["site_url"] == "http://testserver"
    licenses = Client().get("/api/3/action/license_list").json()["result"]
    assert {"cc-by-4.0", "pdl-1.0"} <= {lic["id"] for lic in licenses}
    assert licenses[0].keys() >= {"id", "title", "url", "od_conformance"}


@pytest.mark.django_db
def test_organization_list_options(catalog):
    client = Client()
    assert client.get("/api/3/action/organization_list", {"sort": "name asc"}).json()["result"] == [
        "joho",
        "kankyo",
        "soumu",
    ]
    result = client.get(
        "/api/3/action/organization_list", {"sort": "name desc", "limit": 1, "offset": 1}
    ).json()["result"]
    assert result == ["kankyo"]
    bad = client.get("/api/3/action/organization_list", {"sort": "colour"})
    assert bad.status_code == 409 and "sort" in bad.json()["error"]


@pytest.mark.django_db
def test_openapi_describes_every_action():
    schema = Client().get("/api/openapi.json").json()
    for name, act in all_actions().items():
        item = schema["paths"].get(f"/api/3/action/{name}")
        assert item and "post" in item, name
        assert ("get" in item) is (not act.write), name
        assert item["post"]["summary"], name
    search = schema["paths"]["/api/3/action/package_search"]["get"]
    params = {p["name"]: p for p in search["parameters"]}
    assert params["rows"]["schema"] == {"type": "integer"}
    assert params["include_private"]["schema"] == {"type": "boolean"}
    create = schema["paths"]["/api/3/action/resource_create"]["post"]
    assert "multipart/form-data" in create["requestBody"]["content"]
    assert create["security"]


@pytest.mark.django_db
def test_swagger_ui_loads_nothing_from_the_internet():
    page = Client().get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/api/") for a in assets), assets
    for asset in assets:
        assert Client().get(asset).status_code == 200, asset
    assert Client().get("/api/docs/assets/..%2Fsettings.py").status_code == 404


def test_docstring_parsing():
    summary, description, fields = parse_docstring(
        """Search things.

        More words.

        :param q: what to find,
            over two lines
        :type q: string
        :param rows: how many
        :type rows: int
        :rtype: dictionary
        """
    )
    assert summary == "Search things." and "More words." in description
    assert fields["q"]["description"] == "what to find, over two lines"
    assert fields["rows"]["schema"] == {"type": "integer"}


@pytest.mark.django_db
def test_internal_errors_keep_the_envelope(catalog, monkeypatch):
    from hiraku.api.actions import site

    monkeypatch.setattr(site, "LICENSES", None)  # iterating None raises TypeError
    response = Client().get("/api/3/action/license_list")
    assert response.status_code == 500
    body = json.loads(response.content)
    assert body["success"] is False and body["error"]["__type"] == "Internal Server Error"
    assert "TypeError" not in response.content.decode()  # no internals leak to the caller


@pytest.mark.django_db
def test_unversioned_write_with_token(catalog):
    from hiraku.accounts.services import token_create

    _, plain = token_create(user=catalog.joho_editor, name="t")
    response = Client(enforce_csrf_checks=True).post(
        "/api/action/package_create",
        json.dumps({"name": "via-unversioned", "title": "x", "owner_org": "joho"}),
        content_type="application/json",
        HTTP_X_CKAN_API_KEY=plain,
    )
    assert response.status_code == 200, response.content
    assert response.json()["result"]["name"] == "via-unversioned"


API_AREA_MODULES = ("site", "packages", "package_write", "resources", "organizations")


def test_every_catalog_action_is_in_the_user_docs():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    mine = [
        name
        for name, act in all_actions().items()
        if act.fn.__module__.rsplit(".", 1)[-1] in API_AREA_MODULES
    ]
    assert len(mine) == 28
    missing = [name for name in mine if f"`{name}`" not in docs]
    assert not missing, missing


@pytest.mark.django_db
def test_cross_origin_reads_by_get_only(catalog):
    assert Client().get("/api/3/action/package_list")["Access-Control-Allow-Origin"] == "*"
    assert Client().get("/api/3/action/package_show")["Access-Control-Allow-Origin"] == "*"
    posted = Client().post("/api/3/action/package_list", "{}", content_type="application/json")
    assert "Access-Control-Allow-Origin" not in posted
    assert "Access-Control-Allow-Credentials" not in posted
