"""The tables score their own SD curves exactly.

Two kinds of evidence, kept apart on purpose:
- self-consistency (every row of every vendored table): the -3..+3 SD values
  are derived from the row's L, M, S with WHO's formula M (1 + L S z)^(1/L); the
  engine must find the row and invert the formula to exactly z.  This checks
  the index look-ups, the grids and the 0.7 cm/age plumbing, not WHO's numbers;
- an independent oracle: rows of WHO's published expanded tables (SD values
  rounded to 3 decimals, copied in tests/data), whose SD4neg/SD4 for weight
  indicators WHO computed with the restricted LMS.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from growth import lms_value, score, tables
from growth.ages import DAYS_PER_MONTH

SDS = np.arange(-3, 4, dtype=np.float64)
DATA = Path(__file__).parent / "data"


def _rows(table: tables.LmsTable, sex: int) -> tuple[np.ndarray, ...]:
    x = table.x_values()
    return x, table.l[sex], table.m[sex], table.s[sex]


def _grid(x: np.ndarray, l_: np.ndarray, m: np.ndarray, s: np.ndarray, sds: np.ndarray):
    """Every (row, SD) pair as flat columns."""
    xx = np.repeat(x, sds.size)
    zz = np.tile(sds, x.size)
    yy = lms_value(np.repeat(l_, sds.size), np.repeat(m, sds.size), np.repeat(s, sds.size), zz)
    return xx, zz, yy


def _score_table(name: str, sex: int, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Score y at grid point x through the public API, as a user would."""
    if name in ("weianthro", "lenanthro", "bmianthro", "hcanthro", "acanthro"):
        age = x
        if name == "weianthro":
            return score(sex, age, weight=y)["zwei"]
        if name == "lenanthro":
            # the table's own position: lying below 731 days, standing after
            return score(sex, age, lenhei=y, measure=np.where(age < 731, "l", "h"))["zlen"]
        if name == "bmianthro":  # at 100 cm the BMI is the weight
            return score(sex, age, weight=y, lenhei=100.0)["zbmi"]
        if name == "hcanthro":
            return score(sex, age, headc=y)["zhc"]
        return score(sex, age, armc=y)["zac"]
    if name == "wflanthro":
        return score(sex, 300, weight=y, lenhei=x, measure="l")["zwfl"]
    if name == "wfhanthro":
        return score(sex, 1000, weight=y, lenhei=x, measure="h")["zwfl"]
    age = x * DAYS_PER_MONTH  # whole months of the 2007 reference
    if name == "wfawho2007":
        return score(sex, age, weight=y)["zwei"]
    if name == "hfawho2007":
        return score(sex, age, lenhei=y, measure="h")["zlen"]
    return score(sex, age, weight=y, lenhei=100.0)["zbmi"]


def _scorable(name: str, x: np.ndarray) -> np.ndarray:
    """Grid points the public API can reach: 2006 below 60 months, 2007 upper
    limits exclusive (anthroplus 1.1: < 229 months, weight < 121 months)."""
    if name.endswith("anthro") and name not in ("wflanthro", "wfhanthro"):
        return x < 60 * DAYS_PER_MONTH
    if name == "wfawho2007":
        return x < 121
    if name.endswith("2007"):
        return x < 229
    return np.ones(x.size, dtype=bool)


@pytest.mark.parametrize("sex", [1, 2])
@pytest.mark.parametrize("name", tables.TABLE_NAMES)
def test_every_sd_value_of_every_table_scores_exactly_its_sd(name, sex):
    table = tables.load(name)
    x, l_, m, s = _rows(table, sex)
    keep = _scorable(name, x)
    xx, zz, yy = _grid(x[keep], l_[keep], m[keep], s[keep], SDS)
    z = _score_table(name, sex, xx, yy)
    assert np.array_equal(z, zz), f"{name}: {np.flatnonzero(z != zz)[:5]}"
    rows_expected = {"wfawho2007": 61, "hfawho2007": 169, "bfawho2007": 169, "wflanthro": 651,
                     "wfhanthro": 551, "acanthro": 1736}.get(name, 1827)
    assert keep.sum() == rows_expected  # every scorable row was checked


@pytest.mark.parametrize("name", ["weianthro", "bmianthro", "acanthro", "wflanthro", "wfhanthro",
                                  "wfawho2007", "bfawho2007"])
def test_restricted_lms_beyond_3_sd_is_linear_in_the_2_to_3_sd_gap(name):
    table = tables.load(name)
    x, l_, m, s = _rows(table, 1)
    keep = _scorable(name, x)
    x, l_, m, s = x[keep], l_[keep], m[keep], s[keep]
    sd2, sd3 = lms_value(l_, m, s, 2), lms_value(l_, m, s, 3)
    sd2n, sd3n = lms_value(l_, m, s, -2), lms_value(l_, m, s, -3)
    for k in (4.0, 5.0, 5.5):
        above = sd3 + (k - 3) * (sd3 - sd2)
        below = sd3n - (k - 3) * (sd2n - sd3n)
        below = np.where(below > 0, below, np.nan)  # a weight cannot be negative
        assert np.array_equal(_score_table(name, 1, x, above), np.full(x.size, k))
        z_below = _score_table(name, 1, x, below)
        assert np.array_equal(z_below[~np.isnan(below)], np.full(int((~np.isnan(below)).sum()), -k))


# --- independent oracle: WHO's published expanded tables -------------------------------

def _who_sample() -> list[dict[str, str]]:
    with open(DATA / "who_expanded_sd_sample.csv", newline="") as handle:
        return list(csv.DictReader(handle))


SD_COLUMNS = {"sd4neg": -4, "sd3neg": -3, "sd2neg": -2, "sd1neg": -1, "sd0": 0, "sd1": 1,
              "sd2": 2, "sd3": 3, "sd4": 4}


def test_vendored_lms_equal_whos_published_expanded_tables():
    for row in _who_sample():
        table = tables.load(row["table"])
        i = int(round((float(row["x"]) - table.start) / table.step))
        sex = int(row["sex"])
        assert (table.l[sex, i], table.m[sex, i], table.s[sex, i]) == (
            float(row["l"]), float(row["m"]), float(row["s"])), row


def test_whos_published_sd_values_score_their_sd_including_restricted_sd4():
    rows = _who_sample()
    assert len(rows) == 46
    for row in rows:
        sex, x = int(row["sex"]), np.full(len(SD_COLUMNS), float(row["x"]))
        y = np.array([float(row[c]) for c in SD_COLUMNS])
        z = _score_table(row["table"], sex, x, y)
        assert np.array_equal(z, np.array(list(SD_COLUMNS.values()), dtype=float)), (row, z)


def test_vendored_tables_are_the_files_named_in_source_md():
    source = (Path(tables.DATA_DIR) / "SOURCE.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"\| `([a-z0-9]+\.txt\.gz)` \|[^|]*\|[^|]*\| `([0-9a-f]{64})` \|", source))
    assert len(listed) == len(tables.TABLE_NAMES)
    for file_name, digest in listed.items():
        with gzip.open(Path(tables.DATA_DIR) / file_name) as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == digest, file_name


def test_grids_are_complete():
    sizes = {name: tables.load(name).size for name in tables.TABLE_NAMES}
    assert sizes == {
        "weianthro": 1827, "lenanthro": 1827, "bmianthro": 1827, "hcanthro": 1827,
        "acanthro": 1736, "wflanthro": 651, "wfhanthro": 551, "wfawho2007": 62,
        "hfawho2007": 170, "bfawho2007": 170,
    }
    assert tables.load("acanthro").start == 91
    assert tables.load("wflanthro").stop == pytest.approx(110.0)
    assert tables.load("wfhanthro").stop == pytest.approx(120.0)
