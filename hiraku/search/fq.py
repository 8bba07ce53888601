"""CKAN's fq (filter query) for package_search, in the subset Hiraku supports.

    organization:joho tags:"防災 計画" +res_format:CSV groups:bosai license_id:cc-by-4.0
    -> {"organization": ["joho"], "tags": ["防災 計画"], "res_format": ["CSV"],
        "groups": ["bosai"], "license_id": ["cc-by-4.0"]}

Clauses are AND-ed (a leading "+" and a bare AND between clauses are accepted, as CKAN
clients send them). Values are a quoted string (\\" and \\\\ escape) or a run of non-space
characters (a backslash escapes the next one). Negation, OR and parentheses are refused with
a clear message rather than silently misread.

metadata_modified and metadata_created take Solr's date ranges, as CKAN's harvesters send
them for incremental harvests (inclusive [..], exclusive {..}, * for open, NOW, NOW-1DAY):

    metadata_modified:[2026-11-01T09:00:00.123456Z TO *]
    -> {"metadata_modified": ["[2026-11-01T09:00:00.123456+00:00 TO *]"]}  (absolute, UTC)
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

from hiraku.catalog.errors import ValidationFailed, bilingual

FQ_FIELDS = (
    "organization",
    "owner_org",
    "groups",
    "tags",
    "res_format",
    "license_id",
    "name",
    "id",
    "dataset_type",
)
# Range fields -> the Dataset column they filter.
RANGE_FIELDS = {"metadata_modified": "modified", "metadata_created": "created"}
_RANGE = re.compile(r"^([\[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$")
_NOW = re.compile(r"^NOW(?:([+-])(\d+)(SECOND|MINUTE|HOUR|DAY|WEEK)S?)?$")
_UNIT_SECONDS = {"SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86400, "WEEK": 604800}


@dataclass(frozen=True)
class DateRange:
    low: dt.datetime | None  # None: open
    high: dt.datetime | None
    include_low: bool = True
    include_high: bool = True

    def text(self) -> str:
        low = self.low.isoformat() if self.low else "*"
        high = self.high.isoformat() if self.high else "*"
        return (
            f"{'[' if self.include_low else '{'}{low} TO {high}{']' if self.include_high else '}'}"
        )


@dataclass
class _Clause:
    field: str | None  # None for a bare word without "field:"
    value: str
    raw: str


def _fail(ja: str, en: str) -> ValidationFailed:
    message = bilingual(ja, en)
    return ValidationFailed(message, {"fq": [message]})


def _endpoint(text: str, field: str) -> dt.datetime | None:
    if text == "*":
        return None
    try:
        if now := _NOW.match(text.upper()):
            sign, amount, unit = now.groups()
            moment = timezone.now()
            if unit:
                delta = dt.timedelta(seconds=int(amount) * _UNIT_SECONDS[unit])
                moment = moment + delta if sign == "+" else moment - delta
        else:
            moment = dt.datetime.fromisoformat(text)
            if moment.tzinfo is None:  # CKAN's (and Solr's) timestamps are UTC
                moment = moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise _fail(
            f"fq の {field} の日時が読めません: {text} (例: 2026-11-01T09:00:00Z、*、NOW-1DAY)",
            f"fq {field}: cannot read the date {text} (e.g. 2026-11-01T09:00:00Z, *, NOW-1DAY)",
        ) from None


def parse_range(value: str, field: str = "metadata_modified") -> DateRange:
    """'[2026-11-01T09:00:00Z TO *]' -> DateRange; ValidationFailed for anything else."""
    match = _RANGE.match(value.strip())
    if not match:
        raise _fail(
            f"fq の {field} は範囲で指定してください: [2026-11-01T00:00:00Z TO *] など ({value})",
            f"fq {field} takes a range such as [2026-11-01T00:00:00Z TO *] (got {value})",
        )
    opening, low, high, closing = match.groups()
    return DateRange(
        low=_endpoint(low, field),
        high=_endpoint(high, field),
        include_low=opening == "[",
        include_high=closing == "]",
    )


def _read_value(text: str, pos: int) -> tuple[str, int]:
    """The value starting at pos, unquoted; returns it and the position after it. A value
    starting with [ or { runs to the first ] or } (a range: its spaces are part of it)."""
    if pos < len(text) and text[pos] in "[{":
        end = min((i for i in (text.find("]", pos), text.find("}", pos)) if i >= 0), default=-1)
        if end < 0:
            raise _fail(
                "fq の範囲の括弧が閉じていません", "fq has a range without its closing ] or }"
            )
        return text[pos : end + 1], end + 1
    if pos < len(text) and text[pos] == '"':
        out, pos = [], pos + 1
        while pos < len(text):
            ch = text[pos]
            if ch == "\\" and pos + 1 < len(text):
                out.append(text[pos + 1])
                pos += 2
            elif ch == '"':
                return "".join(out), pos + 1
            else:
                out.append(ch)
                pos += 1
        raise _fail("fq の引用符が閉じていません", 'fq has an unclosed quote (")')
    out = []
    while pos < len(text) and not text[pos].isspace():
        if text[pos] == "\\" and pos + 1 < len(text):
            out.append(text[pos + 1])
            pos += 2
        else:
            out.append(text[pos])
            pos += 1
    return "".join(out), pos


def _scan(text: str) -> list[_Clause]:
    clauses, pos = [], 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        start = pos
        if text[pos] == "+":
            pos += 1
        field = None
        colon = pos
        while colon < len(text) and (text[colon].isalnum() or text[colon] == "_"):
            colon += 1
        if colon > pos and colon < len(text) and text[colon] == ":":
            field, pos = text[pos:colon], colon + 1
        value, pos = _read_value(text, pos)
        clauses.append(_Clause(field=field, value=value, raw=text[start:pos]))
    return clauses


def parse_fq(text: str) -> dict[str, list[str]]:
    """Parse an fq string into {field: [values]}; every value of every field must match."""
    filters: dict[str, list[str]] = {}
    for clause in _scan(text or ""):
        if clause.field is None and clause.raw in ("AND", "&&"):
            continue
        if clause.field is None and clause.raw in ("OR", "||", "NOT"):
            raise _fail(
                "fq では OR / NOT は使えません (条件はすべて AND です)",
                "OR / NOT are not supported in fq (all clauses are AND-ed)",
            )
        if clause.raw.startswith("-"):
            raise _fail(
                f"fq の除外条件は使えません: {clause.raw}",
                f"Negative fq clauses are not supported: {clause.raw}",
            )
        if clause.field is None:
            raise _fail(
                f"fq は「項目:値」の形で指定してください: {clause.raw}",
                f"fq clauses must look like field:value: {clause.raw}",
            )
        if clause.field in RANGE_FIELDS:
            parsed = parse_range(clause.value, clause.field)
            filters.setdefault(clause.field, []).append(parsed.text())
            continue
        if clause.field not in FQ_FIELDS:
            names = ", ".join((*FQ_FIELDS, *RANGE_FIELDS))
            raise _fail(
                f"fq の項目「{clause.field}」は使えません (使える項目: {names})",
                f"Unknown fq field '{clause.field}' (supported: {names})",
            )
        if clause.value == "" or (
            clause.value.startswith("(") and not clause.raw.split(":", 1)[1].startswith('"')
        ):
            raise _fail(
                f"fq の値が空か、括弧の式です: {clause.raw}",
                f"fq value is empty or a parenthesised expression: {clause.raw}",
            )
        filters.setdefault(clause.field, []).append(clause.value)
    return filters


def split_q(q: str) -> tuple[str, dict[str, list[str]]]:
    """Separate CKAN field clauses someone typed into q (tags:防災) from the free text.

    "*:*" (CKAN's "everything") becomes empty text. Words that only look like field:value
    (https://…) stay text.
    """
    if not q or not q.strip() or q.strip() == "*:*":
        return "", {}
    try:
        clauses = _scan(q)
    except ValidationFailed:
        return q, {}  # an unclosed quote in free text is just text
    words: list[str] = []
    filters: dict[str, list[str]] = {}
    for clause in clauses:
        if clause.field in RANGE_FIELDS and not clause.raw.startswith("-"):
            try:
                parsed = parse_range(clause.value, clause.field)
            except ValidationFailed:
                words.append(clause.raw)
            else:
                filters.setdefault(clause.field, []).append(parsed.text())
            continue
        if clause.field in FQ_FIELDS and clause.value and not clause.raw.startswith("-"):
            filters.setdefault(clause.field, []).append(clause.value)
        elif clause.raw not in ("*:*", "AND", "&&"):  # words are AND-ed anyway
            words.append(clause.raw if clause.field else clause.value)
    return " ".join(words), filters
