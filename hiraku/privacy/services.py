"""Privacy writes: scan a version, record a decision. Keyword-only, one transaction each."""

import logging
import os
import shutil
import tempfile
import time

from django.db import transaction
from django.utils import timezone

from hiraku.catalog.errors import Conflict, NotAuthorized, ValidationFailed, bilingual
from hiraku.catalog.models import ActivityEvent, ResourceVersion

from .errors import ScanError
from .files import scan_file
from .models import (
    APPROVE_REASONS,
    REJECT_REASONS,
    Decision,
    PrivacyDecision,
    PrivacyScan,
    ReasonCode,
    Risk,
    ScanState,
)
from .permissions import can_approve

log = logging.getLogger(__name__)


def scan_pending(*, version: ResourceVersion) -> PrivacyScan:
    """Mark a version as waiting for its scan (held until the scan finishes)."""
    scan, _ = PrivacyScan.objects.get_or_create(version=version)
    return scan


def _local_copy(version: ResourceVersion, workdir: str) -> str:
    storage = version.file.storage
    try:
        return storage.path(version.file.name)
    except NotImplementedError:  # S3 and other remote storages
        target = os.path.join(workdir, "file")
        with version.file.open("rb") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        return target


def scan_version(*, version: ResourceVersion) -> PrivacyScan:
    """Scan a version's file and store the result. A file that cannot be read is flagged high,
    so nothing unchecked reaches the public without a person's decision."""
    scan = scan_pending(version=version)
    started = time.monotonic()
    state, risk, findings, fmt, message = ScanState.CLEAR, "", [], "", ""
    if not version.file:
        message = bilingual("ファイルがありません (リンクのみ)", "No uploaded file (link only)")
    else:
        with tempfile.TemporaryDirectory(prefix="hiraku-privacy-") as workdir:
            try:
                result = scan_file(_local_copy(version, workdir), version.original_filename)
            except ScanError as exc:
                state, risk = ScanState.FLAGGED, Risk.HIGH
                message = bilingual(
                    f"自動検査できませんでした。内容を確認してください: {exc.message_ja}",
                    f"Could not be scanned automatically; check it by hand: {exc.message_en}",
                )
            except Exception:
                log.exception("privacy scan of %s failed", version.pk)
                state, risk = ScanState.FLAGGED, Risk.HIGH
                message = bilingual(
                    "自動検査中にエラーが発生しました。内容を確認してください",
                    "The scan failed; check the file by hand",
                )
            else:
                fmt = result.format
                findings = [t.as_dict() for t in result.tables]
                risk = result.highest_risk or ""
                state = ScanState.FLAGGED if risk else ScanState.CLEAR
                if not result.tables:
                    message = bilingual(
                        "表形式のデータではないため自動検査の対象外です",
                        "Not tabular data; not scanned automatically",
                    )
    with transaction.atomic():
        scan.state, scan.highest_risk, scan.findings = state, risk, findings
        scan.detected_format, scan.message = fmt, message
        scan.duration_ms = int((time.monotonic() - started) * 1000)
        scan.scanned_at = timezone.now()
        scan.save()
        ActivityEvent.objects.create(
            actor=None,
            verb="privacy_scan",
            object_type="resourceversion",
            object_id=str(version.pk),
            dataset_id=version.resource.dataset_id,
            data={"state": state, "highest_risk": risk},
        )
    return scan


def decision_create(
    *, actor, version: ResourceVersion, decision: str, reason_code: str, note: str = ""
) -> PrivacyDecision:
    """Record an approver's decision. Approve needs anonymised_ok / not_personal; reject needs
    personal_information / unfair_harm / non_disclosure."""
    if not can_approve(actor):
        raise NotAuthorized(
            bilingual(
                "公開可否を判断する権限がありません (privacy-approvers グループが必要です)",
                "Not authorized to decide (membership of privacy-approvers is required)",
            )
        )
    errors: dict[str, list[str]] = {}
    if decision not in Decision.values:
        errors["decision"] = [bilingual("approve か reject です", "Must be approve or reject")]
    elif reason_code not in ReasonCode.values:
        errors["reason_code"] = [
            bilingual(
                f"理由は次のいずれかです: {', '.join(ReasonCode.values)}",
                f"Must be one of: {', '.join(ReasonCode.values)}",
            )
        ]
    else:
        allowed = APPROVE_REASONS if decision == Decision.APPROVE else REJECT_REASONS
        if reason_code not in allowed:
            errors["reason_code"] = [
                bilingual(
                    f"{decision} の理由は次のいずれかです: {', '.join(sorted(allowed))}",
                    f"For {decision} the reason must be one of: {', '.join(sorted(allowed))}",
                )
            ]
    if len(note) > 5000:
        errors["note"] = [bilingual("5000文字以内にしてください", "At most 5000 characters")]
    if errors:
        raise ValidationFailed(bilingual("入力に誤りがあります", "Invalid input"), errors)
    scan = PrivacyScan.objects.filter(version=version).first()
    if scan is None or scan.state == ScanState.PENDING:
        raise Conflict(
            bilingual(
                "検査が終わるまで判断できません", "Wait for the scan to finish before deciding"
            )
        )
    with transaction.atomic():
        made = PrivacyDecision.objects.create(
            version=version,
            approver=actor,
            decision=decision,
            reason_code=reason_code,
            note=note,
        )
        ActivityEvent.objects.create(
            actor=actor,
            verb=f"privacy_{decision}",
            object_type="resourceversion",
            object_id=str(version.pk),
            dataset_id=version.resource.dataset_id,
            data={"reason_code": reason_code, "note": note, "highest_risk": scan.highest_risk},
        )
    return made
