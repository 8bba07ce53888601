"""Risk per finding, decided from the whole table: the same phone number is expected in a
facility list (low) and personal beside a column of people's names (high).

Rules (first that applies wins; "people" = a personal-name column outside a corporate context):
- my_number: always high.
- person_name: corporate context (株式会社, 代表取締役, agency_*) → low (public corporate
  information such as a company president); beside any other personal detail → high; alone → medium.
- phone / email / address / birth_date: beside people → high; birth_date → high anyway;
  facility or corporate context, or office role e-mail → low; otherwise medium (mobile phones,
  private-looking e-mail) or low.
- postal_code: kept only when a street-address column exists; never above the address's risk
  and never above medium without people.
- age: only reported beside people or birth dates (medium).
- free_text: a My Number, or a person named with a phone/e-mail in the same cell → high; a person
  or a private e-mail → medium; an office phone number in a note → low.
"""

import re

from .detectors import Evidence

RISK_ORDER = {"low": 1, "medium": 2, "high": 3}
_FACILITY_HEADER = re.compile(
    r"施設|名称|事業所|店舗|学校|避難|場所名|facility|^name$|stop_name|^名前?$", re.IGNORECASE
)
_CORPORATE_HEADER = re.compile(r"法人|会社|company|agency|corporat|president|代表取締役", re.I)
_CORPORATE_VALUE = re.compile(
    r"株式会社|有限会社|合同会社|合資会社|（株）|\(株\)|㈱|社団法人|財団法人|協同組合|代表取締役"
)
_PERSONAL_DETAIL = {"phone", "email", "address", "birth_date", "my_number", "age"}


def max_risk(risks) -> str | None:
    risks = [r for r in risks if r]
    return max(risks, key=RISK_ORDER.__getitem__) if risks else None


class TableContext:
    def __init__(self, columns: list[str], samples: dict[str, list[str]], evidence: dict):
        self.corporate = any(_CORPORATE_HEADER.search(c) for c in columns) or any(
            _CORPORATE_VALUE.search(v) for values in samples.values() for v in values[:200]
        )
        self.kinds = {ev.kind for evs in evidence.values() for ev in evs}
        person_hinted = any(
            ev.hinted for evs in evidence.values() for ev in evs if ev.kind == "person_name"
        )
        # A "名前" header in a facility list names facilities; it only counts as a facility
        # header when no personal-name column was found.
        self.facility = not person_hinted and any(_FACILITY_HEADER.search(c) for c in columns)
        self.people = "person_name" in self.kinds and not self.corporate


def risk_for(ev: Evidence, ctx: TableContext) -> tuple[str, str, str]:
    """(risk, reason_ja, reason_en) for one piece of evidence."""
    kind = ev.kind
    if kind == "my_number":
        return (
            "high",
            "検査数字が一致する12桁の個人番号",
            "12-digit numbers with a valid check digit",
        )
    if kind == "person_name":
        if ctx.corporate:
            return (
                "low",
                "法人の代表者等の公開情報とみられます",
                "Looks like public corporate information",
            )
        if ctx.kinds & _PERSONAL_DETAIL:
            return (
                "high",
                "氏名と連絡先・住所等が同じ表にあります",
                "Names beside contact or address details",
            )
        return "medium", "個人の氏名とみられる列です", "Values read as personal names"
    if kind == "free_text":
        found = ev.detail.get("kinds", {})
        if found.get("my_number") or found.get("person_with_contact"):
            return (
                "high",
                "自由記述に氏名と連絡先・個人番号があります",
                "Free text names people with contact details",
            )
        if found.get("person_name") or found.get("email"):
            return (
                "medium",
                "自由記述に氏名やメールがあります",
                "Free text mentions people or e-mail",
            )
        return (
            "low",
            "自由記述に電話番号があります (窓口等)",
            "Free text mentions phone numbers (offices?)",
        )
    if kind == "birth_date":
        return "high", "生年月日の列です", "A date-of-birth column"
    if kind == "age":
        return "medium", "氏名・生年月日と並ぶ年齢です", "Ages beside names or birth dates"
    if ctx.people:
        return "high", "個人の氏名の列と同じ表にあります", "In the same table as personal names"
    if ctx.facility or ctx.corporate:
        return (
            "low",
            "施設・法人の連絡先とみられます",
            "Looks like a facility's or company's contact",
        )
    if kind == "email":
        if ev.detail.get("role_share", 0) >= 0.8:
            return "low", "組織の窓口アドレスとみられます", "Looks like office contact addresses"
        return (
            "medium",
            "個人のメールアドレスの可能性があります",
            "May be personal e-mail addresses",
        )
    if kind == "phone" and ev.detail.get("mobile_share", 0) < 0.5:
        return (
            "low",
            "固定電話番号です (個人名の列はありません)",
            "Fixed-line numbers; no personal-name column",
        )
    return "medium", "個人に結びつく可能性があります", "May relate to individuals"


def keep(ev: Evidence, ctx: TableContext) -> bool:
    if ev.kind == "postal_code":
        return "address" in ctx.kinds
    if ev.kind == "age":
        return ctx.people or "birth_date" in ctx.kinds
    return True


def cap_postal(risk: str, address_risk: str | None, ctx: TableContext) -> str:
    limit = address_risk or "low"
    if not ctx.people:
        limit = min(limit, "medium", key=RISK_ORDER.__getitem__)
    return min(risk, limit, key=RISK_ORDER.__getitem__)
