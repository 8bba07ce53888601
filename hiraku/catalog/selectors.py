"""Reads that cross relations: fetch by id-or-name, with permission checks applied."""

import uuid

from django.db.models import Prefetch, QuerySet

from . import permissions
from .errors import NotAuthorized, NotFound, bilingual
from .models import Category, Dataset, Organization, Resource, ResourceVersion


def _by_id_or_name(qs: QuerySet, ref: str):
    try:
        return qs.get(pk=uuid.UUID(str(ref)))
    except (ValueError, AttributeError):
        pass
    except qs.model.DoesNotExist:
        return None
    return (
        qs.filter(name=ref).first() if "name" in {f.name for f in qs.model._meta.fields} else None
    )


def dataset_queryset() -> QuerySet[Dataset]:
    return Dataset.objects.select_related("organization", "organization__parent").prefetch_related(
        "tags",
        "categories",
        Prefetch(
            "resources",
            queryset=Resource.objects.filter(state="active").select_related("current_version"),
        ),
    )


def dataset_get(ref: str, *, user, for_edit: bool = False) -> Dataset:
    """A dataset by id or name that the user may read (or edit); 404 hides what they may not see."""
    dataset = _by_id_or_name(dataset_queryset(), ref)
    if dataset is None or dataset.state == "deleted" and not permissions.is_site_admin(user):
        raise NotFound(bilingual("データセットが見つかりません", "Dataset not found"))
    if not permissions.can_read_dataset(user, dataset):
        raise NotFound(bilingual("データセットが見つかりません", "Dataset not found"))
    if for_edit and not permissions.can_edit_dataset(user, dataset):
        raise NotAuthorized(
            bilingual(
                "このデータセットを編集する権限がありません", "Not authorized to edit this dataset"
            )
        )
    return dataset


def resource_get(ref: str, *, user, for_edit: bool = False) -> Resource:
    try:
        resource = Resource.objects.select_related(
            "dataset", "dataset__organization", "current_version"
        ).get(pk=uuid.UUID(str(ref)), state="active")
    except (ValueError, Resource.DoesNotExist):
        raise NotFound(bilingual("リソースが見つかりません", "Resource not found")) from None
    # The joined dataset is enough for the permission check; the data API calls this on every
    # request, so it must not pay for dataset_get's tag/category/resource prefetches.
    dataset = resource.dataset
    if dataset.state == "deleted" or not permissions.can_read_dataset(user, dataset):
        raise NotFound(bilingual("リソースが見つかりません", "Resource not found"))
    if for_edit and not permissions.can_edit_dataset(user, dataset):
        raise NotAuthorized(
            bilingual(
                "このデータセットを編集する権限がありません",
                "Not authorized to edit this dataset",
            )
        )
    return resource


def resource_versions(resource: Resource) -> QuerySet[ResourceVersion]:
    return resource.versions.order_by("-number")


def organization_get(ref: str) -> Organization:
    org = _by_id_or_name(Organization.objects.filter(state="active").select_related("parent"), ref)
    if org is None:
        raise NotFound(bilingual("組織が見つかりません", "Organization not found"))
    return org


def category_get(ref: str) -> Category:
    cat = _by_id_or_name(Category.objects.all(), ref)
    if cat is None:
        raise NotFound(bilingual("カテゴリが見つかりません", "Category not found"))
    return cat
