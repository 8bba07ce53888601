"""What a detector is and what it reports about one column.

A detector looks at a sample of one column's non-empty values (and the column's name) and
returns Evidence, or None. Risk is decided later, per table, in hiraku.privacy.context, because
the same phone number is expected in a facility list and personal beside a name column.
"""

from dataclasses import dataclass, field
from typing import Protocol

# Full-width digits and the many dashes/brackets Japanese data uses, mapped to ASCII so one set
# of patterns serves Python and DuckDB (DuckDB applies the same table with translate()).
WIDE = "０１２３４５６７８９－ー‐―−‑（）＠．＿＋"
NARROW = "0123456789------()@._+"
_WIDE_TABLE = str.maketrans(WIDE, NARROW)


def normalize(value: str) -> str:
    """'０９０－１２３４－５６７８' -> '090-1234-5678'."""
    if value.isascii():  # the common case, and much cheaper than translate()
        return value.strip()
    return value.translate(_WIDE_TABLE).strip()


@dataclass
class Evidence:
    kind: str
    matches: int  # values in the sample that matched
    sampled: int  # non-empty values looked at
    examples: list[str]  # masked, at most a few
    hinted: bool = False  # the column name says what it is (氏名, 電話番号, ...)
    detail: dict = field(default_factory=dict)  # detector-specific facts (e.g. mobile share)

    @property
    def share(self) -> float:
        return self.matches / self.sampled if self.sampled else 0.0


class Detector(Protocol):
    kind: str
    label_ja: str
    label_en: str

    def inspect(self, column: str, values: list[str]) -> Evidence | None:
        """Evidence that this column holds this kind of value, from a sample of non-empty values."""

    def matches(self, value: str) -> bool | None:
        """Whether one value is of this kind, for exact counts in Python; None when only the
        sample share can say (names, free text)."""

    def count_sql(self, column_sql: str) -> str | None:
        """A DuckDB boolean expression matching one value, for exact counts over a whole file.
        `column_sql` is already normalised (sql_normalized) unless the detector sets
        `count_sql_raw = True`; None when the detector cannot be expressed in SQL (the sample
        share is used instead)."""


def sql_normalized(column_sql: str) -> str:
    # translate() is the expensive part of a count (about 3x the regex), so only values that
    # hold a full-width digit or sign pay for it; the class test itself is cheap.
    return (
        f"trim(CASE WHEN regexp_matches({column_sql}, '[{WIDE}]') "
        f"THEN translate({column_sql}, '{WIDE}', '{NARROW}') ELSE {column_sql} END)"
    )


def first_examples(values: list[str], mask, limit: int = 3) -> list[str]:
    seen: list[str] = []
    for value in values:
        masked = mask(value)
        if masked not in seen:
            seen.append(masked)
        if len(seen) >= limit:
            break
    return seen
