"""The DHIS2 dataValueSets export validates against a JSON Schema of DHIS2's documented structure
and carries the hand-checked values under the mapped codes."""
from __future__ import annotations

import copy

import jsonschema
import pytest

from apps.reports import dhis2
from apps.reports.models import MonthlyReport, ReportStatus
from apps.reports.tests.dashboard_fixtures import MARCH, dashboard_data

pytestmark = pytest.mark.django_db
__all__ = ["dashboard_data"]


def validate(body):
    jsonschema.Draft202012Validator.check_schema(dhis2.schema())
    jsonschema.Draft202012Validator(dhis2.schema()).validate(body)


def values(body):
    return {(v["orgUnit"], v["dataElement"], v["categoryOptionCombo"]): v["value"] for v in body["dataValues"]}


def test_a_posyandu_month_validates_and_carries_its_values(client_as, dashboard_data):
    a = dashboard_data.a
    MonthlyReport.objects.update_or_create(posyandu=a, period=MARCH, defaults={
        "status": ReportStatus.DESA, "submitted_at": "2026-04-05T03:00:00Z"})
    response = client_as("kabupaten_officer").get(f"/laporan/ekspor/posyandu/{a.pk}/dhis2.json?bulan=2026-03")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    validate(body)
    assert body["dataSet"] == "POSYANDU_6SPM_BULANAN" and body["period"] == "202603"
    assert body["orgUnit"] == a.registration_number and body["completeDate"] == "2026-04-05"
    got = values(body)
    unit = a.registration_number
    # split by sex where the data are split; the total only where they are not (K, N)
    assert got[(unit, "P6SPM_S", "LAKI_LAKI")] == "4" and got[(unit, "P6SPM_S", "PEREMPUAN")] == "6"
    assert (unit, "P6SPM_S", "default") not in got and got[(unit, "P6SPM_K", "default")] == "9"
    assert got[(unit, "P6SPM_STUNTING_N", "LAKI_LAKI")] == "1" and got[(unit, "P6SPM_STUNTING_D", "PEREMPUAN")] == "5"
    assert got[(unit, "P6SPM_WASTING_D", "default")] == "8"
    assert not any(k[1].startswith("P6SPM_DS") for k in got)  # DHIS2 derives D/S from D and S


def test_an_area_sends_each_posyandu_or_the_roll_up(client_as, dashboard_data):
    client = client_as("kabupaten_officer")
    body = client.get("/laporan/ekspor/wilayah/17.71.02/dhis2.json?bulan=2026-03").json()
    validate(body)
    assert "orgUnit" not in body
    units = {v["orgUnit"] for v in body["dataValues"]}
    assert units == {dashboard_data.a.registration_number, dashboard_data.b.registration_number,
                     dashboard_data.c.registration_number}
    rolled = client.get("/laporan/ekspor/wilayah/17.71.02/dhis2.json?bulan=2026-03&rincian=wilayah").json()
    validate(rolled)
    assert rolled["orgUnit"] == "17.71.02"
    assert values(rolled)[("17.71.02", "P6SPM_D", "LAKI_LAKI")] == "10"  # 3 (A) + 5 (B) + 2 (C)
    assert values(rolled)[("17.71.02", "P6SPM_D", "PEREMPUAN")] == "13"
    assert ("17.71.02", "P6SPM_D", "default") not in values(rolled)


def test_a_posyandu_without_registration_number_gets_a_clear_message(client_as, dashboard_data):
    from apps.posyandu.models import Posyandu

    client = client_as("kabupaten_officer")
    bare = Posyandu(village=dashboard_data.a.village, name="Posyandu Tanpa Nomor", schedule_day=10)
    bare.save()
    response = client.get(f"/laporan/ekspor/posyandu/{bare.pk}/dhis2.json?bulan=2026-03", follow=True)
    assert "belum mempunyai nomor registrasi" in response.content.decode()


def test_a_province_maps_its_own_uids_as_data(monkeypatch, dashboard_data):
    mapping = copy.deepcopy(dhis2.mapping())
    mapping["dataElements"]["D"] = {"value": "fbfJHSPpUQD"}
    mapping["orgUnits"][dashboard_data.c.registration_number] = "DiszpKrYNg8"
    mapping["categoryOptionCombos"]["L"] = "Prlt0C1RF0s"
    monkeypatch.setattr(dhis2, "mapping", lambda: mapping)
    from apps.reports.dashboard import catalogue_for

    body = dhis2.data_value_set(period=MARCH, catalogue=catalogue_for(MARCH),
                                org_unit=dhis2.org_unit_of_posyandu(dashboard_data.c),
                                values={("D", ""): (5, None), ("D", "L"): (2, None), ("D", "P"): (3, None)})
    validate(body)
    assert body["orgUnit"] == "DiszpKrYNg8"
    assert {(v["dataElement"], v["categoryOptionCombo"], v["value"]) for v in body["dataValues"]} == {
        ("fbfJHSPpUQD", "Prlt0C1RF0s", "2"), ("fbfJHSPpUQD", "PEREMPUAN", "3")}


def test_the_schema_rejects_what_dhis2_would_reject():
    good = {"dataSet": "X", "period": "202603", "orgUnit": "O", "dataValues": [{"dataElement": "D", "value": "1"}]}
    validate(good)
    for broken in ({**good, "period": "2026-03"},  # not an ISO monthly period
                   {**good, "dataValues": [{"dataElement": "D", "value": 1}]},  # values are strings
                   {**good, "dataValues": [{"value": "1"}]},  # no data element
                   {"dataSet": "X", "period": "202603", "dataValues": [{"dataElement": "D", "value": "1"}]},  # no org unit
                   {**good, "extra": True}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.Draft202012Validator(dhis2.schema()).validate(broken)
