"""The CKAN package and resource dicts. One serializer for the API and the web page's
"API example", so both always show the same thing.

Only versions the caller may download appear, and the resource's url/size/hash describe the
newest of those; datastore_active says whether ingested tables are being served.
"""

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import HttpRequest

from hiraku.catalog import permissions
from hiraku.catalog.licenses import license_get
from hiraku.catalog.models import Category, Dataset, Organization, Resource, ResourceVersion
from hiraku.ingest.models import DataTable
from hiraku.ingest.selectors import active_tables


def iso(value: dt.datetime | dt.date | None) -> str | None:
    """CKAN's timestamps: ISO 8601 in UTC without a zone suffix, e.g. 2026-04-01T03:04:05.123456."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat()
    return value.isoformat()


def absolute_url(path: str, request: HttpRequest | None) -> str:
    """The request's own host when there is a request (so links work on any port or proxy
    that forwards Host), else settings.SITE_URL."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL + path


def download_path(dataset: Dataset, resource: Resource, version: ResourceVersion) -> str:
    filename = version.original_filename or version.file.name.rsplit("/", 1)[-1] or "file"
    return f"/dataset/{dataset.name}/resource/{resource.pk}/download/{quote(filename)}"


def version_download_path(dataset: Dataset, resource: Resource, number: int) -> str:
    return f"/dataset/{dataset.name}/resource/{resource.pk}/v/{number}/download"


def organization_summary(org: Organization) -> dict[str, Any]:
    return {
        "id": str(org.pk),
        "name": org.name,
        "title": org.title,
        "title_en": org.title_en,
        "type": "organization",
        "description": org.description,
        "image_url": org.image_url,
        "created": iso(org.created),
        "is_organization": True,
        "approval_status": "approved",
        "state": org.state,
    }


def group_summary(category: Category) -> dict[str, Any]:
    return {
        "id": str(category.pk),
        "name": category.name,
        "title": category.title,
        "title_en": category.title_en,
        "display_name": category.title or category.name,
        "description": category.description,
        "image_display_url": category.image_url,
    }


def _downloadable_versions(all_versions: list[ResourceVersion], user) -> list[ResourceVersion]:
    versions = sorted(all_versions, key=lambda v: v.number, reverse=True)
    return [v for v in versions if permissions.can_download_version(user, v)]


def versions_by_resource(resources: list[Resource]) -> dict:
    """{resource id: [its versions]} for uploaded resources, in one query (links have none)."""
    uploads = {r.pk: r for r in resources if r.url_type == "upload"}
    found: dict = {pk: [] for pk in uploads}
    if uploads:
        for version in ResourceVersion.objects.filter(resource_id__in=list(uploads)):
            version.resource = uploads[version.resource_id]  # spares a query per permission check
            found[version.resource_id].append(version)
    return found


def with_tables(resources: list[Resource]) -> set:
    """Ids of resources with any ingested table at all, in one query; only these can be
    datastore_active, which ingest's active_tables then decides exactly."""
    uploads = [r.pk for r in resources if r.url_type == "upload"]
    if not uploads:
        return set()
    return set(
        DataTable.objects.filter(resource_id__in=uploads)
        .values_list("resource_id", flat=True)
        .distinct()
    )


def resource_dict(
    resource: Resource,
    *,
    user,
    request: HttpRequest | None = None,
    dataset: Dataset | None = None,
    all_versions: list[ResourceVersion] | None = None,
    tabled: set | None = None,
) -> dict[str, Any]:
    """`all_versions` and `tabled`: fetched beforehand for many resources (versions_by_resource,
    with_tables); looked up here when not given."""
    dataset = dataset or resource.dataset
    if all_versions is None:
        all_versions = versions_by_resource([resource]).get(resource.pk, [])
    if tabled is None:
        tabled = with_tables([resource])
    versions = _downloadable_versions(all_versions, user)
    current = versions[0] if versions else None
    if resource.url_type == "upload":
        url = absolute_url(download_path(dataset, resource, current), request) if current else ""
    else:
        url = resource.url
    result: dict[str, Any] = {
        key: value for key, value in (resource.extras or {}).items() if isinstance(key, str)
    }
    result.update(
        {
            "id": str(resource.pk),
            "package_id": str(dataset.pk),
            "name": resource.name,
            "description": resource.description,
            "format": resource.format,
            "url": url,
            "url_type": resource.url_type or None,
            "size": current.size if current else None,
            "hash": f"sha256:{current.sha256}" if current and current.sha256 else "",
            "mimetype": current.mimetype if current else None,
            "mimetype_inner": None,
            "cache_url": None,
            "cache_last_updated": None,
            "resource_type": None,
            "created": iso(resource.created),
            "last_modified": iso(current.created) if current else None,
            "metadata_modified": iso(resource.modified),
            "position": resource.position,
            "state": resource.state,
            "datastore_active": resource.pk in tabled and active_tables(resource).exists(),
            "version_number": current.number if current else None,
            "versions": [
                {
                    "number": v.number,
                    "created": iso(v.created),
                    "size": v.size,
                    "hash": f"sha256:{v.sha256}" if v.sha256 else "",
                    "url": absolute_url(
                        version_download_path(dataset, resource, v.number), request
                    ),
                }
                for v in versions
            ],
        }
    )
    return result


def _active_resources(dataset: Dataset) -> list[Resource]:
    # Prefetched lists may include deleted resources (search prefetches them all).
    return sorted(
        (r for r in dataset.resources.all() if r.state == "active"),
        key=lambda r: (r.position, r.created),
    )


def package_dict(
    dataset: Dataset,
    *,
    user,
    request: HttpRequest | None = None,
    versions: dict | None = None,
    tabled: set | None = None,
) -> dict[str, Any]:
    """`versions` / `tabled`: see resource_dict; package_dicts fetches them for many datasets."""
    lic = license_get(dataset.license_id)
    resources = _active_resources(dataset)
    if versions is None:
        versions = versions_by_resource(resources)
    if tabled is None:
        tabled = with_tables(resources)
    tags = sorted(dataset.tags.all(), key=lambda t: t.name)
    groups = sorted(dataset.categories.all(), key=lambda c: (c.position, c.name))
    # A resource write bumps only the resource's timestamp; CKAN reports it on the dataset.
    modified = max([dataset.modified, *(r.modified for r in resources)])
    return {
        "id": str(dataset.pk),
        "name": dataset.name,
        "title": dataset.title,
        "title_en": dataset.title_en,
        "notes": dataset.notes,
        "notes_en": dataset.notes_en,
        "author": dataset.author,
        "author_email": dataset.author_email,
        "maintainer": dataset.maintainer,
        "maintainer_email": dataset.maintainer_email,
        "license_id": dataset.license_id,
        "license_title": lic.title if lic else dataset.license_id,
        "license_url": lic.url if lic else "",
        "isopen": bool(lic and lic.is_open),
        "url": dataset.url,
        "version": dataset.version,
        "state": dataset.state,
        "private": dataset.private,
        "type": "dataset",
        "creator_user_id": str(dataset.creator_id) if dataset.creator_id else None,
        "metadata_created": iso(dataset.created),
        "metadata_modified": iso(modified),
        "owner_org": str(dataset.organization_id),
        "organization": organization_summary(dataset.organization),
        "groups": [group_summary(c) for c in groups],
        "tags": [
            {
                "id": str(t.pk),
                "name": t.name,
                "display_name": t.name,
                "state": "active",
                "vocabulary_id": None,
            }
            for t in tags
        ],
        "num_tags": len(tags),
        "resources": [
            resource_dict(
                r,
                user=user,
                request=request,
                dataset=dataset,
                all_versions=versions.get(r.pk, []),
                tabled=tabled,
            )
            for r in resources
        ],
        "num_resources": len(resources),
        "extras": [
            {"key": key, "value": value} for key, value in sorted((dataset.extras or {}).items())
        ],
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "update_frequency": dataset.update_frequency,
        "spatial": dataset.spatial,
        "temporal_start": iso(dataset.temporal_start),
        "temporal_end": iso(dataset.temporal_end),
        "source_note": dataset.source_note,
        "revision": dataset.revision,
    }


def package_dicts(datasets: list[Dataset], *, user, request: HttpRequest | None = None) -> list:
    """Many datasets at once, with their versions fetched in one query rather than one each."""
    prefetch_related_objects(datasets, "organization__parent")
    resources = [r for d in datasets for r in _active_resources(d)]
    versions, tabled = versions_by_resource(resources), with_tables(resources)
    return [
        package_dict(d, user=user, request=request, versions=versions, tabled=tabled)
        for d in datasets
    ]
