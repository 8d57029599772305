"""Fixtures of the competency tests: the catalogue, and a small area whose numbers are counted by hand."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

AREA = "17.71.99"  # a made-up kecamatan under Kota Bengkulu, so the demo data does not blur the counts
VILLAGE = "17.71.99.1001"


@pytest.fixture
def catalogue(db: Any) -> None:
    """The skills and level rules (a flushed database loses the migration's rows)."""
    from apps.competency.catalogue import sync_all

    sync_all()


@pytest.fixture
def skills(catalogue: None) -> dict[str, Any]:
    from apps.competency.models import Skill

    return {s.code: s for s in Skill.objects.current()}


@pytest.fixture
def officer(persona: Any) -> Any:
    return persona("kabupaten_officer")


@pytest.fixture
def certify(officer: Any, skills: dict[str, Any]) -> Any:
    """certify(kader, "PP-1", "PP-2", ...) as the kab/kota officer; returns the kader's level."""
    from apps.competency import services

    def run(kader: Any, *codes: str) -> str:
        services.certify(kader=kader, skills=[skills[c] for c in codes], certified_on=dt.date(2026, 1, 15),
                         assessed_by="Puskesmas Uji", acting_user=officer)
        kader.refresh_from_db()
        return kader.competency.level

    return run


def make_kader(posyandu: Any, field_code: str, name: str, *, ended: bool = False) -> Any:
    from apps.people.models import Person
    from apps.posyandu.models import Kader
    from apps.spm.models import SpmField

    person = Person(name=name, sex="P", region=posyandu.village, posyandu=posyandu)
    person.save()
    return Kader.objects.create(
        posyandu=posyandu, person=person, field=SpmField.objects.get(code=field_code), start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2025, 12, 31) if ended else None, end_reason="pindah" if ended else "")


@pytest.fixture
def new_kader(demo_posyandu: Any) -> Any:
    """A fresh active health kader at the demo Posyandu (Padang Harapan)."""
    return make_kader(demo_posyandu, "kesehatan", "Kader Uji Ambang")


@dataclass
class SmallArea:
    p1: Any
    p2: Any
    k: dict[str, Any]
    training: Any


@pytest.fixture
def small_area(db: Any, certify: Any, officer: Any) -> SmallArea:
    """Two Posyandu and five active kader (plus one who left), with chosen certifications:

    P1: K1 kesehatan (PP-1..4, BB-1..6 → Purwa), K2 kesehatan (PP-1, BB-1), K3 pendidikan (attended a
        training, failed: trained, not certified).
    P2: K4 kesehatan (PP-1..4, UR-1..4, UL-1..4 → Madya), K5 sosial (nothing), K6 kesehatan left in
        2025 (BB-7: must not count).
    """
    from apps.competency.models import ParticipantResult, Training, TrainingParticipant
    from apps.posyandu.models import Posyandu
    from apps.regions.models import Region

    Region.objects.create(code=AREA, parent_code="17.71", level=3, kind="kecamatan", name="Uji Hitung",
                          valid_from=dt.date(2025, 1, 1))
    village = Region.objects.create(code=VILLAGE, parent_code=AREA, level=4, kind="kelurahan", name="Hitung Tangan",
                                    valid_from=dt.date(2025, 1, 1))
    p1 = Posyandu.objects.create(village=village, name="Posyandu Satu", schedule_day=5)
    p2 = Posyandu.objects.create(village=village, name="Posyandu Dua", schedule_day=6)
    k = {
        "K1": make_kader(p1, "kesehatan", "Kader Satu"),
        "K2": make_kader(p1, "kesehatan", "Kader Dua"),
        "K3": make_kader(p1, "pendidikan", "Kader Tiga"),
        "K4": make_kader(p2, "kesehatan", "Kader Empat"),
        "K5": make_kader(p2, "sosial", "Kader Lima"),
        "K6": make_kader(p2, "kesehatan", "Kader Enam", ended=True),
    }
    certify(k["K1"], "PP-1", "PP-2", "PP-3", "PP-4", "BB-1", "BB-2", "BB-3", "BB-4", "BB-5", "BB-6")
    certify(k["K2"], "PP-1", "BB-1")
    certify(k["K4"], "PP-1", "PP-2", "PP-3", "PP-4", "UR-1", "UR-2", "UR-3", "UR-4", "UL-1", "UL-2", "UL-3", "UL-4")
    # K6 left the Posyandu: a certification recorded while they served must not count.
    from apps.competency.models import Certification, Skill
    Certification.objects.create(kader=k["K6"], skill=Skill.objects.current().get(code="BB-7"),
                                 certified_on=dt.date(2024, 5, 1), assessed_by="Puskesmas Uji")
    training = Training.objects.create(region=village, title="Pelatihan PAUD kader", start_date=dt.date(2026, 1, 10),
                                       end_date=dt.date(2026, 1, 11))
    TrainingParticipant.objects.create(training=training, kader=k["K3"], attended=True, result=ParticipantResult.FAILED)
    return SmallArea(p1=p1, p2=p2, k=k, training=training)
