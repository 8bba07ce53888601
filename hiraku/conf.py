"""The one accessor for Hiraku's own settings (settings.HIRAKU)."""

from typing import Any

from django.conf import settings


def setting(name: str) -> Any:
    """Return a Hiraku setting; an unknown name is a programming error, so it raises."""
    return settings.HIRAKU[name]
