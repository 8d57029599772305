from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.followups import services
from apps.followups.models import FollowUp, FollowUpStatus, Holiday

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 bukti\n"


def pdf(name="bukti.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_without_a_due_date_it_gets_today_plus_the_sla(persona, village, dinsos, monkeypatch):
    Holiday.objects.get_or_create(date=dt.date(2026, 8, 17), defaults={"name": "Hari Kemerdekaan"})
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2026, 8, 14))
    followup = services.create_followup(region=village, title="Lansia terlantar", owner_opd=dinsos,
                                        acting_user=persona("kabupaten_officer"))
    assert followup.due_date == dt.date(2026, 8, 24)
    assert followup.status == FollowUpStatus.OPEN
    assert followup.history.first().history_user == persona("kabupaten_officer")


def test_it_records_its_source(make_followup, dinsos, demo_posyandu):
    followup = make_followup(owner_opd=dinsos, source=demo_posyandu)
    assert FollowUp.objects.get(pk=followup.pk).source == demo_posyandu


def test_it_refuses_a_follow_up_without_an_owner(make_followup):
    with pytest.raises(ValidationError) as exc:
        make_followup()
    assert "penanggung jawab" in str(exc.value)


def test_it_refuses_an_opd_of_another_kabupaten(make_followup):
    from apps.organisations.models import Opd

    with pytest.raises(ValidationError) as exc:
        make_followup(owner_opd=Opd.objects.filter(region_code="17.02").first())
    assert "OPD harus dari wilayah" in str(exc.value)


def test_can_act_follows_write_scope_and_ownership(make_followup, persona, dinsos, dinkes):
    mine = make_followup(owner_opd=dinsos)
    theirs = make_followup(owner_opd=dinkes)
    assert services.can_act(persona("opd_dinsos"), mine)
    assert not services.can_act(persona("opd_dinsos"), theirs)
    assert services.can_act(persona("kabupaten_officer"), theirs)  # write scope on 17.71
    assert services.can_act(persona("village_operator"), theirs)  # write scope on the village
    assert not services.can_act(persona("kecamatan_viewer"), theirs)  # read-only
    assert not services.can_act(persona("outsider"), mine)
    named = make_followup(owner_user=persona("kecamatan_viewer"))
    assert services.can_act(persona("kecamatan_viewer"), named)


def test_status_change_closes_reopens_and_logs(make_followup, persona, dinsos):
    followup = make_followup(owner_opd=dinsos)
    user = persona("opd_dinsos")
    followup = services.set_status(followup, FollowUpStatus.DONE, acting_user=user, comment="Bantuan disalurkan")
    assert followup.closed_at is not None
    assert followup.comments.get().text == "Status: Terbuka → Selesai. Bantuan disalurkan"
    followup = services.set_status(followup, FollowUpStatus.IN_PROGRESS, acting_user=user)
    assert followup.closed_at is None
    assert followup.history.count() == 3


def test_rejecting_needs_a_reason(make_followup, persona, dinsos):
    with pytest.raises(ValidationError) as exc:
        services.set_status(make_followup(owner_opd=dinsos), FollowUpStatus.NOT_ELIGIBLE,
                            acting_user=persona("opd_dinsos"))
    assert "alasan" in str(exc.value)


def test_others_cannot_change_status(make_followup, persona, dinkes):
    with pytest.raises(PermissionDenied):
        services.set_status(make_followup(owner_opd=dinkes), FollowUpStatus.DONE, acting_user=persona("opd_dinsos"))


def test_comment_must_not_be_empty(make_followup, persona, dinsos):
    with pytest.raises(ValidationError):
        services.add_comment(make_followup(owner_opd=dinsos), "  ", acting_user=persona("opd_dinsos"))


def test_evidence_is_stored(make_followup, persona, dinsos, media_root):
    evidence = services.add_evidence(make_followup(owner_opd=dinsos), pdf(), acting_user=persona("opd_dinsos"),
                                     description="Berita acara")
    assert evidence.file.read() == PDF
    assert str(media_root) in evidence.file.path


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("virus.exe", b"MZ..."), "Jenis berkas .exe tidak diterima"),
    (SimpleUploadedFile("palsu.pdf", b"MZ not a pdf"), "Isi berkas bukan berkas .pdf yang sah"),
    (SimpleUploadedFile("kosong.pdf", b""), "Berkas kosong"),
])
def test_evidence_type_is_checked(make_followup, persona, dinsos, upload, message):
    with pytest.raises(ValidationError) as exc:
        services.add_evidence(make_followup(owner_opd=dinsos), upload, acting_user=persona("opd_dinsos"))
    assert message in str(exc.value)


def test_evidence_size_is_limited(make_followup, persona, dinsos, settings):
    settings.FOLLOWUP_EVIDENCE_MAX_MB = 1
    big = pdf(content=PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        services.add_evidence(make_followup(owner_opd=dinsos), big, acting_user=persona("opd_dinsos"))
    assert "melebihi batas" in str(exc.value)


def test_escalation_raises_once_per_period_and_is_idempotent(make_followup, dinsos):
    followup = make_followup(owner_opd=dinsos, due_date=dt.date(2026, 3, 2))
    done = make_followup(owner_opd=dinsos, due_date=dt.date(2026, 3, 2))
    FollowUp.objects.filter(pk=done.pk).update(status=FollowUpStatus.DONE)
    assert services.escalate_overdue(today=dt.date(2026, 3, 2)) == 0
    assert services.escalate_overdue(today=dt.date(2026, 3, 3)) == 1
    followup.refresh_from_db()
    assert followup.escalation_level == 1 and followup.escalated_at is not None
    assert services.escalate_overdue(today=dt.date(2026, 3, 9)) == 0  # still within the first period
    assert services.escalate_overdue(today=dt.date(2026, 3, 10)) == 1
    followup.refresh_from_db()
    assert followup.escalation_level == 2
    assert FollowUp.objects.get(pk=done.pk).escalation_level == 0


def test_the_command_escalates(make_followup, dinsos):
    from io import StringIO

    from django.core.management import call_command

    followup = make_followup(owner_opd=dinsos, due_date=dt.date(2026, 3, 2))
    out = StringIO()
    call_command("escalate_followups", "--today", "2026-03-20", stdout=out)
    assert "dieskalasi" in out.getvalue()
    followup.refresh_from_db()
    assert followup.escalation_level == 3


def test_querysets(make_followup, persona, dinsos, dinkes, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2026, 3, 10))
    late = make_followup(owner_opd=dinsos, due_date=dt.date(2026, 3, 2))
    later = make_followup(owner_opd=dinkes, due_date=dt.date(2026, 4, 2))
    assert late.is_overdue and not later.is_overdue
    ids = {late.pk, later.pk}
    assert set(FollowUp.objects.filter(pk__in=ids).overdue().values_list("pk", flat=True)) == {late.pk}
    assert set(FollowUp.objects.filter(pk__in=ids).owned_by(persona("opd_dinsos")).values_list("pk", flat=True)) \
        == {late.pk}


def test_escalated_rows_reach_the_level_above(make_followup, dinsos):
    followup = make_followup(owner_opd=dinsos)  # a village (level 4)
    qs = FollowUp.objects.filter(pk=followup.pk)
    assert not qs.escalated_to_level(3).exists()
    FollowUp.objects.filter(pk=followup.pk).update(escalation_level=1)
    assert qs.escalated_to_level(3).exists() and not qs.escalated_to_level(2).exists()
    FollowUp.objects.filter(pk=followup.pk).update(escalation_level=2)
    assert qs.escalated_to_level(2).exists()
