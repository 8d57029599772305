from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "apps.offline"
    label = "offline"
    verbose_name = "Hari buka luring"
