"""`hiraku demo`: the demo catalog is complete, faithful to its sources and idempotent."""

import io
import sys
import types

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.management import call_command

from hiraku.catalog import permissions
from hiraku.catalog.demo import synthetic
from hiraku.catalog.demo.datasets import DATASETS
from hiraku.catalog.demo.structure import DEMO_PASSWORD, USERS
from hiraku.catalog.licenses import LICENSES_BY_ID
from hiraku.catalog.models import (
    ActivityEvent,
    Category,
    Dataset,
    Membership,
    Organization,
    Resource,
    ResourceVersion,
)

REQUIRED = {
    "aed-locations-takamatsu",
    "fire-water-supply",
    "parks-and-play-equipment",
    "population-by-age-takamatsu",
    "events",
    "paid-parking",
    "designated-shelters-aizuwakamatsu",
    "indoor-shelters-kobe",
    "public-toilets-takamatsu",
    "city-tax-settlement-takamatsu",
    "school-children-kobe",
    "local-governments-japan",
}


def _run_demo() -> str:
    out = io.StringIO()
    call_command("demo", "--no-privacy", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _counts() -> dict[str, int]:
    models = (
        Organization,
        Category,
        User,
        Membership,
        Dataset,
        Resource,
        ResourceVersion,
        ActivityEvent,
    )
    return {model.__name__: model.objects.count() for model in models}


def _stored_bytes(dataset_name: str, resource_name: str | None = None) -> bytes:
    resources = Resource.objects.filter(dataset__name=dataset_name, state="active")
    if resource_name:
        resources = resources.filter(name=resource_name)
    version = resources.get().current_version
    with version.file.open("rb") as handle:
        return handle.read()


def test_demo_catalog_contents(db, testdata):
    """One build, checked from every side (a build may ingest each upload inline in tests)."""
    _run_demo()
    _check_required_datasets()
    _check_real_files_byte_for_byte(testdata)
    _check_synthetic_labels()
    _check_two_numbered_versions()
    _check_organization_nesting()
    _check_roles_and_passwords()
    _check_private_dataset_sharing()


def _check_required_datasets():
    names = set(Dataset.objects.filter(state="active").values_list("name", flat=True))
    assert REQUIRED <= names
    assert len(names) >= 10
    for dataset in Dataset.objects.all():
        assert dataset.license_id in LICENSES_BY_ID
        assert dataset.source_note.strip(), dataset.name
        assert dataset.resources.filter(state="active", current_version__isnull=False).exists()


def _check_real_files_byte_for_byte(testdata):
    aed = _stored_bytes("aed-locations-takamatsu")
    assert aed == (testdata / "takamatsu_aed_locations.xlsx").read_bytes()
    assert aed[:2] == b"PK"  # the Excel workbook as published, not a conversion
    shelters = _stored_bytes("indoor-shelters-kobe")
    assert shelters == (testdata / "kobe_indoor_shelters_cp932.csv").read_bytes()
    shelters.decode("cp932")  # still Shift_JIS (CP932), not transcoded on upload
    with pytest.raises(UnicodeDecodeError):
        shelters.decode("utf-8")
    geojson = _stored_bytes("designated-shelters-aizuwakamatsu")
    assert geojson == (testdata / "aizuwakamatsu_designated_shelters.geojson").read_bytes()


def _check_synthetic_labels():
    for spec in DATASETS:
        dataset = Dataset.objects.get(name=spec.name)
        if "synthetic" in spec.source_note:
            assert "架空のデータ (synthetic)" in dataset.title
            assert "架空のデータ (synthetic)" in dataset.notes


def _check_two_numbered_versions():
    resource = Resource.objects.get(dataset__name="events", state="active")
    versions = list(resource.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert resource.current_version == versions[-1]
    assert versions[0].sha256 != versions[1].sha256
    assert versions[1].note == "2026年度"
    assert b"2026" in _stored_bytes("events")


def _check_organization_nesting():
    assert Organization.objects.get(name="johoseisaku").parent.name == "somu"
    assert Organization.objects.get(name="keibo").parent.title == "消防本部"
    aed = Dataset.objects.get(name="aed-locations-takamatsu")
    assert [o.name for o in aed.organization.ancestors()] == ["shobo"]
    assert set(aed.categories.values_list("title", flat=True)) == {"防災"}


def _check_roles_and_passwords():
    capacities = set(Membership.objects.values_list("capacity", flat=True))
    assert capacities == {"admin", "editor", "member"}
    for spec in USERS:
        assert User.objects.get(username=spec.username).check_password(DEMO_PASSWORD)
    somu_admin = User.objects.get(username="somu_admin")
    localgov = Dataset.objects.get(name="local-governments-japan")
    assert permissions.can_edit_dataset(somu_admin, localgov)  # inherited from 総務部 to 情報政策課


def _check_private_dataset_sharing():
    survey = Dataset.objects.get(name="citizen-survey-draft")
    assert survey.private
    assert not permissions.can_read_dataset(AnonymousUser(), survey)
    assert not permissions.can_read_dataset(User.objects.get(username="kanko_editor"), survey)
    assert permissions.can_read_dataset(User.objects.get(username="citizen"), survey)


def test_running_twice_duplicates_nothing_and_resumes_a_broken_run(db):
    _run_demo()
    before = _counts()
    output = _run_demo()
    assert _counts() == before
    assert "created: -" in output

    resource = Resource.objects.get(dataset__name="events", state="active")
    resource.versions.filter(number=2).delete()  # as if the run had stopped before version 2
    Dataset.objects.get(name="paid-parking").delete()
    _run_demo()
    assert resource.versions.count() == 2
    assert Dataset.objects.filter(name="paid-parking", state="active").exists()


def test_synthetic_files_are_deterministic():
    assert synthetic.fire_water_supply_csv() == synthetic.fire_water_supply_csv()
    assert synthetic.events_csv(2025) != synthetic.events_csv(2026)
    rows = synthetic.fire_water_supply_csv().decode("utf-8").splitlines()
    header = rows[0].split(",")
    assert header[:3] == ["全国地方公共団体コード", "ID", "地方公共団体名"]
    assert {"種別", "緯度", "経度", "口径"} <= set(header)
    lat, lon = (float(x) for x in rows[1].split(",")[12:14])
    assert 37.4 < lat < 37.6 and 139.8 < lon < 140.1


def test_a_missing_or_broken_privacy_demo_is_reported_not_fatal(db, monkeypatch):
    from hiraku.catalog.demo import builder

    monkeypatch.setitem(sys.modules, "hiraku.privacy.demo", None)  # import now fails
    report = builder.DemoReport()
    builder._privacy_demo(builder.loader_user(), report)
    assert "hiraku.privacy.demo" in report.problems[0] and " / " in report.problems[0]

    broken = types.ModuleType("hiraku.privacy.demo")
    broken.build_mesh_population_demo = lambda actor: 1 / 0
    monkeypatch.setitem(sys.modules, "hiraku.privacy.demo", broken)
    report = builder.DemoReport()
    builder._privacy_demo(builder.loader_user(), report)
    assert "ZeroDivisionError" in report.problems[0]
