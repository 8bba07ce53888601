"""Errors only the API raises; the rest come from hiraku.catalog.errors.

Both kinds carry a CKAN `__type` and an HTTP status, which the dispatcher puts into CKAN's
error envelope.
"""

from hiraku.catalog.errors import CatalogError, ValidationFailed, bilingual


class BadRequest(ValidationFailed):
    """Unreadable request: invalid JSON, a missing parameter, a write sent by GET."""

    status = 400


class SearchQueryError(CatalogError):
    """An fq / q the search cannot express; harvesters fall back to a full listing on it."""

    ckan_type = "Search Query Error"
    status = 400


def missing(field: str) -> BadRequest:
    return BadRequest(
        bilingual(f"必須パラメータがありません: {field}", f"Missing parameter: {field}"),
        {field: [bilingual("必須項目です", "Missing value")]},
    )
