from django.apps import AppConfig


class FieldRegistersConfig(AppConfig):
    name = "apps.fieldregisters"
    label = "fieldregisters"
    verbose_name = "Pendataan bidang SPM non-kesehatan"

    def ready(self) -> None:
        from apps.fieldregisters.indicators import contribute
        from apps.reports.contributions import register

        register(contribute)
