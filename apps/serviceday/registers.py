"""The Posyandu registers in the layout of the legacy SIP paper formats kader know (issue 4, item 7).

Each builder takes a Posyandu the caller has already looked up in the user's scope, a year and the
user, queries through `for_user` like every other read of region-owned data, and returns one
`Register`: columns (with the paper form's two-level headings) and rows of cells. The page, the
Excel file and the PDF all render that same object, so the three can never disagree.

NIK: builders put the full number in the register only when asked (`reveal_nik`); the caller
decides (full NIK only in an Excel export for users who may change the Posyandu, UU 27/2022).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import formats

from apps.core.ages import age_in_years
from apps.people.models import MaritalStatus, Person, PersonStatus, Pregnancy
from apps.people.validators import mask_nik
from apps.posyandu.models import Posyandu
from apps.serviceday import rules
from apps.serviceday.immunisation import wus_dose_code, wus_vaccine_choices
from apps.serviceday.models import Contraception, Immunisation, Visit, wus_age_range

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}  # the paper form numbers the TT doses so
MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
DANGER_SIGN_LABELS = {
    "perdarahan": "perdarahan", "demam": "demam tinggi", "kejang": "kejang", "bengkak": "bengkak",
    "sakit_kepala": "sakit kepala/pandangan kabur", "ketuban": "keluar air ketuban",
    "gerak_janin": "gerak janin berkurang", "sesak": "sesak napas", "diare": "diare",
    "tidak_mau_menyusu": "tidak mau menyusu/makan",
}


# --- The table every register is rendered from -------------------------------------------------
@dataclass(frozen=True)
class Column:
    key: str
    label: str
    group: str = ""  # the upper heading shared by adjacent columns (a month, "Kunjungan", ...)
    width: float = 8  # roughly millimetres on the A4 landscape PDF (~281 in all); Excel characters too
    excel_width: float | None = None  # where a spreadsheet column should be wider than the paper's
    kind: str = "text"  # text | nik | number | date
    number_format: str = ""  # Excel format for numbers, e.g. "0.00"


@dataclass
class Cell:
    value: Any = None  # what Excel stores (number, date, text)
    display: str = ""  # what the page and the PDF show (Indonesian number and date format)
    alert: bool = False  # a finding the kader must act on (T, BGM, KEK, hypertension...)
    rowspan: int = 1


@dataclass
class HeaderCell:
    label: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Register:
    kind: str
    title: str
    form_name: str  # the SIP format kader know it by
    posyandu: Posyandu
    year: int
    columns: list[Column]
    # One list per row, aligned with `columns`; None where a cell above spans down over it.
    rows: list[list[Cell | None]] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)
    reveal_nik: bool = False
    # The persons whose full NIK is in `rows` (only with reveal_nik).
    nik_shown: list[Person] = field(default_factory=list)

    def index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def cell(self, row: int, key: str) -> Cell | None:
        return self.rows[row][self.index(key)]

    @property
    def heading(self) -> str:
        return f"{self.title} ({self.form_name})" if self.form_name else self.title

    @property
    def has_groups(self) -> bool:
        return any(c.group for c in self.columns)

    def header_rows(self) -> list[list[HeaderCell]]:
        """The paper form's heading: ungrouped columns span both rows, groups span their columns."""
        if not self.has_groups:
            return [[HeaderCell(c.label) for c in self.columns]]
        top: list[HeaderCell] = []
        bottom: list[HeaderCell] = []
        previous = None
        for column in self.columns:
            if not column.group:
                top.append(HeaderCell(column.label, rowspan=2))
                previous = None
                continue
            if previous == column.group:
                top[-1].colspan += 1
            else:
                top.append(HeaderCell(column.group))
            bottom.append(HeaderCell(column.label))
            previous = column.group
        return [top, bottom]

    def table_rows(self) -> list[list[tuple[Column, Cell]]]:
        """Rows for templates (which cannot zip): each shown cell with its column."""
        return [[(column, cell) for column, cell in zip(self.columns, row, strict=True) if cell is not None]
                for row in self.rows]

    @property
    def person_count(self) -> int:
        return sum(1 for row in self.rows if row[0] is not None)


# --- Formatting ---------------------------------------------------------------------------
def _num(value: Any, places: int | None = None) -> Cell:
    if value is None:
        return Cell()
    text = formats.number_format(value, decimal_pos=places, use_l10n=True)
    return Cell(value=float(value), display=text)


def _date(value: dt.date | None) -> Cell:
    if value is None:
        return Cell()
    return Cell(value=value, display=formats.date_format(value, "SHORT_DATE_FORMAT"))


def _text(value: str | None, alert: bool = False) -> Cell:
    value = value or ""
    return Cell(value=value or None, display=value, alert=alert)


def _int(value: int | None, alert: bool = False) -> Cell:
    if value is None:
        return Cell()
    return Cell(value=value, display=str(value), alert=alert)


def _nik(person: Person, register: Register) -> Cell:
    nik = person.nik if register.reveal_nik else mask_nik(person.nik)
    if register.reveal_nik and person.nik:
        register.nik_shown.append(person)  # for the access log of whoever exports it
    return Cell(value=nik or None, display=nik)


def _short_date(value: dt.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


# --- Queries (all through for_user) --------------------------------------------------------
def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def reference_date(year: int, today: dt.date | None = None) -> dt.date:
    """Ages in a register are counted at the end of its year, or today for the running year."""
    today = today or dt.date.today()
    return min(dt.date(year, 12, 31), today) if year >= today.year else dt.date(year, 12, 31)


def served_people(posyandu: Posyandu, year: int, user: Any) -> QuerySet[Person]:
    """Who belongs on this Posyandu's registers for the year: its people who were still active
    during the year, and anyone weighed or examined here that year (moved away since, they keep
    their row, as on paper)."""
    start, end = _year_bounds(year)
    visited = (Visit.objects.for_user(user).filter(posyandu=posyandu, visit_date__range=(start, end))
               .values("person_id"))
    still_here = Q(status=PersonStatus.ACTIVE) | Q(status_date__isnull=True) | Q(status_date__gte=start)
    return (Person.objects.for_user(user)
            .filter((Q(posyandu=posyandu) & still_here) | Q(pk__in=visited))
            .distinct().order_by("name", "pk"))


def _visits(posyandu: Posyandu, user: Any, people: Iterable[int], start: dt.date | None,
            end: dt.date) -> dict[int, list[Visit]]:
    """Visits at this Posyandu per person, oldest first (the register records this Posyandu's work)."""
    qs = Visit.objects.for_user(user).filter(posyandu=posyandu, person_id__in=list(people), visit_date__lte=end)
    if start is not None:
        qs = qs.filter(visit_date__gte=start)
    by_person: dict[int, list[Visit]] = defaultdict(list)
    for visit in qs.order_by("visit_date", "pk"):
        by_person[visit.person_id].append(visit)
    return by_person


def _status_note(person: Person) -> str:
    if person.status == PersonStatus.ACTIVE:
        return ""
    label = person.get_status_display()
    return f"{label} {_short_date(person.status_date)}" if person.status_date else label


# --- Format 2: register bayi dan balita ----------------------------------------------------
def balita_register(posyandu: Posyandu, year: int, user: Any, *, reveal_nik: bool = False) -> Register:
    start, end = _year_bounds(year)
    columns = [
        Column("no", "No", width=4, kind="number"),
        Column("name", "Nama anak", width=18, excel_width=22),
        Column("nik", "NIK", width=18.5, excel_width=19, kind="nik"),
        Column("sex", "L/P", width=4),
        Column("birth_date", "Tgl lahir", width=12.5, kind="date"),
        Column("mother", "Nama ibu", width=14.5, excel_width=18),
        Column("birth_weight", "BB lahir (kg)", width=7, kind="number", number_format="0.00"),
    ]
    for m, short in enumerate(MONTHS_SHORT, start=1):
        columns.append(Column(f"bb_{m:02d}", "BB", group=short, width=8, kind="number", number_format="0.00"))
        columns.append(Column(f"kms_{m:02d}", "St", group=short, width=4.5))
    columns += [
        Column("vit_a_feb", "Feb", group="Vitamin A", width=12.5, kind="date"),
        Column("vit_a_aug", "Agu", group="Vitamin A", width=12.5, kind="date"),
        Column("immunisations", "Imunisasi (tanggal)", width=16, excel_width=30),
        Column("notes", "Keterangan", width=11, excel_width=20),
    ]
    register = Register("balita", "Register Bayi dan Balita", "Format 2", posyandu, year, columns,
                        reveal_nik=reveal_nik, legend=[
                            "St: status KMS — N naik, T tidak naik, O tidak ditimbang bulan lalu, B baru pertama "
                            "kali ditimbang. 2T: dua kali berturut-turut tidak naik. BGM: di bawah garis merah.",
                            "Vitamin A: kolom Feb untuk pemberian Januari–Juli, kolom Agu untuk Agustus–Desember.",
                        ])
    # 0–59 months at some time in the year: born in or before it, and not yet 60 months on 1 January.
    children = list(served_people(posyandu, year, user)
                    .filter(birth_date__lte=end, birth_date__gt=dt.date(year - 5, 1, 1))
                    .select_related("mother"))
    ids = [c.pk for c in children]
    visits = _visits(posyandu, user, ids, None, end)
    shots: dict[int, list[Immunisation]] = defaultdict(list)
    for shot in Immunisation.objects.for_user(user).filter(person_id__in=ids).order_by("given_on", "vaccine"):
        shots[shot.person_id].append(shot)

    for number, child in enumerate(children, start=1):
        mine = visits.get(child.pk, [])
        # The recorded birth weight, else a weighing on the day of birth.
        at_birth = next((v for v in mine if v.visit_date == child.birth_date and v.weight_kg is not None), None)
        birth_weight = child.birth_weight_kg if child.birth_weight_kg is not None else (
            at_birth.weight_kg if at_birth else None)
        row: list[Cell | None] = [
            _int(number), _text(child.name), _nik(child, register), _text(child.sex), _date(child.birth_date),
            _text(child.mother.name if child.mother else ""), _num(birth_weight, 2),
        ]
        by_month: dict[int, Visit] = {}
        vit_a: dict[str, dt.date] = {}
        notes: list[str] = []
        for v in mine:
            if v.visit_date < start:
                continue
            if v.weight_kg is not None:
                by_month[v.visit_date.month] = v  # the month's last weighing is the one on the card
            if v.vitamin_a:
                # Vitamin A rounds are February and August; a catch-up dose counts for its half-year.
                vit_a.setdefault("feb" if v.visit_date.month <= 7 else "aug", v.visit_date)
            month = MONTHS_SHORT[v.visit_date.month - 1]
            if v.two_t:
                notes.append(f"2T {month}")
            if v.bgm:
                notes.append(f"BGM {month}")
        for m in range(1, 13):
            v = by_month.get(m)
            if v is None:
                row += [Cell(), Cell()]
                continue
            status = v.kms_status or ""
            row.append(_num(v.weight_kg, 2))
            row.append(_text(status, alert=status == "T" or v.bgm))
        row += [_date(vit_a.get("feb")), _date(vit_a.get("aug"))]
        row.append(_text("; ".join(f"{s.vaccine} {_short_date(s.given_on)}" for s in shots.get(child.pk, []))))
        status = _status_note(child)
        row.append(_text(", ".join(dict.fromkeys(notes + ([status] if status else []))),
                         alert=bool(notes)))
        register.rows.append(row)
    return register


# --- Format 4: register ibu hamil ----------------------------------------------------------
def _pregnancy_start(pregnancy: Pregnancy) -> dt.date:
    return pregnancy.lmp_date or (pregnancy.due_date - dt.timedelta(days=280))


def ibu_hamil_register(posyandu: Posyandu, year: int, user: Any, *, reveal_nik: bool = False) -> Register:
    start, end = _year_bounds(year)
    visit_group = "Pemeriksaan kehamilan"
    columns = [
        Column("no", "No", width=4, kind="number"),
        Column("name", "Nama ibu", width=22),
        Column("nik", "NIK", width=19, kind="nik"),
        Column("age", "Umur (th)", width=6, kind="number"),
        Column("lmp", "HPHT", width=11, kind="date"),
        Column("due", "HPL", width=11, kind="date"),
        Column("visit_date", "Tanggal", group=visit_group, width=11, kind="date"),
        Column("ga", "UK (mgg)", group=visit_group, width=6, kind="number"),
        Column("weight", "BB (kg)", group=visit_group, width=7, kind="number", number_format="0.0"),
        Column("muac", "LILA (cm)", group=visit_group, width=7, kind="number", number_format="0.0"),
        Column("kek", "KEK", group=visit_group, width=5),
        Column("bp", "TD (mmHg)", group=visit_group, width=9),
        Column("iron", "TTD (tab)", group=visit_group, width=6, kind="number"),
        Column("hb", "Hb (g/dL)", group=visit_group, width=6, kind="number", number_format="0.0"),
        Column("danger", "Tanda bahaya", group=visit_group, width=20),
        Column("outcome", "Hasil", group="Akhir kehamilan", width=12),
        Column("ended_on", "Tanggal", group="Akhir kehamilan", width=11, kind="date"),
    ]
    register = Register("ibu_hamil", "Register Ibu Hamil", "Format 4", posyandu, year, columns,
                        reveal_nik=reveal_nik, legend=[
                            "UK: umur kehamilan. KEK: LILA < 23,5 cm. TD ≥ 140/90 mmHg ditandai. "
                            "TTD: tablet tambah darah. Semua pemeriksaan selama kehamilan ditampilkan.",
                        ])
    mothers = served_people(posyandu, year, user).filter(sex="P")
    pregnancies = list(
        Pregnancy.objects.for_user(user).filter(person__in=mothers)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .select_related("person").order_by("person__name", "due_date"))
    pregnancies = [p for p in pregnancies if _pregnancy_start(p) <= end]
    visits = _visits(posyandu, user, {p.person_id for p in pregnancies}, None, dt.date.max)
    for number, pregnancy in enumerate(pregnancies, start=1):
        person = pregnancy.person
        pregnant_visits = [v for v in visits.get(person.pk, []) if pregnancy.stage_on(v.visit_date) == "ibu_hamil"]
        if pregnancy.ended_on:
            outcome = _text(pregnancy.get_outcome_display() or "Berakhir")
        elif pregnancy.due_date < (reference_date(year)):
            outcome = _text("Belum dicatat")
        else:
            outcome = _text("Masih hamil")
        span = max(1, len(pregnant_visits))
        identity: list[Cell] = [
            _int(number), _text(person.name), _nik(person, register),
            _int(age_in_years(person.birth_date, _pregnancy_start(pregnancy))), _date(pregnancy.lmp_date),
            _date(pregnancy.due_date),
        ]
        ending = [outcome, _date(pregnancy.ended_on)]
        for cell in identity + ending:
            cell.rowspan = span
        for i, v in enumerate(pregnant_visits or [None]):
            head: list[Cell | None] = list(identity) if i == 0 else [None] * len(identity)
            tail: list[Cell | None] = list(ending) if i == 0 else [None] * len(ending)
            register.rows.append(head + _pregnancy_visit_cells(v, pregnancy) + tail)
    return register


def _pregnancy_visit_cells(v: Visit | None, pregnancy: Pregnancy) -> list[Cell | None]:
    if v is None:
        return [Cell() for _ in range(9)]
    weeks = v.gestational_age_weeks if v.gestational_age_weeks is not None else pregnancy.gestational_weeks(
        v.visit_date)
    kek = rules.is_kek(float(v.muac_cm)) if v.muac_cm is not None else None
    danger = ", ".join(DANGER_SIGN_LABELS.get(s, str(s)) for s in (v.danger_signs or []))
    hb = _num(v.hb_g_dl, 1)
    hb.alert = bool(v.anaemia)
    return [
        _date(v.visit_date), _int(weeks), _num(v.weight_kg, 1), _num(v.muac_cm, 1),
        _text({True: "KEK", False: "Tidak"}.get(kek, ""), alert=bool(kek)), _blood_pressure(v), _int(v.iron_tablets),
        hb, _text(danger, alert=bool(danger)),
    ]


def _blood_pressure(v: Visit) -> Cell:
    if v.systolic is None and v.diastolic is None:
        return Cell()
    text = f"{v.systolic or '-'}/{v.diastolic or '-'}"
    return Cell(value=text, display=text + (" HT" if v.hypertension else ""), alert=bool(v.hypertension))


# --- Format 3: register WUS/PUS ------------------------------------------------------------
def wus_pus_register(posyandu: Posyandu, year: int, user: Any, *, reveal_nik: bool = False) -> Register:
    """Women 15–49 at the reference date, as on the paper Format 3: spouse, marital status and
    WUS/PUS, children, the year's latest LILA against the KEK cut-off, Td/TT doses T1–T5, the
    contraception in use and its change (penggantian) during the year."""
    start, _ = _year_bounds(year)
    on = reference_date(year)
    first_age, last_age = wus_age_range()
    kek_below = rules.rules()["kek"]["lila_below_cm"]
    cut = formats.number_format(kek_below, decimal_pos=1, use_l10n=True)
    doses = wus_vaccine_choices()
    lila, children, tt, change = "LILA", "Jumlah anak", "Imunisasi Td/TT (tanggal)", "Penggantian kontrasepsi"
    columns = [
        Column("no", "No", width=4.5, kind="number"),
        Column("name", "Nama WUS/PUS", width=19, excel_width=22),
        Column("nik", "NIK", width=18.5, excel_width=19, kind="nik"),
        Column("age", "Umur (th)", width=7, kind="number"),
        Column("spouse", "Nama suami", width=16, excel_width=20),
        Column("marital", "Status kawin", width=11),
        Column("wus_pus", "WUS/PUS", width=7),
        Column("children_alive", "Hidup", group=children, width=7.5, kind="number"),
        Column("children_dead", "Meninggal", group=children, width=11, kind="number"),
        Column("muac", "Hasil (cm)", group=lila, width=7, kind="number", number_format="0.0"),
        Column("muac_low", f"< {cut}", group=lila, width=6),
        Column("muac_ok", f"≥ {cut}", group=lila, width=6),
        Column("muac_date", "Tanggal", group=lila, width=12.5, kind="date"),
        *[Column(f"tt{i}", ROMAN.get(i, str(i)), group=tt, width=12.5, kind="date") for i in range(1, len(doses) + 1)],
        Column("contraception", "Kontrasepsi yang dipakai", width=14, excel_width=16),
        Column("change_date", "Tanggal", group=change, width=12.5, kind="date"),
        Column("change_method", "Jenis baru", group=change, width=13, excel_width=14),
        Column("notes", "Keterangan", width=18, excel_width=24),
    ]
    register = Register("wus_pus", "Register Wanita Usia Subur (WUS) dan Pasangan Usia Subur (PUS)", "Format 3",
                        posyandu, year, columns, reveal_nik=reveal_nik, legend=[
                            f"WUS: wanita umur {first_age}–{last_age} tahun pada {_short_date(on)}. PUS: WUS yang "
                            "berstatus kawin (status kawin kosong: belum dicatat, ditulis WUS). Status kawin, suami "
                            "dan jumlah anak dari data orang.",
                            f"LILA: pengukuran terakhir tahun {year}; < {cut} cm berisiko KEK (batas KEK Buku KIA; "
                            f"kolom kertas Format 3 menulis ≤/> {cut}).",
                            "Imunisasi Td/TT: tanggal dosis I–V (status T1–T5) sampai tanggal register.",
                            "Kontrasepsi: cara KB terakhir yang dicatat. Penggantian: tanggal dan cara KB baru bila "
                            f"berganti selama tahun {year}; penggantian sebelumnya ditulis di Keterangan.",
                        ])
    # Born after `on` minus (last age + 1) years and on or before `on` minus the first age.
    women = list(served_people(posyandu, year, user).filter(
        sex="P", birth_date__gt=_years_before(on, last_age + 1), birth_date__lte=_years_before(on, first_age))
        .prefetch_related("pregnancies"))
    ids = [w.pk for w in women]
    visits = _visits(posyandu, user, ids, None, on)
    tetanus: dict[int, dict[str, dt.date]] = defaultdict(dict)
    for shot in (Immunisation.objects.for_user(user).filter(person_id__in=ids, given_on__lte=on)
                 .filter(Q(vaccine__istartswith="TT") | Q(vaccine__istartswith="Td")).order_by("given_on")):
        code = wus_dose_code(shot.vaccine)
        if code:
            tetanus[shot.person_id].setdefault(code, shot.given_on)
    for number, woman in enumerate(women, start=1):
        mine = visits.get(woman.pk, [])
        measured = next((v for v in reversed(mine) if v.muac_cm is not None and v.visit_date >= start), None)
        kek = rules.is_kek(float(measured.muac_cm)) if measured is not None else None
        married = woman.marital_status == MaritalStatus.MARRIED
        methods = _contraception_changes(mine)
        current = methods[-1][1] if methods else ""
        changes = [(day, method) for day, method, changed in methods if changed and day >= start]
        last_change = changes[-1] if changes else None
        notes = [f"Ganti {_short_date(day)}: {Contraception(method).label}" for day, method in changes[:-1]]
        stage = next((p.stage_on(on) for p in woman.pregnancies.all() if p.stage_on(on)), None)
        status = _status_note(woman)
        register.rows.append([
            _int(number), _text(woman.name), _nik(woman, register), _int(age_in_years(woman.birth_date, on)),
            _text(woman.spouse_name), _text(woman.get_marital_status_display()), _text("PUS" if married else "WUS"),
            _int(woman.living_children), _int(woman.deceased_children),
            _num(measured.muac_cm if measured else None, 1),
            _text("✓" if kek else "", alert=bool(kek)), _text("✓" if kek is False else ""),
            _date(measured.visit_date if measured else None),
            *[_date(tetanus[woman.pk].get(code)) for code, _ in doses],
            _text(Contraception(current).label if current else ""),
            _date(last_change[0] if last_change else None),
            _text(Contraception(last_change[1]).label if last_change else ""),
            _text("; ".join(([rules.stage_label(stage)] if stage else []) + notes + ([status] if status else []))),
        ])
    return register


def _contraception_changes(visits: list[Visit]) -> list[tuple[dt.date, str, bool]]:
    """The contraception recorded at each visit that asked, oldest first, each with whether it
    differs from the one recorded before it (the first one recorded is not a change)."""
    out: list[tuple[dt.date, str, bool]] = []
    for visit in visits:
        if not visit.contraception:
            continue  # not asked at this visit
        changed = bool(out) and out[-1][1] != visit.contraception
        out.append((visit.visit_date, visit.contraception, changed))
    return out


def _years_before(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


# --- Register lansia -----------------------------------------------------------------------
def lansia_register(posyandu: Posyandu, year: int, user: Any, *, reveal_nik: bool = False) -> Register:
    start, end = _year_bounds(year)
    on = reference_date(year)
    group = "Pemeriksaan"
    columns = [
        Column("no", "No", width=4, kind="number"),
        Column("name", "Nama", width=22),
        Column("nik", "NIK", width=19, kind="nik"),
        Column("sex", "L/P", width=4),
        Column("age", "Umur (th)", width=6, kind="number"),
        Column("visit_date", "Tanggal", group=group, width=11, kind="date"),
        Column("weight", "BB (kg)", group=group, width=7, kind="number", number_format="0.0"),
        Column("height", "TB (cm)", group=group, width=7, kind="number", number_format="0.0"),
        Column("bmi", "IMT", group=group, width=6, kind="number", number_format="0.0"),
        Column("bmi_category", "Kategori IMT", group=group, width=12),
        Column("bp", "TD (mmHg)", group=group, width=10),
        Column("glucose", "GDS (mg/dL)", group=group, width=7, kind="number"),
        Column("glucose_status", "Status GDS", group=group, width=8),
        Column("adl", "Skor AKS", group=group, width=6, kind="number"),
        Column("adl_status", "Kemandirian", group=group, width=13),
    ]
    register = Register("lansia", "Register Lanjut Usia (Lansia)", "", posyandu, year, columns,
                        reveal_nik=reveal_nik, legend=[
                            f"Umur 60 tahun ke atas pada {_short_date(on)}. TD ≥ 140/90 mmHg: hipertensi (HT). "
                            "GDS: gula darah sewaktu. AKS: aktivitas kehidupan sehari-hari (0–20; < 20 ada "
                            "ketergantungan).",
                        ])
    elders = list(served_people(posyandu, year, user).filter(birth_date__lte=_years_before(on, 60)))
    visits = _visits(posyandu, user, [e.pk for e in elders], start, end)
    for number, elder in enumerate(elders, start=1):
        mine = visits.get(elder.pk, [])
        span = max(1, len(mine))
        identity = [_int(number), _text(elder.name), _nik(elder, register), _text(elder.sex),
                    _int(age_in_years(elder.birth_date, on))]
        for cell in identity:
            cell.rowspan = span
        for i, v in enumerate(mine or [None]):
            head: list[Cell | None] = list(identity) if i == 0 else [None] * len(identity)
            register.rows.append(head + _lansia_visit_cells(v))
    return register


def _lansia_visit_cells(v: Visit | None) -> list[Cell | None]:
    if v is None:
        return [Cell() for _ in range(10)]
    bmi = _num(v.bmi, 1)
    category = v.bmi_category or ""
    glucose = _int(v.glucose_mg_dl, alert=v.glucose_status in ("tinggi", "rendah"))
    adl_status = {True: "Ketergantungan", False: "Mandiri"}.get(v.dependent, "")  # type: ignore[arg-type]
    return [
        _date(v.visit_date), _num(v.weight_kg, 1), _num(v.height_cm, 1), bmi,
        _text(category, alert=category not in ("", "normal")), _blood_pressure(v), glucose,
        _text(v.glucose_status, alert=v.glucose_status in ("tinggi", "rendah")),
        _int(v.adl_score, alert=bool(v.dependent)), _text(adl_status, alert=bool(v.dependent)),
    ]


# --- The catalogue the views and URLs use --------------------------------------------------
@dataclass(frozen=True)
class RegisterKind:
    slug: str  # the URL segment
    title: str
    form_name: str
    description: str
    build: Callable[..., Register]


REGISTERS: dict[str, RegisterKind] = {
    "balita": RegisterKind("bayi-balita", "Register Bayi dan Balita", "Format 2",
                           "Penimbangan bulanan Januari–Desember dengan status N/T, vitamin A, imunisasi.",
                           balita_register),
    "ibu_hamil": RegisterKind("ibu-hamil", "Register Ibu Hamil", "Format 4",
                              "Kehamilan berjalan: HPHT, HPL, pemeriksaan, LILA/KEK, tekanan darah, TTD, Hb.",
                              ibu_hamil_register),
    "wus_pus": RegisterKind("wus-pus", "Register WUS/PUS", "Format 3",
                            "Wanita 15–49 tahun: suami, status kawin (WUS/PUS), jumlah anak, LILA, imunisasi "
                            "Td/TT, kontrasepsi dan penggantiannya.", wus_pus_register),
    "lansia": RegisterKind("lansia", "Register Lansia", "",
                           "Umur 60+: berat badan, IMT, tekanan darah, gula darah, skor AKS.", lansia_register),
}


def build_register(kind: str, posyandu: Posyandu, year: int, user: Any, *, reveal_nik: bool = False) -> Register:
    return REGISTERS[kind].build(posyandu, year, user, reveal_nik=reveal_nik)
