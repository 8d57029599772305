"""Lock state and staleness of Posyandu months, answered by the app registered at start-up.

A missing registration is a configuration error, raised at the first call: a save that skipped
the lock check or the stale mark would silently break the monthly report.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

Pairs = Iterable[tuple[int, dt.date]]


@dataclass
class _Provider:
    locked_months: Callable[[Pairs], set[tuple[int, dt.date]]] | None = None
    mark_stale: Callable[[Pairs], None] | None = None


_provider = _Provider()


def register(*, locked_months: Callable[[Pairs], set[tuple[int, dt.date]]],
             mark_stale: Callable[[Pairs], None]) -> None:
    """Called once by the reporting app's `AppConfig.ready()`; a second call replaces the first."""
    _provider.locked_months = locked_months
    _provider.mark_stale = mark_stale


def _require(name: str) -> Callable[..., object]:
    fn = getattr(_provider, name)
    if fn is None:
        raise ImproperlyConfigured(f"apps.periods: no provider registered for {name} "
                                   "(is apps.reports in INSTALLED_APPS?)")
    return fn


def locked_months(pairs: Pairs) -> set[tuple[int, dt.date]]:
    """Of these (Posyandu id, any day of the month) pairs, the (Posyandu id, first of the month)
    whose report was sent or approved. One query for all."""
    return _require("locked_months")(pairs)  # type: ignore[return-value]


def is_month_locked(posyandu_id: int, day: dt.date) -> bool:
    return bool(locked_months([(posyandu_id, day)]))


def mark_stale(pairs: Pairs) -> None:
    """Mark (Posyandu id, any day of the month) pairs for recomputation of their report values."""
    _require("mark_stale")(pairs)
