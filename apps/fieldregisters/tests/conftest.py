from __future__ import annotations

import datetime as dt
from typing import Any

import pytest


@pytest.fixture
def village(demo_posyandu: Any) -> Any:
    return demo_posyandu.village


@pytest.fixture
def make_person(demo_posyandu: Any) -> Any:
    from apps.people.models import Person

    def make(name: str, sex: str = "L", birth: dt.date | None = dt.date(2012, 1, 1), posyandu: Any = None) -> Any:
        posyandu = posyandu or demo_posyandu
        return Person.objects.create(name=name, sex=sex, birth_date=birth, region=posyandu.village,
                                     posyandu=posyandu)

    return make


@pytest.fixture
def make_household(demo_posyandu: Any) -> Any:
    from apps.people.models import Household

    def make(head: str, posyandu: Any = None) -> Any:
        posyandu = posyandu or demo_posyandu
        return Household.objects.create(head_name=head, region=posyandu.village, posyandu=posyandu)

    return make
