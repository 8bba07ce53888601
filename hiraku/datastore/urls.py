"""Include with: path("datastore/", include("hiraku.datastore.urls"))."""

from django.urls import path

from . import views

app_name = "datastore"
urlpatterns = [
    path("dump/<str:resource_id>", views.dump, name="dump"),
    path("preview/<str:resource_id>", views.preview, name="preview"),
]
