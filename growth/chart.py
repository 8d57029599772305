"""SVG growth charts (0-60 months) for one child: WHO curves from -3 to +3 SD,
the Permenkes/KMS colour bands between them and the child's points.

SVG because it prints sharply at any size and needs no JavaScript; the text is
Indonesian because kader and parents read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from growth import tables
from growth.ages import DAYS_PER_MONTH
from growth.inputs import sex_codes
from growth.zscores import LENGTH_MAX_DAYS, lms_value, score


def escape(text: str) -> str:
    """xml.sax.saxutils.escape without importing it (it pulls in urllib: 30 ms at
    every start of the batch command, which imports this package)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


SD_LINES = (-3, -2, -1, 0, 1, 2, 3)
SEX_LABEL = {1: "Laki-laki", 2: "Perempuan"}
MAX_DAYS = 1826  # 60 months: the charts cover the WHO 2006 standards


@dataclass(frozen=True)
class Band:
    lower_sd: float | None  # None: the bottom of the chart
    upper_sd: float | None  # None: the top of the chart
    colour: str
    label: str


@dataclass(frozen=True)
class ChartSpec:
    table: str
    title: str
    y_label: str
    unit: str
    bands: tuple[Band, ...]


# The bands follow the Permenkes 2/2020 categories, in the colours of the KMS
# (red below the red line, yellow, green, orange above the orange line).
CHARTS: dict[str, ChartSpec] = {
    "wfa": ChartSpec(
        table="weianthro",
        title="Berat Badan menurut Umur (BB/U)",
        y_label="Berat badan (kg)",
        unit="kg",
        bands=(
            Band(None, -3, "#ef9a9a", "berat badan sangat kurang (di bawah garis merah)"),
            Band(-3, -2, "#fff59d", "berat badan kurang"),
            Band(-2, 1, "#a5d6a7", "berat badan normal"),
            Band(1, None, "#ffcc80", "risiko berat badan lebih"),
        ),
    ),
    "lhfa": ChartSpec(
        table="lenanthro",
        title="Panjang Badan / Tinggi Badan menurut Umur (PB/U, TB/U)",
        y_label="Panjang badan / tinggi badan (cm)",
        unit="cm",
        bands=(
            Band(None, -3, "#ef9a9a", "sangat pendek"),
            Band(-3, -2, "#fff59d", "pendek"),
            Band(-2, 3, "#a5d6a7", "normal"),
            Band(3, None, "#90caf9", "tinggi"),
        ),
    ),
}


def _fmt(value: float, digits: int = 1) -> str:
    """Indonesian decimal comma for text people read."""
    return f"{value:.{digits}f}".replace(".", ",")


def _segments(indicator: str) -> list[np.ndarray]:
    # Length-for-age changes from lying length to standing height at 731 days:
    # the curves jump by about 0.7 cm there, so they are drawn in two pieces.
    if indicator == "lhfa":
        return [np.arange(0, LENGTH_MAX_DAYS), np.arange(LENGTH_MAX_DAYS, MAX_DAYS + 1)]
    return [np.arange(0, MAX_DAYS + 1)]


def sd_curves(indicator: str, sex: int) -> list[dict[int, np.ndarray]]:
    """Per segment, the day grid (key 99) and the value of each SD line."""
    table = tables.load(CHARTS[indicator].table)
    out = []
    for days in _segments(indicator):
        # every 7th day is smooth enough and keeps the file small
        grid = np.unique(np.concatenate([days[::7], days[-1:]]))
        l_, m, s = table.l[sex, grid], table.m[sex, grid], table.s[sex, grid]
        curves = {sd: lms_value(l_, m, s, sd) for sd in SD_LINES}
        curves[99] = grid
        out.append(curves)
    return out


def growth_chart_svg(
    sex: Any,
    indicator: str,
    ages_days: Sequence[float],
    values: Sequence[float],
    *,
    width: int = 760,
    height: int = 480,
    child_name: str | None = None,
) -> str:
    """One chart ("wfa" or "lhfa") as a standalone SVG document."""
    return _svg_document(width, height, _chart_group(sex, indicator, ages_days, values, width,
                                                     height, child_name))


def child_growth_svg(
    sex: Any,
    ages_days: Sequence[float],
    weights: Sequence[float],
    lenheis: Sequence[float],
    measures: Sequence[Any] | None = None,
    *,
    child_name: str | None = None,
    width: int = 760,
    chart_height: int = 480,
) -> str:
    """BB/U above PB/U-TB/U in one SVG; lengths get WHO's 0.7 cm adjustment so
    that each point sits where its z-score says."""
    scored = score(sex, list(ages_days), list(weights), list(lenheis),
                   list(measures) if measures is not None else None)
    top = _chart_group(sex, "wfa", ages_days, weights, width, chart_height, child_name)
    bottom = _chart_group(sex, "lhfa", ages_days, scored["clenhei"], width, chart_height,
                          child_name)
    body = f'<g>{top}</g><g transform="translate(0,{chart_height})">{bottom}</g>'
    return _svg_document(width, 2 * chart_height, body)


def _svg_document(width: int, height: int, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11" '
        'role="img" lang="id">'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>{body}</svg>\n'
    )


def _chart_group(sex: Any, indicator: str, ages_days: Sequence[float], values: Sequence[float],
                 width: int, height: int, child_name: str | None) -> str:
    spec = CHARTS[indicator]
    sex_code = int(sex_codes(sex)[0])
    if sex_code not in SEX_LABEL:
        raise ValueError("grafik pertumbuhan memerlukan jenis kelamin anak (1/L laki-laki, "
                         "2/P perempuan)")
    segments = sd_curves(indicator, sex_code)
    ages = np.asarray(ages_days, dtype=np.float64)
    vals = np.asarray(values, dtype=np.float64)
    shown = np.isfinite(ages) & np.isfinite(vals) & (ages >= 0) & (ages <= MAX_DAYS) & (vals > 0)

    low = min(float(seg[-3].min()) for seg in segments)
    high = max(float(seg[3].max()) for seg in segments)
    if shown.any():
        low, high = min(low, float(vals[shown].min())), max(high, float(vals[shown].max()))
    span = high - low
    y_min = max(0.0, np.floor(low - 0.05 * span))
    y_max = np.ceil(high + 0.03 * span)

    left, right, top, bottom = 60, 175, 46, 44
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(day: float) -> float:
        return left + day / DAYS_PER_MONTH / 60.0 * plot_w

    def py(value: float) -> float:
        return top + (y_max - value) / (y_max - y_min) * plot_h

    def path(xs: np.ndarray, ys: np.ndarray) -> str:
        return " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xs, ys, strict=True))

    parts: list[str] = []
    title = f"{spec.title} \u2014 {SEX_LABEL[sex_code]}"
    if child_name:
        title += f" \u2014 {child_name}"
    parts.append(f'<text x="{left}" y="22" font-size="15" font-weight="bold">{escape(title)}</text>')
    parts.append(f'<text x="{left}" y="38" fill="#555">Standar WHO 2006, kategori Permenkes '
                 '2/2020; garis: -3 sampai +3 SD</text>')

    # colour bands between the SD curves
    for seg in segments:
        grid = seg[99]
        for band in spec.bands:
            lower = seg[band.lower_sd] if band.lower_sd is not None else np.full(grid.size, y_min)
            upper = seg[band.upper_sd] if band.upper_sd is not None else np.full(grid.size, y_max)
            points = path(grid, upper) + " " + path(grid[::-1], lower[::-1])
            parts.append(f'<polygon class="pita" points="{points}" fill="{band.colour}" '
                         f'fill-opacity="0.55" stroke="none"><title>{escape(band.label)}</title>'
                         '</polygon>')

    # grid and axes
    for month in range(0, 61, 3):
        x = px(month * DAYS_PER_MONTH)
        strong = month % 12 == 0
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" '
                     f'stroke="#{"888" if strong else "ccc"}" stroke-width="{1 if strong else 0.5}"/>')
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="middle">{month}</text>')
    step = _nice_step(y_max - y_min)
    tick = np.ceil(y_min / step) * step
    while tick <= y_max + 1e-9:
        y = py(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                     'stroke="#ccc" stroke-width="0.5"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{_fmt(tick, 0 if step >= 1 else 1)}</text>')
        tick += step
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 10}" text-anchor="middle">'
                 'Umur (bulan)</text>')
    parts.append(f'<text transform="translate(16,{top + plot_h / 2:.1f}) rotate(-90)" '
                 f'text-anchor="middle">{escape(spec.y_label)}</text>')
    if indicator == "lhfa":
        x = px(LENGTH_MAX_DAYS)
        parts.append(f'<text x="{x + 4:.1f}" y="{top + 12}" fill="#555">mulai 24 bulan: '
                     'tinggi badan (berdiri)</text>')

    # SD curves with their names at the right end
    for sd in SD_LINES:
        colour = {0: "#1b5e20", -3: "#b71c1c", 3: "#b71c1c"}.get(sd, "#333333")
        width_ = 2 if sd in (0, -3) else 1
        for seg in segments:
            parts.append(f'<polyline class="kurva" data-sd="{sd}" points="{path(seg[99], seg[sd])}" '
                         f'fill="none" stroke="{colour}" stroke-width="{width_}"/>')
        last = segments[-1]
        name = "median" if sd == 0 else f"{sd:+d} SD"
        parts.append(f'<text x="{left + plot_w + 4}" y="{py(float(last[sd][-1])) + 4:.1f}" '
                     f'fill="{colour}">{name}</text>')

    # legend
    for i, band in enumerate(reversed(spec.bands)):
        y = top + 70 + i * 34
        parts.append(f'<rect x="{left + plot_w + 58}" y="{y}" width="10" height="10" '
                     f'fill="{band.colour}"/>')
        for j, line in enumerate(_wrap(band.label, 16)):
            parts.append(f'<text x="{left + plot_w + 72}" y="{y + 9 + j * 12}" font-size="10">'
                         f'{escape(line)}</text>')

    # the child's points, joined in age order
    order = np.flatnonzero(shown)[np.argsort(ages[shown], kind="stable")]
    if order.size:
        if order.size > 1:
            parts.append(f'<polyline class="anak" points="{path(ages[order], vals[order])}" '
                         'fill="none" stroke="#0d47a1" stroke-width="1.5"/>')
        for i in order:
            tip = (f"Umur {_fmt(ages[i] / DAYS_PER_MONTH)} bulan: "
                   f"{_fmt(vals[i], 1)} {spec.unit}")
            parts.append(f'<circle class="titik-anak" cx="{px(ages[i]):.1f}" cy="{py(vals[i]):.1f}" '
                         f'r="3.5" fill="#0d47a1"><title>{escape(tip)}</title></circle>')
    return "".join(parts)


def _nice_step(span: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 20):
        if span / step <= 14:
            return float(step)
    return 50.0


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
