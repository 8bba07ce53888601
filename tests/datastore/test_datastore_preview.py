"""The preview fragment and partials: paging, sorting, search, filters, JSON, no-JS links."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from hiraku.datastore.preview import PAGE_SIZE


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = "datastore_test_urls"


def test_json_pages(client, served):
    url = f"/datastore/preview/{served.resource.pk}"
    first = client.get(url, {"format": "json"}).json()
    assert first["total"] == 130 and first["pages"] == 3 and len(first["records"]) == PAGE_SIZE
    assert first["columns"][0]["id"] == "_id" and first["records"][0][0] == 1
    third = client.get(url, {"format": "json", "dt_page": "3"}).json()
    assert len(third["records"]) == 130 - 2 * PAGE_SIZE and third["records"][0][0] == 101


def test_sort_search_and_filter(client, served):
    url = f"/datastore/preview/{served.resource.pk}"
    by_capacity = client.get(url, {"format": "json", "dt_sort": "-定員"}).json()
    assert by_capacity["records"][0][2] == "鶴ヶ城公園"
    found = client.get(url, {"format": "json", "dt_q": "図書館"}).json()
    assert found["total"] == 1
    filtered = client.get(url, {"format": "json", "dt_f.種別": "公園"}).json()
    assert filtered["total"] == 2
    bad = client.get(url, {"format": "json", "dt_sort": "ない列"}).json()
    assert "ない列" in bad["error"]


def test_html_fragment_has_working_no_js_links(client, served):
    response = client.get(
        f"/datastore/preview/{served.resource.pk}", {"dt_page": "2", "dt_sort": "番号"}
    )
    html = response.content.decode()
    assert "data-datastore-preview" in html and "市役所本庁舎" not in html and "避難所51" in html
    assert 'href="?dt_page=1&amp;dt_sort=%E7%95%AA%E5%8F%B7" rel="prev"' in html
    assert "dt_page=3" in html and 'rel="next"' in html and 'rel="prev"' in html
    assert 'aria-sort="ascending"' in html


def test_partial_renders_inside_a_resource_page(served):
    request = RequestFactory().get("/dataset/public-aed/resource/x", {"dt_q": "公園"})
    request.user = served.catalog.anonymous
    tables = [served.table]
    html = render_to_string(
        "datastore/_preview.html", {"resource": served.resource, "tables": tables}, request=request
    )
    assert "鶴ヶ城公園" in html and "門田公園" in html and "市役所本庁舎" not in html
    assert "datastore/preview.js" in html
    dictionary = render_to_string(
        "datastore/_dictionary.html", {"resource": served.resource, "tables": tables}
    )
    assert (
        "施設の正式名称" in dictionary
        and "避難所 (123)" in dictionary
        and "timestamp" in dictionary
    )


def test_preview_of_private_table_shows_an_error_not_data(served):
    request = RequestFactory().get("/")
    request.user = served.catalog.outsider
    html = render_to_string(
        "datastore/_preview.html", {"resource": served.private, "tables": []}, request=request
    )
    assert "Not Found" in html or "not found" in html.lower()
    assert "市役所本庁舎" not in html


def test_count_is_cached_per_filter(served, django_assert_max_num_queries):
    from django.http import QueryDict

    from hiraku.datastore import engine
    from hiraku.datastore.preview import preview_page

    params = QueryDict("dt_f.種別=避難所")
    preview_page(user=served.catalog.anonymous, resource=served.resource, params=params)
    keys_before = len(engine._count_cache)
    for page in (2, 3):
        preview_page(
            user=served.catalog.anonymous,
            resource=served.resource,
            params=QueryDict(f"dt_f.種別=避難所&dt_page={page}"),
        )
    assert len(engine._count_cache) == keys_before == 1


def test_download_links_follow_the_filtered_view(client, served):
    html = client.get(
        f"/datastore/preview/{served.resource.pk}", {"dt_f.種別": "公園", "dt_sort": "-番号"}
    ).content.decode()
    link = re.search(r'href="(/datastore/dump/[^"]+format=csv[^"]*)"', html).group(1)
    body = client.get(link.replace("&amp;", "&"))
    text = b"".join(body.streaming_content).decode("utf-8")
    assert [line.split(",")[2] for line in text.splitlines()[1:]] == ["門田公園", "鶴ヶ城公園"]
