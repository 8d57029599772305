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


# --- Referral triggers of DOMAIN.md "Referral triggers" and the KMS bullet -------------------------


@pytest.mark.parametrize(("kms", "two_t", "reasons"), [
    ("N", False, []), ("T", False, ["T"]), ("T", True, ["2T"]), ("O", False, []), ("B", False, []), ("", False, [])])
def test_a_single_t_is_a_trigger_and_a_2t_is_reported_once_as_2t(kms, two_t, reasons):
    assert rules.referral_reasons({"kms_status": kms, "two_t": two_t}) == reasons


@pytest.mark.parametrize(("bb_tb", "bb_u", "reasons"), [
    ("gizi baik", "berat badan normal", []),
    ("berisiko gizi lebih", "berat badan normal", ["gizi_lebih"]),
    ("gizi lebih", "risiko berat badan lebih", ["gizi_lebih"]),
    ("obesitas", "risiko berat badan lebih", ["gizi_lebih"]),
    # BB/U > +1 only when there is no BB/PB-TB to confirm it with (Permenkes 2/2020).
    ("", "risiko berat badan lebih", ["risiko_bb_lebih"]),
    ("gizi baik", "risiko berat badan lebih", []),
    ("", "berat badan normal", []),
])
def test_above_the_orange_line_is_the_permenkes_risk_of_overweight_or_worse(bb_tb, bb_u, reasons):
    assert rules.referral_reasons({"bb_tb": bb_tb, "bb_u": bb_u}) == reasons


@pytest.mark.parametrize(("zhc", "flagged", "category"), [
    (-2.0, False, "normal"), (-2.01, False, "mikrosefali"), (2.0, False, "normal"), (2.01, False, "makrosefali"),
    (0.0, False, "normal"), (-5.5, True, ""), (None, False, ""), (float("nan"), False, "")])
def test_head_circumference_category_at_minus_and_plus_2_sd_of_the_rounded_z(zhc, flagged, category):
    assert rules.head_circumference_category(zhc, flagged=flagged) == category


@pytest.mark.parametrize(("sex", "age_days", "head", "category"), [
    # Unrounded -1.9991 and +2.0046: the rounded z (-2.00, +2.00) is normal, as e-PPGBM reads it.
    (2, 301, 41.5, "normal"), (2, 302, 41.5, "mikrosefali"), (1, 301, 47.9, "normal"), (1, 308, 48.0, "makrosefali")])
def test_head_circumference_category_from_the_growth_engine(sex, age_days, head, category):
    import growth

    scored = growth.assess(sex=sex, age_days=[age_days], headc=[head])
    assert rules.head_circumference_category(float(scored["zhc"][0]), flagged=False) == category


@pytest.mark.parametrize(("lk_u", "reasons"), [
    ("mikrosefali", ["mikrosefali"]), ("makrosefali", ["makrosefali"]), ("normal", []), ("", [])])
def test_micro_and_macrocephaly_are_triggers(lk_u, reasons):
    assert rules.referral_reasons({"lk_u": lk_u}) == reasons


@pytest.mark.parametrize(("muac", "months", "red"), [
    (11.4, 6, True), (11.5, 6, False), (11.4, 59, True), (11.5, 59, False),
    (11.4, 5, None), (11.4, 60, None), (None, 12, None), (11.4, None, None)])
def test_lila_red_band_is_below_11_5_cm_from_6_to_59_months(muac, months, red):
    assert rules.is_muac_red(muac, months) is red


def test_lila_red_band_is_a_trigger():
    assert rules.referral_reasons({"muac_red": True}) == ["lila_merah"]
    assert rules.referral_reasons({"muac_red": False}) == [] == rules.referral_reasons({"muac_red": None})


TBC_NONE = {"cough": None, "fever": None, "weight": None, "contact": None}


@pytest.mark.parametrize(("answers", "count"), [
    (TBC_NONE, None),
    ({**TBC_NONE, "cough": False}, 0),
    ({**TBC_NONE, "cough": True}, 1),
    ({**TBC_NONE, "cough": True, "fever": False, "contact": True}, 2),
    ({"cough": True, "fever": True, "weight": True, "contact": True}, 4),
])
def test_tbc_symptoms_are_counted_and_none_when_not_screened(answers, count):
    assert rules.tbc_symptom_count(**answers) == count


@pytest.mark.parametrize(("count", "suspect"), [(None, False), (0, False), (1, False), (2, True), (4, True)])
def test_tbc_suspect_from_two_symptoms(count, suspect):
    assert rules.is_tbc_suspect(count) is suspect


@pytest.mark.parametrize(("answer", "kms", "two_t", "counted"), [
    (False, "T", True, True),    # 2T: the KMS says the weight did not rise two months in a row
    (None, "T", True, True),
    (True, "N", False, False),   # rose this month: not two months without a rise
    (True, "T", False, True),    # a single T: the month before is not known here, the kader's answer stands
    (False, "T", False, False),
    (True, "O", False, True), (True, "B", False, True), (None, "", False, None), (True, "", False, True)])
def test_the_tbc_weight_item_of_a_child_weighed_on_the_kms_comes_from_the_kms(answer, kms, two_t, counted):
    assert rules.tbc_weight_symptom(answer, kms_status=kms, two_t=two_t) is counted


def test_the_kms_alone_is_no_tbc_screening():
    assert rules.tbc_symptom_count(**TBC_NONE, kms_status="T", two_t=True) is None


@pytest.mark.parametrize(("result", "reasons"), [
    ({"tbc_cough": True, "tbc_fever": False, "tbc_weight": False, "tbc_contact": False}, []),
    ({"tbc_cough": True, "tbc_fever": True, "tbc_weight": False, "tbc_contact": False}, ["tbc"]),
    ({"tbc_cough": True, "tbc_contact": None, "kms_status": "T", "two_t": True}, ["2T", "tbc"]),
    ({"tbc_cough": True, "tbc_weight": True, "kms_status": "N"}, []),
])
def test_two_tbc_symptoms_are_a_trigger(result, reasons):
    assert rules.referral_reasons(result) == reasons


@pytest.mark.parametrize(("development", "reasons"), [
    ("sesuai", []), ("meragukan", ["perkembangan"]), ("penyimpangan", ["perkembangan"]), ("", [])])
def test_a_development_screening_not_sesuai_is_a_trigger(development, reasons):
    assert rules.referral_reasons({"development": development}) == reasons


@pytest.mark.parametrize(("smoker", "age", "applies"), [
    (True, 39, False), (True, 40, True), (True, 75, True), (False, 50, False), (None, 50, False), (True, None, False)])
def test_puma_is_for_smokers_aged_40_and_over(smoker, age, applies):
    assert rules.puma_applies(smoker=smoker, age_years=age) is applies


NO_SYMPTOMS = {"short_breath": False, "phlegm": False, "cough": False, "spirometry": False}


@pytest.mark.parametrize(("sex", "age", "per_day", "years", "score"), [
    ("P", 40, 10, 10, 0), ("L", 40, 10, 10, 1),              # sex: laki-laki 1
    ("P", 49, 10, 10, 0), ("P", 50, 10, 10, 1), ("P", 59, 10, 10, 1), ("P", 60, 10, 10, 2),  # age bands
    ("P", 45, 19, 21, 0),                                     # 19.95 pack-years: < 20
    ("P", 45, 20, 20, 1), ("P", 45, 30, 20, 1),               # 20 and 30 pack-years: 20-30
    ("P", 45, 31, 20, 2),                                     # 31 pack-years: > 30
])
def test_puma_points_for_sex_age_and_pack_years(sex, age, per_day, years, score):
    assert rules.puma_score(sex=sex, age_years=age, cigarettes_per_day=per_day, smoking_years=years,
                            **NO_SYMPTOMS) == score


def test_puma_scores_each_yes_and_tops_at_9():
    assert rules.puma_score(sex="L", age_years=65, cigarettes_per_day=40, smoking_years=30, short_breath=True,
                            phlegm=True, cough=True, spirometry=True) == 9
    assert rules.puma_score(sex="P", age_years=45, cigarettes_per_day=10, smoking_years=10, short_breath=True,
                            phlegm=False, cough=True, spirometry=False) == 2


@pytest.mark.parametrize(("score", "reasons"), [(None, []), (5, []), (6, ["puma"]), (9, ["puma"])])
def test_a_puma_score_of_6_or_more_is_a_trigger(score, reasons):
    assert rules.referral_reasons({"puma_score": score}) == reasons


def test_every_reason_code_has_an_indonesian_label():
    everything = {"two_t": True, "bgm": True, "bb_tb": "gizi buruk", "tb_u": "pendek", "lk_u": "mikrosefali",
                  "muac_red": True, "kek": True, "hypertension": True, "glucose_status": "tinggi", "puma_score": 6,
                  "anaemia": True, "tbc_cough": True, "tbc_fever": True, "development": "meragukan",
                  "danger_signs": ["perdarahan"], "dependent": True}
    codes = (rules.referral_reasons(everything)
             + rules.referral_reasons({"kms_status": "T", "bb_tb": "obesitas", "lk_u": "makrosefali"})
             + rules.referral_reasons({"bb_tb": "gizi kurang"})
             + rules.referral_reasons({"bb_u": "risiko berat badan lebih", "glucose_status": "rendah"}))
    labels = rules.rules()["referral_triggers"]["codes"]
    assert set(codes) == set(labels)
    assert all(rules.reason_label(code) != code for code in codes)
