"""Staff overrides (types, encoding), idempotent re-runs, and the status / re-run endpoints."""

import json

import pytest
from ingest_helpers import field_types, read_table

from hiraku.catalog.errors import ValidationFailed
from hiraku.ingest.models import DataTable, IngestJob, JobState
from hiraku.ingest.pipeline import ingest_version
from hiraku.ingest.selectors import active_tables
from hiraku.ingest.services import clean_options, ingest_rerun

CSV = "コード,人口,日付\n1001,100,R5.4.1\n1002,200,令和5年4月2日\n1003,-,2023/4/3\n".encode()


def test_type_override_wins(ingest):
    job = ingest("codes.csv", CSV)
    table = job.tables.get()
    assert field_types(table) == {"コード": "integer", "人口": "integer", "日付": "date"}
    rerun = ingest_version(
        job.version_id, options={"types": {"codes.csv": {"コード": "string", "日付": "string"}}}
    )
    assert rerun.state == JobState.DONE, rerun.message
    table = rerun.tables.get()
    types = field_types(table)
    assert types == {"コード": "string", "人口": "integer", "日付": "string"}
    field = table.table_schema["fields"][0]
    assert field["hiraku:inferred"]["overridden"] is True
    assert read_table(table)[0] == ("1001", 100, "R5.4.1")
    assert read_table(table)[2][1] is None  # "-" is a missing marker


def test_override_that_loses_values_warns_with_row(ingest):
    job = ingest("codes.csv", CSV)
    rerun = ingest_version(job.version_id, options={"types": {"codes.csv": {"日付": "integer"}}})
    assert rerun.state == JobState.DONE
    warning = rerun.report["warnings"][0]
    assert "日付" in warning and "1" in warning and " / " in warning
    assert [row[2] for row in read_table(rerun.tables.get())] == [None, None, None]


def test_year_override_keeps_readable_years_and_warns_about_the_rest(ingest):
    content = "年度,件数\n令和元年度,1\n未定,2\n2021年,3\n".encode()
    job = ingest("plan.csv", content)
    assert field_types(job.tables.get())["年度"] == "string"
    rerun = ingest_version(job.version_id, options={"types": {"plan.csv": {"年度": "year"}}})
    assert rerun.state == JobState.DONE, rerun.message
    assert field_types(rerun.tables.get())["年度"] == "year"
    assert [row[0] for row in read_table(rerun.tables.get())] == [2019, None, 2021]
    assert any("年度" in warning for warning in rerun.report["warnings"])


def test_encoding_override(ingest):
    content = "名称,人口\n東灘,100\n".encode("euc-jp")
    job = ingest("euc.csv", content, options={"encoding": "euc-jp"})
    assert job.state == JobState.DONE, job.message
    assert job.detected_encoding == "euc-jp"
    assert read_table(job.tables.get()) == [("東灘", 100)]


def test_wrong_encoding_override_fails_cleanly(ingest):
    job = ingest("sjis.csv", "名称,人口\n東灘,100\n".encode("cp932"), options={"encoding": "utf-8"})
    assert job.state == JobState.FAILED
    assert "sjis.csv" in job.message and " / " in job.message


def test_rerun_is_idempotent(ingest):
    from hiraku.conf import setting

    job = ingest("codes.csv", CSV)
    first = [(t.name, t.row_count, t.table_schema, read_table(t)) for t in job.tables.all()]
    old_path = job.tables.get().parquet_path
    again = ingest_version(job.version_id)
    second = [(t.name, t.row_count, t.table_schema, read_table(t)) for t in again.tables.all()]
    assert first == second
    assert DataTable.objects.filter(version=job.version).count() == 1
    assert list(active_tables(job.version.resource)) == list(again.tables.all())
    # a new file per run (caches key on the path), and the previous run's file is gone
    new_path = again.tables.get().parquet_path
    assert new_path != old_path
    folder = (setting("DATASTORE_DIR") + "/" + new_path).rsplit("/", 1)[0]
    import os

    assert os.listdir(folder) == [new_path.rsplit("/", 1)[1]]


def test_failed_rerun_keeps_the_tables_of_the_same_version(ingest):
    job = ingest("codes.csv", CSV)
    before = list(active_tables(job.version.resource))
    failed = ingest_version(job.version_id, options={"encoding": "utf-16"})
    assert failed.state == JobState.FAILED
    assert list(active_tables(job.version.resource)) == before
    assert len(read_table(before[0])) == 3


def test_clean_options_rejects_unknown_values():
    assert clean_options({"encoding": "Shift_JIS"}) == {"encoding": "shift_jis"}
    assert clean_options({"allow_ragged": True}) == {"allow_ragged": True}
    assert clean_options({"allow_ragged": "1"}) == {"allow_ragged": True}
    assert clean_options({"allow_ragged": ""}) == {}
    assert clean_options({"allow_ragged": False}) == {}
    with pytest.raises(ValidationFailed):
        clean_options({"encoding": "klingon"})
    with pytest.raises(ValidationFailed):
        clean_options({"types": {"t": {"c": "money"}}})


def test_ingest_rerun_service_queues_and_runs(ingest, django_capture_on_commit_callbacks):
    job = ingest("codes.csv", CSV)
    with django_capture_on_commit_callbacks(execute=True):
        rerun = ingest_rerun(
            version=job.version, options={"types": {"codes.csv": {"人口": "number"}}}
        )
    rerun.refresh_from_db()
    assert rerun.state == JobState.DONE
    assert field_types(rerun.tables.get())["人口"] == "number"


@pytest.mark.urls("ingest_urls")
def test_status_endpoint_respects_permissions(ingest, catalog, client):
    job = ingest("codes.csv", CSV)  # in public-parks (kankyo)
    url = f"/ingest/version/{job.version_id}/status.json"
    data = client.get(url).json()
    assert data["job"]["state"] == "done" and "report" not in data["job"]
    client.force_login(catalog.kankyo_editor)
    data = client.get(url).json()
    assert data["job"]["report"]["tables"][0]["rows"] == 3
    assert client.get("/ingest/version/not-a-uuid/status.json").status_code == 404


@pytest.mark.urls("ingest_urls")
def test_private_dataset_status_is_hidden(upload, catalog, client):
    from hiraku.catalog import actions
    from tests.conftest import make_upload

    resource = actions.resource_create(
        actor=catalog.sysadmin,
        dataset=catalog.survey,
        data={"name": "s.csv"},
        upload=make_upload("s.csv", b"a\n1\n"),
    )
    url = f"/ingest/version/{resource.current_version_id}/status.json"
    client.force_login(catalog.outsider)
    assert client.get(url).status_code == 404


@pytest.mark.urls("ingest_urls")
def test_rerun_endpoint(ingest, catalog, client, django_capture_on_commit_callbacks):
    job = ingest("codes.csv", CSV)
    url = f"/ingest/{job.pk}/rerun"
    body = json.dumps({"types": {"codes.csv": {"コード": "string"}}})
    # public-parks is readable by everyone, editable only by kankyo editors
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(catalog.outsider)
    assert client.post(url, body, content_type="application/json").status_code == 403
    assert (
        client.post("/ingest/not-a-uuid/rerun", body, content_type="application/json").status_code
        == 404
    )
    client.force_login(catalog.joho_editor)  # can read public-parks but not edit it
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(catalog.kankyo_editor)
    bad = json.dumps({"types": {"codes.csv": {"コード": "money"}}})
    assert client.post(url, bad, content_type="application/json").status_code == 409
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, body, content_type="application/json")
    assert response.status_code == 202
    new_job = IngestJob.objects.get(pk=response.json()["job"]["id"])
    assert new_job.state == JobState.DONE
    assert field_types(new_job.tables.get())["コード"] == "string"


@pytest.mark.urls("ingest_urls")
def test_rerun_form_allows_ragged_rows(ingest, catalog, client, django_capture_on_commit_callbacks):
    ragged = "名称,人口\n中央,100\n北\n".encode()
    job = ingest("ragged.csv", ragged)
    assert job.state == JobState.FAILED
    client.force_login(catalog.kankyo_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ingest/{job.pk}/rerun", {"encoding": "", "allow_ragged": "1"})
    assert response.status_code in (202, 302)
    new_job = IngestJob.objects.exclude(pk=job.pk).get(version=job.version)
    assert new_job.options == {"allow_ragged": True}
    assert new_job.state == JobState.DONE, new_job.message
    assert new_job.tables.get().row_count == 2
