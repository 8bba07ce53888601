"""CKAN's fq (filter query) for package_search, in the subset Hiraku supports.

    organization:joho tags:"防災 計画" +res_format:CSV groups:bosai license_id:cc-by-4.0
    -> {"organization": ["joho"], "tags": ["防災 計画"], "res_format": ["CSV"],
        "groups": ["bosai"], "license_id": ["cc-by-4.0"]}

Clauses are AND-ed (a leading "+" and a bare AND between clauses are accepted, as CKAN
clients send them). Values are a quoted string (\\" and \\\\ escape) or a run of non-space
characters (a backslash escapes the next one). Negation, OR and parentheses are refused with
a clear message rather than silently misread.
"""

from dataclasses import dataclass

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


@dataclass
class _Clause:
    field: str | None  # None for a bare word without "field:"
    value: str
    raw: str


def _fail(ja: str, en: str) -> ValidationFailed:
    message = bilingual(ja, en)
    return ValidationFailed(message, {"fq": [message]})


def _read_value(text: str, pos: int) -> tuple[str, int]:
    """The value starting at pos, unquoted; returns it and the position after it."""
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
        if clause.field not in FQ_FIELDS:
            names = ", ".join(FQ_FIELDS)
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
        if clause.field in FQ_FIELDS and clause.value and not clause.raw.startswith("-"):
            filters.setdefault(clause.field, []).append(clause.value)
        elif clause.raw not in ("*:*", "AND", "&&"):  # words are AND-ed anyway
            words.append(clause.raw if clause.field else clause.value)
    return " ".join(words), filters
