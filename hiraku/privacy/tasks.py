"""Background work: the scan of each new resource version (Huey; immediate in tests)."""

from huey.contrib.djhuey import db_task

from hiraku.catalog.models import ResourceVersion


@db_task()
def scan_version_task(version_id: str) -> None:
    from .services import scan_version

    version = ResourceVersion.objects.filter(pk=version_id).select_related("resource").first()
    if version is not None:
        scan_version(version=version)
