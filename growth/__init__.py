"""WHO growth engine for Posyandu: z-scores, Permenkes 2/2020 status, KMS.

A pure library (numpy only, no Django): every function takes whole columns.

    >>> from growth import score, categorize
    >>> r = score(sex=2, age_days=1522, weight=17.0)
    >>> float(r["zwei"][0])
    0.24

See docs/growth.md for the WHO rules implemented and their sources.
"""

from typing import Any

import numpy as np

from growth.ages import DAYS_PER_MONTH, age_in_days, completed_months, parse_date
from growth.categories import categorize, classify, label_of, load_indices
from growth.zscores import FLAG_LIMITS, INDICATORS, lms_value, round_z, score

# The chart and the KMS are imported when first used: the batch command
# (``python -m growth``) needs neither, and its start-up is part of its speed.
_LAZY = {"child_growth_svg": "growth.chart", "growth_chart_svg": "growth.chart",
         "KmsVisit": "growth.kms", "kbm_for_age": "growth.kms", "kms_series": "growth.kms"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'growth' has no attribute {name!r}")


def score_dates(
    sex: Any,
    dob: Any,
    visit_date: Any,
    weight: Any = None,
    lenhei: Any = None,
    measure: Any = None,
    oedema: Any = None,
    headc: Any = None,
    armc: Any = None,
    *,
    digits: int | None = 2,
) -> dict[str, np.ndarray]:
    """``score`` with the age taken from dates of birth and of visit."""
    return score(sex, age_in_days(dob, visit_date), weight, lenhei, measure, oedema, headc, armc,
                 digits=digits)


def assess(
    sex: Any,
    age_days: Any = None,
    weight: Any = None,
    lenhei: Any = None,
    measure: Any = None,
    oedema: Any = None,
    headc: Any = None,
    armc: Any = None,
) -> dict[str, np.ndarray]:
    """``score`` plus the Permenkes labels (bb_u, pb_tb_u, bb_pb_tb, imt_u) in one dict."""
    result = score(sex, age_days, weight, lenhei, measure, oedema, headc, armc)
    result.update(categorize(result))
    return result


__all__ = [
    "DAYS_PER_MONTH",
    "FLAG_LIMITS",
    "INDICATORS",
    "KmsVisit",
    "age_in_days",
    "assess",
    "categorize",
    "child_growth_svg",
    "classify",
    "completed_months",
    "growth_chart_svg",
    "kbm_for_age",
    "kms_series",
    "label_of",
    "lms_value",
    "load_indices",
    "parse_date",
    "round_z",
    "score",
    "score_dates",
]
