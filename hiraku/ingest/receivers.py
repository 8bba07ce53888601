"""Signal receivers: a new resource version gets a QUEUED ingest job (the signal is sent on commit)."""

from hiraku.catalog.models import ResourceVersion


def on_resource_version_added(sender, version: ResourceVersion, **kwargs) -> None:
    from .services import job_enqueue

    if not version.file:
        return  # a linked (URL-only) resource has nothing to ingest
    job_enqueue(version=version)
