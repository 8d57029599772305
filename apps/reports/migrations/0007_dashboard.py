"""Dashboards: the data-quality indicators (DQ_*) of the catalogue reach existing databases, and a
covering index serves the dashboard queries. Every dashboard query filters MonthlyValue by
indicator, sex and a month (range) and sums numerator/denominator grouped by a region code; with
all of these in one index SQLite and PostgreSQL answer from the index alone (on 720,000 rows of a
1,000-Posyandu province the 12-month trend went from ~1.3 s to ~0.1 s on SQLite).

Raw SQL rather than Meta.indexes, so models.py stays as it is; the statement is the same on both
databases."""
from django.db import migrations

INDEX = "reports_monthlyvalue_dashboard_idx"


def sync(apps, schema_editor):
    from apps.reports.catalogue import sync_indicators

    sync_indicators(apps.get_model("reports", "Indicator"), apps.get_model("spm", "SpmField"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_sync_catalogue")]
    operations = [
        migrations.RunPython(sync, migrations.RunPython.noop),
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON reports_monthlyvalue (indicator_id, sex, period, province_code, "
            "regency_code, district_code, village_code, posyandu_id, numerator, denominator)",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
