"""Roll-ups of the monthly values per region level (RegionValue), kept in SQL.

When a Posyandu month is recomputed, only its ancestors are redone, one level at a time and set
based: the desa rows are deleted and re-inserted as `SUM … GROUP BY` over the desa's MonthlyValue
rows, each kecamatan as the sum of its desa rows, then kab/kota, provinsi and the nation, so no
step reads more than one level's children. Kemendagri codes have fixed widths (2, 5, 8 and 13
characters), so the parent of a row is a prefix (`SUBSTR`), the same on SQLite and PostgreSQL.

Callers run `refresh` inside the transaction that replaced the MonthlyValue rows, so a dashboard
never sees a Posyandu's new values without its areas' new sums. On PostgreSQL two recomputes of
the same month in different areas would otherwise race on their shared ancestors (the province,
the nation): a transaction-level advisory lock per month makes the roll-up step of a month run one
at a time (it takes milliseconds; the costly part, computing the Posyandu values, runs before it
in parallel). SQLite has one writer at a time anyway.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

MV = "reports_monthlyvalue"
RV = "reports_regionvalue"
# (level, MonthlyValue column, code width) from the desa up; the nation is level 0, code ''.
LEVELS = [(4, "village_code", 13), (3, "district_code", 8), (2, "regency_code", 5), (1, "province_code", 2)]
WIDTH = {level: width for level, _, width in LEVELS}
INSERT_SUMS = (f"INSERT INTO {RV} (indicator_id, period, sex, level, area_code, parent_code, numerator, denominator, "
               "computed_at) ")


def _parent_of(level: int) -> str:
    """SQL for the parent code of a row one level below `level` (its code cut to the parent's width)."""
    return f"SUBSTR(parent_code, 1, {WIDTH[level - 1]})" if level > 1 else "''"
CHUNK = 500  # codes per IN list: far under SQLite's variable limit
LOCK_CLASS = 20_13  # advisory-lock namespace of the roll-ups (issue 13)


def refresh(period: dt.date, village_codes: Iterable[str] | None = None) -> None:
    """Redo the roll-ups of one month above the given desa (every area when None). Call it in
    the transaction that changed the month's MonthlyValue rows."""
    period = period.replace(day=1)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, period.toordinal()])
        if village_codes is None:
            _refresh_everything(cursor, period, now)
            return
        codes = sorted({c for c in village_codes if c and len(c) == WIDTH[4]})
        if not codes:
            return
        # The desa from their Posyandu values.
        for chunk in _chunks(codes):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {RV} WHERE period = %s AND level = 4 AND area_code IN ({marks})",
                           [period, *chunk])
            cursor.execute(
                INSERT_SUMS +
                f"SELECT indicator_id, period, sex, 4, village_code, district_code, SUM(numerator), "
                f"SUM(denominator), %s FROM {MV} WHERE period = %s AND village_code IN ({marks}) "
                f"GROUP BY indicator_id, period, sex, village_code, district_code",
                [now, period, *chunk])
        # Each level above from the one below it, for the ancestors of those desa only.
        for level, _, width in LEVELS[1:]:
            codes = sorted({c[:width] for c in codes})
            for chunk in _chunks(codes):
                _from_children(cursor, period, now, level, chunk)
        _nation(cursor, period, now)


def _from_children(cursor, period: dt.date, now: dt.datetime, level: int, codes: list[str]) -> None:
    marks = ", ".join(["%s"] * len(codes))
    parent = _parent_of(level)
    cursor.execute(f"DELETE FROM {RV} WHERE period = %s AND level = %s AND area_code IN ({marks})",
                   [period, level, *codes])
    cursor.execute(
        INSERT_SUMS +
        f"SELECT indicator_id, period, sex, %s, parent_code, {parent}, SUM(numerator), SUM(denominator), %s "
        f"FROM {RV} WHERE period = %s AND level = %s AND parent_code IN ({marks}) "
        f"GROUP BY indicator_id, period, sex, parent_code",
        [level, now, period, level + 1, *codes])


def _nation(cursor, period: dt.date, now: dt.datetime) -> None:
    cursor.execute(f"DELETE FROM {RV} WHERE period = %s AND level = 0", [period])
    cursor.execute(
        INSERT_SUMS +
        f"SELECT indicator_id, period, sex, 0, '', '', SUM(numerator), SUM(denominator), %s "
        f"FROM {RV} WHERE period = %s AND level = 1 GROUP BY indicator_id, period, sex",
        [now, period])


def _refresh_everything(cursor, period: dt.date, now: dt.datetime) -> None:
    cursor.execute(f"DELETE FROM {RV} WHERE period = %s", [period])
    cursor.execute(
        INSERT_SUMS +
        f"SELECT indicator_id, period, sex, 4, village_code, district_code, SUM(numerator), SUM(denominator), %s "
        f"FROM {MV} WHERE period = %s GROUP BY indicator_id, period, sex, village_code, district_code",
        [now, period])
    for level, _, _ in LEVELS[1:]:
        parent = _parent_of(level)
        cursor.execute(
            INSERT_SUMS +
            f"SELECT indicator_id, period, sex, %s, parent_code, {parent}, SUM(numerator), SUM(denominator), %s "
            f"FROM {RV} WHERE period = %s AND level = %s GROUP BY indicator_id, period, sex, parent_code",
            [level, now, period, level + 1])
    _nation(cursor, period, now)


def refresh_all() -> int:
    """Rebuild every month's roll-ups from the MonthlyValue rows (after a migration, or after
    MonthlyValue rows were written by other means than `compute_month`). Returns the months."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT period FROM {MV}")
        periods = sorted(_as_date(row[0]) for row in cursor.fetchall())
        for period in periods:
            refresh(period)
        # Months whose values are all gone keep no sums.
        if periods:
            marks = ", ".join(["%s"] * len(periods))
            cursor.execute(f"DELETE FROM {RV} WHERE period NOT IN ({marks})", periods)
        else:
            cursor.execute(f"DELETE FROM {RV}")
    return len(periods)


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]
