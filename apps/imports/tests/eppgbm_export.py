"""Synthetic e-PPGBM balita exports of a whole Puskesmas, in the five layouts DOMAIN.md lists.

What real exports carry is put in on purpose: trailing non-breaking spaces, `-` for "not computed",
LiLA 0 for "not measured", NIKs of 10-15 digits, twins, the Posyandu written in `Alamat` in the
2024 kabupaten layout, the 2022-2024 label "Berat Badan Normal", KIA `Sesuai` and `-`, and a
"Total data gizi" line below the data. Errors (a weight in grams, time-typed cells) are added only
when asked, so a test can import the file refused, then the file fixed.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

NBSP = "\xa0"
LAYOUT_2025 = ["No", "NIK", "Nama", "JK (L/P)", "Tgl Lahir", "BB Lahir", "TB Lahir", "Nama Ortu", "Prov", "Kab/Kota",
               "Kec", "Pukesmas", "Desa/Kel", "Posyandu", "RT", "RW", "Alamat", "Usia Saat Ukur", "Tanggal Pengukuran",
               "Berat", "Tinggi", "Cara Ukur", "LiLA", "BB/U", "ZS BB/U", "TB/U", "ZS TB/U", "BB/TB", "ZS BB/TB",
               "Naik Berat Badan", "Jml Vit A", "KPSP", "KIA", "Kelas Ibu Balita", "MBG", "Detail"]
LAYOUT_2024 = [h for h in LAYOUT_2025 if h not in ("Kelas Ibu Balita", "MBG")]
# A filtered list: the officer's own choice of columns, no No, birth measures, RT/RW, age text or Detail.
LAYOUT_2024_FILTERED = [h for h in LAYOUT_2024 if h not in ("No", "BB Lahir", "TB Lahir", "RT", "RW", "Usia Saat Ukur",
                                                            "Detail")]
LAYOUT_2024_KABUPATEN = [h for h in LAYOUT_2024 if h not in ("Cara Ukur", "Pukesmas", "Posyandu")]
LAYOUT_2024_KABUPATEN.insert(LAYOUT_2024_KABUPATEN.index("Detail"), "PMT Diterima (kg)")
LAYOUT_2022 = [h for h in LAYOUT_2024 if h not in ("No", "Cara Ukur")]
LAYOUTS = {"2025": LAYOUT_2025, "2024": LAYOUT_2024, "2024_filtered": LAYOUT_2024_FILTERED,
           "2024_kabupaten": LAYOUT_2024_KABUPATEN, "2022": LAYOUT_2022}
assert [len(LAYOUTS[k]) for k in LAYOUTS] == [36, 34, 27, 32, 32]  # as DOMAIN.md counts them


@dataclass
class Child:
    nik: str  # as the export writes it: 16 digits, or short
    name: str
    sex: str
    dob: dt.date
    mother: str
    posyandu: Any  # a registered Posyandu (its village and name go into the file)
    kia: str = "Ya"
    # visit date -> (weight, height, lila, Naik Berat Badan, BB/U label, ZS BB/U)
    measures: dict[dt.date, tuple[Any, Any, Any, str, str, str]] = field(default_factory=dict)


def rows_of(children: list[Child], *, posyandu_text: dict[int, str] | None = None) -> list[dict[str, Any]]:
    """One dict per measurement, keyed by the 2025 header names (plus PMT Diterima (kg))."""
    out = []
    for child in children:
        p = child.posyandu
        village = p.village.name.upper()
        shown = (posyandu_text or {}).get(p.pk, p.name.upper().replace("POSYANDU ", ""))
        for day, (weight, height, lila, kms, bb_u, zs) in sorted(child.measures.items()):
            age = (day - child.dob).days
            out.append({
                "NIK": child.nik + NBSP, "Nama": child.name + NBSP, "JK (L/P)": child.sex, "Tgl Lahir": child.dob,
                "BB Lahir": 3.1, "TB Lahir": 49, "Nama Ortu": child.mother + NBSP, "Prov": "BENGKULU",
                "Kab/Kota": "KOTA BENGKULU", "Kec": "GADING CEMPAKA" + NBSP, "Pukesmas": "PADANG HARAPAN",
                "Desa/Kel": village + NBSP, "Posyandu": shown + NBSP, "RT": "003", "RW": "002",
                "Alamat": f"Desa {village.title()}-Posy. {shown.title()}",
                "Usia Saat Ukur": f"{age // 365} Tahun - {age % 365 // 30} Bulan - {age % 365 % 30} Hari",
                "Tanggal Pengukuran": day, "Berat": weight, "Tinggi": height,
                "Cara Ukur": "Terlentang" if age < 731 else "Berdiri", "LiLA": lila, "BB/U": bb_u, "ZS BB/U": zs,
                "TB/U": "Normal", "ZS TB/U": "-", "BB/TB": "Gizi Baik", "ZS BB/TB": "-", "Naik Berat Badan": kms,
                "Jml Vit A": 1, "KPSP": "-", "KIA": child.kia, "Kelas Ibu Balita": "-", "MBG": "-", "Detail": "Lihat",
                "PMT Diterima (kg)": "-"})
    return out


def write_export(path: Path, rows: list[dict[str, Any]], layout: str = "2025", *, overrides: dict[int, dict] | None = None,
                 summary_row: bool = True) -> Path:
    """The export as e-PPGBM writes it (xlsx: another sheet first, data in 'Application List'), or
    CSV when `path` ends in .csv. `overrides`: data row index (0-based) -> cells to replace."""
    header = LAYOUTS[layout]
    table = []
    for n, row in enumerate(rows):
        cells = dict(row, No=n + 1)
        cells.update((overrides or {}).get(n, {}))
        table.append([cells.get(h, "") for h in header])
    footer = [[f"Total data gizi: {len(rows)}"] + [""] * (len(header) - 1)] if summary_row else []
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for line in table + footer:
                writer.writerow([c.strftime("%d-%m-%Y") if isinstance(c, dt.date) else c for c in line])
        return path
    workbook = openpyxl.Workbook()
    workbook.active.title = "Petunjuk"
    workbook.active.append(["Unduhan e-PPGBM"])
    sheet = workbook.create_sheet("Application List")
    sheet.append([h + NBSP for h in header])
    for line in table + footer:
        sheet.append(line)
    workbook.save(path)
    return path


def synthetic_children(places: list[Any], per_posyandu: int, months: list[dt.date], seed: int = 1,
                       serial_base: int = 0) -> list[Child]:
    """Children 6-54 months old with monthly weighings, for the benchmark and the kill test: a
    Puskesmas of `places` Posyandu, e-PPGBM's labels cycling N/T/N/O/B, LiLA 0 in two rows of three,
    one NIK in twenty short."""
    import random

    rng = random.Random(seed)
    labels = ["N", "T", "N", "N", "O", "B"]
    children = []
    serial = serial_base
    for p in places:
        for _ in range(per_posyandu):
            serial += 1
            sex = rng.choice("LP")
            dob = months[0] - dt.timedelta(days=rng.randint(180, 1640))
            day = dob.day + (40 if sex == "P" else 0)
            nik = f"177102{day:02d}{dob.month:02d}{dob.year % 100:02d}{serial % 10000:04d}"
            if serial % 20 == 0:
                nik = nik[:12]
            child = Child(nik, f"ANAK {serial:05d}", sex, dob, f"IBU {serial:05d}", p, kia=rng.choice(["Ya", "Sesuai", "-"]))
            for k, day_of in enumerate(months):
                age = (day_of - dob).days / 30.4375
                weight = round(3.3 + 0.45 * min(age, 12) + 0.18 * max(age - 12, 0) + rng.uniform(-0.4, 0.4), 1)
                height = round(50 + 2.2 * min(age, 12) + 0.8 * max(age - 12, 0) + rng.uniform(-1, 1), 1)
                child.measures[day_of] = (weight, height, 0 if serial % 3 else 14.8, labels[(serial + k) % 6],
                                          "Berat Badan Normal", "-")
            children.append(child)
    return children
