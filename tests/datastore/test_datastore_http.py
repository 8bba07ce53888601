"""End to end through the real Action API dispatcher (/api/3/action/...), as curl would call it."""

import json


def test_datastore_search_over_http(client, served):
    response = client.get(
        "/api/3/action/datastore_search",
        {
            "resource_id": str(served.resource.pk),
            "filters": json.dumps({"種別": "公園"}),
            "sort": "番号 desc",
            "fields": "番号,名称",
            "include_total": "true",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True
    assert body["result"]["records"] == [
        {"番号": 6, "名称": "門田公園"},
        {"番号": 2, "名称": "鶴ヶ城公園"},
    ]
    assert body["result"]["total"] == 2


def test_validation_error_envelope_over_http(client, served):
    response = client.get(
        "/api/3/action/datastore_search",
        {"resource_id": str(served.resource.pk), "sort": "ない列"},
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["__type"] == "Validation Error" and "ない列" in error["message"]


def test_search_sql_and_info_over_http(client, served):
    rid = served.resource.pk
    sql = client.get(
        "/api/3/action/datastore_search_sql", {"sql": f'SELECT count(*) AS n FROM "{rid}"'}
    )
    assert sql.json()["result"]["records"] == [{"n": 130}]
    refused = client.get(
        "/api/3/action/datastore_search_sql", {"sql": "SELECT * FROM read_text('/etc/passwd')"}
    )
    assert refused.json()["success"] is False
    info = client.post(
        "/api/3/action/datastore_info",
        json.dumps({"id": str(rid)}),
        content_type="application/json",
    )
    assert info.json()["result"]["meta"]["count"] == 130


def test_private_table_over_http_is_not_found(client, served):
    response = client.get("/api/3/action/datastore_search", {"resource_id": str(served.private.pk)})
    assert response.status_code == 404
