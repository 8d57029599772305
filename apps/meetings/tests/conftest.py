"""Fixtures of the rakor tests: a kab/kota meeting of TP Posyandu Kota Bengkulu and its area."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

CITY = "17.71"
KELURAHAN = "17.71.02.1001"


def aware(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))


@pytest.fixture
def city_team(db: Any) -> Any:
    from apps.organisations.models import TimPembina

    return TimPembina.objects.get(region_code=CITY)


@pytest.fixture
def officer(persona: Any) -> Any:
    return persona("kabupaten_officer")


@pytest.fixture
def make_meeting(city_team: Any) -> Any:
    from apps.meetings.models import Meeting

    def make(when: dt.datetime | None = None, team: Any = None, title: str = "Rakor Posyandu") -> Any:
        return Meeting.objects.create(team=team or city_team, title=title, place="Ruang Hidayah I",
                                      scheduled_at=when or aware(2031, 6, 15))

    return make


@pytest.fixture
def opd(db: Any) -> Any:
    from apps.organisations.models import Opd

    def get(prefix: str, region: str = CITY) -> Any:
        return Opd.objects.get(region_code=region, short_name__startswith=prefix)

    return get
