"""The privacy gate's actions live with the privacy app; importing registers them."""

from hiraku.privacy import api_actions  # noqa: F401
