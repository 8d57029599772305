"""Breadcrumbs down the region tree to a region, for every page that sits under one."""
from __future__ import annotations

from typing import Any

from django.urls import reverse

from apps.regions.models import Region


def region_breadcrumbs(region: Region | None, user: Any) -> list[tuple[str, str]]:
    crumbs = [("Wilayah", reverse("regions:browse"))]
    if region is None:
        return crumbs
    codes = region.ancestor_codes() + [region.code]
    found = {r.code: r for r in Region.objects.current().for_user(user).filter(code__in=codes)}
    for code in codes:
        if code in found:
            crumbs.append((found[code].title, reverse("regions:detail", args=[code])))
    crumbs[-1] = (crumbs[-1][0], "")
    return crumbs
