"""CKAN DataStore actions: datastore_search, datastore_search_sql, datastore_info (read-only).

Shapes follow ckanext/datastore/logic/action.py; tables are the Parquet files the ingest
pipeline wrote, queried with DuckDB (see hiraku/datastore/).
"""

from orjson import Fragment

from hiraku.api.answer_cache import cached_answer
from hiraku.api.registry import ActionContext, action
from hiraku.datastore.access import served_table
from hiraku.datastore.sandbox import search_sql
from hiraku.datastore.search import datastore_info as info_result
from hiraku.datastore.search import datastore_search as search_result


@action("datastore_search")
def datastore_search(ctx: ActionContext, data: dict) -> Fragment:
    """Search a resource's table.

    Parameters: resource_id (or id), table (sheet name; default the first), filters
    ({column: value or [values]}), q (text, or {column: text}), distinct, fields, sort
    ("col desc, col2"), limit (default 100, at most 32000), offset, include_total,
    records_format (objects, lists, csv, tsv).
    """
    served = served_table(
        user=ctx.user,
        resource_id=data.get("resource_id") or data.get("id"),
        table_name=data.get("table"),
    )
    # Access is decided above on every request; the answer itself only depends on the table
    # and the parameters, so repeated questions are answered from the encoded result.
    return cached_answer(served.table, data, lambda: search_result(served=served, data=data))


@action("datastore_search_sql")
def datastore_search_sql(ctx: ActionContext, data: dict) -> dict:
    """Run one read-only SELECT. Tables are public resources named by id: FROM "<resource id>"
    (another sheet: "<resource id>:<sheet name>"). Time limit and row cap apply."""
    return search_sql(user=ctx.user, sql=data.get("sql") or "")


@action("datastore_info")
def datastore_info(ctx: ActionContext, data: dict) -> dict:
    """Columns (with types and data dictionary info), row count, size and the list of tables."""
    served = served_table(
        user=ctx.user,
        resource_id=data.get("id") or data.get("resource_id"),
        table_name=data.get("table"),
    )
    return info_result(served=served)
