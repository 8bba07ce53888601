"""Dataset read actions: package_list, package_show, package_search,
current_package_list_with_resources."""

from hiraku.catalog import permissions, selectors
from hiraku.catalog.errors import ValidationFailed, bilingual
from hiraku.conf import setting
from hiraku.search.fq import parse_fq
from hiraku.search.query import FACET_FIELDS, SearchQuery, SearchResult
from hiraku.search.selectors import dataset_search

from .. import params
from ..dictize import package_dicts
from ..registry import ActionContext, action

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


def _search_query(data: dict) -> SearchQuery:
    # fq is parsed by the search app's CKAN fq parser; field clauses typed into q (tags:防災)
    # are split off by dataset_search itself.
    filters: dict[str, list[str]] = {}
    for fq in [params.text(data, "fq"), *params.string_list(data, "fq_list")]:
        for name, values in parse_fq(fq).items():
            filters.setdefault(name, []).extend(values)
    facet_fields = params.string_list(data, "facet.field")
    unknown = [f for f in facet_fields if f not in FACET_FIELDS]
    if unknown:
        msg = bilingual(
            f"集計できない項目です: {', '.join(unknown)} (使える項目: {', '.join(FACET_FIELDS)})",
            f"Cannot facet on: {', '.join(unknown)} (available: {', '.join(FACET_FIELDS)})",
        )
        raise ValidationFailed(msg, {"facet.field": [msg]})
    facet_limit = params.integer(data, "facet.limit", 50, minimum=-1)
    return SearchQuery(
        q=params.text(data, "q"),
        filters=filters,
        sort=params.text(data, "sort") or DEFAULT_SORT,
        rows=params.integer(data, "rows", 10, maximum=setting("API_ROWS_MAX")),
        start=params.integer(data, "start", 0),
        facet_fields=tuple(facet_fields) if params.boolean(data, "facet", True) else (),
        facet_limit=10**6 if facet_limit < 0 else facet_limit,
        include_private=params.boolean(data, "include_private"),
        include_drafts=params.boolean(data, "include_drafts"),
    )


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

    :param q: words to find (Japanese is split into words); field:value clauses work too
        (e.g. tags:AED); *:* means everything
    :type q: string
    :param fq: filters, field:value clauses AND-ed (organization, owner_org, groups, tags,
        res_format, license_id, name, id, dataset_type), e.g.
        +organization:joho tags:"防災 計画" AND res_format:CSV; OR, NOT, -clauses and
        parentheses are refused with a Validation Error
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
    query = _search_query(data)
    result = dataset_search(user=ctx.user, query=query)
    return {
        "count": result.count,
        "results": package_dicts(list(result.datasets), user=ctx.user, request=ctx.request),
        "facets": {name: {i.name: i.count for i in items} for name, items in result.facets.items()},
        "search_facets": _search_facets(result),
        "sort": query.sort,
    }
