"""Age in completed years: the birthday itself counts, 29 February, unknown or later birth dates."""
import datetime as dt

from apps.core.ages import age_in_years


def test_age_in_completed_years():
    assert age_in_years(dt.date(2010, 3, 11), dt.date(2026, 3, 10)) == 15
    assert age_in_years(dt.date(2010, 3, 11), dt.date(2026, 3, 11)) == 16
    assert age_in_years(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17  # no 29 February this year
    assert age_in_years(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18
    assert age_in_years(None, dt.date(2026, 1, 1)) is None
    assert age_in_years(dt.date(2026, 5, 1), dt.date(2026, 1, 1)) is None
