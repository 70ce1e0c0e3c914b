"""Policy claims: each of the three outcomes, every comparison, and the sample's claims."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from juro_privacy.topics.accountability.claims import compare, evaluate_claims, outcome_counts


def claims(*rows):
    return pd.DataFrame(rows, columns=["claim_id", "quote", "metric", "comparison", "threshold"])


@pytest.mark.parametrize(
    ("value", "comparison", "threshold", "expected"),
    [
        (0.9, ">=", 1.0, False),
        (1.0, ">=", 1.0, True),
        (0, "==", 0, True),
        (2, "==", 0, False),
        (3, "<", 5, True),
        (5, "<", 5, False),
        (5, "<=", 5, True),
        (6, ">", 5, True),
        (1, "!=", 0, True),
    ],
)
def test_compare(value, comparison, threshold, expected):
    assert compare(value, comparison, threshold) is expected


def test_three_outcomes_with_the_figure_that_breaks_it():
    table = claims(
        ("C1", "answered within one month", "requests.on_time_rate", ">=", 1.0),
        ("C2", "transfers under SCCs", "transfers.unsafeguarded_count", "==", 0.0),
        ("C3", "deleted within 6 years", "retention.delete_overdue_count", "==", 0.0),
        ("C4", "cookies described", "cookies.undisclosed_count", "==", 0.0),
        ("C5", "opted in", "consent.sends_without_opt_in_count", "==", 0.0),
    )
    values = {
        "requests.on_time_rate": 0.75,
        "transfers.unsafeguarded_count": 4.0,
        "retention.delete_overdue_count": None,  # topic could not compute it
        "cookies.undisclosed_count": 0.0,
        "consent.sends_without_opt_in_count": math.nan,  # empty table
    }
    out = evaluate_claims(table, values)
    assert out[["claim_id", "expected", "value", "outcome"]].values.tolist() == [
        ["C1", ">= 1", "0.75", "broken"],
        ["C2", "== 0", "4", "broken"],
        ["C3", "== 0", "", "no_evidence"],
        ["C4", "== 0", "0", "holds"],
        ["C5", "== 0", "", "no_evidence"],
    ]
    assert outcome_counts(out) == {"holds": 1, "broken": 2, "no_evidence": 2}


def test_a_metric_nobody_publishes_is_no_evidence_not_zero():
    out = evaluate_claims(claims(("C9", "q", "dpia.unknown_metric", "==", 0.0)), {})
    assert out.loc[0, "outcome"] == "no_evidence"
