"""CKAN-style Action API for the privacy gate.

GET  /api/3/action/privacy_scan_show?id=<version id or resource id>
POST /api/3/action/privacy_decision_create
     {"id": <version id>, "decision": "approve"|"reject", "reason_code": ..., "note": ...}
"""

from hiraku.api.registry import ActionContext, action
from hiraku.catalog.errors import ValidationFailed, bilingual

from .selectors import scan_as_dict, version_for_review
from .services import decision_create


def _ref(data: dict) -> str:
    ref = data.get("id") or data.get("version_id") or data.get("resource_id")
    if not ref:
        raise ValidationFailed(
            bilingual("id (バージョンID) が必要です", "Missing id (version id)"),
            {"id": [bilingual("必須項目です", "Missing value")]},
        )
    return str(ref)


@action("privacy_scan_show")
def privacy_scan_show(ctx: ActionContext, data: dict) -> dict:
    """The privacy scan of a resource version (or a resource's current version): findings per
    column with masked examples, state, decisions and whether it is held. Editors and approvers."""
    return scan_as_dict(version_for_review(_ref(data), user=ctx.user))


@action("privacy_decision_create", write=True)
def privacy_decision_create(ctx: ActionContext, data: dict) -> dict:
    """Record an approve/reject decision on a flagged version. Approvers only
    (site admins and the privacy-approvers group)."""
    version = version_for_review(_ref(data), user=ctx.user)
    decision_create(
        actor=ctx.user,
        version=version,
        decision=str(data.get("decision", "")),
        reason_code=str(data.get("reason_code", "")),
        note=str(data.get("note", "")),
    )
    return scan_as_dict(version)
