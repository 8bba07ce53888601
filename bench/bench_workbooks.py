"""Workbook readers on the shared municipal test files: python-calamine (what
hiraku.ingest.parsing.sheets uses) against openpyxl read_only and xlrd.

    .venv/bin/python bench/bench_workbooks.py

Best of 5 reads of every sheet's cell values, in milliseconds.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import openpyxl
import xlrd
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parents[1]
TESTDATA = Path(os.environ.get("HIRAKU_SHARED_DIR", ROOT.parent / "shared")) / "testdata"


def best_ms(fn, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def calamine(path: Path) -> None:
    workbook = CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)


def with_openpyxl(path: Path) -> None:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for sheet in workbook.worksheets:
        list(sheet.iter_rows(values_only=True))


def with_xlrd(path: Path) -> None:
    book = xlrd.open_workbook(str(path))
    for sheet in book.sheets():
        [sheet.row_values(i) for i in range(sheet.nrows)]


def main() -> None:
    for name in sorted(os.listdir(TESTDATA)):
        path = TESTDATA / name
        if name.endswith(".xlsx"):
            other, label = with_openpyxl, "openpyxl"
        elif name.endswith(".xls"):
            other, label = with_xlrd, "xlrd"
        else:
            continue
        ours, theirs = (
            best_ms(lambda p=path: calamine(p)),
            best_ms(lambda p=path, read=other: read(p)),
        )
        print(
            f"{name:52s} calamine {ours:7.1f} ms  {label:8s} {theirs:7.1f} ms  x{theirs / ours:5.1f}"
        )


if __name__ == "__main__":
    main()
