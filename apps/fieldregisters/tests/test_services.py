from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.fieldregisters import services
from apps.fieldregisters.models import CaseStatus, IncidentReport, SocialCase
from apps.followups.services import can_act

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def social_case(demo_posyandu, make_person):
    return SocialCase.objects.create(posyandu=demo_posyandu, kind="lansia_terlantar",
                                     person=make_person("Mbah Sarni", "P", dt.date(1945, 5, 5)), recorded_on=DAY)


def test_the_responsible_opds_carry_the_field_in_the_kota(social_case):
    names = [o.short_name for o in services.responsible_opds(social_case)]
    assert names and all(n.startswith(("Dinsos", "DP3AP2KB")) for n in names)


def test_forwarding_creates_a_follow_up_for_dinsos_that_dinsos_can_answer(social_case, persona):
    dinsos = services.responsible_opds(social_case).get(region_code="17.71", short_name__startswith="Dinsos")
    followup = services.forward_to_opd(social_case, opd=dinsos, acting_user=persona("kader"))
    social_case.refresh_from_db()
    assert social_case.status == CaseStatus.PROPOSED
    assert followup.source == social_case and followup.owner_opd == dinsos
    assert followup.region == social_case.region and followup.field.code == "sosial"
    assert followup.title.startswith("Lansia terlantar: Mbah Sarni")
    assert list(social_case.followups) == [followup]
    assert can_act(persona("opd_dinsos"), followup)
    with pytest.raises(ValidationError) as exc:  # not twice while the first is open
        services.forward_to_opd(social_case, opd=dinsos, acting_user=persona("kader"))
    assert "sudah diteruskan" in str(exc.value)


def test_an_opd_of_another_field_is_refused(social_case, persona):
    from apps.organisations.models import Opd

    perkim = Opd.objects.get(region_code="17.71", short_name__startswith="Perkim")
    with pytest.raises(ValidationError) as exc:
        services.forward_to_opd(social_case, opd=perkim, acting_user=persona("kader"))
    assert "tidak menangani bidang ini" in str(exc.value)


def test_read_only_users_cannot_forward(social_case, persona):
    dinsos = services.responsible_opds(social_case).first()
    with pytest.raises(PermissionDenied):
        services.forward_to_opd(social_case, opd=dinsos, acting_user=persona("kecamatan_viewer"))


def test_an_incident_needs_the_kades_approval_first(demo_posyandu, persona):
    report = IncidentReport.objects.create(posyandu=demo_posyandu, kind="narkoba", occurred_on=DAY, recorded_on=DAY,
                                           location="Pos ronda", description="Transaksi", is_anonymous=True)
    opd = services.responsible_opds(report).first()
    with pytest.raises(ValidationError) as exc:
        services.forward_to_opd(report, opd=opd, acting_user=persona("village_operator"))
    assert "persetujuan Kepala Desa/Lurah" in str(exc.value)
    report.kades_approved_on = DAY
    report.save()
    assert services.forward_to_opd(report, opd=opd, acting_user=persona("village_operator")).owner_opd == opd
