"""Site-wide read actions: site_read, status_show, help_show, license_list, tag_list."""

from importlib.metadata import PackageNotFoundError, version

from hiraku.catalog import permissions
from hiraku.catalog.errors import NotFound, bilingual
from hiraku.catalog.licenses import LICENSES
from hiraku.catalog.models import Tag
from hiraku.conf import setting

from .. import params
from ..dictize import absolute_url
from ..registry import ActionContext, action, get_action

# The CKAN release whose Action API shapes we follow; clients sometimes check it.
CKAN_COMPATIBLE_VERSION = "2.10.0"


@action("site_read")
def site_read(ctx: ActionContext, data: dict) -> bool:
    """Return True: the site may be read.

    :rtype: bool
    """
    return True


@action("status_show")
def status_show(ctx: ActionContext, data: dict) -> dict:
    """Site information: title, URL, the CKAN API version followed and Hiraku's own version.

    :rtype: dictionary
    """
    try:
        hiraku_version = version("hiraku")
    except PackageNotFoundError:
        hiraku_version = "unknown"
    return {
        "site_title": setting("SITE_TITLE"),
        "site_title_en": setting("SITE_TITLE_EN"),
        "site_description": setting("CITY_NAME"),
        "site_url": absolute_url("/", ctx.request).rstrip("/"),
        "ckan_version": CKAN_COMPATIBLE_VERSION,
        "hiraku_version": hiraku_version,
        "error_emails_to": None,
        "locale_default": "ja",
        "extensions": ["hiraku"],
    }


@action("help_show")
def help_show(ctx: ActionContext, data: dict) -> str:
    """The documentation of an action.

    :param name: the action's name, e.g. package_search
    :type name: string
    :rtype: string
    """
    name = params.required(data, "name")
    found = get_action(name)
    if found is None:
        raise NotFound(bilingual(f"不明なアクションです: {name}", f"Action name not known: {name}"))
    return found.doc


@action("license_list")
def license_list(ctx: ActionContext, data: dict) -> list:
    """The licences datasets may use (id, title, url, od_conformance, ...).

    :rtype: list of dictionaries
    """
    return [lic.as_ckan() for lic in LICENSES]


@action("tag_list")
def tag_list(ctx: ActionContext, data: dict) -> list:
    """Names of the tags used by datasets you may see.

    :param query: only tags whose name contains this text (optional)
    :type query: string
    :param all_fields: return dicts (id, name, display_name, vocabulary_id) instead of names
    :type all_fields: bool
    :rtype: list of strings
    """
    query = params.text(data, "query")
    all_fields = params.boolean(data, "all_fields")
    visible = permissions.readable_datasets(ctx.user, include_private=True)
    tags = Tag.objects.filter(datasets__in=visible.values("pk")).distinct().order_by("name")
    if query:
        tags = tags.filter(name__icontains=query)
    if not all_fields:
        return list(tags.values_list("name", flat=True))
    return [
        {"id": str(t.pk), "name": t.name, "display_name": t.name, "vocabulary_id": None}
        for t in tags
    ]
