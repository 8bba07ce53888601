"""E-mail addresses. Role addresses of an office (info@, soumu@, @city.*.lg.jp) are noted so the
context step can treat them as public contact points."""

import re

from .base import Evidence, first_examples, normalize
from .registry import register_detector

PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
FULL = re.compile(PATTERN)
IN_TEXT = re.compile(PATTERN)
_ROLE = re.compile(
    r"^(info|contact|office|admin|support|soumu|koho|kikaku|webmaster|toiawase|inquiry|mail)@"
    r"|\.lg\.jp$|\.go\.jp$",
    re.IGNORECASE,
)
_HINT = re.compile(r"mail|メール|Ｅメール", re.IGNORECASE)


def mask(value: str) -> str:
    """'yamada.taro@example.jp' -> 'ya***@example.jp'."""
    local, _, domain = normalize(value).partition("@")
    return f"{local[:2]}***@{domain}"


class EmailDetector:
    kind = "email"
    label_ja = "メールアドレス"
    label_en = "E-mail address"

    def inspect(self, column: str, values: list[str]) -> Evidence | None:
        hinted = bool(_HINT.search(column))
        emails = [v for v in values if FULL.fullmatch(normalize(v))]
        if not emails or (len(emails) < 0.5 * len(values) and not hinted):
            return None
        role = sum(1 for v in emails if _ROLE.search(normalize(v)))
        return Evidence(
            kind=self.kind,
            matches=len(emails),
            sampled=len(values),
            examples=first_examples(emails, mask),
            hinted=hinted,
            detail={"role_share": role / len(emails)},
        )

    def matches(self, value: str) -> bool:
        return bool(FULL.fullmatch(normalize(value)))

    def count_sql(self, column_sql: str) -> str:
        return f"regexp_full_match({column_sql}, '{PATTERN}')"


register_detector(EmailDetector())
