"""The period's metrics: every figure a policy claim or a DPIA risk may cite, by name.

The names are declared once, in the data contract (``workbook.schemas.METRICS``), and
each is published by the topic its prefix names (``juro_privacy.registry``): a topic's
``api.metrics_for(wb, period)``. This module gathers them for a period
(:func:`compute_metrics`). A metric no topic computes is known but has no value:
``None``, shown as "no evidence", never as zero; so is a metric whose evidence table
is empty.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping

from juro_privacy import run_cache
from juro_privacy.periods import Period
from juro_privacy.topics import hooks
from juro_privacy.workbook.load import Workbook
from juro_privacy.workbook.schemas import METRICS

Values = dict[str, float | None]

COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


Publisher = Callable[[Workbook, Period], Mapping[str, float | None]]


@run_cache.shared
def compute_metrics(
    wb: Workbook, period: Period, publishers: tuple[Publisher, ...] | None = None
) -> Values:
    """Every known metric for ``period``: a number, or ``None`` where no topic computes it
    (or computes NaN: nothing to judge) or its evidence table (``Metric.source``) is
    empty. ``publishers`` default to every topic's ``api.metrics_for``."""
    if publishers is None:
        publishers = tuple(publish for _topic, publish in hooks("metrics_for"))
    values: Values = dict.fromkeys(METRICS)
    for publish in publishers:
        for name, value in publish(wb, period).items():
            if name in METRICS:
                values[name] = None if value is None or math.isnan(value) else float(value)
    for name, metric in METRICS.items():
        table = wb.tables.get(metric.source) if metric.source else None
        if metric.source and (table is None or table.empty):
            values[name] = None  # an empty table is no evidence, not a zero
    return values
