"""Template helpers: Markdown, licences, bilingual titles, query strings for facets and paging."""

from urllib.parse import urlencode

from django import template
from django.utils.html import strip_tags
from django.utils.translation import get_language

from hiraku.catalog.licenses import license_get

from ..markdown_render import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    return render_markdown(text or "")


@register.filter
def plain_summary(text: str, length: int = 150) -> str:
    """Markdown as one line of plain text, for list summaries and meta descriptions."""
    plain = " ".join(strip_tags(render_markdown(text or "")).split())
    return plain if len(plain) <= length else plain[: length - 1] + "…"


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


@register.filter
def localized_title(obj) -> str:
    """title_en in English when it exists, else the Japanese title."""
    if _english() and getattr(obj, "title_en", ""):
        return obj.title_en
    return getattr(obj, "title", "") or getattr(obj, "name", "")


@register.simple_tag
def license_info(license_id: str):
    """The licence object (id, title, title_en, url), or None for an unknown id."""
    return license_get(license_id)


@register.filter
def license_title(license_id: str) -> str:
    lic = license_get(license_id)
    if lic is None:
        return license_id
    return lic.title_en if _english() else lic.title


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None removes one); resets page."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    params = context["request"].GET.copy()
    params["page"] = number
    return f"?{params.urlencode()}"


@register.simple_tag(takes_context=True)
def facet_toggle(context, field: str, value: str) -> str:
    """Add the facet value to the query, or remove it when already active (CKAN-style fq AND)."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    values = params.getlist(field)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    params.setlist(field, values)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def querystring_of(**params) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})
