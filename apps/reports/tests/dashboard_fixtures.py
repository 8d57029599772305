"""Hand-checked MonthlyValue rows for the dashboard, export and API tests (imported by them).

March 2026, written directly (no visits), in Kota Bengkulu:
  kecamatan 17.71.02, desa V1 = the first village with two Posyandu:
    A: S 10 (L 4, P 6), K 9, D 8 (L 3, P 5), N 6, DS 8/10, ND 6/8, STUNTING 2/8 (L 1/3, P 1/5),
       WASTING 1/8, UNDERWEIGHT 0/8
    B: S 20 (L 10, P 10), D 10 (L 5, P 5), DS 10/20, STUNTING 6/10, WASTING 0/10, UNDERWEIGHT 0/10
  kecamatan 17.71.02, desa V2 (another village):
    C: S 5 (L 2, P 3), D 5 (L 2, P 3), DS 5/5, STUNTING 0/5, WASTING 0/5, UNDERWEIGHT 0/5
  kecamatan 17.71.01:
    E: S 100, D 90, DS 90/100
  outsider (17.02): F: S 1000, D 1000, DS 1000/1000
Hand sums for kecamatan 17.71.02: S 35, D 23, D/S 65.7 %, stunting 8/23 = 34.8 %, wasting 1/23 = 4.3 %.
  V1: S 30, D 18, D/S 60.0 %, stunting 8/18 = 44.4 %, wasting 1/18 = 5.6 %; V2: D/S 100 %, 0 %.
  Attention score of V1: (80 - 60.0) + (44.4 - 34.8) + (5.6 - 4.3) = 30.9; V2 is not ranked.
February 2026 gives the trend one more month: A only, S 10, D 4, DS 4/10.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from apps.posyandu.models import Posyandu
from apps.reports.models import Indicator, MonthlyValue
from apps.reports.rollups import refresh

MARCH = dt.date(2026, 3, 1)
FEBRUARY = dt.date(2026, 2, 1)


@dataclass
class DashboardData:
    a: Posyandu
    b: Posyandu
    c: Posyandu
    e: Posyandu
    f: Posyandu
    v1: str
    v2: str


def put(posyandu: Posyandu, period: dt.date, code: str, num: int, den: int | None = None, sex: str = "") -> None:
    indicator = Indicator.objects.filter(code=code).order_by("-valid_from").first()
    MonthlyValue.objects.update_or_create(
        indicator=indicator, posyandu=posyandu, period=period, sex=sex,
        defaults={"numerator": num, "denominator": den, "province_code": posyandu.province_code,
                  "regency_code": posyandu.regency_code, "district_code": posyandu.district_code,
                  "village_code": posyandu.village_code})


def build() -> DashboardData:
    MonthlyValue.objects.filter(period__in=[MARCH, FEBRUARY]).delete()
    villages = list(Posyandu.objects.filter(district_code="17.71.02", is_active=True).order_by("village_code")
                    .values_list("village_code", flat=True).distinct())
    v1, v2 = villages[0], villages[1]
    a = Posyandu.objects.filter(village_code=v1).order_by("pk").first()
    b = Posyandu.objects.filter(village_code=v1, name="Posyandu Uji Dasbor").first()
    if b is None:  # a second Posyandu in the same desa, so a desa sums two
        from apps.regions.models import Region

        b = Posyandu(village=Region.objects.current().get(code=v1), name="Posyandu Uji Dasbor", schedule_day=10,
                     registration_number=f"{v1}.901")
        b.save()
    c = Posyandu.objects.filter(village_code=v2).order_by("pk").first()
    e = Posyandu.objects.filter(district_code="17.71.01").order_by("pk").first()
    f = Posyandu.objects.filter(regency_code="17.02").order_by("pk").first()
    assert a and b and c and e and f

    put(a, MARCH, "S", 10), put(a, MARCH, "S", 4, sex="L"), put(a, MARCH, "S", 6, sex="P")
    put(a, MARCH, "K", 9)
    put(a, MARCH, "D", 8), put(a, MARCH, "D", 3, sex="L"), put(a, MARCH, "D", 5, sex="P")
    put(a, MARCH, "N", 6)
    put(a, MARCH, "DS", 8, 10), put(a, MARCH, "ND", 6, 8)
    put(a, MARCH, "STUNTING", 2, 8), put(a, MARCH, "STUNTING", 1, 3, sex="L"), put(a, MARCH, "STUNTING", 1, 5, sex="P")
    put(a, MARCH, "WASTING", 1, 8), put(a, MARCH, "UNDERWEIGHT", 0, 8)
    put(b, MARCH, "S", 20), put(b, MARCH, "S", 10, sex="L"), put(b, MARCH, "S", 10, sex="P")
    put(b, MARCH, "D", 10), put(b, MARCH, "D", 5, sex="L"), put(b, MARCH, "D", 5, sex="P")
    put(b, MARCH, "DS", 10, 20), put(b, MARCH, "STUNTING", 6, 10), put(b, MARCH, "WASTING", 0, 10)
    put(b, MARCH, "UNDERWEIGHT", 0, 10)
    put(c, MARCH, "S", 5), put(c, MARCH, "S", 2, sex="L"), put(c, MARCH, "S", 3, sex="P")
    put(c, MARCH, "D", 5), put(c, MARCH, "D", 2, sex="L"), put(c, MARCH, "D", 3, sex="P"), put(c, MARCH, "DS", 5, 5)
    put(c, MARCH, "STUNTING", 0, 5)
    put(c, MARCH, "WASTING", 0, 5), put(c, MARCH, "UNDERWEIGHT", 0, 5)
    put(e, MARCH, "S", 100), put(e, MARCH, "D", 90), put(e, MARCH, "DS", 90, 100)
    put(f, MARCH, "S", 1000), put(f, MARCH, "D", 1000), put(f, MARCH, "DS", 1000, 1000)
    put(a, FEBRUARY, "S", 10), put(a, FEBRUARY, "D", 4), put(a, FEBRUARY, "DS", 4, 10)
    # The rows were written directly: the areas' roll-ups as compute_month would have kept them.
    refresh(MARCH), refresh(FEBRUARY)
    return DashboardData(a, b, c, e, f, v1, v2)


@pytest.fixture
def dashboard_data(db: Any) -> DashboardData:
    return build()


def parse_number(text: str) -> float | None:
    """A number as the Indonesian page writes it ('1.234', '65,7', '-' for none)."""
    text = text.strip().rstrip("%")
    if text in ("", "-"):
        return None
    return float(text.replace(".", "").replace(",", "."))


def table_rows(html: str, table_id: str, attr: str = "data-code") -> dict[str, list[str]]:
    """{row's `attr` value: [cell texts]} of the table with id `table_id` (rows without it skipped)."""
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.depth = 0  # >0 while inside the wanted table
            self.rows: dict[str, list[str]] = {}
            self.key: str | None = None
            self.cell: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "table":
                if self.depth or a.get("id") == table_id:
                    self.depth += 1
            elif self.depth and tag == "tr":
                self.key = a.get(attr)
                if self.key is not None:
                    self.rows[self.key] = []
            elif self.depth and tag in ("td", "th") and self.key is not None:
                self.cell = []

        def handle_endtag(self, tag: str) -> None:
            if tag == "table" and self.depth:
                self.depth -= 1
            elif tag in ("td", "th") and self.cell is not None and self.key is not None:
                self.rows[self.key].append(" ".join("".join(self.cell).split()))
                self.cell = None
            elif tag == "tr":
                self.key = None

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    parser = Parser()
    parser.feed(html)
    return parser.rows
