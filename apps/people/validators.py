"""NIK checks. A NIK is 16 digits kept as text (Excel keeps only 15 significant digits)."""
from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

NIK_RE = re.compile(r"^\d{16}$")


def validate_nik_format(value: str) -> None:
    if value and not NIK_RE.match(value):
        raise ValidationError("NIK harus 16 angka.", code="nik_format")


def nik_warnings(nik: str, *, sex: str | None, birth_date: dt.date | None) -> list[str]:
    """Mismatches between a NIK and the record: warnings, never blocks (old NIK carry old codes)."""
    if not nik or not NIK_RE.match(nik):
        return []
    warnings: list[str] = []
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    encoded_female = day > 40
    if encoded_female:
        day -= 40
    if sex in ("L", "P") and encoded_female != (sex == "P"):
        warnings.append("Jenis kelamin tidak cocok dengan tanggal lahir dalam NIK (perempuan: tanggal + 40).")
    if birth_date is not None and (day, month, year2) != (birth_date.day, birth_date.month, birth_date.year % 100):
        warnings.append("Tanggal lahir tidak cocok dengan NIK.")
    return warnings


def mask_nik(nik: str) -> str:
    """Show the region prefix only, as UU 27/2022 asks where the full number need not show."""
    if not nik:
        return ""
    return nik[:6] + "•" * (len(nik) - 6)
