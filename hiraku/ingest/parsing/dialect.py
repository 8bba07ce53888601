"""Delimiter sniffing for delimited text, shared by detect_format and analyze_csv.

    sniff_delimiter('施設ID\\t施設名\\t郵便番号\\n46\\tリサイクル工房\\t654-0022\\n')  -> "\\t"
    sniff_delimiter('pid,pref,url\\n1,北海道,http://...\\n')                      -> ","
    sniff_delimiter('ただの文章です。\\n二行目。\\n')                                 -> None

The choice is the candidate whose rows most consistently share one field count (>1);
Python's csv.Sniffer is not used because it guesses wrong on Japanese text (it happily picks
"、" or a letter when quotes are rare).
"""

from __future__ import annotations

import csv
import io
from collections import Counter

CANDIDATES = (",", "\t", ";", "|")


def _consistency(text: str, delimiter: str, max_rows: int) -> tuple[float, int]:
    """(share of non-blank rows having the most common field count, that count)."""
    counts: Counter[int] = Counter()
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', strict=False)
    try:
        for i, row in enumerate(reader):
            if i >= max_rows:
                break
            if any(cell.strip() for cell in row):
                counts[len(row)] += 1
    except csv.Error:
        return 0.0, 0
    if not counts:
        return 0.0, 0
    width, rows = counts.most_common(1)[0]
    return rows / sum(counts.values()), width


def sniff_delimiter(text: str, *, max_rows: int = 200) -> str | None:
    """The field delimiter of a sample of decoded text, or None when it is not a table."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # old-Mac files end lines with CR only
    best: tuple[float, int, int] | None = None
    choice = None
    for order, delimiter in enumerate(CANDIDATES):
        if delimiter not in text:
            continue
        share, width = _consistency(text, delimiter, max_rows)
        if width < 2:
            continue
        # consistency first; then more columns; then the usual delimiter (earlier candidate)
        key = (round(share, 2), width, -order)
        if best is None or key > best:
            best, choice = key, delimiter
    if best is None or best[0] < 0.5:
        return None
    return choice
