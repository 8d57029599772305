"""The nightly job that keeps the access log to ACCESS_LOG_RETENTION_DAYS."""
from django.db import migrations

NAME = "Pangkas log akses data pribadi (malam)"


def create(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name=NAME, defaults={"func": "apps.privacy.services.prune_by_setting", "schedule_type": "D", "repeats": -1})


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_access_log"), ("reports", "0005_schedules")]
    operations = [migrations.RunPython(create, remove)]
