"""Downloads (/datastore/dump/<resource_id>) and the preview fragment (/datastore/preview/<id>)."""

import json
import os
import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from hiraku.catalog.errors import CatalogError, TooLarge, ValidationFailed, bilingual

from . import engine, export
from .access import served_table
from .preview import preview_page
from .query import build
from .search import count

FORMATS = {
    "csv": ("text/csv", "csv"),
    "tsv": ("text/tab-separated-values", "tsv"),
    "json": ("application/json", "json"),
    "geojson": ("application/geo+json", "geojson"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
}


def _error(exc: CatalogError) -> HttpResponse:
    body = json.dumps(
        {
            "success": False,
            "error": {"__type": exc.ckan_type, "message": exc.message, **exc.errors},
        },
        ensure_ascii=False,
    )
    return HttpResponse(body, status=exc.status, content_type="application/json; charset=utf-8")


def _search_params(request: HttpRequest) -> dict:
    """The same parameters as datastore_search; filters (and a dict q) arrive as JSON."""
    return {
        k: request.GET.get(k)
        for k in ("filters", "q", "sort", "fields", "limit", "offset", "distinct")
        if request.GET.get(k) not in (None, "")
    }


def _filename(resource, table, tables: list, extension: str) -> str:
    stem = os.path.splitext(resource.name or str(resource.pk))[0]
    if len(tables) > 1:
        stem = f"{stem}-{table.name}"
    stem = (
        re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", unicodedata.normalize("NFC", stem)).strip() or "data"
    )
    return f"{stem}.{extension}"


def _attach(response: HttpResponse, filename: str) -> HttpResponse:
    # RFC 6266 + RFC 5987: an ASCII fallback and filename*=UTF-8''… for Japanese names
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "data"
    if fallback.startswith("."):
        fallback = "data" + fallback
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def dump(request: HttpRequest, resource_id: str) -> HttpResponse:
    """Download a served table, whole or filtered: ?format=csv|tsv|json|geojson|xlsx|parquet.

    Model: DataTable via access.served_table (permission-checked). Response: the file,
    streamed; CSV/TSV take ?bom=1 (UTF-8 with BOM) or ?encoding=cp932 (Excel; characters CP932
    lacks become 〓 and are counted in X-Hiraku-Replaced-Characters).
    """
    fmt = (request.GET.get("format") or "csv").lower()
    try:
        if fmt not in FORMATS:
            msg = bilingual(
                f"形式「{fmt}」には対応していません(csv, tsv, json, geojson, xlsx, parquet)",
                f"Unsupported format '{fmt}' (csv, tsv, json, geojson, xlsx, parquet)",
            )
            raise ValidationFailed(msg, {"format": [msg]})
        served = served_table(
            user=request.user, resource_id=resource_id, table_name=request.GET.get("table")
        )
        table = served.table
        query = build(
            engine.columns(table), _search_params(request), rows_max=None, default_limit=None
        )
        content_type, extension = FORMATS[fmt]
        filename = _filename(served.resource, table, served.tables, extension)
        names = query.select
        if fmt in ("csv", "tsv"):
            delimiter = "," if fmt == "csv" else "\t"
            encoding = (request.GET.get("encoding") or "utf-8").lower().replace("_", "-")
            if encoding in ("cp932", "shift-jis", "sjis", "windows-31j"):
                spooled = export.delimited_cp932(
                    names, export.row_batches(table, query), delimiter=delimiter
                )
                response = FileResponse(spooled.file, content_type=f"{content_type}; charset=cp932")
                response["X-Hiraku-Replaced-Characters"] = str(spooled.replaced)
                return _attach(response, filename)
            if encoding not in ("utf-8", "utf8"):
                msg = bilingual(
                    f"文字コード「{encoding}」には対応していません(utf-8, cp932)",
                    f"Unsupported encoding '{encoding}' (utf-8, cp932)",
                )
                raise ValidationFailed(msg, {"encoding": [msg]})
            bom = request.GET.get("bom") in ("1", "true")
            body = export.delimited(
                names, export.row_batches(table, query), delimiter=delimiter, bom=bom
            )
            response = StreamingHttpResponse(body, content_type=f"{content_type}; charset=utf-8")
        elif fmt == "json":
            response = StreamingHttpResponse(
                export.json_array(names, export.row_batches(table, query)),
                content_type=content_type,
            )
        elif fmt == "geojson":
            coords = export.coordinate_columns(table)
            if coords is None or not set(coords) <= set(names):
                msg = bilingual(
                    "この表には緯度・経度の列がないため GeoJSON にできません",
                    "This table has no latitude/longitude columns, so it cannot be GeoJSON",
                )
                raise ValidationFailed(msg, {"format": [msg]})
            response = StreamingHttpResponse(
                export.geojson(names, export.row_batches(table, query), *coords),
                content_type=content_type,
            )
        elif fmt == "xlsx":
            rows = count(table, query)
            if query.limit is not None:
                rows = max(0, min(rows - query.offset, query.limit))
            if rows > export.XLSX_MAX_ROWS:
                msg = bilingual(
                    f"Excel の上限 ({export.XLSX_MAX_ROWS:,} 行) を超えています({rows:,} 行)。絞り込むか CSV / Parquet でダウンロードしてください",
                    f"Too many rows for Excel ({rows:,} > {export.XLSX_MAX_ROWS:,}); filter the table or download CSV / Parquet",
                )
                raise TooLarge(msg, {"format": [msg]})
            spooled = export.xlsx(names, export.row_batches(table, query), table.name)
            response = FileResponse(spooled.file, content_type=content_type)
        else:
            response = FileResponse(export.parquet(table, query).file, content_type=content_type)
        return _attach(response, filename)
    except CatalogError as exc:
        return _error(exc)


@require_GET
def preview(request: HttpRequest, resource_id: str) -> HttpResponse:
    """Preview fragment: datastore/_preview.html (or JSON with ?format=json) for one page.

    Context: resource, tables, request (the same partial the resource page includes).
    """
    from hiraku.catalog.selectors import resource_get

    try:
        resource = resource_get(resource_id, user=request.user)
    except CatalogError as exc:
        return _error(exc)
    if request.GET.get("format") == "json":
        page = preview_page(user=request.user, resource=resource, params=request.GET)
        return JsonResponse(
            page.as_json(),
            status=400 if page.error else 200,
            json_dumps_params={"ensure_ascii": False},
        )
    html = render_to_string(
        "datastore/_preview.html",
        {"resource": resource, "tables": None, "fragment": True},
        request=request,
    )
    return HttpResponse(html)
