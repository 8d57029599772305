"""Shared fixtures: a small real dataset loaded once per session, and named personas.

The dataset is real Kemendagri codes for Provinsi Bengkulu (17) plus the demo build of Kota
Bengkulu (17.71) and of Kabupaten Rejang Lebong (17.02), the outsiders' kabupaten.
"""
from __future__ import annotations

import os
from typing import Any

import pytest

# Browser fixtures (seeded_live_server, phone_page, login) for every app's browser tests.
pytest_plugins = ["apps.core.tests.browser_fixtures"]

# Playwright's sync API runs an event loop in the test thread; Django's ORM must not object.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PERSONAS = {
    # name: (username, what they stand for)
    "kader": "kader.posyandu",
    "pengurus": "pengurus.posyandu",
    "village_operator": "desa.padangharapan",
    "kecamatan_viewer": "kec.gadingcempaka",
    "kabupaten_officer": "kota.bengkulu",
    "opd_dinsos": "dinsos.bengkulu",
    "province_officer": "provinsi.bengkulu",
    "national_viewer": "nasional",
    "admin": "admin",
    "outsider": "kab.rejanglebong",
    "unassigned": "tanpa.tugas",
}
OUTSIDER_AREA = "17.02"


def seed_test_data() -> None:
    """Load the shared dataset; idempotent, so tests that flush the database (live_server,
    transactional_db) can call it again."""
    from apps.accounts.models import Assignment, Role, User
    from apps.demo.services import build_demo_area, ensure_demo_users
    from apps.regions.models import Region
    from apps.regions.services import load_regions

    load_regions(prefixes=("17",))
    if not Region.objects.filter(code="17.71").exists():  # pragma: no cover - load_regions made it
        raise RuntimeError("regions not loaded")
    _ensure_spm_fields()
    from apps.reports.catalogue import sync_indicators

    sync_indicators()  # loaded by a migration, so a flush (transactional tests) empties it too
    from apps.competency.catalogue import sync_all as sync_competency

    sync_competency()  # the kader skills catalogue and level rules: migration-loaded as well
    build_demo_area("17.71", per_village=2)
    build_demo_area(OUTSIDER_AREA, per_village=1)
    ensure_demo_users()
    if not User.objects.filter(username=PERSONAS["outsider"]).exists():
        outsider = User.objects.create_user(PERSONAS["outsider"], password="x", role=Role.KABKOTA,
                                            full_name="Charlie Outsider")
        Assignment.objects.create(user=outsider, region=Region.objects.get(code=OUTSIDER_AREA), can_write=True)
    if not User.objects.filter(username=PERSONAS["unassigned"]).exists():
        User.objects.create_user(PERSONAS["unassigned"], password="x", role=Role.KADER)


def _ensure_spm_fields() -> None:
    """A flush (transactional tests) empties the migration-loaded SPM fields too."""
    import importlib

    from django.apps import apps

    module = importlib.import_module("apps.spm.migrations.0002_six_fields")
    module.load(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        seed_test_data()


@pytest.fixture
def persona(db: Any) -> Any:
    """persona("kader") → the User; fresh instance each call, so scope caches never leak."""
    from apps.accounts.models import User

    def get(name: str) -> Any:
        return User.objects.get(username=PERSONAS[name])

    return get


@pytest.fixture
def client_as(client: Any, persona: Any) -> Any:
    def login(name: str) -> Any:
        client.force_login(persona(name))
        return client

    return login


@pytest.fixture
def demo_posyandu(db: Any) -> Any:
    """The Posyandu the demo kader and pengurus are assigned to (Padang Harapan)."""
    from apps.accounts.models import User

    return User.objects.get(username=PERSONAS["kader"]).assignments.get().posyandu


@pytest.fixture
def outsider_posyandu(db: Any) -> Any:
    from apps.posyandu.models import Posyandu

    return Posyandu.objects.filter(region_code__startswith=OUTSIDER_AREA + ".").order_by("pk").first()
