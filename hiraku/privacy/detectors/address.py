"""Street addresses down to 番地/号 ("須磨区大黒町4-1-1", "番町五丁目1番16号", "一丁目2番3号"),
and postal codes (reported only when a street-address column is in the same table)."""

import re

from . import phone
from .base import Evidence, first_examples, normalize
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
# The same for DuckDB on raw (not normalised) text: full-width digits and dashes spelled out,
# which is cheaper than normalising every address first.
_D, _DASH = "[0-9０-９]", "[-－ー‐―−‑]"
SQL_PATTERN = (
    rf"(?:{_D}+|[{_KANJI_NUM}]+)丁目{_D}+"
    rf"|{_D}+番地"
    rf"|{_D}+番{_D}+号?"
    rf"|[^\x00-\x7F]{_D}+{_DASH}{_D}+"
)
POSTAL = r"〒?[0-9]{3}-?[0-9]{4}"
_POSTAL_FULL = re.compile(POSTAL)
_HINT = re.compile(r"住所|所在地|居所|address|番地", re.IGNORECASE)
_POSTAL_HINT = re.compile(r"郵便番号|〒|zip|postal", re.IGNORECASE)


def has_street_address(value: str) -> bool:
    text = normalize(value)
    if not STREET.search(text):
        return False
    # "電話090-1111-2222" must not pass for "町4-1-1": look again without phone numbers.
    return bool(STREET.search(phone.IN_TEXT.sub(" ", text)))


def mask(value: str) -> str:
    """'須磨区大黒町4-1-1' -> '須磨区大黒町*-*-*' (digits hidden, the area kept)."""
    return re.sub(r"[0-9]", "*", normalize(value).translate(str.maketrans(_KANJI_NUM, "*" * 11)))


def mask_postal(value: str) -> str:
    text = normalize(value).lstrip("〒")
    return text[:3] + ("-****" if "-" in text else "****")


class AddressDetector:
    kind = "address"
    count_sql_raw = True  # count_sql takes the raw column (SQL_PATTERN is full-width aware)
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

    def matches(self, value: str) -> bool:
        return len(value) >= 4 and has_street_address(value)

    def count_sql(self, column_sql: str) -> str:
        return f"regexp_matches({column_sql}, '{SQL_PATTERN}')"


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

    def matches(self, value: str) -> bool:
        return bool(_POSTAL_FULL.fullmatch(normalize(value)))

    def count_sql(self, column_sql: str) -> str:
        return f"regexp_full_match({column_sql}, '{POSTAL}')"


register_detector(AddressDetector())
register_detector(PostalCodeDetector())
