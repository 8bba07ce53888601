"""Turn a request into the action's `data` dict and `files`, the way CKAN reads them.

GET: the query string. POST: a JSON body (whatever the Content-Type says, as old CKAN clients
send JSON as form data), form fields, or multipart fields plus files. A key given more than once
becomes a list, as in CKAN.
"""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, QueryDict

from hiraku.catalog.errors import TooLarge, bilingual
from hiraku.conf import setting

from .errors import BadRequest

# Multipart overhead allowed on top of the file itself before we refuse without reading.
_MULTIPART_SLACK = 1024 * 1024


def _mixed(query: QueryDict) -> dict:
    return {key: values[0] if len(values) == 1 else values for key, values in query.lists()}


def _parse_json(raw: bytes) -> dict:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            bilingual(
                f"リクエスト本文が UTF-8 ではありません (位置 {exc.start})",
                f"The request body is not UTF-8 (byte {exc.start})",
            )
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadRequest(
            bilingual(
                f"JSON の形式が正しくありません (行 {exc.lineno}, 列 {exc.colno}): {exc.msg}",
                f"Invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            )
        ) from None
    if not isinstance(data, dict):
        raise BadRequest(
            bilingual(
                f"JSON はオブジェクト ({{...}}) にしてください。受け取った型: {type(data).__name__}",
                f"The JSON body must be an object ({{...}}), not {type(data).__name__}",
            )
        )
    return data


def _too_large(size: int, limit: int) -> TooLarge:
    return TooLarge(
        bilingual(
            f"リクエストが大きすぎます ({size:,} バイト)。上限は {limit:,} バイトです",
            f"Request too large ({size:,} bytes); the limit is {limit:,} bytes",
        ),
        {"upload": [bilingual("サイズ上限を超えています", "Exceeds the size limit")]},
    )


def read_request(request: HttpRequest) -> tuple[dict, dict]:
    """Return (data, files). Raises BadRequest or TooLarge; never reads a body it will refuse."""
    if request.method != "POST":
        return _mixed(request.GET), {}
    content_type = request.content_type or ""
    try:
        if content_type == "multipart/form-data":
            limit = setting("MAX_UPLOAD_SIZE") + _MULTIPART_SLACK
            length = int(request.META.get("CONTENT_LENGTH") or 0)
            if length > limit:
                raise _too_large(length, setting("MAX_UPLOAD_SIZE"))
            return _mixed(request.POST), dict(request.FILES.items())
        body = request.body
    except RequestDataTooBig:
        raise _too_large(
            int(request.META.get("CONTENT_LENGTH") or 0), settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        ) from None
    except TooManyFieldsSent:
        raise BadRequest(
            bilingual("パラメータが多すぎます", "Too many parameters in the request")
        ) from None
    stripped = body.strip()
    if not stripped:
        return _mixed(request.GET), {}
    if content_type == "application/json" or stripped[:1] in (b"{", b"["):
        return _parse_json(stripped), {}
    return _mixed(QueryDict(body, encoding=request.encoding)), {}
