"""Run a list of operations (ops.json) over a table and keep the processing record.

ops.json is a JSON list, applied in order, e.g.:
    [{"op": "drop_columns", "columns": ["氏名", "電話番号"]},
     {"op": "age_bands", "column": "年齢", "scheme": "three", "into": "年齢3区分"},
     {"op": "mesh_counts", "lat": "緯度", "lon": "経度", "size_m": 250, "group_by": ["年齢3区分"]},
     {"op": "suppress_small_cells", "row_key": "mesh_code", "column_key": "年齢3区分",
      "threshold": 3}]
"""

import csv
import io
import json
from collections.abc import Callable

from . import aggregate, operations
from .record import AnonymiseError, ProcessingRecord, Table

OPERATIONS: dict[str, Callable] = {
    "drop_columns": operations.drop_columns,
    "mask_columns": operations.mask_columns,
    "age_bands": operations.age_bands,
    "generalise_date": operations.generalise_date,
    "generalise_address": operations.generalise_address,
    "top_bottom_code": operations.top_bottom_code,
    "k_anonymity": operations.k_anonymity,
    "mesh_counts": aggregate.mesh_counts,
    "suppress_small_cells": aggregate.suppress_small_cells,
}


def parse_ops(text: str) -> list[dict]:
    try:
        ops = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnonymiseError(
            f"操作の JSON が読めません (行 {exc.lineno}, 列 {exc.colno}): {exc.msg}",
            f"Cannot read the operations JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}",
        ) from exc
    if not isinstance(ops, list) or not all(isinstance(o, dict) and "op" in o for o in ops):
        raise AnonymiseError(
            '操作は [{"op": ...}, ...] の形のリストです',
            'Operations must be a list like [{"op": ...}, ...]',
        )
    return ops


def run(table: Table, ops: list[dict], *, source: str = "") -> tuple[Table, ProcessingRecord]:
    record = ProcessingRecord(source=source)
    for number, op in enumerate(ops, start=1):
        params = {k: v for k, v in op.items() if k != "op"}
        fn = OPERATIONS.get(op["op"])
        if fn is None:
            raise AnonymiseError(
                f"{number} 番目の操作 {op['op']} は不明です (使えるもの: {', '.join(OPERATIONS)})",
                f"Operation {number} '{op['op']}' is unknown (known: {', '.join(OPERATIONS)})",
            )
        try:
            table = fn(table, record, **params)
        except TypeError as exc:
            raise AnonymiseError(
                f"{number} 番目の操作 {op['op']} の引数が正しくありません: {exc}",
                f"Operation {number} '{op['op']}' has wrong parameters: {exc}",
            ) from exc
    return table, record


def to_csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return buffer.getvalue().encode("utf-8")
