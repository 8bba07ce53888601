from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve as static_serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("hiraku.api.urls")),
    path("datastore/", include("hiraku.datastore.urls")),
    path("ingest/", include("hiraku.ingest.urls")),
    path("privacy/", include("hiraku.privacy.urls")),
    path("", include("hiraku.web.urls")),
]

if settings.DEBUG:
    urlpatterns.append(
        path("media/<path:path>", static_serve, {"document_root": settings.MEDIA_ROOT})
    )
