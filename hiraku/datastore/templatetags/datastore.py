"""{% datastore_preview resource as preview %} and {% datastore_dictionary tables as dictionary %}."""

from django import template

from hiraku.ingest.models import DataTable

from .. import engine
from ..preview import Preview, preview_page

register = template.Library()

# Table Schema types that say more than the stored CKAN type (a year is stored as an int).
SCHEMA_TYPE_LABELS = {"year": "年 / year"}


@register.simple_tag(takes_context=True)
def datastore_preview(context, resource) -> Preview:
    request = context.get("request")
    user = getattr(request, "user", None)
    params = request.GET if request is not None else None
    if params is None:
        from django.http import QueryDict

        params = QueryDict()
    return preview_page(user=user, resource=resource, params=params)


@register.simple_tag
def datastore_dictionary(tables) -> list[dict]:
    """Per table: its columns with type, title, description and stats (from ingest)."""
    out = []
    for table in tables or []:
        if not isinstance(table, DataTable):
            continue
        schema = {f.get("name"): f for f in (table.table_schema or {}).get("fields", [])}
        try:
            columns = engine.columns(table)
        except Exception:  # the Parquet file is gone: describe what the schema says
            columns = [engine.Column(name, "VARCHAR") for name in schema]
        rows = []
        for column in columns:
            f = schema.get(column.name, {})
            stats = (table.stats or {}).get(column.name, {})
            rows.append(
                {
                    "name": column.name,
                    "type": column.ckan_type,
                    "schema_type": f.get("type", ""),
                    "schema_label": SCHEMA_TYPE_LABELS.get(f.get("type", ""), ""),
                    "title": f.get("title", ""),
                    "description": f.get("description", ""),
                    "format": f.get("format", ""),
                    "nulls": stats.get("nulls"),
                    "distinct": stats.get("distinct"),
                    "min": stats.get("min"),
                    "max": stats.get("max"),
                    "top": stats.get("top", [])[:5],
                }
            )
        out.append({"table": table, "columns": rows})
    return out


@register.filter
def dt_get(mapping: dict, key):
    return (mapping or {}).get(key, "")
