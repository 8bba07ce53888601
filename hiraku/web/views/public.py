"""Public reading pages: home, dataset list and page, organizations, terms and about."""

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_noop

from hiraku.catalog import permissions, selectors
from hiraku.catalog.errors import NotFound
from hiraku.catalog.licenses import license_get
from hiraku.catalog.models import Category, Organization
from hiraku.conf import setting
from hiraku.search.query import FACET_FIELDS, SearchQuery
from hiraku.search.selectors import dataset_search

from ..helpers import PAGE_SIZE, page_number, paginate, site_url, visibility

# Sort choices offered on the list page: (value, label msgid); labels are translated in the template.
SORT_CHOICES = [
    ("score desc, metadata_modified desc", gettext_noop("Relevance")),
    ("metadata_modified desc", gettext_noop("Last modified")),
    ("metadata_created desc", gettext_noop("Newest")),
    ("title_string asc", gettext_noop("Title (A–Z)")),
]


def _readable_ids(user):
    return permissions.readable_datasets(user, **visibility(user)).values("pk")


def _organizations_with_counts(readable_ids) -> list[Organization]:
    """Active organizations, each with .n = datasets of its own the user may see."""
    return list(
        Organization.objects.filter(state="active")
        .annotate(n=Count("datasets", filter=Q(datasets__pk__in=readable_ids), distinct=True))
        .order_by("name")
    )


def home(request: HttpRequest) -> HttpResponse:
    """Home page. Models: Category, Dataset, Organization. Template: web/home.html.
    Context: categories (each with .n visible datasets), newest (SearchResult.datasets),
    organizations (department tree: [{org, total, children}]), total (visible datasets)."""
    user = request.user
    ids = _readable_ids(user)
    categories = Category.objects.annotate(
        n=Count("datasets", filter=Q(datasets__pk__in=ids), distinct=True)
    )
    newest = dataset_search(
        user=user,
        query=SearchQuery(sort="metadata_created desc", rows=6, **visibility(user)),
    )
    organizations = _org_tree(_organizations_with_counts(ids))
    return render(
        request,
        "web/home.html",
        {
            "categories": categories,
            "newest": newest.datasets,
            "total": newest.count,
            "organizations": organizations,
        },
    )


def dataset_list(request: HttpRequest) -> HttpResponse:
    """Dataset search. Model: Dataset via search.selectors.dataset_search.
    Template: web/dataset_list.html. Context: q, result (count, datasets, facets), page_obj-like
    paging (page, pages, has_prev/has_next), sort, sort_choices, active_filters [(field, value, label)]."""
    user = request.user
    q = request.GET.get("q", "").strip()[:500]
    sort = request.GET.get("sort", "")
    if sort not in {value for value, _label in SORT_CHOICES}:
        sort = SORT_CHOICES[0][0] if q else "metadata_modified desc"
    filters = {
        field: [v for v in request.GET.getlist(field) if v][:10]
        for field in FACET_FIELDS
        if request.GET.getlist(field)
    }
    page = page_number(request)
    result = dataset_search(
        user=user,
        query=SearchQuery(
            q=q,
            filters=filters,
            sort=sort,
            rows=PAGE_SIZE,
            start=(page - 1) * PAGE_SIZE,
            facet_fields=FACET_FIELDS,
            facet_limit=20,
            **visibility(user),
        ),
    )
    pages = max(1, -(-result.count // PAGE_SIZE))
    labels = {
        field: {item.name: item.display_name for item in items}
        for field, items in result.facets.items()
    }
    active = [
        (field, value, labels.get(field, {}).get(value, value))
        for field, values in filters.items()
        for value in values
    ]
    return render(
        request,
        "web/dataset_list.html",
        {
            "q": q,
            "result": result,
            "facet_groups": [(field, result.facets.get(field, [])) for field in FACET_FIELDS],
            "active_filters": active,
            "active_values": {f"{field}={value}" for field, value, _ in active},
            "sort": sort,
            "sort_choices": SORT_CHOICES,
            "page": page,
            "pages": pages,
            "page_range": range(max(1, page - 3), min(pages, page + 3) + 1),
        },
    )


def _dataset_or_404(ref: str, user):
    try:
        return selectors.dataset_get(ref, user=user)
    except NotFound:
        raise Http404(ref) from None


def dataset_detail(request: HttpRequest, name: str) -> HttpResponse:
    """Dataset page. Model: Dataset (+ resources, tags, categories, organization).
    Template: web/dataset_detail.html. Context: dataset, resources, license, can_edit,
    attribution, api_base (site URL for the copy-ready API examples)."""
    dataset = _dataset_or_404(name, request.user)
    license_ = license_get(dataset.license_id)
    english = request.LANGUAGE_CODE.startswith("en")
    city = setting("CITY_NAME_EN" if english else "CITY_NAME")
    title = dataset.title_en if english and dataset.title_en else dataset.title
    if license_:
        licence_label = license_.title_en if english else license_.title
    else:
        licence_label = dataset.license_id
    attribution = (
        f"Source: {city}, “{title}” ({licence_label})"
        if english
        else f"出典：{city}「{title}」({licence_label})"
    )
    return render(
        request,
        "web/dataset_detail.html",
        {
            "dataset": dataset,
            "resources": [r for r in dataset.resources.all() if r.state == "active"],
            "license": license_,
            "can_edit": permissions.can_edit_dataset(request.user, dataset),
            "attribution": attribution,
            "api_base": site_url(request),
        },
    )


def _org_tree(orgs: list[Organization]) -> list[dict]:
    """[{"org": 総務部, "total": 5, "children": [{"org": 情報政策課, "total": 2, ...}]}]:
    roots first; total counts a department's own datasets and those of its sections."""
    by_parent: dict = {}
    for org in orgs:
        by_parent.setdefault(org.parent_id, []).append(org)
    ids = {org.pk for org in orgs}

    def build(org: Organization, depth: int) -> dict:
        # depth guards against a parent loop in bad data
        children = [build(c, depth + 1) for c in by_parent.get(org.pk, [])] if depth < 10 else []
        return {
            "org": org,
            "children": children,
            "total": org.n + sum(child["total"] for child in children),
        }

    return [build(o, 1) for o in orgs if o.parent_id is None or o.parent_id not in ids]


def _subtree_ids(org: Organization) -> list:
    """The organization and every section below it."""
    found, frontier = [org.pk], [org.pk]
    while frontier and len(found) < 1000:
        frontier = list(
            Organization.objects.filter(parent_id__in=frontier, state="active")
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found += frontier
    return found


def organization_list(request: HttpRequest) -> HttpResponse:
    """Organizations as a tree (部 > 課). Model: Organization. Template: web/organization_list.html.
    Context: tree ([{org, total, children}]; total counts visible datasets incl. sections)."""
    orgs = _organizations_with_counts(_readable_ids(request.user))
    return render(request, "web/organization_list.html", {"tree": _org_tree(orgs)})


def organization_detail(request: HttpRequest, name: str) -> HttpResponse:
    """One organization. Models: Organization, Dataset. Template: web/organization_detail.html.
    Context: organization, ancestors, children (sections), datasets (the visible ones of it and
    of its sections, 20 a page), count, page, pages, can_publish."""
    try:
        org = selectors.organization_get(name)
    except NotFound:
        raise Http404(name) from None
    children = list(Organization.objects.filter(parent=org, state="active").order_by("name"))
    visible = (
        permissions.readable_datasets(request.user, **visibility(request.user))
        .filter(organization_id__in=_subtree_ids(org))
        .select_related("organization")
        .prefetch_related("resources")
        .order_by("-modified", "name")
    )
    page_obj = paginate(visible, request)
    return render(
        request,
        "web/organization_detail.html",
        {
            "organization": org,
            "ancestors": list(reversed(org.ancestors())),
            "children": children,
            "datasets": page_obj.object_list,
            "count": page_obj.paginator.count,
            "page": page_obj.number,
            "pages": page_obj.paginator.num_pages,
            "can_publish": permissions.can_create_dataset_in(request.user, org),
        },
    )


def terms(request: HttpRequest) -> HttpResponse:
    """Terms of use (利用規約) and disclaimer. Template: web/terms.html. Context: default_license."""
    return render(
        request, "web/terms.html", {"default_license": license_get(setting("DEFAULT_LICENSE"))}
    )


def about(request: HttpRequest) -> HttpResponse:
    """About the portal. Template: web/about.html. Context: api_base."""
    return render(request, "web/about.html", {"api_base": site_url(request)})
