"""Create the anonymised copy of a resource as a new resource in the same dataset, through
hiraku.catalog.actions.resource_create (so it gets its own version, ingest and privacy scan)."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from hiraku.catalog import actions
from hiraku.catalog.models import Resource, ResourceVersion

from ..reading import new_workdir, read_tables
from ..services import _local_copy
from .pipeline import run, to_csv_bytes
from .record import AnonymiseError, Table


def table_from_version(version: ResourceVersion, *, table_name: str = "") -> Table:
    with new_workdir() as workdir:
        _, tables = read_tables(_local_copy(version, workdir), version.original_filename, workdir)
        if not tables:
            raise AnonymiseError("表形式のデータがありません", "No tabular data in this file")
        chosen = next((t for t in tables if t.name == table_name), tables[0])
        return Table(chosen.columns, [list(r) for r in chosen.rows])


def derived_resource_create(
    *,
    actor,
    dataset,
    table: Table,
    ops: list[dict],
    name: str,
    source: str,
    extras: dict | None = None,
) -> Resource:
    """Run `ops` over `table` and add the result to `dataset` as a CSV resource whose description
    and extra "processing_record" hold the record of every step."""
    result, record = run(table, ops, source=source)
    filename = name if name.lower().endswith(".csv") else f"{name}.csv"
    upload = SimpleUploadedFile(filename, to_csv_bytes(result), content_type="text/csv")
    description = (
        f"{source} を匿名加工したデータです。 / Anonymised from {source}.\n\n"
        f"{record.summary_ja_en()}"
    )
    return actions.resource_create(
        actor=actor,
        dataset=dataset,
        data={
            "name": filename,
            "description": description,
            "format": "CSV",
            "extras": {
                "processing_record": json.dumps(record.as_dict(), ensure_ascii=False),
                **(extras or {}),
            },
        },
        upload=upload,
    )


def anonymised_resource_create(
    *, actor, resource: Resource, ops: list[dict], name: str, table_name: str = ""
) -> Resource:
    """The anonymised copy of a resource's current version, in the same dataset."""
    version = resource.current_version
    if version is None:
        raise AnonymiseError("アップロードされたファイルがありません", "The resource has no file")
    return derived_resource_create(
        actor=actor,
        dataset=resource.dataset,
        table=table_from_version(version, table_name=table_name),
        ops=ops,
        name=name,
        source=f"{resource.name} v{version.number}",
        extras={"derived_from": str(resource.pk)},
    )
