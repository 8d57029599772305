"""The recurring jobs: recompute stale months every minute, and the current and previous month
of every Posyandu each night (catches changes made outside the service functions)."""
from django.db import migrations

SCHEDULES = [
    ("Hitung ulang bulan yang berubah", "apps.reports.jobs.recompute_stale", "I", 1),
    ("Hitung ulang bulan berjalan (malam)", "apps.reports.jobs.recompute_recent", "D", None),
]


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, func, kind, minutes in SCHEDULES:
        Schedule.objects.update_or_create(name=name, defaults={"func": func, "schedule_type": kind,
                                                               "minutes": minutes, "repeats": -1})


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_stale_month"), ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]
    operations = [migrations.RunPython(create, remove)]
