"""The WHO rules one by one (anthro >= 1.1 / anthroplus), at their edges."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from growth import FLAG_LIMITS, age_in_days, lms_value, round_z, score, score_dates, tables
from growth.ages import DAYS_PER_MONTH, completed_months, parse_date
from growth.zscores import flag, lms_z, lms_z_restricted


def _lms(name: str, sex: int, i: int) -> tuple[float, float, float]:
    t = tables.load(name)
    return float(t.l[sex, i]), float(t.m[sex, i]), float(t.s[sex, i])


def test_age_in_days_is_rounded_half_up():
    # 730.5 days is 731 (anthro 0.9.2 news, #17): the height table and no 0.7 cm for "h"
    r = score(1, [730.49, 730.5], lenhei=85, measure="h")
    assert r["age_days"].tolist() == [730, 731]
    assert r["clenhei"].tolist() == [85.7, 85.0]


def test_0_7_cm_rule_both_ways_at_731_days():
    r = score(2, [730, 731, 730, 731, 731], lenhei=90, measure=["h", "h", "l", "l", None])
    assert np.allclose(r["clenhei"], [90.7, 90, 90, 89.3, 90])


def test_standing_under_9_months_uses_unrounded_months():
    nine = 9 * DAYS_PER_MONTH  # 273.9375 days
    r = score(1, [nine - 0.01, nine], lenhei=65, measure="h")
    assert r["c9mo_flag"].tolist() == [1, 0]
    assert np.allclose(r["clenhei"], [65.0, 65.7])


def test_bmi_uses_the_adjusted_length():
    r = score(1, 800, weight=12, lenhei=90, measure="l")
    assert r["cbmi"][0] == pytest.approx(12 / 0.893**2)
    l_, m, s = _lms("bmianthro", 1, 800)
    assert r["zbmi"][0] == round(float(lms_z(np.array([12 / 0.893**2]), np.array([l_]),
                                              np.array([m]), np.array([s]))[0]), 2)


def test_weight_for_length_below_731_days_and_for_height_from_731():
    r = score(1, [730, 731], weight=10, lenhei=80, measure=["l", "h"])
    # 730 days lying: WFL at 80.0; 731 days standing: WFH at 80.0
    wfl, wfh = _lms("wflanthro", 1, 350), _lms("wfhanthro", 1, 150)
    for got, (l_, m, s) in zip(r["zwfl"], (wfl, wfh), strict=True):
        assert got == round(((10 / m) ** l_ - 1) / (s * l_), 2)


@pytest.mark.parametrize(
    "age, lenhei, measure, scored",
    [
        (300, 45.0, "l", True), (300, 44.99, "l", False), (300, 110.0, "l", True),
        (300, 110.01, "l", False), (1000, 65.0, "h", True), (1000, 64.99, "h", False),
        (1000, 120.0, "h", True), (1000, 120.01, "h", False),
        # the range applies to the adjusted length: 109.5 standing at 300 days is 110.2
        (300, 109.5, "h", False),
    ],
)
def test_weight_for_length_height_ranges(age, lenhei, measure, scored):
    z = score(2, age, weight=12, lenhei=lenhei, measure=measure)["zwfl"][0]
    assert (not np.isnan(z)) == scored


def test_weight_for_length_without_age_follows_position_then_87_cm():
    r = score(1, None, weight=12, lenhei=[86.9, 86.9, 87.0, 87.0], measure=["h", None, "l", None])
    wfh_869 = _lms("wfhanthro", 1, 219)
    wfl_869 = _lms("wflanthro", 1, 419)
    wfl_870 = _lms("wflanthro", 1, 420)
    wfh_870 = _lms("wfhanthro", 1, 220)
    expected = [
        round(float(lms_z_restricted(np.array([12.0]), *map(np.array, ([v] for v in lms)))[0]), 2)
        for lms in (wfh_869, wfl_869, wfl_870, wfh_870)
    ]
    assert r["zwfl"].tolist() == expected
    assert np.isnan(r["zwei"]).all()  # no age: no age-based z


def test_lms_interpolated_for_lengths_with_more_decimals():
    lo, hi = _lms("wflanthro", 2, 372), _lms("wflanthro", 2, 373)  # 82.2 and 82.3 cm
    frac = 0.45
    l_, m, s = (a + frac * (b - a) for a, b in zip(lo, hi, strict=True))
    z = score(2, 500, weight=11, lenhei=82.245, measure="l")["zwfl"][0]
    assert z == round(((11 / m) ** l_ - 1) / (s * l_), 2)
    assert z != score(2, 500, weight=11, lenhei=82.2, measure="l")["zwfl"][0]


def test_one_decimal_lengths_hit_their_row_despite_float_noise():
    # 81.4 + 0.7 is 82.10000000000001 in binary floating point
    a = score(1, 400, weight=11, lenhei=82.1, measure="l", digits=None)["zwfl"][0]
    b = score(1, 400, weight=11, lenhei=81.4, measure="h", digits=None)["zwfl"][0]
    assert a == b


def test_2007_reference_interpolates_between_whole_months():
    lo, hi = _lms("hfawho2007", 1, 40), _lms("hfawho2007", 1, 41)  # months 100 and 101
    frac = 0.25
    l_, m, s = (a + frac * (b - a) for a, b in zip(lo, hi, strict=True))
    z = score(1, 100.25 * DAYS_PER_MONTH, lenhei=130, measure="h", digits=None)["zlen"][0]
    assert z == pytest.approx(((130 / m) ** l_ - 1) / (s * l_), abs=1e-12)


def test_restricted_lms_formula_beyond_3_sd():
    l_, m, s = _lms("weianthro", 1, 400)
    sd2, sd3 = lms_value(l_, m, s, 2), lms_value(l_, m, s, 3)
    weight = float(sd3 + 1.5 * (sd3 - sd2))
    assert score(1, 400, weight=weight)["zwei"][0] == 4.5
    plain = ((weight / m) ** l_ - 1) / (s * l_)
    assert round(plain, 2) != 4.5  # the unrestricted formula would say otherwise


def test_length_and_head_circumference_are_not_restricted():
    l_, m, s = _lms("lenanthro", 1, 100)
    assert l_ == 1  # L = 1: linear anyway
    assert score(1, 100, lenhei=m * (1 + 4 * s), measure="l")["zlen"][0] == 4.0


def test_arm_circumference_from_91_days():
    r = score(1, [90, 91, 1826], armc=13)
    assert np.isnan(r["zac"][0]) and not np.isnan(r["zac"][1:]).any()


def test_rounding_is_half_away_from_zero():
    z = np.array([0.125, -0.125, 1.005000001, -1.005000001, 2.0049, -2.0049, 0.0, -0.001])
    assert round_z(z).tolist() == [0.13, -0.13, 1.01, -1.01, 2.0, -2.0, 0.0, 0.0]
    assert str(round_z(np.array([-0.001]))[0]) == "0.0"  # no "-0.0"


def test_round_z_turns_infinities_into_nan():
    assert np.isnan(round_z(np.array([np.inf, -np.inf, np.nan]))).all()


@pytest.mark.parametrize(
    "indicator, z, flagged",
    [
        ("wei", -6.0, 0), ("wei", -6.01, 1), ("wei", 5.0, 0), ("wei", 5.01, 1),
        ("len", -6.0, 0), ("len", -6.01, 1), ("len", 6.0, 0), ("len", 6.01, 1),
        ("wfl", -5.0, 0), ("wfl", -5.01, 1), ("wfl", 5.0, 0), ("wfl", 5.01, 1),
        ("bmi", 5.01, 1), ("hc", -5.01, 1), ("ac", 5.0, 0),
    ],
)
def test_flags_on_the_rounded_z(indicator, z, flagged):
    assert flag(indicator, np.array([z]))[0] == flagged


def test_flags_are_decided_after_rounding():
    # a weight whose unrounded WAZ is 5.004 rounds to 5.00: not flagged
    l_, m, s = _lms("weianthro", 2, 700)
    sd2, sd3 = lms_value(l_, m, s, 2), lms_value(l_, m, s, 3)
    r = score(2, 700, weight=float(sd3 + 2.004 * (sd3 - sd2)))
    assert r["zwei"][0] == 5.0 and r["fwei"][0] == 0
    r = score(2, 700, weight=float(sd3 + 2.006 * (sd3 - sd2)))
    assert r["zwei"][0] == 5.01 and r["fwei"][0] == 1


def test_oedema_removes_weight_based_z_only():
    r = score(1, 400, weight=9, lenhei=75, measure="l", oedema="y", headc=45, armc=14)
    for name in ("wei", "wfl", "bmi"):
        assert np.isnan(r["z" + name][0]) and np.isnan(r["f" + name][0])
    for name in ("len", "hc", "ac"):
        assert not np.isnan(r["z" + name][0])
    assert not np.isnan(r["cbmi"][0])  # the BMI itself is still reported, as anthro does


def test_unknown_sex_gives_no_z_but_keeps_cleaned_values():
    r = score(["x", 3, None], 400, weight=9, lenhei=75, measure="l")
    for name in ("len", "wei", "wfl", "bmi"):
        assert np.isnan(r["z" + name]).all()
    assert np.allclose(r["clenhei"], 75)


def test_negative_or_missing_age_is_missing():
    r = score(1, [-1, np.nan, np.inf], weight=9, lenhei=75, measure="l")
    assert np.isnan(r["age_days"]).all() and np.isnan(r["zwei"]).all()
    assert not np.isnan(r["zwfl"]).any()  # weight-for-length needs no age


def test_indonesian_codes_are_accepted():
    a = score(["L", "P", "laki-laki", "Perempuan"], 400, weight=9, lenhei=75,
              measure=["Terlentang", "terlentang", "l", "L"], oedema=["tidak", "Ya", "n", "y"])
    b = score([1, 2, 1, 2], 400, weight=9, lenhei=75, measure="l", oedema=["n", "y", "n", "y"])
    for key in ("zwei", "zlen", "zwfl"):
        assert np.array_equal(a[key], b[key], equal_nan=True)


def test_text_numbers_and_decimal_commas():
    a = score("1", "400", weight="9,5", lenhei="75.0", measure="l")
    b = score(1, 400, weight=9.5, lenhei=75.0, measure="l")
    assert a["zwei"][0] == b["zwei"][0] and a["zwfl"][0] == b["zwfl"][0]


def test_scalars_broadcast_and_lengths_must_agree():
    assert score(1, [100, 200, 300], weight=6)["zwei"].shape == (3,)
    with pytest.raises(ValueError):
        score([1, 2], [100, 200, 300], weight=6)


def test_score_dates_and_age_in_days():
    r = score_dates(2, "2020-01-01", ["2024-03-01", "01/03/2024"], weight=15)
    assert r["age_days"].tolist() == [1521, 1521]
    assert age_in_days(np.array(["2020-01-01"], dtype="datetime64[D]"),
                       np.array(["2020-03-01"], dtype="datetime64[D]")).tolist() == [60]
    assert np.isnan(age_in_days("not a date", "2020-01-01")[0])
    assert age_in_days(dt.date(2024, 1, 2), dt.datetime(2024, 1, 1, 23, 0))[0] == -1


@pytest.mark.parametrize(
    "text, expected",
    [("2024-03-01", dt.date(2024, 3, 1)), ("01/03/2024", dt.date(2024, 3, 1)),
     ("1-3-2024", dt.date(2024, 3, 1)), ("01.03.2024", dt.date(2024, 3, 1)),
     ("2024-03-01 10:30:00", dt.date(2024, 3, 1)), ("2024-03-01T10:30", dt.date(2024, 3, 1)),
     ("1 Maret 2024", dt.date(2024, 3, 1)), ("17 Agustus 1945", dt.date(1945, 8, 17)),
     ("01/03/24", None), ("31/02/2024", None), ("-", None), ("", None), ("abc", None)],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "dob, visit, months",
    [("2024-01-31", "2024-02-29", 1), ("2024-01-31", "2024-02-28", 0),
     ("2023-05-15", "2024-05-14", 11), ("2023-05-15", "2024-05-15", 12)],
)
def test_completed_months(dob, visit, months):
    assert completed_months(parse_date(dob), parse_date(visit)) == months


def test_flag_limits_are_whos():
    assert FLAG_LIMITS == {"len": (-6, 6), "wei": (-6, 5), "wfl": (-5, 5), "bmi": (-5, 5),
                           "hc": (-5, 5), "ac": (-5, 5)}


def test_large_inputs_are_scored_in_blocks_with_identical_results():
    from growth.zscores import BLOCK_ROWS

    rng = np.random.default_rng(3)
    n = 2 * BLOCK_ROWS + 17
    args = (rng.integers(1, 3, n), rng.uniform(0, 6900, n), rng.uniform(2, 60, n),
            rng.uniform(45, 180, n), rng.choice(["l", "h"], n))
    whole = score(*args)
    pieces = [score(*(a[i:i + 1000] for a in args)) for i in range(0, n, 1000)]
    for key, values in whole.items():
        assert np.array_equal(values, np.concatenate([p[key] for p in pieces]), equal_nan=True), key
