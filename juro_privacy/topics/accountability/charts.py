"""Charts of the accountability documents: the Art. 30 register (categories by purpose,
where the data comes from), the DPIA's risk matrix and the findings trend."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from juro_privacy.chart_style import PALETTE, base_layout, wrap_label


def category_purpose_heatmap(matrix: pd.DataFrame) -> go.Figure:
    """Activities per data category and purpose: a blank row is a category no purpose uses."""
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=[wrap_label(str(c)) for c in matrix.columns],
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
    return base_layout(fig, "Data categories by purpose (number of activities)", 480)


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
    return base_layout(fig, "Risks before and after measures", 380)


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
    return base_layout(fig, "Where the data comes from (activities)", 260)


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
    return base_layout(fig, "Findings by severity, last eight quarters", 320)
