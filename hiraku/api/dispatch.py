"""The Action API view: /api/3/action/<name> and /api/action/<name>, GET and POST.

Reads the request the way CKAN does, finds the registered action, resolves the caller, runs
the action and wraps its result or error in CKAN's envelope. Status codes: 400 unreadable
request, 403 not allowed, 404 unknown action or object, 409 invalid input, 413 too large.
"""

import logging

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from hiraku.catalog.errors import CatalogError, NotFound, bilingual

from . import envelope
from .auth import resolve_caller
from .errors import BadRequest
from .registry import ActionContext, get_action
from .request_data import read_request

log = logging.getLogger(__name__)


class _InternalError(CatalogError):
    ckan_type = "Internal Server Error"
    status = 500


def _allow_cross_origin_reads(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    # Open data: any web page may read the API with GET. Browsers refuse to hand a response
    # made with cookies to another site when the origin is "*" (and we never send
    # Allow-Credentials), so other sites only ever read what the public sees.
    if request.method == "GET":
        response["Access-Control-Allow-Origin"] = "*"
    return response


def run_action(request: HttpRequest, name: str) -> HttpResponse:
    """Run one action for this request and return CKAN's JSON envelope."""
    return _allow_cross_origin_reads(request, _respond(request, name))


def _respond(request: HttpRequest, name: str) -> HttpResponse:
    action = get_action(name)
    if action is None:
        return envelope.failure(
            request,
            name,
            NotFound(bilingual(f"不明なアクションです: {name}", f"Action name not known: {name}")),
        )
    try:
        if request.method not in ("GET", "POST"):
            raise BadRequest(bilingual("GET か POST を使ってください", "Use GET or POST"))
        if action.write and request.method != "POST":
            raise BadRequest(
                bilingual(f"{name} は POST で呼び出してください", f"Please use POST for {name}")
            )
        data, files = read_request(request)
        callback = ""
        if request.method == "GET" and "callback" in data:
            callback = str(data.pop("callback"))
        data.pop("_", None)  # jQuery's cache buster
        user = AnonymousUser() if callback else resolve_caller(request, write=action.write)
        ctx = ActionContext(request=request, user=user, files=files)
        if action.write:
            # One transaction per write call: an error anywhere leaves nothing half-saved.
            with transaction.atomic():
                result = action.fn(ctx, data)
        else:
            result = action.fn(ctx, data)
    except CatalogError as exc:
        return envelope.failure(request, name, exc)
    except Exception:
        log.exception("API action %s failed", name)
        return envelope.failure(
            request,
            name,
            _InternalError(
                bilingual(
                    "サーバー内部エラーが発生しました。管理者に連絡してください",
                    "Internal Server Error; please tell the site administrator",
                )
            ),
        )
    return envelope.success(request, name, result, callback=callback)


@csrf_exempt
def action_view(request: HttpRequest, name: str) -> HttpResponse:
    return run_action(request, name)


def api_root(request: HttpRequest) -> HttpResponse:
    """/api/ and /api/3: the API version, as CKAN answers there."""
    return envelope.json_response({"version": 3})
