"""Sheets, JSON and GeoJSON become VARCHAR tables in DuckDB through Arrow, one table at a time.

load_json(ctx, path, "施設.json", "施設.json")  ->  LoadedTable("施設.json", relation="raw_1", ...)
iter_workbook(ctx, path, "統計.xlsx", "xlsx") ->  one LoadedTable per sheet
"""

import json
import os
from collections.abc import Iterator

import pyarrow as pa

from .duck import quote_ident
from .parsing.errors import ParseError
from .sources import LoadContext, LoadedTable, check_columns

# JSON/GeoJSON are parsed in memory; bigger ones should come as CSV or be split.
JSON_MAX_BYTES = int(os.environ.get("HIRAKU_INGEST_JSON_MAX_BYTES", str(256 * 1024**2)))


def load_rows(
    ctx: LoadContext,
    *,
    name: str,
    columns: list[str],
    rows: list[list[str | None]],
    filename: str,
    notes: list[str] | None = None,
    report: dict | None = None,
) -> LoadedTable:
    check_columns(columns, filename)
    width = len(columns)
    arrays = [
        pa.array([row[i] if i < len(row) else None for row in rows], type=pa.string())
        for i in range(width)
    ]
    arrow_table = pa.Table.from_arrays(arrays, names=[f"c{i}" for i in range(width)])
    relation = ctx.next_relation()
    ctx.con.register("hk_arrow_input", arrow_table)
    select = ", ".join(f"c{i} AS {quote_ident(col)}" for i, col in enumerate(columns))
    ctx.con.execute(f"CREATE TABLE {relation} AS SELECT {select} FROM hk_arrow_input")
    ctx.con.unregister("hk_arrow_input")
    return LoadedTable(
        name=name,
        relation=relation,
        columns=list(columns),
        notes=list(notes or []),
        report=report or {},
    )


def _cell_text(value) -> str | None:
    """JSON value -> cell text: 1.5 -> '1.5', True -> 'true', {"a": 1} -> '{"a": 1}'."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def _records_table(records: list[dict]) -> tuple[list[str], list[list[str | None]]]:
    columns: dict[str, None] = {}
    for record in records:
        for key in record:
            columns.setdefault(str(key), None)
    names = list(columns)
    return names, [[_cell_text(record.get(key)) for key in names] for record in records]


def _load_json_file(path: str, filename: str):
    if os.path.getsize(path) > JSON_MAX_BYTES:
        raise ParseError(
            f"JSON が大きすぎます (上限 {JSON_MAX_BYTES // 1024**2} MB)。CSV で登録してください",
            f"JSON too large (limit {JSON_MAX_BYTES // 1024**2} MB); upload it as CSV",
            file=filename,
        )
    try:
        with open(path, encoding="utf-8-sig") as f:
            return json.load(f)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        row = getattr(error, "lineno", None)
        raise ParseError(
            "JSON として読めません", f"invalid JSON: {error}", file=filename, row=row
        ) from error


def load_json(ctx: LoadContext, path: str, filename: str, table_name: str) -> LoadedTable:
    data = _load_json_file(path, filename)
    if isinstance(data, dict):
        # {"data": [...]} or {"items": [...]}: the first list of objects inside
        data = next((v for v in data.values() if isinstance(v, list)), [data])
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ParseError(
            "JSON はオブジェクトの配列である必要があります",
            "JSON must be an array of objects",
            file=filename,
        )
    columns, rows = _records_table(data)
    return load_rows(ctx, name=table_name, columns=columns, rows=rows, filename=filename)


def load_geojson(ctx: LoadContext, path: str, filename: str, table_name: str) -> LoadedTable:
    data = _load_json_file(path, filename)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ParseError(
            "GeoJSON に features がありません", "GeoJSON without features", file=filename
        )
    records = []
    for feature in features:
        props = dict((feature or {}).get("properties") or {})
        geometry = (feature or {}).get("geometry")
        record = {**props}
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        is_point = isinstance(geometry, dict) and geometry.get("type") == "Point"
        record["longitude"] = coords[0] if is_point and coords else None
        record["latitude"] = coords[1] if is_point and coords else None
        record["geometry"] = json.dumps(geometry, ensure_ascii=False) if geometry else None
        records.append(record)
    columns, rows = _records_table(records)
    return load_rows(ctx, name=table_name, columns=columns, rows=rows, filename=filename)


def iter_workbook(ctx: LoadContext, path: str, filename: str, kind: str) -> Iterator[LoadedTable]:
    from .parsing.sheets import read_workbook

    try:
        sheets = read_workbook(path, kind)
    except ParseError as error:
        error.file = error.file or filename
        raise
    for sheet in sheets:
        yield load_rows(
            ctx,
            name=sheet.name,
            columns=sheet.columns,
            rows=sheet.rows,
            filename=f"{filename} [{sheet.name}]",
            notes=sheet.notes,
            report={
                "renamed": [list(p) for p in sheet.renamed],
                "warnings": list(sheet.warnings),
            },
        )
        sheet.rows = []  # free the rows before the next sheet is typed
