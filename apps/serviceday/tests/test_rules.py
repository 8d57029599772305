"""Every cut-off at its boundary (rules.json), against the numbers DOMAIN.md gives."""
import datetime as dt

import pytest

from apps.serviceday import rules


@pytest.mark.parametrize(("lila", "kek"), [(23.4, True), (23.5, False), (22.0, True), (None, None)])
def test_kek_is_lila_below_23_5(lila, kek):
    assert rules.is_kek(lila) is kek


@pytest.mark.parametrize(("sys", "dia", "expected"), [
    (139, 89, False), (140, 80, True), (120, 90, True), (160, 100, True), (None, None, None), (139, None, False)])
def test_hypertension_is_140_over_90(sys, dia, expected):
    assert rules.is_hypertensive(sys, dia) is expected


@pytest.mark.parametrize(("gds", "status"), [(200, "normal"), (201, "tinggi"), (70, "normal"), (69, "rendah")])
def test_glucose_bounds(gds, status):
    assert rules.glucose_status(gds) == status


@pytest.mark.parametrize(("bmi", "label"), [
    (16.9, "sangat kurus"), (17.0, "kurus"), (18.4, "kurus"), (18.5, "normal"), (25.0, "normal"),
    (25.1, "gemuk"), (27.0, "gemuk"), (27.1, "obesitas")])
def test_adult_bmi_bands_of_kemenkes(bmi, label):
    assert rules.adult_bmi_category(bmi) == label


@pytest.mark.parametrize(("waist", "sex", "expected"), [(90, "L", False), (90.1, "L", True), (80, "P", False),
                                                         (80.5, "P", True)])
def test_central_obesity(waist, sex, expected):
    assert rules.has_central_obesity(waist, sex) is expected


@pytest.mark.parametrize(("hb", "kw", "expected"), [
    (10.9, {"age_months": 300, "sex": "P", "pregnant": True}, True),
    (11.0, {"age_months": 300, "sex": "P", "pregnant": True}, False),
    (11.9, {"age_months": 200, "sex": "P", "pregnant": False}, True),
    (12.0, {"age_months": 200, "sex": "P", "pregnant": False}, False),
    (12.9, {"age_months": 300, "sex": "L", "pregnant": False}, True),
    (11.4, {"age_months": 100, "sex": "L", "pregnant": False}, True),
    (11.5, {"age_months": 100, "sex": "L", "pregnant": False}, False),
    (9.0, {"age_months": 3, "sex": "L", "pregnant": False}, None),
])
def test_anaemia_cutoffs_by_age_sex_and_pregnancy(hb, kw, expected):
    assert rules.is_anaemic(hb, **kw) is expected


@pytest.mark.parametrize(("score", "dependent"), [(19, True), (20, False)])
def test_lansia_dependency_is_adl_below_20(score, dependent):
    assert rules.is_dependent(score) is dependent


@pytest.mark.parametrize(("birth", "on", "stage"), [
    (dt.date(2025, 1, 15), dt.date(2026, 1, 14), "bayi"),
    (dt.date(2025, 1, 15), dt.date(2026, 1, 15), "balita"),
    (dt.date(2021, 1, 15), dt.date(2026, 1, 14), "balita"),
    (dt.date(2021, 1, 15), dt.date(2026, 1, 15), "prasekolah"),
    (dt.date(2020, 1, 15), dt.date(2026, 1, 15), "remaja"),
    (dt.date(2007, 1, 15), dt.date(2026, 1, 14), "remaja"),
    (dt.date(2007, 1, 15), dt.date(2026, 1, 15), "produktif"),
    (dt.date(1966, 1, 15), dt.date(2026, 1, 14), "produktif"),
    (dt.date(1966, 1, 15), dt.date(2026, 1, 15), "lansia"),
])
def test_life_stage_bands(birth, on, stage):
    assert rules.life_stage(birth, on) == stage


def test_plausibility_refuses_the_impossible_and_asks_about_the_unusual():
    check = rules.check_plausible({"weight_kg": 450, "systolic": 250, "muac_cm": 22}, band="adult")
    assert "weight_kg" in check.errors and "tidak mungkin" in check.errors["weight_kg"]
    assert "systolic" in check.warnings and "muac_cm" not in check.warnings
    assert rules.check_plausible({"weight_kg": 45}, band="child").warnings  # a 45 kg balita: confirm
    assert not rules.check_plausible({"weight_kg": 45, "height_cm": 158}, band="school").warnings  # a girl of 15
    assert rules.check_plausible({"weight_kg": 20, "height_cm": 115}, band="adult").warnings  # a 6-year-old as an adult
    assert not rules.check_plausible({"weight_kg": 20, "height_cm": 115}, band="school").warnings
    assert [rules.plausibility_band(m) for m in (None, 0, 59, 60, 227, 228)] == [
        "adult", "child", "child", "school", "school", "adult"]


def test_referral_reasons_cover_each_trigger():
    result = {"two_t": True, "bgm": True, "bb_tb": "gizi buruk", "tb_u": "pendek", "kek": True, "hypertension": True,
              "glucose_status": "tinggi", "anaemia": True, "danger_signs": ["perdarahan"], "dependent": True}
    assert rules.referral_reasons(result) == ["2T", "BGM", "gizi_buruk", "stunting", "kek", "hipertensi",
                                              "gula_tinggi", "anemia", "tanda_bahaya", "ketergantungan"]
    assert rules.referral_reasons({"bb_tb": "gizi baik", "tb_u": "normal"}) == []
