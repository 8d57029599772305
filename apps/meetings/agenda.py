"""The agenda a rakor should discuss, proposed from the data of its area.

Pure selectors over an area code and a date (no request, no user): the meeting page has already
checked that the user may read the meeting's area. Each proposal carries a stable `key`, so adding
it to the agenda twice is refused, and an item on the agenda is recognised as such.

Sources: indicators that lag their target or worsened since the month before (pre-aggregated
the area's roll-up rows, RegionValue), overdue follow-ups of the area and still-open follow-ups of
this team's earlier meetings (carried until closed), referrals without a balasan past their due
date, Posyandu whose monthly report for last month was not sent, and SPM fields without a
programme this year.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.urls import NoReverseMatch, reverse

from apps.core.regioncodes import level_of
from apps.core.scoping import code_q
from apps.followups.models import FollowUp
from apps.meetings.models import AgendaKind, Decision, Meeting
from apps.posyandu.models import Posyandu
from apps.programmes import selectors as programme_selectors
from apps.regions.models import Region
from apps.reports.models import MonthlyReport, ReportStatus
from apps.reports.services import area_totals, indicators_for
from apps.serviceday.models import Referral
from apps.serviceday.services import overdue_referrals
from apps.spm.models import SpmField

RULES_FILE = Path(__file__).parent / "data" / "agenda_rules.json"
LEVEL_FIELDS = {1: "province_code", 2: "regency_code", 3: "district_code", 4: "village_code"}
MONTHS = ["", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    return json.loads(RULES_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Proposal:
    """One thing the data says the meeting should discuss."""

    key: str
    kind: str
    title: str
    detail: str = ""
    field_code: str = ""
    url: str = ""
    source: Any = field(default=None, compare=False)

    @property
    def kind_label(self) -> str:
        return AgendaKind(self.kind).label


def month_label(period: dt.date) -> str:
    return f"{MONTHS[period.month]} {period.year}"


def previous_month(day: dt.date) -> dt.date:
    first = day.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def _pct(num: int | None, den: int | None) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num or 0) * 100 / Decimal(den)).quantize(Decimal("0.1"))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fmt(value: Decimal) -> str:
    return f"{value:.1f}".replace(".", ",")


# --- Indicators ---------------------------------------------------------------------------------

def indicator_values(area_code: str, period: dt.date) -> dict[str, tuple[int, int | None]]:
    """{indicator code: (numerator, denominator)} over every Posyandu of the area, totals only."""
    return area_totals(area_code, period)


def indicator_proposals(area_code: str, period: dt.date) -> list[Proposal]:
    """Percent indicators that lag their target in `period`, or moved the wrong way since the month
    before by at least the threshold of agenda_rules.json. Percentages are sum(numerator) /
    sum(denominator) over the area, never an average of Posyandu percentages."""
    catalogue = indicators_for(period)
    now = indicator_values(area_code, period)
    before = indicator_values(area_code, previous_month(period))
    config = rules()
    lower_better = set(config["lower_is_better"])
    threshold = Decimal(str(config["worsening_threshold_points"]))
    min_den = int(config["minimum_denominator"])
    proposals = []
    for code, indicator in catalogue.items():
        if indicator.unit != "persen" or code not in now:
            continue
        num, den = now[code]
        value = _pct(num, den)
        if value is None or (den or 0) < min_den:
            continue
        sign = -1 if code in lower_better else 1
        reasons = []
        if indicator.target is not None and sign * (value - indicator.target) < 0:
            reasons.append(f"di bawah target {_fmt(Decimal(indicator.target))} %" if sign > 0
                           else f"di atas batas {_fmt(Decimal(indicator.target))} %")
        old_num, old_den = before.get(code, (0, None))
        old = _pct(old_num, old_den) if (old_den or 0) >= min_den else None
        if old is not None and sign * (value - old) <= -threshold:
            reasons.append(f"memburuk dari {_fmt(old)} % bulan sebelumnya")
        if not reasons:
            continue
        proposals.append(Proposal(
            key=f"indikator:{code}:{area_code}", kind=AgendaKind.INDICATOR,
            title=f"{indicator.name}: {_fmt(value)} % ({month_label(period)})",
            detail=_sentence("; ".join(reasons)) + f" ({num}/{den}).",
            field_code=indicator.field.code if indicator.field_id else "",
        ))
    return proposals


# --- Follow-ups ---------------------------------------------------------------------------------

def _followup_proposal(followup: Any, detail: str) -> Proposal:
    owner = followup.owner_opd or followup.owner_user or followup.owner_name or "belum ada penanggung jawab"
    return Proposal(
        key=f"tindak_lanjut:{followup.pk}", kind=AgendaKind.FOLLOWUP, title=f"Tindak lanjut: {followup.title}",
        detail=f"{detail} Penanggung jawab: {owner}; jatuh tempo {followup.due_date:%d/%m/%Y}.",
        field_code=followup.field.code if followup.field_id else "", url=_url(followup), source=followup,
    )


def _url(obj: Any) -> str:
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


def followup_proposals(area_code: str, today: dt.date, meeting: Meeting | None = None) -> list[Proposal]:
    """Overdue follow-ups of the area (oldest first, up to the cap of agenda_rules.json, the rest in
    one summary item) and every still-open follow-up decided by earlier meetings of the same team,
    carried into each next agenda until closed. Each follow-up is proposed once."""
    cap = int(rules()["max_followup_items"])
    proposals: list[Proposal] = []
    seen: set[int] = set()
    if meeting is not None:
        earlier = Meeting.objects.filter(team_id=meeting.team_id, scheduled_at__lt=meeting.scheduled_at)
        earlier = earlier.exclude(pk=meeting.pk)
        decisions = Decision.objects.filter(meeting__in=earlier)
        carried = (FollowUp.objects.open()
                   .filter(source_type=ContentType.objects.get_for_model(Decision),
                           source_id__in=decisions.values("pk"))
                   .select_related("owner_opd", "owner_user", "field").order_by("due_date", "pk"))
        meeting_of = dict(decisions.values_list("pk", "meeting__title"))
        for followup in carried:
            seen.add(followup.pk)
            late = " Terlambat." if followup.due_date < today else ""
            proposals.append(_followup_proposal(
                followup, f"Belum selesai sejak rapat \u201c{meeting_of.get(followup.source_id, '')}\u201d.{late}"))
    overdue = (FollowUp.objects.filter(code_q("region_code", area_code)).overdue(today=today)
               .exclude(pk__in=seen).select_related("owner_opd", "owner_user", "field").order_by("due_date", "pk"))
    rows = list(overdue[: cap + 1])
    for followup in rows[:cap]:
        days = (today - followup.due_date).days
        proposals.append(_followup_proposal(followup, f"Terlambat {days} hari."))
    if len(rows) > cap:
        rest = overdue.count() - cap
        proposals.append(Proposal(
            key=f"tindak_lanjut:lainnya:{area_code}", kind=AgendaKind.FOLLOWUP,
            title=f"{rest} tindak lanjut terlambat lainnya di wilayah ini",
            detail="Daftar lengkap ada di halaman tindak lanjut (tab Terlambat).", url=_reverse("followups:list"),
        ))
    return proposals


def _reverse(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


# --- Referrals and reports, grouped by the level below the area --------------------------------

def _group_field(area_code: str, prefix: str = "") -> str:
    """Group rows of an area by the level just below it (a desa's rows by Posyandu)."""
    level = level_of(area_code)
    return f"{prefix}pk" if level == 4 else prefix + LEVEL_FIELDS[level + 1]


def _group_names(area_code: str, codes: list[Any]) -> dict[Any, str]:
    if level_of(area_code) == 4:
        return dict(Posyandu.objects.filter(pk__in=codes).values_list("pk", "name"))
    return {r.code: r.title for r in Region.objects.current().filter(code__in=codes)}


def referral_proposals(area_code: str, today: dt.date) -> list[Proposal]:
    """Referrals past their feedback date, counted per area below (names stay on the referral
    pages: a meeting agenda carries no health data of a person)."""
    group = _group_field(area_code, "posyandu__")
    rows = (overdue_referrals(Referral.objects.filter(code_q("posyandu__region_code", area_code)), today)
            .values(group).annotate(n=Count("pk")).order_by(group))
    counts = {r[group]: r["n"] for r in rows}
    names = _group_names(area_code, list(counts))
    url = _reverse("serviceday:referrals")
    return [Proposal(key=f"rujukan:{code}", kind=AgendaKind.REFERRAL,
                     title=f"Rujukan belum berbalas: {names.get(code, code)}",
                     detail=f"{n} rujukan melewati tanggal balasan yang diharapkan.", field_code="kesehatan", url=url)
            for code, n in counts.items()]


def report_proposals(area_code: str, period: dt.date) -> list[Proposal]:
    """Active Posyandu whose report for `period` is missing or still a draft, per area below."""
    group = _group_field(area_code)
    posyandu = Posyandu.objects.filter(code_q("region_code", area_code), is_active=True)
    sent = (MonthlyReport.objects.filter(period=period.replace(day=1), posyandu__in=posyandu)
            .exclude(status=ReportStatus.DRAFT).values("posyandu_id"))
    missing: dict[Any, list[str]] = defaultdict(list)
    total: dict[Any, int] = defaultdict(int)
    for row in posyandu.values(group, "pk", "name").order_by(group, "name"):
        total[row[group]] += 1
    for row in posyandu.exclude(pk__in=sent).values(group, "name").order_by(group, "name"):
        missing[row[group]].append(row["name"])
    names = _group_names(area_code, list(missing))
    url = _reverse("reports:list")
    proposals = []
    for code, posyandu_names in missing.items():
        shown = ", ".join(posyandu_names[:5]) + (f" dan {len(posyandu_names) - 5} lainnya" if len(posyandu_names) > 5 else "")
        proposals.append(Proposal(
            key=f"laporan:{code}:{period:%Y-%m}", kind=AgendaKind.REPORT,
            title=f"Laporan {month_label(period)} belum lengkap: {names.get(code, code)}",
            detail=f"{len(posyandu_names)} dari {total[code]} Posyandu belum mengirim: {shown}.",
            url=f"{url}?bulan={period:%Y-%m}" if url else "",
        ))
    return proposals


# --- Programmes -----------------------------------------------------------------------------------

def programme_proposals(area_code: str, year: int) -> list[Proposal]:
    """SPM fields with no programme this year and programmes whose indicator does not move, from
    apps.programmes' selectors."""
    proposals = []
    fields = {f.code: f for f in SpmField.objects.all()}
    for item in programme_selectors.fields_without_programmes(area_code, year):
        spm_field = item if hasattr(item, "code") else fields.get(str(item))
        if spm_field is None:
            continue
        proposals.append(Proposal(
            key=f"program:tanpa:{spm_field.code}:{area_code}:{year}", kind=AgendaKind.PROGRAMME,
            title=f"Bidang {spm_field.short_name} belum punya program kerja {year}",
            detail="Tetapkan program dan OPD penanggung jawabnya.", field_code=spm_field.code,
            url=_reverse("programmes:list"),
        ))
    for programme in programme_selectors.stalled_programmes(area_code, year):
        programme_field = getattr(programme, "field", None)
        proposals.append(Proposal(
            key=f"program:macet:{programme.pk}", kind=AgendaKind.PROGRAMME,
            title=f"Program tanpa kemajuan indikator: {programme}",
            detail="Indikator yang dikaitkan dengan program ini tidak bergerak.",
            field_code=getattr(programme_field, "code", "") or "", url=_url(programme), source=programme,
        ))
    return proposals


# --- All together ---------------------------------------------------------------------------------

def proposed_agenda(area_code: str, on_date: dt.date, *, today: dt.date | None = None,
                    meeting: Meeting | None = None) -> list[Proposal]:
    """Everything the data proposes for a meeting of `area_code` held on `on_date`: the last full
    month's indicators and reports, follow-ups and referrals overdue `today`."""
    today = today or on_date
    period = previous_month(on_date)
    return (indicator_proposals(area_code, period)
            + followup_proposals(area_code, today, meeting)
            + referral_proposals(area_code, today)
            + report_proposals(area_code, period)
            + programme_proposals(area_code, on_date.year))


def proposals_for_meeting(meeting: Meeting, today: dt.date) -> list[Proposal]:
    from django.utils import timezone

    on_date = timezone.localdate(meeting.scheduled_at)
    return proposed_agenda(meeting.region_code, on_date, today=today, meeting=meeting)
