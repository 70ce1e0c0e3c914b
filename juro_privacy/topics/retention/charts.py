"""Charts of the retention report: status by obligation and office, days late and the
forecast; hidden counts are hatched bars labelled as they print."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from juro_privacy.chart_style import base_layout

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
    return base_layout(fig, "Accounts by obligation, office and status at the period's end", 420)


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
    return base_layout(fig, "How late: accounts by days past the due date", 400)


def forecast_bar(bars: pd.DataFrame) -> go.Figure:
    """Accounts falling due for archiving and deletion in each coming quarter."""
    fig = go.Figure()
    for obligation, colour in (("Archive", "#2e86c1"), ("Delete", "#1f4e79")):
        d = bars[bars["obligation"] == obligation]
        fig.add_trace(_hatched_bar(d, d["quarter"], f"{obligation} due", colour))
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.2, "x": 0})
    fig.update_yaxes(title="accounts", rangemode="tozero")
    fig.update_xaxes(title="quarter")
    return base_layout(fig, "Accounts falling due in the next four quarters", 360)
