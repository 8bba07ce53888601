"""The release gate: flagged versions stay held for the public until an approver approves."""

import pytest
from django.db import transaction

from hiraku.api.registry import ActionContext
from hiraku.catalog import actions
from hiraku.catalog.errors import NotAuthorized, ValidationFailed
from hiraku.catalog.models import ActivityEvent
from hiraku.catalog.permissions import can_download_version
from hiraku.privacy import api_actions
from hiraku.privacy.models import PrivacyDecision, PrivacyScan
from hiraku.privacy.services import decision_create
from tests.conftest import make_upload

RESIDENTS = (
    "氏名,電話番号,住所\n"
    "山田 太郎,090-1234-5678,会津若松市追手町1-1\n"
    "佐藤 花子,080-2345-6789,会津若松市栄町2番3号\n"
    "鈴木 一郎,070-3456-7890,会津若松市城東町4-5-6\n"
).encode()
FACILITIES = (
    "施設名,住所,電話番号\n"
    "会津若松市役所,会津若松市東栄町3-46,0242-39-1111\n"
    "鶴ヶ城会館,会津若松市追手町4-47,0242-28-2288\n"
).encode()


def _upload(catalog, name: str, content: bytes):
    with transaction.atomic():
        resource = actions.resource_create(
            actor=catalog.joho_editor,
            dataset=catalog.aed,
            data={"name": name},
            upload=make_upload(name, content),
        )
    return resource.current_version


@pytest.fixture
def flagged(catalog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = _upload(catalog, "residents.csv", RESIDENTS)
    return version


def test_flagged_version_held_for_public_until_approved(catalog, flagged, approver):
    scan = PrivacyScan.objects.get(version=flagged)
    assert scan.state == "flagged" and scan.highest_risk == "high"
    kinds = {f["kind"] for t in scan.findings for f in t["findings"]}
    assert {"person_name", "phone", "address"} <= kinds
    for user in (catalog.anonymous, catalog.outsider, catalog.joho_member):
        assert not can_download_version(user, flagged)
    assert can_download_version(catalog.joho_editor, flagged)  # editors review it

    decision_create(actor=approver, version=flagged, decision="approve", reason_code="not_personal")
    assert can_download_version(catalog.anonymous, flagged)
    assert ActivityEvent.objects.filter(verb="privacy_approve", object_id=str(flagged.pk)).exists()


def test_reject_keeps_it_held(catalog, flagged, approver):
    decision_create(
        actor=approver, version=flagged, decision="reject", reason_code="personal_information"
    )
    assert not can_download_version(catalog.anonymous, flagged)
    assert not can_download_version(catalog.outsider, flagged)


def test_clear_version_released(catalog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = _upload(catalog, "facilities.csv", FACILITIES)
    scan = PrivacyScan.objects.get(version=version)
    assert scan.highest_risk in ("low", "")
    assert can_download_version(catalog.anonymous, version)


def test_pending_scan_holds(catalog):
    version = _upload(catalog, "facilities.csv", FACILITIES)  # on-commit never ran: no scan
    assert not can_download_version(catalog.anonymous, version)


def test_non_approver_cannot_decide(catalog, flagged):
    for user in (catalog.joho_editor, catalog.joho_admin, catalog.outsider):
        with pytest.raises(NotAuthorized):
            decision_create(
                actor=user, version=flagged, decision="approve", reason_code="not_personal"
            )
    assert not PrivacyDecision.objects.exists()
    assert not can_download_version(catalog.anonymous, flagged)


def test_reason_must_fit_decision(flagged, approver):
    with pytest.raises(ValidationFailed) as err:
        decision_create(
            actor=approver, version=flagged, decision="approve", reason_code="personal_information"
        )
    assert "reason_code" in err.value.errors


def test_decisions_are_immutable(flagged, approver):
    made = decision_create(
        actor=approver, version=flagged, decision="reject", reason_code="unfair_harm"
    )
    made.note = "changed"
    with pytest.raises(RuntimeError):
        made.save()
    with pytest.raises(RuntimeError):
        made.delete()


def test_api_actions(rf, catalog, flagged, approver):
    request = rf.get("/")
    shown = api_actions.privacy_scan_show(
        ActionContext(request=request, user=catalog.joho_editor), {"id": str(flagged.pk)}
    )
    assert shown["held"] and shown["highest_risk"] == "high"
    names = [f for t in shown["tables"] for f in t["findings"] if f["kind"] == "person_name"]
    assert names[0]["examples"][0].startswith("山○")  # masked, never the raw name

    with pytest.raises(NotAuthorized):
        api_actions.privacy_decision_create(
            ActionContext(request=request, user=catalog.joho_editor),
            {"id": str(flagged.pk), "decision": "approve", "reason_code": "not_personal"},
        )
    with pytest.raises(NotAuthorized):
        api_actions.privacy_scan_show(
            ActionContext(request=request, user=catalog.outsider), {"id": str(flagged.pk)}
        )
    result = api_actions.privacy_decision_create(
        ActionContext(request=request, user=approver),
        {"id": str(flagged.pk), "decision": "approve", "reason_code": "anonymised_ok"},
    )
    assert result["held"] is False
    assert can_download_version(catalog.anonymous, flagged)


def test_backfill_scans_pending_versions(catalog):
    from django.core.management import call_command

    version = _upload(catalog, "facilities.csv", FACILITIES)  # on-commit never ran
    assert not can_download_version(catalog.anonymous, version)
    call_command("privacy_backfill")
    scan = PrivacyScan.objects.get(version=version)
    assert scan.state == "flagged" and scan.highest_risk == "low"  # facility phones: noted only
    assert can_download_version(catalog.anonymous, version)


@pytest.mark.urls("tests.privacy.urls")
def test_api_over_http_with_tokens(client, catalog, flagged, approver):
    import json

    from hiraku.accounts.services import token_create

    _, editor_token = token_create(user=catalog.joho_editor, name="t")
    _, approver_token = token_create(user=approver, name="t")
    body = json.dumps({"id": str(flagged.pk), "decision": "approve", "reason_code": "not_personal"})

    def post(token):
        return client.post(
            "/api/3/action/privacy_decision_create",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=token,
        )

    refused = post(editor_token)
    assert refused.status_code == 403 and refused.json()["success"] is False
    assert client.post(
        "/api/3/action/privacy_decision_create", body, content_type="application/json"
    ).status_code in (401, 403)  # anonymous
    assert not PrivacyDecision.objects.exists()
    shown = client.get(
        f"/api/3/action/privacy_scan_show?id={flagged.pk}", HTTP_AUTHORIZATION=editor_token
    )
    assert shown.status_code == 200 and shown.json()["result"]["held"] is True
    accepted = post(approver_token)
    assert accepted.status_code == 200 and accepted.json()["result"]["held"] is False
    assert can_download_version(catalog.anonymous, flagged)
