"""Start a scan for every new resource version (uploads, URL fetches, harvests, refreshes all
add versions and send resource_version_added after commit)."""

from hiraku.catalog.models import ResourceVersion


def on_version_added(sender, version: ResourceVersion, **kwargs) -> None:
    from .services import scan_pending
    from .tasks import scan_version_task

    scan_pending(version=version)
    scan_version_task(str(version.pk))
