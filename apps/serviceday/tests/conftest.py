"""Fixtures shared by the service-day tests."""
from __future__ import annotations

from typing import Any

import pytest

from apps.people.models import Person


@pytest.fixture
def resident(demo_posyandu: Any) -> Any:
    """resident(name, sex, birth, **fields) -> a saved person living in and served by the demo Posyandu."""
    def make(name: str, sex: str, birth: Any, **extra: Any) -> Person:
        person = Person(name=name, sex=sex, birth_date=birth, region=demo_posyandu.village, posyandu=demo_posyandu,
                        **extra)
        person.save()
        return person
    return make
