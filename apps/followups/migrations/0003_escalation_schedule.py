"""Escalate overdue follow-ups every morning (django-q2 schedule; the worker runs it)."""
from django.db import migrations

NAME = "Eskalasi tindak lanjut terlambat"


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(name=NAME, defaults={"func": "apps.followups.services.escalate_overdue",
                                                           "schedule_type": "D", "repeats": -1})


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("followups", "0002_seed_fixed_holidays"),
                    ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]
    operations = [migrations.RunPython(create, remove)]
