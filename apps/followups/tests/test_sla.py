from __future__ import annotations

import datetime as dt

import pytest

from apps.followups import sla
from apps.followups.models import Holiday

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2026, 8, 14)


@pytest.fixture
def independence_day(db):
    Holiday.objects.get_or_create(date=dt.date(2026, 8, 17), defaults={"name": "Hari Kemerdekaan"})


def test_the_default_sla_is_five_working_days_from_the_data_file():
    assert sla.sla_working_days() == 5
    assert sla.load_sla()["rules"][0]["source"].startswith("[S]")


def test_a_setting_overrides_the_sla(settings):
    settings.FOLLOWUP_SLA_WORKING_DAYS = 3
    assert sla.sla_working_days() == 3


def test_working_days_skip_the_weekend_and_a_holiday(independence_day):
    # Fri 14 Aug 2026 + 5 working days: Sat, Sun and Mon 17 Aug (holiday) skipped → Tue..Fri, Mon 24.
    assert sla.add_working_days(FRIDAY, 5) == dt.date(2026, 8, 24)
    assert sla.add_working_days(FRIDAY, 1) == dt.date(2026, 8, 18)


def test_without_the_holiday_only_the_weekend_is_skipped():
    Holiday.objects.filter(date=dt.date(2026, 8, 17)).delete()
    assert sla.add_working_days(FRIDAY, 5) == dt.date(2026, 8, 21)


def test_working_days_between_counts_after_the_start_up_to_the_end(independence_day):
    assert sla.working_days_between(FRIDAY, dt.date(2026, 8, 17)) == 0
    assert sla.working_days_between(FRIDAY, dt.date(2026, 8, 24)) == 5
    assert sla.working_days_between(dt.date(2026, 8, 24), FRIDAY) == 0


def test_escalation_level_rises_once_per_sla_period_and_is_capped():
    due = dt.date(2026, 3, 2)  # a Monday; no holiday in the month in the test data
    assert sla.escalation_level_for(due, due, 5) == 0
    assert sla.escalation_level_for(due, due + dt.timedelta(days=1), 5) == 1
    assert sla.escalation_level_for(due, dt.date(2026, 3, 9), 5) == 1  # 5 working days late
    assert sla.escalation_level_for(due, dt.date(2026, 3, 10), 5) == 2  # 6
    assert sla.escalation_level_for(due, dt.date(2026, 3, 17), 5) == 3
    assert sla.escalation_level_for(due, dt.date(2026, 6, 1), 5) == sla.max_escalation_level() == 3


def test_the_seed_loads_the_fixed_national_holidays():
    import importlib

    from django.apps import apps

    Holiday.objects.all().delete()
    importlib.import_module("apps.followups.migrations.0002_seed_fixed_holidays").load(apps, None)
    assert Holiday.objects.filter(date=dt.date(2026, 12, 25), name="Hari Raya Natal").exists()
    assert Holiday.objects.filter(date=dt.date(2027, 6, 1)).exists()
    assert Holiday.objects.count() == 15
