"""Dates of birth: a date column whose name says birth (生年月日, 誕生日, DOB), in Western or 和暦
form ("1985/4/1", "1985年4月1日", "昭和60年4月1日", "S60.4.1"); and ages beside them."""

import re

from .base import Evidence, first_examples, normalize
from .registry import register_detector

_WESTERN = r"(?:19|20)[0-9]{2}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?"
_WAREKI = (
    r"(?:明治|大正|昭和|平成|令和|[MTSHR])(?:[0-9]{1,2}|元)[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?"
)
PATTERN = rf"{_WESTERN}|{_WAREKI}"
DATE = re.compile(PATTERN)
_HINT = re.compile(r"生年月日|誕生日|生まれ|birth|dob\b|^dob", re.IGNORECASE)
_AGE_HINT = re.compile(r"年齢|^age$", re.IGNORECASE)


def mask(value: str) -> str:
    """'1985/04/01' -> '1985/**/**'; '昭和60年4月1日' -> '昭和60年*月*日'."""
    text = normalize(value)
    match = re.match(r"^(\D*[0-9元]+[-/.年])", text)
    head = match.group(1) if match else ""
    return head + re.sub(r"[0-9]", "*", text[len(head) :])


class BirthDateDetector:
    kind = "birth_date"
    label_ja = "生年月日"
    label_en = "Date of birth"

    def inspect(self, column: str, values: list[str]) -> Evidence | None:
        if not _HINT.search(column):
            return None
        dates = [v for v in values if DATE.fullmatch(normalize(v))]
        if not dates or len(dates) < 0.5 * len(values):
            return None
        return Evidence(
            kind=self.kind,
            matches=len(dates),
            sampled=len(values),
            examples=first_examples(dates, mask),
            hinted=True,
        )

    def matches(self, value: str) -> bool:
        return bool(DATE.fullmatch(normalize(value)))

    def count_sql(self, column_sql: str) -> str:
        return f"regexp_full_match({column_sql}, '{PATTERN}')"


class AgeDetector:
    """An age column (年齢) is a quasi-identifier: risky beside names or birth dates."""

    kind = "age"
    label_ja = "年齢"
    label_en = "Age"

    def inspect(self, column: str, values: list[str]) -> Evidence | None:
        if not _AGE_HINT.search(column):
            return None
        ages = [v for v in values if re.fullmatch(r"[0-9]{1,3}歳?", normalize(v))]
        if not ages or len(ages) < 0.8 * len(values):
            return None
        return Evidence(
            kind=self.kind,
            matches=len(ages),
            sampled=len(values),
            examples=[],
            hinted=True,
        )

    def matches(self, value: str) -> bool:
        return bool(re.fullmatch(r"[0-9]{1,3}歳?", normalize(value)))

    def count_sql(self, column_sql: str) -> str:
        return f"regexp_full_match({column_sql}, '[0-9]{{1,3}}歳?')"


register_detector(BirthDateDetector())
register_detector(AgeDetector())
