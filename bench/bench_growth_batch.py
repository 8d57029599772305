"""Benchmark: the batch command on a generated 1,000,000-row CSV.

    .venv/bin/python bench/bench_growth_batch.py [--rows 1000000] [--keep DIR]

Writes a register-like CSV (Indonesian column names, dates of birth and of
visit, decimal points, a few bad rows), then times
``python -m growth input.csv -o output.csv`` as a user runs it, wall clock,
in a fresh process.  Prints figures; it is not a test.  Goal: < 15 s.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from growth.tables import load  # noqa: E402


def write_register(path: Path, rows: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    sex = rng.integers(1, 3, rows)
    age = rng.integers(0, 1826, rows)
    visit0 = dt.date(2025, 1, 1).toordinal()
    visit = visit0 + rng.integers(0, 365, rows)
    dob = visit - age
    wfa, lfa = load("weianthro"), load("lenanthro")
    weight = np.round(wfa.m[sex, age] * np.exp(rng.normal(-0.05, 0.13, rows)), 1)
    lenhei = np.round(lfa.m[sex, age] * (1 + rng.normal(-0.03, 0.045, rows)), 1)
    lying = (age < 731) ^ (rng.random(rows) < 0.1)
    armc = np.where(rng.random(rows) < 0.3, np.round(rng.normal(14.5, 1.2, rows), 1), np.nan)
    oedema = rng.random(rows) < 0.003
    bad = rng.random(rows) < 0.001  # typing errors: grams instead of kilograms

    dates = {d: dt.date.fromordinal(int(d)).isoformat() for d in np.unique(np.concatenate([dob, visit]))}
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["nik", "nama", "jenis_kelamin", "tanggal_lahir", "tanggal_ukur", "berat",
                         "tinggi", "cara_ukur", "edema", "lila"])
        writer.writerows(
            (
                f"3273{i:012d}",
                f"Anak {i}",
                "L" if s == 1 else "P",
                dates[b],
                dates[v],
                f"{w * 1000:.0f}" if e else f"{w:.1f}",
                f"{h:.1f}",
                "terlentang" if ly else "berdiri",
                "y" if o else "n",
                "" if a != a else f"{a:.1f}",
            )
            for i, (s, b, v, w, h, ly, o, a, e) in enumerate(
                zip(sex.tolist(), dob.tolist(), visit.tolist(), weight.tolist(), lenhei.tolist(),
                    lying.tolist(), oedema.tolist(), armc.tolist(), bad.tolist(), strict=True)
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        source, target = folder / "register.csv", folder / "register_zskor.csv"
        started = time.perf_counter()
        write_register(source, args.rows)
        size_mb = source.stat().st_size / 1e6
        print(f"generated {args.rows:,} rows ({size_mb:.0f} MB) in {time.perf_counter() - started:.1f} s")

        command = [sys.executable, "-m", "growth", str(source), "-o", str(target)]
        started = time.perf_counter()
        completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        if completed.returncode != 0:
            print(completed.stderr)
            raise SystemExit(completed.returncode)
        print(completed.stdout)
        print(f"batch command : {' '.join(['python', '-m', 'growth', source.name, '-o', target.name])}")
        print(f"wall time     : {elapsed:.2f} s for {args.rows:,} rows = {args.rows / elapsed:,.0f} rows/s "
              f"(goal < 15 s); output {target.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
