"""Organization (部・課) and group (カテゴリ) actions: organization_list, organization_show,
group_list, group_show, organization_create, organization_member_create,
organization_member_delete."""

from django.db.models import Count

from hiraku.catalog import actions, permissions, selectors
from hiraku.catalog.errors import NotAuthorized, ValidationFailed, bilingual
from hiraku.catalog.models import Category, Organization
from hiraku.conf import setting
from hiraku.search.query import SearchQuery
from hiraku.search.selectors import dataset_search

from .. import params
from ..dictize import iso, package_dicts
from ..registry import ActionContext, action
from .package_write import user_by_ref

_SORTS = {"name": "name", "title": "title", "package_count": "package_count"}


def _counts(ctx: ActionContext, field: str) -> dict:
    """Datasets each organization / category holds that the caller may see."""
    rows = (
        permissions.readable_datasets(ctx.user, include_private=True)
        .values(field)
        .annotate(n=Count("pk", distinct=True))
    )
    return {row[field]: row["n"] for row in rows if row[field] is not None}


def organization_dict(org: Organization, package_count: int) -> dict:
    return {
        "id": str(org.pk),
        "name": org.name,
        "title": org.title,
        "title_en": org.title_en,
        "display_name": org.title or org.name,
        "description": org.description,
        "description_en": org.description_en,
        "image_url": org.image_url,
        "image_display_url": org.image_url,
        "created": iso(org.created),
        "is_organization": True,
        "type": "organization",
        "state": org.state,
        "approval_status": "approved",
        "package_count": package_count,
        "num_followers": 0,
        "parent": org.parent.name if org.parent_id else None,
    }


def group_dict(cat: Category, package_count: int) -> dict:
    return {
        "id": str(cat.pk),
        "name": cat.name,
        "title": cat.title,
        "title_en": cat.title_en,
        "display_name": cat.title or cat.name,
        "description": cat.description,
        "image_url": cat.image_url,
        "image_display_url": cat.image_url,
        "created": iso(cat.created),
        "is_organization": False,
        "type": "group",
        "state": "active",
        "approval_status": "approved",
        "package_count": package_count,
        "num_followers": 0,
    }


def _list(ctx: ActionContext, data: dict, objects: list, to_dict, counts: dict, names_param: str):
    limit = params.integer(data, "limit", 1000, maximum=1000)
    offset = params.integer(data, "offset", 0)
    q = params.text(data, "q").lower()
    wanted = set(params.string_list(data, names_param))
    sort = params.text(data, "sort", "title asc") or "title asc"
    key, _, direction = sort.partition(" ")
    if key not in _SORTS or direction.strip() not in ("", "asc", "desc"):
        msg = bilingual(
            f"並べ替えできません: {sort} (name / title / package_count と asc / desc)",
            f"Cannot sort by: {sort} (use name, title or package_count with asc or desc)",
        )
        raise ValidationFailed(msg, {"sort": [msg]})
    dicts = [
        to_dict(obj, counts.get(obj.pk, 0))
        for obj in objects
        if (not q or q in obj.name.lower() or q in obj.title.lower())
        and (not wanted or obj.name in wanted)
    ]
    dicts.sort(key=lambda d: d[_SORTS[key]], reverse=direction.strip() == "desc")
    page = dicts[offset : offset + limit]
    if params.boolean(data, "all_fields"):
        return page
    return [d["name"] for d in page]


@action("organization_list")
def organization_list(ctx: ActionContext, data: dict) -> list:
    """Organizations (部・課): names, or dicts with all_fields.

    :param all_fields: return dicts with package_count instead of names
    :type all_fields: bool
    :param sort: "title asc" (default), "name asc", "package_count desc", ...
    :type sort: string
    :param limit: at most this many (default and maximum 1000)
    :type limit: int
    :param offset: skip this many
    :type offset: int
    :param q: only those whose name or title contains this
    :type q: string
    :param organizations: only these names
    :type organizations: list of strings
    :rtype: list of strings or dictionaries
    """
    orgs = list(Organization.objects.filter(state="active").select_related("parent"))
    return _list(
        ctx, data, orgs, organization_dict, _counts(ctx, "organization_id"), "organizations"
    )


@action("group_list")
def group_list(ctx: ActionContext, data: dict) -> list:
    """Groups, i.e. Hiraku's categories (人口・世帯, 防災, ...): names, or dicts with all_fields.

    :param all_fields: return dicts with package_count instead of names
    :type all_fields: bool
    :param sort: "title asc" (default), "name asc", "package_count desc", ...
    :type sort: string
    :param limit: at most this many
    :type limit: int
    :param offset: skip this many
    :type offset: int
    :param groups: only these names
    :type groups: list of strings
    :rtype: list of strings or dictionaries
    """
    return _list(
        ctx, data, list(Category.objects.all()), group_dict, _counts(ctx, "categories"), "groups"
    )


def _with_datasets(ctx: ActionContext, data: dict, result: dict, filter_field: str) -> dict:
    if params.boolean(data, "include_datasets"):
        found = dataset_search(
            user=ctx.user,
            query=SearchQuery(
                filters={filter_field: [result["name"]]},
                rows=min(1000, setting("API_ROWS_MAX")),
                sort="metadata_modified desc",
                include_private=True,
            ),
        )
        result["packages"] = package_dicts(list(found.datasets), user=ctx.user, request=ctx.request)
    return result


@action("organization_show")
def organization_show(ctx: ActionContext, data: dict) -> dict:
    """One organization; with include_datasets, the datasets in it you may see.

    :param id: the organization's id or name
    :type id: string
    :param include_datasets: add "packages" (up to 1000)
    :type include_datasets: bool
    :rtype: dictionary
    """
    org = selectors.organization_get(params.required(data, "id"))
    count = _counts(ctx, "organization_id").get(org.pk, 0)
    return _with_datasets(ctx, data, organization_dict(org, count), "organization")


@action("group_show")
def group_show(ctx: ActionContext, data: dict) -> dict:
    """One group (category); with include_datasets, the datasets in it you may see.

    :param id: the group's id or name
    :type id: string
    :param include_datasets: add "packages" (up to 1000)
    :type include_datasets: bool
    :rtype: dictionary
    """
    cat = selectors.category_get(params.required(data, "id"))
    count = _counts(ctx, "categories").get(cat.pk, 0)
    return _with_datasets(ctx, data, group_dict(cat, count), "groups")


@action("organization_create", write=True)
def organization_create(ctx: ActionContext, data: dict) -> dict:
    """Create an organization. Site administrators only.

    :param name: URL name: 2-100 characters of a-z, 0-9, - and _
    :type name: string
    :param title: name in Japanese
    :type title: string
    :param title_en: name in English
    :type title_en: string
    :param description: description
    :type description: string
    :param parent: the department (部) this section (課) belongs to, by name or id
    :type parent: string
    :rtype: dictionary
    """
    org = actions.organization_create(actor=ctx.user, data=data)
    org = Organization.objects.select_related("parent").get(pk=org.pk)
    return organization_dict(org, 0)


def _check_manager(ctx: ActionContext, org: Organization) -> None:
    # Asked before the user lookup, so outsiders cannot probe which usernames exist.
    if not permissions.can_manage_organization(ctx.user, org):
        raise NotAuthorized(
            bilingual("メンバーを管理する権限がありません", "Not authorized to manage members")
        )


def _member(org: Organization, user, capacity: str) -> dict:
    return {
        "table_name": "user",
        "table_id": str(user.pk),
        "username": user.username,
        "group_id": str(org.pk),
        "capacity": capacity,
        "state": "active",
    }


@action("organization_member_create", write=True)
def organization_member_create(ctx: ActionContext, data: dict) -> dict:
    """Add a user to an organization, or change their role. Organization admins only.

    :param id: the organization's id or name
    :type id: string
    :param username: the user's name or id
    :type username: string
    :param role: "member", "editor" or "admin"
    :type role: string
    :rtype: dictionary
    """
    org = selectors.organization_get(params.required(data, "id"))
    _check_manager(ctx, org)
    user = user_by_ref(params.required(data, "username", "user_id"))
    role = params.required(data, "role", "capacity")
    actions.organization_member_create(actor=ctx.user, organization=org, user=user, capacity=role)
    return _member(org, user, role)


@action("organization_member_delete", write=True)
def organization_member_delete(ctx: ActionContext, data: dict) -> None:
    """Remove a user from an organization. Organization admins only.

    :param id: the organization's id or name
    :type id: string
    :param username: the user's name or id
    :type username: string
    """
    org = selectors.organization_get(params.required(data, "id"))
    _check_manager(ctx, org)
    user = user_by_ref(params.required(data, "username", "user_id"))
    actions.organization_member_delete(actor=ctx.user, organization=org, user=user)
    return None
