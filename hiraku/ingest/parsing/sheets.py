"""Workbooks (xlsx, xls, ods) as tables: one SheetTable per non-empty sheet.

    read_workbook("kobe_school_children_20150501_merged_header.xlsx", "xlsx")
        -> [SheetTable(name="幼稚園", columns=["園名", "学級数_計", "学級数_3歳児", ...],
                       rows=[["前年5月", "117", "3", ...], ...], subtotal_rows=[1, 2, ...]), ...]

Merged header cells are spread over their span so 児童数 over １年…６年 flattens to
"児童数_1年"; title rows above the header are skipped (kept in `titles`); 注/※ lines below
the table go to `notes`; subtotal rows (中央区計, 合計) stay in the data and are listed.
Dates come out as ISO text, numbers as canonical text ("2011", "552.83").
python-calamine (Rust) reads all three formats, far faster than openpyxl/xlrd/odfpy.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from .errors import ParseError
from .header import PROPERTY_MARKER, filled, find_header, flatten_header, is_blank, name_columns
from .header import sub_header_rows as sub_header_rows_by_spans
from .layout import trailing_block

MAX_UNCOMPRESSED_BYTES = 1 << 30  # all members of an xlsx/ods together, once inflated
MAX_MEMBER_RATIO = 100  # inflated / compressed size of one member; real sheets stay below ~20
MAX_CELLS = 20_000_000  # rows x columns of one sheet
_SUBTOTAL = re.compile(r"(?:計|合計|小計|総計|総数|累計)$")


@dataclass
class SheetTable:
    name: str
    columns: list[str]
    rows: list[list[str | None]]
    notes: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    subtotal_rows: list[int] = field(default_factory=list)  # indices into `rows`
    header_rows: int = 1
    first_data_row: int = 0  # 1-based sheet row of rows[0], for messages


def cell_text(value: object) -> str:
    """One cell as canonical text: 2011.0 -> "2011", 0.1+0.2 -> "0.3", dates as ISO 8601."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        # 15 significant digits, as Excel shows them; never scientific notation
        return format(Decimal(format(value, ".15g")).normalize(), "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return str(value)


def _guard_zip(path: str, label: str) -> None:
    """Refuse ZIP bombs and damaged archives before any XML is parsed."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as err:
        raise ParseError(
            "ファイルが壊れているか途中で切れています（ZIP として開けません）",
            f"the file is damaged or truncated (not a readable ZIP: {err})",
            file=label,
        ) from None
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ParseError(
            f"展開後のサイズが大きすぎます（{total:,} バイト。上限 {MAX_UNCOMPRESSED_BYTES:,}）",
            f"the workbook inflates to {total:,} bytes (limit {MAX_UNCOMPRESSED_BYTES:,}): refused as a ZIP bomb",
            file=label,
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_MEMBER_RATIO and info.file_size > (10 << 20):
            raise ParseError(
                f"圧縮率が異常に高い部品 {info.filename} があります（{ratio:.0f} 倍）",
                f"member {info.filename} inflates {ratio:.0f}x: refused as a ZIP bomb",
                file=label,
            )


def _open_workbook(path: str, kind: str, label: str):
    from python_calamine import CalamineWorkbook

    if kind in ("xlsx", "ods"):
        _guard_zip(path, label)
    try:
        return CalamineWorkbook.from_path(path)
    except Exception as err:  # calamine raises several error types for damaged files
        raise ParseError(
            f"ワークブックを開けません。ファイルが壊れているか途中で切れています（{kind}）",
            f"cannot open the {kind} workbook: the file is damaged or truncated ({err})",
            file=label,
        ) from None


def _spread_merges(grid: list[list[str]], merges: list) -> None:
    """Copy each merged range's top-left value over the range, except ranges that are the only
    content of their row (a title or a note merged across the page)."""
    for (r0, c0), (r1, c1) in merges:
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        value = grid[r0][c0]
        if not value:
            continue
        others = [v for c, v in enumerate(grid[r0]) if v and not (c0 <= c <= c1)]
        if not others and r1 == r0:
            continue
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            for c in range(c0, min(c1, len(grid[r]) - 1) + 1):
                if not grid[r][c]:
                    grid[r][c] = value


def _fill_down(rows: list[list[str]], merges: list, first: int) -> int:
    """Data rows: a cell merged down over several rows in one column (区 beside each of its
    facilities) holds its value in the top cell only; every row it covers gets it, so each
    row stands alone. Ranges across columns keep their value once. Returns cells filled."""
    filled_cells = 0
    for (r0, c0), (r1, c1) in merges:
        if c1 != c0 or r1 <= r0 or r0 < first or r0 - first >= len(rows):
            continue
        top = rows[r0 - first]
        value = top[c0] if c0 < len(top) else ""
        if not value:
            continue
        for r in range(r0 + 1, min(r1, first + len(rows) - 1) + 1):
            row = rows[r - first]
            if c0 < len(row) and not row[c0]:
                row[c0] = value
                filled_cells += 1
    return filled_cells


def _header_depth(grid: list[list[str]], merges: list, at: int, by_spans: int) -> int:
    """Rows in the header starting at row `at`: merged cells that span columns (or reach down)
    from a header row mean the next row names the sub-columns."""
    depth = 1
    while depth < 3:
        row = at + depth - 1
        spans_down = [r1 for (r0, _c0), (r1, _c1) in merges if r0 == row and r1 > row]
        spans_across = [1 for (r0, c0), (r1, c1) in merges if r0 == row and c1 > c0]
        if spans_down and max(spans_down) >= row + 1:
            depth = max(depth + 1, min(max(spans_down) - at + 1, 3))
            continue
        if spans_across and at + depth < len(grid) and filled(grid[at + depth]) >= 2:
            depth += 1
            continue
        break
    return max(depth, 1 + by_spans)


def _sheet_table(name: str, values: list[list], merges: list, label: str) -> SheetTable | None:
    raw = [[cell_text(v) for v in row] for row in values]
    if all(is_blank(r) for r in raw):
        return None
    grid = [list(r) for r in raw]
    _spread_merges(grid, merges)
    guess = find_header(grid)
    at = guess.skip_rows
    if at >= len(grid):
        return None
    if guess.header_rows == 0:
        depth = 0
    elif raw[at] and raw[at][0].strip() == PROPERTY_MARKER:
        depth = 1
    else:
        depth = _header_depth(
            grid, merges, at, sub_header_rows_by_spans(raw[at], raw[at + 1 : at + 60])
        )
    start = at + depth + guess.after_header_rows
    width = max(len(r) for r in grid)
    body = raw[start:]
    trailing, notes = trailing_block(body, width, 0)
    body = [list(r) for r in body[: len(body) - trailing]]
    filled_down = _fill_down(body, merges, start)
    kept_rows = [(start + i, r) for i, r in enumerate(body) if not is_blank(r)]
    header = flatten_header(grid[at : at + depth], width) if depth else [""] * width
    has_data = [any(j < len(r) and r[j].strip() for _, r in kept_rows) for j in range(width)]
    naming = name_columns(header, has_data, japanese=None if depth else True)
    table = SheetTable(
        name=name,
        columns=naming.names,
        rows=[
            [(r[j] if j < len(r) and r[j] != "" else None) for j in naming.kept]
            for _, r in kept_rows
        ],
        notes=notes,
        renamed=naming.renamed,
        warnings=list(guess.warnings),
        titles=guess.titles,
        header_rows=depth,
        first_data_row=kept_rows[0][0] + 1 if kept_rows else start + 1,
    )
    if filled_down:
        table.warnings.append(
            f"縦に結合されたセルの値を、結合範囲の各行に入れました（{filled_down} セル） / "
            f"values of cells merged down over several rows were repeated on each row "
            f"({filled_down} cells)"
        )
    table.subtotal_rows = [
        i
        for i, row in enumerate(table.rows)
        if row and row[0] and _SUBTOTAL.search(re.sub(r"\s", "", row[0]))
    ]
    if table.subtotal_rows:
        first = table.subtotal_rows[0]
        table.warnings.append(
            f"小計・合計の行が {len(table.subtotal_rows)} 行あります（例: {table.rows[first][0]}）。集計すると二重に数えます / "
            f"{len(table.subtotal_rows)} subtotal rows (e.g. {table.rows[first][0]}) are kept: summing the column counts them twice"
        )
    if not table.rows:
        table.warnings.append("データ行がありません / the sheet has a header but no data rows")
    return table


def read_workbook(path: str, kind: str, *, max_cells: int = MAX_CELLS) -> list[SheetTable]:
    """Every non-empty sheet of an xlsx / xls / ods file as a table."""
    label = os.path.basename(path)
    if kind not in ("xlsx", "xls", "ods"):
        raise ParseError(
            f"ワークブックではありません（{kind}）", f"not a workbook ({kind})", file=label
        )
    workbook = _open_workbook(path, kind, label)
    tables: list[SheetTable] = []
    try:
        for sheet_name in workbook.sheet_names:
            try:
                sheet = workbook.get_sheet_by_name(sheet_name)
                # the sheet is read from A1 (skip_empty_area=False), so its size runs to `end`
                end = sheet.end or (0, 0)
                n_rows, n_cols = end[0] + 1, end[1] + 1
                if n_rows * n_cols > max_cells:
                    raise ParseError(
                        f"シート「{sheet_name}」が大きすぎます（{n_rows:,} 行 × {n_cols:,} 列）",
                        f"sheet {sheet_name!r} is too large ({n_rows:,} rows x {n_cols:,} columns; limit {max_cells:,} cells)",
                        file=label,
                    )
                values = sheet.to_python(skip_empty_area=False)
                # merged_cell_ranges came with newer python-calamine releases; without it headers
                # still flatten by the blank-span rule
                merges = list(getattr(sheet, "merged_cell_ranges", None) or [])
            except ParseError:
                raise
            except Exception as err:
                raise ParseError(
                    f"シート「{sheet_name}」を読めません。ファイルが壊れている可能性があります",
                    f"cannot read sheet {sheet_name!r}: the file may be damaged ({err})",
                    file=label,
                ) from None
            table = _sheet_table(sheet_name, values, merges, label)
            if table is not None:
                tables.append(table)
    finally:
        workbook.close()
    return tables
