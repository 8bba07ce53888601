"""Staff endpoints for ingestion: JSON status of a version, re-run a job with overrides.

Include with: path("ingest/", include("hiraku.ingest.urls")).
Access is decided by hiraku.catalog.permissions only: readers of the dataset may see the
state; editors also see the report (warnings, renamed headers, errors) and may re-run.
"""

import json
import uuid

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from hiraku.accounts.services import token_from_request, user_for_token
from hiraku.catalog import permissions
from hiraku.catalog.errors import CatalogError, bilingual
from hiraku.catalog.models import ResourceVersion

from .models import IngestJob
from .selectors import latest_job
from .services import ingest_rerun


def _user(request: HttpRequest):
    if request.user.is_authenticated:
        return request.user
    token = token_from_request(request)
    return (user_for_token(token) if token else None) or AnonymousUser()


def _not_found() -> JsonResponse:
    return JsonResponse(
        {"success": False, "error": bilingual("見つかりません", "Not found")}, status=404
    )


def _job_json(job: IngestJob | None, *, detailed: bool) -> dict | None:
    if job is None:
        return None
    data = {
        "id": str(job.pk),
        "state": job.state,
        "progress": job.progress,
        "message": job.message,
        "detected_format": job.detected_format,
        "detected_encoding": job.detected_encoding,
        "created": job.created.isoformat(),
        "started": job.started.isoformat() if job.started else None,
        "finished": job.finished.isoformat() if job.finished else None,
        "tables": [
            {"name": t.name, "rows": t.row_count, "columns": len(t.table_schema.get("fields", []))}
            for t in job.tables.all()
        ],
    }
    if detailed:
        data["options"] = job.options
        data["report"] = job.report
    return data


@require_GET
def version_status(request: HttpRequest, version_id: str) -> JsonResponse:
    """GET /ingest/version/<version_id>/status.json -> {"version", "job": {...}} (polled by the UI)."""
    try:
        version = ResourceVersion.objects.select_related("resource__dataset").get(
            pk=uuid.UUID(version_id)
        )
    except (ValueError, ResourceVersion.DoesNotExist):
        return _not_found()
    user = _user(request)
    dataset = version.resource.dataset
    if not permissions.can_read_dataset(user, dataset):
        return _not_found()
    detailed = permissions.can_edit_dataset(user, dataset)
    return JsonResponse(
        {
            "success": True,
            "version": {"id": str(version.pk), "number": version.number},
            "job": _job_json(latest_job(version), detailed=detailed),
        }
    )


def _options_from(request: HttpRequest) -> dict:
    """JSON body {"encoding", "types", "allow_ragged"} or form fields encoding=…, types=<json>,
    allow_ragged=1."""
    if request.content_type == "application/json":
        body = json.loads(request.body or b"{}")
        return body if isinstance(body, dict) else {}
    options: dict = {
        "encoding": request.POST.get("encoding", ""),
        "allow_ragged": request.POST.get("allow_ragged", ""),
    }
    if request.POST.get("types"):
        options["types"] = json.loads(request.POST["types"])
    # The resource page sends one select per column, named "type:<table>:<column>".
    for key, value in request.POST.items():
        if key.startswith("type:") and value:
            _, table, column = key.split(":", 2)
            options.setdefault("types", {}).setdefault(table, {})[column] = value
    return options


def _csrf_rejection(request: HttpRequest):
    """Browsers (session cookie) need the CSRF token; API callers with a token do not."""
    if not request.user.is_authenticated:
        return None
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})


@csrf_exempt
@require_POST
def rerun(request: HttpRequest, job_id: str):
    """POST /ingest/<job_id>/rerun: ingest the job's version again with staff overrides.

    Answers JSON {"success", "job"} (202) for JSON/API callers; a form post is redirected
    back to `next`.
    """
    try:
        job = IngestJob.objects.select_related("version__resource__dataset").get(
            pk=uuid.UUID(job_id)
        )
    except (ValueError, IngestJob.DoesNotExist):
        return _not_found()
    rejection = _csrf_rejection(request)
    if rejection is not None:
        return rejection
    user = _user(request)
    dataset = job.version.resource.dataset
    if not permissions.can_read_dataset(user, dataset):
        return _not_found()
    if not permissions.can_edit_dataset(user, dataset):
        message = bilingual("再取り込みの権限がありません", "Not authorized to re-run ingestion")
        return JsonResponse({"success": False, "error": message}, status=403)
    try:
        options = _options_from(request)
        new_job = ingest_rerun(version=job.version, options=options)
    except (ValueError, json.JSONDecodeError):
        message = bilingual("指定の形式が不正です (JSON)", "Invalid override format (JSON)")
        return JsonResponse({"success": False, "error": message}, status=400)
    except CatalogError as error:
        return JsonResponse(
            {"success": False, "error": error.message, "errors": error.errors}, status=error.status
        )
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    new_job.refresh_from_db()
    return JsonResponse({"success": True, "job": _job_json(new_job, detailed=True)}, status=202)
