from django.apps import AppConfig


class ServicedayConfig(AppConfig):
    name = "apps.serviceday"
    label = "serviceday"
    verbose_name = "Hari buka"

    def ready(self) -> None:
        # Imported here: views and models load only once the app registry is ready.
        from apps.people.panels import Panel, register
        from apps.serviceday.person_views import person_panel

        register(Panel("serviceday/person_panel.html", person_panel, order=10))
