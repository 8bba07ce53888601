"""CKAN datastore_search parameters -> a validated query -> DuckDB SQL with bound values.

    {"filters": {"施設種別": ["公園", "学校"]}, "q": "追手町", "sort": "開設日 desc",
     "fields": "施設名,住所", "limit": 100, "offset": 0}
    -> WHERE "施設種別" IN (?, ?) AND ("施設名" ILIKE ? ESCAPE '\\' OR ...)
       ORDER BY "開設日" DESC, file_row_number

Column names come only from the table's own column list (anything else is a Validation
Error naming it); values are always bound parameters.
"""

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from hiraku.catalog.errors import ValidationFailed, bilingual

from .engine import Column, quote_identifier

ROWS_MAX = 32000  # CKAN's ckan.datastore.search.rows_max default
DEFAULT_LIMIT = 100
ID = "_id"
ROW_NUMBER = "file_row_number"


def _invalid(field_name: str, ja: str, en: str) -> ValidationFailed:
    return ValidationFailed(bilingual(ja, en), {field_name: [bilingual(ja, en)]})


def _unknown_column(param: str, name: str) -> ValidationFailed:
    return _invalid(
        param, f"列「{name}」はこの表にありません", f"Unknown column '{name}' in {param}"
    )


def _as_list(value: Any, param: str) -> list[str]:
    """fields may be a list or a comma-separated string (CKAN accepts both)."""
    if value in (None, "", []):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                raise _invalid(
                    param, f"{param} の JSON が不正です", f"Invalid JSON in {param}"
                ) from None
        else:
            return [part.strip() for part in text.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    raise _invalid(param, f"{param} は一覧で指定してください", f"{param} must be a list")


def _as_dict(value: Any, param: str) -> dict:
    if value in (None, "", {}):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _invalid(
                param, f"{param} の JSON が不正です", f"Invalid JSON in {param}"
            ) from None
    if not isinstance(value, dict):
        raise _invalid(param, f"{param} は辞書で指定してください", f"{param} must be a dictionary")
    return value


def _as_int(value: Any, param: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise _invalid(param, f"{param} は 0 以上の整数です", f"{param} must be a natural number")
    return number


def as_bool(value: Any, default: bool) -> bool:
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _split_sort(text: str) -> list[str]:
    """'"a,b" desc, c' -> ['"a,b" desc', ' c']: commas inside quotes do not split."""
    parts, current, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


_SORT_PART = re.compile(
    r'^(?:"((?:[^"]|"")+)"|(.+?))(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?$', re.I
)


def search_variants(text: str) -> list[str]:
    """Forms to match for one search term: as typed, NFKC, and full-width ASCII.

    Municipal files mix 全角 and 半角 ("１２３" vs "123", "ｱｲﾂﾞ" vs "アイヅ"); NFKC folds the
    query, and the full-width form finds data that was written in full-width.
    """
    nfkc = unicodedata.normalize("NFKC", text)
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in nfkc)
    variants = []
    for v in (text, nfkc, wide):
        if v and v not in variants:
            variants.append(v)
    return variants


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _coerce(column: Column, value: Any, param: str) -> Any:
    """A filter value in the column's own type, so DuckDB can push it into the Parquet scan."""
    kind = column.ckan_type
    try:
        if kind == "int":
            return int(str(value).strip())
        if kind == "numeric":
            return float(str(value).strip())
        if kind == "bool":
            text = str(value).strip().lower()
            if text not in ("true", "false", "1", "0", "t", "f"):
                raise ValueError(text)
            return text in ("true", "1", "t")
        if kind == "date":
            return dt.date.fromisoformat(str(value).strip())
        if kind == "timestamp":
            return dt.datetime.fromisoformat(str(value).strip())
        if kind == "time":
            return dt.time.fromisoformat(str(value).strip())
    except ValueError:
        raise _invalid(
            param,
            f"列「{column.name}」({kind}) に値「{value}」は使えません",
            f"Value '{value}' does not fit column '{column.name}' of type {kind}",
        ) from None
    return str(value)


@dataclass
class Query:
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    select: list[str] = field(default_factory=list)  # output names, _id included when asked
    order_by: list[str] = field(default_factory=list)
    # The same order as (column, "ascending"|"descending"); None when Arrow cannot mirror it
    # (NULLS FIRST), so the in-memory path (hotcache) is skipped.
    order: list[tuple[str, str]] | None = field(default_factory=list)
    # The same filters as (column, values or None for IS NULL), for the in-memory path; None
    # when something else filters too (q, _id), so only the SQL above expresses it.
    conditions: list[tuple[str, list | None]] | None = field(default_factory=list)
    distinct: bool = False
    limit: int | None = DEFAULT_LIMIT  # None: the whole result (downloads)
    offset: int = 0

    @property
    def filtered(self) -> bool:
        return bool(self.where)

    def where_sql(self) -> str:
        return (" WHERE " + " AND ".join(self.where)) if self.where else ""

    def select_sql(self) -> str:
        return ", ".join(
            f"{ROW_NUMBER} + 1 AS {ID}" if name == ID else quote_identifier(name)
            for name in self.select
        )

    def page_sql(self) -> str:
        limit = f" LIMIT {self.limit}" if self.limit is not None else ""
        return limit + (f" OFFSET {self.offset}" if self.offset else "")

    def order_sql(self) -> str:
        order = list(self.order_by)
        if order and not self.distinct:
            order.append(ROW_NUMBER)  # stable pages: ties keep file order
        # Unsorted: DuckDB keeps file order (preserve_insertion_order) and, unlike an
        # ORDER BY, streams a download instead of sorting the whole table first.
        return (" ORDER BY " + ", ".join(order)) if order else ""

    def count_key(self) -> tuple:
        return (
            tuple(self.where),
            tuple(map(repr, self.params)),
            self.distinct,
            tuple(self.select) if self.distinct else (),
        )


def build(
    columns: list[Column],
    data: dict,
    *,
    rows_max: int | None = ROWS_MAX,
    default_limit: int | None = DEFAULT_LIMIT,
) -> Query:
    """Validate CKAN search parameters against the table's columns and compile them."""
    by_name = {c.name: c for c in columns}
    query = Query(distinct=as_bool(data.get("distinct"), False))

    fields = _as_list(data.get("fields"), "fields")
    for name in fields:
        if name != ID and name not in by_name:
            raise _unknown_column("fields", name)
    if not fields:
        fields = ([] if query.distinct else [ID]) + [c.name for c in columns]
    query.select = list(dict.fromkeys(fields))

    for name, value in _as_dict(data.get("filters"), "filters").items():
        if name == ID:
            values = value if isinstance(value, list) else [value]
            ids = [_coerce(Column(ID, "BIGINT"), v, "filters") for v in values]
            query.where.append(f"{ROW_NUMBER} + 1 IN ({', '.join('?' * len(ids))})")
            query.params.extend(ids)
            query.conditions = None
            continue
        column = by_name.get(name)
        if column is None:
            raise _unknown_column("filters", name)
        values = value if isinstance(value, list) else [value]
        if not values:
            continue
        if any(v is None for v in values):
            query.where.append(f"{quote_identifier(name)} IS NULL")
            if query.conditions is not None:
                query.conditions.append((name, None))
            continue
        coerced = [_coerce(column, v, "filters") for v in values]
        if len(coerced) == 1:
            query.where.append(f"{quote_identifier(name)} = ?")
        else:
            query.where.append(f"{quote_identifier(name)} IN ({', '.join('?' * len(coerced))})")
        query.params.extend(coerced)
        if query.conditions is not None:
            query.conditions.append((name, coerced))

    where_before_q = len(query.where)
    _add_full_text(query, columns, by_name, data.get("q"))
    if len(query.where) != where_before_q:
        query.conditions = None

    for part in _split_sort(str(data.get("sort") or "")):
        match = _SORT_PART.match(part)
        name = (
            (match.group(1).replace('""', '"') if match.group(1) else match.group(2).strip())
            if match
            else part
        )
        if name != ID and name not in by_name:
            raise _unknown_column("sort", name)
        direction = (match.group(3) or "asc").upper()
        nulls = f" NULLS {match.group(4).upper()}" if match.group(4) else " NULLS LAST"
        target = f"{ROW_NUMBER}" if name == ID else quote_identifier(name)
        if query.distinct and name not in query.select:
            raise _invalid(
                "sort",
                f"distinct では選んだ列「{name}」でしか並べ替えられません",
                f"With distinct, sort only by selected fields ('{name}')",
            )
        query.order_by.append(f"{target} {direction}{nulls}")
        if query.order is not None:
            query.order.append((name, "descending" if direction == "DESC" else "ascending"))
            if nulls != " NULLS LAST":
                query.order = None

    if data.get("limit") in (None, "") and default_limit is None:
        query.limit = None
    else:
        limit = _as_int(data.get("limit"), "limit", default_limit or DEFAULT_LIMIT)
        query.limit = min(limit, rows_max) if rows_max else limit
    query.offset = _as_int(data.get("offset"), "offset", 0)
    return query


def _add_full_text(query: Query, columns: list[Column], by_name: dict, q: Any) -> None:
    """q: a string over every text column, or {column: text}; every term must match."""
    if q in (None, "", {}):
        return
    if isinstance(q, str) and q.strip().startswith("{"):
        q = _as_dict(q, "q")
    if isinstance(q, dict):
        targets = []
        for name, text in q.items():
            if name not in by_name:
                raise _unknown_column("q", name)
            targets.append(([by_name[name]], str(text)))
    else:
        text_columns = [c for c in columns if c.ckan_type == "text"] or list(columns)
        targets = [(text_columns, str(q))]
    for cols, text in targets:
        for term in text.split():
            alternatives = []
            for variant in search_variants(term):
                for col in cols:
                    target = quote_identifier(col.name)
                    if col.ckan_type != "text":
                        target = f"CAST({target} AS VARCHAR)"
                    alternatives.append(f"{target} ILIKE ? ESCAPE '\\'")
                    query.params.append(_like_pattern(variant))
            query.where.append("(" + " OR ".join(alternatives) + ")")
