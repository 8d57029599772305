from django.apps import AppConfig


class ServicedayConfig(AppConfig):
    name = "apps.serviceday"
    label = "serviceday"
    verbose_name = "Hari buka"
