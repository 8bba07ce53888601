"""Run by test_queue.py in a subprocess with its own HIRAKU_DATA_DIR (file database + queue).

python queue_scenario.py upload FILE   -> prints the new version id (the upload enqueues a job)
python queue_scenario.py status VERSION -> prints {"state": ..., "tables": n}
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiraku.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.files import File  # noqa: E402


def upload(path: str) -> None:
    from django.core.management import call_command

    from hiraku.catalog import actions
    from hiraku.catalog.models import Organization

    call_command("migrate", interactive=False, verbosity=0)
    admin = User.objects.create_superuser("admin", "admin@example.jp", "pw-admin-12345")
    Organization.objects.create(name="city", title="市")
    dataset = actions.dataset_create(
        actor=admin, data={"name": "queue-test", "title": "D", "owner_org": "city"}
    )
    with open(path, "rb") as handle:
        resource = actions.resource_create(
            actor=admin, dataset=dataset, data={"name": "r.csv"}, upload=File(handle, "r.csv")
        )
    resource.refresh_from_db()
    print(resource.current_version_id)


def status(version_id: str) -> None:
    from hiraku.ingest.models import IngestJob

    job = IngestJob.objects.filter(version_id=version_id).order_by("-created").first()
    print(
        json.dumps(
            {"state": job.state if job else None, "tables": job.tables.count() if job else 0}
        )
    )


if __name__ == "__main__":
    {"upload": upload, "status": status}[sys.argv[1]](sys.argv[2])
