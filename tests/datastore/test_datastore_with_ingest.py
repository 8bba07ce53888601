"""A real city file through the real ingest pipeline, then read back through the data API."""

import json

import pytest
from datastore_helpers import call

from hiraku.catalog import actions
from hiraku.catalog.models import Resource


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = "datastore_test_urls"


def test_kobe_cp932_shelters_searchable_and_downloadable(catalog, testdata, client):
    from django.core.files import File

    from hiraku.ingest.models import JobState
    from hiraku.ingest.pipeline import ingest_version
    from hiraku.ingest.receivers import queue_paused

    path = testdata / "kobe_indoor_shelters_cp932.csv"
    with queue_paused(), path.open("rb") as handle:
        resource = actions.resource_create(
            actor=catalog.sysadmin,
            dataset=catalog.parks,
            data={"name": "shelters.csv"},
            upload=File(handle, name="shelters.csv"),
        )
    resource = Resource.objects.get(pk=resource.pk)
    job = ingest_version(resource.current_version_id)
    assert job.state == JobState.DONE, job.message

    rid = str(resource.pk)
    info = call("datastore_info", catalog.sysadmin, id=rid)
    assert info["meta"]["count"] > 300
    names = [f["id"] for f in info["fields"]]
    text_column = next(f["id"] for f in info["fields"] if f["type"] == "text")
    first = call("datastore_search", catalog.sysadmin, resource_id=rid, limit=1)["records"][0]
    value = first[text_column]
    found = call(
        "datastore_search", catalog.sysadmin, resource_id=rid, filters={text_column: value}
    )
    assert found["total"] >= 1 and all(r[text_column] == value for r in found["records"])
    assert call("datastore_search", catalog.sysadmin, resource_id=rid, q="区")["total"] > 0

    client.force_login(catalog.sysadmin)
    response = client.get(f"/datastore/dump/{rid}", {"format": "geojson"})
    assert response.status_code == 200, (names, response.content[:300])
    collection = json.loads(b"".join(response.streaming_content))
    lon, lat = next(f for f in collection["features"] if f["geometry"])["geometry"]["coordinates"]
    assert 134 < lon < 136 and 34 < lat < 35.5  # Kobe


def test_rerun_with_a_type_override_is_what_warm_workers_serve(catalog, settings):
    """A long-running web worker has the first run's columns and rows cached; after a
    re-run of the same version with a type override it must serve the new table."""
    from django.core.files.base import ContentFile

    from hiraku.datastore import hotcache
    from hiraku.ingest.pipeline import ingest_version
    from hiraku.ingest.receivers import queue_paused

    settings.HIRAKU = {**settings.HIRAKU, "DATASTORE_HOT_MIN_ROWS": 0}
    csv = "コード,名称\n" + "".join(f"{n},施設{n:02d}\n" for n in range(1, 31))
    with queue_paused():
        resource = actions.resource_create(
            actor=catalog.sysadmin,
            dataset=catalog.parks,
            data={"name": "codes.csv"},
            upload=ContentFile(csv.encode(), name="codes.csv"),
        )
    version_id = Resource.objects.get(pk=resource.pk).current_version_id
    ingest_version(version_id)
    rid = str(resource.pk)
    first = call("datastore_search", catalog.sysadmin, resource_id=rid, sort="名称", limit=2)
    assert first["records"][0]["コード"] == 1  # inferred as integer
    served = call("datastore_info", catalog.sysadmin, id=rid)
    from hiraku.datastore import engine
    from hiraku.ingest.models import DataTable

    table = DataTable.objects.get(resource_id=rid)
    hotcache.warm(str(engine.parquet_path(table)), table.row_count, wait=True)
    assert {f["id"]: f["type"] for f in served["fields"]}["コード"] == "int"

    ingest_version(version_id, options={"types": {"codes.csv": {"コード": "string"}}})
    again = call("datastore_search", catalog.sysadmin, resource_id=rid, sort="名称", limit=2)
    assert again["records"][0]["コード"] == "1"
    assert {f["id"]: f["type"] for f in again["fields"]}["コード"] == "text"
