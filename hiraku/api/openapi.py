"""The OpenAPI description at /api/openapi.json and the Swagger UI at /api/docs.

Every registered action becomes an operation on /api/3/action/<name> whose view hands the raw
request to our dispatcher (django-ninja never parses the body). Parameters are documented from
the action's CKAN-style docstring:

    :param rows: how many datasets to return
    :type rows: int
"""

import re
from pathlib import Path

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Router
from ninja.openapi.docs import DocsBase

from .dispatch import run_action
from .registry import Action, all_actions

_PARAM = re.compile(r"^\s*:param\s+([\w.]+):\s*(.*)$")
_TYPE = re.compile(r"^\s*:type\s+([\w.]+):\s*(.*)$")
_RTYPE = re.compile(r"^\s*:rtype:\s*(.*)$")
_ASSETS = Path(ninja.__file__).parent / "static" / "ninja"
_ASSET_NAMES = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.png": "image/png",
}
DESCRIPTION = """\
CKAN 互換の Action API です。CKAN のクライアント (ckanapi など) がそのまま使えます。
書き込み (POST のみ) には API トークンが必要です: `Authorization: <トークン>`。

A CKAN-compatible Action API: CKAN clients such as ckanapi work unchanged. Every response is
CKAN's envelope `{"help", "success", "result"}` or `{"help", "success": false, "error":
{"__type", "message", <field>: [...]}}`. Write actions (POST only) need an API token in the
`Authorization` header (a leading "Bearer " is optional) or `X-CKAN-API-Key`.
"""


def _schema_for(type_text: str) -> dict:
    t = type_text.lower()
    if t.startswith("list"):
        return {"type": "array", "items": {"type": "string"} if "string" in t else {}}
    if t.startswith("int"):
        return {"type": "integer"}
    if t.startswith("bool"):
        return {"type": "boolean"}
    if t.startswith("dict"):
        return {"type": "object"}
    if t == "file":
        return {"type": "string", "format": "binary"}
    return {"type": "string"}


def parse_docstring(doc: str) -> tuple[str, str, dict[str, dict]]:
    """(summary, description, {param: {"description", "schema"}}) from a CKAN-style docstring."""
    prose, fields, current = [], {}, None
    for line in doc.splitlines():
        if m := _PARAM.match(line):
            current = fields.setdefault(m.group(1), {"description": "", "schema": {}})
            current["description"] = m.group(2).strip()
        elif m := _TYPE.match(line):
            fields.setdefault(m.group(1), {"description": "", "schema": {}})["schema"] = (
                _schema_for(m.group(2).strip())
            )
            current = None
        elif _RTYPE.match(line):
            current = None
        elif current is not None and line.strip():
            current["description"] += " " + line.strip()
        elif current is None and not fields:
            prose.append(line)
    for spec in fields.values():
        spec["schema"] = spec["schema"] or {"type": "string"}
    text = "\n".join(prose).strip()
    summary, _, rest = text.partition("\n")
    return summary.strip(), text, fields


def _openapi_extra(act: Action, method: str) -> dict:
    summary, description, fields = parse_docstring(act.doc)
    envelope = {
        "description": "CKAN envelope: {help, success, result}",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
    extra: dict = {
        "summary": summary or act.name,
        "description": description,
        "tags": ["write" if act.write else "read"],
        "responses": {
            "200": envelope,
            "400": {"description": "Bad request (invalid JSON, missing parameter)"},
            "403": {"description": "Authorization Error"},
            "404": {"description": "Not Found Error"},
            "409": {"description": "Validation Error"},
        },
    }
    if act.write:
        extra["security"] = [{"ApiToken": []}, {"CkanApiKey": []}]
    if method == "GET":
        extra["parameters"] = [
            {
                "name": name,
                "in": "query",
                "description": spec["description"],
                "schema": spec["schema"],
            }
            for name, spec in fields.items()
        ]
    else:
        properties = {
            name: {**spec["schema"], "description": spec["description"]}
            for name, spec in fields.items()
        }
        content = {"application/json": {"schema": {"type": "object", "properties": properties}}}
        if any(spec["schema"].get("format") == "binary" for spec in fields.values()):
            content["multipart/form-data"] = content["application/json"]
        extra["requestBody"] = {"content": content}
    return extra


class LocalSwagger(DocsBase):
    """Swagger UI from the files django-ninja ships, served by us: nothing from a CDN."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        return render(
            request,
            "api/swagger.html",
            {"openapi_url": self.get_openapi_url(api, kwargs), "title": api.title},
        )


def docs_asset(request: HttpRequest, filename: str) -> FileResponse:
    if filename not in _ASSET_NAMES:
        raise Http404(filename)
    response = FileResponse(
        open(_ASSETS / filename, "rb"),  # FileResponse closes it
        content_type=_ASSET_NAMES[filename],
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _view_for(name: str):
    def view(request):
        return run_action(request, name)

    view.__name__ = f"action_{name}"
    return view


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Hiraku Action API (CKAN 互換)",
        version="3",
        description=DESCRIPTION,
        urls_namespace="api",
        docs_url="/docs",
        openapi_url="/openapi.json",
        docs=LocalSwagger(),
        openapi_extra={
            "components": {
                "securitySchemes": {
                    "ApiToken": {"type": "apiKey", "in": "header", "name": "Authorization"},
                    "CkanApiKey": {"type": "apiKey", "in": "header", "name": "X-CKAN-API-Key"},
                }
            }
        },
    )
    router = Router()
    for name, act in all_actions().items():
        path = f"/3/action/{name}"
        view = _view_for(name)
        router.add_api_operation(
            path, ["POST"], view, operation_id=name, openapi_extra=_openapi_extra(act, "POST")
        )
        # Writes by GET get CKAN's "use POST" error from the dispatcher, so GET is routed for
        # every action but documented only for reads.
        router.add_api_operation(
            path,
            ["GET"],
            view,
            operation_id=f"{name}_get",
            include_in_schema=not act.write,
            openapi_extra=_openapi_extra(act, "GET"),
        )
    api.add_router("", router)
    return api
