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
        self, terms: list[QueryTerm], candidate_where: SqlWithParams, then_order: list[str]
    ) -> SqlWithParams:
        """`SELECT dataset_id ...` of matching documents, best first, joined to the dataset
        table (under its own name) and limited by candidate_where, a condition over it (the
        permission and fq filters); ties broken by then_order, SQL order terms over the same
        table. The caller appends LIMIT/OFFSET. Driving the query from the text match and
        checking each hit beats materialising every readable id first."""
