"""Personal names: values SudachiPy reads as 人名 (姓/名) and nothing else, helped by column names
such as 氏名, 名前, フリガナ, 申請者, 代表者. Only short text columns are looked at, and only a
bounded sample of them, so Sudachi never runs over a whole large file."""

import re

from .base import Evidence, first_examples
from .registry import register_detector
from .sudachi import person_name_parts

SAMPLE = 400
_HINT = re.compile(
    r"氏名|名前|姓名|^姓$|^名$|フリガナ|ふりがな|申請者|代表者|届出人|世帯主|保護者|担当者|"
    r"契約者|利用者|患者|本人|person|full_?name$|first_?name|last_?name|president_?name",
    re.IGNORECASE,
)
_KANA_ONLY = re.compile(r"[ァ-ヶー\s　]+")
_KANA_HINT = re.compile(r"フリガナ|ふりがな|カナ|kana", re.IGNORECASE)


def is_person_name(value: str) -> bool:
    """'山田 太郎' / '佐藤花子' -> True; '本庄小学校' / '中島' (a lone surname) -> False."""
    if len(value) > 16 or any(c.isdigit() for c in value):
        return False
    surname, given, other = person_name_parts(value)
    return other == 0 and surname >= 1 and given >= 1


def is_lone_name(value: str) -> bool:
    if len(value) > 8 or any(c.isdigit() for c in value):
        return False
    surname, given, other = person_name_parts(value)
    return other == 0 and surname + given >= 1


def mask(value: str) -> str:
    """'山田 太郎' -> '山○ ○○'."""
    return "".join(c if i == 0 or c in " 　" else "○" for i, c in enumerate(value.strip()))


def is_candidate(values: list[str]) -> bool:
    """Short text without digits, the shape of a name column."""
    if not values:
        return False
    lengths = [len(v) for v in values[:200]]
    digits = sum(any(c.isdigit() for c in v) for v in values[:200])
    return 2 <= sum(lengths) / len(lengths) <= 14 and digits < 0.2 * len(lengths)


class PersonNameDetector:
    kind = "person_name"
    label_ja = "個人の氏名"
    label_en = "Personal name"

    def inspect(self, column: str, values: list[str]) -> Evidence | None:
        hinted = bool(_HINT.search(column))
        if not (hinted or is_candidate(values)):
            return None
        sample = values[:SAMPLE]
        full = [v for v in sample if is_person_name(v)]
        hits = full
        if hinted:
            hits = [v for v in sample if is_person_name(v) or is_lone_name(v)]
            if not hits and _KANA_HINT.search(column):
                # フリガナ column: katakana words the dictionary may not list, "ヤマダ タロウ".
                hits = [v for v in sample if _KANA_ONLY.fullmatch(v) and 2 <= len(v) <= 14]
        needed = 0.3 if hinted else 0.5
        if not hits or len(hits) < needed * len(sample):
            return None
        return Evidence(
            kind=self.kind,
            matches=len(hits),
            sampled=len(sample),
            examples=first_examples(hits, mask),
            hinted=hinted,
        )

    def matches(self, value: str) -> None:
        return None  # estimated from the sample share

    def count_sql(self, column_sql: str) -> None:
        return None  # estimated from the sample share


register_detector(PersonNameDetector())
