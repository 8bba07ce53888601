"""Decide each column's type from a FULL pass over a VARCHAR table in DuckDB: the rules.

A sample is never trusted to accept a type (DuckDB's sniffer reads 20,480 rows; a city file
often turns to text near the end). It is only used to *rule out* candidates: the first 500
rows are checked in Python against conditions every value accepted by the SQL converter meets
(same character mapping, same regular expressions, no leading-zero codes), so a name, an
address or a "072028" code column needs no SQL at all.

Each remaining column is then checked on every row with its first candidate: decide.py
converts it speculatively into the Parquet and compares present with converted counts, or
runs ONE aggregate scan of the VARCHAR table for later rounds:

    SELECT count("人口"), count(hk_integer("人口")), count("開設日"), count(hk_date("開設日")) ...
    FROM raw_1

A column with a real failure (not a blank, not a missing marker) moves to its next candidate;
the decision and its reason (e.g. the first row that is text) go into the Table Schema.
"""

import re
from dataclasses import dataclass, field

from .duck import quote_ident
from .sql_values import (
    _DATETIME,
    _TIME,
    _US,
    _WAREKI,
    _WESTERN,
    _YEAR,
    CONVERTERS,
    FALSE_WORDS,
    MISSING_MARKERS,
    TRUE_WORDS,
)

# Candidates in order: the narrowest type first (0/1 columns stay integers, not flags).
CANDIDATES = ["integer", "boolean", "number", "date", "date_us", "datetime", "time", "year"]
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
    "year": "year",
}
OVERRIDE_TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "time", "year"}
TYPE_LABEL_JA = {
    "boolean": "真偽値",
    "integer": "整数",
    "number": "数値",
    "date": "日付",
    "date_us": "日付 (月/日/年)",
    "datetime": "日時",
    "time": "時刻",
    "coordinate": "座標",
    "year": "年",
}

# Japan's extent with a margin (沖ノ鳥島 20.4°N .. 択捉島 45.5°N; 与那国島 122.9°E .. 南鳥島 153.9°E).
LAT_RANGE = (20.0, 46.0)
LON_RANGE = (122.0, 154.0)
_LAT_NAME = re.compile(r"緯度|^(lat|latitude|y|ｙ|y座標)$", re.IGNORECASE)
_LON_NAME = re.compile(r"経度|^(lon|lng|long|longitude|x|ｘ|x座標)$", re.IGNORECASE)


# Necessary conditions (character sets) for a cell to be accepted by each SQL converter: a
# strict superset of what the macros accept. A sampled cell failing one proves a counter-
# example exists, so the candidate is skipped without a query; passing proves nothing, and
# the full SQL pass still decides. This only saves time on text columns.
_SIGN = "[+\\-－−△▲]?\\s*[¥￥]?"
_DIGITS = "0-9０-９,，\\s"
_MAY_BE = {
    "integer": re.compile(f"^{_SIGN}[{_DIGITS}]+円?$"),
    "number": re.compile(f"^{_SIGN}[{_DIGITS}.．]+[%％]?円?$"),
    "date": re.compile(
        r"^[0-9０-９\s年月日./\-／．－RHSTMrhstm令和平成昭大正明治元()（）火水木金土祝休曜・]+$"
    ),
    "date_us": re.compile(r"^[0-9０-９]{1,2}[/／][0-9０-９]{1,2}[/／][0-9０-９]{4}$"),
    "year": re.compile(r"^[0-9０-９\s年度RHSTMrhstm令和平成昭大正明治元]+$"),
    "datetime": re.compile(r"^[0-9０-９\s./\-／．－:：T]+$"),
    "time": re.compile(r"^[0-9０-９:：時分秒\s]+$"),
    "coordinate": re.compile(f"^{_SIGN}[{_DIGITS}.．%％°度'′’分\"″”秒]+$"),
}
_BOOL_WORDS = {w.lower() for w in TRUE_WORDS + FALSE_WORDS}
_MISSING = set(MISSING_MARKERS)
SAMPLE_ROWS = 500


# The same full-width -> ASCII mapping as the SQL macro hk_z2h.
_Z2H = str.maketrans("０１２３４５６７８９．，－＋：／％△▲−", "0123456789.,-+:/%---")
_LEADING_ZERO = re.compile(r"^[+-]?0[0-9]")
_STRUCTURE = {
    "date": (re.compile(_WESTERN), re.compile(_WAREKI)),
    "date_us": (re.compile(_US),),
    "datetime": (re.compile(_DATETIME),),
    "time": (re.compile(_TIME),),
    "year": (re.compile(_YEAR),),
}


def _may_be(kind: str, value: str | None) -> bool:
    text = (value or "").strip(" \u3000\t\r\n")
    if not text or text in _MISSING:
        return True
    if kind == "boolean":
        return text.lower() in _BOOL_WORDS
    if not _MAY_BE[kind].match(text):
        return False
    ascii_text = text.translate(_Z2H)
    if kind in ("integer", "number") and _LEADING_ZERO.match(ascii_text.replace(" ", "")):
        return False  # "072028": SQL keeps codes with a leading zero as text
    patterns = _STRUCTURE.get(kind)
    return patterns is None or any(p.match(ascii_text) for p in patterns)


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


def coordinate_role(name: str) -> str:
    if _LAT_NAME.search(name.strip()):
        return "latitude"
    if _LON_NAME.search(name.strip()):
        return "longitude"
    return ""


def _failure_filter(col: str, converted: str) -> str:
    """A present cell (not blank, not a missing marker) that the converter rejected.

    The converted value is tested first: in a typed column it is almost never NULL, so the
    costly Unicode trim runs only on the few cells that need it.
    """
    return (
        f"{converted} IS NULL AND {col} IS NOT NULL AND hk_clean({col}) IS NOT NULL "
        f"AND NOT hk_missing(hk_clean({col}))"
    )


def plan_candidates(
    name: str, sample: list, override: str | None
) -> tuple[list[str], tuple | None]:
    """Candidates worth a full pass (in order), and the first sampled text refuting all."""
    if override:
        return ([override] if override != "string" else []), None
    kinds = []
    role = coordinate_role(name)
    if role and all(_may_be("coordinate", value) for _, value in sample):
        kinds.append("coordinate")
    refutation = None
    for kind in CANDIDATES:
        refuted = next(((row, value) for row, value in sample if not _may_be(kind, value)), None)
        if refuted is None:
            kinds.append(kind)
        elif refutation is None:
            refutation = refuted
    return kinds, refutation


def _check(con, table: str, name: str, kind: str, *, count_all: bool = False) -> dict:
    """Full-pass facts about one (column, candidate).

    A counter-example query stops at the first failing row (cheap for text), and costs one
    scan for a column that really has the type. One aggregate query with every candidate
    was tried and is far slower: DuckDB re-evaluates the converters per FILTER aggregate.
    -> {"failures": 0|n, "first_row": r, "first_value": v, "converted": 0|1, "min", "max"}
    """
    col = quote_ident(name)
    conv = f"{CONVERTERS[kind]}({col})"
    result = {"failures": 0, "first_row": None, "first_value": None, "converted": 0}
    if count_all:  # an override: count every value it loses
        lost, first = con.execute(
            f"SELECT count(*), min(rowid) FROM {table} WHERE {_failure_filter(col, conv)}"
        ).fetchone()
        result.update(failures=int(lost), first_row=int(first) + 1 if first is not None else None)
        return result
    row = con.execute(
        f"SELECT rowid, {col} FROM {table} WHERE {_failure_filter(col, conv)} LIMIT 1"
    ).fetchone()
    if row:
        result.update(failures=1, first_row=int(row[0]) + 1, first_value=row[1])
        return result
    if kind == "coordinate":
        count, low, high = con.execute(
            f"SELECT count({conv}), min({conv}), max({conv}) FROM {table}"
        ).fetchone()
        result.update(converted=int(count), min=low, max=high)
    else:
        found = con.execute(f"SELECT 1 FROM {table} WHERE {conv} IS NOT NULL LIMIT 1").fetchone()
        result["converted"] = 1 if found else 0
    return result


def _coordinate_decision(name: str, result: dict) -> ColumnDecision | None:
    role = coordinate_role(name)
    low, high = result["min"], result["max"]
    lo, hi = LAT_RANGE if role == "latitude" else LON_RANGE
    if result["failures"] or not result["converted"] or low < lo or high > hi:
        return None
    label_ja = "緯度" if role == "latitude" else "経度"
    return ColumnDecision(
        name=name,
        kind="coordinate",
        role=role,
        reason_ja=f"列名と値の範囲 ({low:g}〜{high:g}) から{label_ja}と判断",
        reason_en=f"{role} by column name and value range ({low:g} to {high:g})",
    )


def override_decision(name: str, kind: str, result: dict | None) -> ColumnDecision:
    decision = ColumnDecision(
        name=name,
        kind=kind,
        overridden=True,
        reason_ja="担当者が型を指定",
        reason_en="type set by staff",
    )
    if result:
        decision.lost_values = result["failures"]
        decision.first_lost_row = result["first_row"]
    return decision


def text_decision(name: str, failure: tuple | None) -> ColumnDecision:
    if failure is None:
        return ColumnDecision(
            name=name, kind="string", reason_ja="値がありません", reason_en="no values"
        )
    row, value = failure
    shown = value if len(value) <= 40 else value[:40] + "…"
    return ColumnDecision(
        name=name,
        kind="string",
        reason_ja=f"{row}行目の値「{shown}」が数値・日付などではないため文字列",
        reason_en=f"text: row {row} value {shown!r} is not a number, date or flag",
        extra={"first_text_row": row},
    )


def settle(con, table, name, kind, counts, overrides, decided, failures, plans) -> bool:
    """Record the decision for a verified column; False when it must try its next candidate."""
    failed, converted, low, high = counts
    result = {
        "failures": int(failed),
        "converted": int(converted),
        "min": low,
        "max": high,
        "first_row": None,
        "first_value": None,
    }
    if overrides.get(name):
        if failed:
            result.update(_check(con, table, name, kind, count_all=True))
        decided[name] = override_decision(name, kind, result)
        return True
    decision = None
    if kind == "coordinate":
        decision = _coordinate_decision(name, result)
    elif not failed and converted:
        decision = ColumnDecision(
            name=name,
            kind=kind,
            reason_ja=f"全行の値が{TYPE_LABEL_JA[kind]}として解釈可能",
            reason_en=f"every value parses as {kind}",
        )
    if decision is None and failed:
        found = _check(con, table, name, kind)
        if found["first_row"] is not None:
            first = (found["first_row"], found["first_value"])
            old = failures[name]
            failures[name] = first if old is None or first[0] < old[0] else old
    plans[name] = plans[name][1:]
    if decision is not None:
        decided[name] = decision
        return True
    if not plans[name]:
        decided[name] = text_decision(name, failures[name])
        return True
    return False
