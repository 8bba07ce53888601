"""Every user-visible write to the catalog. One function per use case, one transaction each,
an ActivityEvent row per change, and signals sent only after commit.

Naming: <entity>_<verb>, keyword-only arguments, the changed object returned.
"""

import hashlib
import mimetypes
import os
from typing import IO, Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from hiraku.conf import setting

from . import permissions
from .errors import Conflict, NotAuthorized, NotFound, TooLarge, ValidationFailed, bilingual
from .models import (
    ActivityEvent,
    Capacity,
    Category,
    Dataset,
    DatasetState,
    Membership,
    Organization,
    Resource,
    ResourceVersion,
    Tag,
)
from .schema import clean_dataset, clean_organization, clean_resource
from .signals import dataset_changed, resource_version_added

_SCALAR_DEFAULTS = {
    "title_en": "",
    "notes": "",
    "notes_en": "",
    "author": "",
    "author_email": "",
    "maintainer": "",
    "maintainer_email": "",
    "url": "",
    "version": "",
    "update_frequency": "",
    "spatial": "",
    "temporal_start": None,
    "temporal_end": None,
    "source_note": "",
    "private": False,
}


def _record(
    actor, verb: str, obj, *, dataset: Dataset | None = None, data: dict | None = None
) -> None:
    ActivityEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        verb=verb,
        object_type=type(obj).__name__.lower(),
        object_id=str(obj.pk),
        dataset=dataset,
        data=data or {},
    )


def _notify_dataset_changed(dataset_id) -> None:
    transaction.on_commit(lambda: dataset_changed.send(sender=Dataset, dataset_id=dataset_id))


def _resolve_organization(ref: str) -> Organization:
    from .selectors import organization_get

    try:
        return organization_get(ref)
    except NotFound:
        raise ValidationFailed(
            bilingual(f"組織が見つかりません: {ref}", f"Organization not found: {ref}"),
            {"owner_org": [bilingual("組織が存在しません", "Organization does not exist")]},
        ) from None


def _resolve_categories(refs: list[str]) -> list[Category]:
    from .selectors import category_get

    found, missing = [], []
    for ref in refs:
        try:
            found.append(category_get(ref))
        except NotFound:
            missing.append(ref)
    if missing:
        names = ", ".join(missing)
        raise ValidationFailed(
            bilingual(f"カテゴリが存在しません: {names}", f"Unknown categories: {names}"),
            {
                "groups": [
                    bilingual(f"カテゴリが存在しません: {names}", f"Unknown categories: {names}")
                ]
            },
        )
    return found


def _apply_relations(dataset: Dataset, cleaned: dict) -> None:
    if "tags" in cleaned:
        tags = [Tag.objects.get_or_create(name=name)[0] for name in cleaned["tags"]]
        dataset.tags.set(tags)
    if "groups" in cleaned:
        dataset.categories.set(_resolve_categories(cleaned["groups"]))


def _name_taken(name: str, exclude_pk=None) -> bool:
    qs = Dataset.objects.filter(name=name)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _duplicate_name_error(name: str) -> ValidationFailed:
    msg = bilingual("このURL名は既に使われています", "That URL is already in use.")
    return ValidationFailed(
        bilingual(f"名前が重複しています: {name}", f"Duplicate name: {name}"), {"name": [msg]}
    )


def dataset_create(*, actor: User, data: dict[str, Any]) -> Dataset:
    cleaned = clean_dataset(data, partial=False)
    org = _resolve_organization(cleaned.pop("owner_org"))
    if not permissions.can_create_dataset_in(actor, org):
        raise NotAuthorized(
            bilingual(
                f"組織「{org.title}」にデータセットを作成する権限がありません",
                f"Not authorized to create datasets in {org.name}",
            )
        )
    resources = cleaned.pop("resources", [])
    relations = {k: cleaned.pop(k) for k in ("tags", "groups") if k in cleaned}
    if "license_id" not in cleaned:
        cleaned["license_id"] = setting("DEFAULT_LICENSE")
    with transaction.atomic():
        if _name_taken(cleaned["name"]):
            raise _duplicate_name_error(cleaned["name"])
        try:
            dataset = Dataset.objects.create(
                organization=org, creator=actor if actor.is_authenticated else None, **cleaned
            )
        except IntegrityError:
            raise _duplicate_name_error(cleaned["name"]) from None
        _apply_relations(dataset, relations)
        for position, res in enumerate(resources):
            _resource_create_in(
                dataset=dataset, actor=actor, data=res, upload=None, position=position
            )
        _record(actor, "create", dataset, dataset=dataset, data={"name": dataset.name})
        _notify_dataset_changed(dataset.pk)
    return dataset


def _check_revision(dataset: Dataset, data: dict) -> int | None:
    """The revision the caller based its edit on, if it said (revision, or metadata_modified)."""
    if "revision" in data and data["revision"] not in (None, ""):
        try:
            return int(data["revision"])
        except (TypeError, ValueError):
            raise ValidationFailed(
                bilingual("revision は整数です", "revision must be an integer"),
                {"revision": [bilingual("整数を指定してください", "Must be an integer")]},
            ) from None
    return None


def dataset_update(
    *, actor: User, dataset: Dataset, data: dict[str, Any], partial: bool = False
) -> Dataset:
    """package_update (partial=False: omitted fields are cleared) or package_patch (partial=True)."""
    if not permissions.can_edit_dataset(actor, dataset):
        raise NotAuthorized(
            bilingual(
                "このデータセットを編集する権限がありません", "Not authorized to edit this dataset"
            )
        )
    expected = _check_revision(dataset, data)
    cleaned = clean_dataset(data, partial=True)
    if not partial:
        for field, default in _SCALAR_DEFAULTS.items():
            cleaned.setdefault(field, default)
        cleaned.setdefault("tags", [])
        cleaned.setdefault("groups", [])
        cleaned.setdefault("extras", {})
    resources = cleaned.pop("resources", None)
    relations = {k: cleaned.pop(k) for k in ("tags", "groups") if k in cleaned}
    if "owner_org" in cleaned:
        org = _resolve_organization(cleaned.pop("owner_org"))
        if org.pk != dataset.organization_id and not permissions.can_create_dataset_in(actor, org):
            raise NotAuthorized(
                bilingual(
                    "移動先の組織の権限がありません", "Not authorized for the target organization"
                )
            )
        cleaned["organization"] = org
    with transaction.atomic():
        if "name" in cleaned and _name_taken(cleaned["name"], exclude_pk=dataset.pk):
            raise _duplicate_name_error(cleaned["name"])
        # Compare-and-set on revision: two editors who read the same revision cannot both win.
        guard = Dataset.objects.filter(pk=dataset.pk)
        if expected is not None:
            guard = guard.filter(revision=expected)
        if guard.update(revision=F("revision") + 1, modified=timezone.now()) != 1:
            raise Conflict(
                bilingual(
                    "このデータセットは他の人によって更新されました。再読み込みしてからやり直してください",
                    "This dataset was changed by someone else meanwhile; reload it and try again",
                ),
                {
                    "revision": [
                        bilingual("古い版に基づく編集です", "Edit based on an outdated revision")
                    ]
                },
            )
        # Start from the stored row so a patch never writes back stale values of other fields.
        dataset.refresh_from_db()
        for field, value in cleaned.items():
            setattr(dataset, field, value)
        try:
            dataset.save()
        except IntegrityError:
            raise _duplicate_name_error(dataset.name) from None
        _apply_relations(dataset, relations)
        if resources is not None:
            _sync_resources(dataset=dataset, actor=actor, resources=resources)
        _record(
            actor,
            "patch" if partial else "update",
            dataset,
            dataset=dataset,
            data={"fields": sorted(set(cleaned) | set(relations))},
        )
        _notify_dataset_changed(dataset.pk)
    return dataset


def _sync_resources(*, dataset: Dataset, actor, resources: list) -> None:
    keep = set()
    for position, item in enumerate(resources):
        if not isinstance(item, dict):
            raise ValidationFailed(
                bilingual("resources の要素はオブジェクトです", "Each resource must be an object")
            )
        rid = item.get("id")
        existing = dataset.resources.filter(pk=rid, state="active").first() if rid else None
        if existing:
            _resource_apply(existing, clean_resource(item, partial=True), position=position)
            keep.add(existing.pk)
        else:
            keep.add(
                _resource_create_in(
                    dataset=dataset, actor=actor, data=item, upload=None, position=position
                ).pk
            )
    for gone in dataset.resources.filter(state="active").exclude(pk__in=keep):
        gone.state = "deleted"
        gone.save(update_fields=["state", "modified"])


def dataset_delete(*, actor: User, dataset: Dataset) -> None:
    if not permissions.can_edit_dataset(actor, dataset):
        raise NotAuthorized(
            bilingual(
                "このデータセットを削除する権限がありません",
                "Not authorized to delete this dataset",
            )
        )
    with transaction.atomic():
        Dataset.objects.filter(pk=dataset.pk).update(
            state=DatasetState.DELETED, revision=F("revision") + 1, modified=timezone.now()
        )
        _record(actor, "delete", dataset, dataset=dataset)
        _notify_dataset_changed(dataset.pk)


def dataset_share(*, actor: User, dataset: Dataset, user: User, share: bool = True) -> None:
    """Let a named user read a private dataset (a university class, say) without membership."""
    if not permissions.can_share_dataset(actor, dataset):
        raise NotAuthorized(
            bilingual("共有設定の権限がありません", "Not authorized to share this dataset")
        )
    with transaction.atomic():
        (dataset.shared_with.add if share else dataset.shared_with.remove)(user)
        _record(
            actor,
            "share" if share else "unshare",
            dataset,
            dataset=dataset,
            data={"user": user.username},
        )
        _notify_dataset_changed(dataset.pk)


# --- resources -----------------------------------------------------------------------------


def _resource_apply(resource: Resource, cleaned: dict, *, position: int | None = None) -> None:
    for field in ("name", "description", "format"):
        if field in cleaned:
            setattr(resource, field, cleaned[field])
    if "url" in cleaned and resource.url_type != "upload":
        resource.url = cleaned["url"]
    if "extras" in cleaned:
        resource.extras = cleaned["extras"]
    if position is not None:
        resource.position = position
    elif "position" in cleaned:
        resource.position = cleaned["position"]
    resource.save()


def _guess_format(filename: str) -> str:
    ext = os.path.splitext(filename)[1].lstrip(".").upper()
    return {"JPEG": "JPG", "HTM": "HTML", "TXT": "TXT"}.get(ext, ext)


def _resource_create_in(
    *, dataset: Dataset, actor, data: dict, upload: IO | None, position: int | None
) -> Resource:
    cleaned = clean_resource(data, partial=False, has_upload=upload is not None)
    name = (
        cleaned.get("name")
        or (getattr(upload, "name", "") if upload else "")
        or cleaned.get("url", "").rsplit("/", 1)[-1]
    )
    name = os.path.basename(name) or "resource"
    if position is None:
        position = (
            dataset.resources.filter(state="active").aggregate(m=Max("position"))["m"] or -1
        ) + 1
    if dataset.resources.filter(state="active", name=name).exists():
        raise ValidationFailed(
            bilingual(
                f"同じ名前のリソースがあります: {name}", f"A resource named {name} already exists"
            ),
            {
                "name": [
                    bilingual(
                        "リソース名が重複しています", "Duplicate resource name in this dataset"
                    )
                ]
            },
        )
    resource = Resource.objects.create(
        dataset=dataset,
        name=name,
        description=cleaned.get("description", ""),
        url="" if upload else cleaned.get("url", ""),
        url_type="upload" if upload else "",
        format=(
            cleaned.get("format")
            or _guess_format(getattr(upload, "name", "") or cleaned.get("url", ""))
        ).upper(),
        position=position,
        extras=cleaned.get("extras", {}),
    )
    if upload is not None:
        _version_add(resource=resource, actor=actor, upload=upload)
    return resource


def _check_size(upload: IO) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    limit = setting("MAX_UPLOAD_SIZE")
    if size > limit:
        raise TooLarge(
            bilingual(
                f"ファイルが大きすぎます ({size:,} バイト)。上限は {limit:,} バイトです",
                f"File too large ({size:,} bytes); the limit is {limit:,} bytes",
            ),
            {"upload": [bilingual("サイズ上限を超えています", "Exceeds the size limit")]},
        )
    if size == 0:
        raise ValidationFailed(
            bilingual("空のファイルはアップロードできません", "The uploaded file is empty"),
            {"upload": [bilingual("ファイルが空です", "File is empty")]},
        )
    return size


def _sha256(upload: IO) -> str:
    digest = hashlib.sha256()
    chunks = (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 20), b"")
    )
    for chunk in chunks:
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _version_add(*, resource: Resource, actor, upload: IO, note: str = "") -> ResourceVersion:
    size = _check_size(upload)
    filename = os.path.basename(getattr(upload, "name", "") or "file") or "file"
    number = (resource.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = ResourceVersion(
        resource=resource,
        number=number,
        original_filename=filename,
        size=size,
        sha256=_sha256(upload),
        mimetype=getattr(upload, "content_type", None)
        or mimetypes.guess_type(filename)[0]
        or "application/octet-stream",
        format=_guess_format(filename),
        note=note,
        created_by=actor if actor and actor.is_authenticated else None,
    )
    version.file.save(filename, upload, save=False)
    stored_name = version.file.name
    # The row only becomes visible on commit, so a rollback leaves an unreferenced file that
    # no page or API links to, never a half-visible version.
    try:
        version.save()
    except Exception:
        version.file.storage.delete(stored_name)
        raise
    resource.current_version = version
    resource.url_type = "upload"
    resource.save(update_fields=["current_version", "url_type", "modified"])
    _record(
        actor,
        "upload",
        resource,
        dataset=resource.dataset,
        data={"version": number, "sha256": version.sha256, "size": size},
    )
    transaction.on_commit(
        lambda: resource_version_added.send(sender=ResourceVersion, version=version)
    )
    return version


def resource_create(
    *, actor: User, dataset: Dataset, data: dict, upload: IO | None = None
) -> Resource:
    if not permissions.can_edit_dataset(actor, dataset):
        raise NotAuthorized(
            bilingual(
                "このデータセットを編集する権限がありません", "Not authorized to edit this dataset"
            )
        )
    with transaction.atomic():
        resource = _resource_create_in(
            dataset=dataset, actor=actor, data=data, upload=upload, position=None
        )
        Dataset.objects.filter(pk=dataset.pk).update(
            revision=F("revision") + 1, modified=timezone.now()
        )
        _record(actor, "create", resource, dataset=dataset, data={"name": resource.name})
        _notify_dataset_changed(dataset.pk)
    return resource


def resource_update(
    *, actor: User, resource: Resource, data: dict, upload: IO | None = None, partial: bool = True
) -> Resource:
    """Change a resource's metadata; a new upload becomes a new immutable version."""
    dataset = resource.dataset
    if not permissions.can_edit_dataset(actor, dataset):
        raise NotAuthorized(
            bilingual(
                "このデータセットを編集する権限がありません", "Not authorized to edit this dataset"
            )
        )
    # "note" describes the new version (e.g. 2026年度), not the resource: keep it from the schema.
    note = str(data.get("note", ""))[:1000]
    data = {key: value for key, value in data.items() if key != "note"}
    cleaned = clean_resource(data, partial=True, has_upload=upload is not None)
    with transaction.atomic():
        _resource_apply(resource, cleaned)
        if upload is not None:
            _version_add(resource=resource, actor=actor, upload=upload, note=note)
        Dataset.objects.filter(pk=dataset.pk).update(
            revision=F("revision") + 1, modified=timezone.now()
        )
        _record(actor, "update", resource, dataset=dataset, data={"fields": sorted(cleaned)})
        _notify_dataset_changed(dataset.pk)
    return resource


def resource_delete(*, actor: User, resource: Resource) -> None:
    dataset = resource.dataset
    if not permissions.can_edit_dataset(actor, dataset):
        raise NotAuthorized(
            bilingual(
                "このデータセットを編集する権限がありません", "Not authorized to edit this dataset"
            )
        )
    with transaction.atomic():
        resource.state = "deleted"
        resource.save(update_fields=["state", "modified"])
        Dataset.objects.filter(pk=dataset.pk).update(
            revision=F("revision") + 1, modified=timezone.now()
        )
        _record(actor, "delete", resource, dataset=dataset)
        _notify_dataset_changed(dataset.pk)


# --- organizations -------------------------------------------------------------------------


def organization_create(*, actor: User, data: dict) -> Organization:
    if not permissions.can_create_organization(actor):
        raise NotAuthorized(
            bilingual("組織を作成する権限がありません", "Not authorized to create organizations")
        )
    cleaned = clean_organization(data, partial=False)
    parent_ref = cleaned.pop("parent", "")
    with transaction.atomic():
        if Organization.objects.filter(name=cleaned["name"]).exists():
            msg = bilingual(
                "この組織名は既に使われています", "Group name already exists in database"
            )
            raise ValidationFailed(msg, {"name": [msg]})
        parent = _resolve_organization(parent_ref) if parent_ref else None
        org = Organization.objects.create(parent=parent, **cleaned)
        _record(actor, "create", org, data={"name": org.name})
    return org


def organization_member_create(
    *, actor: User, organization: Organization, user: User, capacity: str
) -> Membership:
    if capacity not in Capacity.values:
        msg = bilingual(
            f"権限は {', '.join(Capacity.values)} のいずれかです",
            f"capacity must be one of {', '.join(Capacity.values)}",
        )
        raise ValidationFailed(msg, {"role": [msg]})
    if not permissions.can_manage_organization(actor, organization):
        raise NotAuthorized(
            bilingual("メンバーを管理する権限がありません", "Not authorized to manage members")
        )
    with transaction.atomic():
        membership, _ = Membership.objects.update_or_create(
            organization=organization, user=user, defaults={"capacity": capacity}
        )
        _record(actor, "member", organization, data={"user": user.username, "capacity": capacity})
    permissions.forget_cached_memberships(user)
    return membership


def organization_member_delete(*, actor: User, organization: Organization, user: User) -> None:
    if not permissions.can_manage_organization(actor, organization):
        raise NotAuthorized(
            bilingual("メンバーを管理する権限がありません", "Not authorized to manage members")
        )
    with transaction.atomic():
        Membership.objects.filter(organization=organization, user=user).delete()
        _record(actor, "member_delete", organization, data={"user": user.username})
    permissions.forget_cached_memberships(user)


def category_create(*, actor: User, data: dict) -> Category:
    if not permissions.is_site_admin(actor):
        raise NotAuthorized(
            bilingual("カテゴリを作成する権限がありません", "Not authorized to create categories")
        )
    cleaned = clean_organization(data, partial=False)
    cleaned.pop("parent", None)
    cleaned.pop("description_en", None)
    with transaction.atomic():
        if Category.objects.filter(name=cleaned["name"]).exists():
            msg = bilingual(
                "このカテゴリ名は既に使われています", "Group name already exists in database"
            )
            raise ValidationFailed(msg, {"name": [msg]})
        cat = Category.objects.create(**cleaned)
        _record(actor, "create", cat, data={"name": cat.name})
    return cat
