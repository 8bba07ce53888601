"""The engine query strings: user text is always quoted data, never FTS5/tsquery syntax."""

from hiraku.search.backends.postgres import phrase_tsquery, tsquery_sql
from hiraku.search.backends.sqlite import fts5_expression
from hiraku.search.tokenizer import QueryTerm, query_terms


def test_fts5_expression_shapes():
    compound = QueryTerm(whole=("選挙管理委員会",), parts=("選挙", "管理", "委員", "会"))
    assert fts5_expression([compound]) == '(("選挙管理委員会") OR "選挙 管理 委員 会"*)'
    # whole == parts: the (prefix) phrase alone covers it
    assert fts5_expression([QueryTerm(whole=("公園",), parts=("公園",))]) == '"公園"*'
    # a one-character word is not a prefix
    assert fts5_expression([QueryTerm(whole=("市",), parts=("市",))]) == '"市"'
    two = [QueryTerm(("aed",), ("aed",)), QueryTerm(("公園",), ("公園",))]
    assert fts5_expression(two) == '"aed"* AND "公園"*'


def test_fts5_quotes_are_doubled():
    assert fts5_expression([QueryTerm(whole=('a"b',), parts=('a"b',))]) == '"a""b"*'


def test_tsquery_lexemes_are_quoted_and_escaped():
    assert phrase_tsquery(QueryTerm(whole=("バス停",), parts=("バス", "停"))) == "'バス' <-> '停':*"
    assert phrase_tsquery(QueryTerm(whole=("it's",), parts=("it's",))) == "'it''s':*"
    assert phrase_tsquery(QueryTerm(whole=("a\\b",), parts=("a\\b",))) == "'a\\\\b':*"
    sql, params = tsquery_sql(query_terms("選挙管理委員会 AED"))
    assert sql.count("to_tsquery") == 3 and "%s" in sql
    assert params == ["選挙管理委員会", "'選挙' <-> '管理' <-> '委員' <-> '会':*", "'aed':*"]
