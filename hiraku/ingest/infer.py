"""Decide each column's type from a FULL pass over a VARCHAR table in DuckDB.

A sample is never trusted (DuckDB's sniffer reads 20,480 rows; a city file often turns text
near the end). For each candidate type we ask DuckDB for one counter-example:

    SELECT rowid, c FROM raw WHERE <cell present> AND hk_integer(c) IS NULL LIMIT 1

Text columns stop at their first row, so they cost almost nothing; a column that really is
typed costs exactly one full scan. The first candidate with no counter-example wins.
"""

import re
from dataclasses import dataclass, field

from .duck import quote_ident
from .sql_values import CONVERTERS

# Candidates in order: the narrowest type first (0/1 columns stay integers, not flags).
CANDIDATES = ["integer", "boolean", "number", "date", "date_us", "datetime", "time"]
# Frictionless type for each internal candidate.
FRICTIONLESS_TYPE = {
    "string": "string",
    "boolean": "boolean",
    "integer": "integer",
    "number": "number",
    "date": "date",
    "date_us": "date",
    "datetime": "datetime",
    "time": "time",
    "coordinate": "number",
}
OVERRIDE_TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "time"}
TYPE_LABEL_JA = {
    "boolean": "真偽値",
    "integer": "整数",
    "number": "数値",
    "date": "日付",
    "date_us": "日付 (月/日/年)",
    "datetime": "日時",
    "time": "時刻",
    "coordinate": "座標",
}

# Japan's extent with a margin (沖ノ鳥島 20.4°N .. 択捉島 45.5°N; 与那国島 122.9°E .. 南鳥島 153.9°E).
LAT_RANGE = (20.0, 46.0)
LON_RANGE = (122.0, 154.0)
_LAT_NAME = re.compile(r"緯度|^(lat|latitude|y|ｙ|y座標)$", re.IGNORECASE)
_LON_NAME = re.compile(r"経度|^(lon|lng|long|longitude|x|ｘ|x座標)$", re.IGNORECASE)


@dataclass
class ColumnDecision:
    name: str
    kind: str  # a key of FRICTIONLESS_TYPE
    reason_ja: str
    reason_en: str
    role: str = ""  # "latitude" / "longitude" for coordinate columns
    overridden: bool = False
    lost_values: int = 0  # cells an override could not convert (kept NULL)
    first_lost_row: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def frictionless_type(self) -> str:
        return FRICTIONLESS_TYPE[self.kind]

    @property
    def converter(self) -> str | None:
        return CONVERTERS.get(self.kind)

    def select_expr(self) -> str:
        col = quote_ident(self.name)
        if self.converter is None:
            return f"{col} AS {col}"
        return f"{self.converter}({col}) AS {col}"


def _present(col: str) -> str:
    return f"hk_clean({col}) IS NOT NULL AND NOT hk_missing(hk_clean({col}))"


def _counter_example(con, table: str, col: str, kind: str) -> tuple[int, str] | None:
    row = con.execute(
        f"SELECT rowid, {col} FROM {table} WHERE {_present(col)} "
        f"AND {CONVERTERS[kind]}({col}) IS NULL LIMIT 1"
    ).fetchone()
    return (int(row[0]) + 1, row[1]) if row else None


def _has_value(con, table: str, col: str, kind: str) -> bool:
    sql = f"SELECT 1 FROM {table} WHERE {CONVERTERS[kind]}({col}) IS NOT NULL LIMIT 1"
    return con.execute(sql).fetchone() is not None


def coordinate_role(name: str) -> str:
    if _LAT_NAME.search(name.strip()):
        return "latitude"
    if _LON_NAME.search(name.strip()):
        return "longitude"
    return ""


def _try_coordinate(con, table: str, name: str, role: str) -> ColumnDecision | None:
    col = quote_ident(name)
    if _counter_example(con, table, col, "coordinate") or not _has_value(
        con, table, col, "coordinate"
    ):
        return None
    low, high = con.execute(
        f"SELECT min(hk_coordinate({col})), max(hk_coordinate({col})) FROM {table}"
    ).fetchone()
    lo, hi = LAT_RANGE if role == "latitude" else LON_RANGE
    if low is None or low < lo or high > hi:
        return None
    label_ja = "緯度" if role == "latitude" else "経度"
    return ColumnDecision(
        name=name,
        kind="coordinate",
        role=role,
        reason_ja=f"列名と値の範囲 ({low:g}〜{high:g}) から{label_ja}と判断",
        reason_en=f"{role} by column name and value range ({low:g} to {high:g})",
    )


def _override(con, table: str, name: str, kind: str) -> ColumnDecision:
    col = quote_ident(name)
    decision = ColumnDecision(
        name=name,
        kind=kind,
        overridden=True,
        reason_ja="担当者が型を指定",
        reason_en="type set by staff",
    )
    if kind != "string":
        lost, first = con.execute(
            f"SELECT count(*), min(rowid) FROM {table} WHERE {_present(col)} "
            f"AND {CONVERTERS[kind]}({col}) IS NULL"
        ).fetchone()
        decision.lost_values = int(lost)
        decision.first_lost_row = int(first) + 1 if first is not None else None
    return decision


def decide_column(con, table: str, name: str, override: str | None = None) -> ColumnDecision:
    if override:
        return _override(con, table, name, override)
    col = quote_ident(name)
    role = coordinate_role(name)
    if role:
        found = _try_coordinate(con, table, name, role)
        if found:
            return found
    first_failure: tuple[int, str] | None = None
    for kind in CANDIDATES:
        failure = _counter_example(con, table, col, kind)
        if failure is None:
            if not _has_value(con, table, col, kind):
                break  # only blanks / missing markers: nothing to type
            return ColumnDecision(
                name=name,
                kind=kind,
                reason_ja=f"全行の値が{TYPE_LABEL_JA[kind]}として解釈可能",
                reason_en=f"every value parses as {kind}",
            )
        if first_failure is None:
            first_failure = failure
    if first_failure is None:
        return ColumnDecision(
            name=name, kind="string", reason_ja="値がありません", reason_en="no values"
        )
    row, value = first_failure
    shown = value if len(value) <= 40 else value[:40] + "…"
    return ColumnDecision(
        name=name,
        kind="string",
        reason_ja=f"{row}行目の値「{shown}」が数値・日付などではないため文字列",
        reason_en=f"text: row {row} value {shown!r} is not a number, date or flag",
        extra={"first_text_row": row},
    )


def decide_columns(
    con, table: str, columns: list[str], overrides: dict[str, str] | None = None
) -> list[ColumnDecision]:
    overrides = overrides or {}
    return [decide_column(con, table, name, overrides.get(name)) for name in columns]
