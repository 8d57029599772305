from django.apps import AppConfig


class PosyanduConfig(AppConfig):
    name = "apps.posyandu"
    label = "posyandu"
    verbose_name = "Posyandu"
