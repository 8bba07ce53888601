"""Staff pages: create, edit and delete datasets; add resources and upload new versions.

Every write goes through hiraku.catalog.actions, which checks permissions itself; the views
check first only to show a 403 page instead of a form that cannot be saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from hiraku.catalog import actions, permissions, selectors
from hiraku.catalog.errors import (
    CatalogError,
    Conflict,
    NotAuthorized,
    NotFound,
    TooLarge,
    ValidationFailed,
)
from hiraku.conf import setting

from ..forms import DatasetForm, ResourceForm, VersionForm
from ..helpers import apply_errors


def _editable_dataset(request: HttpRequest, name: str):
    try:
        return selectors.dataset_get(name, user=request.user, for_edit=True)
    except NotFound:
        raise Http404(name) from None
    except NotAuthorized:
        raise PermissionDenied from None


def _wants_json(request: HttpRequest) -> bool:
    """The upload script (static/web/upload.js) posts with XMLHttpRequest and follows our JSON."""
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _done(request: HttpRequest, url: str) -> HttpResponse:
    return JsonResponse({"location": url}) if _wants_json(request) else redirect(url)


def _status_for(error: CatalogError) -> int:
    if isinstance(error, TooLarge):
        return 413
    if isinstance(error, Conflict):
        return 409
    return 400


@login_required
def dataset_new(request: HttpRequest) -> HttpResponse:
    """Create a dataset. Model: Dataset. Template: web/dataset_form.html.
    Context: form (DatasetForm), dataset None, conflict False."""
    organizations = list(permissions.organizations_for_publishing(request.user))
    if not organizations:
        raise PermissionDenied
    initial = {"owner_org": request.GET.get("organization", "")}
    form = DatasetForm(request.POST or None, organizations=organizations, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                dataset = actions.dataset_create(actor=request.user, data=form.ckan_data())
            except ValidationFailed as error:
                apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("The dataset was created. Now add its files."))
                return redirect("web:resource_new", name=dataset.name)
        else:
            status = 400
    return render(request, "web/dataset_form.html", {"form": form, "dataset": None}, status=status)


@login_required
def dataset_edit(request: HttpRequest, name: str) -> HttpResponse:
    """Edit a dataset's metadata with optimistic concurrency (hidden revision).
    Model: Dataset. Template: web/dataset_form.html. Context: form, dataset, conflict (bool)."""
    dataset = _editable_dataset(request, name)
    organizations = list(permissions.organizations_for_publishing(request.user))
    if dataset.organization not in organizations:
        organizations.insert(0, dataset.organization)
    conflict = False
    status = 200
    if request.method == "POST":
        form = DatasetForm(request.POST, organizations=organizations)
        if form.is_valid():
            try:
                actions.dataset_update(
                    actor=request.user, dataset=dataset, data=form.ckan_data(), partial=True
                )
            except Conflict as error:
                # Keep what the user typed; the next save is based on the current revision and
                # replaces the other person's change, which the message says.
                conflict = True
                apply_errors(form, error)
                data = request.POST.copy()
                data["revision"] = selectors.dataset_get(name, user=request.user).revision
                errors = form.errors
                form = DatasetForm(data, organizations=organizations)
                form._errors = errors
                status = 409
            except ValidationFailed as error:
                apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Your changes were saved."))
                return redirect("web:dataset", name=form.cleaned_data["name"])
        else:
            status = 400
    else:
        form = DatasetForm(initial=DatasetForm.initial_from(dataset), organizations=organizations)
    return render(
        request,
        "web/dataset_form.html",
        {"form": form, "dataset": dataset, "conflict": conflict},
        status=status,
    )


@login_required
def dataset_delete(request: HttpRequest, name: str) -> HttpResponse:
    """Confirm and delete a dataset. Model: Dataset. Template: web/dataset_delete.html.
    Context: dataset."""
    dataset = _editable_dataset(request, name)
    if request.method == "POST":
        actions.dataset_delete(actor=request.user, dataset=dataset)
        messages.success(request, _("The dataset was deleted."))
        return redirect("web:user")
    return render(request, "web/dataset_delete.html", {"dataset": dataset})


@login_required
def resource_new(request: HttpRequest, name: str) -> HttpResponse:
    """Add a resource (file upload or URL). Model: Resource, ResourceVersion.
    Template: web/resource_form.html. Context: form (ResourceForm), dataset, max_upload."""
    dataset = _editable_dataset(request, name)
    form = ResourceForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                resource = actions.resource_create(
                    actor=request.user,
                    dataset=dataset,
                    data=form.ckan_data(),
                    upload=form.cleaned_data.get("upload"),
                )
            except ValidationFailed as error:
                apply_errors(form, error)
                status = _status_for(error)
            else:
                messages.success(request, _("The resource was added."))
                return _done(
                    request,
                    reverse("web:resource", args=[dataset.name, resource.pk]),
                )
        else:
            status = 400
    return render(
        request,
        "web/resource_form.html",
        {"form": form, "dataset": dataset, "max_upload": setting("MAX_UPLOAD_SIZE")},
        status=status,
    )


@login_required
def version_new(request: HttpRequest, name: str, resource_id) -> HttpResponse:
    """Upload a new version of a resource's file; older versions stay downloadable.
    Models: Resource, ResourceVersion. Template: web/version_form.html.
    Context: form (VersionForm), dataset, resource, max_upload."""
    dataset = _editable_dataset(request, name)
    try:
        resource = selectors.resource_get(resource_id, user=request.user, for_edit=True)
    except NotFound:
        raise Http404(resource_id) from None
    if resource.dataset_id != dataset.pk:
        raise Http404(resource_id)
    form = VersionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.resource_update(
                    actor=request.user,
                    resource=resource,
                    data={"note": form.cleaned_data["note"]} if "note" in form.fields else {},
                    upload=form.cleaned_data["upload"],
                )
            except ValidationFailed as error:
                apply_errors(form, error)
                status = _status_for(error)
            else:
                messages.success(request, _("The new version was uploaded."))
                return _done(request, reverse("web:resource", args=[dataset.name, resource.pk]))
        else:
            status = 400
    return render(
        request,
        "web/version_form.html",
        {
            "form": form,
            "dataset": dataset,
            "resource": resource,
            "max_upload": setting("MAX_UPLOAD_SIZE"),
        },
        status=status,
    )
