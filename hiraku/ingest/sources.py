"""Turn one uploaded CSV into a VARCHAR relation inside a DuckDB connection; the shared types.

    load_csv(ctx, path, "名簿.csv", "名簿.csv")  ->  LoadedTable("名簿.csv", relation="raw_1", ...)

Each loader leaves an all-VARCHAR relation in DuckDB: for CSV a VIEW over read_csv (direct.py
types and writes it in one pass; materialize() turns it into a table when decide.py must take
over), for sheets and JSON a table (records.py), for a ZIP one per CSV member (archive.py).
Only one source exists at a time, so memory stays bounded.
"""

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .duck import sql_literal
from .parsing.encoding import detect_encoding, transcode_to_utf8
from .parsing.errors import ParseError
from .parsing.layout import analyze_csv

MAX_COLUMNS = int(os.environ.get("HIRAKU_INGEST_MAX_COLUMNS", "2000"))
CSV_LIKE = (".csv", ".tsv", ".txt")


@dataclass
class LoadedTable:
    name: str
    relation: str  # DuckDB table (or, for CSV, a view over read_csv) of the VARCHAR cells
    columns: list[str]
    is_view: bool = False
    filename: str = ""
    original_headers: dict[str, str] = field(default_factory=dict)  # final name -> as written
    notes: list[str] = field(default_factory=list)
    report: dict = field(default_factory=dict)


@dataclass
class LoadContext:
    con: object  # duckdb connection
    scratch: str  # job's private temp folder
    encoding_override: str = ""
    allow_ragged: bool = False  # staff override: pad short rows / name extra fields instead
    progress: Callable[[float], None] = lambda fraction: None
    detected_encodings: list[str] = field(default_factory=list)
    counter: int = 0

    def next_relation(self) -> str:
        self.counter += 1
        return f"raw_{self.counter}"


def check_columns(columns: list[str], filename: str) -> None:
    if len(columns) > MAX_COLUMNS:
        raise ParseError(
            f"列が多すぎます ({len(columns):,} 列、上限 {MAX_COLUMNS:,} 列)",
            f"too many columns ({len(columns):,}; the limit is {MAX_COLUMNS:,})",
            file=filename,
            row=1,
            column=MAX_COLUMNS + 1,
        )
    if not columns:
        raise ParseError("表の列が見つかりません", "no columns found", file=filename)


# --- CSV -----------------------------------------------------------------------------------


def _needs_transcode(path: str, encoding: str) -> bool:
    """UTF-8 with LF or CRLF, with or without a byte order mark (Excel's "CSV UTF-8"), goes to
    DuckDB as is (analyze_csv and DuckDB both skip the mark); anything else is transcoded."""
    if encoding.replace("_", "-").lower() not in ("utf-8", "utf8", "ascii"):
        return True
    with open(path, "rb") as f:
        head = f.read(1 << 20)
    # A bare CR (old Mac) file: CR not followed by LF.
    return b"\r" in head.replace(b"\r\n", b"")


def load_csv(
    ctx: LoadContext, path: str, filename: str, table_name: str, encoding_info=None
) -> LoadedTable:
    if ctx.encoding_override:
        encoding = ctx.encoding_override
    else:
        encoding = (encoding_info or detect_encoding(path)).name
    ctx.detected_encodings.append(encoding)
    utf8_path = path
    if _needs_transcode(path, encoding):
        utf8_path = os.path.join(ctx.scratch, f"utf8_{ctx.counter + 1}.csv")
        total = max(os.path.getsize(path), 1)
        try:
            transcode_to_utf8(
                path,
                utf8_path,
                encoding,
                progress=lambda done, _total: ctx.progress(0.3 * done / total),
            )
        except ParseError as error:
            error.file = error.file or filename
            raise
        except (LookupError, UnicodeError) as error:
            raise ParseError(
                f"文字コード {encoding} で読めません: {error}",
                f"cannot decode as {encoding}: {error}",
                file=filename,
            ) from error
    try:
        layout = analyze_csv(utf8_path)
    except ParseError as error:
        error.file = filename
        raise
    check_columns(layout.columns, filename)
    if layout.ragged_rows and not ctx.allow_ragged:
        raise _ragged_error(layout, filename)
    options = dict(layout.duckdb_read_csv_options())
    if ctx.allow_ragged:  # ragged rows past the analysed head are padded too
        options["strict_mode"] = False
    options["header"] = False
    # No sniffing at all: every column is declared VARCHAR and typed later from a full pass.
    options["auto_detect"] = False
    options.pop("all_varchar", None)
    options["columns"] = {name: "VARCHAR" for name in options.pop("names")}
    relation = ctx.next_relation()
    rendered = ", ".join(f"{key} = {sql_literal(value)}" for key, value in options.items())
    select = layout.duckdb_select_list()
    # Fully blank rows carry nothing; the notes block below the table is cut by the limit.
    not_blank = "coalesce(" + select + ") IS NOT NULL"
    limit = layout.data_row_limit
    source = f"read_csv({sql_literal(utf8_path)}, {rendered})"
    if limit is not None:
        source = f"(SELECT * FROM {source} LIMIT {int(limit)})"
    # A VIEW: the typed COPY (direct.py) parses the CSV once; read errors surface there and
    # in materialize(), both turned into csv_error.
    try:
        ctx.con.execute(
            f"CREATE VIEW {relation} AS SELECT {select} FROM {source} WHERE {not_blank}"
        )
        columns = [row[0] for row in ctx.con.execute(f"DESCRIBE {relation}").fetchall()]
    except Exception as error:  # duckdb.Error: ragged rows, bad quotes, too-long lines
        raise csv_error(error, filename) from error
    ctx.progress(0.45)
    renamed = [list(pair) for pair in getattr(layout, "renamed", [])]
    return LoadedTable(
        name=table_name,
        relation=relation,
        columns=columns,
        is_view=True,
        filename=filename,
        original_headers={new: old for old, new in renamed},
        notes=list(getattr(layout, "notes", []) or []),
        report={
            "encoding": encoding,
            "delimiter": getattr(layout, "delimiter", ","),
            "skip_rows": getattr(layout, "skip_rows", 0),
            "header_rows": getattr(layout, "header_rows", 1),
            "renamed": renamed,
            "titles": list(getattr(layout, "titles", []) or []),
            "metadata": dict(getattr(layout, "metadata", {}) or {}),
            "blank_columns": list(getattr(layout, "blank_columns", []) or []),
            "ragged_rows": list(getattr(layout, "ragged_rows", []) or [])[:50],
            "ragged_field_counts": list(getattr(layout, "ragged_field_counts", []) or [])[:50],
            "warnings": list(getattr(layout, "warnings", []) or []),
        },
    )


def materialize(con, loaded: LoadedTable) -> None:
    """Turn a CSV view into a VARCHAR table of the same name (for decide.convert_columns)."""
    if not loaded.is_view:
        return
    view, loaded.relation = loaded.relation, f"{loaded.relation}_t"
    try:
        con.execute(f"CREATE TABLE {loaded.relation} AS SELECT * FROM {view}")
    except Exception as error:  # duckdb.Error: ragged rows, bad quotes, too-long lines
        raise csv_error(error, loaded.filename or loaded.name) from error
    finally:
        con.execute(f"DROP VIEW {view}")
    loaded.is_view = False


def _ragged_error(layout, filename: str) -> ParseError:
    """FAILED by default: rows whose field count differs from the header's usually mean a
    shifted column (an unquoted comma), and padding them would publish wrong values."""
    pairs = list(zip(layout.ragged_rows, layout.ragged_field_counts, strict=False))[:5]
    shown_ja = "、".join(f"{row}行目 {count}列" for row, count in pairs)
    shown_en = ", ".join(f"row {row}: {count} fields" for row, count in pairs)
    more = len(layout.ragged_rows) - len(pairs)
    if more > 0:
        shown_ja += f" ほか{more}行以上"
        shown_en += f", and {more}+ more"
    expected = layout.expected_fields
    return ParseError(
        f"列数が見出し（{expected}列）と違う行があります: {shown_ja}。"
        "値の中のカンマを引用符で囲むなどファイルを直して再アップロードするか、"
        "管理者が「列数の違う行を許可」で再処理してください（足りない列は空欄になります）",
        f"rows whose field count differs from the header's ({expected} fields): {shown_en}. "
        "Fix the file (e.g. quote values that contain the delimiter) and upload it again, "
        'or have staff re-run with "allow ragged rows" (missing fields become empty)',
        file=filename,
        row=layout.ragged_rows[0],
    )


def csv_error(error: Exception, filename: str) -> ParseError:
    """DuckDB's CSV errors are long and English; keep the first line and add a Japanese lead."""
    text = str(error).strip().splitlines()[0][:400] if str(error).strip() else repr(error)
    row = None
    for marker in ("Line: ", "line "):
        if marker in str(error):
            digits = str(error).split(marker, 1)[1].split()[0].strip(".,:")
            row = int(digits) if digits.isdigit() else None
            break
    counts = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", str(error))
    if counts:  # a ragged row past the head that the layout analysis read
        expected, found = counts.groups()
        return ParseError(
            f"列数が見出し（{expected}列）と違う行があります（{found}列）。"
            "ファイルを直して再アップロードするか、管理者が「列数の違う行を許可」で再処理してください",
            f"a row has {found} fields but the header has {expected}. Fix the file and upload "
            'it again, or have staff re-run with "allow ragged rows"',
            file=filename,
            row=row,
        )
    if "Maximum line size" in str(error) or "maximum line size" in str(error):
        return ParseError(
            "1行（1つの値）が大きすぎます。改行や引用符の閉じ忘れがないか確認してください",
            f"a line is too long (unclosed quote?): {text}",
            file=filename,
            row=row,
        )
    if "unicode" in str(error).lower():
        return ParseError(
            "UTF-8 として読めないバイトがあります（文字コードの混在）",
            f"invalid UTF-8 bytes (mixed encodings?): {text}",
            file=filename,
            row=row,
        )
    return ParseError(
        "CSV を表として読めません", f"cannot read the CSV: {text}", file=filename, row=row
    )
