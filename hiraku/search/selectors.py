"""dataset_search: the one entry point for finding datasets (package_search and the web list).

Order of work, so results, counts and facets can only ever contain what the user may see:
  1. permission filter (hiraku.catalog.permissions.readable_datasets)
  2. fq filters (and field clauses typed into q, such as tags:防災)
  3. Japanese full-text match of the rest of q (hiraku.search.backends)
  4. count and facets over that same set; one page, sorted by relevance or a field.
"""

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from hiraku.catalog import permissions
from hiraku.catalog.models import Dataset

from .backends import get_backend
from .documents import documents_refresh_stale
from .facets import facet_counts
from .fq import split_q
from .query import SORTS, SearchQuery, SearchResult
from .tokenizer import query_terms

_FILTER_LOOKUPS = {
    "organization": "organization__name",
    "owner_org": "organization_id",
    "groups": "categories__name",
    "tags": "tags__name",
    "res_format": "resources__format",
    "license_id": "license_id",
    "name": "name",
    "id": "id",
}
# Dataset fields SORTS refers to, as SQL over the dataset table aliased ds (raw ranked query).
_SORT_COLUMNS = {
    "modified": "ds.modified",
    "created": "ds.created",
    "title": "ds.title",
    "name": "ds.name",
}


def _apply_filters(qs: QuerySet, filters: dict[str, list[str]]) -> QuerySet:
    for field_name, values in filters.items():
        if field_name == "dataset_type":
            # Every Hiraku dataset is CKAN type "dataset".
            if any(value != "dataset" for value in values):
                qs = qs.none()
            continue
        lookup = _FILTER_LOOKUPS.get(field_name)
        if lookup is None:
            continue
        for value in values:
            # A subquery per value keeps AND semantics across many-to-many joins.
            if lookup.startswith("resources__"):
                sub = Dataset.objects.filter(
                    resources__state="active", **{lookup + "__iexact": value}
                )
            elif field_name in ("id", "owner_org"):
                sub = _by_uuid(lookup, value)
            else:
                sub = Dataset.objects.filter(**{lookup: value})
            qs = qs.filter(pk__in=sub.values("pk"))
    return qs


def _by_uuid(lookup: str, value: str) -> QuerySet:
    import uuid

    try:
        return Dataset.objects.filter(**{lookup: uuid.UUID(value)})
    except ValueError:
        if lookup == "organization_id":  # CKAN clients also send the organization's name
            return Dataset.objects.filter(organization__name=value)
        return Dataset.objects.none()


def _order_fields(sort: str) -> tuple[bool, list[str]]:
    """ "score desc, metadata_modified desc" -> (True, ["-modified"]): by relevance first?"""
    parts = [part.strip() for part in (sort or "").split(",") if part.strip()]
    by_score = bool(parts) and parts[0] == "score desc"
    fields = [SORTS[part] for part in parts if SORTS.get(part)]
    return by_score, fields or ["-modified"]


def _raw_order(fields: list[str]) -> list[str]:
    terms = []
    for field_name in [*fields, "name"]:
        column = _SORT_COLUMNS[field_name.lstrip("-")]
        terms.append(column + (" DESC" if field_name.startswith("-") else " ASC"))
    return terms


def _ranked_page(backend, terms, candidates: QuerySet, fields, start: int, rows: int) -> list:
    candidate_sql = candidates.order_by().values("pk").query.sql_with_params()
    sql, params = backend.ranked_sql(terms, candidate_sql, _raw_order(fields))
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, rows, start])
        ids = [row[0] for row in cursor.fetchall()]
    # Raw SQL returns ids as the database stores them (hex text on SQLite).
    field = Dataset._meta.pk
    ids = [field.to_python(value) for value in ids]
    found = (
        Dataset.objects.filter(pk__in=ids)
        .select_related("organization")
        .prefetch_related("tags", "categories", "resources")
    )
    by_id = {dataset.pk: dataset for dataset in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def dataset_search(*, user, query: SearchQuery) -> SearchResult:
    qs = permissions.readable_datasets(
        user, include_private=query.include_private, include_drafts=query.include_drafts
    )
    text, q_filters = split_q(query.q)
    filters = {**query.filters}
    for field_name, values in q_filters.items():
        filters[field_name] = [*filters.get(field_name, []), *values]
    candidates = _apply_filters(qs, filters)

    terms = query_terms(text)
    backend = get_backend() if terms else None
    matched = candidates
    if backend:
        documents_refresh_stale()
        matched = candidates.filter(pk__in=RawSQL(*backend.match_sql(terms)))

    count = matched.count()
    by_score, fields = _order_fields(query.sort)
    rows, start = max(query.rows, 0), max(query.start, 0)
    if backend and by_score:
        page = _ranked_page(backend, terms, candidates, fields, start, rows)
    else:
        page = list(
            matched.select_related("organization")
            .prefetch_related("tags", "categories", "resources")
            .order_by(*fields, "name")[start : start + rows]
        )
    facets = (
        facet_counts(matched, query.facet_fields, query.facet_limit) if query.facet_fields else {}
    )
    return SearchResult(count=count, datasets=page, facets=facets)
