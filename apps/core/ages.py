"""Age in completed years, the one definition every app uses (registers, rules, forms)."""
from __future__ import annotations

import datetime as dt


def age_in_years(birth: dt.date | None, on: dt.date) -> int | None:
    """Completed years on `on`; None when the birth date is unknown or after `on`."""
    if birth is None or on < birth:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


__all__ = ["age_in_years"]
