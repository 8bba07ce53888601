"""Understanding city files as they really are: format, encoding, CSV layout, workbook sheets
and Japanese value formats. Pure Python (no Django), used by the ingest engine.

    info = detect_format(path, filename)              # what the bytes are
    enc = detect_encoding(path)                        # for csv/tsv/json/text
    transcode_to_utf8(path, utf8_path, enc.name)       # clean UTF-8, LF newlines
    layout = analyze_csv(utf8_path)                    # header, skips, notes, DuckDB options
    tables = read_workbook(path, info.kind)            # xlsx / xls / ods: one table per sheet
"""

from .detect import KINDS, FormatInfo, detect_format
from .encoding import EncodingInfo, TranscodeStats, detect_encoding, transcode_to_utf8
from .errors import ParseError
from .header import flatten_header, name_columns
from .layout import CsvLayout, analyze_csv, iter_csv_rows
from .sheets import SheetTable, read_workbook
from .values import (
    END_OF_DAY,
    FiscalYear,
    has_leading_zero,
    infer_date_order,
    is_missing,
    normalize_header,
    parse_bool,
    parse_coordinate,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
    parse_time,
)

__all__ = [
    "END_OF_DAY",
    "KINDS",
    "CsvLayout",
    "EncodingInfo",
    "FiscalYear",
    "FormatInfo",
    "ParseError",
    "SheetTable",
    "TranscodeStats",
    "analyze_csv",
    "detect_encoding",
    "detect_format",
    "flatten_header",
    "has_leading_zero",
    "infer_date_order",
    "is_missing",
    "iter_csv_rows",
    "name_columns",
    "normalize_header",
    "parse_bool",
    "parse_coordinate",
    "parse_date",
    "parse_datetime",
    "parse_decimal",
    "parse_int",
    "parse_time",
    "read_workbook",
    "transcode_to_utf8",
]
