"""Selectors for the dashboards: headline values, 12-month trend, drill-down table, ranking of the
areas that need attention, data quality and the Posyandu map.

Everything here reads pre-aggregated rows (and the Posyandu register for names and coordinates),
never visits: a Posyandu's own `MonthlyValue` rows, and above a Posyandu the roll-ups per region
level (`RegionValue`: one row per area × indicator × sex × month), so the nation costs what a desa
costs. Every query starts from `for_user(user)`, so a value outside the user's area cannot be read
even if a caller passed a wrong area (a region user reads no roll-up above their own area).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, Sum
from django.http import Http404
from django.urls import reverse

from apps.core.scoping import VIEW, get_scope
from apps.posyandu.models import Posyandu
from apps.regions.models import Region
from apps.reports.models import Indicator, MonthlyValue, RegionValue
from apps.reports.services import LEVEL_FIELDS, month_bounds, months_before

Values = dict[tuple[str, str], tuple[int, int | None]]  # (indicator code, sex) → (numerator, denominator)

SEXES = ["", "L", "P"]  # the total and the disaggregation, as compute_month writes them
NATION = 0
POSYANDU_LEVEL = 5
LEVEL_NAMES = {NATION: "Nasional", 1: "Provinsi", 2: "Kabupaten/Kota", 3: "Kecamatan", 4: "Desa/Kelurahan",
               POSYANDU_LEVEL: "Posyandu"}
TREND_MONTHS = 12
# A prevalence over fewer measured children says little: below this denominator an area is not
# ranked on it (it still shows in the tables).
MIN_DENOMINATOR = 5


@dataclass(frozen=True)
class Headline:
    code: str
    label: str
    better: str  # "up": higher is better; "down": lower is better; "": a count, no direction


HEADLINES = [
    Headline("S", "Balita (S)", ""),
    Headline("D", "Ditimbang (D)", ""),
    Headline("DS", "D/S", "up"),
    Headline("ND", "N/D", "up"),
    Headline("STUNTING", "Stunting", "down"),
    Headline("WASTING", "Wasting", "down"),
    Headline("UNDERWEIGHT", "Underweight", "down"),
    Headline("OVERWEIGHT", "Gizi lebih", "down"),
    Headline("BGM", "BGM", ""),
    Headline("BUMIL_KEK", "Bumil KEK", "down"),
    Headline("LANSIA_HT", "Lansia hipertensi", "down"),
]
HEADLINE_CODES = [h.code for h in HEADLINES]
# The columns of the drill-down table (the phone scrolls sideways past the first two).
TABLE_CODES = ["S", "D", "DS", "ND", "STUNTING", "WASTING", "UNDERWEIGHT"]
# The indicators the trend charts draw (templates/reports/dashboard.html, data-chart).
TREND_CODES = ["DS", "ND", "STUNTING", "WASTING", "UNDERWEIGHT", "OVERWEIGHT", "S", "D"]
# The attention score: percentage points by which an area is worse than the reference on each of
# these. The reference is the indicator's target in the catalogue when it has one (D/S: 80 %),
# otherwise the value of the whole area being viewed (a child area worse than its parent).
SCORE_CODES = ["DS", "STUNTING", "WASTING", "UNDERWEIGHT"]
QUALITY_CODES = ["DQ_ZFLAG", "DQ_DIGIT", "DQ_NOHEIGHT"]
# With no digit preference a weight read to 0.1 kg ends in .0 or .5 two times in ten.
DIGIT_EXPECTED = 20.0


# --- Areas --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Area:
    """Where a dashboard looks: the nation (level 0, code ''), a region (levels 1-4) or one Posyandu."""

    code: str
    level: int
    name: str
    posyandu: Posyandu | None = None

    @property
    def is_posyandu(self) -> bool:
        return self.posyandu is not None

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]

    @property
    def child_level_name(self) -> str:
        return LEVEL_NAMES.get(self.level + 1, "")

    def value_q(self, prefix: str = "", posyandu_field: str = "posyandu_id") -> Q:
        """The area's rows of a table with denormalised region codes: MonthlyValue as is,
        Posyandu with posyandu_field="pk", MonthlyReport with prefix="posyandu__"."""
        if self.posyandu is not None:
            return Q(**{posyandu_field: self.posyandu.pk})
        if self.level == NATION:
            return Q()
        # Every ancestor's code too: redundant, but it makes the filter a prefix of the dashboard
        # index (province, kab/kota, kecamatan, desa), so a kecamatan reads only its own entries.
        parts = self.code.split(".")
        return Q(**{f"{prefix}{LEVEL_FIELDS[n]}": ".".join(parts[:n]) for n in range(1, self.level + 1)})

    @property
    def child_field(self) -> str:
        """The MonthlyValue/Posyandu column that names the child areas."""
        return LEVEL_FIELDS.get(self.level + 1, "posyandu_id")

    def url(self, name: str = "reports:dashboard_area") -> str:
        if self.posyandu is not None:
            return reverse("reports:dashboard_posyandu", args=[self.posyandu.pk])
        if self.level == NATION:
            return reverse("reports:dashboard")
        return reverse(name, args=[self.code])


def area_of_region(region: Region) -> Area:
    return Area(code=region.code, level=region.level, name=region.title)


def area_of_posyandu(posyandu: Posyandu) -> Area:
    return Area(code=posyandu.registration_number or f"posyandu-{posyandu.pk}", level=POSYANDU_LEVEL,
                name=posyandu.name, posyandu=posyandu)


def may_view_area(user: Any, code: str) -> bool:
    """A region code the user's read scope covers entirely (their area or below it). The area above
    (a kecamatan user looking at the kabupaten) is not theirs: it would mix in other kecamatan."""
    scope = get_scope(user, VIEW)
    if scope.everything:
        return True
    return any(code == own or code.startswith(own + ".") for own in scope.region_codes)


def resolve_area(user: Any, code: str) -> Area:
    """The region `code` as a dashboard area; 404 when it is unknown or outside the user's scope."""
    if not may_view_area(user, code):
        raise Http404("Wilayah tidak ditemukan.")
    region = Region.objects.current().filter(code=code).first()
    if region is None:
        raise Http404("Wilayah tidak ditemukan.")
    return area_of_region(region)


def default_area(user: Any) -> Area | None:
    """The user's own area: the nation for a national scope, their (first) region, or their
    Posyandu for a kader/pengurus; None for a user with no assignment."""
    scope = get_scope(user, VIEW)
    if scope.everything:
        return Area(code="", level=NATION, name="Indonesia")
    if scope.region_codes:
        region = Region.objects.current().filter(code__in=scope.region_codes).order_by("level", "code").first()
        if region is not None:
            return area_of_region(region)
    if scope.posyandu_ids:
        posyandu = Posyandu.objects.filter(pk__in=scope.posyandu_ids).order_by("pk").first()
        if posyandu is not None:
            return area_of_posyandu(posyandu)
    return None


def breadcrumbs(user: Any, area: Area) -> list[tuple[str, str]]:
    """The path from the highest area the user may see down to this one, each a link."""
    trail: list[tuple[str, str]] = []
    if get_scope(user, VIEW).everything and area.level != NATION:
        trail.append(("Indonesia", reverse("reports:dashboard")))
    code = area.posyandu.region_code if area.posyandu is not None else area.code
    parts = code.split(".") if code else []
    codes = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    if area.posyandu is None and codes:
        codes = codes[:-1]
    names = {r.code: r.title for r in Region.objects.current().filter(code__in=codes)}
    for c in codes:
        if may_view_area(user, c):
            trail.append((names.get(c, c), reverse("reports:dashboard_area", args=[c])))
    trail.append((area.name, ""))
    return trail


# --- Values -------------------------------------------------------------------------------------
@dataclass
class IndicatorInfo:
    code: str
    name: str
    unit: str
    field_code: str
    field_name: str
    target: float | None
    has_denominator: bool


def catalogue_for(period: dt.date) -> dict[str, IndicatorInfo]:
    """The indicators valid in the month, in catalogue order (the newest version of a code wins)."""
    rows = (Indicator.objects.filter(valid_from__lte=period)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period))
            .select_related("field").order_by("valid_from", "pk"))
    found: dict[str, IndicatorInfo] = {}
    for i in rows:
        found[i.code] = IndicatorInfo(i.code, i.name, i.unit, i.field.code, i.field.name,
                                      float(i.target) if i.target is not None else None, bool(i.denominator))
    order = {i["code"]: n for n, i in enumerate(_catalogue_order())}
    return dict(sorted(found.items(), key=lambda kv: order.get(kv[0], len(order))))


def _catalogue_order() -> list[dict[str, Any]]:
    from apps.reports.catalogue import catalogue

    return catalogue()


def _indicator_codes() -> dict[int, str]:
    """Indicator id → code (every version): the value queries group by id and skip the join."""
    return dict(Indicator.objects.values_list("pk", "code"))


def _ids_for(codes: list[str] | None) -> list[int] | None:
    if codes is None:
        return None
    return [pk for pk, code in _indicator_codes().items() if code in codes]


def scoped_values(user: Any, area: Area) -> Any:
    """The area's MonthlyValue rows (one per Posyandu × indicator × sex × month) the user may read.
    When the whole area lies inside the user's scope the area filter alone is exact, and leaving
    out the (then redundant) scope condition lets the databases answer from the dashboard index;
    otherwise the scope is applied as everywhere."""
    rows = MonthlyValue.objects.all() if _area_within_scope(user, area) else MonthlyValue.objects.for_user(user, VIEW)
    return rows.filter(area.value_q())


def region_values(user: Any, area: Area) -> Any:
    """The roll-up rows of a region area (or the nation) the user may read."""
    return RegionValue.objects.for_user(user, VIEW).filter(level=area.level, area_code=area.code)


def child_region_values(user: Any, area: Area) -> Any:
    """The roll-up rows of the area's child regions (provinces for the nation) the user may read."""
    return RegionValue.objects.for_user(user, VIEW).filter(level=area.level + 1, parent_code=area.code)


def _area_within_scope(user: Any, area: Area) -> bool:
    scope = get_scope(user, VIEW)
    if scope.everything:
        return True
    if area.posyandu is not None:
        return area.posyandu.pk in scope.posyandu_ids or may_view_area(user, area.posyandu.region_code)
    return area.level != NATION and may_view_area(user, area.code)


def _area_rows(user: Any, area: Area) -> Any:
    """Where an area's own totals live: its Posyandu rows, or its roll-up rows."""
    return scoped_values(user, area) if area.is_posyandu else region_values(user, area)


def area_values(user: Any, area: Area, period: dt.date, codes: list[str] | None = None) -> Values:
    """The area's sums for the month: {(code, sex): (numerator, denominator)}."""
    names = _indicator_codes()
    # Naming every indicator (rather than none) lets the dashboard index serve the query.
    ids = _ids_for(codes) if codes is not None else list(names)
    qs = _area_rows(user, area).filter(period=period, indicator_id__in=ids, sex__in=SEXES)
    out: Values = {}
    for row in qs.values("indicator_id", "sex").annotate(num=Sum("numerator"), den=Sum("denominator")).order_by():
        key = (names[row["indicator_id"]], row["sex"])
        n, d = out.get(key, (0, None))
        out[key] = (n + row["num"], _add(d, row["den"]))
    return out


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None and b is None else (a or 0) + (b or 0)


def value_of(pair: tuple[int, int | None] | None, unit: str) -> float | None:
    """A ratio as a percentage (None when nothing was counted), a count as itself."""
    if pair is None:
        return None
    num, den = pair
    if unit == "persen":
        return round(100 * num / den, 1) if den else None
    return num


def child_values(user: Any, area: Area, period: dt.date, codes: list[str]) -> dict[Any, Values]:
    """{child key: {(code, ''): (num, den)}} for the month's totals, one GROUP BY."""
    ids = _ids_for(codes)
    names = _indicator_codes()
    out: dict[Any, Values] = defaultdict(dict)
    if area.level == 4:  # a desa's children are Posyandu: their own rows
        rows, child = scoped_values(user, area), "posyandu_id"
    else:
        rows, child = child_region_values(user, area), "area_code"
    rows = (rows.filter(period=period, sex="", indicator_id__in=ids)
            .values(child, "indicator_id").annotate(num=Sum("numerator"), den=Sum("denominator")).order_by())
    for row in rows:
        key = (names[row["indicator_id"]], "")
        values = out[row[child]]
        n, d = values.get(key, (0, None))
        values[key] = (n + row["num"], _add(d, row["den"]))
    return out


def trend(user: Any, area: Area, period: dt.date, codes: list[str],
          units: dict[str, str]) -> tuple[list[dt.date], dict[str, list[float | None]]]:
    """The 12 months ending with `period`, and each indicator's total value per month."""
    first = months_before(period, TREND_MONTHS - 1).replace(day=1)
    months = [months_before(period, back).replace(day=1) for back in range(TREND_MONTHS - 1, -1, -1)]
    names = _indicator_codes()
    sums: dict[tuple[str, dt.date], tuple[int, int | None]] = {}
    rows = (_area_rows(user, area).filter(period__gte=first, period__lte=period, sex="",
                                          indicator_id__in=_ids_for(codes))
            .values("period", "indicator_id").annotate(num=Sum("numerator"), den=Sum("denominator")).order_by())
    for row in rows:
        key = (names[row["indicator_id"]], row["period"])
        n, d = sums.get(key, (0, None))
        sums[key] = (n + row["num"], _add(d, row["den"]))
    series = {code: [value_of(sums.get((code, m)), units.get(code, "jumlah")) for m in months] for code in codes}
    return months, series


# --- Drill-down and ranking -----------------------------------------------------------------------
@dataclass
class ChildRow:
    key: Any  # region code, or Posyandu id at the desa level
    name: str
    url: str
    values: Values = field(default_factory=dict)
    score: float | None = None
    reasons: list[str] = field(default_factory=list)

    def value(self, code: str, unit: str) -> float | None:
        return value_of(self.values.get((code, "")), unit)


def children(user: Any, area: Area) -> list[tuple[Any, str, str]]:
    """(key, name, dashboard URL) of the child areas the user may see, in code order."""
    if area.is_posyandu:
        return []
    if area.level == 4:
        posyandu = (Posyandu.objects.for_user(user, VIEW).filter(village_code=area.code, is_active=True)
                    .order_by("name").values_list("pk", "name"))
        return [(pk, name, reverse("reports:dashboard_posyandu", args=[pk])) for pk, name in posyandu]
    regions = Region.objects.current().filter(level=area.level + 1)
    regions = regions.filter(parent_code=area.code) if area.level else regions
    return [(r.code, r.title, reverse("reports:dashboard_area", args=[r.code]))
            for r in regions.order_by("code") if may_view_area(user, r.code)]


def drill_down(user: Any, area: Area, period: dt.date, units: dict[str, str]) -> list[ChildRow]:
    codes = sorted(set(TABLE_CODES) | set(SCORE_CODES))
    values = child_values(user, area, period, codes)
    rows = [ChildRow(key, name, url, values.get(key, {})) for key, name, url in children(user, area)]
    return rows


def attention_score(row: ChildRow, reference: dict[str, float | None], units: dict[str, str],
                    labels: dict[str, str]) -> tuple[float | None, list[str]]:
    """Percentage points worse than the reference, summed over SCORE_CODES; None without data."""
    better = {h.code: h.better for h in HEADLINES}
    total, reasons, counted = 0.0, [], 0
    for code in SCORE_CODES:
        pair = row.values.get((code, ""))
        ref = reference.get(code)
        if pair is None or ref is None or not pair[1] or (code != "DS" and pair[1] < MIN_DENOMINATOR):
            continue
        value = value_of(pair, units.get(code, "persen"))
        if value is None:
            continue
        counted += 1
        gap = (ref - value) if better.get(code) == "up" else (value - ref)
        if gap > 0:
            total += gap
            reasons.append(f"{labels.get(code, code)} {value:.1f}% (acuan {ref:.1f}%)".replace(".", ","))
    return (round(total, 1) if counted else None), reasons


def reference_values(area_totals: Values, catalogue: dict[str, IndicatorInfo]) -> dict[str, float | None]:
    ref: dict[str, float | None] = {}
    for code in SCORE_CODES:
        info = catalogue.get(code)
        if info is not None and info.target is not None:
            ref[code] = info.target
        else:
            ref[code] = value_of(area_totals.get((code, "")), "persen")
    return ref


def ranking(rows: list[ChildRow], area_totals: Values, catalogue: dict[str, IndicatorInfo],
            limit: int = 10) -> list[ChildRow]:
    """The child areas most in need of attention, worst first (score > 0 only)."""
    units = {c: i.unit for c, i in catalogue.items()}
    labels = {h.code: h.label for h in HEADLINES}
    reference = reference_values(area_totals, catalogue)
    for row in rows:
        row.score, row.reasons = attention_score(row, reference, units, labels)
    ranked = [r for r in rows if r.score]
    ranked.sort(key=lambda r: (-(r.score or 0), str(r.key)))
    return ranked[:limit]


# --- Data quality -------------------------------------------------------------------------------
@dataclass
class QualityLine:
    code: str
    label: str
    numerator: int
    denominator: int
    percent: float | None
    expected: float | None
    note: str


def quality(values: Values) -> list[QualityLine]:
    spec = [
        ("DQ_ZFLAG", "Pengukuran dengan z ber-flag (di luar batas WHO)", None,
         "|z| di luar batas WHO: BB/U < -6 atau > +5, PB/U-TB/U |z| > 6, BB/PB-TB |z| > 5."),
        ("DQ_DIGIT", "Berat badan berakhiran ,0 atau ,5", DIGIT_EXPECTED,
         "Tanpa preferensi angka sekitar 20 %; jauh di atasnya berarti berat dibulatkan."),
        ("DQ_NOHEIGHT", "Ditimbang tanpa ukur panjang/tinggi badan", None,
         "Balita yang ditimbang tetapi tidak diukur panjang/tinggi badannya."),
    ]
    lines = []
    for code, label, expected, note in spec:
        num, den = values.get((code, ""), (0, 0))
        den = den or 0
        lines.append(QualityLine(code, label, num, den, round(100 * num / den, 1) if den else None, expected, note))
    return lines


# --- Map ----------------------------------------------------------------------------------------
# The Posyandu map starts at kab/kota: a province has thousands of Posyandu and the nation
# 300,000, too many dots to read on a phone and a page that would grow with the country.
MAP_MIN_LEVEL = 2


def map_points(user: Any, area: Area, period: dt.date, limit: int = 5000) -> list[dict[str, Any]]:
    """Posyandu with coordinates in the area (the first `limit`), each with its D/S for the month;
    none above kab/kota (MAP_MIN_LEVEL). The D/S is read for the Posyandu drawn only."""
    if area.posyandu is None and area.level < MAP_MIN_LEVEL:
        return []
    qs = Posyandu.objects.for_user(user, VIEW).filter(is_active=True, latitude__isnull=False,
                                                      longitude__isnull=False)
    qs = qs.filter(pk=area.posyandu.pk) if area.posyandu is not None else qs.filter(area.value_q())
    found = list(qs.order_by("pk").values_list("pk", "name", "latitude", "longitude")[:limit])
    ds = ds_by_posyandu(user, area, period, [pk for pk, *_ in found])
    points = []
    url = reverse("reports:dashboard_posyandu", args=[0]).replace("/0/", "/{}/")  # one reverse, not 1,000
    for pk, name, lat, lon in found:
        points.append({"name": name, "lat": float(lat), "lon": float(lon), "ds": value_of(ds.get(pk), "persen"),
                       "url": url.format(pk)})
    return points


def ds_by_posyandu(user: Any, area: Area, period: dt.date,
                   posyandu_ids: list[int]) -> dict[int, tuple[int, int | None]]:
    if not posyandu_ids:
        return {}
    rows = (scoped_values(user, area).filter(period=period, sex="", indicator_id__in=_ids_for(["DS"]),
                                             posyandu_id__in=posyandu_ids)
            .values("posyandu_id").annotate(num=Sum("numerator"), den=Sum("denominator")).order_by())
    return {r["posyandu_id"]: (r["num"], r["den"]) for r in rows}


def parse_period(raw: str | None, today: dt.date) -> dt.date:
    """`YYYY-MM` from the query string; the previous month when missing or malformed (the month
    that is being reported on)."""
    try:
        return dt.date.fromisoformat((raw or "") + "-01")
    except ValueError:
        return month_bounds(months_before(today.replace(day=1), 1))[0]
