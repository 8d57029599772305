"""Permenkes 2/2020 categories at their exact boundaries, on the rounded z."""

from __future__ import annotations

import numpy as np
import pytest

from growth import assess, categorize, classify, label_of, load_indices, score
from growth.ages import DAYS_PER_MONTH


def _labels(index: str, z, **kwargs) -> list[str]:
    return label_of(index, classify(index, z, **kwargs)).tolist()


def test_labels_are_domain_mds_exactly():
    labels = {key: [c.label for c in spec.categories] for key, spec in load_indices().items()}
    assert labels == {
        "bb_u": ["berat badan sangat kurang", "berat badan kurang", "berat badan normal",
                 "risiko berat badan lebih"],
        "pb_tb_u": ["sangat pendek", "pendek", "normal", "tinggi"],
        "bb_pb_tb": ["gizi buruk", "gizi kurang", "gizi baik", "berisiko gizi lebih",
                     "gizi lebih", "obesitas"],
        "imt_u_0_60": ["gizi buruk", "gizi kurang", "gizi baik", "berisiko gizi lebih",
                       "gizi lebih", "obesitas"],
        "imt_u_5_18": ["gizi buruk", "gizi kurang", "gizi baik", "gizi lebih", "obesitas"],
    }


def test_bb_u_boundaries():
    z = [-3.01, -3.0, -2.01, -2.0, 0.0, 1.0, 1.01]
    assert _labels("bb_u", z) == [
        "berat badan sangat kurang", "berat badan kurang", "berat badan kurang",
        "berat badan normal", "berat badan normal", "berat badan normal",
        "risiko berat badan lebih",
    ]


def test_pb_tb_u_boundaries():
    z = [-3.01, -3.0, -2.01, -2.0, 3.0, 3.01]
    assert _labels("pb_tb_u", z) == ["sangat pendek", "pendek", "pendek", "normal", "normal",
                                     "tinggi"]


@pytest.mark.parametrize("index", ["bb_pb_tb", "imt_u_0_60"])
def test_bb_pb_tb_and_imt_u_0_60_boundaries(index):
    z = [-3.01, -3.0, -2.01, -2.0, 1.0, 1.01, 2.0, 2.01, 3.0, 3.01]
    assert _labels(index, z) == [
        "gizi buruk", "gizi kurang", "gizi kurang", "gizi baik", "gizi baik",
        "berisiko gizi lebih", "berisiko gizi lebih", "gizi lebih", "gizi lebih", "obesitas",
    ]


def test_imt_u_5_18_boundaries():
    z = [-3.01, -3.0, -2.01, -2.0, 1.0, 1.01, 2.0, 2.01]
    assert _labels("imt_u_5_18", z) == [
        "gizi buruk", "gizi kurang", "gizi kurang", "gizi baik", "gizi baik", "gizi lebih",
        "gizi lebih", "obesitas",
    ]


def test_categories_read_the_rounded_z():
    # -2.004 is -2.00 (normal), -2.0051 is -2.01 (kurang), -3.004 is -3.00 (kurang)
    assert _labels("bb_u", [-2.004, -2.0051, -3.004, -3.0051]) == [
        "berat badan normal", "berat badan kurang", "berat badan kurang",
        "berat badan sangat kurang",
    ]


def test_missing_z_has_no_category():
    assert _labels("bb_u", [np.nan]) == [""]


def test_age_ranges_split_at_60_months():
    months = np.array([59.99, 60.0, 228.99, 229.0])
    assert _labels("bb_u", [0.0] * 4, age_months=months) == ["berat badan normal", "", "", ""]
    assert _labels("imt_u_0_60", [1.5] * 4, age_months=months) == [
        "berisiko gizi lebih", "", "", ""]
    assert _labels("imt_u_5_18", [1.5] * 4, age_months=months) == [
        "", "gizi lebih", "gizi lebih", ""]


def test_oedema_is_severe_in_weight_based_indices():
    kwargs = {"age_months": np.array([10.0, 10.0]), "oedema": np.array([True, False])}
    assert _labels("bb_u", [np.nan, 0.0], **kwargs) == ["berat badan sangat kurang",
                                                         "berat badan normal"]
    assert _labels("bb_pb_tb", [np.nan, 0.0], **kwargs) == ["gizi buruk", "gizi baik"]
    assert _labels("imt_u_0_60", [np.nan, 0.0], **kwargs) == ["gizi buruk", "gizi baik"]
    assert _labels("pb_tb_u", [0.0, 0.0], **kwargs) == ["normal", "normal"]  # not weight-based


def test_categorize_a_score_result():
    months = np.array([10.0, 30.0, 100.0])
    r = assess([1, 2, 1], months * DAYS_PER_MONTH, weight=[5.0, 12.5, 25.0],
               lenhei=[70.0, 90.0, 125.0], measure=["l", "h", "h"], oedema=["n", "n", "n"])
    assert r["bb_u"][2] == "" and r["pb_tb_u"][2] == "" and r["bb_pb_tb"][2] == ""
    assert r["imt_u"][2] != ""  # 5-18 years: IMT/U only
    assert r["bb_u"][0] == "berat badan sangat kurang"  # 5 kg at 10 months
    assert r["zwei"][0] < -3


def test_categorize_matches_classify():
    r = score(2, [200, 700, 1500], weight=[6.0, 9.0, 19.0], lenhei=[65.0, 78.0, 110.0],
              measure=["l", "l", "h"])
    cats = categorize(r)
    assert cats["bb_pb_tb"].tolist() == _labels("bb_pb_tb", r["zwfl"])
    assert cats["pb_tb_u"].tolist() == _labels("pb_tb_u", r["zlen"])
