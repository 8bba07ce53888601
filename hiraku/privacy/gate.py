"""The privacy release gate, registered with hiraku.catalog.gates in PrivacyConfig.ready().

Held (a bilingual reason is returned) when:
- the version has no finished scan yet (pending, or no scan row: e.g. created before the
  privacy app or while the worker was down);
- the newest decision rejects it;
- the scan flagged high risk and there is no approve decision.
"""

from django.db import connection

from hiraku.catalog.errors import bilingual
from hiraku.catalog.models import ResourceVersion

from .models import Decision, PrivacyDecision, PrivacyScan, Risk, ScanState


def _scan_sql() -> str:
    """The scan's state with the newest decision as a subquery, in one statement.

    Plain SQL written once: the data API asks this on every request, and building the same
    ORM query each time cost Django more (~1 ms) than the database spent answering it."""
    quote = connection.ops.quote_name
    scans, decisions = quote(PrivacyScan._meta.db_table), quote(PrivacyDecision._meta.db_table)
    return (
        f"SELECT s.state, s.highest_risk, (SELECT d.decision FROM {decisions} d"
        f" WHERE d.version_id = s.version_id ORDER BY d.created DESC LIMIT 1)"
        f" FROM {scans} s WHERE s.version_id = %s"
    )


def _scan_row(version: ResourceVersion) -> tuple | None:
    # The id as the backend stores it (hex text on SQLite, uuid on PostgreSQL).
    version_id = PrivacyScan._meta.get_field("version").get_db_prep_value(version.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(_scan_sql(), [version_id])
        return cursor.fetchone()


def privacy_hold_reason(version: ResourceVersion) -> str | None:
    row = _scan_row(version)
    if row is None or row[0] == ScanState.PENDING:
        return bilingual("個人情報の検査が終わっていません", "The privacy scan has not finished")
    state, highest_risk, latest = row
    if latest == Decision.REJECT:
        return bilingual(
            "個人情報等の理由で公開が却下されています", "Publication was rejected (privacy)"
        )
    if state == ScanState.FLAGGED and highest_risk == Risk.HIGH and latest is None:
        return bilingual(
            "個人情報の可能性があり、承認待ちです",
            "May contain personal information; waiting for an approver",
        )
    return None
