"""Charts of the flows report: the office -> processor -> country Sankey and the
offline world map of transfers, both coloured by transfer status."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pandas as pd
import plotly.graph_objects as go

from juro_privacy.chart_style import FONT, base_layout
from juro_privacy.topics.flows.analysis import STATUS_LABELS
from juro_privacy.topics.flows.geo import (
    BASE_LAYERS,
    Box,
    Ring,
    centroid,
    meets,
    shape,
    shapes_within,
)

#: One colour per transfer status (colour-blind safe: grey, blue, orange, purple, red).
STATUS_COLOURS = {
    "not_restricted": "#95a5a6",
    "adequate": "#2e86c1",
    "safeguarded": "#e67e22",
    "derogation": "#8e44ad",
    "unsafeguarded": "#c0392b",
    "not_judged": "#d5d8dc",
}


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _status_label(status: str) -> str:
    return STATUS_LABELS.get(status, "Not judged")


def _status_key(statuses: list[str]) -> str:
    """A one-line colour key, drawn as text (a Sankey has no legend of its own)."""
    order = [s for s in STATUS_COLOURS if s in set(statuses)]
    return "   ".join(
        f"<span style='color:{STATUS_COLOURS[s]}'>■</span> {_status_label(s)}" for s in order
    )


def flow_sankey(links: pd.DataFrame) -> go.Figure:
    """Office -> processor -> destination country; each band coloured by transfer status
    at the period's end and as wide as the number of flows (activity x data category)."""
    seen: dict[tuple[str, str], None] = {}
    for kind in ("office", "processor", "country"):
        for side in ("source", "target"):
            picked = links.loc[links[f"{side}_kind"] == kind, side]
            seen.update(dict.fromkeys((kind, str(n)) for n in picked))
    nodes = list(seen)
    index = {n: i for i, n in enumerate(nodes)}
    node_colour = {"office": "#1f4e79", "processor": "#5d6d7e", "country": "#17202a"}
    statuses = [str(s) for s in links["status"]]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [n for _, n in nodes],
                "color": [node_colour[k] for k, _ in nodes],
                "pad": 12,
                "thickness": 14,
                "line": {"width": 0},
                "hovertemplate": "%{label}: %{value} flows<extra></extra>",
            },
            link={
                "source": [
                    index[(k, str(s))]
                    for k, s in zip(links["source_kind"], links["source"], strict=True)
                ],
                "target": [
                    index[(k, str(t))]
                    for k, t in zip(links["target_kind"], links["target"], strict=True)
                ],
                "value": [int(v) for v in links["flows"]],
                "color": [_rgba(STATUS_COLOURS.get(s, "#d5d8dc"), 0.55) for s in statuses],
                "customdata": [_status_label(s) for s in statuses],
                "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}: "
                "%{value} flows<extra></extra>",
            },
            textfont={"family": FONT, "size": 11, "color": "#17202a"},
        )
    )
    fig.add_annotation(
        text=_status_key(statuses),
        x=0,
        y=-0.06,
        xref="paper",
        yref="paper",
        xanchor="left",
        showarrow=False,
        font={"size": 12},
    )
    fig = base_layout(fig, "Where personal data goes: office → processor → country", 620)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 50, "b": 50})
    return fig


#: The Europe panel of the map: where the offices are (lon and lat ranges).
EUROPE_BOX = ((-25.0, 40.0), (34.0, 62.0))
#: The countries each panel draws: those with a point in its box. The world panel
#: shows more than its axis ranges (the projection fills its domain), so it takes the
#: whole world but Antarctica; the Europe panel, its box and 10 degrees around.
PANEL_SHAPES: dict[str, Box] = {
    "geo": ((-180.0, 180.0), (-60.0, 90.0)),
    "geo2": ((-35.0, 50.0), (24.0, 72.0)),
}
FloatArray = npt.NDArray[np.float32]
LAND_COLOUR = "#f4f6f7"
BORDER_COLOUR = "#bfc9ca"


def _in_europe(point: tuple[float, float]) -> bool:
    (lon0, lon1), (lat0, lat1) = EUROPE_BOX
    return lon0 <= point[0] <= lon1 and lat0 <= point[1] <= lat1


def _rings_lonlat(shapes: list[tuple[Ring, ...]]) -> tuple[FloatArray, FloatArray]:
    """Lon and lat of every ring, NaN between rings (plotly.js starts a new polygon).

    As float32 arrays, which plotly writes as base64 typed arrays (``bdata``, drawn by
    plotly.js 2.28 and later): a third of the bytes of a JSON list, and within a
    millionth of a degree of the outline's two decimals."""
    lons: list[float] = []
    lats: list[float] = []
    for rings in shapes:
        for ring in rings:
            if lons:
                lons.append(math.nan)
                lats.append(math.nan)
            lons += [p[0] for p in ring]
            lats += [p[1] for p in ring]
    return np.array(lons, dtype=np.float32), np.array(lats, dtype=np.float32)


def _country_fill(
    geo: str, shapes: list[tuple[Ring, ...]], fill: str, line: str, name: str
) -> go.Scattergeo:
    """Countries drawn as filled lon/lat lines: plotly.js needs no outline of its own."""
    lons, lats = _rings_lonlat(shapes)
    return go.Scattergeo(
        geo=geo,
        lon=lons,
        lat=lats,
        mode="lines",
        fill="toself",
        fillcolor=fill,
        line={"color": line, "width": 0.5},
        name=name,
        showlegend=False,
        hoverinfo="skip",
    )


def transfer_map(
    destinations: pd.DataFrame, routes: pd.DataFrame, offices: pd.DataFrame
) -> go.Figure:
    """Destinations coloured by their worst transfer status at the period's end, with a
    line from each exporting office's country: the world, and Europe where the offices are.

    Draws offline everywhere, in a report and in JupyterLab: every country is a filled
    ``scattergeo`` shape from the bundled outline (``juro_privacy.topics.flows.geo``) and
    every base layer is off, so plotly.js fetches no topojson (``geo.needs_outline``).
    A destination's hover is on its marker (a filled shape has none in plotly.js)."""
    fig = go.Figure()
    where = destinations.assign(point=destinations["country"].map(lambda c: centroid(str(c))))
    for geo, legend in (("geo", True), ("geo2", False)):
        box = PANEL_SHAPES[geo]
        fig.add_trace(
            _country_fill(geo, list(shapes_within(box)), LAND_COLOUR, BORDER_COLOUR, "land")
        )
        for country, status, label in zip(
            where["country"], where["status"], where["label"], strict=True
        ):
            rings = shape(str(country))
            if rings and meets(rings, box):
                colour = STATUS_COLOURS.get(str(status), STATUS_COLOURS["not_judged"])
                fig.add_trace(_country_fill(geo, [rings], colour, "white", str(label)))
        for status in STATUS_COLOURS:
            r = routes[
                (routes["status"] == status) & (routes["office_country"] != routes["country"])
            ]
            lons: list[float | None] = []
            lats: list[float | None] = []
            for a, b in zip(r["office_country"], r["country"], strict=True):
                start, end = centroid(str(a)), centroid(str(b))
                if start and end:
                    lons += [start[0], end[0], None]
                    lats += [start[1], end[1], None]
            if lons:
                fig.add_trace(
                    go.Scattergeo(
                        geo=geo,
                        lon=lons,
                        lat=lats,
                        mode="lines",
                        line={"color": STATUS_COLOURS[status], "width": 1.6},
                        opacity=0.8,
                        name=_status_label(status),
                        legendgroup=status,
                        showlegend=legend,
                        hoverinfo="skip",
                    )
                )
        # the world panel names destinations outside Europe; the Europe panel, crowded,
        # gives the rest their codes (the hover and the Sankey give the names)
        named = [p is not None and _in_europe(p) != legend for p in where["point"]]
        shown = where[named]
        fig.add_trace(
            go.Scattergeo(
                geo=geo,
                lon=[p[0] for p in shown["point"]],
                lat=[p[1] for p in shown["point"]],
                mode="markers+text",
                text=[str(x) for x in (shown["label"] if legend else shown["country"])],
                textposition="bottom center" if legend else "top right",
                textfont={"size": 10, "color": "#17202a"},
                marker={"size": 5, "color": "#17202a"},
                showlegend=False,
                customdata=[
                    [str(a), _status_label(str(s)), str(p), int(n)]
                    for a, s, p, n in zip(
                        shown["label"],
                        shown["status"],
                        shown["processors"],
                        shown["flows"],
                        strict=True,
                    )
                ],
                hovertemplate="%{customdata[0]}: %{customdata[1]}<br>%{customdata[2]}"
                "<br>%{customdata[3]} flows<extra></extra>",
            )
        )
    spots = offices.assign(point=offices["office_country"].map(lambda c: centroid(str(c))))
    spots = spots[spots["point"].notna()]
    fig.add_trace(
        go.Scattergeo(
            geo="geo2",
            lon=[p[0] for p in spots["point"]],
            lat=[p[1] for p in spots["point"]],
            mode="markers+text",
            text=[str(x) for x in spots["office_name"]],
            textposition="bottom center",
            textfont={"size": 10, "color": "#1f4e79"},
            marker={"size": 9, "color": "#1f4e79", "symbol": "square"},
            name="Our offices",
            hoverinfo="text",
        )
    )
    # every base layer off: plotly.js would fetch its topojson for any of them
    common: dict[str, object] = {"scope": "world", "resolution": 110, "showframe": False}
    common.update({f"show{layer}": False for layer in BASE_LAYERS})
    (lon0, lon1), (lat0, lat1) = EUROPE_BOX
    fig.update_layout(
        geo={
            **common,
            "projection_type": "natural earth",
            "lonaxis_range": [-130, 150],
            "lataxis_range": [-5, 72],
            "domain": {"x": [0, 1], "y": [0.5, 0.96]},
        },
        geo2={
            **common,
            "projection_type": "mercator",
            "lonaxis_range": [lon0, lon1],
            "lataxis_range": [lat0, lat1],
            "domain": {"x": [0.1, 0.9], "y": [0.04, 0.44]},
            "showframe": True,
            "framecolor": "#d5d8dc",
        },
    )
    for y, text in ((1.0, "World"), (0.47, "Europe: where our offices are")):
        fig.add_annotation(
            text=text,
            x=0,
            y=y,
            xref="paper",
            yref="paper",
            xanchor="left",
            showarrow=False,
            font={"size": 11, "color": "#566573"},
        )
    fig = base_layout(fig, "Where the data is processed: destinations by transfer status", 620)
    fig.update_layout(legend={"orientation": "h", "y": 0, "x": 0})
    return fig
