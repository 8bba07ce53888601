"""dataset_search: the one entry point for finding datasets (package_search and the web list).

Permission filtering comes first (hiraku.catalog.permissions.readable_datasets), so results,
counts and facets can only ever contain what the user may see.
"""

from django.db.models import Count, Q, QuerySet

from hiraku.catalog import permissions
from hiraku.catalog.models import Dataset

from .query import SORTS, FacetItem, SearchQuery, SearchResult

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
_FACET_VALUES = {
    "organization": ("organization__name", "organization__title"),
    "groups": ("categories__name", "categories__title"),
    "tags": ("tags__name", "tags__name"),
    "res_format": ("resources__format", "resources__format"),
    "license_id": ("license_id", "license_id"),
}


def _apply_filters(qs: QuerySet, filters: dict[str, list[str]]) -> QuerySet:
    for field_name, values in filters.items():
        lookup = _FILTER_LOOKUPS.get(field_name)
        if lookup is None:
            continue
        for value in values:
            # A subquery per value keeps AND semantics across many-to-many joins.
            if lookup.startswith("resources__"):
                sub = Dataset.objects.filter(
                    resources__state="active", **{lookup + "__iexact": value}
                )
            else:
                sub = Dataset.objects.filter(**{lookup: value})
            qs = qs.filter(pk__in=sub.values("pk"))
    return qs


def _text_filter(qs: QuerySet, q: str) -> QuerySet:
    for term in q.split():
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(title_en__icontains=term)
            | Q(notes__icontains=term)
            | Q(name__icontains=term)
            | Q(pk__in=Dataset.objects.filter(tags__name__icontains=term).values("pk"))
        )
    return qs


def _facets(qs: QuerySet, fields: tuple[str, ...], limit: int) -> dict[str, list[FacetItem]]:
    from hiraku.catalog.licenses import license_get

    result = {}
    ids = qs.values("pk")
    for name in fields:
        if name not in _FACET_VALUES:
            continue
        value_field, label_field = _FACET_VALUES[name]
        base = Dataset.objects.filter(pk__in=ids)
        if name == "res_format":
            base = base.filter(resources__state="active")
        rows = (
            base.exclude(**{f"{value_field}__isnull": True})
            .exclude(**{value_field: ""})
            .values(value_field, label_field)
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", value_field)[:limit]
        )
        items = []
        for row in rows:
            label = row[label_field]
            if name == "license_id":
                lic = license_get(row[value_field])
                label = lic.title if lic else row[value_field]
            items.append(FacetItem(name=row[value_field], display_name=label, count=row["n"]))
        result[name] = items
    return result


def dataset_search(*, user, query: SearchQuery) -> SearchResult:
    qs = permissions.readable_datasets(
        user, include_private=query.include_private, include_drafts=query.include_drafts
    )
    qs = _apply_filters(qs, query.filters)
    if query.q.strip():
        qs = _text_filter(qs, query.q.strip())
    count = qs.count()
    order = [SORTS.get(part.strip()) for part in query.sort.split(",")]
    order = [o for o in order if o] or ["-modified"]
    page = list(
        qs.select_related("organization")
        .prefetch_related("tags", "categories", "resources")
        .order_by(*order, "name")[query.start : query.start + query.rows]
    )
    facets = _facets(qs, query.facet_fields, query.facet_limit) if query.facet_fields else {}
    return SearchResult(count=count, datasets=page, facets=facets)
