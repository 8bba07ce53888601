"""Facet counts over an already permission-filtered, text-matched and fq-filtered queryset.

One grouped query per facet: organization and license_id group the dataset rows themselves;
tags, groups and res_format group their link tables over an `IN (SELECT id ...)` subquery,
so no facet multiplies rows through a join and no count needs DISTINCT except res_format
(a dataset may hold several CSV resources but counts once).
"""

from django.db.models import Count, QuerySet
from django.db.models.functions import Upper

from hiraku.catalog.licenses import license_get
from hiraku.catalog.models import Dataset, Resource

from .query import FacetItem


def _top(rows, limit: int | None) -> list[tuple[str, int]]:
    ordered = sorted(rows, key=lambda row: (-row[1], row[0]))
    return ordered if limit is None else ordered[:limit]


def _organization(qs: QuerySet, limit: int | None) -> list[FacetItem]:
    counts = (
        qs.order_by()
        .values_list("organization__name", "organization__title")
        .annotate(n=Count("pk"))
    )
    rows = sorted(counts, key=lambda row: (-row[2], row[0]))
    return [FacetItem(name, title, n) for name, title, n in rows[:limit]]


def _license(qs: QuerySet, limit: int | None) -> list[FacetItem]:
    counts = qs.order_by().values_list("license_id").annotate(n=Count("pk"))
    items = []
    for license_id, n in _top(list(counts), limit):
        lic = license_get(license_id)
        items.append(FacetItem(license_id, lic.title if lic else license_id, n))
    return items


def _linked(qs: QuerySet, limit: int | None, *, through, name: str, label: str):
    counts = (
        through.objects.filter(dataset_id__in=qs.order_by().values("pk"))
        .order_by()
        .values_list(name, label)
        .annotate(n=Count("pk"))
    )
    rows = sorted(counts, key=lambda row: (-row[2], row[0]))
    return [FacetItem(value, title, n) for value, title, n in rows[:limit]]


def _res_format(qs: QuerySet, limit: int | None) -> list[FacetItem]:
    counts = (
        Resource.objects.filter(dataset_id__in=qs.order_by().values("pk"), state="active")
        .exclude(format="")
        .annotate(fmt=Upper("format"))
        .order_by()
        .values_list("fmt")
        .annotate(n=Count("dataset_id", distinct=True))
    )
    return [FacetItem(fmt, fmt, n) for fmt, n in _top(list(counts), limit)]


def facet_counts(
    qs: QuerySet[Dataset], fields: tuple[str, ...], limit: int
) -> dict[str, list[FacetItem]]:
    """{facet field: items, most frequent first}; limit < 0 means no limit (CKAN's -1)."""
    top = None if limit < 0 else limit
    result: dict[str, list[FacetItem]] = {}
    for name in fields:
        if name == "organization":
            result[name] = _organization(qs, top)
        elif name == "license_id":
            result[name] = _license(qs, top)
        elif name == "tags":
            result[name] = _linked(
                qs, top, through=Dataset.tags.through, name="tag__name", label="tag__name"
            )
        elif name == "groups":
            result[name] = _linked(
                qs,
                top,
                through=Dataset.categories.through,
                name="category__name",
                label="category__title",
            )
        elif name == "res_format":
            result[name] = _res_format(qs, top)
    return result
