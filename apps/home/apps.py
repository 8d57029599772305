from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Pages that bring several apps together (the landing page, the region browser): the one
    place allowed to import every feature app (docs/architecture.md)."""

    name = "apps.home"
    label = "home"
    verbose_name = "Beranda"
