"""The site's URLs plus the privacy pages, until the lead adds the include to hiraku/urls.py."""

from django.urls import include, path

from hiraku.urls import urlpatterns as site_patterns

urlpatterns = [path("privacy/", include("hiraku.privacy.urls")), *site_patterns]
