from __future__ import annotations

import re

import pycountry

from reports.charts import NO_ACTIONS, SHADES, Shade, shade_of, shades, timeline_chart, world

IDENTITY = str


def test_shades_go_by_powers_of_ten_up_to_the_largest_count() -> None:
    assert shades(0) == []
    assert shades(9) == [Shade(1, 9, SHADES[0])]
    assert shades(30_894) == [
        Shade(1, 9, SHADES[0]),
        Shade(10, 99, SHADES[1]),
        Shade(100, 999, SHADES[2]),
        Shade(1_000, 9_999, SHADES[3]),
        Shade(10_000, 99_999, SHADES[4]),
    ]
    assert shades(10**9)[-1] == Shade(100_000, None, SHADES[5])


def test_each_count_gets_the_shade_of_its_class() -> None:
    classes = shades(30_894)
    assert shade_of(0, classes) == NO_ACTIONS
    assert shade_of(1, classes) == SHADES[0]
    assert shade_of(999, classes) == SHADES[2]
    assert shade_of(1_000, classes) == SHADES[3]
    assert shade_of(30_894, classes) == SHADES[4]


def test_the_map_data_is_keyed_by_iso_codes_and_every_path_is_well_formed() -> None:
    data = world()
    codes = set(data["paths"]) | set(data["points"])
    known = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    assert codes <= known
    assert {"PL", "JP", "KR", "RU", "CA", "PY", "TG", "XK", "TW", "PR"} <= set(data["paths"])
    assert {"MT", "BM", "SG", "AD"} <= set(data["points"])
    assert "AQ" not in codes
    number = r"-?\d+(?:\.\d+)?"
    ring = rf"M{number} {number}l{number}(?:[ -]?{number})*z"
    for code, path in data["paths"].items():
        assert re.fullmatch(rf"(?:{ring})+", path), code
    for x, y in data["points"].values():
        assert 0 <= x <= data["width"] and 0 <= y <= data["height"]


def test_the_timeline_has_a_slot_for_every_day_and_marks_only_the_peak() -> None:
    svg = timeline_chart(
        {"2012-12-07": 10, "2012-12-10": 40, "2012-12-11": 5},
        ("2012-12-10", 40),
        IDENTITY,
        str,
        title="Actions per day",
    )
    bars = re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="[\d.]+" height="([\d.]+)"', svg)
    assert [float(x) for x, _ in bars] == [0, 600, 800]  # 5 days, 200 units each
    assert [float(h) for _, h in bars] == [47.5, 190, 23.75]  # the peak fills the plot
    assert svg.count("data-peak=") == 1 and 'data-peak="2012-12-10"' in svg
    assert "Peak: 2012-12-10, 40" in svg


def test_no_timeline_without_actions() -> None:
    assert timeline_chart({}, None, IDENTITY, str, title="t") == ""
