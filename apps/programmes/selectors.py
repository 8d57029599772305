"""Reads that span apps for the synchronisation view, the programme page, the API and rakor agendas.

Each function takes an area code (a Kemendagri region code) and a year and does not scope by user:
callers check that the user may read the area first (`area_for_user` in views). Everything is a few
aggregate queries whatever the number of programmes, so a kabupaten with hundreds of programmes and
thousands of activities renders in well under the 300 ms bar (bench/bench_sync_view.py).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.utils.safestring import mark_safe

from apps.core.regioncodes import level_of
from apps.core.scoping import code_q
from apps.organisations.models import Opd
from apps.programmes.models import ACTIVE_STATUSES, MONTH_NAMES, SHORT_MONTHS, Activity, Programme, ProgrammeIndicator
from apps.regions.models import Region
from apps.reports.models import Indicator, RegionValue
from apps.spm.models import SpmField

TREND_MONTHS = 3  # "not moving" is judged on the last three months with values


# --- indicator trends -------------------------------------------------------------------------


@dataclass
class IndicatorTrend:
    """A linked indicator's last values (oldest first) over the programme team's area, and whether
    they move toward the target."""

    link_id: int
    programme_id: int
    code: str
    name: str
    unit: str
    target: Decimal
    area_code: str
    preferred: str = ""  # "naik" / "turun" as the programme set it; blank = inferred from the target
    points: list[tuple[dt.date, float]] = field(default_factory=list)

    @property
    def latest(self) -> float | None:
        return self.points[-1][1] if self.points else None

    @property
    def latest_period(self) -> dt.date | None:
        return self.points[-1][0] if self.points else None

    @property
    def direction(self) -> int:
        """+1 when higher is better, -1 when lower is better; without a stated preference, +1 when
        the target lies above the first value, -1 below it, 0 on it."""
        if self.preferred:
            return 1 if self.preferred == "naik" else -1
        if not self.points:
            return 0
        first, target = self.points[0][1], float(self.target)
        return (target > first) - (target < first)

    @property
    def reached(self) -> bool:
        if not self.points:
            return False
        return self.direction == 0 or (self.points[-1][1] - float(self.target)) * self.direction >= 0

    @property
    def improved(self) -> bool:
        return len(self.points) >= 2 and (self.points[-1][1] - self.points[0][1]) * self.direction > 0

    @property
    def stalled(self) -> bool:
        """No improvement toward an unreached target over the months available (two at least)."""
        return len(self.points) >= 2 and not self.reached and not self.improved

    @property
    def points_text(self) -> str:
        """"Jan 2026 60 → Feb 2026 62 → Mar 2026 58", built here rather than in a template loop."""
        return " → ".join(f"{SHORT_MONTHS[p.month - 1]} {p.year} {number(v)}" for p, v in self.points)

    @property
    def target_text(self) -> str:
        return number(float(self.target))

    @property
    def status(self) -> str:
        if len(self.points) < 2:
            return "Data belum cukup"
        if self.reached:
            return "Target tercapai"
        return "Membaik" if self.improved else "Tidak bergerak"


def number(value: float | Decimal | int) -> str:
    """Indonesian number text: '.' between thousands, ',' before one decimal when there is one."""
    value = float(value)
    if value == int(value):
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _value(unit: str, num: int | None, den: int | None) -> float | None:
    if unit == "persen":
        return round(100.0 * (num or 0) / den, 2) if den else None
    return float(num or 0)


def available_periods(where: Q, up_to: dt.date, count: int = TREND_MONTHS) -> list[dt.date]:
    """The last `count` months with roll-up values matching `where`, oldest first, looking back a
    year at most. One indexed EXISTS per month instead of a DISTINCT over the area."""
    periods: list[dt.date] = []
    month = up_to.replace(day=1)
    for _ in range(12):
        if RegionValue.objects.filter(where, period=month).exists():
            periods.append(month)
            if len(periods) == count:
                break
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return sorted(periods)


def indicator_trends(links: Iterable[dict[str, Any]], *, up_to: dt.date) -> dict[int, IndicatorTrend]:
    """{link id: trend} for programme-indicator links given as dicts with `id`, `programme_id`,
    `area_code`, `indicator__code`, `indicator__name`, `indicator__unit`, `target` (and optionally
    `direction`), judged on the last three months with values in the areas (up to `up_to`).

    One query whatever the number of links: each programme's area has its own roll-up rows
    (RegionValue, one per area × indicator × sex × month), read for the areas and months needed.
    """
    links = list(links)
    trends = {link["id"]: IndicatorTrend(
        link_id=link["id"], programme_id=link["programme_id"], code=link["indicator__code"],
        name=link["indicator__name"], unit=link["indicator__unit"], target=link["target"],
        area_code=link["area_code"], preferred=link.get("direction", "")) for link in links}
    if not trends:
        return trends
    areas = {t.area_code for t in trends.values()}
    where = Q(area_code__in=sorted(areas))
    periods = available_periods(where, up_to)
    if not periods:
        return trends
    sums = _area_sums(where, periods, {t.code for t in trends.values()})
    for t in trends.values():
        points = []
        for period in periods:
            if (t.area_code, t.code, period) not in sums:
                continue
            num, den = sums[(t.area_code, t.code, period)]
            value = _value(t.unit, num, den)
            if value is not None:
                points.append((period, value))
        t.points = points
    return trends


def _area_sums(where: Q, periods: list[dt.date],
               codes: set[str]) -> dict[tuple[str, str, dt.date], tuple[int, int]]:
    """{(area, indicator code, month): (numerator, denominator)} of the totals (sex '') of the
    areas' roll-up rows. Every version of an indicator code counts (a new catalogue version keeps
    the series going)."""
    code_of = dict(Indicator.objects.filter(code__in=sorted(codes)).values_list("id", "code"))
    rows = (RegionValue.objects
            .filter(where, period__in=periods, sex="", indicator_id__in=sorted(code_of))
            .values_list("area_code", "indicator_id", "period", "numerator", "denominator"))
    sums: dict[tuple[str, str, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    for area, indicator_id, period, num, den in rows:
        total = sums[(area, code_of[indicator_id], period)]
        total[0] += num or 0
        total[1] += den or 0
    return {k: (v[0], v[1]) for k, v in sums.items()}


LINK_VALUES = ("id", "programme_id", "indicator__code", "indicator__name", "indicator__unit", "target", "direction")


def links_with_area(links: QuerySet) -> list[dict[str, Any]]:
    return [{**row, "area_code": row.pop("programme__region_code")}
            for row in links.values(*LINK_VALUES, "programme__region_code")]


def trend_cutoff(year: int, today: dt.date | None = None) -> dt.date:
    """Judge a programme on the months up to today, or up to December of a past year."""
    today = today or dt.date.today()
    return min(dt.date(year, 12, 1), today.replace(day=1))


def programme_trends(programme: Programme) -> list[IndicatorTrend]:
    """The programme page: each linked indicator with its current value over the team's area."""
    links = links_with_area(ProgrammeIndicator.objects.filter(programme=programme).order_by("pk"))
    trends = indicator_trends(links, up_to=trend_cutoff(programme.year))
    return [trends[link["id"]] for link in links]


# --- the area's programmes ----------------------------------------------------------------------


def area_programmes(area_code: str, year: int) -> QuerySet:
    """Programmes of TP Posyandu in the area (at its level and below) for the year, cancelled ones
    left out: they no longer commit anyone."""
    return (Programme.objects.filter(code_q("region_code", area_code), year=year)
            .exclude(status="batal"))


def fields_without_programmes(area_code: str, year: int) -> list[SpmField]:
    """SPM fields no programme of the area covers in the year (a rakor agenda item)."""
    covered = set(area_programmes(area_code, year).values_list("field_id", flat=True).distinct())
    return [f for f in SpmField.objects.order_by("order") if f.pk not in covered]


def area_opds(area_code: str) -> QuerySet:
    """The OPD list that serves the area: its kab/kota's (or, for a province, the province's)."""
    owner = area_code[:5] if level_of(area_code) >= 2 else area_code
    return Opd.objects.filter(region_code=owner, is_active=True).order_by("name")


def opds_without_programmes(area_code: str, year: int, opds: Iterable[Opd] | None = None) -> list[Opd]:
    having = set(area_programmes(area_code, year).values_list("opd_id", flat=True).distinct())
    return [o for o in (area_opds(area_code) if opds is None else opds) if o.pk not in having]


def stalled_programmes(area_code: str, year: int, *, today: dt.date | None = None) -> list[Programme]:
    """Active programmes of the area with a linked indicator that did not move toward its target over
    the last three months available. Each carries `stalled_trends` (the indicators concerned)."""
    links = links_with_area(ProgrammeIndicator.objects.filter(
        code_q("programme__region_code", area_code), programme__year=year,
        programme__status__in=ACTIVE_STATUSES))
    trends = indicator_trends(links, up_to=trend_cutoff(year, today))
    stalled: dict[int, list[IndicatorTrend]] = defaultdict(list)
    for t in trends.values():
        if t.stalled:
            stalled[t.programme_id].append(t)
    programmes = list(Programme.objects.filter(pk__in=list(stalled)).select_related("opd", "field", "team"))
    for p in programmes:
        p.stalled_trends = stalled[p.pk]
    return programmes


# --- overlapping activities -------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityRef:
    id: int
    name: str
    programme_id: int
    programme_name: str
    opd_name: str


@dataclass
class Overlap:
    """Two activities of different programmes in the same field, in the same villages, in the same
    months: a double effort to align (or a gap elsewhere)."""

    field: SpmField
    first: ActivityRef
    second: ActivityRef
    months: list[int]
    villages: list[tuple[str, str]] = field(default_factory=list)  # (code, name)

    @property
    def months_text(self) -> str:
        return ", ".join(SHORT_MONTHS[m - 1] for m in self.months)

    @property
    def same_opd(self) -> bool:
        return self.first.opd_name == self.second.opd_name


def find_overlaps(programmes: dict[int, Any], activities: list[dict[str, Any]], village_links: list[tuple[int, int]],
                  fields: dict[int, SpmField], *, limit: int | None = None) -> tuple[list[Overlap], int]:
    """(the overlaps in display order, first `limit` only when given; how many there are in all).

    Pure computation on rows already read: group activities by (field, village id), then compare
    the months of each pair from different programmes. Kept to plain tuples until the pairs to show
    are known (a kabupaten can have thousands); village names are read for those only."""
    info = {a["id"]: (a["programme_id"], programmes[a["programme_id"]].field_id, frozenset(a["months"] or ()))
            for a in activities}
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for activity_id, village_id in village_links:
        entry = info.get(activity_id)
        if entry is not None:
            groups[(entry[1], village_id)].append(activity_id)
    pairs: dict[tuple[int, int], list[int]] = {}
    for (_, village), ids in groups.items():
        if len(ids) < 2:
            continue
        ids.sort()
        for i, a_id in enumerate(ids):
            a_programme, _, a_months = info[a_id]
            for b_id in ids[i + 1:]:
                b_programme, _, b_months = info[b_id]
                if a_programme != b_programme and not a_months.isdisjoint(b_months):
                    pairs.setdefault((a_id, b_id), []).append(village)
    if not pairs:
        return [], 0
    order = sorted(pairs, key=lambda pair: (fields[info[pair[0]][1]].order, programmes[info[pair[0]][0]].name,
                                            pair[0], pair[1]))
    shown = order if limit is None else order[:limit]
    wanted = sorted({v for pair in shown for v in pairs[pair]})
    places = {pk: (code, name) for pk, code, name in Region.objects.filter(pk__in=wanted).values_list("pk", "code", "name")}
    by_id = {a["id"]: a for a in activities}
    refs = {pk: _ref(by_id[pk], programmes) for pk in {pk for pair in shown for pk in pair}}
    overlaps = [Overlap(field=fields[info[a_id][1]], first=refs[a_id], second=refs[b_id],
                        months=sorted(info[a_id][2] & info[b_id][2]),
                        villages=sorted(places[v] for v in pairs[(a_id, b_id)]))
                for a_id, b_id in shown]
    return overlaps, len(pairs)


def _ref(activity: dict[str, Any], programmes: dict[int, Any]) -> ActivityRef:
    p = programmes[activity["programme_id"]]
    return ActivityRef(id=activity["id"], name=activity["name"], programme_id=p.pk, programme_name=p.name,
                       opd_name=str(p.opd))


def _activity_rows(area_code: str, year: int) -> tuple[list[dict[str, Any]], list[tuple[int, int]]]:
    # Filter by the programme's columns rather than an IN list of ids: no variable limit on SQLite.
    activities = list(Activity.objects.filter(code_q("programme__region_code", area_code), programme__year=year)
                      .exclude(programme__status="batal").values("id", "name", "programme_id", "months")
                      .order_by())
    links = list(Activity.villages.through.objects
                 .filter(code_q("activity__programme__region_code", area_code), activity__programme__year=year)
                 .exclude(activity__programme__status="batal")
                 .values_list("activity_id", "region_id").order_by())
    return activities, links


# What the grid, the overlaps and the stalled list read of a programme: loading whole rows of a few
# hundred programmes costs more than the query.
LIGHT_FIELDS = ("name", "year", "field_id", "opd_id", "team_id", "start_month", "end_month", "budget", "status",
                "region_code", "opd__name", "opd__short_name", "opd__region_code")


def _light(programmes: QuerySet) -> QuerySet:
    return programmes.select_related("opd").only(*LIGHT_FIELDS).order_by()


def overlapping_activities(area_code: str, year: int) -> list[Overlap]:
    programmes = {p.pk: p for p in _light(area_programmes(area_code, year))}
    activities, links = _activity_rows(area_code, year)
    return find_overlaps(programmes, activities, links, {f.pk: f for f in SpmField.objects.all()})[0]


# --- the synchronisation overview -------------------------------------------------------------


@dataclass
class GridRow:
    """One OPD's programmes in one field: counts per month of the year."""

    opd: Opd
    programmes: int = 0
    budget: Decimal = Decimal(0)
    scheduled: list[int] = field(default_factory=lambda: [0] * 12)  # programmes running that month
    activities: list[int] = field(default_factory=lambda: [0] * 12)  # activities planned that month

    @property
    def cells(self) -> list[tuple[int, int]]:
        return list(zip(self.scheduled, self.activities, strict=True))

    @property
    def budget_text(self) -> str:
        return number(self.budget)

    def cells_html(self) -> str:
        """The twelve month cells, built here: 1,000+ template cells per page cost more than the
        queries behind them. Only integers go in, so nothing needs escaping."""
        return mark_safe("".join(
            f'<td class="text-center{" table-info" if scheduled else ""}">{count or ""}</td>'
            for scheduled, count in zip(self.scheduled, self.activities, strict=True)))


@dataclass
class FieldBlock:
    field: SpmField
    rows: list[GridRow]


@dataclass
class SyncOverview:
    area_code: str
    year: int
    blocks: list[FieldBlock]
    fields_without: list[SpmField]
    opds: list[Opd]
    opds_without: list[Opd]
    overlaps: list[Overlap]  # the first `overlap_limit` in display order, or all
    overlap_count: int
    stalled: list[tuple[Any, list[IndicatorTrend]]]
    programme_count: int
    activity_count: int
    budget_total: Decimal
    month_labels: tuple[str, ...] = SHORT_MONTHS
    month_names: tuple[str, ...] = MONTH_NAMES


def _activities_and_overlaps(area_code: str, year: int, programmes: dict[int, Any], fields: dict[int, SpmField],
                             limit: int | None) -> tuple[list[dict[str, Any]], list[Overlap], int]:
    """The area's activities and their overlaps. Comparing thousands of activity pairs costs more
    than every query of the page, and the inputs change only when a programme or an activity is
    saved (a village change saves its activity): the result is cached under a fingerprint of those
    rows (how many, the newest change), read from two aggregate queries. Never inside a transaction."""
    seconds = int(getattr(settings, "PROGRAMMES_TREND_CACHE_SECONDS", 600))
    use_cache = seconds > 0 and not connection.in_atomic_block
    key = ""
    if use_cache:
        scope = Q(code_q("programme__region_code", area_code), programme__year=year)
        acts = Activity.objects.filter(scope).aggregate(n=Count("pk"), m=Max("updated_at"))
        progs = Programme.objects.filter(code_q("region_code", area_code), year=year).aggregate(
            n=Count("pk"), m=Max("updated_at"))
        raw = repr((area_code, year, limit, acts["n"], str(acts["m"]), progs["n"], str(progs["m"]),
                    sorted(programmes)))
        key = "programmes:overlaps:" + hashlib.sha256(raw.encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            return cached
    activities, village_links = _activity_rows(area_code, year)
    overlaps, count = find_overlaps(programmes, activities, village_links, fields, limit=limit)
    result = (activities, overlaps, count)
    if use_cache:
        cache.set(key, result, seconds)
    return result


def sync_overview(area_code: str, year: int, *, opds: Iterable[Opd] | None = None,
                  today: dt.date | None = None, overlap_limit: int | None = None) -> SyncOverview:
    """Everything the synchronisation page shows, from a fixed number of queries. With
    `overlap_limit`, only that many overlaps are built (the count is always complete)."""
    fields = list(SpmField.objects.order_by("order"))
    field_by_id = {f.pk: f for f in fields}
    opd_list = list(area_opds(area_code) if opds is None else opds)
    programmes = {p.pk: p for p in _light(area_programmes(area_code, year))}
    activities, overlaps, overlap_count = _activities_and_overlaps(area_code, year, programmes, field_by_id,
                                                                   overlap_limit)

    rows: dict[tuple[int, int], GridRow] = {}
    for p in programmes.values():
        row = rows.get((p.field_id, p.opd_id))
        if row is None:
            row = rows[(p.field_id, p.opd_id)] = GridRow(opd=p.opd)
        row.programmes += 1
        row.budget += p.budget or 0
        for m in range(p.start_month, p.end_month + 1):
            row.scheduled[m - 1] += 1
    for a in activities:
        p = programmes[a["programme_id"]]
        row = rows[(p.field_id, p.opd_id)]
        for m in a["months"] or ():
            if 1 <= m <= 12:
                row.activities[m - 1] += 1
    blocks = [FieldBlock(field=f, rows=sorted((r for (fid, _), r in rows.items() if fid == f.pk),
                                              key=lambda r: str(r.opd))) for f in fields]
    with_programmes = {p.opd_id for p in programmes.values()}

    links = links_with_area(ProgrammeIndicator.objects.filter(
        code_q("programme__region_code", area_code), programme__year=year, programme__status__in=ACTIVE_STATUSES))
    trends = indicator_trends(links, up_to=trend_cutoff(year, today))
    stalled_by: dict[int, list[IndicatorTrend]] = defaultdict(list)
    for t in trends.values():
        if t.stalled and t.programme_id in programmes:
            stalled_by[t.programme_id].append(t)
    stalled = sorted(((programmes[pid], ts) for pid, ts in stalled_by.items()),
                     key=lambda item: (item[0].field_id, item[0].name))

    return SyncOverview(
        area_code=area_code, year=year, blocks=blocks,
        fields_without=[b.field for b in blocks if not b.rows],
        opds=opd_list, opds_without=[o for o in opd_list if o.pk not in with_programmes],
        overlaps=overlaps, overlap_count=overlap_count,
        stalled=stalled, programme_count=len(programmes), activity_count=len(activities),
        budget_total=sum((p.budget or Decimal(0) for p in programmes.values()), Decimal(0)),
    )
