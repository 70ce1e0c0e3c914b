"""Findings: one shape for every topic's problems, so the index and the
accountability report can collect them.

A finding names the rule it breaks and the thing it concerns (an activity, a
processor, a count), never a person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import astuple, dataclass
from typing import Any

import pandas as pd

FINDING_COLUMNS = ["topic", "code", "severity", "rule", "subject", "detail"]
SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True)
class Finding:
    """One problem a topic found, tied to the rule it breaks."""

    topic: str
    code: str
    severity: str
    rule: str
    subject: str
    detail: str


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """Findings as a frame, ordered by severity then code then subject."""
    frame = pd.DataFrame([astuple(f) for f in findings], columns=FINDING_COLUMNS)
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    order = frame["severity"].map(rank).astype("int64") if len(frame) else frame["severity"]
    return (
        frame.assign(_rank=order)
        .sort_values(["_rank", "code", "subject"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def findings_tally(findings: pd.DataFrame) -> str:
    """The headline's count of a report's findings by severity, in one wording for every
    report: ``**8 findings**: 2 high, 5 medium, 1 low.``"""
    sev = findings["severity"].value_counts()
    return (
        f"**{len(findings)} findings**: {sev.get('high', 0)} high, "
        f"{sev.get('medium', 0)} medium, {sev.get('low', 0)} low."
    )


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a frame as dicts keyed by column name, for rule loops over small tables."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]
