"""The privacy release gate, registered with hiraku.catalog.gates in PrivacyConfig.ready().

Held (a bilingual reason is returned) when:
- the version has no finished scan yet (pending, or no scan row: e.g. created before the
  privacy app or while the worker was down);
- the newest decision rejects it;
- the scan flagged high risk and there is no approve decision.
"""

from django.db.models import OuterRef, Subquery

from hiraku.catalog.errors import bilingual
from hiraku.catalog.models import ResourceVersion

from .models import Decision, PrivacyDecision, PrivacyScan, Risk, ScanState


def privacy_hold_reason(version: ResourceVersion) -> str | None:
    # One query: the data API asks this on every request, so the newest decision rides along
    # with the scan as a subquery.
    newest_decision = (
        PrivacyDecision.objects.filter(version_id=OuterRef("version_id"))
        .order_by("-created")
        .values("decision")[:1]
    )
    scan = (
        PrivacyScan.objects.filter(version_id=version.pk)
        .annotate(latest_decision=Subquery(newest_decision))
        .values("state", "highest_risk", "latest_decision")
        .first()
    )
    if scan is None or scan["state"] == ScanState.PENDING:
        return bilingual("個人情報の検査が終わっていません", "The privacy scan has not finished")
    latest = scan["latest_decision"]
    if latest == Decision.REJECT:
        return bilingual(
            "個人情報等の理由で公開が却下されています", "Publication was rejected (privacy)"
        )
    if scan["state"] == ScanState.FLAGGED and scan["highest_risk"] == Risk.HIGH and latest is None:
        return bilingual(
            "個人情報の可能性があり、承認待ちです",
            "May contain personal information; waiting for an approver",
        )
    return None
