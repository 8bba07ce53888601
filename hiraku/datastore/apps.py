from django.apps import AppConfig


class DatastoreConfig(AppConfig):
    name = "hiraku.datastore"
    label = "datastore"
