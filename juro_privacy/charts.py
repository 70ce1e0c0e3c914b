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


def category_purpose_heatmap(matrix: pd.DataFrame) -> go.Figure:
    """Activities per data category and purpose: a blank row is a category no purpose uses."""
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=list(matrix.columns),
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
    fig.update_xaxes(side="top")
    return _layout(fig, "Data categories by purpose (number of activities)", 460)


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
