"""The privacy policy's promises checked against this period's figures (Art. 5(2),
accountability: the controller must be able to demonstrate compliance).

Each row of ``policy_claims`` names a metric, a comparison and a threshold; the claim
*holds* when the comparison is true, is *broken* when it is false (with the figure
that breaks it), and has *no evidence* when the metric is missing or could not be
computed (its table is empty), never a silent zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from juro_privacy.findings import records
from juro_privacy.topics.metrics import COMPARE

OUTCOMES = ("holds", "broken", "no_evidence")


def compare(value: float, comparison: str, threshold: float) -> bool:
    """``value <comparison> threshold``, for the closed set of comparisons."""
    return COMPARE[comparison](value, threshold)


def _figure(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.3g}"


def evaluate_claims(claims: pd.DataFrame, values: Mapping[str, float | None]) -> pd.DataFrame:
    """Each claim with its outcome and the figure behind it.

    ``values`` maps metric names to this period's values; a name that is absent, or a
    value that is ``None`` or NaN, is *no evidence*.
    """
    rows = []
    for c in records(claims):
        value = values.get(c["metric"])
        expected = f"{c['comparison']} {_figure(float(c['threshold']))}"
        if value is None or (isinstance(value, float) and math.isnan(value)):
            outcome, figure = "no_evidence", ""
        else:
            held = compare(float(value), str(c["comparison"]), float(c["threshold"]))
            outcome, figure = ("holds" if held else "broken"), _figure(float(value))
        rows.append(
            {
                "claim_id": c["claim_id"],
                "quote": c["quote"],
                "metric": c["metric"],
                "expected": expected,
                "value": figure,
                "outcome": outcome,
            }
        )
    columns = ["claim_id", "quote", "metric", "expected", "value", "outcome"]
    return pd.DataFrame(rows, columns=columns)


def outcome_counts(evaluated: pd.DataFrame) -> dict[str, int]:
    """How many claims hold, are broken, or have no evidence."""
    counts = evaluated["outcome"].value_counts()
    return {o: int(counts.get(o, 0)) for o in OUTCOMES}
