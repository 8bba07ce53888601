"""Resource page and file downloads (current version and any past version)."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from hiraku.catalog import permissions, selectors
from hiraku.catalog.errors import NotFound
from hiraku.catalog.gates import hold_reasons
from hiraku.catalog.models import Resource, ResourceVersion
from hiraku.ingest.selectors import active_tables, latest_job


def _resource_or_404(name: str, resource_id, user) -> Resource:
    try:
        resource = selectors.resource_get(resource_id, user=user)
    except NotFound:
        raise Http404(resource_id) from None
    dataset = resource.dataset
    if name not in (dataset.name, str(dataset.pk)):
        raise Http404(name)
    return resource


def resource_detail(request: HttpRequest, name: str, resource_id) -> HttpResponse:
    """Resource page. Models: Resource, ResourceVersion. Template: web/resource_detail.html
    (includes web/_resource_data.html). Context: dataset, resource, current (version or None),
    versions [(version, downloadable, held_reasons)], can_edit; for the data block: ingest_job
    (of the current version), tables (the serving version's DataTables), serving (that version),
    data_downloadable (the caller may read those tables)."""
    user = request.user
    resource = _resource_or_404(name, resource_id, user)
    can_edit = permissions.can_edit_dataset(user, resource.dataset)
    versions = []
    for version in selectors.resource_versions(resource).select_related("resource__dataset"):
        allowed = permissions.can_download_version(user, version)
        versions.append((version, allowed, hold_reasons(version) if can_edit else []))
    tables = list(active_tables(resource).select_related("version"))
    serving = tables[0].version if tables else None
    current = resource.current_version
    return render(
        request,
        "web/resource_detail.html",
        {
            "dataset": resource.dataset,
            "resource": resource,
            "current": resource.current_version,
            "current_downloadable": bool(versions)
            and versions[0][0].pk == resource.current_version_id
            and versions[0][1],
            "versions": versions,
            "can_edit": can_edit,
            "ingest_job": latest_job(current) if current else None,
            "tables": tables,
            "serving": serving,
            "data_downloadable": serving is not None
            and permissions.can_download_version(user, serving),
            "dump_formats": ["csv", "tsv", "json", "xlsx", "parquet", "geojson"],
        },
    )


def _serve(version: ResourceVersion, user) -> FileResponse:
    if not permissions.can_download_version(user, version):
        raise PermissionDenied
    if not version.file:
        raise Http404("no file")
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404("file missing from storage") from None
    # FileResponse writes filename*=utf-8''… (RFC 5987) for Japanese names.
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.original_filename or "download",
        content_type=version.mimetype or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download_current(request: HttpRequest, name: str, resource_id, filename: str) -> HttpResponse:
    """The current file of a resource, or a redirect to a linked resource's URL.
    Model: Resource.current_version. No template (FileResponse or redirect)."""
    resource = _resource_or_404(name, resource_id, request.user)
    version = resource.current_version
    if version is None:
        if resource.url:
            return HttpResponseRedirect(resource.url)
        raise Http404("no file")
    return _serve(version, request.user)


def download_version(request: HttpRequest, name: str, resource_id, number: int) -> HttpResponse:
    """One numbered version's file. Model: ResourceVersion. No template (FileResponse)."""
    resource = _resource_or_404(name, resource_id, request.user)
    version = (
        ResourceVersion.objects.select_related("resource__dataset__organization")
        .filter(resource=resource, number=number)
        .first()
    )
    if version is None:
        raise Http404(str(number))
    return _serve(version, request.user)
