"""The background recompute: saving a visit marks its month, the job recomputes it once, and the
queue carries jobs through a real broker (the database, and Redis at 127.0.0.1:6379)."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.people.models import Person
from apps.reports import jobs
from apps.reports.models import MonthlyValue, StaleMonth
from apps.serviceday import services
from apps.serviceday.models import Visit

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 4, 14)


def weigh_child(posyandu, user, kg="9.1"):
    child = Person.objects.create(name="Raka Pratama", sex="L", birth_date=dt.date(2025, 1, 10),
                                  region=posyandu.village, posyandu=posyandu)
    session = services.open_session(posyandu=posyandu, date=DAY, acting_user=user)
    return services.record_visit(visit=Visit(session=session, posyandu=posyandu, person=child, visit_date=DAY,
                                             weight_kg=Decimal(kg), height_cm=Decimal("76"), position="l"),
                                 acting_user=user).visit


def d_value(posyandu):
    row = MonthlyValue.objects.filter(posyandu=posyandu, period=DAY.replace(day=1), indicator__code="D", sex="")
    return row.values_list("numerator", flat=True).first()


def test_saving_a_visit_marks_its_month_and_the_job_recomputes_it_once(demo_posyandu, persona):
    weigh_child(demo_posyandu, persona("kader"))
    assert StaleMonth.objects.filter(posyandu=demo_posyandu, period=dt.date(2026, 4, 1)).count() == 1
    assert d_value(demo_posyandu) is None  # not computed on the save path
    assert jobs.recompute_stale() == 1
    assert d_value(demo_posyandu) == Visit.objects.filter(
        posyandu=demo_posyandu, visit_date__month=4, visit_date__year=2026, weight_kg__isnull=False,
        age_months__lt=60).values("person").distinct().count()
    assert not StaleMonth.objects.exists()
    assert jobs.recompute_stale() == 0  # nothing left: idempotent


def test_a_change_made_while_the_job_runs_is_not_cleared(demo_posyandu, monkeypatch):
    jobs.mark_stale([(demo_posyandu.pk, DAY)])
    real = jobs.compute_month

    def compute_and_change_meanwhile(period, ids):
        real(period, ids)
        StaleMonth.objects.filter(posyandu=demo_posyandu).update(marked_at=timezone.now() + dt.timedelta(seconds=5))

    monkeypatch.setattr(jobs, "compute_month", compute_and_change_meanwhile)
    jobs.recompute_stale()
    assert StaleMonth.objects.filter(posyandu=demo_posyandu).exists()


def test_marking_twice_keeps_one_row_and_moves_its_time_forward(demo_posyandu):
    jobs.mark_stale([(demo_posyandu.pk, DAY)])
    first = StaleMonth.objects.get().marked_at
    jobs.mark_stale([(demo_posyandu.pk, DAY.replace(day=28)), (demo_posyandu.pk, DAY)])
    row = StaleMonth.objects.get()
    assert row.period == dt.date(2026, 4, 1) and row.marked_at >= first


def test_the_recurring_jobs_are_scheduled():
    from django_q.models import Schedule

    funcs = set(Schedule.objects.values_list("func", flat=True))
    assert {"apps.reports.jobs.recompute_stale", "apps.reports.jobs.recompute_recent",
            "apps.followups.services.escalate_overdue"} <= funcs
    for func in funcs:
        import_string(func)  # every scheduled function exists


def run_one_from(broker):
    """What a django-q2 worker does with one queued package: decode it and call its function."""
    from django_q.signing import SignedPackage

    (ack_id, payload), = broker.dequeue()
    task = SignedPackage.loads(payload)
    result = import_string(task["func"])(*task["args"], **task["kwargs"])
    broker.acknowledge(ack_id)
    return result


def test_an_on_demand_recompute_goes_through_the_database_queue(demo_posyandu, persona):
    from django_q.brokers.orm import ORM

    weigh_child(demo_posyandu, persona("kader"))
    broker = ORM(list_key=f"test-{uuid.uuid4().hex[:8]}")
    jobs.enqueue_recompute(DAY, demo_posyandu.region_code, broker=broker, sync=False)
    assert d_value(demo_posyandu) is None
    assert run_one_from(broker) > 0
    assert d_value(demo_posyandu) >= 1


def test_the_queue_also_runs_on_redis(demo_posyandu, persona):
    from django_q.brokers.redis_broker import Redis
    from django_q.conf import Conf

    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis di 127.0.0.1:6379 tidak berjalan")
    weigh_child(demo_posyandu, persona("kader"))
    old = Conf.REDIS
    Conf.REDIS = "redis://127.0.0.1:6379/15"
    try:
        broker = Redis(list_key=f"posyandu-test-{uuid.uuid4().hex[:8]}")
        jobs.enqueue_recompute(DAY, demo_posyandu.region_code, broker=broker, sync=False)
        assert broker.queue_size() == 1
        assert run_one_from(broker) > 0
    finally:
        Conf.REDIS = old
        broker.delete_queue()
    assert d_value(demo_posyandu) >= 1


def test_the_command_can_queue_instead_of_computing(demo_posyandu, persona):
    from io import StringIO

    from django.core.management import call_command

    weigh_child(demo_posyandu, persona("kader"))
    out = StringIO()
    call_command("compute_monthly", bulan="2026-04", wilayah=demo_posyandu.region_code, antrean=True, stdout=out)
    assert "Masuk antrean" in out.getvalue()
    assert d_value(demo_posyandu) >= 1  # the test settings run the queue inline (sync)


def test_a_month_splits_into_one_job_per_kabkota_that_can_run_in_any_order_and_twice(demo_posyandu, persona):
    """The fan-out through a real (database) queue: the jobs run in reverse order, and every job
    a second time as a retry would; the values and roll-ups equal one recompute of the month."""
    from django_q.brokers.orm import ORM

    from apps.reports.models import RegionValue
    from apps.reports.services import compute_month
    from apps.reports.tests.test_rollups import assert_rollups_equal_their_parts

    weigh_child(demo_posyandu, persona("kader"))
    compute_month(DAY)
    once = {(r["posyandu_id"], r["indicator_id"], r["sex"]): (r["numerator"], r["denominator"])
            for r in MonthlyValue.objects.filter(period=DAY.replace(day=1)).values()}
    rolled = set(RegionValue.objects.filter(period=DAY.replace(day=1))
                 .values_list("area_code", "indicator_id", "sex", "numerator", "denominator"))
    MonthlyValue.objects.filter(period=DAY.replace(day=1)).delete()
    RegionValue.objects.filter(period=DAY.replace(day=1)).delete()

    broker = ORM(list_key=f"test-{uuid.uuid4().hex[:8]}")
    assert jobs.job_areas() == ["17.02", "17.71"] and jobs.job_areas("17.71.02") == ["17.71.02"]
    tasks = jobs.enqueue_month(DAY, broker=broker, sync=False)
    assert len(tasks) == 2 and broker.queue_size() == 2
    queued = []
    while broker.queue_size():
        (ack_id, payload), = broker.dequeue()
        queued.append(payload)
        broker.acknowledge(ack_id)
    from django_q.signing import SignedPackage

    for payload in [*reversed(queued), *queued]:  # any order, and a retry of each
        task = SignedPackage.loads(payload)
        import_string(task["func"])(*task["args"], **task["kwargs"])
    again = {(r["posyandu_id"], r["indicator_id"], r["sex"]): (r["numerator"], r["denominator"])
             for r in MonthlyValue.objects.filter(period=DAY.replace(day=1)).values()}
    assert again == once
    assert set(RegionValue.objects.filter(period=DAY.replace(day=1))
               .values_list("area_code", "indicator_id", "sex", "numerator", "denominator")) == rolled
    assert_rollups_equal_their_parts()


def test_the_nightly_job_queues_each_month_per_kabkota(demo_posyandu, persona):
    weigh_child(demo_posyandu, persona("kader"))
    assert jobs.recompute_recent(DAY) == 4  # two months × two kab/kota; the test settings run them inline
    assert d_value(demo_posyandu) >= 1
