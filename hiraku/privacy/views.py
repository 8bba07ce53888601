"""Privacy pages: review queue, one version's findings with the decision form, the anonymise
form, and the mesh map. Views are thin: selectors/services do the work."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hiraku.catalog import selectors as catalog_selectors
from hiraku.catalog.errors import CatalogError, NotAuthorized, NotFound
from hiraku.catalog.permissions import can_download_version
from hiraku.conf import setting

from .anonymise import AnonymiseError, parse_ops
from .anonymise.derived import anonymised_resource_create
from .anonymise.mesh import bounds
from .errors import ScanError
from .forms import AnonymiseForm, DecisionForm
from .permissions import can_anonymise, can_approve
from .selectors import review_queue, scan_as_dict, version_for_review
from .services import decision_create


def _version_or_404(ref: str, user):
    try:
        return version_for_review(ref, user=user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except NotAuthorized as exc:
        raise PermissionDenied(exc.message) from exc


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Versions waiting for a scan or a decision. Model PrivacyScan; template privacy/queue.html;
    context: scans, is_approver."""
    scans = list(review_queue(request.user)[:200])
    if not scans and not can_approve(request.user):
        # Not an approver and no editable datasets in the queue: nothing to show to them.
        from hiraku.catalog.permissions import organization_ids_with

        if not organization_ids_with(request.user, "editor"):
            raise PermissionDenied
    return render(
        request, "privacy/queue.html", {"scans": scans, "is_approver": can_approve(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_review(request: HttpRequest, version_id) -> HttpResponse:
    """Findings of one version and, for approvers, the decision form. Models ResourceVersion,
    PrivacyScan, PrivacyDecision; template privacy/version.html; context: version, scan, form,
    is_approver."""
    version = _version_or_404(str(version_id), request.user)
    approver = can_approve(request.user)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not approver:
            raise PermissionDenied
        if form.is_valid():
            try:
                decision_create(actor=request.user, version=version, **form.cleaned_data)
            except CatalogError as exc:
                form.add_error(None, exc.message)
                for field, errors in exc.errors.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, "判断を記録しました / Decision recorded")
                return redirect("privacy:version", version_id=version.pk)
    return render(
        request,
        "privacy/version.html",
        {"version": version, "scan": scan_as_dict(version), "form": form, "is_approver": approver},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def anonymise(request: HttpRequest, resource_id) -> HttpResponse:
    """Create an anonymised copy of a resource in the same dataset. Model Resource; template
    privacy/anonymise.html; context: resource, form, columns."""
    try:
        resource = catalog_selectors.resource_get(str(resource_id), user=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not can_anonymise(request.user, resource.dataset):
        raise PermissionDenied
    form = AnonymiseForm(
        request.POST or None, initial={"name": f"{resource.name.rsplit('.', 1)[0]}_anonymised"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            ops = parse_ops(form.cleaned_data["ops"])
            derived = anonymised_resource_create(
                actor=request.user, resource=resource, ops=ops, name=form.cleaned_data["name"]
            )
        except (AnonymiseError, ScanError) as exc:
            form.add_error("ops", str(exc))
        except CatalogError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, "匿名加工したリソースを作成しました / Anonymised resource created"
            )
            return redirect("web:resource", name=resource.dataset.name, resource_id=derived.pk)
    return render(request, "privacy/anonymise.html", {"resource": resource, "form": form})


def _mesh_cells(version) -> list[dict]:
    """[{"code", "bounds": [[s, w], [n, e]], "values": {column: value}}] from a mesh table."""
    with version.file.open("rb") as fh:
        text = fh.read().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    cells = []
    for row in reader:
        code = (row.get("mesh_code") or "").strip()
        try:
            south, west, north, east = bounds(code)
        except ValueError:
            continue
        values = {k: v for k, v in row.items() if k != "mesh_code"}
        cells.append({"code": code, "bounds": [[south, west], [north, east]], "values": values})
    return cells


def mesh_map(request: HttpRequest, resource_id) -> HttpResponse:
    """The grid squares of a mesh-count resource (column mesh_code) on a Leaflet map. Model
    Resource; template privacy/mesh.html; context: resource, cells, tile_url, attribution."""
    try:
        resource = catalog_selectors.resource_get(str(resource_id), user=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    version = resource.current_version
    if version is None or not can_download_version(request.user, version):
        raise Http404("データを表示できません / No data to show")
    cells = _mesh_cells(version)
    if not cells:
        raise Http404("メッシュコードの列がありません / No mesh_code column")
    return render(
        request,
        "privacy/mesh.html",
        {
            "resource": resource,
            "cells": cells,
            "tile_url": setting("MAP_TILE_URL"),
            "attribution": setting("MAP_TILE_ATTRIBUTION"),
            "cell_count": len(cells),
        },
    )
