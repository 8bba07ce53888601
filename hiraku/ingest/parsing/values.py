"""Value parsers for type inference and the privacy scan: numbers, flags, coordinates, header names.

    parse_int("1,234")        -> 1234          parse_int("△12") -> -12 (統計表の負数)
    parse_decimal("99.2％")    -> Decimal("99.2")   (a percentage keeps the number as written)
    parse_decimal("－")        -> None          (a missing marker, see is_missing)
    parse_bool("○")           -> True          parse_bool("無") -> False
    parse_coordinate("139°55'47.3\"", axis="lon") -> 139.92980...
    parse_coordinate("34.3475,134.0300")          -> (34.3475, 134.03)
    normalize_header("校　　名")   -> "校名"      normalize_header("１年") -> "1年"

Parsers return None both for missing markers and for text that is not of the type; callers
that must tell the two apart ask is_missing() first.
Dates and times live in wareki.py and are re-exported here.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Literal

from .wareki import (  # noqa: F401  (re-exported: one place to import value parsers from)
    END_OF_DAY,
    FiscalYear,
    infer_date_order,
    parse_date,
    parse_datetime,
    parse_time,
    parse_year,
)

# Markers Japanese statistics use for "no value": - / － / … (not available), x / X / * /
# 秘匿 (suppressed to protect respondents), ー / ― (dash look-alikes), 該当なし.
MISSING_MARKERS = frozenset(
    {"", "-", "－", "‐", "―", "ー", "—", "–", "…", "...", "x", "X", "ｘ", "Ｘ", "*", "＊", "秘匿"}
    | {"該当なし", "NA", "N/A", "n/a", "#N/A", "null", "NULL", "None"}
)


def is_missing(text: str | None) -> bool:
    return text is None or text.strip() in MISSING_MARKERS


_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?$")
_NUMBER_NO_INT = re.compile(r"^[+-]?\.\d+$")


def _number_text(text: str) -> tuple[str, bool] | None:
    """Canonical number text and whether it was a percentage, or None.

    '△1,234' -> ('-1234', False); '１２．５％' -> ('12.5', True); '(12)' is not a number here.
    """
    raw = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if raw in MISSING_MARKERS:
        return None
    negative = False
    if raw[:1] in ("△", "▲"):
        negative, raw = True, raw[1:]
    percent = raw.endswith("%")
    if percent:
        raw = raw[:-1]
    if raw.startswith("¥") or raw.startswith("￥"):
        raw = raw[1:]
    if raw.endswith("円"):
        raw = raw[:-1]
    if not (_NUMBER.match(raw) or _NUMBER_NO_INT.match(raw)):
        return None
    raw = raw.replace(",", "")
    if negative:
        if raw.startswith("-"):
            return None
        raw = "-" + raw.lstrip("+")
    return raw, percent


def parse_decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    parsed = _number_text(text)
    if parsed is None:
        return None
    try:
        value = Decimal(parsed[0])
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_int(text: str | None) -> int | None:
    """An integer written as one: '1,234', '△5', '１２'. '12.0' and '1e3' are not."""
    if text is None:
        return None
    parsed = _number_text(text)
    if parsed is None or parsed[1]:
        return None
    number = parsed[0]
    if not re.fullmatch(r"[+-]?\d+", number):
        return None
    return int(number)


def has_leading_zero(text: str) -> bool:
    """'0001' or '072028': an identifier that must stay text, never be turned into a number."""
    raw = unicodedata.normalize("NFKC", text).strip()
    return len(raw) > 1 and raw[0] == "0" and raw.isdigit()


_TRUE = {"○", "〇", "◯", "◎", "有", "有り", "あり", "はい", "true", "yes", "y", "t", "1", "済"}
_FALSE = {"×", "✕", "✖", "無", "無し", "なし", "いいえ", "false", "no", "n", "f", "0", "未"}


def parse_bool(text: str | None) -> bool | None:
    """○/×, 有/無, あり/なし, はい/いいえ, true/false, yes/no, 1/0. △ (partly) is not a boolean."""
    if text is None:
        return None
    raw = unicodedata.normalize("NFKC", text).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    return None


# Japan, including its remote islands: 沖ノ鳥島 20.42N, 択捉島 45.55N; 与那国島 122.93E,
# 南鳥島 153.99E. A small margin keeps sea-area points (buoys, ferry routes) valid.
LAT_RANGE = (20.0, 46.0)
LON_RANGE = (122.0, 154.5)

# 139°55'47.3" / 139度55分47.3秒 / N34°20'51" / 34°20′51″N
_DMS = re.compile(
    r"^(?P<hemi1>[NSEW北南東西])?\s*(?P<deg>\d{1,3}(?:\.\d+)?)\s*(?:°|度|º)\s*"
    r"(?:(?P<min>\d{1,2}(?:\.\d+)?)\s*(?:'|′|’|分))?\s*"
    r"(?:(?P<sec>\d{1,2}(?:\.\d+)?)\s*(?:\"|″|”|''|秒))?\s*(?P<hemi2>[NSEW北南東西])?$"
)
_DMS_MARK = re.compile(r"[°度º'′’分\"″”秒]")
_DECIMAL_COORD = re.compile(r"^[+-]?\d{1,3}(?:\.\d+)?$")


def _in_range(value: float, axis: Literal["lat", "lon"] | None) -> bool:
    if axis == "lat":
        return LAT_RANGE[0] <= value <= LAT_RANGE[1]
    if axis == "lon":
        return LON_RANGE[0] <= value <= LON_RANGE[1]
    return LAT_RANGE[0] <= value <= LAT_RANGE[1] or LON_RANGE[0] <= value <= LON_RANGE[1]


def _single_coordinate(raw: str, axis: Literal["lat", "lon"] | None) -> float | None:
    if _DECIMAL_COORD.match(raw):
        value = float(raw)
    elif m := _DMS.match(raw):
        value = float(m["deg"]) + float(m["min"] or 0) / 60 + float(m["sec"] or 0) / 3600
        if float(m["min"] or 0) >= 60 or float(m["sec"] or 0) >= 60:
            return None
        if (m["hemi1"] or m["hemi2"] or "") in ("S", "W", "南", "西"):
            value = -value
    else:
        return None
    return value if _in_range(value, axis) else None


def parse_coordinate(
    text: str | None, *, axis: Literal["lat", "lon"] | None = None
) -> float | tuple[float, float] | None:
    """A latitude or longitude inside Japan, or a (lat, lon) pair written in one field.

    A pair is accepted only in lat,lon order with each part in its range; an out-of-Japan
    value (0, 0 or swapped 緯度/経度) gives None so the caller can report it.
    """
    if text is None:
        return None
    raw = unicodedata.normalize("NFKC", text).strip().strip("()[]")
    if not raw:
        return None
    # "34.34,134.03" or "34.34 134.03"; a DMS value has spaces of its own (139° 55' 47")
    separators = r"\s*[,、]\s*" if _DMS_MARK.search(raw) else r"\s*[,、]\s*|\s+(?=[+-]?\d)"
    parts = [p.strip() for p in re.split(separators, raw) if p.strip()]
    if len(parts) == 2 and axis is None:
        lat = _single_coordinate(parts[0], "lat")
        lon = _single_coordinate(parts[1], "lon")
        return (lat, lon) if lat is not None and lon is not None else None
    if len(parts) != 1:
        return None
    return _single_coordinate(parts[0], axis)


_CJK = r"\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


def normalize_header(name: str | None) -> str:
    """One clean column name: NFKC (full-width digits/letters, half-width kana), no line breaks,
    no spaces next to Japanese characters (校　　名 -> 校名), single spaces elsewhere.

        "特別\\n支援" -> "特別支援";  " Males per 100females " -> "Males per 100females"
    """
    if name is None:
        return ""
    text = unicodedata.normalize("NFKC", str(name))
    text = text.replace("\ufeff", "")
    text = re.sub(r"[\r\n\t]+", " ", text)
    text = _SPACE_NEAR_CJK.sub("", text)
    return re.sub(r"\s+", " ", text).strip()
