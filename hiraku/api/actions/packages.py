"""Dataset read actions: package_list, package_show, package_search,
current_package_list_with_resources."""

import uuid

from hiraku.catalog import permissions, selectors
from hiraku.catalog.errors import NotFound
from hiraku.conf import setting
from hiraku.search.query import FACET_FIELDS, SearchQuery, SearchResult
from hiraku.search.selectors import dataset_search

from .. import params
from ..dictize import package_dicts
from ..errors import SearchQueryError
from ..registry import ActionContext, action
from ..solr_syntax import ParsedQuery, parse

DEFAULT_SORT = "score desc, metadata_modified desc"


def _public_listing(ctx: ActionContext):
    # CKAN lists only public, active datasets here, whoever asks.
    return permissions.readable_datasets(ctx.user, include_private=False, include_drafts=False)


@action("package_list")
def package_list(ctx: ActionContext, data: dict) -> list:
    """Names of all public datasets, sorted by name.

    :param limit: how many names to return (optional)
    :type limit: int
    :param offset: how many names to skip (optional)
    :type offset: int
    :rtype: list of strings
    """
    limit = params.integer(data, "limit", None)
    offset = params.integer(data, "offset", 0) or 0
    names = _public_listing(ctx).order_by("name").values_list("name", flat=True)
    end = offset + limit if limit is not None else None
    return list(names[offset:end])


@action("current_package_list_with_resources")
def current_package_list_with_resources(ctx: ActionContext, data: dict) -> list:
    """Public datasets with their resources, most recently modified first.

    :param limit: how many datasets (optional, default 10, at most API_ROWS_MAX)
    :type limit: int
    :param offset: how many to skip (optional)
    :type offset: int
    :param page: page number, used with limit when offset is not given (optional)
    :type page: int
    :rtype: list of dictionaries
    """
    limit = params.integer(data, "limit", 10, maximum=setting("API_ROWS_MAX"))
    offset = params.integer(data, "offset", None)
    if offset is None:
        page = params.integer(data, "page", 1, minimum=1)
        offset = (page - 1) * limit
    qs = permissions.readable_datasets(
        ctx.user, selectors.dataset_queryset(), include_private=False, include_drafts=False
    ).order_by("-modified", "name")
    return package_dicts(list(qs[offset : offset + limit]), user=ctx.user, request=ctx.request)


@action("package_show")
def package_show(ctx: ActionContext, data: dict) -> dict:
    """One dataset with its resources, by id or name.

    :param id: the id or name of the dataset
    :type id: string
    :rtype: dictionary
    """
    ref = params.required(data, "id", "name_or_id", "name")
    dataset = selectors.dataset_get(ref, user=ctx.user)
    return package_dicts([dataset], user=ctx.user, request=ctx.request)[0]


def _resolve_owner_org(parsed: ParsedQuery) -> None:
    """owner_org may be given as a name; the search filters it by id."""
    ids = []
    for ref in parsed.filters.get("owner_org", []):
        try:
            ids.append(str(selectors.organization_get(ref).pk))
        except NotFound:
            parsed.no_match = True
    if ids:
        parsed.filters["owner_org"] = ids
    for ref in parsed.filters.get("id", []):
        try:
            uuid.UUID(ref)
        except ValueError:
            parsed.no_match = True


def _search_query(ctx: ActionContext, data: dict) -> tuple[SearchQuery, bool]:
    parsed = parse(ParsedQuery(), params.text(data, "q"), is_fq=False)
    parse(parsed, params.text(data, "fq"), is_fq=True)
    for fq in params.string_list(data, "fq_list"):
        parse(parsed, fq, is_fq=True)
    _resolve_owner_org(parsed)
    facet_fields = params.string_list(data, "facet.field")
    unknown = [f for f in facet_fields if f not in FACET_FIELDS]
    if unknown:
        raise SearchQueryError(
            f"集計できない項目です / Cannot facet on: {', '.join(unknown)} "
            f"(使える項目 / available: {', '.join(FACET_FIELDS)})"
        )
    facet_limit = params.integer(data, "facet.limit", 50, minimum=-1)
    query = SearchQuery(
        q=" ".join(parsed.text),
        filters=parsed.filters,
        sort=params.text(data, "sort") or DEFAULT_SORT,
        rows=params.integer(data, "rows", 10, maximum=setting("API_ROWS_MAX")),
        start=params.integer(data, "start", 0),
        facet_fields=tuple(facet_fields) if params.boolean(data, "facet", True) else (),
        facet_limit=10**6 if facet_limit < 0 else facet_limit,
        include_private=params.boolean(data, "include_private") and not parsed.public_only,
        include_drafts=params.boolean(data, "include_drafts"),
    )
    return query, parsed.no_match


def _search_facets(result: SearchResult) -> dict:
    return {
        name: {
            "title": name,
            "items": [
                {"name": i.name, "display_name": i.display_name, "count": i.count} for i in items
            ],
        }
        for name, items in result.facets.items()
    }


@action("package_search")
def package_search(ctx: ActionContext, data: dict) -> dict:
    """Search datasets, with CKAN's parameters.

    :param q: words to find; field:value terms work too (e.g. tags:AED)
    :type q: string
    :param fq: filters in Solr syntax: organization, groups, tags, res_format, license_id,
        name, id; e.g. +organization:joho tags:"防災" AND res_format:CSV
    :type fq: string
    :param fq_list: more filters, each like fq
    :type fq_list: list of strings
    :param rows: how many datasets to return (default 10, at most API_ROWS_MAX, 1000)
    :type rows: int
    :param start: how many to skip
    :type start: int
    :param sort: e.g. "metadata_modified desc", "title_string asc", "name asc"
    :type sort: string
    :param facet.field: fields to count values of, a JSON list, e.g. ["tags","organization"]
    :type facet.field: list of strings
    :param facet.limit: at most this many values per facet (default 50, -1 for all)
    :type facet.limit: int
    :param include_private: include private datasets you may read
    :type include_private: bool
    :param include_drafts: include drafts you may read
    :type include_drafts: bool
    :rtype: dictionary with count, results, facets, search_facets and sort
    """
    query, no_match = _search_query(ctx, data)
    if no_match:
        result = SearchResult(count=0, datasets=[], facets={f: [] for f in query.facet_fields})
    else:
        result = dataset_search(user=ctx.user, query=query)
    return {
        "count": result.count,
        "results": package_dicts(list(result.datasets), user=ctx.user, request=ctx.request),
        "facets": {name: {i.name: i.count for i in items} for name, items in result.facets.items()},
        "search_facets": _search_facets(result),
        "sort": query.sort,
    }
