"""The monthly values as a DHIS2 `dataValueSet` (JSON), so that a province running DHIS2 can take
our data with `POST /api/dataValueSets?idScheme=CODE`. The identifiers come from
data/dhis2_mapping.json: a province maps them to its own codes or UIDs there, not in code.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

from apps.posyandu.models import Posyandu
from apps.reports.dashboard import IndicatorInfo, Values

DATA_DIR = Path(__file__).resolve().parent / "data"
MAPPING_PATH = DATA_DIR / "dhis2_mapping.json"
SCHEMA_PATH = DATA_DIR / "dhis2_datavalueset.schema.json"
CONTENT_TYPE = "application/json"


class MappingError(ValueError):
    """An object has no DHIS2 identifier (e.g. a Posyandu without a registration number)."""


@functools.cache
def mapping() -> dict[str, Any]:
    return json.loads(MAPPING_PATH.read_text(encoding="utf-8"))


@functools.cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def dhis2_period(period: dt.date) -> str:
    return f"{period:%Y%m}"


def data_elements(info: IndicatorInfo) -> dict[str, str] | None:
    """{"value": code} for a count, {"numerator": …, "denominator": …} for a ratio; None when the
    indicator is not sent (a ratio DHIS2 derives from other elements)."""
    m = mapping()
    if info.code in m.get("skip", []):
        return None
    found = m.get("dataElements", {}).get(info.code)
    if found:
        return dict(found)
    base = f"{m.get('dataElementPrefix', '')}{info.code}"
    if info.has_denominator:
        return {"numerator": base + m.get("numeratorSuffix", "_N"), "denominator": base + m.get("denominatorSuffix", "_D")}
    return {"value": base}


def org_unit_of_posyandu(posyandu: Posyandu) -> str:
    units = mapping().get("orgUnits", {})
    key = posyandu.registration_number
    if key:
        return units.get(key, key)
    if f"posyandu:{posyandu.pk}" in units:
        return units[f"posyandu:{posyandu.pk}"]
    raise MappingError(f"{posyandu.name} belum mempunyai nomor registrasi Posyandu; isi dulu di data Posyandu "
                       "atau petakan di dhis2_mapping.json (orgUnits).")


def org_unit_of_region(code: str) -> str:
    return mapping().get("orgUnits", {}).get(code, code)


def data_values(values: Values, catalogue: dict[str, IndicatorInfo], *, period: str,
                org_unit: str) -> list[dict[str, str]]:
    """One data value per data element × sex. An indicator broken down by sex is sent as L and P
    (DHIS2 sums them to the total); one without a breakdown as its total."""
    m = mapping()
    combos: dict[str, str] = m.get("categoryOptionCombos", {})
    attribute = m.get("attributeOptionCombo", "default")
    split = {code for (code, sex) in values if sex}
    out = []
    for (code, sex), (num, den) in sorted(values.items()):
        info = catalogue.get(code)
        if info is None or (sex == "" and code in split) or (sex and sex not in combos):
            continue
        elements = data_elements(info)
        if elements is None:
            continue
        parts = [(elements["value"], num)] if "value" in elements else [
            (elements["numerator"], num), (elements["denominator"], den or 0)]
        for element, value in parts:
            out.append({"dataElement": element, "period": period, "orgUnit": org_unit,
                        "categoryOptionCombo": combos.get(sex, "default"), "attributeOptionCombo": attribute,
                        "value": str(value), "comment": ""})
    return out


def data_value_set(*, period: dt.date, catalogue: dict[str, IndicatorInfo], org_unit: str | None = None,
                   values: Values | None = None, per_org_unit: dict[str, Values] | None = None,
                   complete_date: dt.date | None = None) -> dict[str, Any]:
    """One org unit's values (`org_unit` + `values`), or several org units' values in one set
    (`per_org_unit`; each data value names its org unit and the set names none)."""
    m = mapping()
    p = dhis2_period(period)
    body: dict[str, Any] = {"dataSet": m["dataSet"], "period": p}
    rows: list[dict[str, str]] = []
    if org_unit is not None:
        body["orgUnit"] = org_unit
        rows = data_values(values or {}, catalogue, period=p, org_unit=org_unit)
    for unit, unit_values in sorted((per_org_unit or {}).items()):
        rows += data_values(unit_values, catalogue, period=p, org_unit=unit)
    if complete_date is not None:
        body["completeDate"] = complete_date.isoformat()
    body["attributeOptionCombo"] = m.get("attributeOptionCombo", "default")
    body["dataValues"] = rows
    return body
