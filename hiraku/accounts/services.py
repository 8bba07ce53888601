"""Create, revoke and resolve API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from hiraku.catalog.errors import NotFound, ValidationFailed, bilingual

from .models import ApiToken

TOKEN_PREFIX = "hrk_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Return the stored token row and the plain token, which is never stored or shown again."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        msg = bilingual(
            "トークン名を1〜100文字で指定してください", "Give the token a name of 1-100 characters"
        )
        raise ValidationFailed(msg, {"name": [msg]})
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, token_hash=_hash(plain), prefix=plain[:10]
        )
    return token, plain


def token_revoke(*, user: User, token_id: int) -> None:
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked__isnull=True).update(
        revoked=timezone.now()
    )
    if not updated:
        raise NotFound(bilingual("トークンが見つかりません", "Token not found"))


def user_for_token(plain: str) -> User | None:
    """The active user owning an unrevoked token, or None."""
    if not plain:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(plain.strip()), revoked__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user


def token_from_request(request) -> str:
    """CKAN clients send the token in Authorization (optionally 'Bearer ') or X-CKAN-API-Key."""
    raw = request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key") or ""
    if raw.lower().startswith("bearer "):
        raw = raw[7:]
    return raw.strip()
