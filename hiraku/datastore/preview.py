"""The data preview: one page of a served table, with sort, text search and column filters.

Query-string parameters are prefixed with dt_ so they never clash with the page around it:
    ?dt_table=Sheet2&dt_page=3&dt_sort=-開設日&dt_q=追手町&dt_f.施設種別=公園
"""

import json
import math
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse

from hiraku.catalog.errors import CatalogError

from . import engine
from .access import Served, served_table
from .query import ID, build
from .search import count, fetch_rows, jsonable

PAGE_SIZE = 50
MAX_PAGE = 20_000  # deeper pages: use filters or the download


@dataclass
class PreviewColumn:
    name: str
    type: str
    title: str
    sort_asc_url: str
    sort_desc_url: str
    sorted: str  # "", "asc" or "desc"


@dataclass
class Preview:
    served: Served | None
    error: str = ""
    columns: list[PreviewColumn] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    page: int = 1
    pages: int = 1
    total: int = 0
    first_row: int = 0
    last_row: int = 0
    q: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    filter_remove_urls: dict[str, str] = field(default_factory=dict)
    prev_url: str = ""
    next_url: str = ""
    table_urls: list[tuple[str, str, bool]] = field(default_factory=list)
    hidden_params: list[tuple[str, str]] = field(default_factory=list)
    download_urls: list[tuple[str, str]] = field(default_factory=list)  # this view, filtered

    def as_json(self) -> dict:
        return {
            "table": self.served.table.name if self.served else None,
            "columns": [{"id": c.name, "type": c.type, "title": c.title} for c in self.columns],
            "records": self.rows,
            "page": self.page,
            "pages": self.pages,
            "total": self.total,
            "error": self.error,
        }


def _url(base: QueryDict, changes: dict[str, str | None]) -> str:
    params = base.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


def _download_urls(served: Served, filters: dict, q: str, sort: str) -> list[tuple[str, str]]:
    """Dump links for exactly what the preview shows (table, filters, search, sort)."""
    if not (filters or q or sort or len(served.tables) > 1):
        return []  # the resource page already links the whole first table
    params = {"table": served.table.name if len(served.tables) > 1 else ""}
    params.update(
        {
            "filters": json.dumps(filters, ensure_ascii=False) if filters else "",
            "q": q,
            "sort": sort,
        }
    )
    base = reverse("datastore:dump", args=[served.resource.pk])
    out = []
    for label, extra in (
        ("CSV", {"format": "csv"}),
        ("Excel", {"format": "xlsx"}),
        ("JSON", {"format": "json"}),
    ):
        query = {k: v for k, v in {**params, **extra}.items() if v}
        out.append((label, f"{base}?{urlencode(query)}"))
    return out


def preview_page(*, user, resource, params: QueryDict) -> Preview:
    """One page for the caller, or a Preview with a bilingual error (never an exception)."""
    try:
        served = served_table(
            user=user, resource_id=str(resource.pk), table_name=params.get("dt_table")
        )
    except CatalogError as exc:
        return Preview(served=None, error=exc.message)
    table = served.table
    filters = {k[5:]: v for k, v in params.items() if k.startswith("dt_f.") and v}
    sort_param = params.get("dt_sort", "")
    sort = f"{sort_param[1:]} desc" if sort_param.startswith("-") else sort_param
    q = params.get("dt_q", "").strip()
    try:
        page = max(1, min(int(params.get("dt_page") or 1), MAX_PAGE))
    except ValueError:
        page = 1
    data = {
        "filters": filters,
        "q": q,
        "sort": f'"{sort[:-5]}" desc' if sort.endswith(" desc") else (f'"{sort}"' if sort else ""),
        "limit": PAGE_SIZE,
        "offset": (page - 1) * PAGE_SIZE,
    }
    preview = Preview(served=served, q=q, filters=filters, page=page)
    try:
        query = build(engine.columns(table), data)
        rows = fetch_rows(table, query)
        preview.total = count(table, query)
    except CatalogError as exc:
        preview.error = exc.message
        return preview
    titles = {
        f.get("name"): f.get("title") or "" for f in (table.table_schema or {}).get("fields", [])
    }
    types = {c.name: c.ckan_type for c in engine.columns(table)}
    for name in query.select:
        current = "desc" if sort_param == f"-{name}" else ("asc" if sort_param == name else "")
        preview.columns.append(
            PreviewColumn(
                name=name,
                type="int" if name == ID else types[name],
                title=titles.get(name, ""),
                sort_asc_url=_url(params, {"dt_sort": name, "dt_page": None}),
                sort_desc_url=_url(params, {"dt_sort": f"-{name}", "dt_page": None}),
                sorted=current,
            )
        )
    preview.rows = [[jsonable(v) for v in row] for row in rows]
    preview.pages = max(1, min(math.ceil(preview.total / PAGE_SIZE), MAX_PAGE))
    preview.first_row = (page - 1) * PAGE_SIZE + 1 if rows else 0
    preview.last_row = (page - 1) * PAGE_SIZE + len(rows)
    if page > 1:
        preview.prev_url = _url(params, {"dt_page": str(page - 1)})
    if page < preview.pages:
        preview.next_url = _url(params, {"dt_page": str(page + 1)})
    preview.filter_remove_urls = {
        name: _url(params, {f"dt_f.{name}": None, "dt_page": None}) for name in filters
    }
    preview.table_urls = [
        (
            t.name,
            _url(params, {"dt_table": t.name, "dt_page": None, "dt_sort": None}),
            t.pk == table.pk,
        )
        for t in served.tables
    ]
    preview.download_urls = _download_urls(served, filters, q, data["sort"])
    preview.hidden_params = [(k, v) for k, v in params.items() if k not in ("dt_q", "dt_page")]
    return preview
