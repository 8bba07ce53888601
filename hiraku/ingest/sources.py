"""Turn one uploaded file into VARCHAR tables inside a DuckDB connection, one table at a time.

    iter_tables(ctx, path, filename, kind)  ->  LoadedTable("名簿.csv", relation="raw_0", ...)

Each loader leaves an all-VARCHAR relation in DuckDB: for CSV a VIEW over read_csv (direct.py
types and writes it in one pass; materialize() turns it into a table when decide.py must take
over), for sheets and JSON a table. Only one source exists at a time, so memory stays bounded.
"""

import json
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyarrow as pa

from .duck import quote_ident, sql_literal
from .parsing.encoding import detect_encoding, transcode_to_utf8
from .parsing.errors import ParseError
from .parsing.layout import analyze_csv

# A ZIP member may expand at most this many times, and all members together at most this much.
ZIP_MAX_RATIO = 200
ZIP_MAX_TOTAL = int(os.environ.get("HIRAKU_INGEST_ZIP_MAX_BYTES", str(4 * 1024**3)))
ZIP_MAX_MEMBERS = 500
MAX_COLUMNS = int(os.environ.get("HIRAKU_INGEST_MAX_COLUMNS", "2000"))
# JSON/GeoJSON are parsed in memory; bigger ones should come as CSV or be split.
JSON_MAX_BYTES = int(os.environ.get("HIRAKU_INGEST_JSON_MAX_BYTES", str(256 * 1024**2)))
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


def _check_columns(columns: list[str], filename: str) -> None:
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
    _check_columns(layout.columns, filename)
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


# --- rows from Python (sheets, JSON) ---------------------------------------------------------


def load_rows(
    ctx: LoadContext,
    *,
    name: str,
    columns: list[str],
    rows: list[list[str | None]],
    filename: str,
    notes: list[str] | None = None,
    report: dict | None = None,
) -> LoadedTable:
    _check_columns(columns, filename)
    width = len(columns)
    arrays = [
        pa.array([row[i] if i < len(row) else None for row in rows], type=pa.string())
        for i in range(width)
    ]
    arrow_table = pa.Table.from_arrays(arrays, names=[f"c{i}" for i in range(width)])
    relation = ctx.next_relation()
    ctx.con.register("hk_arrow_input", arrow_table)
    select = ", ".join(f"c{i} AS {quote_ident(col)}" for i, col in enumerate(columns))
    ctx.con.execute(f"CREATE TABLE {relation} AS SELECT {select} FROM hk_arrow_input")
    ctx.con.unregister("hk_arrow_input")
    return LoadedTable(
        name=name,
        relation=relation,
        columns=list(columns),
        notes=list(notes or []),
        report=report or {},
    )


def _cell_text(value) -> str | None:
    """JSON value -> cell text: 1.5 -> '1.5', True -> 'true', {"a": 1} -> '{"a": 1}'."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def _records_table(records: list[dict]) -> tuple[list[str], list[list[str | None]]]:
    columns: dict[str, None] = {}
    for record in records:
        for key in record:
            columns.setdefault(str(key), None)
    names = list(columns)
    return names, [[_cell_text(record.get(key)) for key in names] for record in records]


def _load_json_file(path: str, filename: str):
    if os.path.getsize(path) > JSON_MAX_BYTES:
        raise ParseError(
            f"JSON が大きすぎます (上限 {JSON_MAX_BYTES // 1024**2} MB)。CSV で登録してください",
            f"JSON too large (limit {JSON_MAX_BYTES // 1024**2} MB); upload it as CSV",
            file=filename,
        )
    try:
        with open(path, encoding="utf-8-sig") as f:
            return json.load(f)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        row = getattr(error, "lineno", None)
        raise ParseError(
            "JSON として読めません", f"invalid JSON: {error}", file=filename, row=row
        ) from error


def load_json(ctx: LoadContext, path: str, filename: str, table_name: str) -> LoadedTable:
    data = _load_json_file(path, filename)
    if isinstance(data, dict):
        # {"data": [...]} or {"items": [...]}: the first list of objects inside
        data = next((v for v in data.values() if isinstance(v, list)), [data])
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ParseError(
            "JSON はオブジェクトの配列である必要があります",
            "JSON must be an array of objects",
            file=filename,
        )
    columns, rows = _records_table(data)
    return load_rows(ctx, name=table_name, columns=columns, rows=rows, filename=filename)


def load_geojson(ctx: LoadContext, path: str, filename: str, table_name: str) -> LoadedTable:
    data = _load_json_file(path, filename)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ParseError(
            "GeoJSON に features がありません", "GeoJSON without features", file=filename
        )
    records = []
    for feature in features:
        props = dict((feature or {}).get("properties") or {})
        geometry = (feature or {}).get("geometry")
        record = {**props}
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        is_point = isinstance(geometry, dict) and geometry.get("type") == "Point"
        record["longitude"] = coords[0] if is_point and coords else None
        record["latitude"] = coords[1] if is_point and coords else None
        record["geometry"] = json.dumps(geometry, ensure_ascii=False) if geometry else None
        records.append(record)
    columns, rows = _records_table(records)
    return load_rows(ctx, name=table_name, columns=columns, rows=rows, filename=filename)


def iter_workbook(ctx: LoadContext, path: str, filename: str, kind: str) -> Iterator[LoadedTable]:
    from .parsing.sheets import read_workbook

    try:
        sheets = read_workbook(path, kind)
    except ParseError as error:
        error.file = error.file or filename
        raise
    for sheet in sheets:
        yield load_rows(
            ctx,
            name=sheet.name,
            columns=sheet.columns,
            rows=sheet.rows,
            filename=f"{filename} [{sheet.name}]",
            notes=sheet.notes,
            report={
                "renamed": [list(p) for p in sheet.renamed],
                "warnings": list(sheet.warnings),
            },
        )
        sheet.rows = []  # free the rows before the next sheet is typed


# --- ZIP -----------------------------------------------------------------------------------


def _zip_bomb(filename: str, detail_ja: str, detail_en: str) -> ParseError:
    return ParseError(
        f"ZIP の展開サイズが大きすぎます（ZIP 爆弾の疑い）: {detail_ja}",
        f"ZIP expands too much (zip bomb?): {detail_en}",
        file=filename,
    )


def _extract_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: str, budget: int) -> int:
    """Copy one member out, counting real bytes (headers can lie); returns bytes written."""
    limit = min(budget, max(info.compress_size, 1) * ZIP_MAX_RATIO)
    written = 0
    with archive.open(info) as src, open(dest, "wb") as out:
        while chunk := src.read(1 << 20):
            written += len(chunk)
            if written > limit:
                raise _zip_bomb(info.filename, f"{info.filename}", f"member {info.filename}")
            out.write(chunk)
    return written


def iter_zip(ctx: LoadContext, path: str, filename: str) -> Iterator[LoadedTable]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise ParseError("ZIP が壊れています", f"corrupt ZIP: {error}", file=filename) from error
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and info.filename.lower().endswith(CSV_LIKE)
            and not os.path.basename(info.filename).startswith(".")
            and "__MACOSX" not in info.filename
        ]
        if len(members) > ZIP_MAX_MEMBERS:
            raise _zip_bomb(filename, f"{len(members)} ファイル", f"{len(members)} members")
        if sum(info.file_size for info in members) > ZIP_MAX_TOTAL:
            raise _zip_bomb(filename, "合計サイズ", "total size")
        if not members:
            raise ParseError(
                "ZIP に CSV ファイルがありません", "no CSV files in the ZIP", file=filename
            )
        budget = ZIP_MAX_TOTAL
        for index, info in enumerate(members):
            dest = os.path.join(ctx.scratch, f"member_{index}.csv")
            try:
                budget -= _extract_member(archive, info, dest, budget)
            except zipfile.BadZipFile as error:
                raise ParseError(
                    "ZIP が壊れています", f"corrupt ZIP: {error}", file=info.filename
                ) from error
            yield load_csv(ctx, dest, info.filename, info.filename)
            os.remove(dest)
