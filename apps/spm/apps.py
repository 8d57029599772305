from django.apps import AppConfig


class SpmConfig(AppConfig):
    name = "apps.spm"
    label = "spm"
    verbose_name = "Bidang SPM"
