"""What a full-text engine must provide to dataset_search.

Both methods return SQL over search_searchdocument; everything else (permissions, fq, facets,
counts) stays in the ORM, so the engines differ only in how text is matched and ranked.
"""

from abc import ABC, abstractmethod

from hiraku.search.tokenizer import QueryTerm

SqlWithParams = tuple[str, list]


class SearchBackend(ABC):
    vendor: str = ""

    @abstractmethod
    def match_sql(self, terms: list[QueryTerm]) -> SqlWithParams:
        """`SELECT dataset_id ...` of every document matching all terms (for IN subqueries)."""

    @abstractmethod
    def ranked_sql(
        self, terms: list[QueryTerm], candidates: SqlWithParams, then_order: list[str]
    ) -> SqlWithParams:
        """`SELECT dataset_id ...` of matching documents whose dataset_id is in `candidates`
        (a `SELECT id` query), best first; ties broken by then_order, a list of SQL order terms
        over the dataset table aliased `ds`. The caller appends LIMIT/OFFSET."""
