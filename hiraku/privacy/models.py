"""Privacy scan results and approvers' decisions, one scan per resource version.

A version is held back from the public (hiraku.privacy.gate) while its scan is pending, or when
it was flagged high and no approver has approved it, or when the latest decision rejects it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hiraku.catalog.models import ResourceVersion


class ScanState(models.TextChoices):
    PENDING = "pending", _("Pending")
    CLEAR = "clear", _("Clear")
    FLAGGED = "flagged", _("Flagged")


class Risk(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve (publish)")
    REJECT = "reject", _("Reject (keep unpublished)")


class ReasonCode(models.TextChoices):
    """From the city's policy (基本原則①): what may not be published, and why something may."""

    PERSONAL_INFORMATION = "personal_information", _("Personal information")
    UNFAIR_HARM = "unfair_harm", _("Would unfairly harm a person or organisation")
    NON_DISCLOSURE = "non_disclosure", _("Exempt from disclosure")
    ANONYMISED_OK = "anonymised_ok", _("Properly anonymised (匿名加工情報)")
    NOT_PERSONAL = "not_personal", _("Not personal information")


APPROVE_REASONS = {ReasonCode.ANONYMISED_OK, ReasonCode.NOT_PERSONAL}
REJECT_REASONS = {
    ReasonCode.PERSONAL_INFORMATION,
    ReasonCode.UNFAIR_HARM,
    ReasonCode.NON_DISCLOSURE,
}


class PrivacyScan(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.OneToOneField(
        ResourceVersion, on_delete=models.CASCADE, related_name="privacy_scan"
    )
    state = models.CharField(max_length=20, choices=ScanState.choices, default=ScanState.PENDING)
    highest_risk = models.CharField(max_length=10, choices=Risk.choices, blank=True)
    # [{"table", "columns", "row_count", "rows_sampled", "highest_risk",
    #   "findings": [{"column", "kind", "risk", "count", "examples", "estimated", "reason"}]}]
    findings = models.JSONField(default=list, blank=True)
    detected_format = models.CharField(max_length=20, blank=True)
    message = models.TextField(
        blank=True, help_text="Bilingual note, e.g. why a file was not scanned."
    )
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    scanned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["state", "highest_risk"])]

    def __str__(self) -> str:
        return f"{self.version} {self.state} {self.highest_risk}"


class PrivacyDecision(models.Model):
    """An approver's decision on one version. Never changed or deleted; the newest one counts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(
        ResourceVersion, on_delete=models.CASCADE, related_name="privacy_decisions"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="privacy_decisions"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason_code = models.CharField(max_length=30, choices=ReasonCode.choices)
    note = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.version} {self.decision} ({self.reason_code})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("PrivacyDecision is immutable; record a new decision instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("PrivacyDecision is immutable and cannot be deleted.")
