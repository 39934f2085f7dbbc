"""Charts drawn on the server as SVG geometry: no chart library, no script, nothing fetched.

Each function returns plain numbers and labels; the templates draw them
(``_charts.html``), so every label goes through Jinja's escaping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sporbar.models import ArticleDate

MAX_BAR_WIDTH = 28
MAX_MONTHS = 600  # beyond fifty years of months a bar would be thinner than a pixel


@dataclass
class BarChart:
    width: int
    height: int
    plot_left: int
    plot_bottom: int
    bars: list[dict[str, Any]] = field(default_factory=list)
    y_ticks: list[dict[str, Any]] = field(default_factory=list)
    x_labels: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Timeline:
    width: int
    height: int
    plot_left: int
    plot_right: int
    lanes: list[dict[str, Any]] = field(default_factory=list)
    ticks: list[dict[str, Any]] = field(default_factory=list)
    points: list[dict[str, Any]] = field(default_factory=list)


def _month_index(month: str) -> int:
    year, number = month.split("-")[:2]
    return int(year) * 12 + int(number) - 1


def _month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_bar_chart(counts: dict[str, int], *, width: int = 720, height: int = 200) -> BarChart | None:
    """Bars per month (``{"2017-03": 5}``), the months between filled with zeros so time runs evenly."""
    monthly: dict[int, int] = {}
    for key, value in counts.items():
        if len(key) >= 7 and key[4] == "-":
            monthly[_month_index(key)] = monthly.get(_month_index(key), 0) + int(value)
    if not monthly:
        return None
    first, last = min(monthly), max(monthly)
    if last - first >= MAX_MONTHS:
        first = last - MAX_MONTHS + 1
    span = list(range(first, last + 1))
    chart = BarChart(width=width, height=height, plot_left=40, plot_bottom=height - 24)
    plot_width = width - chart.plot_left - 8
    plot_height = chart.plot_bottom - 10
    top = max(monthly.values())
    step = plot_width / len(span)
    for position, month in enumerate(span):
        value = monthly.get(month, 0)
        bar_height = plot_height * value / top if top else 0
        bar_width = min(max(step * 0.8, 1.0), MAX_BAR_WIDTH)
        chart.bars.append(
            {
                "x": round(chart.plot_left + position * step + (step - bar_width) / 2, 2),
                "y": round(chart.plot_bottom - bar_height, 2),
                "w": round(bar_width, 2),
                "h": round(bar_height, 2),
                "label": _month_name(month),
                "value": value,
            }
        )
    for fraction in (0.0, 0.5, 1.0):
        value = round(top * fraction)
        chart.y_ticks.append({"y": round(chart.plot_bottom - plot_height * (value / top if top else 0), 2), "label": value})
    years = sorted({m // 12 for m in span})
    every = max(1, len(years) // 8)
    for year in years[::every]:
        position = max(year * 12, first) - first
        chart.x_labels.append({"x": round(chart.plot_left + position * step, 2), "label": str(year)})
    if len(years) == 1:
        chart.x_labels = [
            {"x": round(chart.plot_left + i * step + step / 2, 2), "label": _month_name(m)} for i, m in enumerate(span)
        ][:: max(1, len(span) // 6)]
    return chart


def _bounds(value: str) -> tuple[dt.date, dt.date]:
    parsed = ArticleDate.parse(value)
    return parsed.start, parsed.end


def timeline(rows: list[dict[str, Any]], *, width: int = 720, lane_height: int = 30, label_width: int = 200) -> Timeline | None:
    """Horizontal bars from ``start`` to ``end`` (dates at any precision), one lane per row.

    Each row: ``label``, ``start``, ``end`` and optionally ``href`` and ``detail``.
    A row dated by a single month still gets a visible bar.
    """
    spans = [(row, _bounds(row["start"])[0], _bounds(row["end"])[1]) for row in rows]
    if not spans:
        return None
    first = dt.date(min(s for _, s, _ in spans).year, 1, 1)
    last = dt.date(max(e for _, _, e in spans).year + 1, 1, 1)
    chart = Timeline(width=width, height=lane_height * len(spans) + 34, plot_left=label_width, plot_right=width - 24)
    plot_width = chart.plot_right - chart.plot_left
    total_days = max((last - first).days, 1)

    def x_of(day: dt.date) -> float:
        return chart.plot_left + plot_width * (day - first).days / total_days

    for lane, (row, start, end) in enumerate(spans):
        x1, x2 = x_of(start), x_of(end + dt.timedelta(days=1))
        chart.lanes.append(
            {
                "y": lane * lane_height + 6,
                "h": lane_height - 12,
                "x": round(x1, 2),
                "w": round(max(x2 - x1, 6.0), 2),
                "label": row["label"],
                "href": row.get("href"),
                "detail": row.get("detail", ""),
                "text_y": lane * lane_height + lane_height / 2 + 4,
            }
        )
    years = list(range(first.year, last.year + 1))
    every = max(1, len(years) // 8)
    for year in years[::every]:
        chart.ticks.append({"x": round(x_of(dt.date(year, 1, 1)), 2), "label": str(year)})
    return chart


def dot_timeline(items: list[dict[str, Any]], *, width: int = 720, height: int = 90) -> Timeline | None:
    """Dots on one date axis (the articles of a story): each item has ``date``, ``label`` and ``href``."""
    dated = [(item, _bounds(item["date"])[0]) for item in items]
    if not dated:
        return None
    first = dt.date(min(d for _, d in dated).year, 1, 1)
    last = dt.date(max(d for _, d in dated).year + 1, 1, 1)
    chart = Timeline(width=width, height=height, plot_left=16, plot_right=width - 16)
    plot_width = chart.plot_right - chart.plot_left
    total_days = max((last - first).days, 1)
    for item, day in dated:
        chart.points.append(
            {
                "x": round(chart.plot_left + plot_width * (day - first).days / total_days, 2),
                "y": 34,
                "label": item["label"],
                "href": item.get("href"),
                "date": item["date"],
            }
        )
    years = list(range(first.year, last.year + 1))
    every = max(1, len(years) // 8)
    for year in years[::every]:
        chart.ticks.append({"x": round(chart.plot_left + plot_width * (dt.date(year, 1, 1) - first).days / total_days, 2), "label": str(year)})
    return chart
