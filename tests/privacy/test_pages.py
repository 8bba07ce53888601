"""Privacy pages: review and decision, queue, anonymise form, mesh map, and the demo dataset."""

import json

import pytest
from django.urls import reverse

from hiraku.catalog import actions
from hiraku.catalog.models import Resource
from hiraku.catalog.permissions import can_download_version
from hiraku.privacy.models import PrivacyDecision, PrivacyScan
from tests.conftest import make_upload

pytestmark = pytest.mark.urls("tests.privacy.urls")

REGISTER = (
    "氏名,電話番号,緯度,経度,年齢\n"
    + "".join(
        f"{name},090-1234-{i:04d},37.4948,139.9298,{age}\n"
        for i, (name, age) in enumerate(
            [
                ("山田 太郎", 70),
                ("佐藤 花子", 8),
                ("鈴木 一郎", 40),
                ("高橋 美咲", 41),
                ("田中 翔太", 42),
            ]
        )
    )
).encode()


@pytest.fixture
def flagged(catalog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resource = actions.resource_create(
            actor=catalog.joho_editor,
            dataset=catalog.aed,
            data={"name": "register.csv"},
            upload=make_upload("register.csv", REGISTER),
        )
    return resource.current_version


def _url(version):
    return reverse("privacy:version", kwargs={"version_id": version.pk})


def test_approver_reviews_and_approves(client, flagged, approver):
    client.force_login(approver)
    page = client.get(_url(flagged))
    assert page.status_code == 200
    html = page.content.decode()
    assert "山○ ○○" in html and "山田 太郎" not in html  # masked examples only
    assert 'name="reason_code"' in html
    assert "判断を記録する" in html  # Japanese first (hiraku/privacy/locale)
    response = client.post(
        _url(flagged), {"decision": "approve", "reason_code": "not_personal", "note": "確認済"}
    )
    assert response.status_code == 302
    assert PrivacyDecision.objects.get(version=flagged).approver == approver


def test_wrong_reason_shows_form_error(client, flagged, approver):
    client.force_login(approver)
    response = client.post(
        _url(flagged), {"decision": "approve", "reason_code": "personal_information"}
    )
    assert response.status_code == 400
    assert "reason" in response.content.decode()
    assert not PrivacyDecision.objects.exists()


def test_non_approver_cannot_decide_through_the_page(client, catalog, flagged):
    client.force_login(catalog.joho_editor)
    page = client.get(_url(flagged))
    assert page.status_code == 200 and 'name="reason_code"' not in page.content.decode()
    response = client.post(_url(flagged), {"decision": "approve", "reason_code": "not_personal"})
    assert response.status_code == 403
    assert not PrivacyDecision.objects.exists()
    assert not can_download_version(catalog.anonymous, flagged)
    client.force_login(catalog.outsider)
    assert client.get(_url(flagged)).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, flagged):
    assert client.get(_url(flagged)).status_code == 302


def test_queue(client, catalog, flagged, approver):
    client.force_login(approver)
    assert str(flagged.pk) in client.get(reverse("privacy:queue")).content.decode()
    client.force_login(catalog.outsider)
    assert client.get(reverse("privacy:queue")).status_code == 403


def test_anonymise_page_creates_derived_resource(
    client, catalog, flagged, django_capture_on_commit_callbacks
):
    url = reverse("privacy:anonymise", kwargs={"resource_id": flagged.resource_id})
    client.force_login(catalog.outsider)
    assert client.get(url).status_code == 403
    client.force_login(catalog.joho_editor)
    assert client.get(url).status_code == 200
    ops = [
        {"op": "drop_columns", "columns": ["氏名", "電話番号"]},
        {"op": "age_bands", "column": "年齢", "scheme": "three", "into": "区分"},
        {"op": "mesh_counts", "lat": "緯度", "lon": "経度", "size_m": 250, "group_by": ["区分"]},
        {"op": "suppress_small_cells", "row_key": "mesh_code", "column_key": "区分"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"name": "register_mesh", "ops": json.dumps(ops)})
    assert response.status_code == 302
    derived = Resource.objects.get(name="register_mesh.csv")
    assert derived.dataset_id == flagged.resource.dataset_id
    record = json.loads(derived.extras["processing_record"])
    assert [s["operation"] for s in record["steps"]] == [o["op"] for o in ops]
    assert "匿名加工" in derived.description
    scan = PrivacyScan.objects.get(version=derived.current_version)  # its own scan ran
    assert scan.state in ("clear", "flagged") and scan.highest_risk != "high"
    assert can_download_version(catalog.anonymous, derived.current_version)

    bad = client.post(url, {"name": "x", "ops": '[{"op": "nope"}]'})
    assert bad.status_code == 200 and "unknown" in bad.content.decode()


def test_demo_dataset_and_mesh_map(client, catalog, django_capture_on_commit_callbacks):
    from hiraku.privacy.demo import build_mesh_population_demo

    with django_capture_on_commit_callbacks(execute=True):
        dataset = build_mesh_population_demo(catalog.sysadmin)
    assert build_mesh_population_demo(catalog.sysadmin).pk == dataset.pk  # idempotent
    assert dataset.is_public and "合成" in dataset.title
    mesh = dataset.resources.get(name="mesh_population_250m.csv")
    assert json.loads(mesh.extras["processing_record"])["steps"]
    source = Resource.objects.get(name="synthetic_resident_register.csv")
    assert source.dataset.private  # the point-level register is never public
    response = client.get(reverse("privacy:mesh", kwargs={"resource_id": mesh.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/leaflet/leaflet.js" in html and "5639179" in html
    cells = json.loads(
        html.split('id="mesh-cells" type="application/json">')[1].split("</script>")[0]
    )
    assert all(len(c["code"]) == 10 and len(c["bounds"]) == 2 for c in cells)
    # the raw register cannot be drawn for the public
    assert client.get(reverse("privacy:mesh", kwargs={"resource_id": source.pk})).status_code == 404


def test_status_partial(rf, catalog, flagged):
    from django.template import Context, Template

    template = Template("{% load privacy_tags %}{% privacy_status version %}")
    request = rf.get("/")
    request.user = catalog.joho_editor
    html = template.render(Context({"request": request, "version": flagged}))
    assert reverse("privacy:version", kwargs={"version_id": flagged.pk}) in html
    request.user = catalog.anonymous
    assert "privacy" not in template.render(Context({"request": request, "version": flagged}))
