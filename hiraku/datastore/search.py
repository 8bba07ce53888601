"""datastore_search and datastore_info: CKAN-shaped results over a served Parquet table."""

import csv
import datetime as dt
import decimal
import io
import json
import math
from typing import Any
from urllib.parse import urlencode

from hiraku.ingest.models import DataTable

from . import engine, hotcache
from .access import Served
from .query import ID, ROW_NUMBER, Query, as_bool, build


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


def field_info(table: DataTable) -> dict[str, dict]:
    """CKAN's data dictionary 'info' per column, from the Frictionless table_schema."""
    info = {}
    for f in (table.table_schema or {}).get("fields", []):
        entry = {}
        if f.get("title"):
            entry["label"] = f["title"]
        if f.get("description"):
            entry["notes"] = f["description"]
        if entry:
            info[f.get("name")] = entry
    return info


def result_fields(table: DataTable, query: Query) -> list[dict]:
    types = {c.name: c.ckan_type for c in engine.columns(table)}
    info = field_info(table)
    fields = []
    for name in query.select:
        entry = {"id": name, "type": "int" if name == ID else types[name]}
        if name in info:
            entry["info"] = info[name]
        fields.append(entry)
    return fields


def _hot(table: DataTable, query: Query):
    """(in-memory table, positions of the filtered rows or None) when the fast path applies."""
    if query.distinct or query.order is None or table.row_count < hotcache.min_rows():
        return None
    path = str(engine.parquet_path(table))
    hot = hotcache.get(path)
    if hot is None:
        hotcache.warm(path, table.row_count)
        return None
    if not query.filtered:
        return hot, None
    sql = f"SELECT {ROW_NUMBER} FROM {engine.scan(table)}{query.where_sql()} ORDER BY {ROW_NUMBER}"

    def compute():
        if query.conditions:
            found = hotcache.arrow_positions(hot, query.conditions, path=path)
            if found is not None:
                return found
        return (
            engine.cursor().execute(sql, query.params).to_arrow_table()[ROW_NUMBER].combine_chunks()
        )

    rows = hotcache.positions(_filter_key(path, query), compute)
    return hot, rows


def _filter_key(path: str, query: Query) -> tuple:
    return (path, *query.count_key())


def count(table: DataTable, query: Query) -> int:
    """Exact total; from the row_count metadata when nothing filters (no scan just to count)."""
    if not query.filtered and not query.distinct:
        return table.row_count
    plan = _hot(table, query)
    if plan is not None:
        return len(plan[1])
    path = str(engine.parquet_path(table))
    if query.distinct:
        sql = f"SELECT count(*) FROM (SELECT DISTINCT {query.select_sql()} FROM {engine.scan(table)}{query.where_sql()})"
    else:
        sql = f"SELECT count(*) FROM {engine.scan(table)}{query.where_sql()}"
    return engine.cached_count(
        (path, *query.count_key()), lambda: engine.cursor().execute(sql, query.params).fetchone()[0]
    )


def fetch_rows(table: DataTable, query: Query) -> list[tuple]:
    """One page of rows as tuples in query.select order."""
    plan = _hot(table, query)
    if plan is None:
        distinct = "DISTINCT " if query.distinct else ""
        sql = f"SELECT {distinct}{query.select_sql()} FROM {engine.scan(table)}{query.where_sql()}{query.order_sql()}{query.page_sql()}"
        return engine.cursor().execute(sql, query.params).fetchall()
    hot, rows = plan
    order = [(ROW_NUMBER if name == ID else name, direction) for name, direction in query.order]
    limit = query.limit if query.limit is not None else hot.num_rows
    positions = hotcache.page(
        hot,
        rows,
        order,
        query.offset,
        limit,
        key=_filter_key(str(engine.parquet_path(table)), query),
    )
    names = [n for n in query.select if n != ID]
    picked = hot.select(names).take(positions).to_pydict() if positions else {n: [] for n in names}
    ids = [position + 1 for position in positions]
    return list(zip(*(ids if n == ID else picked[n] for n in query.select), strict=True))


_PLAIN_JSON = (str, int, bool)


def _jsonable_rows(rows: list[tuple], width: int) -> list[tuple]:
    """Rows with every value JSON-ready, converted column by column.

    A column holds one Python type (plus None), so a column of str or int is left as it is
    and only dates, floats (NaN), decimals and the like pass through jsonable().
    """
    if not rows:
        return rows
    columns = list(zip(*rows, strict=True))
    for i, column in enumerate(columns):
        sample = next((v for v in column if v is not None), None)
        kind = type(sample)
        if sample is None or kind in _PLAIN_JSON:
            continue
        if kind is float:
            columns[i] = [v if v is None or math.isfinite(v) else None for v in column]
        elif kind in (dt.date, dt.datetime, dt.time):
            columns[i] = [None if v is None else v.isoformat() for v in column]
        else:
            columns[i] = [jsonable(v) for v in column]
    return list(zip(*columns, strict=True)) if width else rows


def _records(rows: list[tuple], names: list[str], records_format: str) -> Any:
    if records_format in ("objects", "lists"):
        rows = _jsonable_rows(rows, len(names))
    if records_format == "objects":
        return [dict(zip(names, row, strict=True)) for row in rows]
    if records_format == "lists":
        return [list(row) for row in rows]
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter="\t" if records_format == "tsv" else ",", lineterminator="\n"
    )
    for row in rows:
        writer.writerow(["" if v is None else jsonable(v) for v in row])
    return buffer.getvalue()


def _links(data: dict, query: Query) -> dict:
    base = {}
    for key, value in data.items():
        if key == "offset" or value is None:
            continue
        base[key] = (
            json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
        )
    start = "/api/3/action/datastore_search?" + urlencode(base)
    nxt = "/api/3/action/datastore_search?" + urlencode(
        {**base, "offset": query.offset + (query.limit or 0)}
    )
    return {"start": start, "next": nxt}


RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")
_ECHOED = ("filters", "q", "distinct", "plain", "language", "sort", "table")  # as CKAN echoes them


def datastore_search(*, served: Served, data: dict) -> dict:
    from hiraku.catalog.errors import ValidationFailed, bilingual

    records_format = data.get("records_format") or "objects"
    if records_format not in RECORDS_FORMATS:
        msg = bilingual(
            "records_format は objects / lists / csv / tsv のいずれかです",
            "records_format must be one of objects, lists, csv, tsv",
        )
        raise ValidationFailed(msg, {"records_format": [msg]})
    table = served.table
    query = build(engine.columns(table), data)
    include_total = as_bool(data.get("include_total"), True)
    rows = fetch_rows(table, query)
    result: dict[str, Any] = {
        "resource_id": str(served.resource.pk),
        "fields": result_fields(table, query),
        "records": _records(rows, query.select, records_format),
        "limit": query.limit,
        "include_total": include_total,
        "total_estimation_threshold": data.get("total_estimation_threshold"),
        "records_format": records_format,
        "_links": _links(data, query),
    }
    if query.offset:
        result["offset"] = query.offset
    for key in _ECHOED:
        if data.get(key) not in (None, ""):
            result[key] = data[key]
    if include_total:
        result["total"] = count(table, query)
        result["total_was_estimated"] = False
    return result


def datastore_info(*, served: Served) -> dict:
    """CKAN's datastore_info: meta (count, table_type, size) and fields with their info."""
    table = served.table
    path = engine.parquet_path(table)
    info = field_info(table)
    schema_by_name = {f.get("name"): f for f in (table.table_schema or {}).get("fields", [])}
    fields = []
    for column in engine.columns(table):
        entry = {
            "id": column.name,
            "type": column.ckan_type,
            "schema": {"native_type": column.duckdb_type, "is_index": False, "notnull": False},
        }
        if column.name in info:
            entry["info"] = info[column.name]
        if column.name in schema_by_name:
            entry["schema"]["frictionless"] = schema_by_name[column.name]
        fields.append(entry)
    size = path.stat().st_size if path.exists() else 0
    return {
        "meta": {
            "id": str(served.resource.pk),
            "count": table.row_count,
            "table_type": "BASE TABLE",
            "size": size,
            "db_size": size,
            "idx_size": 0,
            "aliases": [],
            "table": table.name,
            "version": served.version.number,
        },
        "fields": fields,
        "tables": [
            {"name": t.name, "position": t.position, "count": t.row_count, "notes": t.notes}
            for t in served.tables
        ],
    }
