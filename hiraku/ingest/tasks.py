"""Huey tasks: thin wrappers around the ingest services (no logic here)."""

import logging

from huey.contrib.djhuey import HUEY, db_task

log = logging.getLogger("hiraku.ingest")


@db_task()
def ingest_job_task(job_id: str) -> str:
    """Run one queued job. Any crash is recorded on the job; the consumer keeps running."""
    from .models import IngestJob
    from .pipeline import run_job

    job = IngestJob.objects.select_related("version", "version__resource").filter(pk=job_id).first()
    if job is None:
        log.warning("ingest job %s vanished before it ran", job_id)
        return "missing"
    return run_job(job).state


@HUEY.on_startup()
def _recover_interrupted_jobs() -> None:
    """A job left RUNNING when a worker starts was cut off by a crash or a kill: say so."""
    from django.db import close_old_connections

    from .services import jobs_recover_interrupted

    try:
        count = jobs_recover_interrupted()
        if count:
            log.warning("marked %d interrupted ingest job(s) as failed", count)
    except Exception:  # the database may not be migrated yet when the worker starts
        log.exception("could not check for interrupted ingest jobs")
    finally:
        close_old_connections()
