"""A gunicorn worker SIGKILLed during a burst of visit saves through the offline sync endpoint
(real HTTP, logged-in kader, CSRF, a UUID per visit): every save a client saw succeed is in the
database once and whole, nothing was saved that no client was told about, and the clients'
retries with the same UUID all got their answer. PostgreSQL only (gunicorn's workers write
concurrently). It runs bench/bench_kill_worker.py --quick against the test database: the
benchmark does the counting, and exits 1 on any loss."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from apps.core.tests.browser_fixtures import _restore_seeded_database

ROOT = Path(__file__).resolve().parents[3]
DB = settings.DATABASES["default"]

pytestmark = [pytest.mark.skipif(not DB["ENGINE"].endswith("postgresql"), reason="gunicorn workers on PostgreSQL"),
              pytest.mark.django_db(transaction=True)]


def test_a_worker_killed_during_a_burst_of_saves_loses_duplicates_and_half_saves_nothing():
    _restore_seeded_database()  # the shared demo; the benchmark's gunicorn reads it committed
    url = f"postgres://{DB['USER']}@{DB['HOST'] or '127.0.0.1'}:{DB['PORT'] or 5432}/{DB['NAME']}"
    done = subprocess.run([sys.executable, "bench/bench_kill_worker.py", "--quick", "--database-url", url],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    out = done.stdout
    assert done.returncode == 0, out[-3000:] + done.stderr[-3000:]
    assert "lost 0  duplicated 0  half-saved 0  gave up 0  saved without an answer 0" in out, out
    killed = re.search(r"SIGKILLed\s+(\d+) sent\s+(\d+) ok.*retries\s+(\d+).*workers killed (\d+)", out)
    assert killed is not None, out
    sent, ok, retries, workers = map(int, killed.groups())
    assert sent == ok == 60 and workers == 1
    assert retries >= 1, out  # the kill cut requests in flight, and their retries were answered
