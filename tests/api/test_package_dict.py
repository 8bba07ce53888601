"""The package and resource dicts: CKAN's field names, timestamps, download URLs and versions."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hiraku.catalog import gates

CKAN_PACKAGE_KEYS = {
    "id",
    "name",
    "title",
    "notes",
    "author",
    "author_email",
    "maintainer",
    "maintainer_email",
    "license_id",
    "license_title",
    "license_url",
    "isopen",
    "url",
    "version",
    "state",
    "private",
    "type",
    "metadata_created",
    "metadata_modified",
    "owner_org",
    "organization",
    "groups",
    "tags",
    "num_tags",
    "num_resources",
    "resources",
    "extras",
}
HIRAKU_PACKAGE_KEYS = {
    "title_en",
    "notes_en",
    "update_frequency",
    "spatial",
    "temporal_start",
    "temporal_end",
    "source_note",
    "revision",
}
RESOURCE_KEYS = {
    "id",
    "package_id",
    "name",
    "description",
    "format",
    "url",
    "url_type",
    "size",
    "hash",
    "mimetype",
    "created",
    "last_modified",
    "position",
    "state",
    "datastore_active",
    "version_number",
    "versions",
}
CKAN_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$")


@pytest.fixture
def no_gates(monkeypatch):
    monkeypatch.setattr(gates, "_gates", [])


def _upload(api, content: bytes = b"id,name\n1,AED\n", name: str = "aed-list.csv"):
    return api.upload(
        "resource_create",
        {"package_id": "public-aed", "name": "AED一覧", "format": "CSV"},
        {"upload": SimpleUploadedFile(name, content, "text/csv")},
    )


@pytest.mark.django_db
def test_package_fields(api_as):
    pkg = api_as("anonymous").get("package_show", id="public-aed")[1]["result"]
    assert CKAN_PACKAGE_KEYS | HIRAKU_PACKAGE_KEYS <= set(pkg)
    assert pkg["type"] == "dataset" and pkg["isopen"] is True
    assert CKAN_TIMESTAMP.match(pkg["metadata_created"])
    assert CKAN_TIMESTAMP.match(pkg["metadata_modified"])
    assert set(pkg["organization"]) >= {
        "id",
        "name",
        "title",
        "description",
        "image_url",
        "created",
        "is_organization",
        "type",
        "state",
    }
    assert pkg["organization"]["name"] == "joho" and pkg["owner_org"] == pkg["organization"]["id"]
    assert pkg["groups"][0].keys() >= {
        "id",
        "name",
        "title",
        "display_name",
        "description",
        "image_display_url",
    }
    assert {t["name"] for t in pkg["tags"]} == {"AED", "防災"} and pkg["num_tags"] == 2
    assert pkg["tags"][0].keys() >= {"name", "display_name", "state", "vocabulary_id"}
    assert pkg["num_resources"] == 1 and RESOURCE_KEYS <= set(pkg["resources"][0])
    link = pkg["resources"][0]
    assert link["url"] == "https://example.jp/aed.csv" and link["versions"] == []


@pytest.mark.django_db
def test_extras_round_trip(api_as):
    api = api_as("joho_editor")
    status, body = api.post(
        "package_patch",
        {"id": "public-aed", "extras": [{"key": "b", "value": "2"}, {"key": "a", "value": "1"}]},
    )
    assert status == 200
    assert body["result"]["extras"] == [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]


@pytest.mark.django_db
def test_upload_then_new_version(api_as, no_gates):
    api = api_as("joho_editor")
    status, body = _upload(api)
    assert status == 200, body
    res = body["result"]
    assert res["url_type"] == "upload" and res["version_number"] == 1
    assert (
        res["url"]
        == f"http://testserver/dataset/public-aed/resource/{res['id']}/download/aed-list.csv"
    )
    assert res["hash"].startswith("sha256:") and res["size"] == len(b"id,name\n1,AED\n")
    status, body = api.upload(
        "resource_update",
        {"id": res["id"], "name": "AED一覧", "note": "2026年度"},
        {"upload": SimpleUploadedFile("aed-2026.csv", b"id,name\n1,AED\n2,AED\n", "text/csv")},
    )
    assert status == 200, body
    updated = body["result"]
    assert updated["version_number"] == 2 and updated["url"].endswith("/download/aed-2026.csv")
    assert [v["number"] for v in updated["versions"]] == [2, 1]
    assert updated["versions"][1]["url"] == (
        f"http://testserver/dataset/public-aed/resource/{res['id']}/v/1/download"
    )
    assert updated["versions"][1]["hash"] == res["hash"]


@pytest.mark.django_db
def test_japanese_file_name_is_quoted_in_the_url(api_as, no_gates):
    status, body = _upload(api_as("joho_editor"), name="AED設置.csv")
    assert status == 200
    assert body["result"]["url"].endswith("/download/AED%E8%A8%AD%E7%BD%AE.csv")


@pytest.mark.django_db
def test_held_versions_are_hidden_from_the_public(api_as, monkeypatch):
    monkeypatch.setattr(gates, "_gates", [lambda version: "審査中 / under review"])
    status, body = _upload(api_as("joho_editor"))
    assert status == 200
    assert body["result"]["version_number"] == 1  # editors always see their own uploads
    rid = body["result"]["id"]
    public = api_as("anonymous").get("resource_show", id=rid)[1]["result"]
    assert public["versions"] == [] and public["url"] == "" and public["hash"] == ""
    assert public["size"] is None and public["version_number"] is None


@pytest.mark.django_db
def test_datastore_active_follows_ingested_tables(api_as, catalog, no_gates):
    from hiraku.ingest.models import DataTable, IngestJob, JobState

    body = _upload(api_as("joho_editor"))[1]
    rid = body["result"]["id"]
    assert body["result"]["datastore_active"] is False
    resource = catalog.aed.resources.get(pk=rid)
    version = resource.current_version
    job = IngestJob.objects.create(version=version, state=JobState.DONE)
    DataTable.objects.create(
        job=job, version=version, resource=resource, name="aed-list.csv", parquet_path="x.parquet"
    )
    assert api_as("anonymous").get("resource_show", id=rid)[1]["result"]["datastore_active"] is True


@pytest.mark.django_db
def test_resource_extras_are_flattened_and_accepted_back(api_as):
    api = api_as("joho_editor")
    res = api.get("package_show", id="public-aed")[1]["result"]["resources"][0]
    status, body = api.post("resource_patch", {"id": res["id"], "layer": "避難所"})
    assert status == 200 and body["result"]["layer"] == "避難所"
    status, body = api.post("resource_update", {**body["result"], "description": "説明"})
    assert status == 200 and body["result"]["layer"] == "避難所"
    assert body["result"]["description"] == "説明"


@pytest.mark.django_db
def test_package_create_with_resources_tags_and_draft(api_as):
    status, body = api_as("joho_editor").post(
        "package_create",
        {
            "name": "shelters",
            "title": "避難所一覧",
            "owner_org": "joho",
            "state": "draft",
            "private": True,
            "tags": [{"name": "避難所"}],
            "groups": [{"name": "bosai"}],
            "spatial": "072028",
            "resources": [{"name": "shelters.csv", "url": "https://example.jp/s.csv"}],
        },
    )
    assert status == 200, body
    pkg = body["result"]
    assert pkg["state"] == "draft" and pkg["private"] is True and pkg["spatial"] == "072028"
    assert pkg["resources"][0]["format"] == "CSV"
    assert api_as("anonymous").get("package_show", id="shelters")[0] == 404
    assert api_as("joho_member").get("package_show", id="shelters")[0] == 200


@pytest.mark.django_db
def test_return_id_only(api_as):
    status, body = api_as("joho_editor").post(
        "package_create",
        {"name": "id-only", "title": "x", "owner_org": "joho", "return_id_only": True},
    )
    assert status == 200 and re.fullmatch(r"[0-9a-f-]{36}", body["result"])


@pytest.mark.django_db
def test_search_queries_do_not_grow_with_rows(api_as, catalog):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hiraku.catalog import actions

    def queries_for_search() -> int:
        with CaptureQueriesContext(connection) as captured:
            status, _ = api_as("anonymous").get("package_search", rows=100)
        assert status == 200
        return len(captured.captured_queries)

    baseline = queries_for_search()
    for i in range(15):
        actions.dataset_create(
            actor=catalog.sysadmin,
            data={
                "name": f"many-{i:02d}",
                "title": "多数",
                "owner_org": "kankyo",
                "tags": [f"t{i}"],
                "resources": [
                    {"url": "https://example.jp/a.csv"},
                    {"url": "https://example.jp/b.csv"},
                ],
            },
        )
    assert queries_for_search() <= baseline + 1


@pytest.mark.django_db
def test_uploads_without_tables_cost_no_query_each(api_as, catalog, no_gates):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hiraku.catalog import actions

    def queries_for_search() -> int:
        with CaptureQueriesContext(connection) as captured:
            status, body = api_as("anonymous").get("package_search", rows=100)
        assert status == 200
        return len(captured.captured_queries)

    def add(i: int) -> None:
        dataset = actions.dataset_create(
            actor=catalog.sysadmin,
            data={"name": f"up-{i:02d}", "title": "アップロード", "owner_org": "kankyo"},
        )
        actions.resource_create(
            actor=catalog.sysadmin,
            dataset=dataset,
            data={"name": "data.csv"},
            upload=SimpleUploadedFile("data.csv", b"a\n1\n", "text/csv"),
        )

    add(0)
    baseline = queries_for_search()
    for i in range(1, 12):
        add(i)
    assert queries_for_search() <= baseline + 1
