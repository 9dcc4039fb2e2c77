"""The map builder on a tiny TopoJSON made here (the real package is not needed)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "map" / "build_world_map.py"


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_world_map", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def topology(geometries: list[dict[str, object]], arcs: list[list[list[int]]]) -> dict[str, object]:
    return {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [-180, -90]},
        "arcs": arcs,
        "objects": {"countries": {"type": "GeometryCollection", "geometries": geometries}},
    }


def test_arcs_are_delta_decoded_and_reversed_by_negative_index(build: ModuleType) -> None:
    topo = topology([], [[[200, 140], [10, 0], [0, 10]]])
    arcs = build.decode_arcs(topo)
    assert arcs == [[(20, 50), (30, 50), (30, 60)]]
    assert build.ring(arcs, [~0]) == [(30, 60), (30, 50), (20, 50)]


def test_iso_numeric_ids_become_alpha_2_and_unnamed_shapes_are_mapped(
    build: ModuleType,
) -> None:
    assert build.alpha_2({"id": "616", "properties": {"name": "Poland"}}) == "PL"
    assert build.alpha_2({"properties": {"name": "Kosovo"}}) == "XK"
    assert build.alpha_2({"properties": {"name": "Siachen Glacier"}}) is None


def test_a_ring_across_180_degrees_is_cut_into_one_ring_per_side(build: ModuleType) -> None:
    fiji = [(178.0, -17.0), (-179.0, -17.0), (-179.0, -16.0), (178.0, -16.0), (178.0, -17.0)]
    parts = build.split_at_antimeridian(fiji)
    assert len(parts) == 2
    east, west = parts
    assert max(lon for lon, _ in east) == 180 and min(lon for lon, _ in east) == 178
    assert min(lon for lon, _ in west) == -180 and max(lon for lon, _ in west) == -179
    poland = [(14.0, 49.0), (24.0, 49.0), (24.0, 55.0), (14.0, 49.0)]
    assert build.split_at_antimeridian(poland) == [poland]


def test_main_writes_paths_and_points(build: ModuleType, tmp_path: Path, monkeypatch) -> None:
    square = [[[190, 130], [10, 0], [0, 10], [-10, 0], [0, -10]]]  # 10°E-20°E, 40°N-50°N
    speck = [[[194, 215], [1, 0], [0, 1], [-1, 0], [0, -1]]]  # Malta-sized, 14°E 35°N
    small = topology([{"type": "Polygon", "arcs": [[0]], "id": "616"}], square)
    detailed = topology(
        [
            {"type": "Polygon", "arcs": [[0]], "id": "616"},
            {"type": "Polygon", "arcs": [[1]], "id": "470"},
        ],
        square + speck,
    )
    (tmp_path / "countries-110m.json").write_text(json.dumps(small))
    (tmp_path / "countries-50m.json").write_text(json.dumps(detailed))
    (tmp_path / "package.json").write_text(json.dumps({"version": "9.9.9"}))
    out = tmp_path / "world.json"
    monkeypatch.setattr(build, "OUT", out)
    build.main(tmp_path)
    data = json.loads(out.read_text())
    assert set(data["paths"]) == {"PL"}
    assert data["paths"]["PL"].startswith("M") and data["paths"]["PL"].endswith("z")
    assert set(data["points"]) == {"MT"}
    assert data["width"] == 1000
    assert "world-atlas 9.9.9" in data["source"]
