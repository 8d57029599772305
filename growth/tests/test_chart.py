"""SVG growth chart: valid XML, WHO curves, KMS bands, the child's points, Indonesian text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from growth import child_growth_svg, growth_chart_svg, lms_value, tables

NS = {"svg": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def _texts(root: ET.Element) -> str:
    return " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))


def test_weight_for_age_chart_is_valid_svg_with_curves_bands_and_points():
    svg = growth_chart_svg(1, "wfa", [30, 120, 400, 800, 2500], [4.2, 6.3, 9.6, 12.0, 20.0])
    root = _parse(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    curves = root.findall(".//svg:polyline[@class='kurva']", NS)
    assert sorted({int(c.get("data-sd")) for c in curves}) == [-3, -2, -1, 0, 1, 2, 3]
    assert len(root.findall(".//svg:polygon[@class='pita']", NS)) == 4  # four Permenkes bands
    points = root.findall(".//svg:circle[@class='titik-anak']", NS)
    assert len(points) == 4  # the visit at 2500 days (> 60 months) is off this chart
    text = _texts(root)
    for label in ("Berat Badan menurut Umur (BB/U)", "Laki-laki", "Umur (bulan)",
                  "Berat badan (kg)", "median", "+3 SD", "-3 SD", "berat badan normal"):
        assert label in text
    tips = [p.find("svg:title", NS).text for p in points]
    assert tips[0] == "Umur 1,0 bulan: 4,2 kg"


def test_a_child_on_the_median_is_drawn_on_the_median_curve():
    t = tables.load("weianthro")
    day = 365
    median = float(lms_value(t.l[2, day], t.m[2, day], t.s[2, day], 0))
    root = _parse(growth_chart_svg(2, "wfa", [day], [median]))
    point = root.find(".//svg:circle[@class='titik-anak']", NS)
    curve = next(c for c in root.findall(".//svg:polyline[@class='kurva']", NS)
                 if c.get("data-sd") == "0")
    xy = np.array([[float(v) for v in p.split(",")] for p in curve.get("points").split()])
    cx, cy = float(point.get("cx")), float(point.get("cy"))
    assert abs(np.interp(cx, xy[:, 0], xy[:, 1]) - cy) < 0.5  # pixels


def test_child_chart_holds_both_charts_in_indonesian_with_adjusted_lengths():
    svg = child_growth_svg("P", [30, 400, 800], [4.0, 8.6, 10.9], [53.0, 74.0, 84.0],
                           ["l", "l", "l"], child_name="Siti <& Ani>")
    root = _parse(svg)
    text = _texts(root)
    assert "Perempuan" in text and "Siti <& Ani>" in text  # escaped in the file, intact here
    assert "Panjang Badan / Tinggi Badan menurut Umur (PB/U, TB/U)" in text
    assert "mulai 24 bulan: tinggi badan (berdiri)" in text
    nodes = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"sangat pendek", "pendek", "normal", "tinggi"} <= nodes  # PB/U legend
    points = root.findall(".//svg:circle[@class='titik-anak']", NS)
    assert len(points) == 6
    tips = [p.find("svg:title", NS).text for p in points]
    assert "Umur 26,3 bulan: 83,3 cm" in tips  # 84 cm lying after 731 days is 83.3 cm standing
    # length-for-age is drawn in two pieces (length, then height from 731 days)
    assert len([c for c in root.findall(".//svg:polyline[@class='kurva']", NS)
                if c.get("data-sd") == "0"]) == 3  # 1 for weight, 2 for length/height


def test_a_chart_needs_a_sex():
    with pytest.raises(ValueError, match="jenis kelamin"):
        growth_chart_svg(None, "wfa", [30], [4.0])


def test_missing_values_are_not_drawn():
    root = _parse(growth_chart_svg(1, "lhfa", [30, 60, np.nan, 90], [53.0, np.nan, 60.0, -1]))
    assert len(root.findall(".//svg:circle[@class='titik-anak']", NS)) == 1
