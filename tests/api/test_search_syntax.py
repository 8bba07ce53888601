"""package_search's q and fq as CKAN clients and harvesters send them (parsed by the search
app's CKAN fq parser), through the API."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, expected",
    [
        ({"fq": "organization:joho"}, {"public-aed"}),
        ({"fq": 'tags:"防災"'}, {"public-aed"}),
        ({"fq": "+groups:jinko"}, {"public-parks"}),
        ({"fq": "res_format:csv"}, {"public-aed"}),
        ({"fq": "license_id:cc-by-4.0"}, {"public-aed", "public-parks"}),
        ({"fq": "name:public-parks"}, {"public-parks"}),
        ({"fq": "organization:joho AND tags:公園"}, set()),
        ({"q": "tags:公園"}, {"public-parks"}),
        ({"q": "AED"}, {"public-aed"}),
        ({"fq": "owner_org:kankyo"}, {"public-parks"}),
        ({"fq": "owner_org:nowhere"}, set()),
        ({"fq": "id:not-a-uuid"}, set()),
        ({"fq": "+dataset_type:dataset"}, {"public-aed", "public-parks"}),
        ({"fq": "dataset_type:harvest"}, set()),
        ({"fq": 'tags:"AED" +organization:joho'}, {"public-aed"}),
        ({"fq_list": '["tags:AED", "groups:bosai"]'}, {"public-aed"}),
        ({"q": "*:*"}, {"public-aed", "public-parks"}),
    ],
)
def test_filters_through_the_api(api_as, params, expected):
    status, body = api_as("anonymous").get("package_search", **params)
    assert status == 200, body
    assert {d["name"] for d in body["result"]["results"]} == expected
    assert body["result"]["count"] == len(expected)


@pytest.mark.django_db
def test_sort_paging_and_facet_limit(api_as):
    api = api_as("anonymous")
    body = api.get("package_search", sort="name desc", rows=1, start=1)[1]["result"]
    assert [d["name"] for d in body["results"]] == ["public-aed"] and body["sort"] == "name desc"
    body = api.get("package_search", **{"facet.field": '["tags"]', "facet.limit": "1"})[1]["result"]
    assert len(body["search_facets"]["tags"]["items"]) == 1
    body = api.get("package_search")[1]["result"]
    assert body["facets"] == {} and body["search_facets"] == {}


@pytest.mark.django_db
def test_what_the_ckan_harvester_sends(api_as):
    """ckanext-harvest pages with sort=id asc and rows=100; facet-only calls use rows=0."""
    api = api_as("anonymous")
    status, body = api.get("package_search", sort="id asc", rows=100, start=0)
    assert status == 200 and body["result"]["count"] == 2
    status, body = api.get("package_search", rows=0, **{"facet.field": '["tags"]'})
    assert status == 200 and body["result"]["results"] == []
    assert body["result"]["facets"]["tags"] == {"AED": 1, "防災": 1, "公園": 1}
