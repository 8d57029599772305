"""The demo builder fills a city with trainings and levels, and the area page stays a few queries."""
from __future__ import annotations

from typing import Any

import pytest

from apps.competency.demo import build_demo_competency
from apps.competency.models import KaderCompetency

pytestmark = pytest.mark.django_db


def test_demo_build_is_idempotent_and_the_city_page_renders(client_as: Any, catalogue: None,
                                                            django_assert_max_num_queries: Any) -> None:
    built = build_demo_competency("17.71")
    assert built and built["certifications"] > 0
    assert build_demo_competency("17.71") is None
    assert KaderCompetency.objects.filter(level="purwa").exists()
    client = client_as("kabupaten_officer")
    client.get("/kompetensi/")
    with django_assert_max_num_queries(25):
        html = client.get("/kompetensi/").content.decode()
    assert 'data-level-count="purwa">0<' not in html
