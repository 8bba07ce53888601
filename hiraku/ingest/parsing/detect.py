"""What kind of file an upload really is, from its bytes (the name is only a hint).

detect_format("kobe_facilities_tab_separated_cp932.csv")
    -> FormatInfo(kind="tsv", mimetype="text/tab-separated-values",
                  reason="tab-delimited text (cp932)", encoding=EncodingInfo(...))
detect_format("upload.csv")   # really a JPEG renamed
    -> FormatInfo(kind="image", mimetype="image/jpeg", reason="JPEG magic bytes")
detect_format("data.zip")      # [Content_Types].xml + xl/workbook.xml inside
    -> FormatInfo(kind="xlsx", ...)
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from dataclasses import dataclass

from .dialect import sniff_delimiter
from .encoding import EncodingInfo, detect_encoding
from .errors import ParseError

KINDS = (
    "csv", "tsv", "xlsx", "xls", "ods", "json", "geojson", "zip",
    "pdf", "image", "binary", "empty", "text",
)  # fmt: skip

MIMETYPES = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "json": "application/json",
    "geojson": "application/geo+json",
    "zip": "application/zip",
    "pdf": "application/pdf",
    "binary": "application/octet-stream",
    "empty": "application/octet-stream",
    "text": "text/plain",
}

# (magic bytes, kind, mimetype, reason)
_MAGIC: tuple[tuple[bytes, str, str, str], ...] = (
    (b"%PDF-", "pdf", "application/pdf", "PDF magic bytes"),
    (b"\x89PNG\r\n\x1a\n", "image", "image/png", "PNG magic bytes"),
    (b"\xff\xd8\xff", "image", "image/jpeg", "JPEG magic bytes"),
    (b"GIF87a", "image", "image/gif", "GIF magic bytes"),
    (b"GIF89a", "image", "image/gif", "GIF magic bytes"),
    (b"II*\x00", "image", "image/tiff", "TIFF magic bytes"),
    (b"MM\x00*", "image", "image/tiff", "TIFF magic bytes"),
    (b"\x1f\x8b", "binary", "application/gzip", "gzip-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "binary", "application/x-7z-compressed", "7-Zip archive"),
    (b"Rar!", "binary", "application/vnd.rar", "RAR archive"),
    (b"PAR1", "binary", "application/vnd.apache.parquet", "Parquet file"),
    (b"SQLite format 3\x00", "binary", "application/vnd.sqlite3", "SQLite database"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_GEOJSON_TYPE = re.compile(rb'"type"\s*:\s*"(FeatureCollection|Feature)"')
_JSON_PARSE_LIMIT = 64 << 20  # parse whole JSON files up to this size to confirm them


@dataclass(frozen=True)
class FormatInfo:
    kind: str  # one of KINDS
    mimetype: str
    reason: str
    encoding: EncodingInfo | None = None  # for text kinds (csv, tsv, json, geojson, text)


def _info(kind: str, reason: str, mimetype: str | None = None, encoding=None) -> FormatInfo:
    return FormatInfo(kind, mimetype or MIMETYPES[kind], reason, encoding)


def _zip_kind(path: str) -> FormatInfo:
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if "mimetype" in names:
                mimetype = zf.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mimetype == MIMETYPES["ods"]:
                    return _info("ods", "ZIP with an OpenDocument spreadsheet 'mimetype' member")
                return _info("binary", f"OpenDocument file that is not a spreadsheet ({mimetype})")
            if "[Content_Types].xml" in names:
                if any(name.startswith("xl/") for name in names):
                    return _info(
                        "xlsx", "ZIP with [Content_Types].xml and an xl/ part (Office Open XML)"
                    )
                return _info(
                    "binary", "Office Open XML file that is not a workbook (Word/PowerPoint?)"
                )
    except zipfile.BadZipFile:
        return _info(
            "binary", "starts like a ZIP archive but cannot be opened (truncated or damaged)"
        )
    return _info("zip", f"ZIP archive with {len(names)} members")


def _ole2_kind(path: str) -> FormatInfo:
    # The OLE2 directory names the streams in UTF-16: Excel 97-2003 has "Workbook" (BIFF8)
    # or "Book" (BIFF5); Word has "WordDocument".
    with open(path, "rb") as f:
        head = f.read(4 << 20)
    if "Workbook".encode("utf-16-le") in head or "Book".encode("utf-16-le") in head:
        return _info("xls", "OLE2 compound file with a Workbook stream (Excel 97-2003)")
    return _info("binary", "OLE2 compound file that is not an Excel workbook")


def _looks_binary(head: bytes, encoding: EncodingInfo) -> bool:
    if encoding.name.startswith("utf-16"):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head[:65536] if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1A))
    return controls > 0.01 * max(1, min(len(head), 65536))


def _json_kind(path: str, head: bytes, encoding: EncodingInfo) -> FormatInfo | None:
    if os.path.getsize(path) <= _JSON_PARSE_LIMIT:
        with open(path, encoding=encoding.name) as f:
            try:
                value = json.loads(f.read().lstrip("\ufeff"))
            except ValueError:  # also UnicodeDecodeError: text later in the file is not valid
                return None
        if isinstance(value, dict) and value.get("type") in ("FeatureCollection", "Feature"):
            return _info(
                "geojson", "JSON object with type FeatureCollection/Feature", encoding=encoding
            )
        return _info("json", "valid JSON document", encoding=encoding)
    if _GEOJSON_TYPE.search(head):
        return _info(
            "geojson", "large JSON with a GeoJSON type member near the start", encoding=encoding
        )
    return _info("json", "large file starting like JSON (not fully parsed)", encoding=encoding)


def detect_format(path: str, filename: str = "") -> FormatInfo:
    """The kind of file at `path`; `filename` (the uploaded name) only settles text ties."""
    size = os.path.getsize(path)
    if size == 0:
        return _info("empty", "the file is empty (0 bytes)")
    with open(path, "rb") as f:
        head = f.read(1 << 20)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(path)
    if head.startswith(_OLE2):
        return _ole2_kind(path)
    for magic, kind, mimetype, reason in _MAGIC:
        if head.startswith(magic):
            return _info(kind, reason, mimetype)
    if head[8:12] == b"WEBP" and head.startswith(b"RIFF"):
        return _info("image", "WebP magic bytes", "image/webp")
    try:
        encoding = detect_encoding(path, sample_bytes=1 << 20)
    except ParseError:
        return _info("binary", "not text in any supported encoding")
    if _looks_binary(head, encoding):
        return _info("binary", "control or NUL bytes: not a text file", encoding=encoding)
    try:
        text = head.decode(encoding.name, errors="ignore")
    except LookupError:  # pragma: no cover - names come from detect_encoding
        return _info("binary", f"unknown encoding {encoding.name}")
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        return _info("empty", "only whitespace", encoding=encoding)
    if stripped[:15].lower().startswith(("<!doctype html", "<html", "<?xml")):
        # a web page or XML saved under a .csv name (often a portal's error page)
        return _info("text", "HTML or XML markup, not a table", encoding=encoding)
    if stripped[0] in "{[":
        found = _json_kind(path, head, encoding)
        if found:
            return found
    delimiter = sniff_delimiter(text[: 256 * 1024])
    if delimiter == "\t":
        return _info("tsv", f"tab-delimited text ({encoding.name})", encoding=encoding)
    if delimiter is not None:
        return _info(
            "csv", f"delimited text, delimiter {delimiter!r} ({encoding.name})", encoding=encoding
        )
    lower = filename.lower()
    if lower.endswith((".csv", ".tsv")):
        # one column, or a header line only: still a table when the uploader named it so
        return _info(
            "csv", f"text without delimiters named {filename} (one column)", encoding=encoding
        )
    return _info(
        "text", f"text without a consistent delimiter ({encoding.name})", encoding=encoding
    )
