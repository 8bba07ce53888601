from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hiraku.api"
    label = "api"
