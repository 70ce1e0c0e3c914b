"""Evidence from the data for each risk's rating: does the period bear it out?

A risk may cite a metric and a condition (``metric comparison threshold``); when the
condition holds while the residual likelihood is the lowest on the scale, the data
contradicts the rating and the DPIA needs review (UK GDPR Art. 35(11): review when
the risk changes; Art. 35(7)(c): the assessment of the risks). A metric without a
value is "no evidence", never 0.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from juro_privacy.findings import records
from juro_privacy.rules.risk_scales import RiskScale
from juro_privacy.topics.metrics import COMPARE
from juro_privacy.workbook.schemas import METRICS

NO_EVIDENCE = "no evidence"


def format_figure(value: float | None, unit: str) -> str:
    if value is None:
        return NO_EVIDENCE
    if unit == "rate":
        return f"{value:.0%}"
    return f"{value:g}"


def evidence(
    scored: pd.DataFrame,
    current: Mapping[str, float | None],
    previous: Mapping[str, float | None],
    scale: RiskScale,
) -> pd.DataFrame:
    """Each risk's cited metric this period and last, and whether it contradicts the rating.

    The risk's condition (``metric comparison threshold``) holding means the risk is
    happening; when its residual likelihood is the lowest on the scale, the evidence
    *contradicts the rating*. A metric without a value is :data:`NO_EVIDENCE`, never 0.
    """
    rows = []
    for r in records(scored):
        name = r["evidence_metric"]
        if name is None or pd.isna(name):
            continue
        unit = METRICS[name].unit
        now, before = current.get(name), previous.get(name)
        threshold = float(r["evidence_threshold"])
        condition = f"{name} {r['evidence_comparison']} {threshold:g}"
        if now is None:
            verdict = NO_EVIDENCE
        elif COMPARE[r["evidence_comparison"]](now, threshold):
            if r["residual_likelihood"] == scale.likelihoods[0]:
                verdict = (
                    f"contradicts the rating: residual likelihood {r['residual_likelihood']}, "
                    f"but {name} is {format_figure(now, unit)}"
                )
            else:
                verdict = "risk is occurring, as the rating allows"
        else:
            verdict = "supports the rating"
        rows.append(
            {
                "risk": r["risk_id"],
                "condition": condition,
                "this period": format_figure(now, unit),
                "last period": format_figure(before, unit),
                "residual": f"{r['residual_likelihood']} × {r['residual_severity']}",
                "evidence": verdict,
                "contradicts": verdict.startswith("contradicts"),
            }
        )
    columns = ["risk", "condition", "this period", "last period", "residual", "evidence"]
    return pd.DataFrame(rows, columns=[*columns, "contradicts"])


def evidence_view(ev: pd.DataFrame) -> pd.DataFrame:
    """The evidence as printed: the residual rating is in the risk table and the verdict."""
    return ev.drop(columns=["residual", "contradicts"])
