"""Scan a table for personal information: which columns, what kind, how risky, how many.

    result = scan_table(["氏名", "電話"], rows, sample_limit=20_000)
    result.findings[0].as_dict()
    # {"column": "氏名", "kind": "person_name", "risk": "high", "count": 812,
    #  "examples": ["山○ ○○"], "estimated": False, "reason": "氏名と… / Names beside …"}

Detectors see a bounded, evenly spread sample (reservoir sampling with a fixed seed), so a scan
of any size costs about the same in Python; exact counts over a whole big file come from DuckDB
(see hiraku.privacy.fullcount).
"""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import context
from .detectors import all_detectors, get_detector

DEFAULT_SAMPLE = 20_000
# Detectors decide from at most this many values per column, spread evenly over the sample;
# exact counts are taken afterwards, only for the columns and kinds found.
DETECT_VALUES = 2_000


@dataclass
class Finding:
    column: str
    kind: str
    risk: str
    count: int
    examples: list[str]
    reason_ja: str
    reason_en: str
    estimated: bool = False

    def as_dict(self) -> dict:
        return {
            "column": self.column,
            "kind": self.kind,
            "risk": self.risk,
            "count": self.count,
            "examples": self.examples,
            "estimated": self.estimated,
            "reason": f"{self.reason_ja} / {self.reason_en}",
        }


@dataclass
class TableScan:
    name: str
    columns: list[str]
    row_count: int
    rows_sampled: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def highest_risk(self) -> str | None:
        return context.max_risk(f.risk for f in self.findings)

    def as_dict(self) -> dict:
        return {
            "table": self.name,
            "columns": self.columns,
            "row_count": self.row_count,
            "rows_sampled": self.rows_sampled,
            "highest_risk": self.highest_risk,
            "findings": [f.as_dict() for f in self.findings],
        }


def reservoir(rows: Iterable[Sequence], limit: int, seed: int = 7) -> tuple[list, int]:
    """An even sample of at most `limit` rows, and the total number of rows seen."""
    rng = random.Random(seed)
    sample: list = []
    total = 0
    for total, row in enumerate(rows, start=1):  # noqa: B007
        if total <= limit:
            sample.append(row)
        else:
            slot = rng.randrange(total)
            if slot < limit:
                sample[slot] = row
    return sample, total


def column_values(columns: list[str], rows: list[Sequence]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {c: [] for c in columns}
    for row in rows:
        for name, cell in zip(columns, row, strict=False):
            if cell is None:
                continue
            text = str(cell).strip()
            if text:
                values[name].append(text)
    return values


def spread(values: list[str], limit: int = DETECT_VALUES) -> list[str]:
    step = max(1, -(-len(values) // limit))
    return values[::step]


def findings_from_sample(
    columns: list[str], samples: dict[str, list[str]], *, scale: float
) -> list[Finding]:
    """Run every detector on every column's sample, then decide risks for the whole table.

    `scale` = table rows / sampled rows; counts are exact when it is 1 and the detector can
    test single values, otherwise scaled up from the sample and marked estimated.
    """
    evidence = {
        column: [
            ev for det in all_detectors() if (ev := det.inspect(column, spread(samples[column])))
        ]
        for column in columns
        if samples[column]
    }
    ctx = context.TableContext(columns, samples, evidence)
    findings: list[Finding] = []
    for column, evs in evidence.items():
        values = samples[column]
        for ev in evs:
            if not context.keep(ev, ctx):
                continue
            risk, why_ja, why_en = context.risk_for(ev, ctx)
            matches = get_detector(ev.kind).matches
            if matches("") is None:  # no single-value test: scale the detector's share
                count = round(ev.share * len(values) * scale)
                exact = False
            else:
                count = sum(1 for v in values if matches(v))
                exact = scale == 1.0
                count = count if exact else round(count * scale)
            findings.append(
                Finding(column, ev.kind, risk, count, ev.examples, why_ja, why_en, not exact)
            )
    address_risk = context.max_risk(f.risk for f in findings if f.kind == "address")
    for finding in findings:
        if finding.kind == "postal_code":
            finding.risk = context.cap_postal(finding.risk, address_risk, ctx)
    return findings


def scan_table(
    columns: Sequence[str],
    rows_iter: Iterable[Sequence],
    *,
    sample_limit: int = DEFAULT_SAMPLE,
    name: str = "",
    row_count: int | None = None,
) -> TableScan:
    """Scan rows (any iterable of sequences aligned with `columns`).

    Counts are exact when the whole table fits the sample, otherwise scaled up from it and
    marked estimated. Pass `row_count` when `rows_iter` is already a sample of a bigger table.
    """
    columns = [str(c) for c in columns]
    sample, seen = reservoir(rows_iter, sample_limit)
    total = row_count if row_count is not None else seen
    scale = total / len(sample) if sample else 1.0
    samples = column_values(columns, sample)
    findings = findings_from_sample(columns, samples, scale=scale)
    return TableScan(name, columns, total, len(sample), findings)
