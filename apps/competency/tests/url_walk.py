"""This app's part of the URL walk (apps/core/tests/test_url_walk.py): objects in the outsider's
area (Kabupaten Rejang Lebong, 17.02) for every model and URL parameter of this app."""
from __future__ import annotations

import datetime as dt
from typing import Any


def outsider_objects(objs: dict[str, Any]) -> dict[str, Any]:
    """A training of the kabupaten with the outsider kader as participant and one certification."""
    from apps.accounts.models import User
    from apps.competency import services
    from apps.competency.catalogue import sync_all
    from apps.competency.models import Certification, Skill, Training, TrainingParticipant
    from apps.regions.models import Region

    sync_all()  # a flushed database (transactional tests) has lost the migration's rows
    kader = objs["kader"]
    training, _ = Training.objects.get_or_create(
        region=Region.objects.current().get(code="17.02"), title="Pelatihan kader Rejang Lebong",
        defaults={"start_date": dt.date(2026, 2, 2), "end_date": dt.date(2026, 2, 4), "organiser": "Puskesmas Curup"})
    participant, _ = TrainingParticipant.objects.get_or_create(training=training, kader=kader)
    skill = Skill.objects.current().get(code="PP-1")
    certification = Certification.objects.filter(kader=kader, skill=skill).order_by("pk").first()
    if certification is None:
        certification = services.certify(kader=kader, skills=[skill], certified_on=dt.date(2026, 2, 4),
                                         assessed_by="Puskesmas Curup", training=training,
                                         acting_user=User.objects.get(username="kab.rejanglebong"))[0]
    return {"competency_training": training, "competency_participant": participant,
            "competency_certification": certification}


def by_model(objs: dict[str, Any]) -> dict[type, Any]:
    """{Model: object} used for a route's `pk` when the view's model is Model."""
    from apps.competency.models import Certification, Training, TrainingParticipant

    return {Training: objs["competency_training"], TrainingParticipant: objs["competency_participant"],
            Certification: objs["competency_certification"]}


def url_values(objs: dict[str, Any]) -> dict[str, Any]:
    """Values for other URL parameters."""
    return {"training_pk": objs["competency_training"].pk, "kader_pk": objs["kader"].pk}


def post_data(objs: dict[str, Any]) -> dict[str, Any]:
    """Form data for this app's POST-only views (the API's revoke action)."""
    return {"reason": "Uji jalan URL"}
