"""Header rows of a table: where they are, how many, and one clean unique name per column.

Shared by CSV layout analysis and workbook sheets. Rows are lists of cell text ("" = blank).

    rows = [["区", "町", "燃えないゴミ", "", "備考", ""],
            ["",   "",   "第何週",       "曜日", "更新日など", ""]]
    flatten_header(rows) -> ["区", "町", "燃えないゴミ_第何週", "燃えないゴミ_曜日", "備考_更新日など", ""]
    name_columns(["校　名", "", "名称", "名称"], has_data=[True, True, True, True])
        -> names ["校名", "列2", "名称", "名称_2"], dropped [], renamed [("校　名", "校名"), ...]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from .values import is_missing, normalize_header, parse_date, parse_decimal, parse_time

# First-cell text of a 高松市-style metadata block: "#property" names the columns (in English);
# the column under it holds a running number.
PROPERTY_MARKER = "#property"
PROPERTY_COLUMN_NAME = "No"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def filled(row: list[str]) -> int:
    return sum(1 for cell in row if cell and cell.strip())


def is_blank(row: list[str]) -> bool:
    return not any(cell and cell.strip() for cell in row)


def looks_like_value(cell: str) -> bool:
    """A data value rather than a label: a number, date or time (missing markers excluded)."""
    text = cell.strip()
    if not text or is_missing(text):
        return False
    return (
        parse_decimal(text) is not None
        or parse_date(text) is not None
        or parse_time(text) is not None
    )


@dataclass
class HeaderGuess:
    skip_rows: int  # rows above the header (titles, #metadata)
    header_rows: int  # 0 (no header), 1, 2 or 3
    after_header_rows: int = 0  # #object_type_xsd / #property_context rows under a #property header
    titles: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _used_width(row: list[str]) -> int:
    """Position of the last filled cell + 1 (trailing empty fields do not count)."""
    return max((j + 1 for j, cell in enumerate(row) if cell and cell.strip()), default=0)


def _metadata_row(row: list[str]) -> tuple[str, str] | None:
    """'#license,http://...' -> ("license", "http://..."); only short '#key,value' rows count."""
    first = row[0].strip() if row else ""
    if not first.startswith("#") or first == PROPERTY_MARKER:
        return None
    values = [cell.strip() for cell in row[1:] if cell.strip()]
    return first[1:], ",".join(values)


def find_header(rows: list[list[str]], *, max_search: int = 50) -> HeaderGuess:
    """Locate the header among the first rows (`rows` is a sample from the top of the table)."""
    search = rows[:max_search]
    guess = HeaderGuess(skip_rows=0, header_rows=1)
    property_at = next(
        (i for i, r in enumerate(search) if r and r[0].strip() == PROPERTY_MARKER), None
    )
    if property_at is not None:
        # 高松市 convention: #LINK/#lang/#license... above, #object_type_xsd/#property_context below
        for r in search[:property_at]:
            if (kv := _metadata_row(r)) is not None:
                guess.metadata[kv[0]] = kv[1]
        extra = 0
        for r in search[property_at + 1 :]:
            kv = _metadata_row(r)
            if kv is None:
                break
            guess.metadata[kv[0]] = kv[1]
            extra += 1
        guess.skip_rows = property_at
        guess.header_rows = 1
        guess.after_header_rows = extra
        return guess
    for i, row in enumerate(search):
        if is_blank(row):
            continue
        kv = _metadata_row(row)
        if kv is not None and filled(row) <= 2:
            guess.metadata[kv[0]] = kv[1]
            continue
        below = [r for r in rows[i + 1 : i + 51] if not is_blank(r)]
        following = [filled(r) for r in below]
        typical = median(following) if following else filled(row)
        # a header names (nearly) every column: at least 2 cells once the data use 2 columns
        used_width = max((_used_width(r) for r in below), default=_used_width(row))
        needed = max(min(2, used_width), (typical + 1) // 2)
        if filled(row) >= needed:
            guess.skip_rows = i
            cells = [c for c in row if c.strip()]
            if following and sum(looks_like_value(c) for c in cells) * 2 >= len(cells):
                guess.header_rows = 0
                guess.warnings.append(
                    "見出し行が見つかりません。列名を自動で付けました / no header row found; columns were named automatically"
                )
            else:
                guess.header_rows = 1 + sub_header_rows(row, rows[i + 1 : i + 60])
            return guess
        guess.titles.append(" ".join(c.strip() for c in row if c.strip()))
    guess.skip_rows = len(search)
    return guess


def sub_header_rows(header: list[str], below: list[list[str]]) -> int:
    """How many rows under `header` continue it (0–2): a group label spanning several columns
    leaves blanks on its right, and the row below names the sub-columns (第何週 / 曜日)."""
    count = 0
    upper = header
    for candidate in below[:2]:
        if not _continues(upper, candidate, below[count + 1 : count + 51]):
            break
        count += 1
        upper = candidate
    return count


def _continues(upper: list[str], candidate: list[str], data: list[list[str]]) -> bool:
    width = max(len(upper), len(candidate))
    up = [upper[j].strip() if j < len(upper) else "" for j in range(width)]
    cand = [candidate[j].strip() if j < len(candidate) else "" for j in range(width)]
    spans = any(not up[j] and cand[j] and any(up[k] for k in range(j)) for j in range(1, width))
    values = [c for c in cand if c]
    if not spans or len(values) < 2 or any(looks_like_value(c) for c in values):
        return False
    # a sub-header leaves the cells under single-column labels blank (区 over nothing), or
    # labels columns whose data are numbers; a data row of text does neither
    blank_under_label = any(up[j] and not cand[j] for j in range(width))
    if not blank_under_label and not any(
        cand[j] and _mostly_values([r[j] for r in data if j < len(r)]) for j in range(width)
    ):
        return False
    # labels do not repeat as values further down the same column; data does
    repeats = 0
    for j, cell in enumerate(cand):
        if cell and sum(1 for r in data if j < len(r) and r[j].strip() == cell) >= 2:
            repeats += 1
    return repeats * 2 < len(values)


def _mostly_values(cells: list[str]) -> bool:
    present = [c for c in cells if c.strip() and not is_missing(c)]
    return bool(present) and sum(map(looks_like_value, present)) >= 0.6 * len(present)


def flatten_header(rows: list[list[str]], width: int | None = None) -> list[str]:
    """One raw name per column from 1–3 header rows; group labels fill right over their span."""
    width = width or max((len(r) for r in rows), default=0)
    grid = [[(r[j].strip() if j < len(r) and r[j] else "") for j in range(width)] for r in rows]
    names: list[str] = []
    carry = [""] * len(grid)
    for j in range(width):
        parts: list[str] = []
        for level, row in enumerate(grid):
            cell = row[j]
            lower_has_value = any(grid[k][j] for k in range(level + 1, len(grid)))
            if cell:
                carry[level] = cell
                for deeper in range(level + 1, len(grid)):
                    carry[deeper] = ""
            elif lower_has_value:
                cell = carry[level]
            else:
                carry[level] = ""
            if cell and (not parts or parts[-1] != cell):
                parts.append(cell)
        names.append("_".join(parts))
    return names


@dataclass
class ColumnNames:
    names: list[str]  # one per kept column
    kept: list[int]  # source column index of each kept column
    dropped: list[int]  # blank header and no data
    renamed: list[tuple[str, str]]


def name_columns(
    raw: list[str], has_data: list[bool], *, japanese: bool | None = None
) -> ColumnNames:
    """Final column names: normalised, blank ones numbered (列3 / column_3), duplicates numbered
    (名称_2; DuckDB names are case-insensitive, so 'Name' and 'name' count as duplicates)."""
    if japanese is None:
        japanese = any(_CJK.search(name) for name in raw)
    names: list[str] = []
    kept: list[int] = []
    dropped: list[int] = []
    renamed: list[tuple[str, str]] = []
    seen: set[str] = set()
    for j, original in enumerate(raw):
        name = normalize_header(original)
        if name == PROPERTY_MARKER:
            name = PROPERTY_COLUMN_NAME
        if not name:
            if not (j < len(has_data) and has_data[j]):
                dropped.append(j)
                continue
            name = f"列{j + 1}" if japanese else f"column_{j + 1}"
        base, n = name, 1
        while name.lower() in seen:
            n += 1
            name = f"{base}_{n}"
        seen.add(name.lower())
        if name != original:
            renamed.append((original, name))
        names.append(name)
        kept.append(j)
    return ColumnNames(names, kept, dropped, renamed)
