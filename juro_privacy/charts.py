"""Plotly figures built from the topic frames. No data logic lives here."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

FONT = "Helvetica, Arial, sans-serif"
PALETTE = ["#1f4e79", "#2e86c1", "#85c1e9", "#f0b27a", "#c0392b"]


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 12},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        template="plotly_white",
    )
    return fig


def _wrap(label: str, width: int = 14) -> str:
    """Break a long axis label over lines so neighbouring labels do not overlap."""
    words, lines, line = label.split(), [], ""
    for w in words:
        if line and len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "<br>".join(lines)


def category_purpose_heatmap(matrix: pd.DataFrame) -> go.Figure:
    """Activities per data category and purpose: a blank row is a category no purpose uses."""
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=[_wrap(str(c)) for c in matrix.columns],
            y=list(matrix.index),
            colorscale=[[0, "#f4f6f7"], [1, "#1f4e79"]],
            text=matrix.to_numpy(),
            texttemplate="%{text}",
            hovertemplate="%{y} / %{x}: %{z} activities<extra></extra>",
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(side="bottom", tickangle=0, automargin=True)
    return _layout(fig, "Data categories by purpose (number of activities)", 480)


LEVEL_COLOURS = {"low": "#d5f5e3", "medium": "#fdebd0", "high": "#f5b7b1"}


def risk_heatmap(cells: pd.DataFrame) -> go.Figure:
    """DPIA risks on the likelihood x severity matrix, before and after measures."""
    from plotly.subplots import make_subplots

    likelihoods, severities = cells.attrs["likelihoods"], cells.attrs["severities"]
    whens = list(dict.fromkeys(cells["when"]))
    fig = make_subplots(rows=1, cols=len(whens), subplot_titles=whens, horizontal_spacing=0.12)
    levels = list(LEVEL_COLOURS)
    scale = [[i / (len(levels) - 1), LEVEL_COLOURS[lv]] for i, lv in enumerate(levels)]
    for col, when in enumerate(whens, start=1):
        d = cells[cells["when"] == when]
        z = [
            [
                levels.index(str(d[(d.likelihood == lk) & (d.severity == sv)].level.iloc[0]))
                for sv in severities
            ]
            for lk in likelihoods
        ]
        text = [
            [str(d[(d.likelihood == lk) & (d.severity == sv)].risks.iloc[0]) for sv in severities]
            for lk in likelihoods
        ]
        fig.add_trace(
            go.Heatmap(
                z=z,
                x=list(severities),
                y=list(likelihoods),
                text=text,
                texttemplate="%{text}",
                colorscale=scale,
                zmin=0,
                zmax=len(levels) - 1,
                showscale=False,
                xgap=2,
                ygap=2,
                hovertemplate="likelihood %{y}<br>severity %{x}<br>%{text}<extra></extra>",
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(title="severity", row=1, col=col)
        fig.update_yaxes(title="likelihood" if col == 1 else None, row=1, col=col)
    return _layout(fig, "Risks before and after measures", 380)


def source_mix_bar(mix: pd.DataFrame) -> go.Figure:
    """Activities by source of the data (Art. 13 given vs Art. 14 collected)."""
    fig = go.Figure(
        go.Bar(
            x=mix["activities"],
            y=mix["source"],
            orientation="h",
            marker_color=PALETTE[: len(mix)],
            text=mix["activities"],
            textposition="auto",
            hovertemplate="%{y}: %{x} activities<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "Where the data comes from (activities)", 260)


# ---------------------------------------------------------------- flows and transfers

#: One colour per transfer status (colour-blind safe: grey, blue, orange, red).
STATUS_COLOURS = {
    "not_restricted": "#95a5a6",
    "adequate": "#2e86c1",
    "safeguarded": "#e67e22",
    "unsafeguarded": "#c0392b",
    "not_judged": "#d5d8dc",
}


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _status_label(status: str) -> str:
    from juro_privacy.flows import STATUS_LABELS

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
    fig = _layout(fig, "Where personal data goes: office → processor → country", 620)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 50, "b": 50})
    return fig


#: The Europe panel of the map: where the offices are (lon and lat ranges).
EUROPE_BOX = ((-25.0, 40.0), (34.0, 62.0))


def _in_europe(point: tuple[float, float]) -> bool:
    (lon0, lon1), (lat0, lat1) = EUROPE_BOX
    return lon0 <= point[0] <= lon1 and lat0 <= point[1] <= lat1


def transfer_map(
    destinations: pd.DataFrame, routes: pd.DataFrame, offices: pd.DataFrame
) -> go.Figure:
    """Destinations coloured by their worst transfer status at the period's end, with a
    line from each exporting office's country: the world, and Europe where the offices are.

    Draws offline: the report page carries the world outline (``juro_privacy.geo``), so
    both panels keep ``scope="world"`` and ``resolution=110`` (one topojson file)."""
    from juro_privacy.geo import centroid, map_id

    fig = go.Figure()
    where = destinations.assign(point=destinations["country"].map(lambda c: centroid(str(c))))
    for geo, legend in (("geo", True), ("geo2", False)):
        for status in STATUS_COLOURS:
            d = where[(where["status"] == status) & where["point"].notna()]
            if d.empty:
                continue
            colour = STATUS_COLOURS[status]
            fig.add_trace(
                go.Choropleth(
                    geo=geo,
                    locations=[map_id(str(c)) for c in d["country"]],
                    z=[1] * len(d),
                    locationmode="ISO-3",
                    colorscale=[[0, colour], [1, colour]],
                    showscale=False,
                    marker={"line": {"color": "white", "width": 0.5}},
                    showlegend=False,
                    customdata=list(zip(d["label"], d["processors"], d["flows"], strict=True)),
                    hovertemplate="%{customdata[0]}: "
                    + _status_label(status)
                    + "<br>%{customdata[1]}<br>%{customdata[2]} flows<extra></extra>",
                )
            )
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
                hoverinfo="skip",
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
    common = {
        "scope": "world",
        "resolution": 110,
        "showcountries": True,
        "countrycolor": "#bfc9ca",
        "showland": True,
        "landcolor": "#f4f6f7",
        "showocean": False,
        "showlakes": False,
        "showframe": False,
        "showcoastlines": False,
    }
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
    fig = _layout(fig, "Where the data is processed: destinations by transfer status", 620)
    fig.update_layout(legend={"orientation": "h", "y": 0, "x": 0})
    return fig


# ---------------------------------------------------------------- data-subject requests

#: One colour per request status (colour-blind safe: blue, orange, grey, red).
REQUEST_COLOURS = {
    "on_time": "#2e86c1",
    "late": "#e67e22",
    "open": "#95a5a6",
    "overdue": "#c0392b",
}


def deadline_scatter(points: pd.DataFrame, ceiling: int = 120) -> go.Figure:
    """Each request's days used against the days its deadline allowed; above the
    diagonal is late. Open requests are hollow (days so far); a request past
    ``ceiling`` days is drawn on the top edge as a triangle, its hover giving the days."""
    fig = go.Figure()
    top = ceiling + 5
    fig.add_trace(
        go.Scatter(
            x=[0, top, 0],
            y=[0, top, top],
            fill="toself",
            fillcolor="rgba(192,57,43,0.06)",
            line={"width": 0},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[0, top],
            y=[0, top],
            mode="lines",
            line={"color": "#566573", "width": 1, "dash": "dot"},
            name="Deadline (days used = days allowed)",
            hoverinfo="skip",
        )
    )
    for status, colour in REQUEST_COLOURS.items():
        d = points[points["status"] == status]
        if d.empty:
            continue
        answered = status in ("on_time", "late")
        over = d["days_used"] > ceiling
        symbols = [
            "triangle-up" if o else ("diamond" if e else "circle")
            for o, e in zip(over, d["extended"], strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                x=d["days_allowed"],
                y=d["days_used"].clip(upper=ceiling),
                mode="markers",
                name=str(d["legend"].iloc[0]),
                marker={
                    "color": colour if answered else "white",
                    "symbol": symbols,
                    "size": 8,
                    "opacity": 0.8,
                    "line": {"color": colour, "width": 1.5},
                },
                customdata=list(zip(d["type"], d["days_used"], strict=True)),
                hovertemplate="%{customdata[0]}: %{customdata[1]} days used of %{x} allowed"
                f"<extra>{d['legend'].iloc[0]}</extra>",
            )
        )
    fig.update_xaxes(title="days allowed (from the clock's start to the deadline)", range=[0, 100])
    fig.update_yaxes(title="days used (to the answer, or so far)", range=[0, top])
    fig.add_annotation(
        text="late side", x=8, y=ceiling - 5, showarrow=False, font={"color": "#c0392b"}
    )
    fig.add_annotation(text="in time", x=92, y=10, showarrow=False, font={"color": "#2e86c1"})
    fig = _layout(fig, "Every request against its deadline (days used vs days allowed)", 480)
    fig.update_layout(legend={"orientation": "h", "y": -0.2, "x": 0})
    return fig


def ageing_bar(bars: pd.DataFrame) -> go.Figure:
    """Open requests by days since receipt, not yet due and overdue. A hidden count is
    a hatched bar labelled as it prints (``"<5"``), never drawn as its true value."""
    fig = go.Figure()
    for name, colour in (("Not yet due", REQUEST_COLOURS["open"]), ("Overdue", "#c0392b")):
        d = bars[bars["status"] == name]
        fig.add_trace(
            go.Bar(
                x=d["bucket"],
                y=d["height"],
                name=name,
                marker={
                    "color": colour,
                    "pattern": {
                        "shape": ["/" if h else "" for h in d["hidden"]],
                        "fgcolor": "white",
                    },
                },
                text=d["label"],
                textposition="outside",
                customdata=d["label"],
                hovertemplate="%{x}: %{customdata} " + name.lower() + "<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title="open requests", rangemode="tozero")
    fig.update_xaxes(title="days since receipt")
    return _layout(fig, "Open requests at the end of the period, by age", 340)


def on_time_trend(rates: pd.DataFrame) -> go.Figure:
    """The on-time rate per quarter, one line per group. A rate shown as a range (its
    count hidden) is a bar from the lowest to the highest possible rate around the
    range's middle; ``n/a`` is a gap."""
    fig = go.Figure()
    colours = ["#1f4e79", "#e67e22", "#2e86c1", "#8e44ad", "#16a085"]
    for i, (group, d) in enumerate(rates.groupby("group", sort=False)):
        low = d["low"].astype("float64") * 100
        high = d["high"].astype("float64") * 100
        mid = (low + high) / 2
        fig.add_trace(
            go.Scatter(
                x=d["quarter"],
                y=mid,
                mode="lines+markers",
                name=str(group),
                line={"color": colours[i % len(colours)], "width": 2 if i == 0 else 1.5},
                error_y={
                    "type": "data",
                    "array": (high - mid).fillna(0),
                    "arrayminus": (mid - low).fillna(0),
                    "width": 4,
                    "thickness": 1.2,
                },
                customdata=d["label"],
                hovertemplate="%{x}: %{customdata}<extra>" + str(group) + "</extra>",
                connectgaps=False,
            )
        )
    fig.add_hline(
        y=100,
        line={"color": "#566573", "dash": "dot", "width": 1},
        annotation_text="the policy: every request within one month",
        annotation_position="bottom left",
    )
    fig.update_yaxes(title="answered on time (%)", range=[0, 105])
    fig.update_xaxes(type="category")
    fig = _layout(fig, "On-time rate by quarter, each quarter judged at its end", 380)
    fig.update_layout(legend={"orientation": "h", "y": -0.15, "x": 0})
    return fig


def turnaround_trend(lines: pd.DataFrame) -> go.Figure:
    """Median and 90th percentile turnaround per quarter, in calendar and working days;
    a figure from fewer requests than the threshold is a gap."""
    fig = go.Figure()
    style = {
        "Median, calendar days": ("#1f4e79", "solid"),
        "90th percentile, calendar days": ("#1f4e79", "dash"),
        "Median, working days": ("#e67e22", "solid"),
        "90th percentile, working days": ("#e67e22", "dash"),
    }
    for measure, d in lines.groupby("measure", sort=False):
        colour, dash = style.get(str(measure), ("#566573", "solid"))
        fig.add_trace(
            go.Scatter(
                x=d["quarter"],
                y=d["value"].astype("float64"),
                mode="lines+markers",
                name=str(measure),
                line={"color": colour, "dash": dash},
                hovertemplate="%{x}: %{y:.1f} days<extra>" + str(measure) + "</extra>",
                connectgaps=False,
            )
        )
    fig.add_hline(
        y=30,
        line={"color": "#c0392b", "dash": "dot", "width": 1},
        annotation_text="about one month",
        annotation_position="top left",
    )
    fig.update_yaxes(title="days from receipt to answer", rangemode="tozero")
    fig.update_xaxes(type="category")
    fig = _layout(fig, "Turnaround by quarter", 360)
    fig.update_layout(legend={"orientation": "h", "y": -0.15, "x": 0})
    return fig


# ---------------------------------------------------------------- retention

RETENTION_COLOURS = {
    "Not yet due": "#95a5a6",
    "Done on time": "#2e86c1",
    "Done late": "#e67e22",
    "Not done, overdue": "#c0392b",
}


def _hatched_bar(d: pd.DataFrame, x: object, name: str, colour: str) -> go.Bar:
    """A bar trace whose hidden counts are hatched and labelled as they print."""
    return go.Bar(
        x=x,
        y=d["height"],
        name=name,
        marker={
            "color": colour,
            "pattern": {"shape": ["/" if h else "" for h in d["hidden"]], "fgcolor": "white"},
        },
        text=d["label"],
        textposition="outside",
        customdata=d["label"],
        hovertemplate="%{x}: %{customdata}<extra>" + name + "</extra>",
    )


def retention_status_bar(bars: pd.DataFrame) -> go.Figure:
    """Accounts per obligation and office by status, grouped. Hidden counts are hatched
    bars labelled as they print (``"<5"``, ``"≥5"``), never drawn as their value."""
    fig = go.Figure()
    for status, colour in RETENTION_COLOURS.items():
        d = bars[bars["status"] == status]
        fig.add_trace(_hatched_bar(d, [list(d["obligation"]), list(d["office"])], status, colour))
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.2, "x": 0})
    fig.update_yaxes(title="accounts", rangemode="tozero")
    return _layout(fig, "Accounts by obligation, office and status at the period's end", 420)


def days_late_bar(bars: pd.DataFrame) -> go.Figure:
    """Accounts done late or still overdue, by days past the due date, hidden counts
    hatched."""
    fig = go.Figure()
    colours = ["#f0b27a", "#c0392b", "#85c1e9", "#1f4e79"]
    for series, colour in zip(bars["series"].unique(), colours, strict=False):
        d = bars[bars["series"] == series]
        fig.add_trace(_hatched_bar(d, d["bucket"], str(series), colour))
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.25, "x": 0})
    fig.update_yaxes(title="accounts", rangemode="tozero")
    fig.update_xaxes(title="days past the due date")
    return _layout(fig, "How late: accounts by days past the due date", 400)


def forecast_bar(bars: pd.DataFrame) -> go.Figure:
    """Accounts falling due for archiving and deletion in each coming quarter."""
    fig = go.Figure()
    for obligation, colour in (("Archive", "#2e86c1"), ("Delete", "#1f4e79")):
        d = bars[bars["obligation"] == obligation]
        fig.add_trace(_hatched_bar(d, d["quarter"], f"{obligation} due", colour))
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.2, "x": 0})
    fig.update_yaxes(title="accounts", rangemode="tozero")
    fig.update_xaxes(title="quarter")
    return _layout(fig, "Accounts falling due in the next four quarters", 360)


def findings_trend_bar(trend: pd.DataFrame) -> go.Figure:
    """Findings by severity per quarter, stacked; a quarter without a run has no bar."""
    colours = {"high": "#c0392b", "medium": "#f0b27a", "low": "#85c1e9"}
    fig = go.Figure(
        [
            go.Bar(
                x=list(trend["quarter"]),
                y=list(trend[severity]),
                name=severity,
                marker_color=colour,
                hovertemplate="%{x}: %{y} " + severity + " findings<extra></extra>",
            )
            for severity, colour in colours.items()
        ]
    )
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.2})
    return _layout(fig, "Findings by severity, last eight quarters", 320)
