"""/api/...: the CKAN Action API (versioned and unversioned), its root, and the OpenAPI docs.

Included at "api/" by hiraku/urls.py.
"""

from django.urls import path

from .dispatch import action_view, api_root
from .openapi import build_api, docs_asset

api = build_api()

urlpatterns = [
    path("", api_root, name="api-root-version"),
    path("3", api_root),
    path("3/", api_root),
    path("action/<str:name>", action_view, name="api-action"),
    path("docs/assets/<str:filename>", docs_asset, name="api-docs-asset"),
    path("", api.urls),
    # Names no action is registered under still get CKAN's envelope (404), not an HTML page.
    path("3/action/<str:name>", action_view, name="api-action-v3"),
]
