from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "apps.followups"
    label = "followups"
    verbose_name = "Tindak lanjut"
