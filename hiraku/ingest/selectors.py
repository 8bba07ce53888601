"""Which tables a resource serves now, and its ingest status."""

from django.db.models import QuerySet

from hiraku.catalog.models import Resource, ResourceVersion

from .models import DataTable, IngestJob, JobState


def serving_version(resource: Resource) -> ResourceVersion | None:
    """The newest version whose ingest finished; a newer running or failed one does not count."""
    return (
        ResourceVersion.objects.filter(resource=resource, ingest_jobs__state=JobState.DONE)
        .order_by("-number")
        .first()
    )


def active_tables(resource: Resource) -> QuerySet[DataTable]:
    version = serving_version(resource)
    if version is None:
        return DataTable.objects.none()
    job = version.ingest_jobs.filter(state=JobState.DONE).order_by("-finished").first()
    return DataTable.objects.filter(job=job).order_by("position")


def latest_job(version: ResourceVersion) -> IngestJob | None:
    return version.ingest_jobs.order_by("-created").first()
