"""Shared fixtures: a small catalog with every role, used by API, web and permission tests.

Organizations: soumu (総務部) > joho (情報政策課, a section under it); kankyo (環境部).
Users: sysadmin; joho_admin, joho_editor, joho_member; soumu_admin (inherits to joho);
kankyo_editor; outsider (signed in, no membership); student (shared on one private dataset).
Datasets: in joho public-aed, private-survey (shared with student), draft-plan;
in kankyo public-parks.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import SimpleUploadedFile

SHARED_DIR = Path(
    os.environ.get("HIRAKU_SHARED_DIR", Path(__file__).resolve().parents[1].parent / "shared")
)
TESTDATA = SHARED_DIR / "testdata"


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Each test writes files into its own folder; passwords hash fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.HIRAKU = {**settings.HIRAKU, "DATASTORE_DIR": str(tmp_path / "datastore")}


@pytest.fixture(autouse=True)
def _huey_immediate():
    """Queued tasks (ingestion) run at once inside the test, then the setting is restored."""
    from huey.contrib.djhuey import HUEY

    previous = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = previous


@pytest.fixture
def testdata() -> Path:
    if not TESTDATA.is_dir():
        pytest.fail(f"shared test data not found at {TESTDATA} (set HIRAKU_SHARED_DIR)")
    return TESTDATA


def make_upload(name: str, content: bytes, content_type: str = "text/csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def catalog(db):
    """Build the small catalog described in the module docstring; return a namespace of objects."""
    from types import SimpleNamespace

    from hiraku.catalog import actions
    from hiraku.catalog.models import Capacity, Category, Membership, Organization

    def user(name, **kw):
        return User.objects.create_user(name, f"{name}@example.jp", "pw-" + name + "-12345", **kw)

    sysadmin = user("sysadmin", is_superuser=True, is_staff=True)
    soumu = Organization.objects.create(name="soumu", title="総務部", title_en="General Affairs")
    joho = Organization.objects.create(
        name="joho", title="情報政策課", title_en="IT Policy", parent=soumu
    )
    kankyo = Organization.objects.create(name="kankyo", title="環境部", title_en="Environment")
    bosai = Category.objects.create(name="bosai", title="防災", title_en="Disaster prevention")
    jinko = Category.objects.create(name="jinko", title="人口・世帯", title_en="Population")

    people = {}
    for name, org, cap in [
        ("joho_admin", joho, Capacity.ADMIN),
        ("joho_editor", joho, Capacity.EDITOR),
        ("joho_member", joho, Capacity.MEMBER),
        ("soumu_admin", soumu, Capacity.ADMIN),
        ("kankyo_editor", kankyo, Capacity.EDITOR),
    ]:
        people[name] = user(name)
        Membership.objects.create(user=people[name], organization=org, capacity=cap)
    outsider = user("outsider")
    student = user("student")

    aed = actions.dataset_create(
        actor=sysadmin,
        data={
            "name": "public-aed",
            "title": "AED設置箇所一覧",
            "owner_org": "joho",
            "notes": "市内の**AED**設置場所",
            "tags": ["AED", "防災"],
            "groups": ["bosai"],
            "resources": [
                {"name": "aed.csv", "url": "https://example.jp/aed.csv", "format": "CSV"}
            ],
        },
    )
    survey = actions.dataset_create(
        actor=sysadmin,
        data={
            "name": "private-survey",
            "title": "市民意識調査 個票 (匿名加工済み)",
            "owner_org": "joho",
            "private": True,
            "tags": ["調査"],
        },
    )
    actions.dataset_share(actor=sysadmin, dataset=survey, user=student)
    draft = actions.dataset_create(
        actor=sysadmin,
        data={
            "name": "draft-plan",
            "title": "下書きの計画",
            "owner_org": "joho",
            "state": "draft",
        },
    )
    parks = actions.dataset_create(
        actor=sysadmin,
        data={
            "name": "public-parks",
            "title": "公園一覧",
            "owner_org": "kankyo",
            "groups": ["jinko"],
            "tags": ["公園"],
        },
    )
    return SimpleNamespace(
        sysadmin=sysadmin,
        outsider=outsider,
        student=student,
        anonymous=AnonymousUser(),
        soumu=soumu,
        joho=joho,
        kankyo=kankyo,
        bosai=bosai,
        jinko=jinko,
        aed=aed,
        survey=survey,
        draft=draft,
        parks=parks,
        **people,
    )
