"""A kader's level changes exactly when the last required skill is certified (issue 6's bar)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.competency import services
from apps.competency.models import Certification, KaderCompetency, LevelRule, ParticipantResult, Skill, TrainingParticipant

pytestmark = pytest.mark.django_db

PP = ["PP-1", "PP-2", "PP-3", "PP-4"]
BB = [f"BB-{i}" for i in range(1, 8)]
IH = [f"IH-{i}" for i in range(1, 7)]
UR = [f"UR-{i}" for i in range(1, 5)]
UL = [f"UL-{i}" for i in range(1, 5)]


def test_the_catalogue_has_25_skills_in_five_groups(skills: dict[str, Any]) -> None:
    assert len(skills) == 25
    by_group: dict[str, int] = {}
    for s in skills.values():
        by_group[s.group.code] = by_group.get(s.group.code, 0) + 1
    assert by_group == {"pengelolaan": 4, "bayi_balita": 7, "ibu_hamil_menyusui": 6, "usia_sekolah_remaja": 4,
                        "usia_produktif_lansia": 4}


def test_syncing_twice_changes_nothing(catalogue: None) -> None:
    from apps.competency.catalogue import sync_levels, sync_skills

    before = (Skill.objects.count(), LevelRule.objects.count())
    assert sync_skills() == 25
    assert sync_levels() == 0
    assert (Skill.objects.count(), LevelRule.objects.count()) == before == (25, 3)


def test_purwa_comes_with_the_tenth_skill_once_pengelolaan_is_complete(new_kader: Any, certify: Any) -> None:
    assert certify(new_kader, *PP, *BB[:5]) == "belum"  # 9 skills: one short
    assert certify(new_kader, BB[5]) == "purwa"


def test_ten_skills_without_all_of_pengelolaan_are_not_purwa(new_kader: Any, certify: Any) -> None:
    assert certify(new_kader, *PP[:3], *BB) == "belum"  # 10 skills, PP-4 missing
    assert certify(new_kader, "PP-4") == "purwa"


def test_madya_comes_with_the_last_remaja_or_lansia_skill(new_kader: Any, certify: Any) -> None:
    assert certify(new_kader, *PP, *UR, *UL[:3]) == "purwa"  # 11 skills, UL-4 missing
    assert certify(new_kader, "UL-4") == "madya"


def test_utama_needs_all_25(new_kader: Any, certify: Any) -> None:
    assert certify(new_kader, *PP, *BB, *IH[:5], *UR, *UL) == "madya"  # 24 skills
    level = certify(new_kader, "IH-6")
    assert level == "utama"
    assert new_kader.competency.skill_count == 25


def test_revoking_drops_the_level_at_once(new_kader: Any, certify: Any, officer: Any) -> None:
    certify(new_kader, *PP, *BB, *IH, *UR, *UL)
    last = Certification.objects.get(kader=new_kader, skill__code="IH-6")
    services.revoke(certification=last, reason="Salah catat", acting_user=officer)
    new_kader.refresh_from_db()
    assert new_kader.competency.level == "madya"
    first = Certification.objects.get(kader=new_kader, skill__code="PP-1")
    services.revoke(certification=first, reason="Penilaian dibatalkan", acting_user=officer)
    new_kader.refresh_from_db()
    assert (new_kader.competency.level, new_kader.competency.skill_count) == ("belum", 23)
    # The history keeps each level the kader held.
    levels = list(new_kader.competency.history.order_by("history_id").values_list("level", flat=True))
    assert levels[-3:] == ["utama", "madya", "belum"]


def test_a_skill_already_held_is_not_certified_twice(new_kader: Any, certify: Any, officer: Any, skills: Any) -> None:
    certify(new_kader, "PP-1")
    created = services.certify(kader=new_kader, skills=[skills["PP-1"], skills["PP-2"]], certified_on=dt.date(2026, 2, 1),
                               assessed_by="Puskesmas", acting_user=officer)
    assert [c.skill.code for c in created] == ["PP-2"]
    assert Certification.objects.filter(kader=new_kader, skill__code="PP-1").count() == 1


def test_a_retired_skill_no_longer_counts(new_kader: Any, certify: Any) -> None:
    certify(new_kader, *PP, *BB[:6])
    Skill.objects.filter(code="BB-6").update(valid_to=dt.date(2025, 12, 31))
    services.levels_recompute_all()
    assert KaderCompetency.objects.get(kader=new_kader).level == "belum"


def test_a_changed_rule_recomputes_every_level(new_kader: Any, certify: Any) -> None:
    assert certify(new_kader, *PP) == "belum"
    LevelRule.objects.filter(level="purwa").update(min_skills=4)
    assert services.levels_recompute_all() >= 1
    assert KaderCompetency.objects.get(kader=new_kader).level == "purwa"


def test_kader_and_read_only_users_cannot_certify(new_kader: Any, persona: Any, skills: Any) -> None:
    for name in ("kader", "pengurus", "kecamatan_viewer", "outsider"):
        with pytest.raises(PermissionDenied):
            services.certify(kader=new_kader, skills=[skills["PP-1"]], certified_on=dt.date(2026, 1, 1),
                             assessed_by="Puskesmas", acting_user=persona(name))
    assert not Certification.objects.filter(kader=new_kader).exists()


def test_it_rejects_a_future_date_and_a_missing_assessor(new_kader: Any, officer: Any, skills: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.certify(kader=new_kader, skills=[skills["PP-1"]], certified_on=dt.date(2999, 1, 1), assessed_by="",
                         acting_user=officer)
    assert set(exc.value.message_dict) == {"certified_on", "assessed_by"}


def test_a_pass_certifies_the_curriculum_and_a_later_fail_revokes_it(new_kader: Any, officer: Any, skills: Any) -> None:
    from apps.competency.models import Training

    training = Training.objects.create(region=new_kader.posyandu.village, title="Pelatihan dasar",
                                       start_date=dt.date(2026, 1, 5), end_date=dt.date(2026, 1, 7))
    [participant] = services.participants_add(training=training, kaders=[new_kader], acting_user=officer)
    created = services.participant_record_result(
        participant=participant, attended=True, result=ParticipantResult.PASSED, skills=[skills[c] for c in [*PP, *BB[:6]]],
        certified_on=dt.date(2026, 1, 7), assessed_by="Puskesmas Jembatan Kecil", tkk_given=True, acting_user=officer)
    assert len(created) == 10 and all(c.training == training and c.tkk_given for c in created)
    assert KaderCompetency.objects.get(kader=new_kader).level == "purwa"
    services.participant_record_result(participant=participant, attended=True, result=ParticipantResult.FAILED,
                                       acting_user=officer)
    assert KaderCompetency.objects.get(kader=new_kader).level == "belum"
    assert Certification.objects.valid().filter(kader=new_kader).count() == 0


def test_absent_participants_cannot_pass(new_kader: Any, officer: Any) -> None:
    from apps.competency.models import Training

    training = Training.objects.create(region=new_kader.posyandu.village, title="Pelatihan", start_date=dt.date(2026, 1, 5),
                                       end_date=dt.date(2026, 1, 5))
    participant = TrainingParticipant.objects.create(training=training, kader=new_kader)
    with pytest.raises(ValidationError):
        services.participant_record_result(participant=participant, attended=False, result=ParticipantResult.PASSED,
                                           acting_user=officer)


def test_kader_of_another_area_cannot_join(new_kader: Any, officer: Any, persona: Any) -> None:
    from apps.competency.models import Training
    from apps.regions.models import Region

    # A kecamatan training of Gading Cempaka cannot enrol a kader of another kecamatan.
    other = Region.objects.current().filter(code__startswith="17.71.", level=3).exclude(
        code=new_kader.posyandu.district_code).first()
    training = Training.objects.create(region=other, title="Pelatihan kecamatan lain", start_date=dt.date(2026, 1, 5),
                                       end_date=dt.date(2026, 1, 5))
    with pytest.raises(ValidationError):
        services.participants_add(training=training, kaders=[new_kader], acting_user=officer)
    with pytest.raises(PermissionDenied):
        services.participants_add(training=training, kaders=[new_kader], acting_user=persona("kecamatan_viewer"))
