"""PostgreSQL full-text: the weighted search_vector column (migration 0002), ts_rank ranking.

The 'simple' configuration only lowercases, so Sudachi's tokens are matched as they are.
"""

from hiraku.catalog.models import Dataset
from hiraku.search.tokenizer import QueryTerm

from .base import SearchBackend, SqlWithParams


def _lexeme(token: str) -> str:
    # A quoted tsquery lexeme: ' and \ are escaped by doubling / backslash.
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def phrase_tsquery(term: QueryTerm) -> str:
    """QueryTerm(parts=("バス", "停")) -> 'バス' <-> '停':*  (to_tsquery syntax)"""
    lexemes = [_lexeme(token) for token in term.parts]
    if term.prefix:
        lexemes[-1] += ":*"
    return " <-> ".join(lexemes)


def tsquery_sql(terms: list[QueryTerm]) -> SqlWithParams:
    """Each term: all whole tokens (plainto_tsquery ANDs them) or the parts as a phrase."""
    clauses, params = [], []
    for term in terms:
        if term.whole == term.parts:  # the phrase already covers the whole word
            clauses.append("to_tsquery('simple', %s)")
            params.append(phrase_tsquery(term))
            continue
        clauses.append("(plainto_tsquery('simple', %s) || to_tsquery('simple', %s))")
        params += [" ".join(term.whole), phrase_tsquery(term)]
    return "(" + " && ".join(clauses) + ")", params


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def match_sql(self, terms: list[QueryTerm]) -> SqlWithParams:
        query, params = tsquery_sql(terms)
        return (
            f"SELECT doc.dataset_id FROM search_searchdocument doc WHERE doc.search_vector @@ {query}",
            params,
        )

    def ranked_sql(
        self, terms: list[QueryTerm], candidate_where: SqlWithParams, then_order: list[str]
    ) -> SqlWithParams:
        query, params = tsquery_sql(terms)
        where, where_params = candidate_where
        order = ", ".join(["ts_rank(doc.search_vector, q.query) DESC", *then_order])
        table = Dataset._meta.db_table
        sql = (
            f"SELECT doc.dataset_id FROM search_searchdocument doc CROSS JOIN (SELECT {query}) AS q(query)"
            f' JOIN "{table}" ON "{table}".id = doc.dataset_id'
            f" WHERE doc.search_vector @@ q.query AND ({where})"
            f" ORDER BY {order}"
        )
        return sql, [*params, *where_params]
