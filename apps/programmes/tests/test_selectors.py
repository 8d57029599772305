"""The synchronisation computations against the hand-built world (see conftest.py)."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.programmes import selectors
from apps.programmes.tests.conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db


def test_it_lists_fields_without_programmes_ignoring_cancelled_ones(world):
    codes = [f.code for f in selectors.fields_without_programmes("17.71", YEAR)]
    assert codes == ["sosial", "perumahan", "pupr", "trantibumlinmas"]


def test_a_kecamatan_sees_only_its_own_teams_programmes(world):
    codes = [f.code for f in selectors.fields_without_programmes("17.71.02", YEAR)]
    assert codes == ["pendidikan", "sosial", "perumahan", "pupr", "trantibumlinmas"]


def test_another_year_has_no_programme_in_any_field(world):
    assert len(selectors.fields_without_programmes("17.71", YEAR + 1)) == 6


def test_it_lists_the_opds_of_the_area_without_programmes(world):
    names = sorted(o.short_name.split(" ")[0] for o in selectors.opds_without_programmes("17.71", YEAR))
    assert names == sorted(["Dinsos", "Perkim", "PUPR", "Satpol", "BPBD", "DPMD", "Bappeda"])


def test_it_finds_exactly_the_overlap_of_different_programmes_in_the_same_field_village_and_month(world):
    overlaps = selectors.overlapping_activities("17.71", YEAR)
    assert len(overlaps) == 1
    overlap = overlaps[0]
    assert {overlap.first.id, overlap.second.id} == {world.a1.pk, world.a2.pk}
    assert overlap.villages == [(world.v2.code, world.v2.name)]
    assert overlap.months == [5]
    assert overlap.field.code == "kesehatan"
    assert not overlap.same_opd


def test_activities_of_the_same_programme_never_overlap(world):
    from apps.programmes.models import Activity

    Activity.objects.filter(pk=world.a2.pk).delete()
    assert selectors.overlapping_activities("17.71", YEAR) == []


def test_it_lists_programmes_whose_indicator_does_not_move_toward_its_target(world):
    stalled = selectors.stalled_programmes("17.71", YEAR, today=TODAY)
    assert sorted(p.name for p in stalled) == ["P1 Penimbangan balita", "P6 Posyandu kecamatan"]
    p1 = next(p for p in stalled if p.pk == world.p1.pk)
    assert [t.code for t in p1.stalled_trends] == ["DS"]
    assert [v for _, v in p1.stalled_trends[0].points] == [60.0, 62.0, 58.0]


def test_the_kecamatan_area_rolls_up_its_own_values(world):
    stalled = selectors.stalled_programmes("17.71.02", YEAR, today=TODAY)
    assert [p.pk for p in stalled] == [world.p6.pk]


def test_it_judges_only_the_last_three_months_available(world):
    """A fourth, older month that was better does not count; a newer month that improves lifts P1."""
    import datetime as dt

    from apps.reports.models import MonthlyValue
    from apps.reports.rollups import refresh

    ds = MonthlyValue.objects.filter(indicator__code="DS").first()
    ds.pk, ds.period, ds.numerator = None, dt.date(YEAR, 4, 1), 70
    ds.save()
    refresh(ds.period, [ds.village_code])  # written directly: its areas' roll-ups too
    stalled = selectors.stalled_programmes("17.71", YEAR, today=TODAY)
    assert world.p1.pk not in [p.pk for p in stalled]  # 62 → 58 → 70: improved


def test_trends_say_what_they_see(world):
    trends = {t.name: t for t in selectors.programme_trends(world.p2)}
    (stunting,) = trends.values()
    assert stunting.status == "Membaik" and stunting.direction == -1
    (wasting,) = selectors.programme_trends(world.p4)
    assert wasting.status == "Data belum cukup" and not wasting.stalled
    (reached,) = selectors.programme_trends(world.p3)
    assert reached.status == "Target tercapai"


def test_a_finished_programme_is_not_reported_as_stalled(world):
    world.p1.status = "selesai"
    world.p1.save()
    assert world.p1.pk not in [p.pk for p in selectors.stalled_programmes("17.71", YEAR, today=TODAY)]


def test_the_overview_agrees_with_the_single_selectors(world):
    overview = selectors.sync_overview("17.71", YEAR, today=TODAY)
    assert [f.code for f in overview.fields_without] == ["sosial", "perumahan", "pupr", "trantibumlinmas"]
    assert overview.programme_count == 5 and overview.activity_count == 5
    assert len(overview.overlaps) == 1 and overview.overlap_count == 1
    assert selectors.sync_overview("17.71", YEAR, today=TODAY, overlap_limit=0).overlap_count == 1
    assert sorted(p.name for p, _ in overview.stalled) == ["P1 Penimbangan balita", "P6 Posyandu kecamatan"]
    kesehatan = next(b for b in overview.blocks if b.field.code == "kesehatan")
    dinkes = next(r for r in kesehatan.rows if r.opd.short_name.startswith("Dinkes"))
    assert dinkes.programmes == 3  # P1, P4 and the kecamatan's P6
    # A1 (3-5), A5 (4), A4 (3): March 2, April 2, May 1.
    assert dinkes.activities[2:5] == [2, 2, 1]
    assert dinkes.scheduled == [3] * 12


def test_the_overview_is_a_fixed_number_of_queries(world):
    from apps.programmes.models import Activity

    with CaptureQueriesContext(connection) as few:
        selectors.sync_overview("17.71", YEAR, today=TODAY)
    for i in range(20):  # many more activities must not add queries
        a = Activity.objects.create(programme=world.p3, name=f"Tambahan {i}", months=[3])
        a.villages.set([world.v1, world.v2])
    with CaptureQueriesContext(connection) as many:
        selectors.sync_overview("17.71", YEAR, today=TODAY)
    assert len(many) == len(few) <= 15  # 4 of them: the monthly probes for the last three months
