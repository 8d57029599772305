"""Load the fixed-date national holidays (data/holidays.json); moving holidays are entered by an
admin each year from the SKB 3 Menteri."""
import datetime as dt
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "holidays.json"


def load(apps, schema_editor):
    Holiday = apps.get_model("followups", "Holiday")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for year in data["years"]:
        for item in data["fixed"]:
            Holiday.objects.get_or_create(
                date=dt.date(year, item["month"], item["day"]),
                defaults={"name": item["name"], "source": data["source"][:250]},
            )


class Migration(migrations.Migration):
    dependencies = [("followups", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
