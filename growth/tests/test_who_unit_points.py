"""WHO's own unit-test points, re-run against this engine.

Sources (read with the project's code search, not copied):
- github.com/WorldHealthOrganization/anthro, tests/testthat/
  test-zscore-weight-for-age.R, test-zscore-length-for-age.R,
  test-zscore-bmi-for-age.R, test-zscores.R;
- github.com/WorldHealthOrganization/anthroplus, tests/testthat/test-zscores.R
  (anthroplus 1.1).
"""

from __future__ import annotations

import numpy as np
import pytest

from growth import score
from growth.ages import DAYS_PER_MONTH

MONTH = DAYS_PER_MONTH


def test_weight_for_age_girl_1522_days_17_kg():
    # test-zscore-weight-for-age.R: "computes the z-score" -> 0.24, not flagged
    r = score(2, 1522, weight=17)
    assert r["zwei"][0] == 0.24 and r["fwei"][0] == 0


def test_weight_for_age_flag_girl_1_day_10_37_kg():
    # test-zscore-weight-for-age.R: "has a default flag threshold of -6;5"
    assert score(2, 1, weight=10.37)["fwei"][0] == 1


def test_weight_for_age_no_2006_table_after_60_months_and_nothing_before_birth():
    # test-zscore-weight-for-age.R: ages 1, 1857 and -1 days.  anthro gives NA at
    # 1857 days; this engine hands that age to the WHO 2007 reference (anthroplus).
    r = score(1, [1, 1857, -1], weight=[50, 60, 50])
    assert r["standard"].tolist() == [2006, 2007, 0]
    assert not np.isnan(r["zwei"][:2]).any()
    assert np.isnan(r["zwei"][2]) and np.isnan(r["fwei"][2])


def test_length_for_age_boy_44_days_50_cm():
    # test-zscore-length-for-age.R: round(((50 / 56.4833)^1 - 1) / (0.03492 * 1), 2)
    r = score(1, 44, lenhei=50, measure="l")
    assert r["zlen"][0] == round((50 / 56.4833 - 1) / 0.03492, 2) == -3.29
    assert r["flen"][0] == 0


def test_length_for_age_uses_adjusted_lenhei():
    # test-zscores.R: sex 1, age 987, lenhei 72.86, "l" -> zlen -6.09, flen 1
    r = score(1, 987, lenhei=72.86, measure="l")
    assert r["zlen"][0] == -6.09 and r["flen"][0] == 1
    assert r["clenhei"][0] == pytest.approx(72.16)


def test_bmi_for_age_flag_girl_1_day_bmi_25():
    # test-zscore-bmi-for-age.R: bmi 25 at 1 day (girl) is flagged; BMI 25 = 6.25 kg at 50 cm
    r = score(2, 1, weight=6.25, lenhei=50, measure="l")
    assert r["cbmi"][0] == 25.0 and r["fbmi"][0] == 1


def test_measures_of_zero_or_less_give_no_z():
    # several anthro tests: "returns NA if weight/lenhei/headc/armc is <= 0"
    r = score(2, 100, weight=[0, -1], lenhei=[0, -1], headc=[0, -1], armc=[0, -1], measure="l")
    for name in ("wei", "len", "wfl", "bmi", "hc", "ac"):
        assert np.isnan(r["z" + name]).all() and np.isnan(r["f" + name]).all()


def test_adds_adjusted_lenhei():
    # test-zscores.R: ages 730/800 days, h/h/l/l -> 100.7, 100, 100, 99.3
    r = score([1] * 4, [730, 800, 730, 800], lenhei=100, measure=["h", "h", "l", "l"])
    assert np.allclose(r["clenhei"], [100.7, 100, 100, 99.3])


def test_cbmi_is_weight_over_height_squared():
    # test-zscores.R: "adds bmi to the output data.frame": 20 / (100/100)^2
    assert score(1, 30, weight=20, lenhei=100)["cbmi"][0] == 20.0


def test_standing_under_9_months_keeps_the_length_and_is_flagged():
    # test-zscores.R: "young children with measured standing will be adjusted"
    r = score(1, np.array([8, 9]) * MONTH, lenhei=60, measure="h")
    assert r["c9mo_flag"].tolist() == [1, 0]
    assert np.allclose(r["clenhei"], [60.0, 60.7])
    assert r["zlen"].tolist() == [-4.81, -5.02]
    assert r["cmeasure"].tolist() == [0, 2]  # NA, "h"


def test_z_scores_only_below_60_months_for_the_2006_indicators():
    # test-zscores.R: ages 59.9, 60, 60.1 months -> only the first row has 2006 z-scores
    r = score(1, np.array([59.9, 60, 60.1]) * MONTH, weight=20, lenhei=80, measure="h",
              headc=5, armc=5)
    assert (r["standard"] == [2006, 2007, 2007]).all()
    assert not np.isnan(r["zwfl"][0]) and np.isnan(r["zwfl"][1:]).all()
    assert np.isnan(r["zhc"][1:]).all() and np.isnan(r["zac"][1:]).all()


def test_height_table_at_24_months():
    # test-zscores.R: girl, 24 months (730.5 -> 731 days), 77.5 cm -> zlen -2.55;
    # with "h" or no measure the length is not adjusted
    r = score(2, 24 * MONTH, weight=8.8, lenhei=77.5, measure=["h", None])
    assert r["zlen"].tolist() == [-2.55, -2.55]
    assert r["clenhei"].tolist() == [77.5, 77.5]


def test_no_sex_no_z():
    # test-zscores.R: "does not compute anything if sex is NA"
    r = score(None, 50, lenhei=50)
    assert np.isnan(r["zlen"][0])


def test_age_missing_no_age_based_z():
    # test-zscores.R: "age related indicators are not calculated if age is NA"
    assert np.isnan(score(1, None, lenhei=72.86)["zlen"][0])


def test_sex_and_oedema_encodings():
    # test-zscores.R: 1/"m"/"M" and 2/"f"/"F"; oedema "2"/"n" and "1"/"y"
    a = score([1, "m", "M", 2, "f", "F"], 987, lenhei=72.86)["zlen"]
    assert a[0] == a[1] == a[2] and a[3] == a[4] == a[5] and a[0] != a[3]
    b = score(1, 100, weight=7, lenhei=60, measure="l", oedema=["2", "n", "1", "y"])
    assert b["zwei"][0] == b["zwei"][1] and np.isnan(b["zwei"][2:]).all()


def test_anthroplus_values_around_60_months():
    # anthroplus test-zscores.R: "computes correct value for age ~ 60 months"
    months = np.array([60.32, 60.911701])
    r = score(2, months * MONTH, weight=[18.7, 20.5], lenhei=[113.8, 113.6])
    assert r["zwei"].tolist() == [0.21, 0.79]
    assert r["zbmi"].tolist() == [-0.58, 0.42]
    assert r["zlen"].tolist() == [0.96, 0.85]
    assert r["fwei"].tolist() == r["fbmi"].tolist() == r["flen"].tolist() == [0, 0]
    # "... and precision of 3dp"
    r3 = score(2, months * MONTH, weight=[18.7, 20.5], lenhei=[113.8, 113.6], digits=3)
    assert r3["zwei"].tolist() == [0.212, 0.795]
    assert r3["zbmi"].tolist() == [-0.575, 0.418]
    assert r3["zlen"].tolist() == [0.959, 0.848]


def test_anthroplus_upper_age_bounds_are_exclusive():
    # anthroplus 1.1 test-zscores.R: ages 120, 228.5, 121, 229 months
    r = score(1, np.array([120, 228.5, 121, 229]) * MONTH, weight=30, lenhei=60)
    assert np.isnan(r["zlen"]).tolist() == [False, False, False, True]
    assert np.isnan(r["zwei"]).tolist() == [False, True, True, True]
    assert np.isnan(r["zbmi"]).tolist() == [False, False, False, True]


def test_anthroplus_60_months_supported_59_not():
    # anthroplus: "age >= 60 months is supported"; below 60 the 2006 standards apply
    r = score(1, np.array([60, 59]) * MONTH, weight=30, lenhei=60)
    assert (r["standard"] == [2007, 2006]).all()
    assert not np.isnan(r["zlen"]).any()


def test_anthroplus_oedema_gives_no_weight_z():
    r = score(1, 120 * MONTH, weight=30, lenhei=60, oedema=[1, 2, None])
    assert np.isnan(r["zwei"][0]) and np.isnan(r["zbmi"][0]) and np.isnan(r["fwei"][0])
    assert not np.isnan(r["zwei"][1:]).any() and not np.isnan(r["zbmi"][1:]).any()
