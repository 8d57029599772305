import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.demo.tpposyandu import build_demo_tp
from apps.fieldregisters.models import (
    EducationCase,
    FieldActivity,
    HousingCase,
    IncidentReport,
    SocialCase,
    WaterSanitationSurvey,
)
from apps.followups.models import FollowUp
from apps.library.models import Document
from apps.meetings.models import Decision, Meeting, MeetingStatus
from apps.programmes.models import Programme, ProgrammeIndicator, ProgressReport
from apps.programmes.selectors import fields_without_programmes

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(db):
    today = timezone.localdate()
    return today, build_demo_tp("17.71", today=today)


def test_it_builds_programmes_in_five_fields_and_leaves_one_field_without(built):
    today, stats = built
    programmes = Programme.objects.filter(region_code="17.71", year=today.year)
    assert stats["programmes"] == programmes.count() == 5
    assert {p.opd.short_name for p in programmes} >= {"Dinkes Kota Bengkulu", "Dinsos Kota Bengkulu",
                                                      "BPBD Kota Bengkulu"}
    assert [f.code for f in fields_without_programmes("17.71", today.year)] == ["pupr"]
    ds = ProgrammeIndicator.objects.get(programme__field__code="kesehatan", indicator__code="DS")
    assert ds.target == 80
    assert all(p.activities.exists() for p in programmes)
    if today.month > 1:
        assert ProgressReport.objects.filter(programme__in=programmes, month__lt=today.replace(day=1)).exists()


def test_it_holds_one_rakor_with_decisions_and_schedules_the_next(built):
    today, _ = built
    held = Meeting.objects.get(region_code="17.71", status=MeetingStatus.DONE)
    assert held.scheduled_at.date() < today.replace(day=1)
    assert held.participants.filter(attended=True).count() > held.participants.filter(attended=False).count() > 0
    assert held.agenda_items.count() >= 3 and held.minutes
    decisions = Decision.objects.filter(meeting=held)
    assert decisions.count() == 2
    followups = FollowUp.objects.filter(source_type=ContentType.objects.get_for_model(Decision),
                                        source_id__in=decisions.values("pk"))
    assert followups.count() == 2
    upcoming = Meeting.objects.get(region_code="17.71", status=MeetingStatus.SCHEDULED)
    assert upcoming.scheduled_at.date() > today
    # Its agenda carries the still-open decisions of the held rakor.
    assert upcoming.agenda_items.filter(source_key__startswith="tindak_lanjut:").count() >= 2
    assert held.documents.filter(title__startswith="Permendagri Nomor 13 Tahun 2024").exists()


def test_the_dinsos_account_sees_its_overdue_followups(built, persona):
    dinsos = persona("opd_dinsos")
    overdue = FollowUp.objects.for_user(dinsos).owned_by(dinsos).overdue()
    assert overdue.count() == 2  # a register case forwarded by the Posyandu and a rakor decision
    assert {f.owner_opd.short_name for f in overdue} == {"Dinsos Kota Bengkulu"}
    assert overdue.escalated().exists()


def test_it_fills_the_registers_at_the_demo_posyandu_and_others_of_its_kecamatan(built, demo_posyandu):
    for model in (EducationCase, SocialCase, HousingCase, WaterSanitationSurvey, IncidentReport, FieldActivity):
        assert model.objects.filter(posyandu=demo_posyandu).exists(), model
    assert EducationCase.objects.filter(district_code="17.71.02").values("posyandu").distinct().count() >= 3
    assert HousingCase.objects.filter(regency_code="17.71", uninhabitable=True).count() == 2
    assert FieldActivity.objects.filter(posyandu=demo_posyandu, kind="pelatihan_kesiapsiagaan").exists()
    forwarded = FollowUp.objects.filter(region_code__startswith="17.71.02.").exclude(owner_opd=None)
    assert {f.owner_opd.short_name.split()[0] for f in forwarded} == {"PUPR", "Dikbud", "Dinsos", "Perkim", "BPBD"}


def test_the_library_documents_are_national_pdfs(built):
    docs = Document.objects.filter(region__isnull=True)
    assert docs.count() == 3
    for doc in docs:
        with doc.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    assert Programme.objects.filter(documents__issuer="Kemendagri").exists()


def test_building_again_changes_nothing(built):
    today, stats = built
    assert stats is not None
    counts = (Programme.objects.count(), Meeting.objects.count(), FollowUp.objects.count(), Document.objects.count(),
              EducationCase.objects.count())
    assert build_demo_tp("17.71", today=today) is None
    assert counts == (Programme.objects.count(), Meeting.objects.count(), FollowUp.objects.count(),
                      Document.objects.count(), EducationCase.objects.count())
