"""Japanese telephone numbers: fixed (03-1234-5678, 0242-39-1111), mobile/IP (090/080/070/050),
free dial (0120), with or without hyphens or brackets, full-width digits, +81."""

import re

from .base import Evidence, first_examples, normalize, sql_normalized
from .registry import register_detector

# 10 digits for fixed lines, 11 for mobile; the area code has 2-5 digits including the 0.
PATTERN = (
    r"(?:\+81[ -]?|0)(?:"
    r"[789]0[ -]?[0-9]{4}[ -]?[0-9]{4}"  # mobile 090-1234-5678
    r"|[1-9][0-9]{0,3}[ -]?\(?[0-9]{1,4}\)?[ -]?[0-9]{4}"  # fixed 03-1234-5678, 0242(39)1111
    r")"
)
FULL = re.compile(PATTERN)
IN_TEXT = re.compile(r"(?:^|[^0-9])(" + PATTERN + r")(?:[^0-9]|$)")
_MOBILE = re.compile(r"(?:\+81[ -]?|0)[789]0")
_HINT = re.compile(r"電話|TEL|phone|携帯|連絡先|FAX", re.IGNORECASE)


def _digit_count_ok(value: str) -> bool:
    digits = re.sub(r"[^0-9]", "", value)
    if digits.startswith("81"):
        digits = "0" + digits[2:]
    return len(digits) == (11 if _MOBILE.match(value) else 10)


def is_phone(value: str) -> bool:
    text = normalize(value)
    return bool(FULL.fullmatch(text)) and _digit_count_ok(text)


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

    def count_sql(self, column_sql: str) -> str:
        v = sql_normalized(column_sql)
        digits = f"length(regexp_replace({v}, '[^0-9]', '', 'g'))"
        return (
            f"(regexp_full_match({v}, '{PATTERN}') AND "
            f"({digits} = 10 OR ({digits} = 11 AND regexp_matches({v}, '^(\\+81[ -]?|0)[789]0'))))"
        )


register_detector(PhoneDetector())
