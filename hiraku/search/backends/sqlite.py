"""SQLite FTS5: search_fts (see migration 0002) over the pre-tokenised documents, bm25 ranking."""

from hiraku.catalog.models import Dataset
from hiraku.search.tokenizer import QueryTerm

from .base import SearchBackend, SqlWithParams

# bm25 column weights: title_tokens, keyword_tokens, body_tokens.
_WEIGHTS = "10.0, 4.0, 1.0"


def _quoted(tokens: tuple[str, ...]) -> str:
    # Inside an FTS5 string a double quote is written twice; several tokens form a phrase.
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def fts5_expression(terms: list[QueryTerm]) -> str:
    """[QueryTerm(whole=("医療機関",), parts=("医療", "機関"))] -> (("医療機関") OR "医療 機関"*)"""
    clauses = []
    for term in terms:
        phrase = _quoted(term.parts) + ("*" if term.prefix else "")
        if term.whole == term.parts:
            clauses.append(phrase)  # the phrase already covers the whole word
            continue
        whole = " AND ".join(_quoted((token,)) for token in term.whole)
        clauses.append(f"(({whole}) OR {phrase})")
    return " AND ".join(clauses)


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def match_sql(self, terms: list[QueryTerm]) -> SqlWithParams:
        sql = (
            "SELECT doc.dataset_id FROM search_fts"
            " JOIN search_searchdocument doc ON doc.id = search_fts.rowid"
            " WHERE search_fts MATCH %s"
        )
        return sql, [fts5_expression(terms)]

    def ranked_sql(
        self, terms: list[QueryTerm], candidate_where: SqlWithParams, then_order: list[str]
    ) -> SqlWithParams:
        where, where_params = candidate_where
        order = ", ".join([f"bm25(search_fts, {_WEIGHTS})", *then_order])
        table = Dataset._meta.db_table
        sql = (
            "SELECT doc.dataset_id FROM search_fts"
            " JOIN search_searchdocument doc ON doc.id = search_fts.rowid"
            f' JOIN "{table}" ON "{table}".id = doc.dataset_id'
            f" WHERE search_fts MATCH %s AND ({where})"
            f" ORDER BY {order}"
        )
        return sql, [fts5_expression(terms), *where_params]
