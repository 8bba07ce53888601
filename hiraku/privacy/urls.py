"""Include in hiraku/urls.py as: path("privacy/", include("hiraku.privacy.urls"))."""

from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("version/<uuid:version_id>/", views.version_review, name="version"),
    path("anonymise/<uuid:resource_id>/", views.anonymise, name="anonymise"),
    path("mesh/<uuid:resource_id>/", views.mesh_map, name="mesh"),
]
