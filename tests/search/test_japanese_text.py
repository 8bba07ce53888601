"""Japanese full-text matching: compounds, kana and width variants, English, ranking."""

import pytest

from hiraku.search.query import SearchQuery
from hiraku.search.selectors import dataset_search
from hiraku.search.tokenizer import index_tokens, query_terms

pytestmark = pytest.mark.django_db


def test_tokens_fold_width_kana_and_variants():
    assert index_tokens("ＡＥＤ設置箇所").split() == ["aed", "設置", "箇所"]
    assert index_tokens("ｶﾞｲﾄﾞ") == "ガイド"
    assert index_tokens("ごみ") == index_tokens("ゴミ")
    assert index_tokens("附属") == index_tokens("付属")
    # Latin words keep their spelling (Sudachi would turn "Open" into オープン).
    assert index_tokens("Open Data") == "open data"


def test_index_holds_short_units_and_compounds():
    tokens = index_tokens("選挙管理委員会").split()
    assert tokens[:4] == ["選挙", "管理", "委員", "会"]
    assert "選挙管理委員会" in tokens


def test_query_terms_split_on_full_width_space():
    terms = query_terms("避難場所\u3000ＡＥＤ")
    assert [t.parts for t in terms] == [("避難", "場所"), ("aed",)]


def test_part_of_a_compound_finds_it(search_catalog, search):
    assert search(search_catalog.anonymous, "避難場所")[0] == "shelters"
    assert "election" in search(search_catalog.anonymous, "選挙")
    assert "election" in search(search_catalog.anonymous, "委員会")


def test_whole_compound_finds_it(search_catalog, search):
    assert search(search_catalog.anonymous, "選挙管理委員会") == ["election"]


def test_width_and_kana_variants(search_catalog, search):
    anonymous = search_catalog.anonymous
    assert search(anonymous, "ＡＥＤ") == ["public-aed"]
    assert search(anonymous, "aed") == ["public-aed"]
    assert search(anonymous, "ｶﾞｲﾄﾞﾌﾞｯｸ") == ["garbage"]
    assert search(anonymous, "ガイドブック") == ["garbage"]
    assert search(anonymous, "ガイド") == ["garbage"]  # start of a longer word
    assert search(anonymous, "ごみ") == ["garbage"]
    assert search(anonymous, "付属") == ["garbage"]


def test_one_character_word_is_not_a_prefix(search_catalog, search):
    # 「施」 would otherwise match 施設; a lone character must match a whole token.
    assert search(search_catalog.anonymous, "施") == []


def test_english_title(search_catalog, search):
    assert search(search_catalog.anonymous, "Evacuation") == ["shelters"]
    assert search(search_catalog.anonymous, "EMERGENCY sites") == ["shelters"]
    assert search(search_catalog.anonymous, "evacuat") == ["shelters"]


def test_tags_organization_and_resources_are_searched(search_catalog, search):
    anonymous = search_catalog.anonymous
    assert "public-parks" in search(anonymous, "公園")
    assert set(search(anonymous, "環境部")) == {"public-parks", "garbage", "notes-only"}
    assert search(anonymous, "避難所") == ["shelters"]
    assert search(anonymous, "calendar") == ["garbage"]


def test_all_words_must_match(search_catalog, search):
    assert search(search_catalog.anonymous, "避難 施設") == ["notes-only"]
    assert search(search_catalog.anonymous, "AED 公園") == []


def test_title_match_ranks_above_notes_match(search_catalog, search):
    assert search(search_catalog.anonymous, "避難場所") == ["shelters", "notes-only"]


def test_unrelated_word_finds_nothing(search_catalog, search):
    result = dataset_search(user=search_catalog.anonymous, query=SearchQuery(q="鉄道時刻表"))
    assert result.count == 0 and result.datasets == []


def test_punctuation_only_query_lists_everything(search_catalog, search):
    everything = search(search_catalog.anonymous, "")
    assert search(search_catalog.anonymous, "・ 「」") == everything
    assert len(everything) == 6


def test_quotes_and_fts_syntax_are_plain_text(search_catalog, search):
    # FTS5 / tsquery operators typed by a user must not break or change the query.
    for q in ['"AED', "AED*", "(AED)", "AED & !", "AED:", "^AED"]:
        result = dataset_search(user=search_catalog.anonymous, query=SearchQuery(q=q))
        assert "public-aed" in [d.name for d in result.datasets], q


def test_star_colon_star_means_everything(search_catalog, search):
    assert len(search(search_catalog.anonymous, "*:*")) == 6
