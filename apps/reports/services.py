"""Computing the monthly report: pre-aggregated values per Posyandu and month from the records,
rolled up by region code. Idempotent: recomputing a month replaces its rows."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum

from apps.core.scoping import code_q
from apps.people.models import Person
from apps.posyandu.models import Posyandu
from apps.reports import rollups
from apps.reports.contributions import CONTRIBUTORS
from apps.reports.models import Indicator, MonthlyValue, RegionValue
from apps.serviceday.immunisation import schedule
from apps.serviceday.models import Immunisation, Visit

Key = tuple[int, str, str]  # posyandu id, indicator code, sex ('' = total)
CHILD_STAGES = ("bayi", "balita")


def month_bounds(period: dt.date) -> tuple[dt.date, dt.date]:
    start = period.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


def months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, 28))


def indicators_for(period: dt.date) -> dict[str, Indicator]:
    rows = Indicator.objects.filter(valid_from__lte=period).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period))
    return {i.code: i for i in rows.order_by("valid_from")}  # the newest version of a code wins


def compute_month(period: dt.date, posyandu_ids: Iterable[int] | None = None, *, area: str = "") -> int:
    """Recompute every indicator for the month at the given Posyandu, or at every Posyandu under
    a region code (`area`), or everywhere when neither is given."""
    start, end = month_bounds(period)
    last_day = end - dt.timedelta(days=1)
    # With no list, every Posyandu: filter by nothing rather than an IN list of every id, which
    # passes SQLite's variable limit on a national run.
    if posyandu_ids is not None:
        ids = list(posyandu_ids)
        where, posyandu = Q(posyandu_id__in=ids), Posyandu.objects.filter(pk__in=ids)
    elif area:
        where, posyandu = code_q("posyandu__region_code", area), Posyandu.objects.filter(code_q("region_code", area))
    else:
        where, posyandu = Q(), Posyandu.objects.all()
    places = {p["pk"]: p for p in posyandu.values("pk", "province_code", "regency_code", "district_code",
                                                  "village_code")}
    counts: dict[Key, list[int]] = defaultdict(lambda: [0, 0])

    def add(pid: int, code: str, sex: str, num: int, den: int = 0) -> None:
        for s in ("", sex) if sex else ("",):
            counts[(pid, code, s)][0] += num
            counts[(pid, code, s)][1] += den

    # S and K: balita (0-59 months at the month's end) registered and still served at its end.
    balita = (Person.objects.filter(where, posyandu__isnull=False, birth_date__gt=months_before(last_day, 60),
                                    birth_date__lte=last_day)
              .filter(Q(status="aktif") | Q(status_date__gt=last_day))
              .values("posyandu_id", "sex").annotate(s=Count("pk"), k=Count("pk", filter=Q(has_kia_book=True))))
    for row in balita:
        add(row["posyandu_id"], "S", row["sex"], row["s"])
        add(row["posyandu_id"], "K", row["sex"], row["k"])

    _count_registers(where, start, end, add)

    # The month's last visit of each person at each Posyandu speaks for the month.
    latest: dict[tuple[int, int], dict[str, Any]] = {}
    visits = (Visit.objects.filter(where, visit_date__gte=start, visit_date__lt=end)
              .order_by("visit_date", "pk")
              .values("posyandu_id", "person_id", "person__sex", "stage", "age_months", "weight_kg", "kms_status",
                      "two_t", "bgm", "oedema", "zwei", "zlen", "zwfl", "bb_u", "tb_u", "bb_tb", "kek",
                      "hypertension", "vitamin_a", "iron_tablets", "hb_g_dl", "anaemia", "systolic"))
    for v in visits.iterator(chunk_size=5000):
        latest[(v["posyandu_id"], v["person_id"])] = v
    for (pid, _), v in latest.items():
        sex = v["person__sex"]
        if v["stage"] in CHILD_STAGES and v["age_months"] is not None and v["age_months"] < 60:
            _count_child(add, pid, sex, v)
            if v["age_months"] >= 6 and v["vitamin_a"]:
                add(pid, "VITA", sex, 1)
        elif v["stage"] == "ibu_hamil":
            if v["kek"] is not None:
                add(pid, "BUMIL_KEK", sex, int(v["kek"]), 1)
            add(pid, "BUMIL_TTD", sex, int(bool(v["iron_tablets"])), 1)
        elif v["stage"] == "remaja":
            add(pid, "REMAJA_HB", sex, int(v["hb_g_dl"] is not None), 1)
            if v["hb_g_dl"] is not None:
                add(pid, "REMAJA_ANEMIA", sex, int(bool(v["anaemia"])), 1)
        elif v["stage"] == "lansia":
            add(pid, "LANSIA_SKRINING", sex, int(v["systolic"] is not None), 1)
            if v["hypertension"] is not None:
                add(pid, "LANSIA_HT", sex, int(v["hypertension"]), 1)

    for contributor in CONTRIBUTORS:  # the non-health field registers and other apps' counts
        contributor(where, start, end, add)

    # Ratios carry their parts so every level sums them before dividing.
    for (pid, code, sex), (num, _) in list(counts.items()):
        if code == "D":
            counts[(pid, "DS", sex)][0] += num
            counts[(pid, "ND", sex)][1] += num
        elif code == "S":
            counts[(pid, "DS", sex)][1] += num
        elif code == "N":
            counts[(pid, "ND", sex)][0] += num

    indicators = indicators_for(start)
    rows = []
    for (pid, code, sex), (num, den) in counts.items():
        indicator = indicators.get(code)
        if indicator is None:
            continue
        place = places[pid]
        rows.append(MonthlyValue(
            indicator=indicator, posyandu_id=pid, period=start, sex=sex, numerator=num,
            denominator=den if indicator.denominator else None, province_code=place["province_code"],
            regency_code=place["regency_code"], district_code=place["district_code"],
            village_code=place["village_code"]))
    with transaction.atomic():
        old = MonthlyValue.objects.filter(where, period=start)
        # The desa whose sums change: where the Posyandu are now and where their old rows were
        # (a Posyandu moved to another desa takes its values out of the old one).
        villages = None if posyandu_ids is None and not area else (
            {p["village_code"] for p in places.values()} | set(old.values_list("village_code", flat=True).distinct()))
        if area and villages is not None:  # and a desa whose last Posyandu was deleted since
            villages |= set(RegionValue.objects.filter(code_q("area_code", area), level=4, period=start)
                            .values_list("area_code", flat=True))
        old.delete()
        MonthlyValue.objects.bulk_create(rows, batch_size=2000)
        rollups.refresh(start, villages)
    return len(rows)


def _count_registers(where: Q, start: dt.date, end: dt.date, add: Any) -> None:
    """Coverage counted over the registered children, not the visits: vitamin A's denominator
    (balita 6-59 months) and complete basic immunisation (IDL) of the children whose first
    birthday falls in the month, with every basic dose given by the month's end."""
    last_day = end - dt.timedelta(days=1)
    served = Q(status="aktif") | Q(status_date__gt=last_day)
    vita = (Person.objects.filter(where, served, posyandu__isnull=False, birth_date__gt=months_before(last_day, 60),
                                  birth_date__lte=months_before(last_day, 6))
            .values("posyandu_id", "sex").annotate(n=Count("pk")).order_by())
    for row in vita:
        add(row["posyandu_id"], "VITA", row["sex"], 0, row["n"])
    one_year_olds = Person.objects.filter(where, served, posyandu__isnull=False,
                                          birth_date__gte=months_before(start, 12), birth_date__lt=months_before(end, 12))
    codes = schedule()["complete_basic"]
    complete = set(Immunisation.objects.filter(person__in=one_year_olds.values("pk"), vaccine__in=codes,
                                               given_on__lte=last_day)
                   .values("person_id").annotate(n=Count("vaccine", distinct=True)).filter(n=len(codes))
                   .values_list("person_id", flat=True))
    for pk, pid, sex in one_year_olds.values_list("pk", "posyandu_id", "sex"):
        add(pid, "IDL", sex, int(pk in complete), 1)


def _count_child(add: Any, pid: int, sex: str, v: dict[str, Any]) -> None:
    if v["weight_kg"] is not None:
        add(pid, "D", sex, 1)
        status = v["kms_status"]
        if status in ("N", "T", "O", "B"):
            add(pid, status, sex, 1)
        add(pid, "2T", sex, int(v["two_t"]))
        add(pid, "BGM", sex, int(v["bgm"]))
    oedema = bool(v["oedema"])
    # Prevalences follow WHO: flagged z-scores are left out; oedema counts as severe wasting and
    # severe underweight.
    if v["zlen"] is not None and abs(v["zlen"]) <= 6:
        add(pid, "STUNTING", sex, int(v["tb_u"] in ("pendek", "sangat pendek")), 1)
    if oedema or (v["zwfl"] is not None and abs(v["zwfl"]) <= 5):
        add(pid, "WASTING", sex, int(oedema or v["bb_tb"] in ("gizi kurang", "gizi buruk")), 1)
        add(pid, "OVERWEIGHT", sex, int(not oedema and v["bb_tb"] in ("gizi lebih", "obesitas")), 1)
    if oedema or (v["zwei"] is not None and -6 <= v["zwei"] <= 5):
        add(pid, "UNDERWEIGHT", sex, int(oedema or v["bb_u"] in ("berat badan kurang", "berat badan sangat kurang")), 1)


LEVEL_FIELDS = {1: "province_code", 2: "regency_code", 3: "district_code", 4: "village_code"}


def area_totals(area_code: str, period: dt.date) -> dict[str, tuple[int, int | None]]:
    """{indicator code: (numerator, denominator)} of a region's month, totals only, read from its
    roll-up rows (every version of a code summed). Unscoped: callers scope the area."""
    out: dict[str, tuple[int, int | None]] = {}
    rows = (RegionValue.objects.filter(area_code=area_code, period=period.replace(day=1), sex="")
            .values_list("indicator__code", "numerator", "denominator"))
    for code, num, den in rows:
        n, d = out.get(code, (0, None))
        out[code] = (n + num, d if den is None else (d or 0) + den)
    return out


def rollup(queryset: Any, period: dt.date, group_by: str) -> dict[tuple[str, str, str], tuple[int, int | None]]:
    """{(area code, indicator code, sex): (numerator, denominator)} summed over the rows given."""
    rows = (queryset.filter(period=period.replace(day=1))
            .values(group_by, "indicator__code", "sex")
            .annotate(num=Sum("numerator"), den=Sum("denominator")).order_by())
    return {(r[group_by], r["indicator__code"], r["sex"]): (r["num"], r["den"]) for r in rows}
