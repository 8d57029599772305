"""Kemendagri region codes as materialised paths: `17`, `17.71`, `17.71.01`, `17.71.01.1001`.

Pure functions; no database. A code's level is its number of segments, and every ancestor is a
prefix, so a scope is a range scan: `code >= '17.71.'` and `code < '17.71/'` ('/' sorts right
after '.'), which uses the index on SQLite and PostgreSQL alike (`startswith` does not on SQLite).
"""
from __future__ import annotations

import re

PROVINSI, KABKOTA, KECAMATAN, DESA = 1, 2, 3, 4

_CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def is_valid_code(code: str) -> bool:
    return bool(_CODE_RE.match(code or ""))


def level_of(code: str) -> int:
    return code.count(".") + 1


def parent_of(code: str) -> str:
    return code.rsplit(".", 1)[0] if "." in code else ""


def ancestors_of(code: str) -> list[str]:
    """Proper ancestors, from the province down: `17.71.01` → [`17`, `17.71`]."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def path_codes(code: str) -> dict[str, str]:
    """The denormalised codes a region-owned row carries, blank below the code's own level."""
    parts = code.split(".") if code else []
    names = ("province_code", "regency_code", "district_code", "village_code")
    return {name: (".".join(parts[: i + 1]) if i < len(parts) else "") for i, name in enumerate(names)}


def kind_of(code: str) -> str:
    """The kind of region follows from the code (Kepmendagri numbering).

    Kab/kota 01–69 are kabupaten, 71–99 kota; a village whose serial starts with 1 is a
    kelurahan, 2 a desa, 3 a desa adat.
    """
    level = level_of(code)
    if level == PROVINSI:
        return "provinsi"
    if level == KABKOTA:
        return "kota" if int(code[-2:]) >= 71 else "kabupaten"
    if level == KECAMATAN:
        return "kecamatan"
    return {"1": "kelurahan", "2": "desa", "3": "desa_adat"}.get(code[-4], "desa")


def within(code: str, scope: str) -> bool:
    """True when `code` is `scope` itself or lies under it."""
    return code == scope or code.startswith(scope + ".")
