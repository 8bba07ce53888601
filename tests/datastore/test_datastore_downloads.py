"""/datastore/dump/<id>: every format, filters, formula neutralisation, CP932, filenames."""

import csv
import io
import json
from urllib.parse import quote

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest
from datastore_helpers import make_table

from hiraku.datastore import export


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = "datastore_test_urls"


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def get(client, served, **params):
    return client.get(f"/datastore/dump/{served.resource.pk}", params)


def test_csv_whole_table_streams_utf8(client, served):
    response = get(client, served)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8"))))
    assert rows[0][:3] == ["_id", "番号", "名称"] and len(rows) == 131
    assert rows[1][2] == "市役所本庁舎" and rows[6][5] == ""  # NULL latitude -> empty cell
    assert (
        response["Content-Disposition"]
        == "attachment; filename=\"aed.csv\"; filename*=UTF-8''aed.csv"
    )


def test_filtered_sorted_projected_csv(client, served):
    response = get(
        client, served, filters=json.dumps({"種別": "公園"}), sort="番号 desc", fields="番号,名称"
    )
    assert body(response).decode("utf-8") == "番号,名称\r\n6,門田公園\r\n2,鶴ヶ城公園\r\n"
    bad = get(client, served, fields="名称,ない列")
    assert bad.status_code == 409
    assert "ない列" in bad.json()["error"]["message"]


def test_bom_and_tsv(client, served):
    assert body(get(client, served, bom="1", fields="番号")).startswith(b"\xef\xbb\xbf\xe7\x95\xaa")
    text = body(get(client, served, format="tsv", fields="番号,名称", limit="1")).decode("utf-8")
    assert text == "番号\t名称\r\n1\t市役所本庁舎\r\n"


def test_formula_injection_is_neutralised_but_numbers_are_kept(client, served):
    rows = list(
        csv.DictReader(
            io.StringIO(body(get(client, served, fields="番号,備考", limit="7")).decode("utf-8"))
        )
    )
    notes = {int(r["番号"]): r["備考"] for r in rows}
    assert notes[2] == '\'=HYPERLINK("http://evil")'
    assert notes[3] == "'+SUM(A1:A9)"
    assert notes[4] == "-12.5"  # a plain number stays a number
    assert notes[5] == "'@cmd 🍣"
    assert notes[7] == "'\tタブ始まり"
    assert (
        export.neutralise("=1+1") == "'=1+1"
        and export.neutralise("+81") == "+81"
        and export.neutralise(12) == 12
    )


def test_cp932_for_excel_counts_replaced_characters(client, served):
    response = get(client, served, encoding="cp932", fields="番号,名称,備考", limit="7")
    assert response["Content-Type"] == "text/csv; charset=cp932"
    text = body(response).decode("cp932")
    assert "髙橋記念館①" in text  # CP932's own extras survive
    assert "〓田公民館" in text and "@cmd 〓" in text  # 𠮷 and 🍣 are not in CP932
    assert response["X-Hiraku-Replaced-Characters"] == "2"
    assert get(client, served, encoding="latin-1").status_code == 409


def test_json_array(client, served):
    data = json.loads(
        body(get(client, served, format="json", filters=json.dumps({"番号": [1, 2]})))
    )
    assert [r["名称"] for r in data] == ["市役所本庁舎", "鶴ヶ城公園"]
    assert data[0]["開設日"] == "1950-04-01" and data[0]["_id"] == 1
    assert json.loads(body(get(client, served, format="json", q="存在しない語"))) == []


def test_geojson_from_latitude_longitude_columns(client, served):
    response = get(client, served, format="geojson", limit="6")
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(body(response))
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 6
    first = collection["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [139.9298, 37.4948]}
    assert first["properties"]["名称"] == "市役所本庁舎"
    assert collection["features"][5]["geometry"] is None  # 門田公園 has no coordinates


def test_geojson_refused_without_coordinates(client, served):
    make_table(
        served.resource, sql="SELECT 1 AS a", name="nocoords", position=1, job=served.table.job
    )
    response = client.get(
        f"/datastore/dump/{served.resource.pk}", {"format": "geojson", "table": "nocoords"}
    )
    assert response.status_code == 409 and "GeoJSON" in response.json()["error"]["message"]


def test_geojson_on_real_city_file(client, served, testdata):
    """Takamatsu's public toilets CSV (UTF-8, lat/lon columns) as a served table."""
    path = testdata / "takamatsu_public_toilets.csv"
    names = [c[0] for c in duckdb.sql(f"DESCRIBE SELECT * FROM read_csv('{path}')").fetchall()]
    table = make_table(
        served.resource,
        sql=f"SELECT * FROM read_csv('{path}')",
        name="toilets",
        position=1,
        job=served.table.job,
    )
    assert export.coordinate_columns(table) is not None, names
    collection = json.loads(
        body(
            client.get(
                f"/datastore/dump/{served.resource.pk}", {"format": "geojson", "table": "toilets"}
            )
        )
    )
    points = [f for f in collection["features"] if f["geometry"]]
    assert len(points) > 100
    lon, lat = points[0]["geometry"]["coordinates"]
    assert 133 < lon < 135 and 33 < lat < 35  # Takamatsu


def test_xlsx(client, served):
    response = get(client, served, format="xlsx", fields="番号,名称,開設日,備考", limit="3")
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("番号", "名称", "開設日", "備考")
    assert rows[1][1] == "市役所本庁舎" and rows[1][2].year == 1950
    assert rows[2][3] == '\'=HYPERLINK("http://evil")'
    assert "attachment" in response["Content-Disposition"]


def test_xlsx_row_cap_has_a_clear_message(client, served, monkeypatch):
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 100)
    response = get(client, served, format="xlsx")
    assert response.status_code == 413
    message = response.json()["error"]["message"]
    assert "Excel" in message and "CSV" in message and " / " in message
    assert (
        get(client, served, format="xlsx", filters=json.dumps({"種別": "公園"})).status_code == 200
    )


def test_parquet_of_filtered_result(client, served):
    response = get(
        client, served, format="parquet", filters=json.dumps({"種別": "避難所"}), fields="番号,緯度"
    )
    table = pq.read_table(io.BytesIO(body(response)))
    assert table.column_names == ["番号", "緯度"] and table.num_rows == 123


def test_japanese_filename_rfc5987(client, served):
    served.resource.name = "AED設置箇所 一覧.csv"
    served.resource.save()
    disposition = get(client, served, format="json")["Content-Disposition"]
    assert disposition == "attachment; filename=\"AED_.json\"; filename*=UTF-8''" + quote(
        "AED設置箇所 一覧.json"
    )


def test_permissions_and_bad_format(client, served):
    assert client.get(f"/datastore/dump/{served.private.pk}").status_code == 404
    client.force_login(served.catalog.joho_member)
    assert client.get(f"/datastore/dump/{served.private.pk}").status_code == 200
    response = get(client, served, format="exe")
    assert response.status_code == 409 and " / " in response.json()["error"]["message"]


def test_geojson_uses_the_ingest_role_markers(client, served):
    """Ingest marks coordinate columns with "hiraku:role" whatever their header says."""
    schema = {
        "fields": [
            {"name": "名前", "type": "string"},
            {"name": "北の位置", "type": "number", "hiraku:role": "latitude"},
            {"name": "東の位置", "type": "number", "hiraku:role": "longitude"},
        ]
    }
    make_table(
        served.resource,
        sql="SELECT '市役所' AS 名前, 37.49 AS 北の位置, 139.93 AS 東の位置",
        name="roles",
        position=1,
        job=served.table.job,
        table_schema=schema,
    )
    response = client.get(
        f"/datastore/dump/{served.resource.pk}", {"format": "geojson", "table": "roles"}
    )
    feature = json.loads(body(response))["features"][0]
    assert feature["geometry"]["coordinates"] == [139.93, 37.49]
