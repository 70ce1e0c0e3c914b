"""Charts of the data-subject requests report: deadlines, ageing, on-time rate and
turnaround."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from juro_privacy.chart_style import base_layout

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
    fig = base_layout(fig, "Every request against its deadline (days used vs days allowed)", 480)
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
    return base_layout(fig, "Open requests at the end of the period, by age", 340)


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
    fig = base_layout(fig, "On-time rate by quarter, each quarter judged at its end", 380)
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
    fig = base_layout(fig, "Turnaround by quarter", 360)
    fig.update_layout(legend={"orientation": "h", "y": -0.15, "x": 0})
    return fig
