"""KMS weight monitoring: N, T, O, B, 2T, BGM and the KBM table."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from growth import kbm_for_age, kms_series
from growth.kms import kbm_table
from growth.tables import DATA_DIR

DOB = "2023-06-15"  # visits on the 20th: the child is N completed months old


def _statuses(visits, weights, **kwargs):
    return [v.status for v in kms_series(1, visits, weights, **kwargs)]


def test_kbm_table_is_read_from_data():
    with open(DATA_DIR / "kbm.json", encoding="utf-8") as handle:
        raw = json.load(handle)
    assert raw["tag"] == "[S/U]" and "Buku KIA" in raw["source"]
    assert [kbm_for_age(m) for m in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 60)] == [
        800, 900, 800, 600, 500, 400, 400, 300, 300, 200, 200]
    assert kbm_for_age(0) == 800  # no row for month 0: the 1-month value (documented)
    assert kbm_for_age(61) is None and kbm_for_age(None) is None
    assert sorted(kbm_table()) == list(range(1, 61))


def test_first_weighing_is_b_then_n_or_t_by_kbm():
    visits = ["2023-08-20", "2023-09-20", "2023-10-20"]  # 2, 3, 4 months
    # 2->3 months: +800 g = KBM(3) -> N; 3->4 months: +599 g < KBM(4) 600 -> T
    assert _statuses(visits, [5.0, 5.8, 6.399], dob=DOB) == ["B", "N", "T"]


def test_gain_exactly_the_kbm_is_n_and_one_gram_less_is_t():
    visits = ["2024-01-20", "2024-02-20"]  # 7 -> 8 months: KBM(8) = 300 g
    assert _statuses(visits, [8.0, 8.3], dob=DOB) == ["B", "N"]
    assert _statuses(visits, [8.0, 8.299], dob=DOB) == ["B", "T"]


def test_heavier_than_last_time_is_not_enough():
    visits = ["2023-07-20", "2023-08-20"]  # 1 -> 2 months: KBM(2) = 900 g
    result = kms_series(2, visits, [4.0, 4.5], dob=DOB)
    assert [v.status for v in result] == ["B", "T"]
    assert (result[1].gain_g, result[1].kbm_g) == (500, 900)


def test_o_when_not_weighed_in_the_calendar_month_before():
    # January, then March: February is missing -> O; then April -> compared with March
    visits = ["2024-01-20", "2024-03-20", "2024-04-20"]
    assert _statuses(visits, [8.0, 8.4, 8.7], dob=DOB) == ["B", "O", "N"]


def test_last_month_is_the_calendar_month_not_30_days():
    # 31 January -> 1 March: 30 days, but February was skipped: O.
    # 31 January -> 1 February: one day, but consecutive calendar months: compared.
    dob = "2023-06-01"
    assert _statuses(["2024-01-31", "2024-03-01"], [8.0, 8.5], dob=dob) == ["B", "O"]
    assert _statuses(["2024-01-31", "2024-02-01"], [8.0, 8.5], dob=dob) == ["B", "N"]


def test_two_t_in_a_row():
    visits = ["2024-01-20", "2024-02-20", "2024-03-20", "2024-04-20", "2024-06-20", "2024-07-20"]
    weights = [8.0, 8.1, 8.2, 8.3, 8.4, 8.5]
    result = kms_series(1, visits, weights, dob=DOB)
    assert [v.status for v in result] == ["B", "T", "T", "T", "O", "T"]
    assert [v.two_t for v in result] == [False, False, True, True, False, False]


def test_bgm_is_waz_below_minus_3():
    visits = ["2024-01-20", "2024-02-20"]  # 7 and 8 months old, boy
    result = kms_series(1, visits, [5.0, 8.0], dob=DOB)
    assert [v.bgm for v in result] == [True, False]
    assert result[0].waz < -3 < result[1].waz


def test_visits_without_weight_have_no_status_and_do_not_count():
    visits = ["2024-01-20", "2024-02-20", "2024-03-20"]
    assert _statuses(visits, [8.0, None, 8.3], dob=DOB) == ["B", None, "O"]
    assert _statuses(visits, ["", "8,0", "8.3"], dob=DOB) == [None, "B", "N"]


def test_input_order_is_kept():
    visits = ["2024-03-20", "2024-01-20", "2024-02-20"]
    assert _statuses(visits, [8.7, 8.0, 8.4], dob=DOB) == ["N", "B", "N"]


def test_age_from_days_when_no_date_of_birth():
    visits = ["2024-01-20", "2024-02-20"]
    result = kms_series(1, visits, [8.0, 8.3], ages_days=[220, 251])  # 7.2 and 8.2 months
    assert [(v.age_months, v.status, v.kbm_g) for v in result] == [(7, "B", 400), (8, "N", 300)]


def test_no_status_after_60_months_and_when_age_is_unknown():
    result = kms_series(1, ["2024-01-20", "2024-02-20"], [18.0, 18.5], dob="2018-06-15")
    assert [v.status for v in result] == [None, None]
    unknown = kms_series(1, ["2024-01-20", "2024-02-20"], [8.0, 8.5])
    assert [v.status for v in unknown] == ["B", None] and unknown[1].gain_g == 500


def test_same_month_reweighing_compares_with_the_month_before():
    visits = ["2024-01-20", "2024-02-05", "2024-02-25"]
    assert _statuses(visits, [8.0, 8.1, 8.4], dob=DOB) == ["B", "T", "N"]


def test_bad_dates_are_left_without_status():
    result = kms_series(1, ["2024-01-20", "bukan tanggal"], [8.0, 8.3], dob=DOB)
    assert result[1].status is None and result[1].visit_date is None


def test_lengths_must_match():
    with pytest.raises(ValueError):
        kms_series(1, [dt.date(2024, 1, 1)], [8.0, 9.0])
