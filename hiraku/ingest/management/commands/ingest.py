"""`hiraku ingest FILE --dataset NAME [--resource NAME] [--encoding X] [--user USERNAME]`

Uploads FILE as a new version of the resource (created if missing) through the catalog
actions, then ingests it synchronously with a progress bar and prints the tables and types.
Exit code 1 with the bilingual reason when the file cannot be ingested.
"""

import os

from django.contrib.auth.models import User
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from hiraku.catalog import actions
from hiraku.catalog.errors import CatalogError
from hiraku.catalog.selectors import dataset_get
from hiraku.ingest.models import IngestJob, JobState
from hiraku.ingest.pipeline import ingest_version
from hiraku.ingest.receivers import queue_paused
from hiraku.ingest.services import clean_options


class Command(BaseCommand):
    help = "Upload a file as a resource version and ingest it now (ファイルを取り込む)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dataset", required=True, help="dataset name or id")
        parser.add_argument("--resource", help="resource name (default: the file name)")
        parser.add_argument("--encoding", help="force the text encoding, e.g. cp932")
        parser.add_argument("--user", help="acting user (default: the first superuser)")
        parser.add_argument(
            "--allow-ragged",
            action="store_true",
            help="pad rows with too few fields instead of failing (列数の違う行を許可)",
        )

    def _actor(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"ユーザーが見つかりません / User not found: {username}")
            return user
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError(
                "管理者ユーザーがいません。--user を指定してください / No superuser; pass --user"
            )
        return user

    def _upload(self, path: str, opts, actor: User):
        dataset = dataset_get(opts["dataset"], user=actor, for_edit=True)
        name = opts["resource"] or os.path.basename(path)
        existing = dataset.resources.filter(state="active", name=name).first()
        with open(path, "rb") as handle:
            upload = File(handle, name=os.path.basename(path))
            if existing is None:
                resource = actions.resource_create(
                    actor=actor, dataset=dataset, data={"name": name}, upload=upload
                )
            else:
                resource = actions.resource_update(
                    actor=actor, resource=existing, data={}, upload=upload
                )
        resource.refresh_from_db()
        return resource.current_version

    def handle(self, *args, **opts):
        path = opts["file"]
        if not os.path.isfile(path):
            raise CommandError(f"ファイルがありません / No such file: {path}")
        actor = self._actor(opts["user"])
        try:
            options = clean_options(
                {"encoding": opts["encoding"] or "", "allow_ragged": opts["allow_ragged"]}
            )
            # Ingest here and now, not also in a worker: no queued job for this upload.
            with queue_paused():
                version = self._upload(path, opts, actor)
        except CatalogError as error:
            raise CommandError(error.message) from error
        with tqdm(total=100, unit="%", desc=os.path.basename(path), leave=False) as bar:

            def progress(fraction: float) -> None:
                bar.update(round(fraction * 100) - bar.n)

            job = ingest_version(version.id, options=options, progress=progress)
        self._print(job)
        if job.state == JobState.FAILED:
            raise CommandError(job.message, returncode=1)

    def _print(self, job: IngestJob) -> None:
        out = self.stdout
        out.write(f"{job.state}: {job.message}")
        out.write(f"format={job.detected_format} encoding={job.detected_encoding or '-'}")
        for table in job.tables.order_by("position"):
            out.write(f"\n[{table.name}] {table.row_count:,} rows -> {table.parquet_path}")
            for field in table.table_schema.get("fields", []):
                role = f" ({field['hiraku:role']})" if field.get("hiraku:role") else ""
                out.write(f"  {field['name']}: {field['type']}{role}")
        for warning in (job.report or {}).get("warnings", []):
            out.write(self.style.WARNING(f"! {warning}"))
