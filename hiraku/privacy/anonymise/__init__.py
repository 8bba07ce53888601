"""Anonymisation (匿名加工): pure operations over tables, each recorded in a processing record."""

from .pipeline import OPERATIONS, parse_ops, run, to_csv_bytes
from .record import AnonymiseError, ProcessingRecord, Table

__all__ = [
    "OPERATIONS",
    "AnonymiseError",
    "ProcessingRecord",
    "Table",
    "parse_ops",
    "run",
    "to_csv_bytes",
]
