"""Signal receivers: a new resource version gets a QUEUED ingest job (the signal is sent on commit)."""

import contextlib
import contextvars

from hiraku.catalog.models import ResourceVersion

# Set by `hiraku ingest`, which ingests its upload synchronously instead of queueing it.
_paused = contextvars.ContextVar("hiraku_ingest_queue_paused", default=False)


@contextlib.contextmanager
def queue_paused():
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def on_resource_version_added(sender, version: ResourceVersion, **kwargs) -> None:
    from .services import job_enqueue

    if _paused.get() or not version.file:
        return  # a linked (URL-only) resource has nothing to ingest
    job_enqueue(version=version)
