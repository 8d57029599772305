"""Data migrations of the service day: what they fill in for visits saved before them."""
import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from apps.people.models import Person
from apps.serviceday import services
from apps.serviceday.models import Visit

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


def test_0004_gives_earlier_visits_their_head_category_and_lila_band(demo_posyandu, persona):
    kader = persona("kader")
    session = services.open_session(posyandu=demo_posyandu, date=DAY, acting_user=kader)
    saved = []
    for name, sex, days, values in (
            ("Rina Mikro", "P", 302, {"head_circ_cm": Decimal("41.5")}),
            ("Lala Lila", "P", 200, {"muac_cm": Decimal("11.4")}),
            ("Bu Dewasa", "P", 12000, {"muac_cm": Decimal("22.0")})):
        person = Person.objects.create(name=name, sex=sex, birth_date=DAY - dt.timedelta(days=days),
                                       region=demo_posyandu.village, posyandu=demo_posyandu)
        visit = Visit(session=session, posyandu=demo_posyandu, person=person, visit_date=DAY, **values)
        saved.append(services.record_visit(visit=visit, acting_user=kader).visit.pk)
    Visit.objects.filter(pk__in=saved).update(lk_u="", muac_red=None)  # as before the migration

    migration = importlib.import_module("apps.serviceday.migrations.0004_visit_tbc_puma_head_muac_screening")
    migration.backfill_results(apps, None)

    found = {v.person.name: (v.lk_u, v.muac_red) for v in Visit.objects.filter(pk__in=saved).select_related("person")}
    assert found == {"Rina Mikro": ("mikrosefali", None), "Lala Lila": ("", True), "Bu Dewasa": ("", None)}
