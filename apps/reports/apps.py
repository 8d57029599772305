from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = "Laporan bulanan"

    def ready(self) -> None:
        # Imported here, not at the top: models and other apps' modules load only once the app
        # registry is ready (docs/architecture.md, "Function-local imports").
        from apps.fieldregisters.indicators import contribute
        from apps.periods import hooks
        from apps.reports import quality  # noqa: F401 - registers the data-quality contributor
        from apps.reports.approval import locked_months
        from apps.reports.contributions import register
        from apps.reports.jobs import mark_stale

        # The recording apps ask apps.periods whether a month is locked and tell it which months
        # changed; this app answers. The non-health registers' counts join the monthly report.
        hooks.register(locked_months=locked_months, mark_stale=mark_stale)
        register(contribute)
