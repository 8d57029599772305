"""Reads of the report values from a read replica, when `DATABASE_REPLICA_URL` is set.

The dashboards, report pages, exports and API read the pre-aggregated tables (MonthlyValue,
RegionValue) and nothing else in bulk; those rows are written only by the recompute jobs, which
lag the records by up to a minute anyway, so a replica's lag of a second or two changes nothing a
user can see. Everything else (records, the user's session, scope, approvals) stays on the
primary: a kader who saves a visit reads it back from where it was written.

A read inside a transaction on the primary (the recompute reads the rows it is about to replace)
goes to the primary: a replica would answer from before the transaction.
"""
from __future__ import annotations

from typing import Any

from django.db import connections

REPLICA = "replica"
REPLICA_READ_MODELS = frozenset({("reports", "monthlyvalue"), ("reports", "regionvalue")})


class ReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if (model._meta.app_label, model._meta.model_name) not in REPLICA_READ_MODELS:
            return None
        if connections["default"].in_atomic_block:
            return "default"
        return REPLICA

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # one database and its copy: every row lives on both

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return db != REPLICA  # the replica follows the primary's WAL, schema included
