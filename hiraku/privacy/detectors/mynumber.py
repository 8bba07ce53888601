"""マイナンバー (個人番号): 12 digits whose last is a check digit (japan-standards.md §5.3).

About 10% of random 12-digit strings pass the check, so a column counts only when nearly all of
its 12-digit values pass, or its name says so. 法人番号 (13 digits) is public and never matches.
"""

import re

from .base import Evidence, first_examples, normalize
from .registry import register_detector

_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_SHAPE = re.compile(r"[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}")
_HINT = re.compile(r"個人番号|マイナンバー|my_?number|mynumber", re.IGNORECASE)
# Inside free text: 12 digits not part of a longer number.
IN_TEXT = re.compile(r"(?:^|[^0-9])([0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4})(?:[^0-9]|$)")


def check_digit(first11: str) -> int:
    """'12345678901' -> 8 (so 123456789018 is well-formed)."""
    remainder = sum(int(d) * w for d, w in zip(first11, _WEIGHTS, strict=True)) % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_my_number(value: str) -> bool:
    digits = normalize(value).replace(" ", "").replace("-", "")
    if len(digits) != 12 or not digits.isdigit():
        return False
    if not _SHAPE.fullmatch(normalize(value)):
        return False
    return check_digit(digits[:11]) == int(digits[11])


def mask(value: str) -> str:
    digits = normalize(value).replace(" ", "").replace("-", "")
    return f"{digits[:4]}****{digits[8:]}"


class MyNumberDetector:
    kind = "my_number"
    label_ja = "マイナンバー (個人番号)"
    label_en = "My Number (individual number)"

    def inspect(self, column: str, values: list[str]) -> Evidence | None:
        hinted = bool(_HINT.search(column))
        twelve = [v for v in values if _SHAPE.fullmatch(normalize(v))]
        valid = [v for v in twelve if is_my_number(v)]
        if not valid:
            return None
        # Random 12-digit codes pass 1 time in 10; demand near-certainty without a hint.
        if not hinted and (len(valid) < 0.9 * len(twelve) or len(twelve) < 0.5 * len(values)):
            return None
        return Evidence(
            kind=self.kind,
            matches=len(valid),
            sampled=len(values),
            examples=first_examples(valid, mask),
            hinted=hinted,
        )

    def matches(self, value: str) -> bool:
        return is_my_number(value)

    def count_sql(self, column_sql: str) -> str:
        v = f"replace(replace({column_sql}, '-', ''), ' ', '')"
        weighted = " + ".join(
            f"{w} * (ascii(substr({v}, {i + 1}, 1)) - 48)" for i, w in enumerate(_WEIGHTS)
        )
        digit = f"(ascii(substr({v}, 12, 1)) - 48)"
        remainder = f"(({weighted}) % 11)"
        return (
            f"(regexp_full_match({v}, '[0-9]{{12}}') AND "
            f"{digit} = CASE WHEN {remainder} <= 1 THEN 0 ELSE 11 - {remainder} END)"
        )


register_detector(MyNumberDetector())
