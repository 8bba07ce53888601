"""Read any file ingestion reads into tables for the scan: CSV/TSV (UTF-8, CP932, ...), Excel
(xlsx/xls), ODS, GeoJSON/JSON, ZIP of CSVs.

hiraku.ingest.parsing (the ingest engineer's sniffing library) decides format, encoding and
layout when it is installed; until then `_fallback_*` below do a simpler job. The swap point is
this module only: the scan itself sees `SourceTable`s.
"""

import codecs
import csv
import json
import logging
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from .errors import ScanError

log = logging.getLogger(__name__)
TEXT_KINDS = {"csv", "tsv", "text"}
TABULAR_EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods", ".json", ".geojson")


@dataclass
class SourceTable:
    name: str
    columns: list[str]
    rows: Iterator[list] | list
    # For big delimited text: enough to let DuckDB read the UTF-8 file directly.
    utf8_path: str | None = None
    duckdb_options: dict = field(default_factory=dict)
    duckdb_select: str = "*"  # kept columns only (blank source columns dropped)
    duckdb_limit: int | None = None  # data rows before a trailing notes block


_PARSING_API = (
    "detect_format",
    "detect_encoding",
    "transcode_to_utf8",
    "analyze_csv",
    "iter_csv_rows",
    "read_workbook",
)


def _parsing():
    """The ingest sniffing library once it is complete, else None (use the fallbacks)."""
    try:
        from hiraku.ingest import parsing
    except ImportError:
        return None
    return parsing if all(hasattr(parsing, name) for name in _PARSING_API) else None


# --- format and encoding ---------------------------------------------------------------------


def detect_kind(path: str, filename: str) -> str:
    parsing = _parsing()
    if parsing is not None:
        return parsing.detect_format(path, filename).kind
    with open(path, "rb") as fh:
        head = fh.read(8192)
    ext = os.path.splitext(filename or path)[1].lower()
    if not head:
        return "empty"
    if head.startswith(b"PK"):
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
        if "[Content_Types].xml" in names:
            return "xlsx"
        return "ods" if "mimetype" in names else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    if ext in (".json", ".geojson"):
        return "geojson" if b"FeatureCollection" in head else "json"
    return "tsv" if ext == ".tsv" else "csv"


def detect_encoding(path: str) -> tuple[str, bool]:
    """(codec name, has BOM)."""
    parsing = _parsing()
    if parsing is not None:
        info = parsing.detect_encoding(path)
        return info.name, info.bom
    with open(path, "rb") as fh:
        sample = fh.read(4 << 20)
    for name in ("utf-8", "cp932", "euc_jp"):
        decoder = codecs.getincrementaldecoder(name)("strict")
        try:
            decoder.decode(sample, final=False)  # a cut multibyte char at the end is fine
        except UnicodeDecodeError:
            continue
        return name, sample.startswith(codecs.BOM_UTF8)
    raise ScanError(
        "文字コードを判定できません (UTF-8 / Shift_JIS / EUC-JP のいずれでもありません)",
        "Cannot tell the text encoding (not UTF-8, Shift_JIS or EUC-JP)",
    )


def _has_bare_cr(path: str) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    return b"\r" in head.replace(b"\r\n", b"")


def to_utf8(path: str, encoding: str, bom: bool, workdir: str) -> str:
    """A UTF-8 copy with LF line ends (Python's codecs; DuckDB's CP932 decoding is unsafe).
    UTF-8 without BOM and without bare CRs is used as it is: no copy of a big file."""
    if encoding.replace("_", "-").lower() in ("utf-8", "utf8", "ascii") and not bom:
        if not _has_bare_cr(path):
            return path
    parsing = _parsing()
    target = os.path.join(workdir, "utf8.csv")
    if parsing is not None:
        parsing.transcode_to_utf8(path, target, encoding)
        return target
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    try:
        with (
            open(path, encoding=codec, errors="strict", newline="") as src,
            open(target, "w", encoding="utf-8", newline="") as dst,
        ):
            while chunk := src.read(8 << 20):
                # Bare CR (old Mac) and CRLF both become LF; a CR at a chunk edge is harmless.
                dst.write(chunk.replace("\r\n", "\n").replace("\r", "\n"))
    except UnicodeDecodeError as exc:
        raise ScanError(
            f"{encoding} として読めないバイトがあります (位置 {exc.start})",
            f"Bytes that are not valid {encoding} (offset {exc.start})",
        ) from exc
    return target


# --- delimited text --------------------------------------------------------------------------


def _fallback_layout(utf8_path: str) -> tuple[str, list[str], int]:
    """(delimiter, columns, data lines to skip). Takamatsu-style '#…' metadata lines above the
    data are skipped; their '#property' line names the columns."""
    with open(utf8_path, encoding="utf-8-sig", newline="") as fh:
        head = [line for _, line in zip(range(60), fh, strict=False)]
    if not head:
        raise ScanError("ファイルが空です", "The file is empty")
    first = next((line for line in head if not line.startswith(("#", '"#'))), head[0])
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    parsed = list(csv.reader(head, delimiter=delimiter))
    skip = 0
    header: list[str] | None = None
    for index, cells in enumerate(parsed):
        lead = cells[0].strip() if cells else ""
        if lead == "#property":
            header = ["no", *cells[1:]]
            skip = index + 1
        elif lead.startswith("#") or not any(c.strip() for c in cells):
            skip = index + 1
        else:
            break
    if header is None:
        header = parsed[skip] if skip < len(parsed) else []
        skip += 1
    return delimiter, unique_names(header), skip


def unique_names(header: list) -> list[str]:
    """Blank → '列3', repeated → '名称_2', so every column can be addressed by name."""
    names: list[str] = []
    for index, cell in enumerate(header):
        base = str(cell).strip() if cell not in (None, "") else f"列{index + 1}"
        name, n = base, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names


def _iter_csv(utf8_path: str, delimiter: str, skip: int) -> Iterator[list]:
    with open(utf8_path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        for index, row in enumerate(reader):
            if index >= skip and not (row and row[0].startswith("#")):
                yield row


def _text_table(path: str, name: str, workdir: str) -> SourceTable:
    encoding, bom = detect_encoding(path)
    utf8_path = to_utf8(path, encoding, bom, workdir)
    parsing = _parsing()
    if parsing is not None:
        try:
            layout = parsing.analyze_csv(utf8_path)
        except parsing.ParseError:
            raise
        except Exception:
            # A bug in the sniffing library must not stop the privacy scan: use our own layout.
            log.warning(
                "analyze_csv failed on %s; using the scan's own reader", name, exc_info=True
            )
            parsing = None
    if parsing is not None:
        return SourceTable(
            name,
            list(layout.columns),
            parsing.iter_csv_rows(utf8_path, layout),
            utf8_path,
            layout.duckdb_read_csv_options(),
            layout.duckdb_select_list(),
            layout.data_row_limit,
        )
    delimiter, columns, skip = _fallback_layout(utf8_path)
    options = {
        "delim": delimiter,
        "quote": '"',
        "escape": '"',
        "header": False,
        "skip": skip,
        "names": columns,
        "all_varchar": True,
        "null_padding": True,
        "strict_mode": False,
    }
    return SourceTable(name, columns, _iter_csv(utf8_path, delimiter, skip), utf8_path, options)


# --- workbooks, JSON, ZIP --------------------------------------------------------------------


def _header_index(rows: list[list]) -> int:
    width = max((len(r) for r in rows[:30]), default=0)
    for index, row in enumerate(rows[:30]):
        if sum(1 for c in row if c not in (None, "")) >= max(2, width // 2):
            return index
    return 0


def _grid_table(name: str, grid: list[list]) -> SourceTable | None:
    grid = [r for r in grid if any(c not in (None, "") for c in r)]
    if not grid:
        return None
    top = _header_index(grid)
    columns = unique_names(grid[top])
    return SourceTable(name, columns, grid[top + 1 :])


def _workbook_tables(path: str, kind: str) -> list[SourceTable]:
    parsing = _parsing()
    if parsing is not None:
        return [
            SourceTable(s.name, list(s.columns), s.rows) for s in parsing.read_workbook(path, kind)
        ]
    grids: list[tuple[str, list[list]]] = []
    if kind == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        grids = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in book]
        book.close()
    elif kind == "xls":
        import xlrd

        book = xlrd.open_workbook(path)
        grids = [(s.name, [s.row_values(i) for i in range(s.nrows)]) for s in book.sheets()]
    else:
        raise ScanError("この形式の表計算ファイルは読めません", f"Cannot read {kind} workbooks")
    return [t for name, grid in grids if (t := _grid_table(name, grid))]


def _json_tables(path: str, name: str) -> list[SourceTable]:
    with open(path, encoding="utf-8-sig") as fh:
        data = json.load(fh)
    if isinstance(data, dict) and isinstance(data.get("features"), list):
        records = [f.get("properties") or {} for f in data["features"] if isinstance(f, dict)]
    elif isinstance(data, list):
        records = [r for r in data if isinstance(r, dict)]
    else:
        return []
    columns: list[str] = []
    for record in records:
        columns.extend(k for k in record if k not in columns)
    rows = [[record.get(c) for c in columns] for record in records]
    return [SourceTable(name, [str(c) for c in columns], rows)] if columns else []


def _zip_tables(path: str, workdir: str) -> list[SourceTable]:
    tables = []
    with zipfile.ZipFile(path) as zf:
        for index, info in enumerate(zf.infolist()):
            member = info.filename
            if info.is_dir() or not member.lower().endswith((".csv", ".txt", ".tsv")):
                continue
            if info.file_size > 2 << 30:
                raise ScanError(f"{member} が大きすぎます", f"{member} is too large")
            member_dir = os.path.join(workdir, f"m{index}")
            os.makedirs(member_dir)
            target = os.path.join(member_dir, "member")
            with zf.open(info) as src, open(target, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
            tables.append(_text_table(target, member, member_dir))
    return tables


def read_tables(path: str, filename: str, workdir: str) -> tuple[str, list[SourceTable]]:
    """(format kind, tables). Files that are not tabular give no tables; unreadable ones raise
    ScanError with a bilingual message."""
    if not os.path.isfile(path):
        raise ScanError(f"ファイルがありません: {path}", f"No such file: {path}")
    name = filename or os.path.basename(path)
    try:
        kind = detect_kind(path, name)
        if kind in ("empty",):
            raise ScanError(f"{name}: ファイルが空です", f"{name}: the file is empty")
        if kind in TEXT_KINDS:
            return kind, [_text_table(path, name, workdir)]
        if kind in ("xlsx", "xls", "ods"):
            return kind, _workbook_tables(path, kind)
        if kind in ("json", "geojson"):
            return kind, _json_tables(path, name)
        if kind == "zip":
            return kind, _zip_tables(path, workdir)
        if kind == "binary" and name.lower().endswith(TABULAR_EXTENSIONS):
            raise ScanError(
                f"{name}: 表形式の拡張子ですが中身はバイナリです",
                f"{name}: named like a table but the content is binary",
            )
        return kind, []
    except ScanError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, UnicodeDecodeError, csv.Error) as exc:
        raise ScanError(f"{name} を読めません: {exc}", f"Cannot read {name}: {exc}") from exc
    except Exception as exc:  # a parser library's own error type (ParseError, xlrd, openpyxl)
        message = exc.bilingual() if hasattr(exc, "bilingual") else str(exc)
        raise ScanError(
            f"{name} を読めません: {message}", f"Cannot read {name}: {message}"
        ) from exc


def new_workdir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="hiraku-scan-")


__all__ = ["SourceTable", "new_workdir", "read_tables"]
