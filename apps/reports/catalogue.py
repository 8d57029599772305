"""Loading the indicator catalogue from data/indicators.json (idempotent)."""
from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "indicators.json"


@functools.cache
def catalogue() -> list[dict[str, Any]]:
    return json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))["indicators"]


def sync_indicators(indicator_model: Any = None, field_model: Any = None) -> int:
    """Create or update one row per (code, valid_from); usable from a migration with historical models."""
    if indicator_model is None:
        from apps.reports.models import Indicator as indicator_model  # noqa: N813
        from apps.spm.models import SpmField as field_model  # noqa: N813
    fields = {f.code: f for f in field_model.objects.all()}
    for item in catalogue():
        indicator_model.objects.update_or_create(
            code=item["code"], valid_from=dt.date.fromisoformat(item["valid_from"]),
            defaults={"name": item["name"], "field": fields[item["field"]], "legal_basis": item.get("legal_basis", ""),
                      "numerator": item["numerator"], "denominator": item.get("denominator") or "",
                      "unit": item["unit"], "target": item.get("target"),
                      "valid_to": dt.date.fromisoformat(item["valid_to"]) if item.get("valid_to") else None},
        )
    return len(catalogue())
