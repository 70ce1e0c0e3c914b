"""The bundled world outline as the map draws it: TopoJSON decoded by its specification,
country shapes, and when a figure would make plotly.js fetch an outline of its own."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from juro_privacy.topics.flows import geo

WORLD = ((-180.0, 180.0), (-90.0, 90.0))

# ---------------------------------------------------------------- TopoJSON


#: The example of the TopoJSON Format Specification, section 1.1: one square polygon,
#: unquantized (its ring is the second arc reversed, index -2) ...
SPEC_PLAIN = {
    "type": "Topology",
    "arcs": [
        [[102, 0], [103, 1], [104, 0], [105, 1]],
        [[100, 0], [101, 0], [101, 1], [100, 1], [100, 0]],
    ],
}
#: ... and the same topology quantized (delta-encoded arcs; the ring is arc 1 as it is).
SPEC_QUANTIZED = {
    "type": "Topology",
    "transform": {"scale": [0.0005000500050005, 0.00010001000100010001], "translate": [100, 0]},
    "arcs": [
        [[4000, 0], [1999, 9999], [2000, -9999], [2000, 9999]],
        [[0, 0], [0, 9999], [2000, 0], [0, -9999], [-2000, 0]],
    ],
}


def test_the_specifications_example_decodes_to_the_same_square_both_ways():
    plain = geo.exterior_rings(geo.decode_arcs(SPEC_PLAIN), {"type": "Polygon", "arcs": [[-2]]})
    quantized = geo.exterior_rings(
        geo.decode_arcs(SPEC_QUANTIZED), {"type": "Polygon", "arcs": [[1]]}
    )
    square = ((100, 0), (100, 1), (101, 1), (101, 0), (100, 0))
    assert plain == (square,)
    assert len(quantized) == 1 and len(quantized[0]) == 5
    for (x, y), (x0, y0) in zip(quantized[0], square, strict=True):
        assert x == pytest.approx(x0, abs=1e-3) and y == pytest.approx(y0, abs=1e-3)
    # the line arc, delta-decoded: x = 4000, 5999, 7999, 9999 steps of 5/9999 from 100
    line = geo.decode_arcs(SPEC_QUANTIZED)[0]
    assert line[0][0] == pytest.approx(100 + 4000 * 5 / 9999)  # 102.0002
    assert line[-1] == pytest.approx((105.0, 1.0))
    for (x, y), (x0, y0) in zip(line, SPEC_PLAIN["arcs"][0], strict=True):
        assert x == pytest.approx(x0, abs=1e-3) and y == pytest.approx(y0, abs=1e-3)


def test_a_ring_joins_its_arcs_once_and_keeps_only_exterior_rings():
    arcs = [
        [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0)],  # 0: bottom and right sides
        [(4.0, 4.0), (0.0, 4.0), (0.0, 0.0)],  # 1: top and left sides
        [(1.0, 1.0), (1.0, 2.0), (2.0, 2.0), (1.0, 1.0)],  # 2: a hole
        [(5.0, 5.0), (6.0, 5.0), (6.0, 6.0), (5.0, 5.0)],  # 3: an island
    ]
    square = ((0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0))
    # the shared position (4, 4) appears once; the hole (ring 2) is left out
    assert geo.exterior_rings(arcs, {"type": "Polygon", "arcs": [[0, 1], [2]]}) == (square,)
    # a MultiPolygon: an empty polygon (as the outline's Fiji has) is skipped
    multi = {"type": "MultiPolygon", "arcs": [[], [[0, 1], [2]], [[3]]]}
    assert geo.exterior_rings(arcs, multi) == (square, tuple(arcs[3]))
    # ~1 (= -2) is arc 1 reversed, ~0 (= -1) arc 0 reversed: the same square, the other way
    assert geo.exterior_rings(arcs, {"type": "Polygon", "arcs": [[-2, -1]]}) == (square[::-1],)
    assert geo.exterior_rings(arcs, {"type": "LineString", "arcs": [0]}) == ()


# ---------------------------------------------------------------- the bundled outline


def _bounds(rings):
    lons = [lon for ring in rings for lon, _ in ring]
    lats = [lat for ring in rings for _, lat in ring]
    return min(lons), max(lons), min(lats), max(lats)


def test_country_shapes_from_the_bundled_outline():
    gb = geo.shape("GB")
    assert len(gb) == 2  # Great Britain and the island of Ireland's north
    assert all(ring[0] == ring[-1] for ring in gb)
    west, east, south, north = _bounds(gb)
    # Great Britain reaches 1.76°E (Lowestoft), 49.96°N (Lizard Point), 58.67°N (Dunnet
    # Head); Northern Ireland 8.2°W: drawn at 1:110m, within a few tenths of a degree
    assert -8.2 < west < -7.0 and 1.2 < east < 1.8 and 49.9 < south < 50.1 and 58.3 < north < 58.7
    assert geo.shape("gb") == gb
    assert geo.shape("SG") == ()  # too small for 1:110m, as map_id says
    assert geo.shape("XX") == ()
    # South Africa's outline has a hole (Lesotho): the shape keeps its exterior only
    topo = json.loads(geo.topojson_text())
    zaf = next(g for g in topo["objects"]["countries"]["geometries"] if g.get("id") == "ZAF")
    assert len(zaf["arcs"]) == 2 and len(geo.shape("ZA")) == 1
    # two decimals of a degree
    assert all(round(lon, 2) == lon and round(lat, 2) == lat for ring in gb for lon, lat in ring)


def test_every_countrys_centroid_lies_within_its_decoded_shape():
    """The file's own centroids (``properties.ct``) against the decoded arcs: a decoder
    that mixed up arcs, deltas or the transform would put shapes away from them."""
    topo = json.loads(geo.topojson_text())
    arcs = geo.decode_arcs(topo)
    geometries = topo["objects"]["countries"]["geometries"]
    assert len(geometries) == 177
    checked = 0
    for g in geometries:
        lon, lat = g["properties"]["ct"] if "ct" in g.get("properties", {}) else (None, None)
        if lon is None:
            continue
        west, east, south, north = _bounds(geo.exterior_rings(arcs, g))
        assert west <= lon <= east and south <= lat <= north, g.get("id")
        checked += 1
    assert checked >= 170


def test_shapes_within_a_box():
    assert len(geo.shapes_within(WORLD)) == 177
    # Antarctica is the one country with no point north of 60°S
    assert len(geo.shapes_within(((-180.0, 180.0), (-60.0, 90.0)))) == 176
    europe = geo.shapes_within(((-35.0, 50.0), (24.0, 72.0)))
    for code in ("GB", "IE", "LV", "PT", "CH", "IL"):
        assert geo.shape(code) in europe, code
    for code in ("US", "IN", "KR", "CA"):
        assert geo.shape(code) not in europe, code
    assert geo.meets(geo.shape("LV"), ((21.0, 22.0), (56.0, 57.0)))
    assert not geo.meets(geo.shape("LV"), ((30.0, 31.0), (56.0, 57.0)))


# ---------------------------------------------------------------- what makes plotly.js fetch


NO_BASE = {f"show{layer}": False for layer in geo.BASE_LAYERS}


def _json(fig: go.Figure) -> dict:
    return fig.to_plotly_json()


def test_a_figure_needs_plotlys_outline_for_a_base_layer_or_locations():
    points = go.Scattergeo(lon=[0.0, 10.0], lat=[50.0, 55.0])
    # plotly.js's defaults draw coastlines: a bare geo subplot fetches
    assert geo.needs_outline(_json(go.Figure(points)))
    assert not geo.needs_outline(_json(go.Figure(points, layout={"geo": NO_BASE})))
    assert not geo.needs_outline(_json(go.Figure(points, layout={"geo": {"visible": False}})))
    shown = {"visible": False, "showland": True}
    assert geo.needs_outline(_json(go.Figure(points, layout={"geo": shown})))
    # every base layer off but one, on the second panel only
    two = go.Figure([points, go.Scattergeo(lon=[1.0], lat=[1.0], geo="geo2")])
    two.update_layout(geo=NO_BASE, geo2={**NO_BASE, "showcountries": True})
    assert geo.needs_outline(_json(two))
    # placed by locations: always, even with a GeoJSON of its own (plotly.js issue 6767)
    by_code = go.Choropleth(locations=["USA"], z=[1], locationmode="ISO-3")
    assert geo.needs_outline(_json(go.Figure(by_code, layout={"geo": NO_BASE})))
    own = {"type": "FeatureCollection", "features": []}
    by_geojson = go.Choropleth(locations=["X"], z=[1], geojson=own, featureidkey="id")
    assert geo.needs_outline(_json(go.Figure(by_geojson, layout={"geo": NO_BASE})))
    # no geo trace, no outline
    assert not geo.needs_outline(_json(go.Figure(go.Bar(x=[1], y=[2]))))
    assert geo.uses_map([_json(go.Figure(go.Bar(x=[1], y=[2]))), _json(go.Figure(by_code))])
    assert not geo.uses_map([_json(go.Figure(points, layout={"geo": NO_BASE}))])
