from django.urls import path

from .views import account, public, resources, staff

app_name = "web"
urlpatterns = [
    path("", public.home, name="home"),
    path("dataset/", public.dataset_list, name="dataset_list"),
    path("dataset/new/", staff.dataset_new, name="dataset_new"),
    path("dataset/<str:name>/", public.dataset_detail, name="dataset"),
    path("dataset/<str:name>/edit/", staff.dataset_edit, name="dataset_edit"),
    path("dataset/<str:name>/delete/", staff.dataset_delete, name="dataset_delete"),
    path("dataset/<str:name>/resource/new/", staff.resource_new, name="resource_new"),
    path(
        "dataset/<str:name>/resource/<uuid:resource_id>/",
        resources.resource_detail,
        name="resource",
    ),
    path(
        "dataset/<str:name>/resource/<uuid:resource_id>/upload/",
        staff.version_new,
        name="version_new",
    ),
    path(
        "dataset/<str:name>/resource/<uuid:resource_id>/download/<path:filename>",
        resources.download_current,
        name="download",
    ),
    path(
        "dataset/<str:name>/resource/<uuid:resource_id>/v/<int:number>/download",
        resources.download_version,
        name="download_version",
    ),
    path("organization/", public.organization_list, name="organization_list"),
    path("organization/<str:name>/", public.organization_detail, name="organization"),
    path("terms/", public.terms, name="terms"),
    path("about/", public.about, name="about"),
    path("user/login/", account.SignInView.as_view(), name="login"),
    path("user/logout/", account.SignOutView.as_view(), name="logout"),
    path("user/", account.user_page, name="user"),
    path("user/tokens/", account.token_create, name="token_create"),
    path("user/tokens/<int:token_id>/revoke/", account.token_revoke, name="token_revoke"),
]
