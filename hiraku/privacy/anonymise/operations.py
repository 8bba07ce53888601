"""Row-level anonymisation steps (施行規則第62条 measures 1, 4, 5). Each is a pure function
Table -> Table that appends one step to the ProcessingRecord.

    drop_columns(t, rec, columns=["氏名"])
    mask_columns(t, rec, columns=["電話番号"], keep_start=3)
    age_bands(t, rec, column="年齢", scheme="three")      # 0-14 / 15-64 / 65+
    generalise_date(t, rec, column="生年月日", to="year")
    generalise_address(t, rec, column="住所", level="chome")
    top_bottom_code(t, rec, column="年齢", top=90)
    k_anonymity(t, rec, quasi_identifiers=["年齢帯", "町丁目"], k=5)
"""

import re
from collections import Counter

from ..detectors import normalize
from .record import AnonymiseError, ProcessingRecord, Table


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(normalize(str(value)).rstrip("歳"))
    except ValueError:
        return None


def drop_columns(table: Table, record: ProcessingRecord, *, columns: list[str]) -> Table:
    keep = [i for i, name in enumerate(table.columns) if name not in columns]
    for name in columns:
        table.index(name)
    rows = [[row[i] if i < len(row) else "" for i in keep] for row in table.rows]
    record.add("drop_columns", {"columns": columns}, rows_in=len(rows), rows_out=len(rows))
    return Table([table.columns[i] for i in keep], rows)


def mask_columns(
    table: Table,
    record: ProcessingRecord,
    *,
    columns: list[str],
    keep_start: int = 0,
    keep_end: int = 0,
    char: str = "*",
) -> Table:
    """Replace characters by `char`, keeping `keep_start`/`keep_end` (no regularity to undo)."""
    indexes = [table.index(c) for c in columns]
    rows = [list(r) for r in table.rows]
    for row in rows:
        for i in indexes:
            text = "" if i >= len(row) or row[i] is None else str(row[i])
            if text:
                hidden = max(0, len(text) - keep_start - keep_end)
                row[i] = text[:keep_start] + char * hidden + (text[-keep_end:] if keep_end else "")
    record.add(
        "mask_columns",
        {"columns": columns, "keep_start": keep_start, "keep_end": keep_end},
        rows_in=len(rows),
        rows_out=len(rows),
    )
    return Table(list(table.columns), rows)


def age_band(age: float | None, scheme: str) -> str:
    if age is None or age < 0:
        return ""
    if scheme == "three":
        return "0-14" if age < 15 else "15-64" if age < 65 else "65+"
    low = int(age // 5) * 5
    return f"{low}-{low + 4}"


def age_bands(
    table: Table, record: ProcessingRecord, *, column: str, scheme: str = "5y", into: str = ""
) -> Table:
    """Ages → 5-year bands ("35-39") or the three bands 0-14 / 15-64 / 65+."""
    if scheme not in ("5y", "three"):
        raise AnonymiseError("scheme は 5y か three です", "scheme must be 5y or three")
    i = table.index(column)
    target = into or column
    columns = list(table.columns)
    if target not in columns:
        columns.append(target)
    j = columns.index(target)
    rows = []
    for row in table.rows:
        row = list(row) + [""] * (len(columns) - len(row))
        row[j] = age_band(_number(row[i]), scheme)
        rows.append(row)
    record.add(
        "age_bands",
        {"column": column, "scheme": scheme, "into": target},
        rows_in=len(rows),
        rows_out=len(rows),
    )
    return Table(columns, rows)


_DATE = re.compile(r"^(\D*?)(\d{1,4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?")


def generalise_date(table: Table, record: ProcessingRecord, *, column: str, to: str) -> Table:
    """'1985-04-01' → '1985-04' (month) or '1985' (year); 和暦 '昭和60年4月1日' → '昭和60年'."""
    if to not in ("month", "year"):
        raise AnonymiseError("to は month か year です", "to must be month or year")
    i = table.index(column)
    rows, unparsed = [], 0
    for row in table.rows:
        row = list(row)
        text = normalize(str(row[i] or ""))
        match = _DATE.match(text)
        if match:
            era, year, month = match.group(1), match.group(2), int(match.group(3))
            if era:
                row[i] = f"{era}{year}年" + (f"{month}月" if to == "month" else "")
            else:
                row[i] = year + (f"-{month:02d}" if to == "month" else "")
        elif text:
            row[i], unparsed = "", unparsed + 1
        rows.append(row)
    record.add(
        "generalise_date",
        {"column": column, "to": to},
        rows_in=len(rows),
        rows_out=len(rows),
        suppressed=unparsed,
        note="unparsed dates blanked" if unparsed else "",
    )
    return Table(list(table.columns), rows)


_KANJI = "一二三四五六七八九十"
_CHOME = re.compile(rf"^(.*?(?:[0-9]+|[{_KANJI}]+)丁目)")
_FIRST_NUMBER = re.compile(rf"[0-9{_KANJI}]+(?:丁目|番地?|号|-|$)")
_HYPHEN_CHOME = re.compile(r"^(\D*?)([0-9]+)-[0-9]+-[0-9]+")


def address_at(text: str, level: str) -> str:
    """'会津若松市追手町1-2-3' → chome: '会津若松市追手町1丁目', oaza: '会津若松市追手町';
    '番町五丁目1番16号' → chome: '番町五丁目', oaza: '番町'; '大字門田1234番地' → '大字門田'."""
    text = normalize(text)
    if level == "chome":
        if match := _CHOME.match(text):
            return match.group(1)
        if match := _HYPHEN_CHOME.match(text):
            return f"{match.group(1)}{match.group(2)}丁目"
    match = _FIRST_NUMBER.search(text)
    return text[: match.start()].rstrip("字 　") if match else text


def generalise_address(
    table: Table, record: ProcessingRecord, *, column: str, level: str = "chome"
) -> Table:
    """Strip 番地/号: keep 町丁目 (level chome) or only 大字/町 (level oaza)."""
    if level not in ("chome", "oaza"):
        raise AnonymiseError("level は chome か oaza です", "level must be chome or oaza")
    i = table.index(column)
    rows = [list(r) for r in table.rows]
    for row in rows:
        if row[i]:
            row[i] = address_at(str(row[i]), level)
    record.add(
        "generalise_address",
        {"column": column, "level": level},
        rows_in=len(rows),
        rows_out=len(rows),
    )
    return Table(list(table.columns), rows)


def top_bottom_code(
    table: Table,
    record: ProcessingRecord,
    *,
    column: str,
    top: float | None = None,
    bottom: float | None = None,
) -> Table:
    """Values ≥ top become '90以上'; values ≤ bottom become '5以下' (rare extremes, measure 4)."""
    i = table.index(column)
    rows, coded = [], 0
    for row in table.rows:
        row = list(row)
        value = _number(row[i])
        if value is not None and top is not None and value >= top:
            row[i], coded = f"{top:g}以上", coded + 1
        elif value is not None and bottom is not None and value <= bottom:
            row[i], coded = f"{bottom:g}以下", coded + 1
        rows.append(row)
    record.add(
        "top_bottom_code",
        {"column": column, "top": top, "bottom": bottom},
        rows_in=len(rows),
        rows_out=len(rows),
        note=f"{coded} values coded",
    )
    return Table(list(table.columns), rows)


def k_anonymity(
    table: Table, record: ProcessingRecord, *, quasi_identifiers: list[str], k: int = 5
) -> Table:
    """Suppress (remove) records whose combination of quasi-identifiers occurs fewer than k times."""
    if k < 2:
        raise AnonymiseError("k は2以上です", "k must be at least 2")
    indexes = [table.index(c) for c in quasi_identifiers]

    def key(row):
        return tuple(row[i] if i < len(row) else "" for i in indexes)

    counts = Counter(key(row) for row in table.rows)
    rows = [list(row) for row in table.rows if counts[key(row)] >= k]
    record.add(
        "k_anonymity",
        {"quasi_identifiers": quasi_identifiers, "k": k},
        rows_in=len(table.rows),
        rows_out=len(rows),
        suppressed=len(table.rows) - len(rows),
    )
    return Table(list(table.columns), rows)
