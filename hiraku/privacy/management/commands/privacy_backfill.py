"""hiraku privacy_backfill: scan, now and in this process, every resource version whose privacy
scan is missing or still pending (versions added before the privacy app, or while no worker
ran). Until scanned, such versions are held back from the public."""

from django.core.management.base import BaseCommand

from hiraku.catalog.models import ResourceVersion
from hiraku.privacy.models import ScanState
from hiraku.privacy.services import scan_version


class Command(BaseCommand):
    help = "未検査のバージョンを検査します / Scan versions without a finished privacy scan"

    def handle(self, *args, **options):
        todo = ResourceVersion.objects.exclude(
            privacy_scan__state__in=[ScanState.CLEAR, ScanState.FLAGGED]
        ).select_related("resource")
        done = 0
        for version in todo.iterator():
            scan = scan_version(version=version)
            done += 1
            self.stdout.write(
                f"{version.resource.name} v{version.number}: {scan.state} {scan.highest_risk}"
            )
        self.stdout.write(f"{done} 件を検査しました / scanned {done} versions")
