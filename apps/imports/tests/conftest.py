from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.demo.services import DEMO_KECAMATAN
from apps.imports.tests.eppgbm_export import Child
from apps.posyandu.models import Posyandu

AUG, NOV = dt.date(2025, 8, 12), dt.date(2025, 11, 12)
LABELS = ["N", "T", "N", "O", "B", "N", "T", "N"]


def nik_for(sex: str, dob: dt.date, serial: int) -> str:
    day = dob.day + (40 if sex == "P" else 0)
    return f"177102{day:02d}{dob.month:02d}{dob.year % 100:02d}{serial:04d}"


@dataclass
class Puskesmas:
    posyandu: list[Posyandu]
    children: list[Child]

    def child(self, name: str) -> Child:
        return next(c for c in self.children if c.name == name)


def make_puskesmas(demo_posyandu: Posyandu, months: tuple[dt.date, ...] = (AUG,)) -> Puskesmas:
    """Three Posyandu of the demo kecamatan in several desa; eight children each, one measurement per
    month given; the quirks of real exports on known children."""
    local = Posyandu.objects.filter(district_code=DEMO_KECAMATAN).exclude(pk=demo_posyandu.pk).order_by("pk")
    places = [demo_posyandu, *local[:2]]
    assert len({p.village_id for p in places}) >= 2 and len(places) == 3
    children: list[Child] = []
    serial = 0
    for k, p in enumerate(places):
        for i in range(8):
            serial += 1
            sex = "LP"[i % 2]
            dob = dt.date(2023 + i % 2, 1 + (i * 3 + k) % 12, 1 + (i * 7 + k) % 27)
            children.append(Child(nik_for(sex, dob, serial), f"ANAK {k}{i} {p.name.split()[-1].upper()}", sex, dob,
                                  f"IBU {k}{i}", p, kia=["Ya", "Sesuai", "-", "Tidak"][i % 4]))
    twins_dob = dt.date(2024, 3, 10)
    children += [Child(nik_for("L", twins_dob, 901), "ALIF RAMADHAN", "L", twins_dob, "SITI AMINAH", places[0]),
                 Child(nik_for("P", twins_dob, 902), "ALIFA RAMADHANI", "P", twins_dob, "SITI AMINAH", places[0]),
                 Child("17710255072", "NAYLA PUTRI", "P", dt.date(2024, 7, 15), "RINA", places[0], kia="Sesuai")]
    for j, child in enumerate(children):
        months_old = (months[0] - child.dob).days / 30.4
        for m, day in enumerate(months):
            weight = round(3.3 + 0.45 * min(months_old + 3 * m, 12) + 0.18 * max(months_old + 3 * m - 12, 0), 1)
            height = round(50 + 2.2 * min(months_old + 3 * m, 12) + 0.8 * max(months_old + 3 * m - 12, 0), 1)
            lila = 0 if j % 3 else 14.5  # e-PPGBM's 0: not measured
            label = LABELS[(j + m) % len(LABELS)]
            child.measures[day] = (weight, height, lila, label, "Berat Badan Normal" if j % 2 else "Normal", "-")
    return Puskesmas(places, children)


@pytest.fixture
def puskesmas(demo_posyandu: Any) -> Puskesmas:
    return make_puskesmas(demo_posyandu)


def upload(path: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())
