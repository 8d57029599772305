"""Permenkes 2/2020 nutritional-status categories, read from the rounded z-score.

The cut-offs and Indonesian labels live in data/permenkes_2_2020.json so that a
correction is a data change, not a code change.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from growth.tables import DATA_DIR
from growth.zscores import round_z

NO_CATEGORY = -1


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    lower: float | None
    lower_inclusive: bool
    upper: float | None
    upper_inclusive: bool


@dataclass(frozen=True)
class StatusIndex:
    """One Permenkes index (BB/U, PB/U-TB/U, BB/PB-TB, IMT/U) and its categories."""

    key: str
    label: str
    title: str
    zscore: str
    age_from_months: float
    age_to_months: float
    oedema_code: str | None
    categories: tuple[Category, ...]

    def labels(self) -> np.ndarray:
        """Labels indexed by ``code + 1`` (position 0 is "no category")."""
        return np.array([""] + [c.label for c in self.categories], dtype=object)

    def position(self, code: str) -> int:
        return [c.code for c in self.categories].index(code)


@functools.cache
def load_indices() -> dict[str, StatusIndex]:
    with open(DATA_DIR / "permenkes_2_2020.json", encoding="utf-8") as handle:
        raw = json.load(handle)
    indices = {}
    for key, spec in raw["indices"].items():
        categories = tuple(
            Category(
                code=c["code"],
                label=c["label"],
                lower=c.get("lower"),
                lower_inclusive=bool(c.get("lower_inclusive", False)),
                upper=c.get("upper"),
                upper_inclusive=bool(c.get("upper_inclusive", False)),
            )
            for c in spec["categories"]
        )
        indices[key] = StatusIndex(
            key=key,
            label=spec["label"],
            title=spec["title"],
            zscore=spec["zscore"],
            age_from_months=float(spec["age_months"][0]),
            age_to_months=float(spec["age_months"][1]),
            oedema_code=spec.get("oedema"),
            categories=categories,
        )
    return indices


def classify(
    index: str,
    z: Any,
    *,
    age_months: Any = None,
    oedema: Any = None,
) -> np.ndarray:
    """Category positions (int8, -1 for none) for one index.

    z is rounded to 2 decimals first, so -2.004 is -2.00 (normal) as in e-PPGBM.
    Rows outside the index's age range get no category; with ``oedema`` the
    child gets the index's severe category whatever the z (WHO counts oedema as
    below -3 SD).  A missing age only keeps a category for BB/PB-TB, which WHO
    computes without age.
    """
    spec = load_indices()[index]
    zr = np.atleast_1d(np.asarray(z, dtype=np.float64))
    codes = _z_positions(index, zr)
    with np.errstate(invalid="ignore"):
        if age_months is not None:
            months = np.broadcast_to(np.asarray(age_months, dtype=np.float64), zr.shape)
            in_range = (months >= spec.age_from_months) & (months < spec.age_to_months)
            if spec.zscore == "zwfl":
                in_range |= np.isnan(months)
            codes[~in_range] = NO_CATEGORY
        else:
            in_range = np.ones(zr.shape[0], dtype=bool)
        if oedema is not None and spec.oedema_code is not None:
            oed = np.broadcast_to(np.asarray(oedema, dtype=bool), zr.shape)
            codes[oed & in_range] = spec.position(spec.oedema_code)
    return codes


GRID_LIMIT = 10_000  # z from -100.00 to +100.00 in steps of 0.01: every z a child can have


def _compare(spec: StatusIndex, zr: np.ndarray) -> np.ndarray:
    """The category of each rounded z, by comparing with every boundary."""
    codes = np.full(zr.shape[0], NO_CATEGORY, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        for position, cat in enumerate(spec.categories):
            inside = ~np.isnan(zr)
            if cat.lower is not None:
                inside &= (zr >= cat.lower) if cat.lower_inclusive else (zr > cat.lower)
            if cat.upper is not None:
                inside &= (zr <= cat.upper) if cat.upper_inclusive else (zr < cat.upper)
            codes[inside] = position
    return codes


@functools.cache
def _grid(index: str) -> tuple[np.ndarray, np.ndarray]:
    grid = np.arange(-GRID_LIMIT, GRID_LIMIT + 1, dtype=np.float64) / 100.0
    return grid, _compare(load_indices()[index], grid)


def _z_positions(index: str, z: np.ndarray) -> np.ndarray:
    """``_compare`` on the rounded z, by look-up: a z already rounded (as
    ``score`` returns it) is a point of the 0.01 grid, whose categories are
    computed once; the comparisons cost ~10 passes per index over a million
    rows.  Any other z is rounded, then compared."""
    grid, table = _grid(index)
    with np.errstate(invalid="ignore"):
        steps = np.rint(z * 100.0)
        inside = np.abs(steps) <= GRID_LIMIT
    position = np.where(inside, steps, 0).astype(np.intp) + GRID_LIMIT
    codes = table[position]
    exact = inside & (grid[position] == z)
    codes[~exact] = NO_CATEGORY
    others = ~exact & ~np.isnan(z)
    if others.any():
        codes[others] = _compare(load_indices()[index], round_z(z[others], 2))
    return codes


def label_of(index: str, codes: np.ndarray) -> np.ndarray:
    """Indonesian labels for category positions ('' for none)."""
    return load_indices()[index].labels()[np.asarray(codes, dtype=np.intp) + 1]


def category_codes(result: dict[str, np.ndarray]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The four Permenkes labels of a ``score()`` result as (labels, position per
    row): label ``labels[position]``, "" at position 0.  ``categorize`` in
    compact form, for callers that write millions of rows.

    ``imt_u`` uses the 0-60 month cut-offs below 60 months and the 5-18 year
    cut-offs from 60 months (the same split as WHO 2006 / WHO 2007).
    """
    months, oedema = result["age_months"], result["coedema"]
    out = {}
    for key in ("bb_u", "pb_tb_u", "bb_pb_tb"):
        spec = load_indices()[key]
        codes = classify(key, result[spec.zscore], age_months=months, oedema=oedema)
        out[key] = (spec.labels(), codes.astype(np.intp) + 1)
    young = classify("imt_u_0_60", result["zbmi"], age_months=months, oedema=oedema)
    older = classify("imt_u_5_18", result["zbmi"], age_months=months, oedema=oedema)
    young_labels, older_labels = load_indices()["imt_u_0_60"].labels(), load_indices()["imt_u_5_18"].labels()
    position = np.where(young >= 0, young.astype(np.intp) + 1,
                        np.where(older >= 0, older.astype(np.intp) + len(young_labels), 0))
    out["imt_u"] = (np.concatenate([young_labels, older_labels[1:]]), position)
    return out


def categorize(result: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Labels for the four Permenkes indices from a ``score()`` result.

    ``imt_u`` uses the 0-60 month cut-offs below 60 months and the 5-18 year
    cut-offs from 60 months (the same split as WHO 2006 / WHO 2007).
    """
    return {key: labels[position] for key, (labels, position) in category_codes(result).items()}
