"""New indicators of the catalogue (coverage: IDL, vitamin A, TTD, remaja Hb, lansia screening)
reach existing databases; sync_indicators is idempotent and keeps every earlier version."""
from django.db import migrations


def sync(apps, schema_editor):
    from apps.reports.catalogue import sync_indicators

    sync_indicators(apps.get_model("reports", "Indicator"), apps.get_model("spm", "SpmField"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_schedules")]
    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
