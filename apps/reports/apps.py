from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = "Laporan bulanan"

    def ready(self) -> None:
        from apps.reports import quality  # noqa: F401 - registers the data-quality contributor
