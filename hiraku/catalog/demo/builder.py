"""Build the demo catalog through hiraku.catalog.actions, so it is made like real data.

Idempotent: each organization, category, user, membership, dataset, resource and version is
created only when it is missing, so a second run changes nothing, and a run that stopped half
way is finished by the next one. Uploads become ResourceVersions and send
resource_version_added on commit, so the ingest worker picks them up like any upload.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.files.base import ContentFile

from hiraku.catalog import actions
from hiraku.catalog.models import Category, Dataset, Membership, Organization, Resource

from .datasets import DATASETS, DemoDataset, DemoResource
from .structure import CATEGORIES, DEMO_PASSWORD, LOADER_USERNAME, ORGANIZATIONS, USERS

Say = Callable[[str], None]


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.existing
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created)


def loader_user() -> User:
    """The site-admin account that owns the demo's writes; it has no usable password."""
    user, created = User.objects.get_or_create(
        username=LOADER_USERNAME,
        defaults={"first_name": "Hiraku demo loader", "is_superuser": True, "is_staff": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _organizations(actor: User, report: DemoReport) -> None:
    for spec in ORGANIZATIONS:
        exists = Organization.objects.filter(name=spec.name).exists()
        if not exists:
            data = {"name": spec.name, "title": spec.title, "title_en": spec.title_en}
            if spec.parent:
                data["parent"] = spec.parent
            if spec.description:
                data["description"] = spec.description
            actions.organization_create(actor=actor, data=data)
        report.count("organizations", not exists)


def _categories(actor: User, report: DemoReport) -> None:
    for spec in CATEGORIES:
        exists = Category.objects.filter(name=spec.name).exists()
        if not exists:
            actions.category_create(
                actor=actor,
                data={"name": spec.name, "title": spec.title, "title_en": spec.title_en},
            )
        report.count("categories", not exists)


def _users(actor: User, report: DemoReport) -> None:
    for spec in USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={"first_name": spec.name, "email": f"{spec.username}@example.jp"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        report.count("users", created)
        if not spec.organization:
            continue
        org = Organization.objects.get(name=spec.organization)
        if not Membership.objects.filter(organization=org, user=user).exists():
            actions.organization_member_create(
                actor=actor, organization=org, user=user, capacity=spec.capacity
            )


def _dataset(actor: User, spec: DemoDataset, report: DemoReport) -> Dataset:
    dataset = Dataset.objects.filter(name=spec.name).first()
    report.count("datasets", dataset is None)
    if dataset is None:
        dataset = actions.dataset_create(
            actor=actor,
            data={
                "name": spec.name,
                "title": spec.title,
                "title_en": spec.title_en,
                "owner_org": spec.organization,
                "notes": spec.notes,
                "license_id": spec.license_id,
                "source_note": spec.source_note,
                "url": spec.url,
                "spatial": spec.spatial,
                "update_frequency": spec.update_frequency,
                "private": spec.private,
                "groups": list(spec.groups),
                "tags": list(spec.tags),
            },
        )
    for username in spec.shared_with:
        user = User.objects.get(username=username)
        if not dataset.shared_with.filter(pk=user.pk).exists():
            actions.dataset_share(actor=actor, dataset=dataset, user=user)
    for resource_spec in spec.resources:
        _resource(actor, dataset, resource_spec, report)
    return dataset


def _resource(actor: User, dataset: Dataset, spec: DemoResource, report: DemoReport) -> None:
    resource = Resource.objects.filter(dataset=dataset, name=spec.name, state="active").first()
    have = resource.versions.count() if resource else 0
    for number, demo_file in enumerate(spec.versions, start=1):
        if number <= have:
            report.count("versions", False)
            continue
        upload = ContentFile(demo_file.content(), name=demo_file.filename)
        if resource is None:
            resource = actions.resource_create(
                actor=actor,
                dataset=dataset,
                data={"name": spec.name, "description": spec.description},
                upload=upload,
            )
        else:
            actions.resource_update(
                actor=actor, resource=resource, data={"note": demo_file.note}, upload=upload
            )
        report.count("versions", True)


def _privacy_demo(actor: User, report: DemoReport) -> None:
    """The privacy engineer's worked example (mesh population); optional while it is written."""
    try:
        from hiraku.privacy.demo import build_mesh_population_demo
    except ImportError as exc:
        report.problems.append(
            f"メッシュ人口のデモは未導入です (hiraku.privacy.demo がありません: {exc}) / "
            "Mesh population demo skipped: hiraku.privacy.demo is not available"
        )
        return
    try:
        dataset = build_mesh_population_demo(actor)
    except Exception as exc:  # a broken optional add-on must not stop the rest of the demo
        report.problems.append(
            f"メッシュ人口のデモを作れませんでした / Mesh population demo failed: "
            f"{type(exc).__name__}: {exc}"
        )
        return
    report.notes.append(
        f"メッシュ人口のデモ / mesh population demo: {getattr(dataset, 'name', dataset)}"
    )


def build_demo_catalog(*, say: Say = lambda _: None, privacy: bool = True) -> DemoReport:
    report = DemoReport()
    actor = loader_user()
    _organizations(actor, report)
    _categories(actor, report)
    _users(actor, report)
    for spec in DATASETS:
        _dataset(actor, spec, report)
        say(f"  {spec.name}")
    if privacy:
        _privacy_demo(actor, report)
    return report
