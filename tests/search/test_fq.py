"""CKAN fq parsing: the supported subset, clear refusals, and a round-trip property."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hiraku.catalog.errors import ValidationFailed
from hiraku.search.fq import (
    FQ_FIELDS,
    RANGE_FIELDS,
    DateRange,
    parse_fq,
    parse_range,
    split_q,
)


def test_parses_the_documented_example():
    fq = 'organization:joho tags:"防災 計画" +res_format:CSV groups:bosai license_id:cc-by-4.0 name:x'
    assert parse_fq(fq) == {
        "organization": ["joho"],
        "tags": ["防災 計画"],
        "res_format": ["CSV"],
        "groups": ["bosai"],
        "license_id": ["cc-by-4.0"],
        "name": ["x"],
    }


def test_repeated_field_and_and_keyword():
    assert parse_fq("tags:防災 AND tags:AED  +dataset_type:dataset") == {
        "tags": ["防災", "AED"],
        "dataset_type": ["dataset"],
    }


def test_escapes():
    assert parse_fq(r'tags:"say \"hi\" \\ ok" name:a\ b') == {
        "tags": ['say "hi" \\ ok'],
        "name": ["a b"],
    }


def test_empty_means_no_filter():
    assert parse_fq("") == {} and parse_fq("   ") == {}


@pytest.mark.parametrize(
    "fq, mentions",
    [
        ("colour:red", "colour"),
        ("organisation:joho", "organisation"),
        ("joho", "field:value"),
        ('tags:"防災', "quote"),
        ("-tags:防災", "Negative"),
        ("tags:防災 OR tags:AED", "OR"),
        ("tags:(防災 OR AED)", "parenthesised"),
        ("tags:", "empty"),
        ("metadata_modified:2026-11-01", "range"),
        ("metadata_modified:[yesterday TO *]", "yesterday"),
        ("metadata_modified:[2026-11-01 TO *", "closing"),
        ("metadata_modified:[NOW+99999999999999DAYS TO *]", "NOW+"),
        ("metadata_created:[2026-11-01 *]", "range"),
    ],
)
def test_refusals_are_bilingual_and_name_the_problem(fq, mentions):
    with pytest.raises(ValidationFailed) as caught:
        parse_fq(fq)
    error = caught.value
    assert mentions in error.message
    assert " / " in error.message  # 日本語 / English
    assert any("\u3040" <= ch <= "\u9fff" for ch in error.message)
    assert error.errors == {"fq": [error.message]}


_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20
)


def _render(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@given(st.dictionaries(st.sampled_from(FQ_FIELDS), st.lists(_values, min_size=1, max_size=3)))
def test_round_trip(filters):
    fq = " ".join(
        f"{'+' if i % 2 else ''}{field}:{_render(value)}"
        for i, (field, values) in enumerate(filters.items())
        for value in values
    )
    assert parse_fq(fq) == filters


@given(st.text(max_size=60))
def test_any_text_parses_or_fails_cleanly(text):
    try:
        result = parse_fq(text)
    except ValidationFailed as error:
        assert error.message
    else:
        assert set(result) <= set(FQ_FIELDS) | set(RANGE_FIELDS)
        assert all(values and all(v for v in values) for values in result.values())


def test_split_q_pulls_field_clauses_out_of_free_text():
    assert split_q("避難 tags:防災 https://example.jp") == (
        "避難 https://example.jp",
        {"tags": ["防災"]},
    )
    assert split_q("*:*") == ("", {})
    assert split_q("避難 AND 公園") == ("避難 公園", {})
    assert split_q('"unclosed') == ('"unclosed', {})


def test_the_ckan_harvesters_incremental_range():
    # ckanext-harvest: 'metadata_modified:[{since}Z TO *]' next to the source's own fq terms
    fq = "organization:joho metadata_modified:[2026-11-01T09:00:00.123456Z TO *]"
    assert parse_fq(fq) == {
        "organization": ["joho"],
        "metadata_modified": ["[2026-11-01T09:00:00.123456+00:00 TO *]"],
    }
    span = parse_range("{2026-01-01 TO 2026-02-01T00:00:00+09:00]")
    assert span.low == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # no zone: UTC, as in CKAN
    assert span.high == dt.datetime(2026, 1, 31, 15, tzinfo=dt.UTC)
    assert (span.include_low, span.include_high) == (False, True)
    assert parse_range("[* TO *]") == DateRange(None, None, True, True)


def test_now_ranges_become_absolute_instants():
    (text,) = parse_fq("metadata_created:[NOW-2DAYS TO NOW]")["metadata_created"]
    span = parse_range(text)
    assert dt.timedelta(days=2) - (span.high - span.low) < dt.timedelta(seconds=1)
    assert "NOW" not in text  # a cached answer is keyed by the instant, not by "NOW"


def test_range_typed_into_q_filters_too():
    assert split_q("避難 metadata_modified:[2026-01-01T00:00:00Z TO *]") == (
        "避難",
        {"metadata_modified": ["[2026-01-01T00:00:00+00:00 TO *]"]},
    )
    assert split_q("metadata_modified:[soon TO *]")[1] == {}  # not a range: stays text


def test_package_search_by_modified_range(search_catalog, search, client):
    """Only datasets changed in the range, never a private one, through the API as well."""
    from hiraku.catalog.models import Dataset

    old = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
    recent = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    Dataset.objects.update(modified=old)
    Dataset.objects.filter(name__in=["shelters", "garbage", "private-survey"]).update(
        modified=recent
    )
    anonymous = search_catalog.anonymous
    since = {"metadata_modified": ["[2026-11-01T00:00:00+00:00 TO *]"]}
    assert sorted(search(anonymous, filters=since)) == ["garbage", "shelters"]
    assert "private-survey" in search(search_catalog.sysadmin, filters=since, include_private=True)
    before = {"metadata_modified": ["[* TO 2026-11-20T00:00:00+00:00}"]}  # exclusive end
    assert "shelters" not in search(anonymous, filters=before)
    assert "election" in search(anonymous, filters=before)
    answer = client.get(
        "/api/3/action/package_search",
        {"fq": "metadata_modified:[2026-11-01T00:00:00.000000Z TO *]", "rows": 100},
    ).json()
    assert answer["success"] and answer["result"]["count"] == 2
    assert sorted(d["name"] for d in answer["result"]["results"]) == ["garbage", "shelters"]
