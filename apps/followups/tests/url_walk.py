"""This app's part of the URL walk (apps/core/tests/test_url_walk.py): objects in the outsider's
area (Kabupaten Rejang Lebong, 17.02) for every model and URL parameter of this app."""
from __future__ import annotations

import datetime as dt
from typing import Any

WALK_FILE = "followups/walk/bukti-luar.pdf"


def outsider_objects(objs: dict[str, Any]) -> dict[str, Any]:
    """A follow-up of the outsider's village owned by their OPD, with a comment and a file."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from apps.accounts.models import User
    from apps.followups.models import FollowUp, FollowUpComment, FollowUpEvidence

    user = User.objects.get(username="kab.rejanglebong")
    followup = FollowUp.objects.filter(region_code=objs["village"].code, title="Tindak lanjut luar").first()
    if followup is None:
        followup = FollowUp.objects.create(region=objs["village"], title="Tindak lanjut luar", owner_opd=objs["opd"],
                                           due_date=dt.date(2026, 1, 5), created_by=user)
        FollowUpComment.objects.create(followup=followup, author=user, text="Catatan luar")
    evidence = FollowUpEvidence.objects.filter(followup=followup).first()
    if evidence is None:
        # One stable file, so repeated walks do not pile files up under MEDIA_ROOT.
        if not default_storage.exists(WALK_FILE):
            default_storage.save(WALK_FILE, ContentFile(b"%PDF-1.4 walk\n"))
        evidence = FollowUpEvidence.objects.create(followup=followup, file=WALK_FILE, uploaded_by=user)
    return {"followup": followup, "followup_evidence": evidence}


def by_model(objs: dict[str, Any]) -> dict[type, Any]:
    from apps.followups.models import FollowUp, FollowUpEvidence

    return {FollowUp: objs["followup"], FollowUpEvidence: objs["followup_evidence"]}


def url_values(objs: dict[str, Any]) -> dict[str, Any]:
    return {}


def post_data(objs: dict[str, Any]) -> dict[str, Any]:
    return {}
