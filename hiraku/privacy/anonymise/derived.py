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


def anonymised_resource_create(
    *, actor, resource: Resource, ops: list[dict], name: str, table_name: str = ""
) -> Resource:
    version = resource.current_version
    if version is None:
        raise AnonymiseError("アップロードされたファイルがありません", "The resource has no file")
    table = table_from_version(version, table_name=table_name)
    result, record = run(table, ops, source=f"{resource.name} v{version.number}")
    filename = name if name.lower().endswith(".csv") else f"{name}.csv"
    upload = SimpleUploadedFile(filename, to_csv_bytes(result), content_type="text/csv")
    description = (
        f"{resource.name} (v{version.number}) を匿名加工したデータです。"
        f" / Anonymised from {resource.name} (v{version.number}).\n\n{record.summary_ja_en()}"
    )
    return actions.resource_create(
        actor=actor,
        dataset=resource.dataset,
        data={
            "name": filename,
            "description": description,
            "format": "CSV",
            "extras": {
                "processing_record": json.dumps(record.as_dict(), ensure_ascii=False),
                "derived_from": str(resource.pk),
            },
        },
        upload=upload,
    )
