"""Street addresses down to 番地/号 ("須磨区大黒町4-1-1", "番町五丁目1番16号", "一丁目2番3号"),
and postal codes (reported only when a street-address column is in the same table)."""

import re

from . import phone
from .base import Evidence, first_examples, normalize, sql_normalized
from .registry import register_detector

_KANJI_NUM = "一二三四五六七八九十〇"
# Any of: 丁目 followed by a number; 番地 / 番…号; a CJK character followed by n-n(-n).
PATTERN = (
    rf"(?:[0-9]+|[{_KANJI_NUM}]+)丁目[0-9]+"
    r"|[0-9]+番地"
    r"|[0-9]+番[0-9]+号?"
    r"|[^\x00-\x7F][0-9]+-[0-9]+(?:-[0-9]+)?"
)
STREET = re.compile(PATTERN)
POSTAL = r"〒?[0-9]{3}-?[0-9]{4}"
_POSTAL_FULL = re.compile(POSTAL)
_HINT = re.compile(r"住所|所在地|居所|address|番地", re.IGNORECASE)
_POSTAL_HINT = re.compile(r"郵便番号|〒|zip|postal", re.IGNORECASE)


def has_street_address(value: str) -> bool:
    # "電話090-1111-2222" must not pass for "町4-1-1": drop phone numbers first.
    text = phone.IN_TEXT.sub(" ", normalize(value))
    return bool(STREET.search(text))


def mask(value: str) -> str:
    """'須磨区大黒町4-1-1' -> '須磨区大黒町*-*-*' (digits hidden, the area kept)."""
    return re.sub(r"[0-9]", "*", normalize(value).translate(str.maketrans(_KANJI_NUM, "*" * 11)))


def mask_postal(value: str) -> str:
    text = normalize(value).lstrip("〒")
    return text[:3] + ("-****" if "-" in text else "****")


class AddressDetector:
    kind = "address"
    label_ja = "番地・号までの住所"
    label_en = "Street address (down to 番地/号)"

    def inspect(self, column: str, values: list[str]) -> Evidence | None:
        hinted = bool(_HINT.search(column))
        hits = [v for v in values if len(v) >= 4 and has_street_address(v)]
        if not hits or len(hits) < (0.2 if hinted else 0.5) * len(values):
            return None
        # A long text that mentions an address is the free-text detector's business.
        if sum(len(v) for v in hits) / len(hits) > 60:
            return None
        return Evidence(
            kind=self.kind,
            matches=len(hits),
            sampled=len(values),
            examples=first_examples(hits, mask),
            hinted=hinted,
        )

    def count_sql(self, column_sql: str) -> str:
        return f"regexp_matches({sql_normalized(column_sql)}, '{PATTERN}')"


class PostalCodeDetector:
    kind = "postal_code"
    label_ja = "郵便番号"
    label_en = "Postal code"

    def inspect(self, column: str, values: list[str]) -> Evidence | None:
        hinted = bool(_POSTAL_HINT.search(column))
        hits = [v for v in values if _POSTAL_FULL.fullmatch(normalize(v))]
        if not hits or len(hits) < 0.8 * len(values):
            return None
        # Seven bare digits are only a postal code when the column says so.
        if not hinted and not any("-" in normalize(v) or "〒" in v for v in hits):
            return None
        return Evidence(
            kind=self.kind,
            matches=len(hits),
            sampled=len(values),
            examples=first_examples(hits, mask_postal),
            hinted=hinted,
        )

    def count_sql(self, column_sql: str) -> str:
        return f"regexp_full_match({sql_normalized(column_sql)}, '{POSTAL}')"


register_detector(AddressDetector())
register_detector(PostalCodeDetector())
