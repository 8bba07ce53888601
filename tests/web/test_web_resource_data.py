"""The resource page's data block: an upload is ingested and scanned after commit, then the
page shows the ingest status, data dictionary, preview and table downloads; staff can re-run
with a type override. Uses the real ingest pipeline and privacy gate (no gate stubs)."""

import pytest

from tests.conftest import make_upload

CSV = "名称,住所,緯度,経度,設置日\n市役所,東栄町3-46,37.4948,139.9298,令和5年4月1日\n図書館,栄町,37.5,139.93,R5.4.2\n".encode()


def _upload(catalog, capture_on_commit, name: str, content: bytes):
    """A new resource in the public AED dataset, ingested (and scanned) after commit."""
    from hiraku.catalog import actions

    with capture_on_commit(execute=True):
        resource = actions.resource_create(
            actor=catalog.sysadmin,
            dataset=catalog.aed,
            data={"name": name},
            upload=make_upload(name, content),
        )
    resource.refresh_from_db()
    return resource


@pytest.fixture
def ingested(catalog, django_capture_on_commit_callbacks, monkeypatch):
    from hiraku.catalog import gates
    from hiraku.privacy.gate import privacy_hold_reason

    # The web conftest empties the gates; this test wants the real privacy gate back.
    monkeypatch.setattr(gates, "_gates", [privacy_hold_reason])
    return _upload(catalog, django_capture_on_commit_callbacks, "aed-list.csv", CSV)


def _page(client, resource):
    return client.get(f"/dataset/public-aed/resource/{resource.pk}/")


@pytest.mark.django_db
def test_public_sees_dictionary_preview_and_downloads(client, ingested):
    html = _page(client, ingested).content.decode()
    assert "datastore-dictionary" in html
    assert "datastore-preview" in html
    assert "市役所" in html
    assert f"/datastore/dump/{ingested.pk}?format=csv" in html
    assert "ingest:rerun" not in html and "Process again" not in html and "再取り込み" not in html


@pytest.mark.django_db
def test_dump_link_serves_the_table(client, ingested):
    response = client.get(f"/datastore/dump/{ingested.pk}?format=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert "市役所" in body and "図書館" in body


@pytest.mark.django_db
def test_editor_reruns_with_a_type_override(
    client, catalog, ingested, django_capture_on_commit_callbacks
):
    from hiraku.ingest.selectors import active_tables

    client.force_login(catalog.joho_editor)
    html = _page(client, ingested).content.decode()
    assert 'name="encoding"' in html and "type:" in html
    table = active_tables(ingested).first()
    job = table.job
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/ingest/{job.pk}/rerun",
            {"encoding": "", f"type:{table.name}:緯度": "string", "next": "/x/"},
        )
    assert response.status_code == 302
    fields = {f["name"]: f["type"] for f in active_tables(ingested).first().table_schema["fields"]}
    assert fields["緯度"] == "string"


@pytest.mark.django_db
def test_dictionary_says_a_year_column_holds_years(
    client, catalog, django_capture_on_commit_callbacks
):
    content = "年度,件数\n平成30年度,3\n令和元年度,5\n".encode()
    resource = _upload(catalog, django_capture_on_commit_callbacks, "counts.csv", content)
    html = _page(client, resource).content.decode()
    row = html[html.index('<th scope="row">年度</th>') :]
    row = row[: row.index("</tr>")]
    assert "int <small>(年 / year)</small>" in row
    assert "2018 〜 2019" in row
