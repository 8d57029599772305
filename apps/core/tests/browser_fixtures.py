"""Browser fixtures: Debian's chromium driven by pytest-playwright against pytest-django's live_server.

Never `playwright install`: the tests launch the system chromium (`make sysdeps` installs it).
"""
from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from conftest import PERSONAS, seed_test_data

CHROMIUM = "/usr/bin/chromium"  # Debian's package
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
DEMO_PASSWORD = "posyandu-demo-2026"
PASSWORDS = {PERSONAS["outsider"]: "x", PERSONAS["unassigned"]: "x"}  # the rest use the demo password
PHONE = {"width": 360, "height": 740}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options (--headed, --slowmo…) plus the system chromium."""
    if not os.path.exists(CHROMIUM):
        # A missing browser must fail the run, not quietly drop the browser tests.
        pytest.fail(f"{CHROMIUM} tidak ada: jalankan `make sysdeps` (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


# --- Data ------------------------------------------------------------------------------------
# live_server needs transactional_db, which flushes every table after each test. Re-seeding costs
# several seconds, so on in-memory SQLite the seeded database is copied once (SQLite's backup API)
# and copied back before each later test; on PostgreSQL seed_test_data() rebuilds it.
_snapshot: sqlite3.Connection | None = None


def _raw_sqlite_connection() -> sqlite3.Connection | None:
    from django.db import connection

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        return None
    connection.ensure_connection()
    return connection.connection


def _restore_seeded_database() -> None:
    global _snapshot
    raw = _raw_sqlite_connection()
    if raw is not None and _snapshot is not None:
        _snapshot.backup(raw)
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()  # the flush's post_migrate recreated them with other ids
    seed_test_data()  # idempotent: a no-op after a restore, the full build otherwise
    if raw is not None and _snapshot is None:
        _snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        raw.backup(_snapshot)


@pytest.fixture
def seeded_live_server(live_server: Any, transactional_db: None, settings: Any) -> Any:
    """The live server over the shared test dataset, with static files served unhashed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    _restore_seeded_database()
    return live_server


# --- Pages -----------------------------------------------------------------------------------
@pytest.fixture
def phone_page(new_context: Callable[..., Any]) -> Any:
    """A page in a 360×740 touch viewport (a common Android phone)."""
    context = new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="id-ID")
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def desktop_page(new_context: Callable[..., Any]) -> Any:
    context = new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def login(seeded_live_server: Any) -> Callable[[Any, str], Any]:
    """login(page, "kader") signs the persona in through the real /masuk/ form."""
    from playwright.sync_api import expect

    def do_login(page: Any, persona: str) -> Any:
        username = PERSONAS[persona]
        page.goto(seeded_live_server.url + "/masuk/")
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(PASSWORDS.get(username, DEMO_PASSWORD))
        page.get_by_role("button", name="Masuk").click()
        expect(page).to_have_url(re.compile(re.escape(seeded_live_server.url) + "/$"))
        expect(page.get_by_role("heading", name=re.compile("^Selamat datang"))).to_be_visible()
        return page

    return do_login
