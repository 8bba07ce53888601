from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "hiraku.ingest"
    label = "ingest"
    verbose_name = _("Ingestion")

    def ready(self) -> None:
        from hiraku.catalog.signals import resource_version_added

        from . import tasks  # noqa: F401  (registers the Huey tasks with the consumer)
        from .receivers import on_resource_version_added

        resource_version_added.connect(
            on_resource_version_added, dispatch_uid="hiraku.ingest.version_added"
        )
