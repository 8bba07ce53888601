"""Downloads of a whole or filtered table, written batch by batch (never the whole table in memory).

Text formats stream straight to the client. Formats that need the complete file before the
first byte is useful (XLSX and Parquet are ZIP/footer-indexed) or a header that depends on
every row (the CP932 replacement count) are spooled to a temporary file on disk first.
"""

import codecs
import csv
import io
import json
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import pyarrow.parquet as pq

from hiraku.ingest.models import DataTable

from . import engine
from .query import Query
from .search import jsonable

BATCH_ROWS = 5000
XLSX_MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows minus the header row
CP932_REPLACEMENT = "〓"  # 下駄記号: the customary visible stand-in in Japanese print
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    """'=HYPERLINK(...)' -> "'=HYPERLINK(...)" so spreadsheets show it as text; '-12.5' stays."""
    if (
        isinstance(value, str)
        and value.startswith(_FORMULA_START)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def row_batches(table: DataTable, query: Query) -> Iterator[list[tuple]]:
    """The query's rows in batches, on a cursor of their own (a download outlives other queries)."""
    sql = f"SELECT {query.select_sql()} FROM {engine.scan(table)}{query.where_sql()}{query.order_sql()}{query.page_sql()}"
    if query.distinct:
        sql = sql.replace("SELECT ", "SELECT DISTINCT ", 1)
    cursor = engine.new_cursor()
    try:
        result = cursor.execute(sql, query.params)
        while rows := result.fetchmany(BATCH_ROWS):
            yield rows
    finally:
        cursor.close()


def _text(value: Any) -> str:
    value = jsonable(value)
    return "" if value is None else str(value)


def delimited(
    names: list[str], batches: Iterator[list[tuple]], *, delimiter: str, bom: bool
) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(n) for n in names])
    first = ("\ufeff" if bom else "") + buffer.getvalue()
    yield first.encode("utf-8")
    for rows in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([neutralise(_text(v)) for v in row] for row in rows)
        yield buffer.getvalue().encode("utf-8")


def _encode_cp932(text: str) -> tuple[bytes, int]:
    try:
        return text.encode("cp932"), 0
    except UnicodeEncodeError:
        out, replaced = [], 0
        for ch in text:
            try:
                out.append(ch.encode("cp932"))
            except UnicodeEncodeError:
                # Try the compatibility form first (e.g. "①" is fine, "𠮷" is not).
                folded = unicodedata.normalize("NFKC", ch)
                try:
                    out.append(folded.encode("cp932"))
                except UnicodeEncodeError:
                    out.append(CP932_REPLACEMENT.encode("cp932"))
                    replaced += 1
        return b"".join(out), replaced


@dataclass
class Spooled:
    file: IO[bytes]
    replaced: int = 0


def delimited_cp932(names: list[str], batches: Iterator[list[tuple]], *, delimiter: str) -> Spooled:
    """CSV/TSV in CP932 for Excel; characters CP932 lacks become 〓 and are counted."""
    spool = tempfile.TemporaryFile()
    replaced = 0
    for chunk in delimited(names, batches, delimiter=delimiter, bom=False):
        data, n = _encode_cp932(chunk.decode("utf-8"))
        spool.write(data)
        replaced += n
    spool.seek(0)
    return Spooled(file=spool, replaced=replaced)


def json_array(names: list[str], batches: Iterator[list[tuple]]) -> Iterator[bytes]:
    yield b"["
    first = True
    for rows in batches:
        parts = []
        for row in rows:
            obj = {n: jsonable(v) for n, v in zip(names, row, strict=True)}
            parts.append(("" if first else ",") + "\n" + json.dumps(obj, ensure_ascii=False))
            first = False
        yield "".join(parts).encode("utf-8")
    yield b"\n]\n"


_LAT_NAMES = {"緯度", "lat", "latitude", "y"}
_LON_NAMES = {"経度", "lon", "lng", "long", "longitude", "x"}


def coordinate_columns(table: DataTable) -> tuple[str, str] | None:
    """(latitude, longitude) column names, from the table schema's markers or by name."""
    names = [c.name for c in engine.columns(table) if c.ckan_type in ("numeric", "int", "text")]
    lat = lon = None
    for f in (table.table_schema or {}).get("fields", []):
        role = f.get("hiraku:coordinate") or f.get("hiraku:role") or ""
        if role == "latitude":
            lat = f.get("name")
        elif role == "longitude":
            lon = f.get("name")
    for name in names:
        key = unicodedata.normalize("NFKC", name).strip().lower()
        if lat is None and (key in _LAT_NAMES or "緯度" in key):
            lat = name
        if lon is None and (key in _LON_NAMES or "経度" in key):
            lon = name
    if lat in names and lon in names:
        return lat, lon
    return None


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None


def geojson(
    names: list[str], batches: Iterator[list[tuple]], lat: str, lon: str
) -> Iterator[bytes]:
    """FeatureCollection; a row without valid coordinates keeps its properties, geometry null."""
    yield b'{"type":"FeatureCollection","features":['
    first = True
    lat_i, lon_i = names.index(lat), names.index(lon)
    for rows in batches:
        parts = []
        for row in rows:
            y, x = _float(row[lat_i]), _float(row[lon_i])
            geometry = (
                {"type": "Point", "coordinates": [x, y]}
                if x is not None and y is not None and -90 <= y <= 90 and -180 <= x <= 180
                else None
            )
            feature = {
                "type": "Feature",
                "geometry": geometry,
                "properties": {n: jsonable(v) for n, v in zip(names, row, strict=True)},
            }
            parts.append(("" if first else ",") + "\n" + json.dumps(feature, ensure_ascii=False))
            first = False
        yield "".join(parts).encode("utf-8")
    yield b"\n]}\n"


def xlsx(names: list[str], batches: Iterator[list[tuple]], sheet_title: str) -> Spooled:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)  # rows go straight to the file: memory stays flat
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "_", sheet_title)[:31] or "data")
    sheet.append([neutralise(n) for n in names])
    for rows in batches:
        for row in rows:
            sheet.append([_xlsx_value(v) for v in row])
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    spool.seek(0)
    return Spooled(file=spool)


def _xlsx_value(value: Any) -> Any:
    import datetime as dt
    import decimal

    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, str):
        # openpyxl refuses control characters Excel cannot store
        value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)
    return neutralise(value)


def parquet(table: DataTable, query: Query) -> Spooled:
    """The filtered result as Parquet, written batch by batch by DuckDB's Arrow reader."""
    sql = f"SELECT {query.select_sql()} FROM {engine.scan(table)}{query.where_sql()}{query.order_sql()}{query.page_sql()}"
    if query.distinct:
        sql = sql.replace("SELECT ", "SELECT DISTINCT ", 1)
    spool = tempfile.TemporaryFile()
    cursor = engine.new_cursor()
    try:
        reader = cursor.execute(sql, query.params).to_arrow_reader(BATCH_ROWS * 20)
        writer = pq.ParquetWriter(spool, reader.schema, compression="zstd")
        for batch in reader:
            writer.write_batch(batch)
        writer.close()
    finally:
        cursor.close()
    spool.seek(0)
    return Spooled(file=spool)


codecs.lookup("cp932")  # fail at import, not mid-download, if the codec were missing
