from django.apps import AppConfig


class FieldRegistersConfig(AppConfig):
    name = "apps.fieldregisters"
    label = "fieldregisters"
    verbose_name = "Pendataan bidang SPM non-kesehatan"
