"""Plotly figures built from the topic frames. No data logic lives here.

The notebooks call ``charts.<name>(...)``; the figures live by report in
``charts_accountability`` (register, DPIA, findings), ``charts_flows``,
``charts_requests`` and ``charts_retention``, on the shared ``charts_base``."""

from __future__ import annotations

from juro_privacy.chart_style import FONT, PALETTE
from juro_privacy.topics.accountability.charts import (
    LEVEL_COLOURS,
    category_purpose_heatmap,
    findings_trend_bar,
    risk_heatmap,
    source_mix_bar,
)
from juro_privacy.topics.flows.charts import EUROPE_BOX, STATUS_COLOURS, flow_sankey, transfer_map
from juro_privacy.topics.requests.charts import (
    REQUEST_COLOURS,
    ageing_bar,
    deadline_scatter,
    on_time_trend,
    turnaround_trend,
)
from juro_privacy.topics.retention.charts import (
    RETENTION_COLOURS,
    days_late_bar,
    forecast_bar,
    retention_status_bar,
)

__all__ = [
    "EUROPE_BOX",
    "FONT",
    "LEVEL_COLOURS",
    "PALETTE",
    "REQUEST_COLOURS",
    "RETENTION_COLOURS",
    "STATUS_COLOURS",
    "ageing_bar",
    "category_purpose_heatmap",
    "days_late_bar",
    "deadline_scatter",
    "findings_trend_bar",
    "flow_sankey",
    "forecast_bar",
    "on_time_trend",
    "retention_status_bar",
    "risk_heatmap",
    "source_mix_bar",
    "transfer_map",
    "turnaround_trend",
]
