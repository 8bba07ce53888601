"""The search contract shared by the API (package_search) and the web pages (dataset list)."""

from dataclasses import dataclass, field

from hiraku.catalog.models import Dataset

# Facet and filter fields, named as CKAN names them.
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
SORTS = {
    "score desc": None,
    "metadata_modified desc": "-modified",
    "metadata_modified asc": "modified",
    "metadata_created desc": "-created",
    "metadata_created asc": "created",
    "title_string asc": "title",
    "title_string desc": "-title",
    "name asc": "name",
    "name desc": "-name",
}


@dataclass
class SearchQuery:
    q: str = ""
    # field -> values; a dataset must match every value of every field (CKAN's fq with AND).
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "score desc, metadata_modified desc"
    rows: int = 10
    start: int = 0
    facet_fields: tuple[str, ...] = ()
    facet_limit: int = 50
    include_private: bool = False
    include_drafts: bool = False


@dataclass
class FacetItem:
    name: str
    display_name: str
    count: int


@dataclass
class SearchResult:
    count: int
    datasets: list[Dataset]
    facets: dict[str, list[FacetItem]] = field(default_factory=dict)
