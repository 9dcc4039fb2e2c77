"""Build reports/map/world.json from Natural Earth shapes in the npm package `world-atlas`.

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python reports/map/build_world_map.py "$PWD/package"

It decodes the 110m TopoJSON, projects every country with the Equal Earth projection, and
writes one SVG path per country keyed by ISO 3166 alpha-2 (world-atlas ids are ISO numeric;
pycountry maps them). Countries too small for the 110m shapes (Malta, Bermuda ...) get a
point from the 50m shapes so that the map can still mark them. Needs only the standard
library and pycountry. See reports/map/README.md.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import pycountry

WIDTH = 1000.0
OUT = Path(__file__).with_name("world.json")
# Shapes without an ISO id in Natural Earth, attached to the ISO country Lantern records them as.
# Other shapes without an id (Siachen Glacier, "Indian Ocean Ter.") are left out.
UNNAMED = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}
LEFT_OUT = {"AQ"}  # Antarctica: no one acts there and it takes a fifth of the height.

Point = tuple[float, float]


def equal_earth(lon: float, lat: float) -> Point:
    """Šavrič, Patterson, Jenny (2018): Equal Earth, in unit-sphere coordinates, y up."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    theta = math.asin(math.sqrt(3) / 2 * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2
        * math.sqrt(3)
        * math.radians(lon)
        * math.cos(theta)
        / (3 * (a1 + 3 * a2 * t2 + t6 * (7 * a3 + 9 * a4 * t2)))
    )
    y = theta * (a1 + a2 * t2 + t6 * (a3 + a4 * t2))
    return x, y


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[Point]], indexes: list[int]) -> list[Point]:
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def clip(points: list[Point], keep: Any, edge: float) -> list[Point]:
    """Sutherland-Hodgman: the part of a closed ring where keep(lon), cut at lon = edge."""
    out: list[Point] = []
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        if keep(x0):
            out.append((x0, y0))
        if keep(x0) != keep(x1):
            out.append((edge, y0 + (y1 - y0) * (edge - x0) / (x1 - x0)))
    return out


def split_at_antimeridian(points: list[Point]) -> list[list[Point]]:
    """A ring that crosses 180° (Russia's Chukotka, Fiji) as one ring on each side of it."""
    unwrapped = [points[0]]
    for lon, lat in points[1:]:
        previous = unwrapped[-1][0]
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        unwrapped.append((lon, lat))
    if max(lon for lon, _ in unwrapped) <= 180 and min(lon for lon, _ in unwrapped) >= -180:
        return [points]
    if min(lon for lon, _ in unwrapped) < -180:
        unwrapped = [(lon + 360, lat) for lon, lat in unwrapped]
    east = clip(unwrapped, lambda lon: lon <= 180, 180)
    west = clip([(lon - 360, lat) for lon, lat in unwrapped], lambda lon: lon >= -180, -180)
    return [part for part in (east, west) if len(part) > 2]


def polygons(geometry: dict[str, Any], arcs: list[list[Point]]) -> list[list[list[Point]]]:
    if geometry["type"] == "Polygon":
        rings = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        rings = geometry["arcs"]
    else:
        return []
    # Holes are drawn as rings of their own (SVG's nonzero fill keeps them open only if
    # wound the other way, which TopoJSON guarantees).
    return [
        [part for r in polygon for part in split_at_antimeridian(ring(arcs, r))]
        for polygon in rings
    ]


def alpha_2(geometry: dict[str, Any]) -> str | None:
    number = geometry.get("id")
    if number is None:
        return UNNAMED.get(geometry["properties"]["name"])
    country = pycountry.countries.get(numeric=number)
    if country is None:
        raise SystemExit(f"No ISO country for id {number} ({geometry['properties']['name']})")
    return str(country.alpha_2)


def countries(path: Path) -> dict[str, list[list[list[Point]]]]:
    topology = json.loads(path.read_text())
    arcs = decode_arcs(topology)
    shapes: dict[str, list[list[list[Point]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = alpha_2(geometry)
        if code and code not in LEFT_OUT:
            shapes.setdefault(code, []).extend(polygons(geometry, arcs))
    return shapes


def area(points: list[Point]) -> float:
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False))
    )


def path_data(rings: list[list[Point]], to_svg: Any) -> str:
    """Absolute move to the first point of each ring, then relative lines in tenths."""
    parts = []
    for points in rings:
        projected = [to_svg(*p) for p in points]
        x0, y0 = projected[0]
        segment = [f"M{x0 / 10:g} {y0 / 10:g}"]
        deltas = []
        for x, y in projected[1:]:
            if (x, y) != (x0, y0):
                deltas.append(f"{(x - x0) / 10:g} {(y - y0) / 10:g}")
                x0, y0 = x, y
        if len(deltas) < 2:
            continue  # collapsed to a dot at this scale
        segment.append("l" + " ".join(deltas).replace(" -", "-"))
        parts.append("".join(segment) + "z")
    return "".join(parts)


def main(package: Path) -> None:
    shapes = countries(package / "countries-110m.json")
    detailed = countries(package / "countries-50m.json")
    projected = [
        equal_earth(lon, lat)
        for polys in shapes.values()
        for poly in polys
        for p in poly
        for lon, lat in p
    ]
    min_x = min(x for x, _ in projected)
    max_x = max(x for x, _ in projected)
    min_y = min(y for _, y in projected)
    max_y = max(y for _, y in projected)
    scale = WIDTH / (max_x - min_x)
    height = round((max_y - min_y) * scale)

    def to_svg(lon: float, lat: float) -> tuple[int, int]:
        # Integer tenths of a map unit: exact relative steps, no drift from rounding.
        x, y = equal_earth(lon, lat)
        return round((x - min_x) * scale * 10), round((max_y - y) * scale * 10)

    paths = {
        code: path_data([r for poly in polys for r in poly], to_svg)
        for code, polys in sorted(shapes.items())
    }
    points = {}
    for code, polys in sorted(detailed.items()):
        if code in shapes:
            continue
        outer = max((poly[0] for poly in polys), key=area)
        lon = sum(p[0] for p in outer) / len(outer)
        lat = sum(p[1] for p in outer) / len(outer)
        x, y = to_svg(lon, lat)
        points[code] = [x / 10, y / 10]
    version = json.loads((package / "package.json").read_text())["version"]
    data = {
        "source": f"Natural Earth via world-atlas {version} (countries-110m, points from 50m)",
        "projection": "Equal Earth",
        "width": int(WIDTH),
        "height": height,
        "paths": paths,
        "points": points,
    }
    OUT.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"{OUT}: {len(paths)} shapes, {len(points)} points, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]))
