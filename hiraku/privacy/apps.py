from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "hiraku.privacy"
    label = "privacy"
