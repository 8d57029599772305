"""The batch command's engine: read a survey or register table, validate every
row, score it, add WHO's output columns and the Permenkes categories, and
summarise prevalences.  A bad row gets an Indonesian reason in the
``kesalahan`` column; it never stops the run.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from growth import cells
from growth.ages import DAYS_PER_MONTH
from growth.categories import categorize
from growth.fileio import (
    InputError,
    Table,
    gc_paused,
    read_csv,
    read_xlsx,
    text_of,
    write_csv,
    write_xlsx,
)
from growth.inputs import MEASURE_WORDS, NO_WORDS, SEX_UNKNOWN, SEX_WORDS, YES_WORDS, normalize_text
from growth.summary import Prevalence, summarize
from growth.zscores import STANDARDS_MAX_MONTHS, score

# WHO anthro's argument names first, then Indonesian and e-PPGBM headers
# (compared after normalize_header: lower case, non-alphanumerics become "_").
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "sex": ("sex", "gender", "jk", "jk_l_p", "jenis_kelamin", "kelamin", "l_p"),
    "age": ("age", "age_days", "age_in_days", "umur_hari", "usia_hari"),
    "age_months": ("agemons", "age_months", "age_in_months", "umur_bulan", "usia_bulan"),
    "dob": ("dob", "date_of_birth", "birth_date", "tgl_lahir", "tanggal_lahir"),
    "visit_date": ("dov", "date_of_visit", "visit_date", "tanggal_pengukuran", "tgl_pengukuran",
                   "tanggal_ukur", "tgl_ukur", "tanggal_penimbangan", "tgl_penimbangan",
                   "tanggal_kunjungan", "tgl_kunjungan"),
    "weight": ("weight", "berat", "berat_badan", "bb", "bb_kg"),
    "lenhei": ("lenhei", "height", "length", "tinggi", "panjang", "tinggi_badan",
               "panjang_badan", "tb", "pb", "pb_tb", "tb_pb", "tinggi_panjang"),
    "measure": ("measure", "cara_ukur", "posisi", "posisi_ukur"),
    "oedema": ("oedema", "edema", "odema", "busung"),
    "headc": ("headc", "head", "lingkar_kepala", "lk"),
    "armc": ("armc", "muac", "lila", "lingkar_lengan_atas", "lingkar_lengan"),
}
ROLE_NAMES = {
    "sex": "jenis kelamin", "age": "umur (hari)", "age_months": "umur (bulan)",
    "dob": "tanggal lahir", "visit_date": "tanggal ukur", "weight": "berat badan",
    "lenhei": "panjang/tinggi badan", "measure": "cara ukur", "oedema": "edema",
    "headc": "lingkar kepala", "armc": "LiLA",
}
OUTPUT_COLUMNS = (
    "umur_hari", "umur_bulan", "clenhei", "cmeasure", "c9mo_flag", "cbmi",
    "zlen", "flen", "zwei", "fwei", "zwfl", "fwfl", "zbmi", "fbmi", "zhc", "fhc", "zac", "fac",
    "standar", "bb_u", "pb_tb_u", "bb_pb_tb", "imt_u", "kesalahan",
)
# Values no child can have: almost always a unit slip (grams, millimetres).
PLAUSIBLE_MAX = {"weight": 300.0, "lenhei": 250.0, "headc": 100.0, "armc": 100.0}


def normalize_header(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", normalize_text(name)).strip("_")


def resolve_columns(header: Sequence[str]) -> dict[str, int]:
    """Role -> column position; the first matching column wins."""
    normalized = [normalize_header(h) for h in header]
    found: dict[str, int] = {}
    for role, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in normalized:
                found[role] = normalized.index(alias)
                break
    return found


class _Errors:
    """Sparse per-row reasons: most rows have none."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.by_row: dict[int, list[str]] = {}

    def add(self, rows: np.ndarray | Sequence[int], message: Callable[[int], str] | str) -> None:
        for i in np.asarray(rows, dtype=np.intp).tolist():
            text = message(i) if callable(message) else message
            self.by_row.setdefault(i, []).append(text)

    def column(self) -> list[str]:
        out = [""] * self.n
        for i, messages in self.by_row.items():
            out[i] = "; ".join(messages)
        return out


@dataclass
class BatchResult:
    """The input table, the header of the output and the new columns (as text)."""

    table: Table
    header: list[str]
    new_columns: dict[str, list[str]]
    rows_with_errors: int
    column_roles: dict[str, str]
    balita: list[Prevalence] = field(default_factory=list)
    anak_5_19: list[Prevalence] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.table)


def score_table(table: Table) -> BatchResult:
    """Validate and score every row of a table; never raises on a bad row."""
    header = table.header
    roles = resolve_columns(header)
    if "sex" not in roles:
        raise InputError(
            "kolom jenis kelamin tidak ditemukan (nama yang diterima: "
            + ", ".join(COLUMN_ALIASES["sex"]) + ")"
        )
    n = len(table)
    errors = _Errors(n)
    errors.add(table.ragged, "jumlah kolom pada baris ini tidak sesuai dengan judul kolom")
    columns = {role: table.column(j) for role, j in roles.items()}

    def column(role: str) -> list[Any] | None:
        return columns.get(role)

    def raw(role: str) -> Callable[[int], str]:
        col = column(role)
        return lambda i: repr(text_of(col[i]).strip()) if col is not None else "''"

    # sex
    sex, bad = cells.codes(column("sex"), SEX_WORDS)
    errors.add(np.flatnonzero(bad), lambda i: f"jenis kelamin tidak dikenal: {raw('sex')(i)}")
    errors.add(np.flatnonzero((sex == SEX_UNKNOWN) & ~bad), "jenis kelamin kosong")

    # measurements
    values: dict[str, np.ndarray] = {}
    for role in ("weight", "lenhei", "headc", "armc"):
        col = column(role)
        if col is None:
            values[role] = np.full(n, np.nan)
            continue
        numbers, bad = cells.numbers(col)
        name = ROLE_NAMES[role]
        errors.add(np.flatnonzero(bad), lambda i, r=role, nm=name: f"{nm} bukan angka: {raw(r)(i)}")
        with np.errstate(invalid="ignore"):
            not_positive = numbers <= 0
            too_big = numbers > PLAUSIBLE_MAX[role]
        errors.add(np.flatnonzero(not_positive), f"{name} harus lebih dari 0")
        unit = "gram" if role == "weight" else "mm"
        errors.add(np.flatnonzero(too_big),
                   lambda i, nm=name, u=unit, v=numbers: f"{nm} tidak wajar ({v[i]:g}; mungkin dalam {u}?)")
        numbers[not_positive | too_big] = np.nan
        values[role] = numbers

    measure = np.zeros(n, dtype=np.int8)
    if column("measure") is not None:
        measure, bad = cells.codes(column("measure"), MEASURE_WORDS)
        errors.add(np.flatnonzero(bad), lambda i: f"cara ukur tidak dikenal: {raw('measure')(i)} "
                   "(gunakan l/terlentang atau h/berdiri)")
    oedema = np.zeros(n, dtype=bool)
    if column("oedema") is not None:
        yes = {w: 1 for w in YES_WORDS} | {w: 2 for w in NO_WORDS}
        codes, bad = cells.codes(column("oedema"), yes)
        oedema = codes == 1
        errors.add(np.flatnonzero(bad), lambda i: f"edema tidak dikenal: {raw('oedema')(i)} "
                   "(dianggap tidak ada edema)")

    age = _ages(column, n, errors, raw)

    result = score(sex, age, values["weight"], values["lenhei"], measure, oedema,
                   values["headc"], values["armc"])
    _explain(result, values, age, errors)
    labels = categorize(result)

    summary_young, summary_old = summarize(result)
    taken = {normalize_header(c) for c in OUTPUT_COLUMNS}
    # An input column named like an output column (e.g. a file already scored
    # by WHO's igrowup) keeps its data under "<name>_asli".
    out_header = [h + "_asli" if normalize_header(h) in taken else h for h in header]
    return BatchResult(
        table=table,
        header=out_header + list(OUTPUT_COLUMNS),
        new_columns=_output(result, labels, errors),
        rows_with_errors=len(errors.by_row),
        column_roles={role: header[i] for role, i in roles.items()},
        balita=summary_young,
        anak_5_19=summary_old,
    )


def _ages(column: Callable[[str], list[Any] | None], n: int, errors: _Errors,
          raw: Callable[[str], Callable[[int], str]]) -> np.ndarray:
    """Age in days: from the dates when both are valid, else the age in days,
    else the age in months (x 30.4375, as anthro's is_age_in_month)."""
    age = np.full(n, np.nan)
    if column("dob") is not None and column("visit_date") is not None:
        birth, bad_birth = cells.dates(column("dob"))
        visit, bad_visit = cells.dates(column("visit_date"))
        errors.add(np.flatnonzero(bad_birth), lambda i: f"tanggal lahir tidak valid: {raw('dob')(i)}")
        errors.add(np.flatnonzero(bad_visit),
                   lambda i: f"tanggal ukur tidak valid: {raw('visit_date')(i)}")
        age = visit - birth
        with np.errstate(invalid="ignore"):
            before = age < 0
        errors.add(np.flatnonzero(before), "tanggal ukur sebelum tanggal lahir")
        age[before] = np.nan
    for role, scale in (("age", 1.0), ("age_months", DAYS_PER_MONTH)):
        col = column(role)
        if col is None:
            continue
        numbers, bad = cells.numbers(col)
        errors.add(np.flatnonzero(bad), lambda i, r=role: f"{ROLE_NAMES[r]} bukan angka: {raw(r)(i)}")
        with np.errstate(invalid="ignore"):
            negative = numbers < 0
        errors.add(np.flatnonzero(negative), f"{ROLE_NAMES[role]} negatif")
        numbers[negative] = np.nan
        fill = np.isnan(age)
        age[fill] = numbers[fill] * scale
    errors.add(np.flatnonzero(np.isnan(age)),
               "umur tidak diketahui (isi tanggal lahir dan tanggal ukur, atau umur)")
    with np.errstate(invalid="ignore"):
        too_old = age >= 229 * DAYS_PER_MONTH
    errors.add(np.flatnonzero(too_old), "umur 19 tahun atau lebih: di luar standar WHO")
    return age


def _explain(result: dict[str, np.ndarray], values: dict[str, np.ndarray], age: np.ndarray,
             errors: _Errors) -> None:
    """Reasons for the cases where WHO's rules leave a z-score out on purpose."""
    errors.add(np.flatnonzero(result["c9mo_flag"] == 1),
               "diukur berdiri pada umur di bawah 9 bulan: posisi diabaikan (aturan WHO anthro)")
    with np.errstate(invalid="ignore"):
        candidates = (
            ~np.isnan(values["weight"]) & ~np.isnan(result["clenhei"]) & ~result["coedema"]
            & (result["csex"] > 0) & np.isnan(result["zwfl"])
            & (np.isnan(age) | (result["age_months"] < STANDARDS_MAX_MONTHS))
        )
    errors.add(np.flatnonzero(candidates),
               lambda i: f"panjang/tinggi badan {result['clenhei'][i]:g} cm di luar tabel "
               "BB/PB (45-110 cm) atau BB/TB (65-120 cm)")


# --- output ---------------------------------------------------------------------------

@functools.cache
def _fixed_strings(digits: int, limit: int) -> np.ndarray:
    """Every value from -limit to +limit at this precision, pre-formatted, then ''."""
    scale = 10**digits
    values = [f"{i / scale:.{digits}f}" for i in range(-limit * scale, limit * scale + 1)]
    return np.array(values + [""], dtype=object)


def _fixed_text(x: np.ndarray, digits: int, limit: int) -> list[str]:
    """Fixed-point text ('' for NaN).  Looking pre-formatted strings up is ~20x
    faster than formatting a million floats one by one; values beyond the
    table's range (rare) are formatted one by one."""
    table = _fixed_strings(digits, limit)
    half = limit * 10**digits
    with np.errstate(invalid="ignore"):
        steps = np.rint(x * 10**digits)
        inside = np.abs(steps) <= half
    index = np.where(inside, np.where(inside, steps, 0) + half, 2 * half + 1).astype(np.intp)
    out = table[index].tolist()
    for i in np.flatnonzero(~inside & ~np.isnan(x)).tolist():
        out[i] = f"{x[i]:.{digits}f}"
    return out


def _flag_text(f: np.ndarray) -> list[str]:
    codes = np.where(np.isnan(f), 0, np.where(f == 1, 2, 1)).astype(np.intp)
    return np.array(["", "0", "1"], dtype=object)[codes].tolist()


def _output(result: dict[str, np.ndarray], labels: dict[str, np.ndarray],
            errors: _Errors) -> dict[str, list[str]]:
    new = {
        "umur_hari": _fixed_text(result["age_days"], 0, 8000),
        "umur_bulan": _fixed_text(result["age_months"], 2, 260),
        "clenhei": _fixed_text(result["clenhei"], 2, 300),
        "cmeasure": np.array(["", "l", "h"], dtype=object)[result["cmeasure"]].tolist(),
        "c9mo_flag": np.array(["0", "1"], dtype=object)[result["c9mo_flag"]].tolist(),
        "cbmi": _fixed_text(result["cbmi"], 2, 100),
        "standar": np.array(["", "WHO 2006", "WHO 2007"], dtype=object)[
            np.where(result["standard"] == 2006, 1, np.where(result["standard"] == 2007, 2, 0))
        ].tolist(),
        "kesalahan": errors.column(),
    }
    for name in ("len", "wei", "wfl", "bmi", "hc", "ac"):
        new["z" + name] = _fixed_text(result["z" + name], 2, 100)
        new["f" + name] = _flag_text(result["f" + name])
    for key in ("bb_u", "pb_tb_u", "bb_pb_tb", "imt_u"):
        new[key] = labels[key].tolist()
    return {name: new[name] for name in OUTPUT_COLUMNS}


def _id_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def format_summary(result: BatchResult) -> str:
    lines = [f"Baris dibaca: {_id_number(result.rows)}; baris dengan keterangan kesalahan: "
             f"{_id_number(result.rows_with_errors)}"]
    lines.append("Kolom dikenali: " + ", ".join(
        f"{ROLE_NAMES[r]} = '{h}'" for r, h in result.column_roles.items()))
    blocks = (("Anak 0-59 bulan (Standar WHO 2006)", result.balita),
              ("Anak 5-19 tahun (Referensi WHO 2007)", result.anak_5_19))
    for title, rows in blocks:
        if not rows:
            continue
        lines.append("")
        lines.append(f"{title}; z ber-flag tidak dihitung, edema dihitung < -3 SD:")
        for p in rows:
            pct = "-" if p.denominator == 0 else f"{p.percent:.1f}".replace(".", ",") + " %"
            lines.append(f"  {p.label:<58} {_id_number(p.cases):>9} dari "
                         f"{_id_number(p.denominator):>9}  ({pct})")
    return "\n".join(lines)


# --- files ----------------------------------------------------------------------------

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
NUMERIC_OUTPUT = frozenset(("umur_hari", "umur_bulan", "clenhei", "c9mo_flag", "cbmi", "zlen",
                            "flen", "zwei", "fwei", "zwfl", "fwfl", "zbmi", "fbmi", "zhc", "fhc",
                            "zac", "fac"))


def run(input_path: Path, output_path: Path, *, sheet: str | None = None,
        delimiter: str | None = None) -> BatchResult:
    """Read, score and write; the output format follows the output file's suffix."""
    with gc_paused():
        if input_path.suffix.lower() in WORKBOOK_SUFFIXES:
            table = read_xlsx(input_path, sheet)
        else:
            table = read_csv(input_path, delimiter)
        result = score_table(table)
        new_columns = list(result.new_columns.values())
        if output_path.suffix.lower() == ".xlsx":
            # numbers as numbers, so that Excel users can sort and compute
            typed = [[float(v) if v else None for v in col] if name in NUMERIC_OUTPUT else col
                     for name, col in result.new_columns.items()]
            write_xlsx(output_path, table, result.header, typed)
        else:
            write_csv(output_path, table, result.header, new_columns)
    return result
