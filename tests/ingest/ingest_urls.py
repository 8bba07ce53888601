"""The portal's URLs plus the ingest endpoints (until the lead adds the include to hiraku/urls.py)."""

from django.urls import include, path

from hiraku.urls import urlpatterns as portal

urlpatterns = [path("ingest/", include("hiraku.ingest.urls")), *portal]
