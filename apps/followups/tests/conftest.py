from __future__ import annotations

import datetime as dt
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> Any:
    """Uploaded evidence goes to a throw-away MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def dinsos(db: Any) -> Any:
    from apps.organisations.models import Opd

    return Opd.objects.get(region_code="17.71", short_name__startswith="Dinsos")


@pytest.fixture
def dinkes(db: Any) -> Any:
    from apps.organisations.models import Opd

    return Opd.objects.get(region_code="17.71", short_name__startswith="Dinkes")


@pytest.fixture
def village(demo_posyandu: Any) -> Any:
    return demo_posyandu.village


@pytest.fixture
def make_followup(persona: Any, village: Any) -> Any:
    from apps.followups.services import create_followup

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("region", village)
        kwargs.setdefault("title", "Usulan bantuan sosial lansia terlantar")
        kwargs.setdefault("acting_user", persona("kabupaten_officer"))
        kwargs.setdefault("due_date", dt.date(2026, 8, 24))
        return create_followup(**kwargs)

    return make
