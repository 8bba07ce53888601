"""CKAN clients speak Solr in package_search's q and fq; this turns the part of it that our
search contract can express into filters, and refuses the rest with a Search Query Error.

    fq='+organization:joho tags:"防災" AND res_format:CSV'
      -> filters {"organization": ["joho"], "tags": ["防災"], "res_format": ["CSV"]}
    q='公園 tags:AED'  -> text "公園", filters {"tags": ["AED"]}

Supported: field:value, field:"quoted value", field:(a AND b), + prefixes, AND between terms,
*:*, capacity:public, dataset_type:dataset, state:active. Not supported (a clear 400 error, on
which harvesters fall back to a full listing): OR, NOT / -negation, [ranges], other fields.
"""

import re
from dataclasses import dataclass, field

from hiraku.catalog.errors import bilingual

from .errors import SearchQueryError

FILTER_FIELDS = (
    "organization",
    "owner_org",
    "groups",
    "tags",
    "res_format",
    "license_id",
    "name",
    "id",
)
_TEXT_FIELDS = ("text", "title", "notes")
_TOKEN = re.compile(
    r"""(?P<sign>[+-]?)(?:(?P<field>[A-Za-z_][\w.]*):)?"""
    r"""(?P<value>"(?:[^"\\]|\\.)*"|\((?:[^)"]|"(?:[^"\\]|\\.)*")*\)|\[[^\]]*\]|\{[^}]*\}|\S+)"""
)
_UNESCAPE = re.compile(r"\\(.)")
SUPPORTED_HELP = bilingual(
    '使える書き方: field:value, field:"値", +field:value, AND (field は organization, groups, '
    "tags, res_format, license_id, name, id)",
    'Supported: field:value, field:"value", +field:value, AND (fields: organization, groups, '
    "tags, res_format, license_id, name, id)",
)


@dataclass
class ParsedQuery:
    text: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    public_only: bool = False
    no_match: bool = False


def _unsupported(ja: str, en: str) -> SearchQueryError:
    return SearchQueryError(f"{bilingual(ja, en)}. {SUPPORTED_HELP}")


def _values(raw: str) -> list[str]:
    """One term's value(s): "quoted", (a AND b) or bare."""
    if raw.startswith("["):
        raise _unsupported(
            "範囲指定 [.. TO ..] には対応していません", "Ranges [.. TO ..] are not supported"
        )
    if raw.startswith("{"):
        raise _unsupported(
            "範囲指定 {.. TO ..} には対応していません", "Ranges {.. TO ..} are not supported"
        )
    if raw.startswith("("):
        inner = raw[1:-1].strip()
        parts = [p for p in _TOKEN.finditer(inner)]
        values = []
        for part in parts:
            word = part.group(0)
            if word in ("AND", "&&"):
                continue
            if word in ("OR", "||", "NOT") or part.group("sign") == "-":
                raise _unsupported("OR / NOT には対応していません", "OR and NOT are not supported")
            values.extend(_values(part.group("value")))
        return values
    if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
        return [_UNESCAPE.sub(r"\1", raw[1:-1])]
    return [_UNESCAPE.sub(r"\1", raw)]


def parse(query: ParsedQuery, source: str, *, is_fq: bool) -> ParsedQuery:
    """Add the terms of one q or fq string to `query`."""
    for match in _TOKEN.finditer(source or ""):
        word, sign = match.group(0), match.group("sign")
        name, raw = match.group("field"), match.group("value")
        if word in ("AND", "&&", "*:*", "*"):
            continue
        if word in ("OR", "||", "NOT"):
            raise _unsupported("OR / NOT には対応していません", "OR and NOT are not supported")
        if sign == "-" and (name or is_fq):
            raise _unsupported(
                "否定 (-field:value) には対応していません",
                "Negation (-field:value) is not supported",
            )
        if name is None:
            if is_fq:
                raise _unsupported(
                    f"fq の項目名がありません: {word}", f"fq term without a field: {word}"
                )
            query.text.extend(_values(raw))
            continue
        values = _values(raw)
        if name in FILTER_FIELDS:
            for value in values:
                if value != "*":
                    query.filters.setdefault(name, []).append(value)
        elif name in _TEXT_FIELDS:
            query.text.extend(values)
        elif name == "capacity" and values == ["public"]:
            query.public_only = True
        elif name in ("dataset_type", "type"):
            query.no_match |= any(v not in ("dataset", "*") for v in values)
        elif name == "state" and values == ["active"] or name == "site_id":
            continue
        elif is_fq:
            raise _unsupported(
                f"この項目では絞り込めません: {name}", f"Cannot filter on field: {name}"
            )
        else:
            query.text.append(word.lstrip("+"))
    return query
