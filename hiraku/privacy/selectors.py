"""Privacy reads: a version for review (permission-checked), the review queue, a scan as a dict."""

import uuid

from django.db.models import Q, QuerySet

from hiraku.catalog import permissions as catalog_permissions
from hiraku.catalog.errors import NotAuthorized, NotFound, bilingual
from hiraku.catalog.gates import hold_reasons
from hiraku.catalog.models import ResourceVersion

from .models import PrivacyScan, Risk, ScanState
from .permissions import can_approve, can_view_scan

_NOT_FOUND = bilingual("リソースのバージョンが見つかりません", "Resource version not found")


def version_for_review(ref: str, *, user) -> ResourceVersion:
    """A version by id (or a resource id: its current version) whose findings the user may see."""
    try:
        key = uuid.UUID(str(ref))
    except (ValueError, AttributeError):
        raise NotFound(_NOT_FOUND) from None
    qs = ResourceVersion.objects.select_related(
        "resource", "resource__dataset", "resource__dataset__organization"
    )
    version = qs.filter(pk=key).first()
    if version is None:
        version = qs.filter(resource_id=key, resource__state="active").order_by("-number").first()
    if version is None or not catalog_permissions.can_read_dataset(user, version.resource.dataset):
        raise NotFound(_NOT_FOUND)
    if not can_view_scan(user, version):
        raise NotAuthorized(
            bilingual("検査結果を見る権限がありません", "Not authorized to see this privacy scan")
        )
    return version


def review_queue(user) -> QuerySet[PrivacyScan]:
    """Scans needing a person: pending, or flagged and not yet decided. Approvers see all;
    editors see their own organisations' versions."""
    qs = (
        PrivacyScan.objects.filter(
            Q(state=ScanState.PENDING)
            | Q(state=ScanState.FLAGGED, version__privacy_decisions__isnull=True)
        )
        .exclude(version__resource__state="deleted")
        .select_related("version", "version__resource", "version__resource__dataset")
        .order_by("-created")
        .distinct()
    )
    if can_approve(user):
        return qs
    from hiraku.catalog.models import Capacity

    org_ids = catalog_permissions.organization_ids_with(user, Capacity.EDITOR)
    return qs.filter(version__resource__dataset__organization_id__in=org_ids)


def scan_as_dict(version: ResourceVersion) -> dict:
    scan = PrivacyScan.objects.filter(version=version).first()
    decisions = [
        {
            "decision": d.decision,
            "reason_code": d.reason_code,
            "note": d.note,
            "approver": d.approver.username,
            "created": d.created.isoformat(),
        }
        for d in version.privacy_decisions.select_related("approver").order_by("-created")
    ]
    return {
        "version_id": str(version.pk),
        "resource_id": str(version.resource_id),
        "version_number": version.number,
        "state": scan.state if scan else ScanState.PENDING,
        "highest_risk": scan.highest_risk if scan else "",
        "format": scan.detected_format if scan else "",
        "message": scan.message if scan else "",
        "scanned_at": scan.scanned_at.isoformat() if scan and scan.scanned_at else None,
        "tables": scan.findings if scan else [],
        "decisions": decisions,
        "held": bool(hold_reasons(version)),
        "hold_reasons": hold_reasons(version),
        "needs_decision": bool(scan and scan.state == ScanState.FLAGGED and not decisions)
        and scan.highest_risk == Risk.HIGH,
    }
