"""Include with: path("ingest/", include("hiraku.ingest.urls"))."""

from django.urls import path

from . import views

app_name = "ingest"
urlpatterns = [
    path("version/<str:version_id>/status.json", views.version_status, name="version_status"),
    path("<str:job_id>/rerun", views.rerun, name="rerun"),
]
