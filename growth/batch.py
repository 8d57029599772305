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
from growth.categories import category_codes
from growth.fileio import (
    InputError,
    Table,
    gc_paused,
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

    def coded(self) -> Coded:
        texts = [""]
        index = np.zeros(self.n, dtype=np.intp)
        seen: dict[str, int] = {}
        for i, messages in self.by_row.items():
            text = "; ".join(messages)
            if text not in seen:
                seen[text] = len(texts)
                texts.append(text)
            index[i] = seen[text]
        return Coded(texts, index)


class _Positions(dict):
    """value -> its position among the distinct values, in order of appearance."""

    def __missing__(self, key: Any) -> int:
        value = self[key] = len(self)
        return value


class Column:
    """A column as its distinct values and, per row, the position of its value:
    a register repeats few values (dates, weights to 0.1 kg, "L"/"P"), so each
    distinct value is parsed once (see growth.cells)."""

    __slots__ = ("index", "raw", "values")

    def __init__(self, values: list[Any], index: np.ndarray, raw: list[Any] | None = None) -> None:
        self.values = values
        self.index = index
        self.raw = raw

    @classmethod
    def of(cls, cells: list[Any]) -> Column:
        positions = _Positions()
        index = np.fromiter(map(positions.__getitem__, cells), dtype=np.intp, count=len(cells))
        # 1 and 1.0 (and True) are one dict key: keep the cells for the error texts
        return cls(list(positions), index, cells)

    def text(self, i: int) -> str:
        value = self.raw[i] if self.raw is not None else self.values[self.index[i]]
        return text_of(value).strip()


class ArrowColumn(Column):
    """A column read by pyarrow as a dictionary array: its distinct values stay
    in Arrow (``dictionary``) and become Python strings only when asked for
    (an error text, a blank-row check); the memo looks them up in C++."""

    __slots__ = ("dictionary",)

    def __init__(self, dictionary: Any, index: np.ndarray) -> None:
        self.dictionary = dictionary
        self.index = index
        self.raw = None

    def __getattr__(self, name: str) -> Any:
        if name != "values":
            raise AttributeError(name)
        values = self.values = self.dictionary.to_pylist()
        return values


class NumberColumn(Column):
    """A number column pyarrow's reader parsed itself (plain decimals with a
    point; empty and "-" are missing): Python's ``float`` would read every
    such text to the same double, so ``cells.numbers`` has nothing to add and
    no cell is bad.  A column with anything else (a decimal comma, text) is
    read as text, as ``ArrowColumn``."""

    __slots__ = ("numbers",)

    def __init__(self, numbers: np.ndarray) -> None:
        self.numbers = numbers
        self.index = np.zeros(0, dtype=np.intp)
        self.raw = None
        self.values = []


@dataclass
class Coded:
    """A text column as its distinct texts and, per row, the position of its text."""

    texts: Sequence[str]
    index: np.ndarray

    def tolist(self) -> list[str]:
        return np.asarray(self.texts, dtype=object)[self.index].tolist()


@dataclass
class Scored:
    """One block of rows scored: the new columns, coded, and what the summary needs."""

    rows: int
    new_columns: dict[str, Coded]
    rows_with_errors: int
    balita: list[Prevalence]
    anak_5_19: list[Prevalence]


@dataclass
class BatchResult:
    """The input table, the header of the output and the new columns (as text)."""

    table: Table | None
    header: list[str]
    new_columns: dict[str, list[str]]
    rows_with_errors: int
    column_roles: dict[str, str]
    balita: list[Prevalence] = field(default_factory=list)
    anak_5_19: list[Prevalence] = field(default_factory=list)
    row_count: int | None = None

    @property
    def rows(self) -> int:
        if self.row_count is not None:
            return self.row_count
        return len(self.table) if self.table is not None else 0


def require_sex(roles: dict[str, int]) -> None:
    if "sex" not in roles:
        raise InputError(
            "kolom jenis kelamin tidak ditemukan (nama yang diterima: "
            + ", ".join(COLUMN_ALIASES["sex"]) + ")"
        )


def output_header(header: Sequence[str]) -> list[str]:
    """An input column named like an output column (e.g. a file already scored
    by WHO's igrowup) keeps its data under "<name>_asli"."""
    taken = {normalize_header(c) for c in OUTPUT_COLUMNS}
    return [h + "_asli" if normalize_header(h) in taken else h for h in header] + list(OUTPUT_COLUMNS)


def score_table(table: Table) -> BatchResult:
    """Validate and score every row of a table; never raises on a bad row."""
    header = table.header
    roles = resolve_columns(header)
    require_sex(roles)
    columns = {role: Column.of(table.column(j)) for role, j in roles.items()}
    scored = score_columns(columns, len(table), table.ragged)
    return BatchResult(
        table=table,
        header=output_header(header),
        new_columns={name: coded.tolist() for name, coded in scored.new_columns.items()},
        rows_with_errors=scored.rows_with_errors,
        column_roles={role: header[i] for role, i in roles.items()},
        balita=scored.balita,
        anak_5_19=scored.anak_5_19,
    )


class _Memo:
    """Parsed values kept from block to block: the blocks of one file repeat the
    same dates and weights, and parsing a date costs ~10 us."""

    LIMIT = 1 << 20  # distinct values kept per parser, then it starts afresh

    def __init__(self) -> None:
        self.by_parser: dict[Any, dict[tuple[type, Any], tuple[Any, bool]]] = {}

    def parse(self, column: Column, parse: Callable[..., tuple[np.ndarray, np.ndarray]],
              *args: Any) -> tuple[np.ndarray, np.ndarray]:
        if isinstance(column, NumberColumn):
            if parse is not cells.numbers:
                raise TypeError("a number column read by pyarrow is only parsed as numbers")
            return np.array(column.numbers, dtype=np.float64), np.zeros(column.numbers.shape[0], dtype=bool)
        if isinstance(column, ArrowColumn):
            return self._parse_arrow(column, parse, *args)
        key = (parse, *(id(a) for a in args))
        memo = self.by_parser.setdefault(key, {})
        if len(memo) > self.LIMIT:
            memo.clear()
        # (type, value): 1, 1.0 and True are one dict key but parse differently
        keys = [(type(v), v) for v in column.values]
        new = [k for k in keys if k not in memo]
        if new:
            values, bad = parse([k[1] for k in new], *args)
            memo.update(zip(new, zip(values.tolist(), bad.tolist(), strict=True), strict=True))
        parsed = [memo[k] for k in keys]
        dtype = np.float64 if parse is not cells.codes else np.int8
        values = np.array([p[0] for p in parsed], dtype=dtype)
        bad = np.array([p[1] for p in parsed], dtype=bool)
        return values[column.index], bad[column.index]

    def _parse_arrow(self, column: ArrowColumn, parse: Callable[..., tuple[np.ndarray, np.ndarray]],
                     *args: Any) -> tuple[np.ndarray, np.ndarray]:
        """The same memo for text read by pyarrow, kept as Arrow arrays: the
        block's distinct values are found among those already parsed by a C++
        hash look-up (``index_in``); only the new ones reach Python."""
        import pyarrow as pa
        from pyarrow._compute import SetLookupOptions

        from growth.arrow import call, filled, ints

        key = ("arrow", parse, *(id(a) for a in args))
        known, values, bad = self.by_parser.get(key) or (None, None, None)
        if known is not None and len(known) > self.LIMIT:
            known = None
        dictionary = column.dictionary
        if known is None:
            position = np.full(len(dictionary), -1, dtype=np.int64)
        else:
            position = filled(call("index_in", [dictionary], SetLookupOptions(known)), -1)
        new = np.flatnonzero(position < 0)
        if new.size:
            fresh = call("take", [dictionary, ints(new)])
            new_values, new_bad = parse(fresh.to_pylist(), *args)
            dtype = np.float64 if parse is not cells.codes else np.int8
            new_values = np.asarray(new_values, dtype=dtype)
            start = 0 if known is None else len(known)
            position[new] = np.arange(start, start + new.size)
            if known is None:
                known, values, bad = fresh, new_values, np.asarray(new_bad, dtype=bool)
            else:
                known = pa.concat_arrays([known, fresh])
                values = np.concatenate([values, new_values])
                bad = np.concatenate([bad, np.asarray(new_bad, dtype=bool)])
            self.by_parser[key] = (known, values, bad)
        # per distinct value first (few), then one gather per row for each
        return values[position][column.index], bad[position][column.index]


_MEMO = _Memo()


def _mapped(column: Column, parse: Callable[..., tuple[np.ndarray, np.ndarray]],
            *args: Any) -> tuple[np.ndarray, np.ndarray]:
    """A cells parser applied to the distinct values, spread back over the rows."""
    return _MEMO.parse(column, parse, *args)


def score_columns(columns: dict[str, Column], n: int, ragged: Sequence[int] = ()) -> Scored:
    """Validate and score a block of rows given by role; never raises on a bad row."""
    errors = _Errors(n)
    errors.add(ragged, "jumlah kolom pada baris ini tidak sesuai dengan judul kolom")

    def column(role: str) -> Column | None:
        return columns.get(role)

    def raw(role: str) -> Callable[[int], str]:
        col = column(role)
        return lambda i: repr(col.text(i)) if col is not None else "''"

    # sex
    sex, bad = _mapped(columns["sex"], cells.codes, SEX_WORDS)
    errors.add(np.flatnonzero(bad), lambda i: f"jenis kelamin tidak dikenal: {raw('sex')(i)}")
    errors.add(np.flatnonzero((sex == SEX_UNKNOWN) & ~bad), "jenis kelamin kosong")

    # measurements
    values: dict[str, np.ndarray] = {}
    for role in ("weight", "lenhei", "headc", "armc"):
        col = column(role)
        if col is None:
            values[role] = np.full(n, np.nan)
            continue
        numbers, bad = _mapped(col, cells.numbers)
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
        measure, bad = _mapped(columns["measure"], cells.codes, MEASURE_WORDS)
        errors.add(np.flatnonzero(bad), lambda i: f"cara ukur tidak dikenal: {raw('measure')(i)} "
                   "(gunakan l/terlentang atau h/berdiri)")
    oedema = np.zeros(n, dtype=bool)
    if column("oedema") is not None:
        yes = {w: 1 for w in YES_WORDS} | {w: 2 for w in NO_WORDS}
        codes, bad = _mapped(columns["oedema"], cells.codes, yes)
        oedema = codes == 1
        errors.add(np.flatnonzero(bad), lambda i: f"edema tidak dikenal: {raw('oedema')(i)} "
                   "(dianggap tidak ada edema)")

    age = _ages(column, n, errors, raw)

    # no head or arm column: those z are empty anyway, and not computing them saves time
    wanted = tuple(name for name, role in (("len", "lenhei"), ("wei", "weight"), ("wfl", "weight"),
                                           ("bmi", "weight"), ("hc", "headc"), ("ac", "armc"))
                   if role in columns)
    result = score(sex, age, values["weight"], values["lenhei"], measure, oedema,
                   values["headc"], values["armc"], indicators=wanted)
    _explain(result, values, age, errors)
    summary_young, summary_old = summarize(result)
    return Scored(
        rows=n,
        new_columns=_output(result, category_codes(result), errors),
        rows_with_errors=len(errors.by_row),
        balita=summary_young,
        anak_5_19=summary_old,
    )


def merge_prevalences(parts: Sequence[list[Prevalence]]) -> list[Prevalence]:
    """The prevalences of a whole file from those of its blocks."""
    total: dict[str, Prevalence] = {}
    for part in parts:
        for p in part:
            if p.label in total:
                total[p.label].cases += p.cases
                total[p.label].denominator += p.denominator
            else:
                total[p.label] = Prevalence(p.label, p.cases, p.denominator)
    return list(total.values())


def _ages(column: Callable[[str], Column | None], n: int, errors: _Errors,
          raw: Callable[[str], Callable[[int], str]]) -> np.ndarray:
    """Age in days: from the dates when both are valid, else the age in days,
    else the age in months (x 30.4375, as anthro's is_age_in_month)."""
    age = np.full(n, np.nan)
    if column("dob") is not None and column("visit_date") is not None:
        birth, bad_birth = _mapped(column("dob"), cells.dates)
        visit, bad_visit = _mapped(column("visit_date"), cells.dates)
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
        numbers, bad = _mapped(col, cells.numbers)
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
def _fixed_strings(digits: int, low: int, high: int) -> tuple[str, ...]:
    """Every value from low to high at this precision, pre-formatted, then ''.
    Built from the digits (``f"{k / scale:.2f}"`` per value cost a tenth of a
    second of every start); the text of step k is that of k / 10**digits:
    '-' only below zero, never '-0.00'."""
    if low > 0 or high < 0:
        raise ValueError("the table must contain 0")
    if digits == 0:
        return (*map(str, range(low, high + 1)), "")
    scale = 10**digits
    positive = _positive_strings(digits, max(high, -low))
    negative = ["-" + positive[k] for k in range(-low * scale, 0, -1)]
    return (*negative, *positive[:high * scale + 1], "")


_POSITIVE: dict[int, list[str]] = {}


def _positive_strings(digits: int, high: int) -> list[str]:
    """The texts of 0 to at least ``high`` at this precision, shared by the tables."""
    scale = 10**digits
    if len(_POSITIVE.get(digits, ())) < high * scale + 1:
        fractions = [f"{f:0{digits}d}" for f in range(scale)]
        top = max(high, 300)  # clenhei's table, the largest, is then built once for all
        _POSITIVE[digits] = [f"{i}.{f}" for i in range(top + 1) for f in fractions]
    return _POSITIVE[digits]


def _fixed_text(x: np.ndarray, digits: int, low: int, high: int) -> Coded:
    """Fixed-point text ('' for NaN).  Looking pre-formatted strings up is ~20x
    faster than formatting a million floats one by one; values beyond the
    table's range (rare) are formatted one by one."""
    table = _fixed_strings(digits, low, high)
    scale = 10**digits
    with np.errstate(invalid="ignore"):
        steps = np.rint(x * scale) - low * scale
        inside = (steps >= 0) & (steps <= (high - low) * scale)
    index = np.where(inside, steps, len(table) - 1).astype(np.intp)
    outside = np.flatnonzero(~inside & ~np.isnan(x))
    if outside.size == 0:
        return Coded(table, index)
    texts = list(table)
    for i in outside.tolist():
        index[i] = len(texts)
        texts.append(f"{x[i]:.{digits}f}")
    return Coded(texts, index)


_FLAG_TEXTS = ("", "0", "1")


def _flag_text(f: np.ndarray) -> Coded:
    return Coded(_FLAG_TEXTS, np.where(np.isnan(f), 0, np.where(f == 1, 2, 1)).astype(np.intp))


@functools.cache
def _label_texts(key: str, texts: tuple[str, ...]) -> tuple[str, ...]:
    return texts  # one tuple per index, the same object for every block (see growth.csvio)


def _output(result: dict[str, np.ndarray], labels: dict[str, tuple[np.ndarray, np.ndarray]],
            errors: _Errors) -> dict[str, Coded]:
    new = {
        # the tables cover what a child can have; anything else is formatted by itself
        "umur_hari": _fixed_text(result["age_days"], 0, 0, 8000),
        "umur_bulan": _fixed_text(result["age_months"], 2, 0, 260),
        "clenhei": _fixed_text(result["clenhei"], 2, 0, 300),
        "cmeasure": Coded(("", "l", "h"), result["cmeasure"].astype(np.intp)),
        "c9mo_flag": Coded(("0", "1"), result["c9mo_flag"].astype(np.intp)),
        "cbmi": _fixed_text(result["cbmi"], 2, 0, 100),
        "standar": Coded(("", "WHO 2006", "WHO 2007"), np.where(
            result["standard"] == 2006, 1, np.where(result["standard"] == 2007, 2, 0))),
        "kesalahan": errors.coded(),
    }
    for name in ("len", "wei", "wfl", "bmi", "hc", "ac"):
        new["z" + name] = _fixed_text(result["z" + name], 2, -100, 100)
        new["f" + name] = _flag_text(result["f" + name])
    for key in ("bb_u", "pb_tb_u", "bb_pb_tb", "imt_u"):
        texts, position = labels[key]
        new[key] = Coded(_label_texts(key, tuple(texts.tolist())), position)
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


def run(input_path: Path, output_path: Path, *, sheet: str | None = None,
        delimiter: str | None = None, jobs: int | None = None) -> BatchResult:
    """Read, score and write; the output format follows the output file's suffix.
    A CSV streams through in blocks (``jobs`` processes, default: one per CPU);
    a workbook is read whole (a sheet holds at most 1,048,576 rows)."""
    if input_path.suffix.lower() not in WORKBOOK_SUFFIXES:
        from growth.csvio import run_csv  # pyarrow is loaded only for CSV files

        return run_csv(input_path, output_path, delimiter=delimiter, jobs=jobs)
    with gc_paused():
        table = read_xlsx(input_path, sheet)
        result = score_table(table)
        if output_path.suffix.lower() == ".xlsx":
            write_xlsx(output_path, table, result.header, result.new_columns)
        else:
            write_csv(output_path, table, result.header, list(result.new_columns.values()))
    return result
