import pytest

from apps.demo.services import build_demo_area
from apps.posyandu.models import Kader, Pengurus, Posyandu
from apps.regions.models import Region

pytestmark = pytest.mark.django_db


def test_every_kelurahan_of_kota_bengkulu_has_a_posyandu():
    villages = set(Region.objects.current().filter(level=4, code__startswith="17.71.").values_list("code", flat=True))
    assert len(villages) == 67
    assert set(Posyandu.objects.filter(regency_code="17.71").values_list("region_code", flat=True)) == villages


def test_each_posyandu_has_the_pengurus_of_permendagri_13_and_kader_per_field():
    posyandu = Posyandu.objects.filter(regency_code="17.71").first()
    positions = list(Pengurus.objects.filter(posyandu=posyandu).values_list("position", flat=True))
    assert positions.count("ketua_bidang") == 6 and "ketua" in positions and "bendahara" in positions
    assert Kader.objects.filter(posyandu=posyandu).values("field").distinct().count() == 6


def test_a_kader_serves_one_field():
    from django.db.models import Count

    assert not Kader.objects.values("person").annotate(n=Count("field", distinct=True)).filter(n__gt=1).exists()


def test_building_again_changes_nothing():
    before = Posyandu.objects.count()
    assert build_demo_area("17.71") is None
    assert Posyandu.objects.count() == before


def test_the_same_seed_gives_the_same_names():
    from apps.organisations.models import TimPembina
    from apps.people.models import Person

    def build() -> list[tuple[str, str]]:
        build_demo_area("17.09.01", per_village=2, seed=7)
        rows = Person.objects.filter(district_code="17.09.01").order_by("nik").values_list("name", "nik")
        return list(rows)

    first = build()
    assert first
    Posyandu.objects.filter(district_code="17.09.01").delete()
    TimPembina.objects.filter(district_code="17.09.01").delete()
    Person.objects.filter(district_code="17.09.01").delete()
    assert build() == first


def test_demo_visits_go_through_the_real_rules_and_are_built_once():
    import datetime as dt

    from apps.demo.visits import build_demo_visits
    from apps.serviceday.models import Referral, Visit

    made = build_demo_visits("17.71.02.1002", today=dt.date(2026, 11, 23))
    visits = Visit.objects.filter(posyandu__region_code="17.71.02.1002")
    assert made == visits.count() > 20
    assert set(visits.exclude(kms_status="").values_list("kms_status", flat=True)) >= {"B", "N"}
    assert visits.filter(stage="ibu_hamil", kek=True).exists()
    assert Referral.objects.filter(posyandu__region_code="17.71.02.1002").exists()
    # The WUS/PUS register has something to show: a method change, married mothers, a Td dose.
    changed = visits.filter(contraception="suntik").values_list("person", flat=True)
    assert visits.filter(contraception="pil", person__in=changed).exists()
    assert visits.filter(stage="ibu_hamil", person__marital_status="kawin").exclude(person__spouse_name="").exists()
    assert visits.filter(immunisations__vaccine="TT1").exists()
    # The KBP dewasa screenings: a smoker over 60 scores at least 6 on PUMA and has 2 TBC symptoms.
    smoker = visits.get(puma_score__isnull=False)
    assert smoker.puma_score >= 6 and smoker.tbc_symptoms == 2 and smoker.hearing_left == "tidak_normal"
    assert {"puma", "tbc"} <= set(smoker.referrals.get().reasons)
    assert build_demo_visits("17.71.02.1002", today=dt.date(2026, 11, 23)) == 0
