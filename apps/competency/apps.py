from django.apps import AppConfig


class CompetencyConfig(AppConfig):
    name = "apps.competency"
    label = "competency"
    verbose_name = "Kompetensi kader"
