import importlib
import pkgutil

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hiraku.api"
    label = "api"

    def ready(self) -> None:
        # Every module in hiraku/api/actions/ registers its actions on import, including ones
        # other areas add (datastore.py), so none has to be listed here.
        from . import actions

        for module in pkgutil.iter_modules(actions.__path__):
            importlib.import_module(f"{actions.__name__}.{module.name}")
