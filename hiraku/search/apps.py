from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "hiraku.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from hiraku.catalog.signals import dataset_changed

        from .receivers import on_dataset_changed

        dataset_changed.connect(on_dataset_changed, dispatch_uid="hiraku.search.reindex")
