"""Domain errors raised by services and turned into CKAN error objects or form messages.

Messages are bilingual ("日本語 / English") so that a clerk and a foreign developer both read
them, whatever the UI language.
"""


def bilingual(ja: str, en: str) -> str:
    return f"{ja} / {en}"


class CatalogError(Exception):
    ckan_type = "Internal Error"
    status = 500

    def __init__(self, message: str = "", errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class ValidationFailed(CatalogError):
    """Input that cannot be saved. errors maps field name to messages, as CKAN does."""

    ckan_type = "Validation Error"
    status = 409


class NotFound(CatalogError):
    ckan_type = "Not Found Error"
    status = 404


class NotAuthorized(CatalogError):
    ckan_type = "Authorization Error"
    status = 403


class Conflict(ValidationFailed):
    """The object changed since the caller read it (optimistic concurrency)."""


class TooLarge(ValidationFailed):
    status = 413
