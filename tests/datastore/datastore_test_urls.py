from django.urls import include, path

urlpatterns = [path("datastore/", include("hiraku.datastore.urls"))]
