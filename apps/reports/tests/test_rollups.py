"""Roll-ups per region level (RegionValue) against the Posyandu values they sum.

The property: after any sequence of visits saved, files imported, months sent and reopened (the
real service functions, and the real background job), every stored roll-up equals the sum of its
parts at every level, desa to nation, and no area keeps a row its parts do not have. Runs on
SQLite and on PostgreSQL (DATABASE_URL).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.people.models import Person
from apps.posyandu.models import Posyandu
from apps.regions.models import Region
from apps.reports import approval, jobs, rollups
from apps.reports import dashboard as d
from apps.reports.models import MonthlyValue, RegionValue
from apps.reports.services import compute_month
from apps.serviceday import services
from apps.serviceday.imports import import_measurements
from apps.serviceday.models import Visit

pytestmark = pytest.mark.django_db
MARCH, APRIL = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
MONTHS = [MARCH, APRIL]
HEADER = ["nik", "nama", "jk", "tgl_lahir", "nama_ibu", "tanggal_ukur", "berat", "tinggi", "cara_ukur", "lila",
          "lingkar_kepala"]


def expected_rollups() -> dict[tuple[int, str, int, dt.date, str], tuple[int, int | None]]:
    """Every level's sums computed here from the Posyandu rows, independently of rollups.py."""
    sums: dict[tuple[int, str, int, dt.date, str], list[Any]] = defaultdict(lambda: [0, None])
    for row in MonthlyValue.objects.values("indicator_id", "period", "sex", "numerator", "denominator",
                                           "province_code", "regency_code", "district_code", "village_code"):
        codes = ["", row["province_code"], row["regency_code"], row["district_code"], row["village_code"]]
        for level, code in enumerate(codes):
            total = sums[(level, code, row["indicator_id"], row["period"], row["sex"])]
            total[0] += row["numerator"]
            if row["denominator"] is not None:
                total[1] = (total[1] or 0) + row["denominator"]
    return {k: (v[0], v[1]) for k, v in sums.items()}


def stored_rollups() -> dict[tuple[int, str, int, dt.date, str], tuple[int, int | None]]:
    out = {}
    for r in RegionValue.objects.values("level", "area_code", "parent_code", "indicator_id", "period", "sex",
                                        "numerator", "denominator"):
        # The parent named on each row is the code one level up ('' above the provinces).
        assert r["parent_code"] == (r["area_code"].rsplit(".", 1)[0] if "." in r["area_code"] else ""), r
        out[(r["level"], r["area_code"], r["indicator_id"], r["period"], r["sex"])] = (r["numerator"],
                                                                                         r["denominator"])
    return out


def assert_rollups_equal_their_parts() -> None:
    expected, stored = expected_rollups(), stored_rollups()
    missing = {k: v for k, v in expected.items() if stored.get(k) != v}
    extra = {k: v for k, v in stored.items() if k not in expected}
    assert not missing and not extra, (list(missing.items())[:5], list(extra.items())[:5])


@pytest.fixture
def places(db):
    """Four Posyandu: two in one desa, one in another kecamatan of Kota Bengkulu, one in Rejang
    Lebong (another kab/kota), so every level has more than one part."""
    first = Posyandu.objects.filter(regency_code="17.71").order_by("village_code", "pk").first()
    village = Region.objects.current().get(code=first.village_code)
    second = Posyandu.objects.filter(village_code=first.village_code).exclude(pk=first.pk).first()
    if second is None:
        second = Posyandu(village=village, name="Posyandu Uji Roll-up", schedule_day=10)
        second.save()
    third = Posyandu.objects.filter(regency_code="17.71").exclude(district_code=first.district_code).order_by("pk")[0]
    fourth = Posyandu.objects.filter(regency_code="17.02").order_by("pk").first()
    return [first, second, third, fourth]


def save_visit(posyandu: Posyandu, user: Any, month: dt.date, kg: Decimal, n: int) -> None:
    day = month.replace(day=10)
    child = Person.objects.create(name=f"Anak Uji {n}", sex="LP"[n % 2], birth_date=dt.date(2024, 1 + n % 12, 3),
                                  region=posyandu.village, posyandu=posyandu)
    session = services.open_session(posyandu=posyandu, date=day, acting_user=user)
    services.record_visit(visit=Visit(session=session, posyandu=posyandu, person=child, visit_date=day,
                                      weight_kg=kg, height_cm=Decimal("82.0"), position="l"), acting_user=user)


def import_file(posyandu: Posyandu, user: Any, months: list[dt.date], n: int) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for i, month in enumerate(months):
        writer.writerow(["", f"Balita Impor {n}", "P", "2024-06-01", f"Ibu Impor {n}", f"{month:%Y-%m}-12",
                         f"{9.5 + i * 0.3:.1f}", "80.0", "Terlentang", "", ""])
    source = io.BytesIO(buffer.getvalue().encode("utf-8"))
    source.name = "impor.csv"
    import_measurements(posyandu=posyandu, source=source, acting_user=user)


OPERATIONS = st.lists(st.one_of(
    st.tuples(st.just("simpan"), st.integers(0, 3), st.sampled_from(MONTHS),
              st.decimals(Decimal("7.0"), Decimal("16.0"), places=1)),
    st.tuples(st.just("impor"), st.integers(0, 3), st.lists(st.sampled_from(MONTHS), min_size=1, max_size=2,
                                                               unique=True)),
    st.tuples(st.just("kirim"), st.integers(0, 3), st.sampled_from(MONTHS)),
    st.tuples(st.just("buka"), st.integers(0, 3), st.sampled_from(MONTHS)),
    st.tuples(st.just("job")),
), min_size=1, max_size=7)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(OPERATIONS)
def test_rollups_equal_the_sum_of_their_parts_after_any_saves_imports_and_reopenings(places, persona, operations):
    admin = persona("admin")
    with transaction.atomic():  # each example starts from the same data
        for n, op in enumerate(operations):
            kind, rest = op[0], op[1:]
            try:
                if kind == "simpan":
                    save_visit(places[rest[0]], admin, rest[1], rest[2], n)
                elif kind == "impor":
                    import_file(places[rest[0]], admin, rest[1], n)
                elif kind == "kirim":  # as the report page does: compute what the records say, then send
                    report = approval.report_for(places[rest[0]], rest[1])
                    compute_month(rest[1], [places[rest[0]].pk])
                    approval.submit(report=report, acting_user=admin)
                elif kind == "buka":
                    report = approval.report_for(places[rest[0]], rest[1])
                    approval.reopen(report=report, acting_user=admin, reason="Koreksi data")
                else:
                    jobs.recompute_stale()
                    assert_rollups_equal_their_parts()
            except (ValidationError, PermissionDenied):
                pass  # a locked month refuses the save, a draft cannot be reopened: nothing changed
        jobs.recompute_stale()
        assert_rollups_equal_their_parts()
        # and what a dashboard shows at the top is what the Posyandu rows add up to
        nation = d.area_values(admin, d.Area("", d.NATION, "Indonesia"), APRIL, ["D"]).get(("D", ""), (0, None))[0]
        assert nation == sum(MonthlyValue.objects.filter(period=APRIL, sex="", indicator__code="D")
                             .values_list("numerator", flat=True))
        transaction.set_rollback(True)


def test_a_moved_posyandu_takes_its_values_out_of_the_old_desa(places, persona):
    posyandu = places[2]
    save_visit(posyandu, persona("admin"), MARCH, Decimal("10.2"), 1)
    jobs.recompute_stale()
    old_village = posyandu.village_code
    assert RegionValue.objects.filter(area_code=old_village, period=MARCH).exists()
    target = Region.objects.current().filter(level=4, parent_code=places[0].district_code).exclude(
        code=places[0].village_code).order_by("code").first()
    posyandu.village = target
    posyandu.save()
    posyandu.refresh_from_db()
    assert posyandu.village_code == target.code
    compute_month(MARCH, [posyandu.pk])
    assert_rollups_equal_their_parts()  # the old desa now sums only the Posyandu left in it
    left = MonthlyValue.objects.filter(village_code=old_village, period=MARCH, indicator__code="D", sex="")
    stored = RegionValue.objects.filter(area_code=old_village, period=MARCH, indicator__code="D", sex="")
    assert sum(left.values_list("numerator", flat=True)) == sum(stored.values_list("numerator", flat=True))
    assert RegionValue.objects.filter(area_code=target.code, period=MARCH, indicator__code="D", sex="").exists()


def test_refresh_all_rebuilds_what_was_lost(places, persona):
    save_visit(places[0], persona("admin"), APRIL, Decimal("11.0"), 2)
    jobs.recompute_stale()
    before = stored_rollups()
    RegionValue.objects.all().delete()
    rollups.refresh_all()
    assert stored_rollups() == before
    assert_rollups_equal_their_parts()


def test_a_region_user_reads_no_rollup_above_their_own_area(places, persona):
    inside = Posyandu.objects.filter(district_code="17.71.02").order_by("pk").first()
    save_visit(inside, persona("admin"), APRIL, Decimal("11.0"), 3)
    save_visit(places[3], persona("admin"), APRIL, Decimal("11.0"), 4)
    jobs.recompute_stale()
    kecamatan = persona("kecamatan_viewer")  # Gading Cempaka, 17.71.02
    readable = set(RegionValue.objects.for_user(kecamatan).values_list("area_code", flat=True))
    assert readable and all(c == "17.71.02" or c.startswith("17.71.02.") for c in readable)
    assert not RegionValue.objects.for_user(persona("kader")).exists()  # a Posyandu user: its own rows only
    assert not RegionValue.objects.for_user(persona("unassigned")).exists()
    assert RegionValue.objects.for_user(persona("national_viewer")).filter(level=0).exists()
