"""The results' pictures as inline SVG, drawn on the server: the world map and the timeline.

The map uses the country shapes in reports/map/world.json (Natural Earth, see the README
there); nothing is fetched and no script runs in the browser. The same SVG goes into the
page and into the PDF.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

WORLD = Path(__file__).parent / "map" / "world.json"
# Light to dark amber, one shade per power of ten; the darkest reads as 100,000 or more.
SHADES = ("#fde8c8", "#fcc67e", "#f39a3c", "#d96c12", "#a74a06", "#6b2c02")
NO_ACTIONS = "#e4e2de"


@cache
def world() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(WORLD.read_text())
    return data


@dataclass(frozen=True)
class Shade:
    low: int
    high: int | None  # None: "or more"
    colour: str


def shades(maximum: int) -> list[Shade]:
    """Powers-of-ten classes up to the largest count: 1-9, 10-99, ... (at most six)."""
    classes = []
    for index, colour in enumerate(SHADES):
        low = 10**index
        if low > maximum:
            break
        last = index == len(SHADES) - 1
        classes.append(Shade(low, None if last else 10 ** (index + 1) - 1, colour))
    return classes


def shade_of(count: int, classes: list[Shade]) -> str:
    for shade in reversed(classes):
        if count >= shade.low:
            return shade.colour
    return NO_ACTIONS


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    count: int
    colour: str
    path: str = ""
    x: float = 0
    y: float = 0


@dataclass(frozen=True)
class WorldMap:
    svg: SafeString
    legend: list[Shade]
    no_actions_colour: str
    not_on_map: list[str]  # codes counted but without a shape or a point in the map data


def world_map(
    by_country: dict[str, int],
    name: Callable[[str], str],
    number: Callable[[int], str],
    *,
    title: str,
    standalone: bool = False,
) -> WorldMap:
    data = world()
    legend = shades(max(by_country.values(), default=0))
    regions = [
        Region(
            code,
            name(code),
            by_country.get(code, 0),
            shade_of(by_country.get(code, 0), legend),
            path=path,
        )
        for code, path in data["paths"].items()
    ]
    points = [
        Region(
            code, name(code), by_country[code], shade_of(by_country[code], legend), x=xy[0], y=xy[1]
        )
        for code, xy in data["points"].items()
        if by_country.get(code)
    ]
    drawn = set(data["paths"]) | set(data["points"])
    svg = render_to_string(
        "reports/world_map.svg",
        {
            "title": title,
            "width": data["width"],
            "height": data["height"],
            "regions": [(r, number(r.count)) for r in regions],
            "points": [(r, number(r.count)) for r in points],
            "standalone": standalone,
            "source": data["source"],
        },
    )
    return WorldMap(SafeString(svg), legend, NO_ACTIONS, [c for c in by_country if c not in drawn])


@dataclass(frozen=True)
class Bar:
    day: str
    label: str
    count: int
    shown: str
    x: float
    y: float
    height: float
    peak: bool


def timeline_chart(
    timeline: dict[str, int],
    peak: tuple[str, int] | None,
    day_label: Callable[[str], str],
    number: Callable[[int], str],
    *,
    title: str,
    standalone: bool = False,
) -> SafeString:
    """One bar per day from the first to the last day with actions; the peak day marked."""
    if not timeline or peak is None:
        return SafeString("")
    first, last = date.fromisoformat(min(timeline)), date.fromisoformat(max(timeline))
    days = [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    width, height, top, bottom = 1000.0, 260.0, 40.0, 30.0
    plot = height - top - bottom
    step = width / len(days)
    tallest = peak[1]
    bars = []
    for index, day in enumerate(days):
        count = timeline.get(day, 0)
        bar_height = plot * count / tallest if tallest else 0
        bars.append(
            Bar(
                day,
                day_label(day),
                count,
                number(count),
                round(index * step, 2),
                round(top + plot - bar_height, 2),
                round(bar_height, 2),
                day == peak[0],
            )
        )
    peak_bar = next(bar for bar in bars if bar.peak)
    return SafeString(
        render_to_string(
            "reports/timeline.svg",
            {
                "title": title,
                "width": width,
                "height": height,
                "baseline": top + plot,
                "bar_width": max(round(step * 0.8, 2), 0.5),
                "bars": bars,
                "peak": peak_bar,
                "peak_x": min(max(peak_bar.x + step / 2, 120), width - 120),
                "first": bars[0],
                "last": bars[-1],
                "standalone": standalone,
            },
        )
    )
