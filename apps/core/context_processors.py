"""Navigation by role: each role sees the menu entries of its own work.

An entry is (label, url, icon); a group is (label, None, icon, [entries]) and renders as a
dropdown, so the phone menu stays short as the system grows.
"""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from apps.core.scoping import IMPORT, get_scope


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    role = getattr(user, "role", "")
    items: list[tuple[Any, ...]] = [("Beranda", reverse("home"), "house")]
    items.append(("Posyandu", reverse("posyandu:list"), "hospital"))
    items.append(("Orang", reverse("people:list"), "person-vcard"))
    items.append(("Keluarga", reverse("people:households"), "house-heart"))
    items.append(("Rujukan", reverse("serviceday:referrals"), "send"))
    items.append(("Bidang SPM", reverse("fieldregisters:index"), "grid-3x3-gap"))
    items.append(("Laporan", None, "clipboard-data", [
        ("Laporan bulanan", reverse("reports:list"), "clipboard-data"),
        ("Dasbor", reverse("reports:dashboard"), "speedometer2"),
        ("Kelengkapan laporan", reverse("reports:completeness"), "check2-square"),
        *([("Impor e-PPGBM", reverse("imports:index"), "upload")] if not get_scope(user, IMPORT).is_empty else []),
    ]))
    team: list[tuple[str, str, str]] = []
    if role not in ("kader", "pengurus"):
        team += [("Beranda TP Posyandu", reverse("meetings:home"), "diagram-3"),
                 ("Rakor", reverse("meetings:list"), "calendar3"),
                 ("Program kerja", reverse("programmes:list"), "kanban")]
    team += [("Tindak lanjut", reverse("followups:list"), "list-check"),
             ("Kompetensi kader", reverse("competency:overview"), "award"),
             ("Pustaka", reverse("library:list"), "book")]
    if role != "kader":
        team += [("OPD", reverse("organisations:opd_list"), "building"),
                 ("Tim Pembina", reverse("organisations:team_list"), "people")]
    items.append(("TP Posyandu", None, "people", team))
    items.append(("Wilayah", reverse("regions:browse"), "map"))
    if user.is_superuser or user.is_staff:
        items.append(("Admin", reverse("admin:index"), "gear"))
    return {"nav_items": items}
