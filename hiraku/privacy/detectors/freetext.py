"""Free-text columns (備考, 内容, 相談内容...) that mention personal details inside sentences:
phone numbers, e-mail addresses, My Numbers, or a person's name ("山田太郎さん", "佐藤様")."""

import re

from . import email, mynumber, phone
from .base import Evidence, normalize
from .registry import register_detector
from .sudachi import tokenizer

SAMPLE = 300
_HONORIFIC = ("さん", "様", "氏", "君", "ちゃん", "殿")


def _mentions_person(text: str) -> bool:
    """A surname (and maybe a given name) followed by an honorific: '山田太郎さん', '佐藤様'.

    Sudachi reads many slogans and place lists as names ("四季かおる", "前田・三谷"), so in free
    text a name only counts with an honorific after it.
    """
    morphemes = list(tokenizer().tokenize(text[:400]))
    for i, m in enumerate(morphemes):
        if m.part_of_speech()[:4] != ("名詞", "固有名詞", "人名", "姓"):
            continue
        j = i + 1
        if j < len(morphemes) and morphemes[j].part_of_speech()[2:4] == ("人名", "名"):
            j += 1
        if j < len(morphemes) and morphemes[j].surface() in _HONORIFIC:
            return True
    return False


def cell_kinds(text: str) -> set[str]:
    norm = normalize(text)
    kinds = set()
    for match in phone.IN_TEXT.finditer(norm):
        if phone.is_phone(match.group(1)):
            kinds.add("phone")
            break
    if email.IN_TEXT.search(norm):
        kinds.add("email")
    for match in mynumber.IN_TEXT.finditer(norm):
        if mynumber.is_my_number(match.group(1)):
            kinds.add("my_number")
            break
    if _mentions_person(text):
        kinds.add("person_name")
    return kinds


def mask(text: str) -> str:
    norm = normalize(text)
    norm = email.IN_TEXT.sub(lambda m: email.mask(m.group(0)), norm)
    norm = re.sub(r"[0-9]", "*", norm)
    return norm[:40] + ("…" if len(norm) > 40 else "")


class FreeTextDetector:
    kind = "free_text"
    label_ja = "個人情報を含む可能性のある自由記述"
    label_en = "Free text that may hold personal details"

    def inspect(self, column: str, values: list[str]) -> Evidence | None:
        sample = values[:SAMPLE]
        if not sample or sum(len(v) for v in sample) / len(sample) < 20:
            return None
        counts: dict[str, int] = {"person_with_contact": 0}
        hits: list[str] = []
        for value in sample:
            kinds = cell_kinds(value)
            for kind in kinds:
                counts[kind] = counts.get(kind, 0) + 1
            if "person_name" in kinds and kinds & {"phone", "email"}:
                counts["person_with_contact"] += 1
            if kinds:
                hits.append(value)
        if not hits:
            return None
        return Evidence(
            kind=self.kind,
            matches=len(hits),
            sampled=len(sample),
            examples=[mask(v) for v in hits[:3]],
            detail={"kinds": counts},
        )

    def matches(self, value: str) -> None:
        return None  # estimated from the sample share

    def count_sql(self, column_sql: str) -> None:
        return None


register_detector(FreeTextDetector())
