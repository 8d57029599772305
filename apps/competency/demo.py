"""Demo data for kader development: two trainings per kab/kota and their results, so the pages of
a demo build show levels and gaps. Called by the demo build (apps/demo) if the lead wires it in."""
from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from apps.competency.catalogue import sync_all
from apps.competency.models import Certification, ParticipantResult, Skill, Training, TrainingMode, TrainingParticipant
from apps.competency.services import levels_recompute_all
from apps.core.scoping import code_q
from apps.posyandu.models import Kader
from apps.regions.models import Region

BASIC = ["PP-1", "PP-2", "PP-3", "PP-4", "BB-1", "BB-2", "BB-3", "BB-4", "BB-5", "BB-6", "BB-7"]
LIFE_CYCLE = ["UR-1", "UR-2", "UR-3", "UR-4", "UL-1", "UL-2", "UL-3", "UL-4"]


@transaction.atomic
def build_demo_competency(area_code: str, *, seed: int = 2024) -> dict[str, int] | None:
    """Idempotent: does nothing when the area already has trainings."""
    region = Region.objects.current().filter(code=area_code).first()
    if region is None or Training.objects.filter(region=region).exists():
        return None
    sync_all()
    rng = random.Random(seed)
    skills = {s.code: s for s in Skill.objects.current()}
    health = list(Kader.objects.filter(code_q("posyandu__region_code", area_code), end_date__isnull=True,
                                       field__code="kesehatan").order_by("pk"))
    basic = Training.objects.create(region=region, title="Pelatihan keterampilan dasar kader angkatan I",
                                    start_date=dt.date(2025, 8, 4), end_date=dt.date(2025, 8, 6),
                                    organiser="Puskesmas (pendamping penilaian)", trainers="Tenaga promosi kesehatan",
                                    mode=TrainingMode.IN_PERSON)
    basic.skills.set([skills[c] for c in BASIC])
    online = Training.objects.create(region=region, title="Pelatihan daring usia sekolah, remaja dan lansia",
                                     start_date=dt.date(2026, 3, 9), end_date=dt.date(2026, 3, 20),
                                     organiser="Plataran Sehat Kemenkes", mode=TrainingMode.ONLINE)
    online.skills.set([skills[c] for c in LIFE_CYCLE])
    participants, certs = [], []
    for kader in health:
        if rng.random() < 0.45:
            passed = rng.random() < 0.8
            participants.append(TrainingParticipant(training=basic, kader=kader, attended=True,
                                                    result=ParticipantResult.PASSED if passed else ParticipantResult.FAILED))
            if passed:
                held = BASIC[:4] + rng.sample(BASIC[4:], rng.randint(5, 7))
                certs += [Certification(kader=kader, skill=skills[c], certified_on=basic.end_date, training=basic,
                                        assessed_by=basic.organiser, tkk_given=True) for c in held]
                if rng.random() < 0.3:
                    participants.append(TrainingParticipant(training=online, kader=kader, attended=True,
                                                            result=ParticipantResult.PASSED))
                    certs += [Certification(kader=kader, skill=skills[c], certified_on=online.end_date, training=online,
                                            assessed_by="Puskesmas (pendamping penilaian)") for c in LIFE_CYCLE]
    TrainingParticipant.objects.bulk_create(participants, batch_size=2000)
    Certification.objects.bulk_create(certs, batch_size=2000)
    levels_recompute_all()
    return {"trainings": 2, "participants": len(participants), "certifications": len(certs)}
