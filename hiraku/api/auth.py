"""Who is calling: an API token (Authorization, "Bearer " optional, or X-CKAN-API-Key), else
the signed-in session (with a CSRF token on POST), else anonymous.

A token that is sent but unknown or revoked is refused outright rather than silently treated
as anonymous, so a client never mistakes "no access" for "no data".
"""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware

from hiraku.accounts.services import token_from_request, user_for_token
from hiraku.catalog.errors import NotAuthorized, bilingual


def _csrf_ok(request: HttpRequest) -> bool:
    # The API view is csrf_exempt (token clients have no CSRF cookie), so the check for
    # session callers is made here instead.
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}) is None


def _presented_token(request: HttpRequest) -> str:
    # A portal behind HTTP Basic auth (a staging site, say) sends "Authorization: Basic ..."
    # with every request; that is the proxy's password, not an API token.
    if request.headers.get("Authorization", "").lower().startswith("basic "):
        return (request.headers.get("X-CKAN-API-Key") or "").strip()
    return token_from_request(request)


def resolve_caller(request: HttpRequest, *, write: bool):
    token = _presented_token(request)
    if token:
        user = user_for_token(token)
        if user is None:
            raise NotAuthorized(
                bilingual(
                    "API トークンが無効です (存在しないか、失効しています)",
                    "The API token is unknown or has been revoked",
                )
            )
        return user
    session_user = getattr(request, "user", None)
    if session_user is not None and session_user.is_authenticated:
        if request.method != "POST" or _csrf_ok(request):
            return session_user
        if write:
            raise NotAuthorized(
                bilingual(
                    "CSRF トークンがないか正しくありません。ページを再読み込みするか API トークンを使ってください",
                    "CSRF token missing or incorrect; reload the page or use an API token",
                )
            )
        return AnonymousUser()
    if write:
        raise NotAuthorized(
            bilingual(
                "この操作には API トークンが必要です (Authorization ヘッダー)",
                "This action needs an API token in the Authorization header",
            )
        )
    return AnonymousUser()
