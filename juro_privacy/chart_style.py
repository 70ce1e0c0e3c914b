"""What every chart shares: the font, the palette, the layout and label wrapping."""

from __future__ import annotations

import plotly.graph_objects as go

FONT = "Helvetica, Arial, sans-serif"
PALETTE = ["#1f4e79", "#2e86c1", "#85c1e9", "#f0b27a", "#c0392b"]


def base_layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 12},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        template="plotly_white",
    )
    return fig


def wrap_label(label: str, width: int = 14) -> str:
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
