"""datastore_search and datastore_info: CKAN shapes, filters, q, sort, fields, paging, formats."""

import pytest
from datastore_helpers import call, make_table, make_version

from hiraku.catalog.errors import NotFound, ValidationFailed


def test_result_has_ckan_shape(served):
    result = call("datastore_search", served.catalog.anonymous, resource_id=str(served.resource.pk))
    assert result["resource_id"] == str(served.resource.pk)
    assert result["fields"][0] == {"id": "_id", "type": "int"}
    types = {f["id"]: f["type"] for f in result["fields"]}
    assert types == {
        "_id": "int",
        "番号": "int",
        "名称": "text",
        "種別": "text",
        "住所": "text",
        "緯度": "numeric",
        "経度": "numeric",
        "開設日": "date",
        "更新日時": "timestamp",
        "定員": "int",
        "有料": "bool",
        "備考": "text",
    }
    named = {f["id"]: f for f in result["fields"]}
    assert named["名称"]["info"] == {"label": "施設名称", "notes": "施設の正式名称"}
    assert result["limit"] == 100 and len(result["records"]) == 100
    assert result["total"] == 130 and result["total_was_estimated"] is False
    assert result["records_format"] == "objects"
    first = result["records"][0]
    assert first["_id"] == 1 and first["名称"] == "市役所本庁舎"
    assert first["開設日"] == "1950-04-01" and first["更新日時"] == "2024-01-05T09:00:00"
    assert first["有料"] is False
    assert result["_links"]["start"].startswith("/api/3/action/datastore_search?")
    assert "offset=100" in result["_links"]["next"]


def test_filters_single_value_and_list(served):
    rid = str(served.resource.pk)
    parks = call("datastore_search", None, resource_id=rid, filters={"種別": "公園"})
    assert [r["名称"] for r in parks["records"]] == ["鶴ヶ城公園", "門田公園"]
    assert parks["total"] == 2
    several = call(
        "datastore_search",
        None,
        resource_id=rid,
        filters='{"種別": ["公園", "図書館"], "有料": "true"}',
    )
    assert [r["番号"] for r in several["records"]] == [2]
    by_int = call("datastore_search", None, resource_id=rid, filters={"番号": "7"})
    assert by_int["records"][0]["名称"] == "髙橋記念館①"
    by_date = call("datastore_search", None, resource_id=rid, filters={"開設日": "1980-04-01"})
    assert by_date["total"] == 1


def test_filter_value_of_wrong_type_names_the_column(served):
    with pytest.raises(ValidationFailed) as err:
        call(
            "datastore_search",
            None,
            resource_id=str(served.resource.pk),
            filters={"定員": "たくさん"},
        )
    assert "定員" in err.value.message and "filters" in err.value.errors


@pytest.mark.parametrize("param", ["filters", "sort", "fields", "q"])
def test_unknown_column_is_a_bilingual_validation_error(served, param):
    values = {
        "filters": {"存在しない列": 1},
        "sort": "存在しない列 desc",
        "fields": "名称,存在しない列",
        "q": {"存在しない列": "x"},
    }
    with pytest.raises(ValidationFailed) as err:
        call(
            "datastore_search", None, resource_id=str(served.resource.pk), **{param: values[param]}
        )
    assert "存在しない列" in err.value.message and " / " in err.value.message
    assert param in err.value.errors


def test_full_text_q_matches_japanese_substrings_and_width_variants(served):
    rid = str(served.resource.pk)
    assert call("datastore_search", None, resource_id=rid, q="鶴ヶ城")["total"] == 1
    # Data holds full-width "ＡＥＤ" and "１２"; the user types half-width.
    assert [
        r["番号"] for r in call("datastore_search", None, resource_id=rid, q="AED")["records"]
    ] == [4]
    assert call("datastore_search", None, resource_id=rid, q="城東町12")["total"] == 1
    # Every term must match (AND); a dict searches named columns only.
    assert call("datastore_search", None, resource_id=rid, q="会津若松市 追手町")["total"] == 1
    assert call("datastore_search", None, resource_id=rid, q={"名称": "公園"})["total"] == 2
    assert call("datastore_search", None, resource_id=rid, q={"住所": "公園"})["total"] == 0
    # LIKE wildcards typed by the user are literal.
    assert call("datastore_search", None, resource_id=rid, q="%")["total"] == 0


def test_sort_fields_limit_offset(served):
    rid = str(served.resource.pk)
    result = call(
        "datastore_search",
        None,
        resource_id=rid,
        sort="定員 desc, 番号",
        fields="番号,定員",
        limit=3,
        offset=1,
    )
    assert [f["id"] for f in result["fields"]] == ["番号", "定員"]
    ordered = call(
        "datastore_search",
        None,
        resource_id=rid,
        sort="定員 desc",
        fields=["番号", "定員"],
        limit=3,
    )
    assert [r["定員"] for r in ordered["records"]] == [500, 300, 260]
    assert result["records"][0] == ordered["records"][1] and result["offset"] == 1
    quoted = call("datastore_search", None, resource_id=rid, sort='"開設日" asc', limit=1)
    assert quoted["records"][0]["番号"] == 1
    by_id = call("datastore_search", None, resource_id=rid, sort="_id desc", limit=1)
    assert by_id["records"][0]["_id"] == 130
    capped = call("datastore_search", None, resource_id=rid, limit=999999)
    assert capped["limit"] == 32000
    with pytest.raises(ValidationFailed):
        call("datastore_search", None, resource_id=rid, limit=-1)


def test_distinct_and_include_total(served):
    rid = str(served.resource.pk)
    result = call(
        "datastore_search", None, resource_id=rid, fields="種別", distinct=True, sort="種別"
    )
    kinds = [r["種別"] for r in result["records"]]
    assert len(kinds) == len(set(kinds)) == 7 and result["total"] == 7
    assert "_id" not in result["records"][0]
    no_total = call("datastore_search", None, resource_id=rid, include_total=False, limit=1)
    assert "total" not in no_total


def test_records_formats(served):
    rid = str(served.resource.pk)
    lists = call(
        "datastore_search",
        None,
        resource_id=rid,
        records_format="lists",
        fields="番号,名称",
        limit=2,
    )
    assert lists["records"] == [[1, "市役所本庁舎"], [2, "鶴ヶ城公園"]]
    csv_text = call(
        "datastore_search", None, resource_id=rid, records_format="csv", fields="番号,名称", limit=2
    )["records"]
    assert csv_text == "1,市役所本庁舎\n2,鶴ヶ城公園\n"
    tsv_text = call(
        "datastore_search", None, resource_id=rid, records_format="tsv", fields="番号,名称", limit=1
    )["records"]
    assert tsv_text == "1\t市役所本庁舎\n"
    with pytest.raises(ValidationFailed):
        call("datastore_search", None, resource_id=rid, records_format="xml")


def test_count_without_filter_comes_from_metadata(served):
    # row_count is what ingest recorded; with no filter it is trusted, never recounted.
    served.table.row_count = 4242
    served.table.save()
    assert (
        call("datastore_search", None, resource_id=str(served.resource.pk), limit=1)["total"]
        == 4242
    )


def test_multi_table_resource(served):
    job = served.table.job
    make_table(
        served.resource,
        rows=None,
        sql="SELECT 1 AS 区分, '第二表' AS 名前",
        name="Sheet2",
        position=1,
        job=job,
    )
    rid = str(served.resource.pk)
    assert call("datastore_search", None, resource_id=rid)["total"] == 130
    second = call("datastore_search", None, resource_id=rid, table="Sheet2")
    assert second["records"] == [{"_id": 1, "区分": 1, "名前": "第二表"}]
    with pytest.raises(ValidationFailed) as err:
        call("datastore_search", None, resource_id=rid, table="Sheet9")
    assert "Sheet2" in err.value.message
    info = call("datastore_info", None, id=rid)
    assert [t["name"] for t in info["tables"]] == ["data.csv", "Sheet2"]


def test_reingest_keeps_serving_previous_version(served):
    rid = str(served.resource.pk)
    _, running = make_version(served.resource, state="running")
    make_table(served.resource, sql="SELECT 1 AS x", job=running)
    assert call("datastore_search", None, resource_id=rid)["total"] == 130
    _, done = make_version(served.resource)
    make_table(served.resource, sql="SELECT 42 AS x", job=done)
    assert call("datastore_search", None, resource_id=rid)["records"] == [{"_id": 1, "x": 42}]


def test_datastore_info_shape(served):
    info = call("datastore_info", None, id=str(served.resource.pk))
    assert info["meta"]["count"] == 130 and info["meta"]["table_type"] == "BASE TABLE"
    assert info["meta"]["size"] > 0
    fields = {f["id"]: f for f in info["fields"]}
    assert "_id" not in fields
    assert fields["開設日"]["type"] == "date" and fields["名称"]["info"]["label"] == "施設名称"


def test_resource_without_table_is_not_found(served):
    with pytest.raises(NotFound):
        call(
            "datastore_search",
            None,
            resource_id=str(served.draft.pk).replace("a", "b").replace("1", "2"),
        )
    from hiraku.catalog.models import Resource

    bare = Resource.objects.create(dataset=served.catalog.parks, name="link.csv")
    with pytest.raises(NotFound) as err:
        call("datastore_search", None, resource_id=str(bare.pk))
    assert "datastore" in err.value.message
