from django.db import migrations


def load(apps, schema_editor):
    from apps.reports.catalogue import sync_indicators

    sync_indicators(apps.get_model("reports", "Indicator"), apps.get_model("spm", "SpmField"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("spm", "0002_six_fields")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
