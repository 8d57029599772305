"""Importing people and past measurements from a CSV or XLSX file into one Posyandu.

Accepts the e-PPGBM balita export (sheet `Application List`, header in row 1) and simple sheets
with columns such as nik, nama, jk, tgl_lahir, nama_ibu, tanggal_ukur, berat, tinggi, cara_ukur,
lila, lingkar_kepala, vit_a, kpsp, pmt, kia. All or nothing: every row is validated first (the
rules `record_visit` applies, plus NIK, dates, sex and area); one error and nothing is written. The
results (z-scores, categories, KMS, referral proposals) equal what `services.record_visit`
computes for the same visit, but are computed on whole columns and written with bulk inserts, so
100,000 rows fit in well under a minute on SQLite.

A weighing imported before visits already in the database changes their KMS reading (a May that
was O becomes N or T once April is known), as a late entry through record_visit does: those later
visits get their N/T/O/B, 2T and BGM recomputed from the whole series, and their referral
proposals follow (services._propose_referral's rules: a proposal still PROPOSED is updated or
withdrawn, a referral the kader decided is left alone). Visits whose month is locked (report sent
or approved) keep their status, with a warning.

The e-PPGBM service columns, where the Visit model has a home for them:
- `KPSP` (alias kpsp, perkembangan) -> development: Sesuai, Meragukan, (Ada/Kemungkinan)
  Penyimpangan; `-` or empty = not screened; anything else is a row error.
- `Jml Vit A` is the number of vitamin A doses the child has had, not a yes/no of this visit. A
  visit is recorded as vitamin A given when the child's count is higher than at their previous row
  in the file and the visit is in a vitamin A month (February, August). A child's first row only
  sets the starting count (when the doses counted so far were given is not known: include the
  previous months in the file to import a round), and a rise seen first in another month is a dose
  given elsewhere or in between (sweeping), not at that visit. A count that falls is a warning.
  Simple sheets may carry a yes/no column instead (vit_a, vitamin_a), recorded as typed.
- `PMT Diterima (kg)` (alias pmt) -> supplementary_food when more than 0 kg (or Ya).
- `KIA` -> the person's has_kia_book when Ya or Tidak (the latest measurement's value wins).
- `Kelas Ibu Balita` and `MBG` have no field yet and are ignored, as are e-PPGBM's own computed
  columns (z-scores, categories, N/T), which are recomputed here.

Deliberate differences from record_visit: unusual values are accepted and counted (the file was
validated by whoever measured), and a person + date that already has a visit is skipped, which
makes re-importing the same file harmless.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
import operator
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import IO, Any, NamedTuple

import numpy as np
from django.db import connection, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

import growth
from apps.core.regioncodes import ancestors_of, path_codes
from apps.core.scoping import require_import
from apps.people.models import Person, Pregnancy
from apps.people.validators import nik_warnings
from apps.periods.hooks import locked_months, mark_stale
from apps.posyandu.models import Posyandu
from apps.regions.models import Region
from apps.serviceday import rules
from apps.serviceday.models import Development, Referral, ReferralStatus, ServiceSession, SessionStatus, Visit
from apps.serviceday.services import RESULT_DEFAULTS, RESULT_FIELDS, _stored_result
from growth import cells
from growth.ages import parse_date
from growth.batch import normalize_header
from growth.fileio import sniff_delimiter
from growth.inputs import MEASURE_WORDS, SEX_WORDS, normalize_text

# Header aliases, compared after growth.batch.normalize_header (lower case, runs of anything but
# letters and digits become "_"): "JK (L/P)" -> "jk_l_p", "Desa/Kel" -> "desa_kel".
COLUMNS: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "no_nik", "nomor_nik", "nik_anak", "nik_balita"),
    "name": ("nama", "nama_anak", "nama_balita", "nama_lengkap", "name"),
    "sex": ("jk", "jk_l_p", "jenis_kelamin", "kelamin", "l_p", "sex"),
    "dob": ("tgl_lahir", "tanggal_lahir", "tgl_lhr", "dob", "birth_date"),
    # e-PPGBM's "Nama Ortu" is the mother's name in the balita export (the parent the KIA book names).
    "mother": ("nama_ibu", "nama_ibu_kandung", "ibu", "nama_ortu", "nama_orang_tua"),
    "visit_date": ("tanggal_ukur", "tgl_ukur", "tanggal_pengukuran", "tgl_pengukuran", "tanggal_penimbangan",
                   "tgl_penimbangan", "tanggal_kunjungan", "tgl_kunjungan", "visit_date"),
    "weight": ("berat", "berat_badan", "bb", "bb_kg", "weight"),
    "height": ("tinggi", "tinggi_badan", "panjang", "panjang_badan", "pb_tb", "tb_pb", "tb", "pb", "tinggi_panjang",
               "height", "lenhei"),
    "position": ("cara_ukur", "posisi", "posisi_ukur", "measure"),
    "muac": ("lila", "lingkar_lengan_atas", "lingkar_lengan", "muac"),
    "head": ("lingkar_kepala", "lk", "headc"),
    "province": ("prov", "provinsi"),
    "regency": ("kab_kota", "kabupaten_kota", "kabupaten", "kota"),
    "district": ("kec", "kecamatan"),
    "village": ("desa_kel", "desa_kelurahan", "kelurahan_desa", "desa", "kelurahan"),
    "address": ("alamat",),
    "puskesmas": ("pukesmas", "puskesmas"),  # e-PPGBM spells it "Pukesmas"
    "posyandu": ("posyandu", "nama_posyandu"),
    "rt": ("rt",),
    "rw": ("rw",),
    # Services (see the module docstring for how each maps to a visit).
    "vitamin_a_count": ("jml_vit_a", "jumlah_vit_a", "jml_vitamin_a", "jumlah_vitamin_a"),
    "vitamin_a": ("vit_a", "vitamin_a", "vita", "vitamin_a_diberikan"),
    "development": ("kpsp", "hasil_kpsp", "perkembangan", "skrining_perkembangan"),
    "supplementary_food": ("pmt_diterima_kg", "pmt_diterima", "pmt_kg", "pmt"),
    "kia": ("kia", "buku_kia", "punya_buku_kia", "memiliki_buku_kia"),
    # e-PPGBM's own results: kept for SKDN where the system lacks the history (N/T/O/B) and for the
    # reconciliation (categories, z-scores), never in place of what the system computes.
    "source_kms": ("naik_berat_badan", "status_naik_berat_badan"),
    "source_bb_u": ("bb_u",),
    "source_zs_bb_u": ("zs_bb_u",),
    "source_tb_u": ("tb_u", "pb_tb_u"),
    "source_zs_tb_u": ("zs_tb_u", "zs_pb_tb_u"),
    "source_bb_tb": ("bb_tb", "bb_pb_tb"),
    "source_zs_bb_tb": ("zs_bb_tb", "zs_bb_pb_tb"),
}
SOURCE_LABELS = ("bb_u", "tb_u", "bb_tb")
SOURCE_KMS = {"n": "N", "t": "T", "o": "O", "b": "B", "naik": "N", "tidak naik": "T"}
Z_SENTINEL = 999.99  # e-PPGBM's "off the table"
# An Excel opened with Indonesian regional settings reads "7.7" as the time 07:07 and "67.6" as the
# duration 67:06 (the "." is its time separator); CSV re-saved from it keeps "07:07" as text.
_CLOCK = re.compile(r"^(\d{1,4}):(\d{2})(?::(\d{2}))?$")
REQUIRED = ("name", "sex", "dob")
COLUMN_NAMES = {"name": "nama", "sex": "jenis kelamin (JK)", "dob": "tanggal lahir"}
MEASURES = {  # import role -> (Visit field, decimal places of the field)
    "weight": ("weight_kg", 2), "height": ("height_cm", 1), "head": ("head_circ_cm", 1), "muac": ("muac_cm", 1),
}
AREA_LEVELS = (("province", 1, "provinsi"), ("regency", 2, "kabupaten/kota"), ("district", 3, "kecamatan"),
               ("village", 4, "desa/kelurahan"))
NIK_EXCEL_HINT = ("Excel menyimpan angka hanya sampai 15 digit, sehingga angka terakhir NIK berubah menjadi 0. "
                  "Format kolom NIK sebagai Teks (Text) lalu ketik ulang NIK dari KK/KTP.")
_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?e\+?\d+$", re.IGNORECASE)
_DECIMAL_TAIL = re.compile(r"^\d+[.,]0+$")
EPOCH_ORDINAL = cells.EPOCH_ORDINAL
YES_NO = {word: True for word in ("ya", "y", "iya", "ada", "punya", "memiliki", "sudah", "diberikan", "1", "true")} | {
    word: False for word in ("tidak", "t", "tdk", "tidak ada", "tidak punya", "tidak memiliki", "belum",
                             "tidak diberikan", "0", "false")}
# e-PPGBM 2024-2025 writes "Sesuai" (the book matches the child's records) for a child with a Buku KIA.
KIA_WORDS = YES_NO | {"sesuai": True, "ada, sesuai": True}
DEVELOPMENT_WORDS = {"sesuai": Development.APPROPRIATE.value, "meragukan": Development.DOUBTFUL.value,
                     "penyimpangan": Development.DEVIATION.value, "ada penyimpangan": Development.DEVIATION.value,
                     "kemungkinan penyimpangan": Development.DEVIATION.value, "menyimpang": Development.DEVIATION.value}
VITAMIN_A_MONTHS = (2, 8)  # the national vitamin A rounds (February, August), as the SIP register counts them
BATCH = 2000  # rows per bulk statement batch (Django splits further to the database's parameter limit)


NOT_ALLOWED = "Anda tidak berwenang mengimpor data Posyandu ini."


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


class Compared(NamedTuple):
    """An imported row's e-PPGBM results, to set beside what the system holds for that visit."""

    row: int
    posyandu_id: int
    person_id: int
    visit_date: dt.date
    age_months: int
    source_kms: str
    source_labels: tuple[str, str, str]
    source_z: tuple[float | None, float | None, float | None]


@dataclass
class ImportResult:
    """What an import did (or, with dry_run or errors, would do). Rows are numbered as the user
    sees them in the spreadsheet: the header is row 1."""

    filename: str = ""
    dry_run: bool = False
    rows: int = 0
    persons_created: int = 0
    persons_matched: int = 0
    persons_updated: int = 0  # matched persons that got a missing NIK or birth date from the file
    mothers_created: int = 0
    sessions_created: int = 0
    visits_created: int = 0
    visits_skipped: int = 0  # that person already has a visit on that date
    referrals_proposed: int = 0
    # Visits already in the database, dated after an imported weighing, whose KMS reading changed.
    later_visits_updated: int = 0
    later_referrals_proposed: int = 0  # new proposals for them (filled when written)
    later_referrals_withdrawn: int = 0  # their proposals no longer meeting a trigger (filled when written)
    unusual_values: int = 0  # rows with a value outside the usual range (accepted, to be re-checked)
    nik_to_fix: int = 0  # persons imported (or kept) without a valid NIK: the "NIK perlu diperbaiki" list
    summary_rows_skipped: int = 0  # "Total data gizi ..." lines below the data
    # Same name and birth date, different NIK: (row, other row or 0 for a person already registered, who).
    possible_duplicates: list[tuple[int, int, str]] = field(default_factory=list)
    compared: list[Compared] = field(default_factory=list)  # filled when written
    parts: list[dict[str, Any]] = field(default_factory=list)  # per Posyandu: rows, persons, visits

    COUNTERS = ("persons_created", "persons_matched", "persons_updated", "mothers_created", "sessions_created",
                "visits_created", "visits_skipped", "referrals_proposed", "later_visits_updated",
                "later_referrals_proposed", "later_referrals_withdrawn", "unusual_values", "nik_to_fix")

    def absorb(self, other: ImportResult) -> None:
        """Add a part's counts and messages to the whole file's."""
        for name in self.COUNTERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors
        self.warnings += other.warnings
        self.possible_duplicates += other.possible_duplicates
        self.compared += other.compared
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # time per stage: read, check_and_compute, write

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def summary_lines(self, max_messages: int = 50) -> list[str]:
        """The report in Bahasa Indonesia, for the command line and the upload page."""
        lines: list[str] = []
        if self.errors:
            lines.append(f"Impor dibatalkan: {_n(len(self.errors))} kesalahan ditemukan, tidak ada data yang disimpan.")
            lines += [_row_text(row, message) for row, message in self.errors[:max_messages]]
            if len(self.errors) > max_messages:
                lines.append(f"… dan {_n(len(self.errors) - max_messages)} kesalahan lainnya.")
            return lines
        lines.append("Uji coba (tidak ada data yang disimpan):" if self.dry_run else "Impor selesai:")
        lines += [
            f"  Baris dibaca: {_n(self.rows)}",
            f"  Orang baru: {_n(self.persons_created)}; orang yang sudah terdaftar: {_n(self.persons_matched)}"
            + (f" (dilengkapi NIK/tanggal lahir/Buku KIA: {_n(self.persons_updated)})" if self.persons_updated else ""),
            f"  Ibu baru: {_n(self.mothers_created)}",
            f"  Hari buka baru: {_n(self.sessions_created)}",
            f"  Kunjungan dicatat: {_n(self.visits_created)}; dilewati karena sudah tercatat: {_n(self.visits_skipped)}",
            f"  Usulan rujukan: {_n(self.referrals_proposed)}",
            f"  Kunjungan sesudahnya yang status KMS-nya diperbarui: {_n(self.later_visits_updated)}"
            + (f" (usulan rujukan baru: {_n(self.later_referrals_proposed)}, ditarik: "
               f"{_n(self.later_referrals_withdrawn)})" if self.written and self.later_visits_updated else ""),
            f"  Baris dengan nilai tidak biasa (diterima, mohon diperiksa ulang): {_n(self.unusual_values)}",
        ]
        if len(self.parts) > 1:
            lines.append(f"  Posyandu: {_n(len(self.parts))}")
        if self.nik_to_fix:
            lines.append(f"  Anak tanpa NIK valid (daftar \"NIK perlu diperbaiki\"): {_n(self.nik_to_fix)}")
        if self.summary_rows_skipped:
            lines.append(f"  Baris ringkasan dilewati: {_n(self.summary_rows_skipped)}")
        if self.possible_duplicates:
            lines.append(f"Kemungkinan data ganda (nama dan tanggal lahir sama, NIK berbeda; periksa): "
                         f"{_n(len(self.possible_duplicates))}")
            for row, other, who in self.possible_duplicates[:max_messages]:
                lines.append(f"  Baris {row}" + (f" dan {other}" if other else "") + f": {who}")
        if self.warnings:
            lines.append("Peringatan:")
            lines += ["  " + _row_text(row, message) for row, message in self.warnings[:max_messages]]
            if len(self.warnings) > max_messages:
                lines.append(f"  … dan {_n(len(self.warnings) - max_messages)} peringatan lainnya.")
        return lines


def _row_text(row: int, message: str) -> str:
    return f"Baris {row}: {message}" if row else f"Berkas: {message}"


def _n(number: int) -> str:
    return f"{number:,}".replace(",", ".")  # Indonesian thousands separator


# --- reading --------------------------------------------------------------------------------------

@dataclass
class _Sheet:
    header: list[str]
    rows: list[list[Any]]
    row_numbers: list[int]  # spreadsheet row number of each data row
    header_row: int


def read_sheet(source: str | Path | IO[bytes]) -> tuple[_Sheet, str]:
    """The first non-empty row is the header; blank rows are dropped but keep row numbers true."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImportFileError(f"berkas tidak dapat dibaca: {exc}") from exc
        name = path.name
    else:
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        name = Path(getattr(source, "name", "") or "unggahan").name
    if not data.strip():
        raise ImportFileError("berkas kosong")
    if data[:4] == b"PK\x03\x04" or data[:4] == b"\xd0\xcf\x11\xe0":  # xlsx (zip) or old xls
        return _read_workbook(data), name
    return _read_csv(data), name


def _read_workbook(data: bytes) -> _Sheet:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        # e-PPGBM puts its data in "Application List"; otherwise the first sheet.
        sheet = "Application List" if "Application List" in names else names[0]
        # skip_empty_area=False keeps index 0 = spreadsheet row 1, so row numbers stay true.
        table = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several unrelated types
        raise ImportFileError(f"berkas Excel tidak dapat dibaca: {exc}") from exc
    return _split(table, list(range(1, len(table) + 1)))


def _read_csv(data: bytes) -> _Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # old Excel "CSV (Comma delimited)"
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Any]] = []
    numbers: list[int] = []
    line = 0
    for record in reader:
        numbers.append(line + 1)  # a quoted field may span lines: the record starts after the last one
        rows.append(record)
        line = reader.line_num
    return _split(rows, numbers)


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.replace("\xa0", " ").strip())


def _split(table: list[list[Any]], numbers: list[int]) -> _Sheet:
    kept = [(n, r) for n, r in zip(numbers, table) if not all(_blank(c) for c in r)]
    if not kept:
        raise ImportFileError("berkas kosong: baris judul kolom tidak ada")
    header = [normalize_text(h) if not isinstance(h, str) else h.replace("\xa0", " ").strip() for h in kept[0][1]]
    width = len(header)
    rows = [list(r[:width]) + [""] * (width - len(r)) for _, r in kept[1:]]
    return _Sheet(header, rows, [n for n, _ in kept[1:]], kept[0][0])


def resolve_columns(header: list[str]) -> dict[str, int]:
    normalized = [normalize_header(h) for h in header]
    found: dict[str, int] = {}
    for role, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in normalized:
                found[role] = normalized.index(alias)
                break
    return found


# --- cells ----------------------------------------------------------------------------------------

def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).replace("\xa0", " ").split())


def _show(cell: Any) -> str:
    return repr(_text(cell))


def parse_nik(cell: Any) -> tuple[str, str | None]:
    """(NIK, error message). A NIK Excel stored as a number is refused: its 16th digit is lost."""
    if isinstance(cell, bool):
        return "", f"NIK tidak valid: {_show(cell)}."
    if isinstance(cell, (int, float)):
        return "", f"NIK {_show(cell)} tersimpan sebagai angka, bukan teks. {NIK_EXCEL_HINT}"
    text = _text(cell).replace(" ", "").lstrip("'")  # a leading apostrophe is Excel's "keep as text"
    if text in ("", "-"):
        return "", None
    if _SCIENTIFIC.match(text) or _DECIMAL_TAIL.match(text):
        return "", f"NIK {_show(cell)} tertulis sebagai angka Excel. {NIK_EXCEL_HINT}"
    if not text.isdigit() or not text.isascii():
        return "", f"NIK harus 16 angka: {_show(cell)}."
    if len(text) == 15:
        return "", f"NIK {_show(cell)} hanya 15 angka. {NIK_EXCEL_HINT}"
    if len(text) != 16:
        return "", f"NIK harus 16 angka, bukan {len(text)}: {_show(cell)}."
    if text.endswith("0000"):
        # Dukcapil serials start at 0001: a trailing 0000 is what Excel's rounding leaves behind.
        return "", f"NIK {_show(cell)} berakhir 0000 (nomor urut NIK dimulai dari 0001). {NIK_EXCEL_HINT}"
    return text, None


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _area_key(text: str) -> tuple[str, str]:
    """(kind prefix, bare name) of an area cell such as 'KAB. REJANG LEBONG' or 'Kota Bengkulu'."""
    words = re.sub(r"[^0-9a-z ]+", " ", normalize_text(text)).split()
    prefixes = {"provinsi": "", "prov": "", "kabupaten": "kabupaten", "kab": "kabupaten", "kota": "kota",
                "kecamatan": "", "kec": "", "desa": "", "ds": "", "kelurahan": "", "kel": ""}
    kind = ""
    if len(words) > 1 and words[0] in prefixes:
        kind = prefixes[words[0]]
        words = words[1:]
    return kind, " ".join(words)


def _area_matches(cell: str, region: Region) -> bool:
    if cell.strip() == region.code:
        return True
    kind, name = _area_key(cell)
    region_kind, region_name = _area_key(region.name)
    if name != region_name:
        return False
    return region.level != 2 or not kind or kind == region.kind  # Kota Bogor is not Kabupaten Bogor


def _quantize(value: float, places: int) -> Decimal:
    # The database keeps this many decimals; computing from the stored value keeps results equal.
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _date_of(day_number: float) -> dt.date | None:
    return None if math.isnan(day_number) else dt.date.fromordinal(int(day_number) + EPOCH_ORDINAL)


# --- the import -----------------------------------------------------------------------------------

@dataclass
class _Row:
    index: int  # position in the sheet's data rows
    number: int  # spreadsheet row number
    nik: str
    name: str
    sex: str
    dob: dt.date
    mother: str
    address: str
    visit_date: dt.date | None
    values: dict[str, Decimal | None]
    position: str
    vitamin_a: bool = False  # given at this visit: a yes/no column, or the dose count (see _vitamin_a_from_counts)
    vitamin_a_count: int | None = None  # e-PPGBM's Jml Vit A: doses had so far
    development: str = ""
    supplementary_food: bool = False
    kia: bool | None = None  # has a Buku KIA (None: not said)
    nik_raw: str = ""  # what stood in the NIK cell when it could not be kept as a NIK (see parse_nik)
    source_kms: str = ""  # e-PPGBM's Naik Berat Badan: N, T, O, B or ""
    source_labels: tuple[str, str, str] = ("", "", "")  # e-PPGBM's BB/U, TB/U, BB/TB read as Permenkes labels
    source_z: tuple[float | None, float | None, float | None] = (None, None, None)  # its ZS BB/U, TB/U, BB/TB
    person_key: int = -1  # index into the planned persons
    months: int = 0

    def same_visit(self, other: _Row) -> bool:
        """What a visit records from the row; two rows of one person and date must agree on it."""
        return ((self.values, self.position, self.vitamin_a, self.vitamin_a_count, self.development,
                 self.supplementary_food) == (other.values, other.position, other.vitamin_a, other.vitamin_a_count,
                                              other.development, other.supplementary_food))


@dataclass
class _PlannedPerson:
    first_row: int
    nik: str
    name: str
    sex: str
    dob: dt.date
    mother: str
    address: str
    existing: dict[str, Any] | None = None
    pk: int | None = None
    updates: dict[str, Any] = field(default_factory=dict)
    kia: bool | None = None  # from the row with the latest measurement that says
    kia_seen: tuple[dt.date, int] = (dt.date.min, 0)
    nik_raw: str = ""  # an invalid NIK cell, kept as Person.nik_as_imported while nik is empty


class _Errors:
    def __init__(self) -> None:
        self.items: list[tuple[int, str]] = []

    def add(self, row: int, message: str) -> None:
        self.items.append((row, message))


def _check_locked_months(rows: list[_Row], posyandu: Posyandu, errors: _Errors) -> None:
    """Months whose report was sent or approved are locked for imports as for the visit form."""
    locked = {period for _, period in locked_months((posyandu.pk, r.visit_date) for r in rows if r.visit_date)}
    for row in rows:
        if row.visit_date and row.visit_date.replace(day=1) in locked:
            errors.add(row.number, f"laporan bulan {row.visit_date:%m/%Y} sudah dikirim atau disetujui (terkunci).")


def import_measurements(*, posyandu: Posyandu, source: str | Path | IO[bytes], acting_user: Any,
                        dry_run: bool = False) -> ImportResult:
    """Validate a whole file for one Posyandu and, when every row is valid, write it in one
    transaction. Rows naming another area than the Posyandu's are errors.

    Raises PermissionDenied when the user may not import at this Posyandu; every other problem is
    reported in ImportResult.errors with its spreadsheet row number, and then nothing is written.
    """
    require_import(posyandu, acting_user, NOT_ALLOWED)
    result = ImportResult(dry_run=dry_run)
    loaded = load_sheet(source, result)
    if loaded is None:
        return result
    sheet, columns = loaded
    return import_parts(sheet=sheet, columns=columns, parts=[(posyandu, list(range(len(sheet.rows))))],
                        acting_user=acting_user, dry_run=dry_run, result=result, check_area=True)


def load_sheet(source: str | Path | IO[bytes], result: ImportResult) -> tuple[_Sheet, dict[str, int]] | None:
    """The sheet and its columns, or None with the reason in result.errors. Summary lines below the
    data ("Total data gizi ...") are dropped with a note."""
    started = time.perf_counter()
    try:
        sheet, result.filename = read_sheet(source)
    except ImportFileError as exc:
        result.errors.append((0, str(exc)))
        return None
    columns = resolve_columns(sheet.header)
    missing = [COLUMN_NAMES[r] for r in REQUIRED if r not in columns]
    if missing:
        result.errors.append((sheet.header_row, "kolom wajib tidak ditemukan: " + ", ".join(missing)
                              + ". Judul kolom yang dibaca: " + ", ".join(h for h in sheet.header if h) + "."))
        return None
    summary = set(_summary_rows(sheet, columns))
    if summary:
        for i in sorted(summary):
            result.warnings.append((sheet.row_numbers[i], "baris ringkasan (" + _text(next(
                c for c in sheet.rows[i] if not _blank(c)))[:60] + ") bukan data anak: dilewati."))
        keep = [i for i in range(len(sheet.rows)) if i not in summary]
        sheet = _Sheet(sheet.header, [sheet.rows[i] for i in keep], [sheet.row_numbers[i] for i in keep],
                       sheet.header_row)
        result.summary_rows_skipped = len(summary)
    result.rows = len(sheet.rows)
    if not sheet.rows:
        result.errors.append((sheet.header_row, "tidak ada baris data di bawah judul kolom."))
        return None
    result.seconds["read"] = time.perf_counter() - started
    return sheet, columns


def _summary_rows(sheet: _Sheet, columns: dict[str, int]) -> list[int]:
    """Rows without a name or birth date whose text starts with "Total" or "Jumlah": the totals
    e-PPGBM and hand-made sheets put below the data."""
    name_at, dob_at = columns["name"], columns["dob"]
    found = []
    for i, row in enumerate(sheet.rows):
        if not _blank(row[name_at]) or not _blank(row[dob_at]):
            continue
        if any(normalize_text(c).startswith(("total", "jumlah")) for c in row if isinstance(c, str)):
            found.append(i)
    return found


@dataclass
class _Part:
    posyandu: Posyandu
    result: ImportResult
    plan: _Plan | None = None
    persons: list[_PlannedPerson] = field(default_factory=list)


def import_parts(*, sheet: _Sheet, columns: dict[str, int], parts: list[tuple[Posyandu, list[int]]], acting_user: Any,
                 dry_run: bool = False, result: ImportResult | None = None, check_area: bool = False,
                 progress: Callable[[str], None] | None = None) -> ImportResult:
    """Import a sheet whose rows belong to several Posyandu (a Puskesmas-wide e-PPGBM export):
    `parts` gives each Posyandu its row indexes (the confirmed mapping of the sheet's desa and
    Posyandu names, see apps.imports). Every part is checked first; one error anywhere and nothing
    is written; otherwise all parts are written in one transaction, so a refused or killed import
    leaves nothing half-written.

    A child whose valid NIK appears under two Posyandu in the file (moved between months) is
    imported once, at the Posyandu of their latest measurement, with a warning."""
    for posyandu, _ in parts:
        require_import(posyandu, acting_user, NOT_ALLOWED)
    result = result or ImportResult()
    result.dry_run = dry_run
    started = time.perf_counter()
    parts = _one_part_per_nik(sheet, columns, parts, result)
    done: list[_Part] = []
    for posyandu, indexes in parts:
        if not indexes:
            continue
        part = _Part(posyandu, ImportResult(filename=result.filename, dry_run=dry_run))
        sub = _Sheet(sheet.header, [sheet.rows[i] for i in indexes], [sheet.row_numbers[i] for i in indexes],
                     sheet.header_row)
        errors, notes = _Errors(), _Errors()
        # Each stage checks the rows the previous stages found valid, so one pass lists every error.
        rows = _parse_rows(sub, columns, errors, posyandu, notes, check_area)
        _check_locked_months(rows, posyandu, errors)
        part.persons = _plan_persons(rows, posyandu, errors, part.result)
        part.plan = _plan_visits(rows, part.persons, posyandu, errors, part.result)
        part.result.errors = errors.items
        part.result.warnings += notes.items
        part.result.rows = len(indexes)
        done.append(part)
    result.seconds["check_and_compute"] = time.perf_counter() - started
    if not any(p.result.errors for p in done) and not dry_run:
        written = time.perf_counter()
        try:
            with transaction.atomic():  # each part's own atomic block becomes a savepoint of this one
                for k, part in enumerate(done, 1):
                    if progress:
                        progress(f"Menulis {k}/{len(done)}: {part.posyandu} ({part.result.rows} baris)")
                    _write(part.plan, part.persons, part.posyandu, acting_user, part.result)  # type: ignore[arg-type]
        except _Stale:
            result.errors = [(0, STALE_MESSAGE)]
            return result
        result.seconds["write"] = time.perf_counter() - written
    for part in done:
        result.absorb(part.result)
        result.parts.append({"posyandu_id": part.posyandu.pk, "posyandu": str(part.posyandu),
                             "rows": part.result.rows, "persons_created": part.result.persons_created,
                             "visits_created": part.result.visits_created,
                             "visits_skipped": part.result.visits_skipped, "errors": len(part.result.errors)})
    result.errors.sort()
    result.warnings.sort()
    return result


def _one_part_per_nik(sheet: _Sheet, columns: dict[str, int], parts: list[tuple[Posyandu, list[int]]],
                      result: ImportResult) -> list[tuple[Posyandu, list[int]]]:
    """Rows of one valid NIK moved to the part holding its latest measurement."""
    nik_at, date_at = columns.get("nik"), columns.get("visit_date")
    if nik_at is None or len(parts) < 2:
        return parts
    places: dict[str, list[tuple[int, int]]] = {}
    for k, (_, indexes) in enumerate(parts):
        for i in indexes:
            nik, _message = parse_nik(sheet.rows[i][nik_at])
            if nik:
                places.setdefault(nik, []).append((k, i))

    def when(i: int) -> tuple[dt.date, int]:
        day = parse_date(sheet.rows[i][date_at]) if date_at is not None else None
        return (day or dt.date.min, sheet.row_numbers[i])

    moves: dict[int, int] = {}
    for nik, found in places.items():
        if len({k for k, _ in found}) < 2:
            continue
        last = max(found, key=lambda kp: when(kp[1]))[0]
        moves.update({i: last for k, i in found if k != last})
        shown = ", ".join(str(sheet.row_numbers[i]) for _, i in found[:10])
        result.warnings.append((sheet.row_numbers[found[0][1]], f"NIK {nik} tercatat di lebih dari satu Posyandu dalam "
                                f"berkas ini (baris {shown}): semua barisnya diimpor ke {parts[last][0]}, Posyandu "
                                "pengukuran terakhirnya."))
    if not moves:
        return parts
    out = [(posyandu, [i for i in indexes if moves.get(i, k) == k]) for k, (posyandu, indexes) in enumerate(parts)]
    for i, k in moves.items():
        out[k][1].append(i)
    return [(posyandu, sorted(indexes)) for posyandu, indexes in out]


def _parse_rows(sheet: _Sheet, columns: dict[str, int], errors: _Errors, posyandu: Posyandu, notes: _Errors,
                check_area: bool = True) -> list[_Row]:
    """Every cell checked; column-wise where it pays (dates, numbers, codes repeat few values).
    `notes` collects what is read with a warning (a NIK to fix, a date with nothing measured)."""
    data = sheet.rows
    n = len(data)
    numbers = sheet.row_numbers

    def column(role: str) -> list[Any] | None:
        j = columns.get(role)
        return None if j is None else [r[j] for r in data]

    def add(mask: np.ndarray, message: Callable[[int], str]) -> None:
        for i in np.flatnonzero(mask).tolist():
            errors.add(numbers[i], message(i))

    names = [_text(c) for c in column("name") or []]
    for i, name in enumerate(names):
        if not name or name == "-":
            errors.add(numbers[i], "nama kosong.")
        elif len(name) > 150:
            errors.add(numbers[i], "nama lebih dari 150 huruf.")

    raw_sex = column("sex") or []
    sex_codes, bad_sex = cells.codes(raw_sex, SEX_WORDS)
    add(bad_sex, lambda i: f"jenis kelamin tidak dikenal: {_show(raw_sex[i])} (isi L atau P).")
    add((sex_codes == 0) & ~bad_sex, lambda i: "jenis kelamin kosong (isi L atau P).")

    raw_dob = column("dob") or []
    dob_days, bad_dob = cells.dates(raw_dob)
    add(bad_dob, lambda i: f"tanggal lahir tidak valid: {_show(raw_dob[i])} (contoh: 21/11/2024 atau 2024-11-21).")
    add(np.isnan(dob_days) & ~bad_dob, lambda i: "tanggal lahir kosong.")
    today_number = float(timezone.localdate().toordinal() - EPOCH_ORDINAL)
    with np.errstate(invalid="ignore"):
        add(dob_days > today_number, lambda i: f"tanggal lahir {_show(raw_dob[i])} di masa depan.")

    raw_visit = column("visit_date")
    if raw_visit is not None:
        visit_days, bad_visit = cells.dates(raw_visit)
        add(bad_visit, lambda i: f"tanggal ukur tidak valid: {_show(raw_visit[i])} (contoh: 21/11/2025 atau 2025-11-21).")
        with np.errstate(invalid="ignore"):
            add(visit_days > today_number, lambda i: f"tanggal ukur {_show(raw_visit[i])} di masa depan.")
            add(visit_days < dob_days, lambda i: "Tanggal kunjungan sebelum tanggal lahir.")
    else:
        visit_days = np.full(n, np.nan)

    measured: dict[str, np.ndarray] = {}
    for role, (field_name, _) in MEASURES.items():
        raw = column(role)
        if raw is None:
            measured[role] = np.full(n, np.nan)
            continue
        label = rules.LABELS[field_name]
        clocks = _clock_cells(raw)
        for i, (hours, minutes) in clocks.items():
            errors.add(numbers[i], _clock_message(label, hours, minutes))
        values, bad = cells.numbers(raw)
        if clocks:
            bad[list(clocks)] = False
        add(bad, lambda i, r=raw, lb=label: f"{lb} bukan angka: {_show(r[i])}.")
        # e-PPGBM writes 0 (LiLA, LK, sometimes Tinggi) for "not measured": nobody measures a 0.
        values[values == 0] = np.nan
        measured[role] = values
    any_measure = np.zeros(n, dtype=bool)
    for values in measured.values():
        any_measure |= ~np.isnan(values)
    if raw_visit is not None:
        add(any_measure & np.isnan(visit_days) & ~bad_visit,
            lambda i: "tanggal ukur kosong padahal ada hasil pengukuran.")
    elif any_measure.any():
        errors.add(sheet.header_row, "kolom tanggal ukur tidak ditemukan padahal ada hasil pengukuran.")
    # A date with nothing measured (all 0, "-" or empty): e-PPGBM lists registered children that way.
    # The child is registered; there is no measurement to record.
    dated_only = ~any_measure & ~np.isnan(visit_days)
    for i in np.flatnonzero(dated_only).tolist():
        notes.add(numbers[i], "tanggal ukur terisi tetapi berat, tinggi, LILA dan lingkar kepala kosong atau 0: "
                  "hanya pendaftaran anak yang diimpor, tanpa kunjungan.")

    raw_position = column("position")
    position_codes = np.zeros(n, dtype=np.int8)
    if raw_position is not None:
        position_codes, bad_position = cells.codes(raw_position, MEASURE_WORDS)
        add(bad_position, lambda i: f"cara ukur tidak dikenal: {_show(raw_position[i])} (isi Terlentang atau Berdiri).")

    raw_nik = column("nik")
    niks = [""] * n
    nik_raw = [""] * n
    if raw_nik is not None:
        for i, cell in enumerate(raw_nik):
            niks[i], message = parse_nik(cell)
            if message:
                # The child is real all the same (DOMAIN.md): registered without a NIK, the cell kept
                # for the "NIK perlu diperbaiki" list, matched by name, birth date and mother.
                nik_raw[i] = _nik_text(cell)
                notes.add(numbers[i], f"NIK perlu diperbaiki: {message} Anak tetap diimpor tanpa NIK (dicocokkan "
                          "dengan nama, tanggal lahir dan nama ibu) dan masuk daftar \"NIK perlu diperbaiki\".")

    if check_area:
        _check_area(column, numbers, errors, posyandu)
    services = _parse_services(column, n, numbers, errors)
    if raw_visit is not None:
        given = np.array([services["vitamin_a"][i] or bool(services["development"][i])
                          or services["supplementary_food"][i] for i in range(n)], dtype=bool)
        add(given & np.isnan(visit_days) & ~bad_visit,
            lambda i: "tanggal ukur kosong padahal ada data pelayanan (vitamin A, KPSP atau PMT).")

    source_kms, source_labels, source_z = _parse_source(column, n)
    mothers = [_text(c) for c in column("mother") or [""] * n]
    for i, mother in enumerate(mothers):
        if mother == "-":
            mothers[i] = ""
        elif len(mother) > 150:
            errors.add(numbers[i], "nama ibu lebih dari 150 huruf.")
    addresses = _addresses(column, n)
    bad_rows = {number for number, _ in errors.items}

    dates: dict[float, dt.date | None] = {}
    quantized: dict[tuple[str, float], Decimal] = {}
    out: list[_Row] = []
    for i in range(n):
        if numbers[i] in bad_rows:
            continue  # reported already; later stages check the valid rows only
        values: dict[str, Decimal | None] = {}
        for role, (_, places) in MEASURES.items():
            v = float(measured[role][i])
            if math.isnan(v):
                values[role] = None
            else:
                key = (role, v)
                if key not in quantized:
                    quantized[key] = _quantize(v, places)
                values[role] = quantized[key]
        dob = dates.get(dob_days[i]) or dates.setdefault(dob_days[i], _date_of(float(dob_days[i])))
        visit = None if math.isnan(visit_days[i]) or dated_only[i] else (
            dates.get(visit_days[i]) or dates.setdefault(visit_days[i], _date_of(float(visit_days[i]))))
        position = {1: "l", 2: "h"}.get(int(position_codes[i]), "")
        assert dob is not None
        out.append(_Row(index=i, number=numbers[i], nik=niks[i], name=names[i], sex="L" if sex_codes[i] == 1 else "P",
                        dob=dob, mother=mothers[i], address=addresses[i], visit_date=visit, values=values,
                        position=position, vitamin_a=services["vitamin_a"][i],
                        vitamin_a_count=services["vitamin_a_count"][i], development=services["development"][i],
                        supplementary_food=services["supplementary_food"][i], kia=services["kia"][i],
                        nik_raw=nik_raw[i], source_kms=source_kms[i], source_labels=source_labels[i],
                        source_z=source_z[i]))
    return out


def _nik_text(cell: Any) -> str:
    """The NIK cell as the user would read it back (a number without Excel's '.0' or exponent)."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))[:40]
    return _text(cell).replace(" ", "").lstrip("'")[:40]


def _clock_of(cell: Any) -> tuple[int, int] | None:
    """(hours, minutes) when a numeric cell holds a time or duration instead of a number."""
    if isinstance(cell, dt.datetime):
        if cell.year > 1900:
            return None  # a real date: not a mangled decimal
        minutes = round((cell - dt.datetime(1899, 12, 30)).total_seconds() / 60)
        return divmod(minutes, 60)
    if isinstance(cell, dt.time):
        return cell.hour, cell.minute
    if isinstance(cell, dt.timedelta):
        return divmod(round(cell.total_seconds() / 60), 60)
    if isinstance(cell, str):
        match = _CLOCK.match(cell.replace("\xa0", " ").strip())
        if match:
            return int(match[1]), int(match[2])
    return None


def _clock_cells(raw: list[Any]) -> dict[int, tuple[int, int]]:
    found: dict[int, tuple[int, int]] = {}
    for i, cell in enumerate(raw):
        if isinstance(cell, (float, int)) or cell is None:
            continue  # the usual case, skipped at once
        clock = _clock_of(cell)
        if clock is not None:
            found[i] = clock
    return found


def _clock_message(label: str, hours: int, minutes: int) -> str:
    readings = f"{hours},{minutes} atau {hours},{minutes:02d}" if minutes < 10 else f"{hours},{minutes:02d}"
    return (f"{label} terbaca sebagai jam/durasi {hours:02d}:{minutes:02d}, bukan angka: berkas ini pernah disimpan "
            "oleh Excel dengan pengaturan wilayah Indonesia, yang mengubah angka bertitik menjadi waktu. Nilai "
            f"aslinya mungkin {readings} dan tidak dapat dipastikan. Ketik ulang nilai ini dengan koma (mis. 7,7), "
            "atau unduh ulang berkas dari e-PPGBM dan impor tanpa membuka dan menyimpannya di Excel.")


def _labels(name: str) -> dict[str, str]:
    return _source_vocabulary()[name]


@functools.cache
def _source_vocabulary() -> dict[str, dict[str, str]]:
    data = json.loads((Path(__file__).parent / "data" / "eppgbm_labels.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _parse_source(column: Callable[[str], list[Any] | None], n: int
                  ) -> tuple[list[str], list[tuple[str, str, str]], list[tuple[float | None, float | None, float | None]]]:
    """e-PPGBM's own results per row: N/T/O/B, its three categories read as Permenkes labels (an
    unknown label kept as '?label'), and its z-scores without the 999.99 sentinel."""
    raw = column("source_kms")
    kms = [""] * n
    if raw is not None:
        kms = [SOURCE_KMS.get(" ".join(normalize_text(c).split()), "") for c in raw]
    per_label: list[list[str]] = []
    for name in SOURCE_LABELS:
        raw = column(f"source_{name}")
        words = _labels(name)
        if raw is None:
            per_label.append([""] * n)
            continue
        out = []
        for cell in raw:
            key = " ".join(normalize_text(cell).split())
            out.append("" if key in ("", "-") else words.get(key, "?" + key))
        per_label.append(out)
    per_z: list[list[float | None]] = []
    for name in SOURCE_LABELS:
        raw = column(f"source_zs_{name}")
        if raw is None:
            per_z.append([None] * n)
            continue
        values, _ = cells.numbers(raw)
        per_z.append([None if math.isnan(v) or abs(v) >= Z_SENTINEL else v for v in values.tolist()])
    return kms, list(zip(*per_label)), list(zip(*per_z))


def _words(raw: list[Any], words: dict[str, Any]) -> tuple[list[Any], list[int]]:
    """Each cell looked up in a vocabulary, each distinct cell once: (the value, None when the cell
    is empty or "-"; the indexes of filled cells that are not in the vocabulary)."""
    unknown = object()
    cache: dict[Any, Any] = {}
    values: list[Any] = []
    bad: list[int] = []
    for i, cell in enumerate(raw):
        try:
            value = cache[cell]
        except KeyError:
            key = " ".join(normalize_text(cell).split())
            value = cache[cell] = None if key in ("", "-") else words.get(key, unknown)
        if value is unknown:
            bad.append(i)
            value = None
        values.append(value)
    return values, bad


def _parse_services(column: Callable[[str], list[Any] | None], n: int, numbers: list[int],
                    errors: _Errors) -> dict[str, list[Any]]:
    """The service columns (see the module docstring), with "-" and empty as "not given/not said"."""
    out: dict[str, list[Any]] = {"vitamin_a": [False] * n, "vitamin_a_count": [None] * n, "development": [""] * n,
                                 "supplementary_food": [False] * n, "kia": [None] * n}
    raw = column("development")
    if raw is not None:
        values, bad = _words(raw, DEVELOPMENT_WORDS)
        out["development"] = [v or "" for v in values]
        for i in bad:
            errors.add(numbers[i], f"KPSP tidak dikenal: {_show(raw[i])} (isi Sesuai, Meragukan atau Penyimpangan; "
                       "'-' bila tidak diperiksa).")
    raw = column("vitamin_a")
    if raw is not None:
        values, bad = _words(raw, YES_NO)
        out["vitamin_a"] = [bool(v) for v in values]
        for i in bad:
            errors.add(numbers[i], f"vitamin A tidak dikenal: {_show(raw[i])} (isi Ya atau Tidak).")
    raw = column("kia")
    if raw is not None:
        out["kia"], bad = _words(raw, KIA_WORDS)
        for i in bad:
            errors.add(numbers[i], f"KIA tidak dikenal: {_show(raw[i])} (isi Ya, Sesuai atau Tidak; '-' bila belum "
                       "diketahui).")
    raw = column("vitamin_a_count")
    if raw is not None:
        counts, bad_mask = cells.numbers(raw)
        with np.errstate(invalid="ignore"):
            bad_mask |= ~np.isnan(counts) & ((counts < 0) | (counts != np.floor(counts)))
        for i in np.flatnonzero(bad_mask).tolist():
            errors.add(numbers[i], f"Jml Vit A harus bilangan bulat 0 atau lebih: {_show(raw[i])}.")
        out["vitamin_a_count"] = [None if math.isnan(c) else int(c) for c in counts.tolist()]
    raw = column("supplementary_food")
    if raw is not None:
        kilograms, not_number = cells.numbers(raw)  # e-PPGBM: kg received; a simple sheet may say Ya/Tidak
        words, _ = _words(raw, YES_NO)
        food = out["supplementary_food"]
        for i in range(n):
            if not_number[i]:
                if words[i] is None:
                    errors.add(numbers[i], f"PMT tidak dikenal: {_show(raw[i])} (isi jumlah kg yang diterima, "
                               "atau Ya/Tidak).")
                else:
                    food[i] = words[i]
            elif kilograms[i] < 0:
                errors.add(numbers[i], f"PMT tidak boleh negatif: {_show(raw[i])}.")
            else:
                food[i] = bool(kilograms[i] > 0)
    return out


def _addresses(column: Callable[[str], list[Any] | None], n: int) -> list[str]:
    street, rt, rw = column("address"), column("rt"), column("rw")
    out = []
    for i in range(n):
        parts = [_text(street[i]) if street else ""]
        rt_i, rw_i = (_text(rt[i]) if rt else ""), (_text(rw[i]) if rw else "")
        if rt_i not in ("", "-") or rw_i not in ("", "-"):
            parts.append(f"RT {rt_i or '-'}/RW {rw_i or '-'}")
        out.append(", ".join(p for p in parts if p and p != "-")[:250])
    return out


def _check_area(column: Callable[[str], list[Any] | None], numbers: list[int], errors: _Errors,
                posyandu: Posyandu) -> None:
    """Rows naming another province, kab/kota, kecamatan or desa than the Posyandu's are errors."""
    codes = ancestors_of(posyandu.region_code) + [posyandu.region_code]
    regions = {r.level: r for r in Region.objects.current().filter(code__in=codes)}
    for role, level, label in AREA_LEVELS:
        raw = column(role)
        region = regions.get(level)
        if raw is None or region is None:
            continue
        verdicts: dict[str, bool] = {}
        for i, cell in enumerate(raw):
            text = _text(cell)
            if text in ("", "-"):
                continue
            if text not in verdicts:
                verdicts[text] = _area_matches(text, region)
            if not verdicts[text]:
                errors.add(numbers[i], f"{label} {text!r} bukan wilayah Posyandu ini ({region.title}).")


def _plan_persons(rows: list[_Row], posyandu: Posyandu, errors: _Errors, result: ImportResult) -> list[_PlannedPerson]:
    """One planned person per child in the file: matched by NIK, else by name + birth date (and the
    mother's name where that is not enough) within this Posyandu; otherwise new. Two children with
    the same name and birth date but different NIKs stay two, listed for review as possible
    duplicates (twins have different names)."""
    planned: list[_PlannedPerson] = []
    by_nik: dict[str, int] = {}
    by_name: dict[tuple[str, dt.date], int] = {}
    for row in rows:
        key = by_nik.get(row.nik) if row.nik else None
        if key is None:
            key = by_name.get((_name_key(row.name), row.dob))
            if key is not None and row.nik and planned[key].nik and planned[key].nik != row.nik:
                result.possible_duplicates.append((planned[key].first_row, row.number, row.name))
                key = None  # same name and birth date, different NIK: namesakes, or one NIK mistyped
        if key is None:
            key = len(planned)
            planned.append(_PlannedPerson(row.number, row.nik, row.name, row.sex, row.dob, row.mother, row.address,
                                          nik_raw=row.nik_raw))
            by_name.setdefault((_name_key(row.name), row.dob), key)
        person = planned[key]
        if row.nik:
            by_nik.setdefault(row.nik, key)
            person.nik = person.nik or row.nik
        if person.sex != row.sex or person.dob != row.dob:
            errors.add(row.number, f"jenis kelamin atau tanggal lahir berbeda dengan baris {person.first_row} "
                       "untuk orang yang sama.")
        person.mother = person.mother or row.mother
        person.address = person.address or row.address
        person.nik_raw = person.nik_raw or row.nik_raw
        if row.kia is not None and (row.visit_date or dt.date.min, row.number) >= person.kia_seen:
            person.kia, person.kia_seen = row.kia, (row.visit_date or dt.date.min, row.number)
        row.person_key = key

    # Against the database: NIK is unique in the whole system; name + birth date within this Posyandu.
    niks = [p.nik for p in planned if p.nik]
    known_nik: dict[str, dict[str, Any]] = {}
    fields = ("pk", "nik", "name", "sex", "birth_date", "posyandu_id", "mother_id", "has_kia_book", "nik_as_imported",
              "mother__name")
    for chunk in _chunks(niks, 500):
        for record in Person.objects.filter(nik__in=chunk).values(*fields):
            known_nik[record["nik"]] = record
    local: dict[tuple[str, dt.date | None], list[dict[str, Any]]] = {}
    for record in Person.objects.filter(posyandu=posyandu).values(*fields):
        local.setdefault((_name_key(record["name"]), record["birth_date"]), []).append(record)
    taken: dict[int, int] = {}
    for key, person in enumerate(planned):
        existing = known_nik.get(person.nik) if person.nik else None
        if existing is not None and existing["posyandu_id"] != posyandu.pk:
            errors.add(person.first_row, f"NIK {person.nik} sudah terdaftar untuk orang di Posyandu lain "
                       "(pindahkan dulu orang tersebut ke Posyandu ini).")
            continue
        if existing is None:
            namesakes = local.get((_name_key(person.name), person.dob), [])
            candidates = [r for r in namesakes if not person.nik or not r["nik"]]
            if len(candidates) > 1 and person.mother:
                same_mother = [r for r in candidates if _name_key(r["mother__name"] or "") == _name_key(person.mother)]
                candidates = same_mother or candidates
            if person.nik:
                result.possible_duplicates += [(person.first_row, 0, f"{person.name} (terdaftar dengan NIK {r['nik']})")
                                               for r in namesakes if r["nik"] and r["nik"] != person.nik]
            if len(candidates) > 1:
                errors.add(person.first_row, f"ada {len(candidates)} orang bernama {person.name} dengan tanggal lahir "
                           "yang sama di Posyandu ini: isi NIK untuk membedakan.")
                continue
            existing = candidates[0] if candidates else None
        if existing is None:
            continue
        if existing["pk"] in taken:
            errors.add(person.first_row, f"orang ini sama dengan orang pada baris {planned[taken[existing['pk']]].first_row} "
                       "tetapi NIK berbeda.")
            continue
        taken[existing["pk"]] = key
        if existing["sex"] != person.sex:
            errors.add(person.first_row, f"jenis kelamin berbeda dengan data {existing['name']} yang sudah terdaftar.")
        if existing["birth_date"] and existing["birth_date"] != person.dob:
            errors.add(person.first_row, f"tanggal lahir berbeda dengan data {existing['name']} yang sudah terdaftar "
                       f"({existing['birth_date']:%d-%m-%Y}).")
        person.existing = existing
        if person.nik and not existing["nik"]:
            person.updates["nik"] = person.nik  # a NIK to fix, corrected in this export
            person.updates["nik_as_imported"] = ""
        elif not person.nik and not existing["nik"] and person.nik_raw and person.nik_raw != existing["nik_as_imported"]:
            person.updates["nik_as_imported"] = person.nik_raw
        if not existing["birth_date"]:
            person.updates["birth_date"] = person.dob
        if person.kia is not None and person.kia != existing["has_kia_book"]:
            person.updates["has_kia_book"] = person.kia
    return planned


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass
class _Plan:
    rows: list[_Row]  # rows that become visits
    results: list[dict[str, Any]]
    reasons: list[list[str]]
    dates: list[dt.date]  # session dates, existing or new
    mothers: dict[str, dict[str, Any] | None]  # name key -> existing mother record (None: create)
    # Visits in the database after an imported weighing whose KMS reading changes: pk -> new reading.
    later: dict[int, _Later] = field(default_factory=dict)
    # The weighings each KMS series was computed from (person id -> (pk, date, weight) in date order),
    # checked again under the lock: a weighing recorded meanwhile would change the readings.
    series: dict[int, tuple[tuple[int, dt.date, Decimal], ...]] = field(default_factory=dict)
    # Every measured row (new visits and those already recorded) that carries e-PPGBM's own results,
    # for the reconciliation once written.
    compared: list[_Row] = field(default_factory=list)


class _Later(NamedTuple):
    kms: tuple[Any, ...]  # the new (kms_status, two_t, bgm), then with kms_from_source once compared
    day: dt.date
    posyandu_id: int
    row: int  # the spreadsheet row of the person's earliest imported weighing, for messages


def _plan_visits(rows: list[_Row], persons: list[_PlannedPerson], posyandu: Posyandu, errors: _Errors,
                 result: ImportResult) -> _Plan:
    """Validate the measurements as record_visit does and compute every result column-wise."""
    existing_ids = [p.existing["pk"] for p in persons if p.existing]
    history: dict[int, list[tuple[int, dt.date, Decimal]]] = {}  # person id -> weighings (pk, date, weight)
    recorded: dict[tuple[int, dt.date], tuple[Decimal | None, Decimal | None]] = {}
    for chunk in _chunks(existing_ids, 500):
        for pk, person_id, day, weight, height in Visit.objects.filter(person_id__in=chunk).values_list(
                "pk", "person_id", "visit_date", "weight_kg", "height_cm"):
            if weight is not None:
                history.setdefault(person_id, []).append((pk, day, weight))
            recorded[(person_id, day)] = (weight, height)
    pregnancies: dict[int, list[Pregnancy]] = {}
    female_ids = [p.existing["pk"] for p in persons if p.existing and p.sex == "P"]
    for chunk in _chunks(female_ids, 500):
        for pregnancy in Pregnancy.objects.filter(person_id__in=chunk):
            pregnancies.setdefault(pregnancy.person_id, []).append(pregnancy)

    measured: list[_Row] = []
    seen: dict[tuple[int, dt.date], _Row] = {}
    for row in rows:
        if row.visit_date is None:
            continue
        key = (row.person_key, row.visit_date)
        if key in seen:
            first = seen[key]
            if not first.same_visit(row):
                errors.add(row.number, f"pengukuran berbeda untuk orang dan tanggal yang sama dengan baris {first.number}.")
            continue  # an identical duplicate line is harmless
        seen[key] = row
        measured.append(row)
    for row in measured:
        row.months = rules.completed_months(row.dob, row.visit_date)  # type: ignore[arg-type]
    _vitamin_a_from_counts(measured, result)
    # Every row is checked, also those that will be skipped as already recorded.
    _check_plausible(measured, [rules.plausibility_band(r.months) for r in measured], errors, result)
    if errors.items:  # from this stage or an earlier one: nothing will be written, skip the computing
        return _Plan([], [], [], [], {})

    visits: list[_Row] = []
    for row in measured:
        person = persons[row.person_key]
        before = recorded.get((person.existing["pk"], row.visit_date)) if person.existing else None
        if before is None:
            visits.append(row)
            continue
        result.visits_skipped += 1
        if before != (row.values["weight"], row.values["height"]):
            result.warnings.append((row.number, f"{person.name} sudah tercatat pada {row.visit_date:%d-%m-%Y} dengan "
                                    f"nilai lain; baris ini dilewati (ubah kunjungan itu bila perlu)."))
    n = len(visits)
    child = np.array([r.months < 228 for r in visits], dtype=bool)

    # WHO measures lying below 24 months and standing from 24: without Cara Ukur the kader did too.
    for row in visits:
        if not row.position and row.values["height"] is not None and row.months < 228:
            row.position = "l" if row.months < 24 else "h"

    results: list[dict[str, Any]] = [{} for _ in range(n)]
    stages = [_stage(persons[r.person_key], r, pregnancies) for r in visits]
    age_days = np.array([(r.visit_date - r.dob).days for r in visits], dtype=np.float64)  # type: ignore[operator]
    for i, r in enumerate(visits):
        results[i].update(age_days=int(age_days[i]), age_months=r.months, stage=stages[i] or "")

    def floats(role: str) -> np.ndarray:
        return np.array([np.nan if r.values[role] is None else float(r.values[role]) for r in visits],  # type: ignore[arg-type]
                        dtype=np.float64)

    weight, height, head, muac = floats("weight"), floats("height"), floats("head"), floats("muac")
    idx = np.flatnonzero(child)
    if idx.size:
        scored = growth.assess(
            sex=np.array([1 if visits[i].sex == "L" else 2 for i in idx], dtype=np.int8), age_days=age_days[idx],
            weight=weight[idx], lenhei=height[idx],
            measure=np.array([visits[i].position or None for i in idx], dtype=object),
            oedema=np.array(["n"] * idx.size, dtype=object), headc=head[idx], armc=muac[idx])
        flagged = np.zeros(idx.size, dtype=bool)
        zs: dict[str, list[float | None]] = {}
        for z, f in (("zwei", "fwei"), ("zlen", "flen"), ("zwfl", "fwfl"), ("zbmi", "fbmi"), ("zhc", "fhc"),
                     ("zac", "fac")):
            values = scored[z].astype(np.float64)
            zs[z] = [None if math.isnan(v) else v for v in values.tolist()]
            flagged |= scored[f] == 1
        labels = {name: scored[key].tolist() for name, key in
                  (("bb_u", "bb_u"), ("tb_u", "pb_tb_u"), ("bb_tb", "bb_pb_tb"), ("imt_u", "imt_u"))}
        head_flagged = (scored["fhc"] == 1).tolist()
        for j, i in enumerate(idx.tolist()):
            out = results[i]
            for z in zs:
                out[z] = zs[z][j]
            out["z_flagged"] = bool(flagged[j])
            for name in labels:
                out[name] = labels[name][j] or ""
            out["lk_u"] = rules.head_circumference_category(out["zhc"], flagged=head_flagged[j])
        later, series = _kms(visits, persons, results, history)
    else:
        later, series = {}, {}
    later = _without_locked_months(later, persons, visits, result)

    for i, r in enumerate(visits):
        out = results[i]
        w, h = r.values["weight"], r.values["height"]
        if w and h and r.months >= 228:
            bmi = round(float(w) / (float(h) / 100) ** 2, 1)
            out.update(bmi=bmi, bmi_category=rules.adult_bmi_category(bmi))
        if r.months >= 180 or out["stage"] in ("ibu_hamil", "ibu_nifas"):
            muac_value = None if r.values["muac"] is None else float(r.values["muac"])  # type: ignore[arg-type]
            out["kek"] = rules.is_kek(muac_value) if r.sex == "P" else None
            out["hypertension"] = rules.is_hypertensive(None, None)
            out["central_obesity"] = rules.has_central_obesity(None, r.sex)
            out["glucose_status"] = rules.glucose_status(None) or ""
        if out["stage"] == "lansia":
            out["dependent"] = rules.is_dependent(None)
        out["muac_red"] = rules.is_muac_red(None if r.values["muac"] is None else float(r.values["muac"]),  # type: ignore[arg-type]
                                            r.months)
        # What else referral_reasons reads (services.REASON_INPUTS): the KPSP result; no danger
        # signs, TBC screening or PUMA in these files.
        out.update(danger_signs=[], development=r.development, tbc_cough=None, tbc_fever=None, tbc_weight=None,
                   tbc_contact=None)
    reasons = [rules.referral_reasons(out) for out in results]

    mothers = _plan_mothers(persons, posyandu)
    existing_dates = set(ServiceSession.objects.filter(posyandu=posyandu, pos__isnull=True)
                         .values_list("date", flat=True))
    dates = sorted({r.visit_date for r in visits})  # type: ignore[type-var]
    result.persons_matched = sum(1 for p in persons if p.existing)
    result.persons_created = len(persons) - result.persons_matched
    result.persons_updated = sum(1 for p in persons if p.updates)
    result.nik_to_fix = sum(1 for p in persons if not p.nik and p.nik_raw and not (p.existing and p.existing["nik"]))
    result.mothers_created = sum(1 for m in mothers.values() if m is None)
    result.sessions_created = sum(1 for d in dates if d not in existing_dates)
    result.visits_created = n
    result.referrals_proposed = sum(1 for r in reasons if r)
    result.later_visits_updated = len(later)
    for p in persons:
        for message in nik_warnings(p.nik, sex=p.sex, birth_date=p.dob):
            result.warnings.append((p.first_row, f"{p.name}: {message}"))
    result.warnings.sort()
    compared = [r for r in measured if r.source_kms or any(r.source_labels)]
    return _Plan(visits, results, reasons, dates, mothers, later, series, compared)  # type: ignore[arg-type]


def _check_plausible(visits: list[_Row], bands: list[str], errors: _Errors, result: ImportResult) -> None:
    """rules.check_plausible, asked only for rows with a value outside the usual range (few)."""
    limits = rules.rules()["plausible"]
    suspicious = np.zeros(len(visits), dtype=bool)
    for role, (field_name, _) in MEASURES.items():
        spec = limits.get(field_name)
        if spec is None:
            continue
        values = np.array([np.nan if r.values[role] is None else float(r.values[role]) for r in visits],  # type: ignore[arg-type]
                          dtype=np.float64)
        usual = {band: spec.get("usual") or spec.get(f"usual_{band}") or spec.get("usual_adult")
                 for band in ("child", "school", "adult")}
        low = np.array([usual[b][0] for b in bands], dtype=np.float64)
        high = np.array([usual[b][1] for b in bands], dtype=np.float64)
        with np.errstate(invalid="ignore"):
            suspicious |= (values < low) | (values > high)
    for i in np.flatnonzero(suspicious).tolist():
        row = visits[i]
        check = rules.check_plausible(
            {field_name: None if row.values[role] is None else float(row.values[role])  # type: ignore[arg-type]
             for role, (field_name, _) in MEASURES.items()}, band=bands[i])
        if check.errors and _swapped(row, bands[i]):
            errors.add(row.number, f"berat {row.values['weight']} dan tinggi {row.values['height']} tampaknya "
                       "tertukar (dengan kedua nilai ditukar, keduanya wajar): periksa dan tukar kembali.")
            continue
        for field_name, message in check.errors.items():
            if field_name == "weight_kg" and row.values["weight"] is not None and row.values["weight"] > 300:
                message += " Mungkin ditulis dalam gram?"
            errors.add(row.number, message)
        refused = None if check.errors else _refused_child_weight(row)
        if refused:
            errors.add(row.number, refused)
        elif check.warnings and not check.errors:
            result.unusual_values += 1
            for message in check.warnings.values():
                result.warnings.append((row.number, message.split(":")[0] + " (diterima dari berkas)."))


def _swapped(row: _Row, band: str) -> bool:
    """Weight and length typed in each other's column: impossible as typed, usual once swapped."""
    weight, height = row.values["weight"], row.values["height"]
    if weight is None or height is None:
        return False
    swapped = rules.check_plausible({"weight_kg": float(height), "height_cm": float(weight)}, band=band)
    return not swapped.errors and not swapped.warnings


def _refused_child_weight(row: _Row) -> str | None:
    """A young child's weight that no measurement gives (rules.json import_refused): an error, not
    a value to confirm, since nobody confirms an imported row."""
    limits = rules.rules()["import_refused"]
    weight, height = row.values["weight"], row.values["height"]
    if weight is None or row.months >= limits["child_under_months"]:
        return None
    if height is not None and weight > height:
        return (f"berat {weight} kg lebih besar dari tinggi {height} cm untuk anak {row.months} bulan: berat dan "
                "tinggi tampaknya tertukar.")
    if weight > limits["weight_kg_max"]:
        return (f"berat {weight} kg tidak mungkin untuk anak {row.months} bulan (lebih dari {limits['weight_kg_max']} "
                "kg): mungkin ditulis dalam gram atau tertukar dengan tinggi?")
    if weight < limits["weight_kg_min_after_first_month"] and row.months >= 1:
        return (f"berat {weight} kg tidak mungkin untuk anak {row.months} bulan (kurang dari "
                f"{limits['weight_kg_min_after_first_month']} kg): mungkin berat lahir atau salah ketik?")
    return None


def _stage(person: _PlannedPerson, row: _Row, pregnancies: dict[int, list[Pregnancy]]) -> str | None:
    """services.stage_for without a query per person: pregnancies were fetched at once."""
    if person.sex == "P" and person.existing:
        for pregnancy in pregnancies.get(person.existing["pk"], []):
            stage = pregnancy.stage_on(row.visit_date)  # type: ignore[arg-type]
            if stage:
                return stage
    return rules.life_stage(row.dob, row.visit_date)  # type: ignore[arg-type]


def _kms(visits: list[_Row], persons: list[_PlannedPerson], results: list[dict[str, Any]],
         history: dict[int, list[tuple[int, dt.date, Decimal]]]
         ) -> tuple[dict[int, _Later], dict[int, tuple[tuple[int, dt.date, Decimal], ...]]]:
    """KMS N/T/O/B, 2T and BGM: one growth.kms_series per child over the weighings already in the
    database and those in the file. A status depends only on earlier weighings, so each new visit
    gets exactly what record_visit would give it when entered in date order; the same series gives
    the visits already recorded after the child's first imported weighing their new reading, as
    services._refresh_later_kms does for a weighing entered late.

    Returns those later visits whose reading changes, and each series' weighings from the database."""
    by_person: dict[int, list[int]] = {}
    for i, r in enumerate(visits):
        if r.months < 60 and r.values["weight"] is not None:
            by_person.setdefault(r.person_key, []).append(i)
    weighed_in_file: dict[int, list[int]] = {}
    for i, r in enumerate(visits):
        if r.values["weight"] is not None:
            weighed_in_file.setdefault(r.person_key, []).append(i)
    candidates: dict[int, _Later] = {}  # weighings in the database after an imported one: their new reading
    snapshots: dict[int, tuple[tuple[int, dt.date, Decimal], ...]] = {}
    for key, targets in by_person.items():
        person = persons[key]
        series: list[tuple[dt.date, float, int | None, int | None]] = []  # date, weight, file row index, visit pk
        if person.existing:
            known = tuple(sorted(history.get(person.existing["pk"], []), key=lambda k: (k[1], k[0])))
            series += [(day, float(weight), None, pk) for pk, day, weight in known]
            snapshots[person.existing["pk"]] = known
        series += [(visits[i].visit_date, float(visits[i].values["weight"]), i, None)  # type: ignore[arg-type, misc]
                   for i in weighed_in_file[key]]
        series.sort(key=lambda s: s[0])
        readings = growth.kms_series(1 if person.sex == "L" else 2, [s[0] for s in series], [s[1] for s in series],
                                     dob=person.dob)
        wanted = set(targets)
        first = min(weighed_in_file[key], key=lambda i: (visits[i].visit_date, visits[i].number))
        first_day = visits[first].visit_date
        for (day, _, i, pk), reading in zip(series, readings):
            new = (reading.status or "", bool(reading.two_t), bool(reading.bgm))
            if i is not None:
                if i in wanted:
                    status, from_source = rules.kms_with_source(new[0], visits[i].source_kms)
                    results[i].update(kms_status=status, kms_from_source=from_source, two_t=new[1], bgm=new[2])
            elif day > first_day:  # type: ignore[operator]
                candidates[pk] = _Later(new, day, 0, visits[first].number)  # type: ignore[index]
    # What those visits hold now: read only for them (usually none: the file's months are the latest).
    later: dict[int, _Later] = {}
    for chunk in _chunks(sorted(candidates), 500):
        for pk, status, from_source, source, two_t, bgm, age, place in Visit.objects.filter(pk__in=chunk).values_list(
                "pk", "kms_status", "kms_from_source", "source_kms_status", "two_t", "bgm", "age_months", "posyandu_id"):
            item = candidates[pk]
            reading = rules.kms_with_source(item.kms[0], source)
            new = (reading[0], item.kms[1], item.kms[2], reading[1])
            # Under 60 months as compute_results scores them: a visit given no KMS status keeps none.
            if age is not None and age < 60 and new != (status, two_t, bgm, from_source):
                later[pk] = item._replace(kms=new, posyandu_id=place)
    return later, snapshots


def _without_locked_months(later: dict[int, _Later], persons: list[_PlannedPerson], visits: list[_Row],
                           result: ImportResult) -> dict[int, _Later]:
    """A sent or approved month keeps its records as reported: its visits keep their KMS status,
    and the user is told (the level above can reopen the month, then a correction re-reads it)."""
    if not later:
        return later
    locked = locked_months((v.posyandu_id, v.day) for v in later.values())
    if not locked:
        return later
    names = {r.number: persons[r.person_key].name for r in visits}
    kept: dict[int, _Later] = {}
    for pk, item in later.items():
        if (item.posyandu_id, item.day.replace(day=1)) in locked:
            result.warnings.append((item.row, f"{names.get(item.row, '')}: status KMS kunjungan {item.day:%d-%m-%Y} "
                                    f"tidak diperbarui karena laporan bulan {item.day:%m/%Y} sudah dikirim atau "
                                    "disetujui (terkunci)."))
        else:
            kept[pk] = item
    return kept


def _vitamin_a_from_counts(measured: list[_Row], result: ImportResult) -> None:
    """e-PPGBM's Jml Vit A counts the doses a child has had: a dose was given at a visit when the
    count rose since the child's previous row and the visit is in a vitamin A month (see the
    module docstring). A yes/no column (row.vitamin_a already set) is kept as typed."""
    previous: dict[int, _Row] = {}
    counted = sorted((r for r in measured if r.vitamin_a_count is not None),
                     key=lambda r: (r.person_key, r.visit_date, r.number))
    for row in counted:
        before = previous.get(row.person_key)
        previous[row.person_key] = row
        if before is None:
            continue  # the child's first count: when those doses were given is not known
        if row.vitamin_a_count > before.vitamin_a_count:  # type: ignore[operator]
            if row.visit_date.month in VITAMIN_A_MONTHS:  # type: ignore[union-attr]
                row.vitamin_a = True
        elif row.vitamin_a_count < before.vitamin_a_count:  # type: ignore[operator]
            result.warnings.append((row.number, f"Jml Vit A turun dari {before.vitamin_a_count} (baris {before.number}) "
                                    f"menjadi {row.vitamin_a_count}; vitamin A pada baris ini tidak dicatat."))


def _plan_mothers(persons: list[_PlannedPerson], posyandu: Posyandu) -> dict[str, dict[str, Any] | None]:
    """Mothers named in the file: an existing woman of this Posyandu with that name, else a new person."""
    wanted = {_name_key(p.mother) for p in persons if p.mother and not (p.existing and p.existing["mother_id"])}
    if not wanted:
        return {}
    found: dict[str, dict[str, Any] | None] = dict.fromkeys(wanted)
    for record in (Person.objects.filter(posyandu=posyandu, sex="P").order_by("pk")
                   .values("pk", "name", "birth_date")):
        key = _name_key(record["name"])
        if key in found and found[key] is None:
            found[key] = record
    return found


class _Table:
    """Multi-row INSERTs through the DB-API's executemany, bypassing the ORM's per-value SQL
    compilation, which costs more than the import's whole computation. Values are converted with
    each field's own get_db_prep_save where the driver needs it (dates, decimals, JSON), once per
    distinct value; every other value is already what the driver takes."""

    CONVERTED = frozenset({"JSONField", "DecimalField", "DateField", "DateTimeField"})
    CHUNK = 5000

    def __init__(self, model: type[Any], first: list[str] | None = None) -> None:
        fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.get_internal_type().endswith(
            "AutoField"))]
        if first:  # a chosen column order, so history rows can be sliced out of source rows at C speed
            by_name = {f.attname: f for f in fields}
            fields = [by_name[name] for name in first] + [f for f in fields if f.attname not in first]
        self.model = model
        self.fields = fields
        self.position = {f.attname: i for i, f in enumerate(fields)}
        self.defaults = [f.get_default() for f in fields]

    def blank(self) -> list[Any]:
        return list(self.defaults)

    def _converted(self, rows: list[list[Any]]) -> list[list[Any]]:
        """The rows, converted in place: take their history (_History) before inserting them."""
        converted = rows
        for i, f in enumerate(self.fields):
            kind = f.get_internal_type()
            if kind not in self.CONVERTED:
                continue
            cache: dict[Any, Any] = {}
            for row in converted:
                value = row[i]
                if value is None:
                    continue
                key = repr(value) if kind == "JSONField" else value  # JSON values are lists: unhashable
                if key not in cache:
                    if kind == "JSONField" and connection.vendor == "postgresql":
                        # JSON text, which COPY and jsonb parse; psycopg's Jsonb would re-encode every row.
                        cache[key] = json.dumps(value, cls=f.encoder)
                    else:
                        cache[key] = f.get_db_prep_save(value, connection)
                row[i] = cache[key]
        return converted

    def _sql(self, rows: int = 1) -> str:
        quote = connection.ops.quote_name
        values = ", ".join([f"({', '.join(['%s'] * len(self.fields))})"] * rows)
        return (f"INSERT INTO {quote(self.model._meta.db_table)} ({', '.join(quote(f.column) for f in self.fields)}) "
                f"VALUES {values}")

    def insert(self, rows: list[list[Any]]) -> None:
        if not rows:
            return
        converted = self._converted(rows)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if connection.vendor == "postgresql" and hasattr(raw, "copy"):
                # psycopg 3: COPY is ~10x faster than executemany's statement per row.
                quote = connection.ops.quote_name
                sql = (f"COPY {quote(self.model._meta.db_table)} ({', '.join(quote(f.column) for f in self.fields)}) "
                       "FROM STDIN")
                with raw.copy(sql) as copy:
                    for row in converted:
                        copy.write_row(row)
                return
            sql = self._sql()
            for start in range(0, len(converted), self.CHUNK):
                cursor.executemany(sql, converted[start:start + self.CHUNK])

    def insert_returning(self, rows: list[list[Any]]) -> list[int]:
        """Multi-row INSERT ... RETURNING (SQLite >= 3.35, PostgreSQL): the new keys in row order,
        as Django's own bulk_create relies on."""
        if not rows:
            return []
        converted = self._converted(rows)
        per = max(1, min(1000, (connection.features.max_query_params or 65535) // len(self.fields)))
        returning = f" RETURNING {connection.ops.quote_name(self.model._meta.pk.column)}"
        ids: list[int] = []
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if connection.vendor == "postgresql" and hasattr(raw, "copy"):
                # psycopg 3 pipelines executemany, and one short statement is parsed once, where a
                # statement of a thousand rows costs seconds of client-side placeholder parsing.
                raw.executemany(self._sql() + returning, converted, returning=True)
                while converted:
                    ids.append(raw.fetchone()[0])
                    if not raw.nextset():
                        break
            else:
                for start in range(0, len(converted), per):
                    chunk = converted[start:start + per]
                    cursor.execute(self._sql(len(chunk)) + returning, [v for row in chunk for v in row])
                    ids += [r[0] for r in cursor.fetchall()]
        if len(ids) != len(rows):
            raise RuntimeError("the database did not return every new key")
        return ids


class _History:
    """django-simple-history's rows (who, when, what) for rows inserted without the ORM: taken
    from the raw rows before they are inserted, completed with the new keys afterwards."""

    EXTRA = ("id", "history_date", "history_change_reason", "history_type", "history_user_id")

    def __init__(self, model: type[Any], source: _Table, rows: list[list[Any]], *, user_id: int | None, reason: str,
                 now: dt.datetime, kind: str = "+") -> None:
        history = model.history.model
        tracked = [f.attname for f in history._meta.concrete_fields
                   if f.attname in source.position and f.attname not in self.EXTRA]
        self.table = _Table(history, first=tracked + list(self.EXTRA))
        if len(self.table.fields) != len(tracked) + len(self.EXTRA):
            raise RuntimeError(f"{history.__name__} has columns the import does not fill")
        self.id_at = len(tracked)
        pick = operator.itemgetter(*[source.position[name] for name in tracked])
        self.rows = [[*pick(row), None, now, reason, kind, user_id] for row in rows]

    def write(self, pks: list[int]) -> None:
        for row, pk in zip(self.rows, pks, strict=True):
            row[self.id_at] = pk
        self.table.insert(self.rows)


def _objects_history(model: type[Any], objs: list[Any], *, user_id: int | None, reason: str, now: dt.datetime,
                     kind: str = "+") -> None:
    source = _Table(model)
    rows = [[getattr(obj, f.attname) for f in source.fields] for obj in objs]
    _History(model, source, rows, user_id=user_id, reason=reason, now=now, kind=kind).write([o.pk for o in objs])


class _Stale(Exception):
    """Someone else wrote the same people or visits between planning and writing."""


STALE_MESSAGE = "data Posyandu berubah selama impor (ada impor atau pencatatan lain); tidak ada yang disimpan, ulangi impor."


def _plan_still_holds(plan: _Plan, persons: list[_PlannedPerson]) -> bool:
    niks = [p.nik for p in persons if p.existing is None and p.nik]
    for chunk in _chunks(niks, 500):
        if Person.objects.filter(nik__in=chunk).exists():
            return False
    wanted = {(persons[r.person_key].existing["pk"], r.visit_date) for r in plan.rows  # type: ignore[index]
              if persons[r.person_key].existing}
    ids = sorted({person_id for person_id, _ in wanted})
    for chunk in _chunks(ids, 500):
        taken = Visit.objects.filter(person_id__in=chunk, visit_date__in=plan.dates).values_list("person_id", "visit_date")
        if any(key in wanted for key in taken):
            return False
    now: dict[int, list[tuple[int, dt.date, Decimal]]] = {}
    for chunk in _chunks(sorted(plan.series), 500):
        for person_id, pk, day, weight in (Visit.objects.filter(person_id__in=chunk, weight_kg__isnull=False)
                                           .values_list("person_id", "pk", "visit_date", "weight_kg")):
            now.setdefault(person_id, []).append((pk, day, weight))
    return all(tuple(sorted(now.get(person_id, []), key=lambda k: (k[1], k[0]))) == weighings
               for person_id, weighings in plan.series.items())


def _write(plan: _Plan, persons: list[_PlannedPerson], posyandu: Posyandu, acting_user: Any,
           result: ImportResult) -> None:
    reason = f"Impor berkas {result.filename}"[:100]
    village = posyandu.village
    now = timezone.now()
    audit = {"user_id": acting_user.pk, "reason": reason, "now": now}
    with transaction.atomic():
        # Scope is checked again inside the transaction, as every write in the project does.
        require_import(posyandu, acting_user, NOT_ALLOWED)  # again inside the write transaction
        # One import per Posyandu at a time (PostgreSQL row lock; SQLite's IMMEDIATE transactions
        # already serialise writers). The plan was made before the lock: check it still holds.
        list(Posyandu.objects.select_for_update().filter(pk=posyandu.pk).values_list("pk", flat=True))
        if not _plan_still_holds(plan, persons):
            raise _Stale

        # People: a few thousand rows; the keys come back from INSERT ... RETURNING.
        people = _Table(Person)
        at = people.position
        place = {"region_id": village.pk, "posyandu_id": posyandu.pk, "created_at": now, "updated_at": now,
                 "region_code": village.code, **path_codes(village.code)}

        def person_row(**values: Any) -> list[Any]:
            row = people.blank()
            for name, value in (place | values).items():
                row[at[name]] = value
            return row

        mother_of: dict[str, int] = {k: r["pk"] for k, r in plan.mothers.items() if r is not None}
        names = {_name_key(p.mother): p.mother for p in persons if p.mother}
        new_mothers = [k for k, r in plan.mothers.items() if r is None]
        rows = [person_row(name=names[k], sex="P") for k in new_mothers]
        history = _History(Person, people, rows, **audit)
        ids = people.insert_returning(rows)
        mother_of.update(zip(new_mothers, ids))
        history.write(ids)

        created = [p for p in persons if p.existing is None]
        rows = [person_row(name=p.name, nik=p.nik, nik_as_imported="" if p.nik else p.nik_raw, sex=p.sex,
                           birth_date=p.dob, address=p.address,
                           mother_id=mother_of.get(_name_key(p.mother)) if p.mother else None,
                           **({} if p.kia is None else {"has_kia_book": p.kia})) for p in created]
        history = _History(Person, people, rows, **audit)
        ids = people.insert_returning(rows)
        for p, pk in zip(created, ids):
            p.pk = pk
        history.write(ids)

        changing: list[_PlannedPerson] = []
        for p in persons:
            if p.existing is None:
                continue
            p.pk = p.existing["pk"]
            if p.mother and not p.existing["mother_id"]:
                p.updates["mother_id"] = mother_of[_name_key(p.mother)]
            if p.updates:
                changing.append(p)
        updated: list[Person] = []
        for chunk in _chunks(changing, 500):  # a KIA column may touch every child: one query per 500
            found = Person.objects.in_bulk([p.pk for p in chunk])
            for p in chunk:
                obj = found[p.pk]  # type: ignore[index]
                for name, value in p.updates.items():
                    setattr(obj, name, value)
                obj.updated_at = now
                updated.append(obj)
        if updated:
            Person.objects.bulk_update(updated, ["nik", "nik_as_imported", "birth_date", "mother", "has_kia_book",
                                                 "updated_at"],
                                       batch_size=BATCH)
            _objects_history(Person, updated, kind="~", **audit)

        sessions = {s.date: s.pk for s in ServiceSession.objects.filter(posyandu=posyandu, pos__isnull=True,
                                                                         date__in=plan.dates)}
        new_sessions = [ServiceSession(posyandu=posyandu, date=d, status=SessionStatus.CLOSED, opened_by=acting_user,
                                       notes=reason) for d in plan.dates if d not in sessions]
        ServiceSession.objects.bulk_create(new_sessions, batch_size=BATCH)
        _objects_history(ServiceSession, new_sessions, **audit)
        sessions.update({s.date: s.pk for s in new_sessions})

        # Visits: up to hundreds of thousands of rows, written without the ORM (see _Table).
        table = _Table(Visit)
        at = table.position
        fixed = {"posyandu_id": posyandu.pk, "recorded_by_id": acting_user.pk, "notes": reason, "created_at": now,
                 "updated_at": now}
        result_columns = [(at[name], name) for name in RESULT_FIELDS]
        rows: list[list[Any]] = []
        keys: list[tuple[int, dt.date]] = []
        for row, out in zip(plan.rows, plan.results):
            person_id = persons[row.person_key].pk
            values = table.blank()
            for name, value in fixed.items():
                values[at[name]] = value
            values[at["session_id"]] = sessions[row.visit_date]
            values[at["person_id"]] = person_id
            values[at["visit_date"]] = row.visit_date
            for role, (field_name, _) in MEASURES.items():
                values[at[field_name]] = row.values[role]
            values[at["position"]] = row.position
            values[at["vitamin_a"]], values[at["supplementary_food"]] = row.vitamin_a, row.supplementary_food
            values[at["development"]] = row.development
            values[at["source_kms_status"]] = row.source_kms
            values[at["step_served"]] = row.vitamin_a or row.supplementary_food  # as the visit form marks it
            for i, name in result_columns:
                values[i] = out.get(name, RESULT_DEFAULTS.get(name))
            if row.values["weight"] is not None or row.values["height"] is not None or row.values["muac"] is not None:
                values[at["step_measured"]] = values[at["step_recorded"]] = True  # as record_visit marks them
            rows.append(values)
            keys.append((person_id, row.visit_date))  # type: ignore[arg-type]
        history = _History(Visit, table, rows, **audit)
        table.insert(rows)
        ids = {(person_id, day): pk for pk, person_id, day in
               Visit.objects.filter(posyandu=posyandu, visit_date__in=plan.dates)
               .values_list("pk", "person_id", "visit_date")}
        visit_ids = [ids[key] for key in keys]
        history.write(visit_ids)

        referrals = _Table(Referral)
        at = referrals.position
        referral_rows: list[list[Any]] = []
        referred_visits: list[int] = []
        for (person_id, _), visit_id, reasons in zip(keys, visit_ids, plan.reasons):
            if not reasons:
                continue
            values = referrals.blank()
            values[at["posyandu_id"]], values[at["person_id"]], values[at["visit_id"]] = posyandu.pk, person_id, visit_id
            values[at["reasons"]], values[at["status"]] = reasons, ReferralStatus.PROPOSED.value
            values[at["created_at"]] = values[at["updated_at"]] = now
            referral_rows.append(values)
            referred_visits.append(visit_id)
        history = _History(Referral, referrals, referral_rows, **audit)
        referrals.insert(referral_rows)
        new_visits = set(referred_visits)
        referral_ids = {visit_id: pk for pk, visit_id in
                        Referral.objects.filter(posyandu=posyandu, visit__visit_date__in=plan.dates)
                        .values_list("pk", "visit_id") if visit_id in new_visits}
        history.write([referral_ids[v] for v in referred_visits])

        later_months = _update_later_visits(plan, acting_user, result, reason=reason, now=now)
        result.compared += [Compared(r.number, posyandu.pk, persons[r.person_key].pk, r.visit_date, r.months,  # type: ignore[arg-type]
                                     r.source_kms, r.source_labels, r.source_z) for r in plan.compared]

        # New people change S and K from now on; the imported months change everything else.
        mark_stale([(posyandu.pk, day) for day in {*plan.dates, timezone.localdate()}] + later_months)


def _update_grouped(model: type[Any], objs: list[Any], values: Callable[[Any], dict[str, Any]]) -> None:
    """Save `values(obj)` of each object with one UPDATE per distinct set of values and 500 rows."""
    groups: dict[str, tuple[dict[str, Any], list[int]]] = {}
    for obj in objs:
        new = values(obj)
        groups.setdefault(repr(sorted(new.items())), (new, []))[1].append(obj.pk)
    for new, pks in groups.values():
        for chunk in _chunks(pks, 500):
            model.objects.filter(pk__in=chunk).update(**new)


def _update_later_visits(plan: _Plan, acting_user: Any, result: ImportResult, *, reason: str,
                         now: dt.datetime) -> list[tuple[int, dt.date]]:
    """Write the new KMS readings of the visits after an imported weighing, and follow them with
    their referral proposals as services._propose_referral does: a decided referral stays as the
    kader left it, a proposal is updated or withdrawn, a visit newly meeting a trigger gets one.
    Bulk statements, with a history row per change (who, when, the import's reason). Returns the
    (Posyandu, month) pairs to recompute."""
    audit = {"user_id": acting_user.pk, "reason": reason, "now": now}
    changed: list[Visit] = []
    for chunk in _chunks(sorted(plan.later), 500):
        for visit in Visit.objects.filter(pk__in=chunk).order_by("pk"):
            new = plan.later[visit.pk].kms
            if new == (visit.kms_status, visit.two_t, visit.bgm, visit.kms_from_source):
                continue  # the same as stored (the plan was checked under the lock; kept for safety)
            visit.kms_status, visit.two_t, visit.bgm, visit.kms_from_source = new
            visit.updated_at = now
            changed.append(visit)
    if not changed:
        return []
    # A reading takes few values (N/T/O/B x 2T x BGM): one UPDATE per value and 500 visits, where
    # bulk_update's CASE per row costs seconds of query compilation for thousands of visits.
    _update_grouped(Visit, changed, lambda v: {"kms_status": v.kms_status, "two_t": v.two_t, "bgm": v.bgm,
                                               "kms_from_source": v.kms_from_source, "updated_at": now})
    _objects_history(Visit, changed, kind="~", **audit)
    result.later_visits_updated = len(changed)

    existing: dict[int, list[Referral]] = {}
    for chunk in _chunks([v.pk for v in changed], 500):
        for referral in Referral.objects.filter(visit_id__in=chunk).order_by("pk"):
            existing.setdefault(referral.visit_id, []).append(referral)
    created: list[Referral] = []
    updated: list[Referral] = []
    withdrawn: list[Referral] = []
    for visit in changed:
        mine = existing.get(visit.pk, [])
        if any(r.status != ReferralStatus.PROPOSED for r in mine):
            continue  # the kader already decided for this visit; a correction does not re-ask
        proposal = next(iter(mine), None)
        reasons = rules.referral_reasons(_stored_result(visit))
        if not reasons:
            if proposal is not None:
                withdrawn.append(proposal)
        elif proposal is None:
            created.append(Referral(visit=visit, person_id=visit.person_id, posyandu_id=visit.posyandu_id,
                                    reasons=reasons, status=ReferralStatus.PROPOSED, created_at=now, updated_at=now))
        elif proposal.reasons != reasons:
            proposal.reasons, proposal.updated_at = reasons, now
            updated.append(proposal)
    Referral.objects.bulk_create(created, batch_size=BATCH)
    _objects_history(Referral, created, **audit)
    _update_grouped(Referral, updated, lambda r: {"reasons": r.reasons, "updated_at": now})
    _objects_history(Referral, updated, kind="~", **audit)
    if withdrawn:
        # Deleted through the ORM so that its history row is written, with the importer and the reason.
        for referral in withdrawn:
            referral._history_user = acting_user  # type: ignore[attr-defined]
            referral._change_reason = reason  # type: ignore[attr-defined]
        collector = Collector(using=connection.alias)
        collector.collect(withdrawn)
        collector.delete()
    result.later_referrals_proposed, result.later_referrals_withdrawn = len(created), len(withdrawn)
    return [(v.posyandu_id, v.visit_date) for v in changed]


__all__ = ["ImportFileError", "ImportResult", "import_measurements", "parse_nik", "read_sheet"]
