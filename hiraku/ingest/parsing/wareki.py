"""Dates and times as Japanese city files write them, 和暦 (Japanese eras) included.

    parse_date("令和5年4月1日")   -> date(2023, 4, 1)
    parse_date("R05.04.01")      -> date(2023, 4, 1)
    parse_date("令和元年5月1日")  -> date(2019, 5, 1)
    parse_date("H31.5.1")        -> None   (平成 ended 2019-04-30: that day is 令和元年5月1日)
    parse_date("令和2年度")       -> FiscalYear(2020)   (2020-04-01 .. 2021-03-31)
    parse_date("3/1/2023", order="mdy") -> date(2023, 3, 1)
    parse_time("8時30分")         -> time(8, 30)

Every parser returns None for text it does not understand (and for missing markers), so type
inference can count "parses / does not parse" without exceptions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

DateOrder = Literal["ymd", "mdy", "dmy"]


@dataclass(frozen=True)
class Era:
    name: str  # 令和
    letter: str  # R
    first_day: date
    last_day: date | None  # None: the current era
    offset: int  # western year = era year + offset


# Per /work/shared/japan-standards.md §4. 明治 starts 1868-01-25 (the start of 明治元年 counted
# back, as many converters do) rather than 1868-10-23 (the proclamation): dates in old 台帳 are
# written 明治元年X月 for the whole year, and rejecting them would lose real data. The Gregorian
# calendar was only adopted 1873-01-01, so 明治1–5 dates are approximate either way.
ERAS: tuple[Era, ...] = (
    Era("明治", "M", date(1868, 1, 25), date(1912, 7, 29), 1867),
    Era("大正", "T", date(1912, 7, 30), date(1926, 12, 24), 1911),
    Era("昭和", "S", date(1926, 12, 25), date(1989, 1, 7), 1925),
    Era("平成", "H", date(1989, 1, 8), date(2019, 4, 30), 1988),
    Era("令和", "R", date(2019, 5, 1), None, 2018),
)
_ERA_BY_KEY: dict[str, Era] = {}
for _era in ERAS:
    _ERA_BY_KEY[_era.name] = _era
    _ERA_BY_KEY[_era.name[0]] = _era  # 令5.4.1
    _ERA_BY_KEY[_era.letter] = _era
    _ERA_BY_KEY[_era.letter.lower()] = _era


@dataclass(frozen=True)
class FiscalYear:
    """A Japanese fiscal year (年度): April 1 to March 31 of the next year. 令和2年度 = FiscalYear(2020)."""

    year: int

    @property
    def start(self) -> date:
        return date(self.year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.year + 1, 3, 31)

    def isoformat(self) -> str:
        return f"{self.year}年度"


_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_KANJI_DIGITS.update({"八": 8, "九": 9})
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_NUMBER = re.compile(r"[〇零一二三四五六七八九十百千]+")


# A year alone as the SQL converter hk_year reads it (the same pattern, in RE2 and Python):
# 令和5年, 平成元年, H30年度, 2023年, ２０２３年度. The blanks are ASCII ones on purpose: RE2's \s.
YEAR_PATTERN = (
    r"^(?:(令和|平成|昭和|大正|明治|[RHSTMrhstm])[ \t\n\f\r]*([0-9]{1,2}|元)|([0-9]{4}))"
    r"[ \t\n\f\r]*年(度)?$"
)
_YEAR = re.compile(YEAR_PATTERN)
# 全角 characters made ASCII before a second try; the SQL macro hk_z2h uses the same pair.
Z2H_FROM, Z2H_TO = "０１２３４５６７８９．，－＋：／％△▲−", "0123456789.,-+:/%---"
_Z2H = str.maketrans(Z2H_FROM, Z2H_TO)
_ERA_BY_LETTER = {era.letter: era for era in ERAS}
_ERA_BY_LETTER.update({era.name: era for era in ERAS})


def _last_year(era: Era, fiscal: bool) -> int:
    """The era's last calendar year, or its last fiscal year (one starting before it ended)."""
    if era.last_day is None:
        return 9999
    last = era.last_day
    return last.year - 1 if fiscal and last < date(last.year, 4, 1) else last.year


def _year_of(text: str) -> int | None:
    m = _YEAR.match(text)
    if not m:
        return None
    era_key, era_year, western, fiscal = m.groups()
    if western is not None:
        return int(western) if int(western) >= 1 else None
    era = _ERA_BY_LETTER[era_key if era_key in _ERA_BY_LETTER else era_key.upper()]
    number = 1 if era_year == "元" else int(era_year)
    year = era.offset + number
    return year if number >= 1 and year <= _last_year(era, fiscal is not None) else None


def parse_year(text: str | None) -> int | None:
    """'平成元年' -> 1989, '令和5年度' -> 2023 (the fiscal year from 2023-04-01), '2023年' ->
    2023; None for a year outside its era (昭和65年, 昭和64年度) or anything else. Mirrors the
    SQL converter hk_year: the text as it is first, then trimmed with 全角 digits made ASCII."""
    if text is None:
        return None
    year = _year_of(text)
    if year is None:
        cleaned = text.strip(" \u3000\t\r\n").translate(_Z2H)
        year = _year_of(cleaned) if cleaned else None
    return year


def kanji_to_int(text: str) -> int | None:
    """'十二' -> 12, '三十一' -> 31, '二〇二三' -> 2023 (digit by digit), '元' -> 1."""
    if text == "元":
        return 1
    if not text or any(ch not in _KANJI_DIGITS and ch not in _KANJI_UNITS for ch in text):
        return None
    if not any(ch in _KANJI_UNITS for ch in text):
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            current = _KANJI_DIGITS[ch]
        else:
            total += (current or 1) * _KANJI_UNITS[ch]
            current = 0
    return total + current


def _prepare(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), kanji numerals to digits, no spaces."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"(?<=[年月日時分])\s+|\s+(?=[年月日時分])", "", text)
    text = text.replace("元年", "1年")
    return _KANJI_NUMBER.sub(lambda m: str(kanji_to_int(m.group())), text)


_ERA_KEYS = "|".join(sorted(map(re.escape, _ERA_BY_KEY), key=len, reverse=True))
# 令和5年4月1日 / 令和5年4月1日(土) / R5.4.1 / R05.04.01 / R5/4/1 / R5-4-1 / 令5.4.1
_ERA_DATE = re.compile(
    rf"^(?P<era>{_ERA_KEYS})\s*(?P<y>\d{{1,2}})(?:年|[./-])(?P<m>\d{{1,2}})(?:月|[./-])(?P<d>\d{{1,2}})日?"
    r"(?:\s*[(（][^)）]*[)）])?$"
)
_ERA_FISCAL = re.compile(rf"^(?P<era>{_ERA_KEYS})\s*(?P<y>\d{{1,2}})年度$")
_WESTERN_FISCAL = re.compile(r"^(?P<y>\d{4})年度$")
# 2023-04-01 / 2023/4/1 / 2023.4.1 / 2023年4月1日 / 20230401
_YMD = re.compile(
    r"^(?P<y>\d{4})(?:年|[./-])(?P<m>\d{1,2})(?:月|[./-])(?P<d>\d{1,2})日?(?:\s*[(（][^)）]*[)）])?$"
)
_YMD_COMPACT = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
# 3/1/2023 (US) or 1/3/2023 (day first): the order must come from the column
_XY_YEAR = re.compile(r"^(?P<a>\d{1,2})[./-](?P<b>\d{1,2})[./-](?P<y>\d{4})$")


def era_date(era: Era, era_year: int, month: int, day: int) -> date | None:
    """The western date, or None when it is not a real day or lies outside the era."""
    if era_year < 1:
        return None
    try:
        value = date(era_year + era.offset, month, day)
    except ValueError:
        return None
    if value < era.first_day or (era.last_day is not None and value > era.last_day):
        return None
    return value


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str | None, *, order: DateOrder | None = None) -> date | FiscalYear | None:
    """A date (or a 年度 fiscal year) from text; None when it is not one.

    `order` tells how to read year-last dates like 3/1/2023 ("mdy" US, "dmy"); without it they
    are accepted only when the value alone decides (13/1/2023 must be day-first).
    Use infer_date_order() on the whole column to choose it.
    """
    if text is None:
        return None
    raw = _prepare(text)
    if not raw:
        return None
    if m := _ERA_DATE.match(raw):
        era = _ERA_BY_KEY[m["era"]]
        return era_date(era, int(m["y"]), int(m["m"]), int(m["d"]))
    if m := _ERA_FISCAL.match(raw):
        era = _ERA_BY_KEY[m["era"]]
        era_year = int(m["y"])
        # a fiscal year starts on April 1; the era must be running during that fiscal year
        fy = FiscalYear(era_year + era.offset)
        if era_year < 1 or (era.last_day is not None and fy.start > era.last_day):
            return None
        if fy.end < era.first_day:
            return None
        return fy
    if m := _WESTERN_FISCAL.match(raw):
        return FiscalYear(int(m["y"]))
    if m := (_YMD.match(raw) or _YMD_COMPACT.match(raw)):
        return _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if m := _XY_YEAR.match(raw):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if order is None:
            if a > 12 >= b:
                order = "dmy"
            elif b > 12 >= a:
                order = "mdy"
            else:
                return None
        if order == "dmy":
            return _safe_date(y, b, a)
        if order == "mdy":
            return _safe_date(y, a, b)
    return None


def infer_date_order(values: list[str]) -> DateOrder | None:
    """How a column writes year-last dates: "mdy", "dmy" or None when the column contradicts itself.

    Japanese files with the year last come from US-locale Excel exports (3/1/2023 in
    takamatsu_population_by_age_202303.csv is 2023-03-01), so a column with no value that
    proves day-first is read as "mdy".
    """
    first_over_12 = second_over_12 = False
    for value in values:
        m = _XY_YEAR.match(_prepare(value)) if value else None
        if not m:
            continue
        first_over_12 |= int(m["a"]) > 12
        second_over_12 |= int(m["b"]) > 12
    if first_over_12 and second_over_12:
        return None
    return "dmy" if first_over_12 else "mdy"


# 8:30 / 08:30:00 / 8時30分 / 8時 / 8時30分15秒 / 午後1時30分
_CLOCK = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,6}))?)?$")
_KANJI_CLOCK = re.compile(
    r"^(?P<ampm>午前|午後)?(?P<h>\d{1,2})時(?:(?P<m>\d{1,2})分)?(?:(?P<s>\d{1,2})秒)?$"
)
# 24:00 ("until midnight") is common in opening hours; it maps to the last moment of the day.
END_OF_DAY = time(23, 59, 59, 999999)


def parse_time(text: str | None) -> time | None:
    """A time of day; '24:00' (closing at midnight) becomes END_OF_DAY."""
    if text is None:
        return None
    raw = _prepare(text)
    pm = False
    if m := _CLOCK.match(raw):
        h, mi, s = int(m["h"]), int(m["m"]), int(m["s"] or 0)
        micro = int((m["f"] or "0").ljust(6, "0"))
    elif m := _KANJI_CLOCK.match(raw):
        h, mi, s, micro = int(m["h"]), int(m["m"] or 0), int(m["s"] or 0), 0
        pm = m["ampm"] == "午後"
        if m["ampm"] and h > 12:
            return None
        if pm and h < 12:
            h += 12
    else:
        return None
    if h == 24 and mi == 0 and s == 0 and micro == 0:
        return END_OF_DAY
    if h > 23 or mi > 59 or s > 59:
        return None
    return time(h, mi, s, micro)


_DATETIME_SPLIT = re.compile(r"^(?P<d>.+?)(?:T|\s+)(?P<t>\S+)$")


def parse_datetime(text: str | None, *, order: DateOrder | None = None) -> datetime | None:
    """'2023-04-01T08:30:00', '2023/4/1 8:30', '令和5年4月1日 8時30分'; timezone suffixes are kept."""
    if text is None:
        return None
    raw = text.strip()
    try:  # ISO 8601 with an offset, e.g. 2023-04-01T08:30:00+09:00
        return datetime.fromisoformat(raw)
    except ValueError:
        pass
    prepared = _prepare(raw)
    m = _DATETIME_SPLIT.match(prepared) or re.match(
        r"^(?P<d>.+?日)(?P<t>(?:午前|午後)?\d{1,2}時.*)$", prepared
    )
    if not m:
        return None
    day = parse_date(m["d"], order=order)
    clock = parse_time(m["t"])
    if not isinstance(day, date) or clock is None or clock == END_OF_DAY:
        return None
    return datetime.combine(day, clock)
