"""Errors only the API raises; the rest come from hiraku.catalog.errors.

Each carries a CKAN `__type` and an HTTP status, which the dispatcher puts into CKAN's error
envelope.
"""

from hiraku.catalog.errors import ValidationFailed, bilingual


class BadRequest(ValidationFailed):
    """Unreadable request: invalid JSON, a missing parameter, a write sent by GET."""

    status = 400


def missing(field: str) -> BadRequest:
    return BadRequest(
        bilingual(f"必須パラメータがありません: {field}", f"Missing parameter: {field}"),
        {field: [bilingual("必須項目です", "Missing value")]},
    )
