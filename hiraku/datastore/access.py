"""Which table a caller may query: permission checks in front of every datastore read.

Order of checks: the resource must be readable (hiraku.catalog.selectors.resource_get hides
invisible ones as Not Found), it must have a serving version (newest version whose ingest is
done, so a re-ingest in progress keeps serving the previous one), and that version must be
downloadable for the caller (release gates hold unreviewed versions back from non-editors).

The data API asks this on every request, so the common case is one prepared SQL query
(lookup.py): the serving tables joined with their version, resource, dataset and organization. Anything unusual (no
tables, an id that is not a UUID, a resource the caller may not see) falls back to
resource_get, so Not Found reads exactly as everywhere else in the catalog.
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from hiraku.catalog import permissions
from hiraku.catalog.errors import NotAuthorized, NotFound, ValidationFailed, bilingual
from hiraku.catalog.models import DatasetState, Resource, ResourceVersion
from hiraku.catalog.selectors import resource_get
from hiraku.ingest.models import DataTable
from hiraku.ingest.selectors import active_tables

from .lookup import serving_tables


@dataclass
class Served:
    resource: Resource
    version: ResourceVersion
    table: DataTable
    tables: list[DataTable]


def _not_in_datastore(resource_id: str) -> NotFound:
    return NotFound(
        bilingual(
            f"リソース {resource_id} のデータはデータストアにありません(取り込み前か表形式ではありません)",
            f"Resource {resource_id} has no data in the datastore (not ingested yet, or not tabular)",
        )
    )


def pick_table(tables: list[DataTable], name: str | None, resource_id: str) -> DataTable:
    if not tables:
        raise _not_in_datastore(resource_id)
    if not name:
        return tables[0]
    for table in tables:
        if table.name == name:
            return table
    names = "、".join(t.name for t in tables)
    raise ValidationFailed(
        bilingual(
            f"表「{name}」はありません(あるのは: {names})",
            f"No table named '{name}' (available: {names})",
        ),
        {"table": [bilingual(f"表「{name}」はありません", f"Unknown table '{name}'")]},
    )


def _serving_tables_joined(resource_id: str, user) -> list[DataTable]:
    """The serving tables of a readable resource in one query, or [] (caller falls back).

    Same choice as ingest.selectors.active_tables: the newest version with a finished
    ingest, that version's most recently finished done job, its tables by position.
    Same visibility as catalog.selectors.resource_get: active resource, dataset not
    deleted, permissions.can_read_dataset.
    """
    try:
        pk = uuid.UUID(resource_id)
    except ValueError:
        return []
    rows = serving_tables(pk)
    if not rows:
        return []
    dataset = rows[0].resource.dataset
    if dataset.state == DatasetState.DELETED or not permissions.can_read_dataset(user, dataset):
        return []
    job_id = rows[0].job_id  # a re-ingested version has several done jobs: the latest serves
    resource = rows[0].resource
    tables = [t for t in rows if t.job_id == job_id]
    for table in tables:
        table.resource = resource
    return tables


def served_table(*, user, resource_id: str, table_name: str | None = None) -> Served:
    """The table the caller asked for, or a clear Not Found / Not Authorized error."""
    if not resource_id:
        raise ValidationFailed(
            bilingual("resource_id を指定してください", "resource_id is required"),
            {"resource_id": [bilingual("必須項目です", "Missing value")]},
        )
    tables = _serving_tables_joined(str(resource_id), user)
    if tables:
        resource = tables[0].resource
    else:
        resource = resource_get(str(resource_id), user=user)  # Not Found when invisible
        # active_tables() picks the serving version (newest whose ingest is done); its tables
        # carry the version, so one lookup serves both.
        tables = list(active_tables(resource).select_related("version"))
    if not tables:
        raise _not_in_datastore(str(resource_id))
    version = tables[0].version
    version.resource = resource
    if not permissions.can_download_version(user, version):
        raise NotAuthorized(
            bilingual(
                "このデータは公開前の確認中のため、まだ利用できません",
                "This data is held for review before release and is not available yet",
            )
        )
    return Served(
        resource=resource,
        version=version,
        table=pick_table(tables, table_name, str(resource_id)),
        tables=tables,
    )


def public_tables(resource_id: str) -> list[DataTable]:
    """Tables of a resource anyone may query (the SQL sandbox serves only these)."""
    try:
        resource = resource_get(resource_id, user=AnonymousUser())
    except NotFound:
        return []
    tables = list(active_tables(resource).select_related("version"))
    if not tables:
        return []
    version = tables[0].version
    version.resource = resource
    if not permissions.can_download_version(AnonymousUser(), version):
        return []
    return tables
