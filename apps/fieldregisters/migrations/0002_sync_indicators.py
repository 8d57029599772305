"""The non-health indicators appended to apps/reports/data/indicators.json reach existing
databases; sync_indicators is idempotent and keeps every earlier version."""
from django.db import migrations


def sync(apps, schema_editor):
    from apps.reports.catalogue import sync_indicators

    sync_indicators(apps.get_model("reports", "Indicator"), apps.get_model("spm", "SpmField"))


class Migration(migrations.Migration):
    dependencies = [
        ("fieldregisters", "0001_initial"),
        ("reports", "0006_sync_catalogue"),
    ]
    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
