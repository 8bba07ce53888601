"""Japanese telephone numbers: fixed (03-1234-5678, 0242-39-1111), mobile/IP (090/080/070/050),
free dial (0120), with or without hyphens or brackets, full-width digits, +81."""

import re

from .base import Evidence, first_examples, normalize
from .registry import register_detector

# Mobile / IP phones: 11 digits (090-1234-5678). Fixed lines: 10 digits, the area code holding
# 1-4 digits after the 0 and the local part the rest (03-1234-5678, 0242-39-1111, 01564-2-1234);
# the lengths are spelled out so no separate digit count is needed (cheap in DuckDB too).
_PREFIX = r"(?:\+81[ -]?|\(?0)"
MOBILE = _PREFIX + r"[789]0\)?[ -]?[0-9]{4}[ -]?[0-9]{4}"
FIXED = (
    "(?:"
    + "|".join(
        _PREFIX + rf"[1-9][0-9]{{{area - 1}}}\)?[ -]?\(?[0-9]{{{5 - area}}}\)?[ -]?[0-9]{{4}}"
        for area in (1, 2, 3, 4)
    )
    + ")"
)
PATTERN = f"(?:{MOBILE}|{FIXED})"
_MOBILE_FULL = re.compile(MOBILE)
_FIXED_FULL = re.compile(FIXED)
IN_TEXT = re.compile(r"(?:^|[^0-9])(" + PATTERN + r")(?:[^0-9]|$)")
_MOBILE_PREFIX = r"^(?:\+81[ -]?|\(?0)[789]0"
_MOBILE = re.compile(_MOBILE_PREFIX)
_HINT = re.compile(r"電話|TEL|phone|携帯|連絡先|FAX", re.IGNORECASE)


def is_phone(value: str) -> bool:
    text = normalize(value)
    if _MOBILE_FULL.fullmatch(text):
        return True
    # "0901234567" (10 digits with a mobile prefix) is not a number of either kind.
    return bool(_FIXED_FULL.fullmatch(text)) and not _MOBILE.match(text)


def is_mobile(value: str) -> bool:
    return bool(_MOBILE.match(normalize(value)))


def mask(value: str) -> str:
    """'090-1234-5678' -> '090-****-**78'."""
    text = normalize(value)
    out, seen = [], 0
    total = sum(c.isdigit() for c in text)
    for char in text:
        if char.isdigit():
            seen += 1
            out.append(char if seen <= 3 or seen > total - 2 else "*")
        else:
            out.append(char)
    return "".join(out)


class PhoneDetector:
    kind = "phone"
    label_ja = "電話番号"
    label_en = "Telephone number"

    def inspect(self, column: str, values: list[str]) -> Evidence | None:
        hinted = bool(_HINT.search(column))
        phones = [v for v in values if is_phone(v)]
        if not phones or (len(phones) < 0.5 * len(values) and not hinted):
            return None
        return Evidence(
            kind=self.kind,
            matches=len(phones),
            sampled=len(values),
            examples=first_examples(phones, mask),
            hinted=hinted,
            detail={"mobile_share": sum(map(is_mobile, phones)) / len(phones)},
        )

    def matches(self, value: str) -> bool:
        return is_phone(value)

    def count_sql(self, column_sql: str) -> str:
        return (
            f"(regexp_full_match({column_sql}, '{MOBILE}') OR "
            f"(regexp_full_match({column_sql}, '{FIXED}') AND "
            f"NOT regexp_matches({column_sql}, '{_MOBILE_PREFIX}')))"
        )


register_detector(PhoneDetector())
