"""Validators for Japanese codes used in catalog metadata."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NAME_RE = re.compile(r"^[a-z0-9_-]{2,100}$")


def local_government_code_check_digit(code5: str) -> int:
    """Check digit of a 全国地方公共団体コード (JIS X 0402): weights 6,5,4,3,2, mod 11.

    >>> local_government_code_check_digit("07202")  # 会津若松市 → 072028
    8
    """
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def is_valid_local_government_code(code: str) -> bool:
    if not re.fullmatch(r"\d{6}", code or ""):
        return False
    return local_government_code_check_digit(code[:5]) == int(code[5])


def validate_local_government_code(value: str) -> None:
    if value and not is_valid_local_government_code(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid 6-digit local government code (全国地方公共団体コード): "
                "check digit mismatch or wrong length."
            ),
            params={"value": value},
            code="invalid_local_government_code",
        )


def validate_name(value: str) -> None:
    if not NAME_RE.match(value or ""):
        raise ValidationError(
            _(
                "Must be 2–100 characters of lowercase letters a-z, digits, “-” or “_” "
                "(URLで使う名前は半角英小文字・数字・-・_ の2〜100文字にしてください)."
            ),
            code="invalid_name",
        )
