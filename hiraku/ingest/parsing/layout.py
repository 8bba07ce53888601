"""The layout of a UTF-8 CSV as cities publish it: titles and #metadata above the header,
multi-row headers, blank columns, ragged rows and a notes block below the table.

    layout = analyze_csv("garbage_utf8.csv")      # kobe_garbage_days_by_address (transcoded)
    layout.skip_rows, layout.header_rows        -> 0, 2
    layout.columns[:5]  -> ["区", "町", "番地_丁番地", "燃えるゴミ_毎週", "燃えないゴミボンベ・スプレー_第何週"]
    layout.data_row_limit                       -> 2753
    for row in iter_csv_rows("garbage_utf8.csv", layout): ...   # data rows only
    duckdb.sql(f"SELECT {layout.duckdb_select_list()} FROM read_csv(?, ...)")  # big files

Row numbers: `skip_rows`, `header_rows`, `notes_start_row` count CSV records from 0 (a record
is one physical line unless a quoted field holds a line break); `ragged_rows` are 1-based
record numbers, as shown to users.
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from .dialect import sniff_delimiter
from .errors import ParseError
from .header import find_header, flatten_header, is_blank, name_columns

DEFAULT_MAX_CELL_CHARS = 16 << 20  # one cell (or one line) larger than this is refused
DEFAULT_MAX_COLUMNS = 4096
_TAIL_BYTES = 256 << 10
_HEAD_CHARS = 16 << 20
_READ_WHOLE_BYTES = 4 << 20  # smaller files are analysed completely, whatever sample_rows says

# csv's own limit (128 Ki characters) would reject legitimate long cells (GeoJSON-in-CSV,
# long 備考) before our explicit, better-worded check; raise it once for the process.
if csv.field_size_limit() < DEFAULT_MAX_CELL_CHARS * 2:
    csv.field_size_limit(DEFAULT_MAX_CELL_CHARS * 2)

# Lines of a notes block under a table: 注, （注）, 注1, ※, ＊, 出典, 資料, 備考:, (参考), 1) ...
_NOTE_START = re.compile(
    r"^(?:[（(［\[〔]?注[記意）)\]］〕\s　:：0-9０-９．.、]|[（(［\[〔]?注$|※|＊|\*|"
    r"出典|資料[:：）)]|資料$|備考[:：]|[（(]参考[）)]|参考[:：]|[0-9０-９]+[)）]|[①-⑳])"
)


@dataclass
class CsvLayout:
    path: str
    delimiter: str
    quotechar: str = '"'
    skip_rows: int = 0  # title / #metadata records above the header
    header_rows: int = 1  # 0 = no header, 2+ = flattened multi-row header
    after_header_rows: int = 0  # #object_type_xsd, #property_context under a #property header
    skip_lines: int = 0  # physical lines before the first data row (DuckDB's `skip`)
    width: int = 0  # fields per record in the source, dropped columns included
    columns: list[str] = field(default_factory=list)  # final unique names of kept columns
    kept: list[int] = field(default_factory=list)  # source index of each kept column
    renamed: list[tuple[str, str]] = field(default_factory=list)
    blank_columns: list[int] = field(default_factory=list)  # dropped source indices (0-based)
    notes_start_row: int | None = None  # first record of the trailing notes / blank block
    trailing_rows: int = 0  # records in that block (drop them from the end)
    # non-empty data records before the notes (DuckDB skips empty lines): SQL LIMIT for them
    data_row_limit: int | None = None
    notes: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # title rows above the header
    metadata: dict[str, str] = field(default_factory=dict)  # "#license,..." lines
    ragged_rows: list[int] = field(default_factory=list)  # sample of 1-based record numbers
    ragged_field_counts: list[int] = field(default_factory=list)  # fields in each ragged row
    expected_fields: int = 0  # fields in most records (the header's width, normally)
    max_line_chars: int = 0
    row_count: int | None = None  # non-blank data rows, when the whole file was read
    warnings: list[str] = field(default_factory=list)

    @property
    def data_start_row(self) -> int:
        return self.skip_rows + self.header_rows + self.after_header_rows

    def source_names(self) -> list[str]:
        """A name for every source column; dropped blank columns get a placeholder."""
        names = [f"_hiraku_blank_{j + 1}" for j in range(self.width)]
        for name, j in zip(self.columns, self.kept, strict=True):
            names[j] = name
        return names

    def duckdb_read_csv_options(self) -> dict:
        """Options for DuckDB's read_csv on the UTF-8 file. Apply `data_row_limit` (LIMIT) or
        drop `trailing_rows` yourself, and select `duckdb_select_list()` to skip blank columns.

            {"delim": ",", "quote": '"', "escape": '"', "skip": 9, "header": False,
             "names": [...], "all_varchar": True, "null_padding": True, "strict_mode": False,
             "max_line_size": 2097152, "encoding": "utf-8"}
        """
        ragged = bool(self.ragged_rows)
        return {
            "delim": self.delimiter,
            "quote": self.quotechar,
            "escape": self.quotechar,
            "skip": self.skip_lines,
            "header": False,
            "names": self.source_names(),
            "all_varchar": True,
            "null_padding": True,
            "strict_mode": not ragged,
            "max_line_size": max(2 << 20, 2 * self.max_line_chars * 4),
            "encoding": "utf-8",
        }

    def duckdb_select_list(self) -> str:
        def quote(name: str) -> str:
            return '"' + name.replace('"', '""') + '"'

        return ", ".join(quote(name) for name in self.columns)


def _file_label(path: str) -> str:
    return os.path.basename(path)


def _not_utf8(path: str, row: int | None, err: UnicodeDecodeError) -> ParseError:
    return ParseError(
        "UTF-8 として読めないバイト列があります。ファイルの途中で文字コードが変わっている（混在している）"
        "可能性があります",
        f"bytes that are not valid UTF-8 ({err.reason}): the file may mix encodings",
        file=_file_label(path),
        row=row,
    )


def _bounded_lines(
    f, path: str, delimiter: str, max_chars: int, counter: list[int]
) -> Iterator[str]:
    """Lines of `f`, refusing any line longer than `max_chars` before it is read whole."""
    while True:
        line = f.readline(max_chars + 1)
        if not line:
            return
        counter[0] += 1
        if len(line) > max_chars and not line.endswith("\n"):
            # fields opened so far: delimiters outside quotes sit in the even pieces between
            # quote characters (an escaped "" toggles twice, so it keeps the count right)
            outside = line.split('"')[0::2]
            raise ParseError(
                f"1つのセルまたは行が大きすぎます（上限 {max_chars:,} 文字）",
                f"a cell or line is larger than the limit of {max_chars:,} characters",
                file=_file_label(path),
                row=counter[0],
                column=sum(piece.count(delimiter) for piece in outside) + 1,
            )
        yield line


def _read_records(
    path: str, delimiter: str, max_chars: int, *, limit: int | None = None, seek: int = 0
) -> Iterator[tuple[int, list[str]]]:
    """(physical lines read so far, record) for each record; oversize cells raise ParseError."""
    counter = [0]
    if seek:
        # start after the first line break at or past `seek` (a byte offset): LF is never part
        # of a UTF-8 multibyte character, so that is a clean character boundary
        with open(path, "rb") as raw:
            raw.seek(seek)
            raw.readline()
            seek = raw.tell()
    # utf-8-sig: a byte order mark at the start is not part of the first cell (Excel's "CSV
    # UTF-8" files go to DuckDB untranscoded, and DuckDB skips the mark too)
    with open(path, encoding="utf-8" if seek else "utf-8-sig", newline="") as f:
        if seek:
            f.seek(seek)  # a byte position at a line start: valid for the stateless UTF-8 codec
        reader = csv.reader(
            _bounded_lines(f, path, delimiter, max_chars, counter),
            delimiter=delimiter,
            quotechar='"',
            strict=False,
        )
        n = 0
        while limit is None or n < limit:
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as err:
                raise _not_utf8(path, counter[0] + 1, err) from None
            except csv.Error as err:
                raise ParseError(
                    f"CSV として読めません（{err}）",
                    f"not readable as CSV ({err})",
                    file=_file_label(path),
                    row=counter[0],
                ) from None
            for j, cell in enumerate(row):
                if len(cell) > max_chars:
                    raise ParseError(
                        f"セルが大きすぎます（上限 {max_chars:,} 文字）",
                        f"a cell is larger than the limit of {max_chars:,} characters",
                        file=_file_label(path),
                        row=n + 1,
                        column=j + 1,
                    )
            n += 1
            yield counter[0], row


def _note_kind(row: list[str], width: int) -> str | None:
    """'blank', 'note' or None (a data row) for a row in the trailing block."""
    cells = [c.strip() for c in row]
    positions = [j for j, c in enumerate(cells) if c]
    if not positions:
        return "blank"
    first = cells[positions[0]]  # column A is often left empty as a margin
    if _NOTE_START.match(first) and len(positions) <= 2:
        return "note"
    if width >= 3 and len(positions) == 1 and positions[0] <= 1:
        return "note"
    return None


def _empty_lines(window: bytes, skip: int) -> int:
    """Empty lines (a line break right after a line break) ending after `skip` bytes."""
    count = 0
    for needle in (b"\n\n", b"\n\r\n"):
        at = window.find(needle)
        while at != -1:  # one find per empty line: they are rare
            count += at + len(needle) > skip
            at = window.find(needle, at + 1)
    return count


def count_records(path: str, delimiter: str) -> tuple[int, int]:
    """(records, non-empty records) of a whole file, as fast as its quoting allows.

    Without any quote character a record is a line, so bytes are counted (memchr speed);
    otherwise the csv module walks the file (a quoted field may hold line breaks).
    """
    with open(path, "rb") as f:
        quoted = any(b'"' in chunk for chunk in iter(lambda: f.read(8 << 20), b""))
    if quoted:
        records = empties = 0
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.reader(f, delimiter=delimiter, quotechar='"', strict=False):
                records += 1
                empties += not row
        return records, records - empties
    lines = empties = 0
    prev = b"\n"  # the start of the file counts as just after a line break
    with open(path, "rb") as f:
        while chunk := f.read(8 << 20):
            lines += chunk.count(b"\n")
            window = prev + chunk
            # matches inside `prev` were counted with the previous chunk
            empties += _empty_lines(window, len(prev))
            prev = chunk[-2:]
    if prev and not prev.endswith(b"\n"):
        lines += 1  # a last line without a line break
    return lines, lines - empties


def trailing_block(rows: list[list[str]], width: int, not_before: int) -> tuple[int, list[str]]:
    """(records in the trailing blank/notes block, note texts) for the last rows of a file."""
    size = 0
    notes: list[str] = []
    for i in range(len(rows) - 1, not_before - 1, -1):
        kind = _note_kind(rows[i], width)
        if kind is None:
            break
        size += 1
        if kind == "note":
            notes.append(" ".join(c.strip() for c in rows[i] if c.strip()))
    return size, list(reversed(notes))


def analyze_csv(
    utf8_path: str,
    *,
    sample_rows: int = 2000,
    delimiter: str | None = None,
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS,
    max_columns: int = DEFAULT_MAX_COLUMNS,
    allow_empty: bool = False,
) -> CsvLayout:
    """Work out the layout of a UTF-8 CSV (LF, CRLF or CR newlines; with or without a byte
    order mark).

    Reads the head (`sample_rows` records after the header) and the tail of the file, or all
    of it when it is small. ParseError for an empty file, a header without data (unless
    `allow_empty`), more than `max_columns` columns, or a cell over `max_cell_chars`.
    """
    label = _file_label(utf8_path)
    if os.path.getsize(utf8_path) == 0:
        raise ParseError("ファイルが空です", "the file is empty", file=label)
    try:
        with open(utf8_path, encoding="utf-8-sig", newline="") as f:
            head_text = f.read(256 << 10)
    except UnicodeDecodeError as err:
        raise _not_utf8(utf8_path, None, err) from None
    if not head_text.strip():
        raise ParseError(
            "ファイルに内容がありません（空白だけです）",
            "the file holds only blank lines",
            file=label,
        )
    delimiter = delimiter or sniff_delimiter(head_text) or ","

    head: list[list[str]] = []
    line_ends: list[int] = []
    whole = True
    chars = 0
    read_whole = os.path.getsize(utf8_path) <= _READ_WHOLE_BYTES
    for lines_read, row in _read_records(utf8_path, delimiter, max_cell_chars):
        head.append(row)
        line_ends.append(lines_read)
        chars += sum(map(len, row))
        if not read_whole and (len(head) >= sample_rows + 100 or chars > _HEAD_CHARS):
            whole = False
            break

    widths = Counter(len(r) for r in head if not is_blank(r))
    width = max(widths) if widths else 0
    header_width = max((len(r) for r in head[:60]), default=0)
    if header_width > max_columns or width > max_columns:
        raise ParseError(
            f"列が多すぎます（{max(width, header_width):,} 列。上限 {max_columns:,} 列）",
            f"too many columns ({max(width, header_width):,}; the limit is {max_columns:,})",
            file=label,
            row=1,
            column=max_columns + 1,
        )
    mode_width = widths.most_common(1)[0][0] if widths else 0

    guess = find_header(head)
    layout = CsvLayout(path=utf8_path, delimiter=delimiter, width=width)
    layout.skip_rows, layout.header_rows = guess.skip_rows, guess.header_rows
    layout.after_header_rows = guess.after_header_rows
    layout.titles, layout.metadata = guess.titles, guess.metadata
    layout.warnings.extend(guess.warnings)
    start = layout.data_start_row
    if start > len(head):
        start = len(head)
    layout.skip_lines = line_ends[start - 1] if start else 0
    layout.max_line_chars = max((sum(map(len, r)) + len(r) for r in head), default=0)

    # the trailing block: from the rows read, or from the last 256 KiB of a big file.
    # DuckDB skips empty lines, so data_row_limit (its LIMIT) counts non-empty records only.
    if whole:
        trailing, layout.notes = trailing_block(head, width, start)
        layout.notes_start_row = len(head) - trailing if trailing else None
        data = head[start : len(head) - trailing]
        layout.data_row_limit = sum(1 for r in data if r)
    else:
        size = os.path.getsize(utf8_path)
        tail_seek = max(0, size - _TAIL_BYTES)
        tail = [r for _, r in _read_records(utf8_path, delimiter, max_cell_chars, seek=tail_seek)]
        trailing, layout.notes = trailing_block(tail, width, 0)
        if trailing:
            records, non_empty = count_records(utf8_path, delimiter)
            layout.notes_start_row = records - trailing
            trailing_non_empty = sum(1 for r in tail[len(tail) - trailing :] if r)
            head_non_empty = sum(1 for r in head[:start] if r)
            layout.data_row_limit = non_empty - trailing_non_empty - head_non_empty
    layout.trailing_rows = trailing

    header_rows = head[layout.skip_rows : layout.skip_rows + layout.header_rows]
    data_end = layout.notes_start_row if whole and layout.notes_start_row is not None else len(head)
    data = head[start:data_end]
    raw_names = flatten_header(header_rows, width) if header_rows else [""] * width
    has_data = [any(j < len(r) and r[j].strip() for r in data) for j in range(width)]
    naming = name_columns(raw_names, has_data, japanese=None if header_rows else True)
    layout.columns, layout.kept = naming.names, naming.kept
    layout.blank_columns, layout.renamed = naming.dropped, naming.renamed

    layout.expected_fields = mode_width
    for offset, row in enumerate(data):
        if len(row) != mode_width and not is_blank(row):
            if len(layout.ragged_rows) < 50:
                layout.ragged_rows.append(start + offset + 1)
                layout.ragged_field_counts.append(len(row))
    if layout.ragged_rows:
        layout.warnings.append(
            f"列数の違う行があります（例: {layout.ragged_rows[0]}行目） / "
            f"rows with a different number of fields (e.g. row {layout.ragged_rows[0]})"
        )
    if whole:
        layout.row_count = sum(1 for r in data if not is_blank(r))
        if layout.row_count == 0 and not allow_empty:
            raise ParseError(
                "見出し行だけでデータ行がありません",
                "the file has a header but no data rows",
                file=label,
                row=start + 1,
            )
    if not layout.columns:
        raise ParseError("列がありません", "no columns found", file=label, row=1)
    return layout


def iter_csv_rows(utf8_path: str, layout: CsvLayout) -> Iterator[list[str]]:
    """Data rows only, kept columns only, each padded to len(layout.columns); blank rows skipped.

    For small files and tests: the ingest engine reads big files with DuckDB.
    """
    start = layout.data_start_row
    end = layout.notes_start_row
    pending: deque[list[str]] = deque()
    delay = layout.trailing_rows if end is None else 0
    for index, (_, row) in enumerate(
        _read_records(utf8_path, layout.delimiter, DEFAULT_MAX_CELL_CHARS)
    ):
        if index < start:
            continue
        if end is not None and index >= end:
            break
        pending.append(row)
        if len(pending) <= delay:
            continue
        out = pending.popleft()
        if is_blank(out):
            continue
        yield [out[j] if j < len(out) else "" for j in layout.kept]
