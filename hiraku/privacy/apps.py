from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "hiraku.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from hiraku.catalog.gates import register_release_gate
        from hiraku.catalog.signals import resource_version_added

        from . import api_actions  # noqa: F401  (registers the privacy_* API actions)
        from .gate import privacy_hold_reason
        from .receivers import on_version_added

        register_release_gate(privacy_hold_reason)
        resource_version_added.connect(on_version_added, dispatch_uid="privacy_scan_on_version")
