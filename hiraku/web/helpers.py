"""Small helpers shared by the web views: visibility flags, paging, error mapping, page URLs."""

from django import forms
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hiraku.catalog.errors import CatalogError

PAGE_SIZE = 20


def visibility(user) -> dict:
    """What a listing includes for this user: private datasets they may read, and drafts when
    signed in (permissions.readable_datasets still decides which ones)."""
    signed_in = bool(user and user.is_authenticated)
    return {"include_private": signed_in, "include_drafts": signed_in}


def page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def paginate(items, request: HttpRequest, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(page_number(request))


def apply_errors(form: forms.Form, error: CatalogError) -> None:
    """Put a service's field errors onto the matching form fields; the rest go to the top.

    error.errors looks like {"name": ["このURL名は既に使われています / That URL is already in use."]}.
    """
    placed = False
    for field, messages in (error.errors or {}).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message if target else f"{field}: {message}")
            placed = True
    if not placed:
        form.add_error(None, error.message or _("The change could not be saved."))


def site_url(request: HttpRequest) -> str:
    """The public base URL for copy-ready examples: the configured one, else this request's."""
    configured = getattr(settings, "SITE_URL", "")
    if configured and "127.0.0.1" not in configured and "localhost" not in configured:
        return configured
    return request.build_absolute_uri("/").rstrip("/")
