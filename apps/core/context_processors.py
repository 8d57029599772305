"""Navigation by role: each role sees the menu entries of its own work."""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("Beranda", reverse("home"), "house")]
    items.append(("Posyandu", reverse("posyandu:list"), "hospital"))
    items.append(("Orang", reverse("people:list"), "person-vcard"))
    items.append(("Keluarga", reverse("people:households"), "house-heart"))
    items.append(("Rujukan", reverse("serviceday:referrals"), "send"))
    items.append(("Bidang SPM", reverse("fieldregisters:index"), "grid-3x3-gap"))
    items.append(("Tindak lanjut", reverse("followups:list"), "list-check"))
    items.append(("Kompetensi kader", reverse("competency:overview"), "award"))
    items.append(("Laporan", reverse("reports:list"), "clipboard-data"))
    items.append(("Dasbor", reverse("reports:dashboard"), "speedometer2"))
    items.append(("Wilayah", reverse("regions:browse"), "map"))
    if getattr(user, "role", "") not in ("kader",):
        items.append(("OPD", reverse("organisations:opd_list"), "building"))
        items.append(("TP Posyandu", reverse("organisations:team_list"), "people"))
    if user.is_superuser or user.is_staff:
        items.append(("Admin", reverse("admin:index"), "gear"))
    return {"nav_items": items}
