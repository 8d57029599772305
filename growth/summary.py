"""Prevalences as WHO Anthro's standard analysis reports them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from growth.zscores import STANDARDS_MAX_MONTHS


@dataclass
class Prevalence:
    label: str
    cases: int
    denominator: int

    @property
    def percent(self) -> float:
        return 100.0 * self.cases / self.denominator if self.denominator else float("nan")


def summarize(result: dict[str, np.ndarray]) -> tuple[list[Prevalence], list[Prevalence]]:
    """WHO's standard analysis: flagged z-scores are left out; a child with
    oedema counts as below -3 SD in the weight-based indicators (anthro's
    prevalence rule).  Balita: 0-59 months; anak: 5-19 years (WHO 2007)."""
    months = result["age_months"]
    with np.errstate(invalid="ignore"):
        balita = months < STANDARDS_MAX_MONTHS
        older = (months >= STANDARDS_MAX_MONTHS) & (months < 229)
    oedema = result["coedema"] & (balita | np.isnan(months))

    def usable(name: str, rows: np.ndarray, with_oedema: bool) -> np.ndarray:
        z = np.where(result["f" + name] == 1, np.nan, result["z" + name])
        if with_oedema:
            z = np.where(oedema, -3.1, z)  # anthro_prevalence's auxiliary z
        return np.where(rows, z, np.nan)

    def prevalence(label: str, z: np.ndarray, test: Callable[[np.ndarray], np.ndarray]) -> Prevalence:
        valid = ~np.isnan(z)
        with np.errstate(invalid="ignore"):
            return Prevalence(label, int(np.count_nonzero(test(z) & valid)), int(valid.sum()))

    lenz = usable("len", balita, False)
    weiz = usable("wei", balita, True)
    wflz = usable("wfl", balita | np.isnan(months), True)
    young = [
        prevalence("Stunting: pendek + sangat pendek (PB/U, TB/U < -2 SD)", lenz, lambda z: z < -2),
        prevalence("  sangat pendek (PB/U, TB/U < -3 SD)", lenz, lambda z: z < -3),
        prevalence("Wasting: gizi kurang + gizi buruk (BB/PB, BB/TB < -2 SD)", wflz, lambda z: z < -2),
        prevalence("  gizi buruk (BB/PB, BB/TB < -3 SD)", wflz, lambda z: z < -3),
        prevalence("Underweight: BB kurang + sangat kurang (BB/U < -2 SD)", weiz, lambda z: z < -2),
        prevalence("  BB sangat kurang (BB/U < -3 SD)", weiz, lambda z: z < -3),
        prevalence("Overweight: gizi lebih + obesitas (BB/PB, BB/TB > +2 SD)", wflz, lambda z: z > 2),
    ]
    old: list[Prevalence] = []
    if np.any(older):
        hz = usable("len", older, False)
        bz = np.where(older & result["coedema"], -3.1, usable("bmi", older, False))
        old = [
            prevalence("Pendek (TB/U < -2 SD)", hz, lambda z: z < -2),
            prevalence("Gizi kurang + gizi buruk (IMT/U < -2 SD)", bz, lambda z: z < -2),
            prevalence("Gizi lebih + obesitas (IMT/U > +1 SD)", bz, lambda z: z > 1),
            prevalence("Obesitas (IMT/U > +2 SD)", bz, lambda z: z > 2),
        ]
    return young, old
