"""CKAN fq parsing: the supported subset, clear refusals, and a round-trip property."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hiraku.catalog.errors import ValidationFailed
from hiraku.search.fq import FQ_FIELDS, parse_fq, split_q


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
        assert set(result) <= set(FQ_FIELDS)
        assert all(values and all(v for v in values) for values in result.values())


def test_split_q_pulls_field_clauses_out_of_free_text():
    assert split_q("避難 tags:防災 https://example.jp") == (
        "避難 https://example.jp",
        {"tags": ["防災"]},
    )
    assert split_q("*:*") == ("", {})
    assert split_q("避難 AND 公園") == ("避難 公園", {})
    assert split_q('"unclosed') == ('"unclosed', {})
