"""The read-replica router: only the report values are read from the replica, never inside a
transaction on the primary, never written or migrated there; and the settings wire it only when
DATABASE_REPLICA_URL is set."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from apps.reports.models import MonthlyReport, MonthlyValue, RegionValue
from apps.serviceday.models import Visit
from config.db_router import ReplicaRouter

ROOT = Path(__file__).resolve().parent.parent.parent


def settings_with(env: dict[str, str]) -> dict:
    code = ("import json, config.settings as s; print(json.dumps({'dbs': s.DATABASES, "
            "'routers': getattr(s, 'DATABASE_ROUTERS', [])}, default=str))")
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**clean, "DJANGO_SECRET_KEY": "test-only", **env})
    return json.loads(out.stdout)


def test_a_replica_url_adds_the_replica_and_its_router():
    got = settings_with({"DATABASE_URL": "postgres://app:pw@primary:5432/posyandu",
                         "DATABASE_REPLICA_URL": "postgres://reader:pw@replica:5432/posyandu"})
    assert got["dbs"]["replica"]["HOST"] == "replica" and got["dbs"]["default"]["HOST"] == "primary"
    assert got["dbs"]["replica"]["TEST"] == {"MIRROR": "default"}
    assert got["routers"] == ["config.db_router.ReplicaRouter"]


def test_without_a_replica_url_there_is_one_database_and_no_router():
    got = settings_with({"DATABASE_URL": "postgres://app:pw@primary:5432/posyandu"})
    assert list(got["dbs"]) == ["default"] and got["routers"] == []


def test_report_values_are_read_from_the_replica_and_nothing_else_is():
    router = ReplicaRouter()
    assert router.db_for_read(RegionValue) == "replica"
    assert router.db_for_read(MonthlyValue) == "replica"
    assert router.db_for_read(Visit) is None and router.db_for_read(MonthlyReport) is None  # the primary
    assert router.db_for_write(RegionValue) == "default"
    assert router.allow_migrate("replica", "reports") is False and router.allow_migrate("default", "reports")


@pytest.mark.django_db
def test_a_read_inside_a_transaction_stays_on_the_primary():
    """The recompute reads the rows it replaces inside its transaction: a replica would answer
    from before it (each test runs inside a transaction already)."""
    router = ReplicaRouter()
    with transaction.atomic():
        assert router.db_for_read(RegionValue) == "default"
        assert router.db_for_read(MonthlyValue) == "default"
