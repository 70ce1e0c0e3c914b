"""The transfer map as plotly draws it: every country a filled shape of the bundled
outline, every base layer off, so plotly.js fetches nothing, in a report or in JupyterLab."""

from __future__ import annotations

import math

import pandas as pd

from juro_privacy import charts
from juro_privacy.topics.flows import geo
from juro_privacy.topics.flows.charts import (
    BORDER_COLOUR,
    LAND_COLOUR,
    PANEL_SHAPES,
    STATUS_COLOURS,
)


def _map():
    """London and Riga sending to the US (unsafeguarded from London, safeguarded from
    Riga) and to Ireland (adequate from London, not restricted from Riga)."""
    destinations = pd.DataFrame(
        {
            "country": ["IE", "US"],
            "label": ["Ireland (IE)", "United States (US)"],
            "status": ["adequate", "unsafeguarded"],
            "processors": ["Host Ltd", "Mail Inc."],
            "offices": ["London office, Riga office", "London office, Riga office"],
            "flows": [2, 3],
        }
    )
    routes = pd.DataFrame(
        {
            "office_country": ["GB", "GB", "LV", "LV"],
            "offices": ["London office", "London office", "Riga office", "Riga office"],
            "country": ["IE", "US", "IE", "US"],
            "status": ["adequate", "unsafeguarded", "not_restricted", "safeguarded"],
            "flows": [1, 2, 1, 1],
        }
    )
    offices = pd.DataFrame(
        {
            "office": ["london", "riga"],
            "office_name": ["London office", "Riga office"],
            "office_country": ["GB", "LV"],
            "office_disclosed": [True, True],
        }
    )
    return charts.transfer_map(destinations, routes, offices)


def _rings(trace) -> int:
    """Polygons in a filled trace: NaN separates them."""
    return 1 + sum(1 for v in trace.lon if math.isnan(v))


def test_the_map_asks_plotly_for_no_outline():
    fig = _map()
    figure = fig.to_plotly_json()
    assert not geo.needs_outline(figure)
    assert {t.type for t in fig.data} == {"scattergeo"}
    assert all(t.locations is None for t in fig.data)
    for name in ("geo", "geo2"):
        assert all(fig.layout[name][f"show{layer}"] is False for layer in geo.BASE_LAYERS)
    assert fig.layout.geo2.showframe is True  # the frame is drawn without the outline
    # the shapes travel as float32 typed arrays, not lists of numbers
    land = figure["data"][0]
    assert land["lon"]["dtype"] == "f4" and "bdata" in land["lon"]


def test_every_country_is_a_filled_shape_and_each_destination_its_status_colour():
    fig = _map()
    fills = [(t.geo, t.name, t.fillcolor) for t in fig.data if t.fill == "toself"]
    assert fills == [
        ("geo", "land", LAND_COLOUR),
        ("geo", "Ireland (IE)", STATUS_COLOURS["adequate"]),
        ("geo", "United States (US)", STATUS_COLOURS["unsafeguarded"]),
        # the Europe panel: Ireland only, the US has no point near Europe
        ("geo2", "land", LAND_COLOUR),
        ("geo2", "Ireland (IE)", STATUS_COLOURS["adequate"]),
    ]
    world, ireland, usa, europe, _ = (t for t in fig.data if t.fill == "toself")
    assert world.line.color == BORDER_COLOUR and ireland.line.color == "white"
    # every country of its box, each of its rings a polygon
    assert _rings(world) == sum(len(r) for r in geo.shapes_within(PANEL_SHAPES["geo"]))
    assert _rings(europe) == sum(len(r) for r in geo.shapes_within(PANEL_SHAPES["geo2"]))
    assert _rings(usa) == len(geo.shape("US")) == 10  # the mainland, Alaska, Hawaii ...
    # the shape's own positions, rounded to float32
    ring = geo.shape("IE")[0]
    assert [round(float(v), 2) for v in ireland.lon] == [p[0] for p in ring]
    assert [round(float(v), 2) for v in ireland.lat] == [p[1] for p in ring]
    assert all(t.hoverinfo == "skip" for t in (world, ireland, usa, europe))


def test_destinations_keep_their_hover_on_the_markers():
    fig = _map()
    marks = [t for t in fig.data if t.mode == "markers+text" and t.name != "Our offices"]
    world, europe = marks
    # the world panel names the US (outside Europe); the Europe panel gives IE its code
    assert list(world.text) == ["United States (US)"] and list(europe.text) == ["IE"]
    assert [list(x) for x in world.customdata] == [
        ["United States (US)", "Unsafeguarded", "Mail Inc.", 3]
    ]
    assert [list(x) for x in europe.customdata] == [["Ireland (IE)", "Adequate", "Host Ltd", 2]]
    assert "%{customdata[1]}" in world.hovertemplate
    # route lines: one trace per status and panel, London -> US unsafeguarded among them
    lines = {(t.geo, t.name) for t in fig.data if t.mode == "lines" and t.fill != "toself"}
    assert ("geo", "Unsafeguarded") in lines and ("geo2", "Not restricted") in lines
