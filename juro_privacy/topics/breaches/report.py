"""The breaches report's tables and wording, from the judged breaches
(:mod:`juro_privacy.topics.breaches.analysis`).

Every count goes through the project's small-count rule
(:mod:`juro_privacy.rules.disclosure`): a table whose lines add up to a total shown is
protected whole (:func:`~juro_privacy.rules.disclosure.protect_line`,
:func:`~juro_privacy.rules.disclosure.protect`); a table whose cells overlap (a breach
can be of two natures, concern several categories) shows no total and hides each small
cell (:func:`~juro_privacy.rules.disclosure.suppress_counts`); a median or percentile
needs the threshold's number of values (:func:`~juro_privacy.rules.disclosure.statistic`).
No table shows a breach id or a description.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from juro_privacy.findings import findings_tally
from juro_privacy.periods import Period
from juro_privacy.rules.disclosure import (
    count_label,
    protect,
    protect_line,
    small_count_note,
    statistic,
    suppress_counts,
)
from juro_privacy.topics.breaches.analysis import (
    COMMUNICATION_STATUSES,
    NOTIFICATION_STATUSES,
    PROCESSOR_STATUSES,
    RECORD_PARTS,
    Judged,
    plural,
)
from juro_privacy.workbook.schemas import BREACH_NATURES

TOTAL = "total"


def _status_table(
    values: pd.Series, labels: Mapping[str, str], name: str, threshold: int, total: str
) -> pd.DataFrame:
    counts = values.value_counts().reindex(list(labels), fill_value=0).astype("int64")
    shown = protect_line(counts.rename("breaches"), threshold, total=TOTAL).labels()["breaches"]
    return pd.DataFrame(
        {
            name: [labels[k] for k in labels] + [total],
            "breaches": [shown[k] for k in labels] + [shown[TOTAL]],
        }
    )


def notification_table(judged: Judged, threshold: int) -> pd.DataFrame:
    """Each breach by its notification's status (the worst of its regimes')."""
    return _status_table(
        judged.breaches["notification"],
        NOTIFICATION_STATUSES,
        "notification to the authority (Art. 33)",
        threshold,
        "All breaches of the period",
    )


def communication_table(judged: Judged, threshold: int) -> pd.DataFrame:
    """Each breach by whether its people were told (Art. 34)."""
    return _status_table(
        judged.breaches["communication"],
        COMMUNICATION_STATUSES,
        "the people concerned (Art. 34)",
        threshold,
        "All breaches of the period",
    )


def processor_table(judged: Judged, threshold: int) -> pd.DataFrame:
    """Each breach by its processor's report against the contract (Art. 33(2))."""
    return _status_table(
        judged.breaches["processor"],
        PROCESSOR_STATUSES,
        "the processor's report (Art. 33(2))",
        threshold,
        "All breaches of the period",
    )


AUTHORITY_COLUMNS = {
    "on_time": "in time",
    "late": "late",
    "overdue": "not notified, overdue",
    "other": "pending, not assessed or not notifiable",
}


def authority_table(judged: Judged, threshold: int) -> pd.DataFrame:
    """Per supervisory authority (the ICO, the DVI): the notifications its regime required,
    in time, late and overdue; each row's counts add up to its total, protected as a line."""
    n = judged.notifications
    if n.empty:
        return pd.DataFrame(columns=["authority", *AUTHORITY_COLUMNS.values(), "breaches"])
    kind = n["status"].map(
        lambda s: {
            "on_time": "on_time",
            "late_no_reasons": "late",
            "late_with_reasons": "late",
            "overdue": "overdue",
        }.get(s, "other")
    )
    counts = (
        pd.crosstab(n["authority"], kind)
        .reindex(columns=list(AUTHORITY_COLUMNS), fill_value=0)
        .astype("int64")
    )
    counts[TOTAL] = counts.sum(axis=1)
    lines = [[(a, c) for c in counts.columns] for a in counts.index]
    labels = protect(counts, threshold, lines).labels()
    return pd.DataFrame(
        {
            "authority": list(counts.index),
            **{name: list(labels[key]) for key, name in AUTHORITY_COLUMNS.items()},
            "breaches": list(labels[TOTAL]),
        }
    )


def record_table(judged: Judged, threshold: int) -> pd.DataFrame:
    """Breaches whose Art. 33(5) record lacks each part (a record can lack several)."""
    b = judged.breaches
    counts = pd.Series(
        {part: int(b["missing"].map(lambda m, p=part: p in m).sum()) for part in RECORD_PARTS},
        dtype="int64",
    )
    return pd.DataFrame(
        {
            "the record lacks (Art. 33(5))": [f"its {p}" for p in RECORD_PARTS],
            "breaches": list(suppress_counts(counts, threshold)),
        }
    )


def times_table(judged: Judged, threshold: int) -> pd.DataFrame:
    """Median and 90th percentile, in hours, of discovery to awareness, awareness to
    containment, awareness to each notification, and the hours left (or, negative,
    overrun) against the 72 hours, at the notification or, still owed, at the instant
    judged (``analysis.assess_breaches``); ``n/a`` over fewer values than the threshold."""
    b, n = judged.breaches, judged.notifications
    measures = [
        ("Discovery to awareness", b["discovery_to_awareness_h"]),
        ("Awareness to containment", b["awareness_to_containment_h"]),
        ("Awareness to notification, per authority", n["awareness_to_notification_h"]),
        ("Hours left (+) or overrun (-) against the 72", n["hours_left"]),
    ]
    rows = []
    for name, values in measures:
        known = pd.to_numeric(values, errors="coerce").dropna()
        rows.append(
            (
                name,
                count_label(len(known), threshold),
                _hours(statistic(known, threshold, 0.5)),
                _hours(statistic(known, threshold, 0.9)),
            )
        )
    return pd.DataFrame(rows, columns=["measure (hours)", "values", "median", "90th percentile"])


def _hours(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _tally(values: pd.Series, keys: Sequence[str]) -> pd.Series:
    """How many breaches name each key (a cell holds a tuple of them)."""
    return pd.Series(
        {k: int(values.map(lambda v, k=k: k in tuple(v)).sum()) for k in keys}, dtype="int64"
    )


def counts_by(
    period: Judged,
    trend: Judged,
    by: str,
    threshold: int,
    *,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Breaches of the period and of the eight quarters by ``nature``,
    ``data_categories`` (a breach can count under several: no total) or ``office``
    (one each: with a total, each column protected as a line)."""
    names = dict(labels or {})
    if by == "office":
        keys = sorted(set(trend.breaches["office"]) | set(period.breaches["office"]))
        cols = {}
        for col, frame in (("this period", period), ("last 8 quarters", trend)):
            counts = frame.breaches["office"].value_counts().reindex(keys, fill_value=0)
            shown = protect_line(counts.astype("int64").rename(col), threshold, total=TOTAL)
            cols[col] = list(shown.labels()[col])
        return pd.DataFrame({"office": [names.get(k, k) for k in keys] + ["All offices"], **cols})
    if by == "nature":
        keys = list(BREACH_NATURES)
        names = {k: v.split(" (")[0] for k, v in BREACH_NATURES.items()}
    else:
        keys = sorted(
            {k for v in trend.breaches[by] for k in v} | {k for v in period.breaches[by] for k in v}
        )
    return pd.DataFrame(
        {
            by.replace("_", " "): [names.get(k, k) for k in keys],
            "this period": list(suppress_counts(_tally(period.breaches[by], keys), threshold)),
            "last 8 quarters": list(suppress_counts(_tally(trend.breaches[by], keys), threshold)),
        }
    )


TREND_COLUMNS = {
    "breaches": "breaches",
    "on_time": "notified in time",
    "late": "notified late",
    "overdue": "not notified, overdue",
    "not_told": "high risk, people not told",
    "processor_late": "processor late",
    "undocumented": "record incomplete",
}


def trend_table(trend: Sequence[tuple[Period, Judged]], threshold: int) -> pd.DataFrame:
    """Per quarter, the breaches it covers and how they stood at its end, small counts
    hidden; the status columns overlap and leave some breaches out (pending, not
    notifiable), so no line of them adds up to the total shown."""
    rows = []
    for q, judged in trend:
        b = judged.breaches
        n = b["notification"]
        counts = pd.Series(
            {
                "breaches": len(b),
                "on_time": int((n == "on_time").sum()),
                "late": int(n.isin(["late_no_reasons", "late_with_reasons"]).sum()),
                "overdue": int((n == "overdue").sum()),
                "not_told": int((b["communication"] == "not_told").sum()),
                "processor_late": int((b["processor"] == "late").sum()),
                "undocumented": int((b["missing"].map(len) > 0).sum()),
            },
            dtype="int64",
        )
        shown = suppress_counts(counts, threshold)
        rows.append((q.label, *(shown[k] for k in TREND_COLUMNS)))
    return pd.DataFrame(rows, columns=["quarter", *TREND_COLUMNS.values()])


def summary_markdown(judged: Judged, findings: pd.DataFrame, period: Period, threshold: int) -> str:
    """The headline a DPO reads first, in the tables' own (protected) figures."""
    b = judged.breaches
    total = count_label(len(b), threshold)
    n = b["notification"]
    on_time = count_label(int((n == "on_time").sum()), threshold)
    late = count_label(int(n.isin(["late_no_reasons", "late_with_reasons"]).sum()), threshold)
    overdue = count_label(int((n == "overdue").sum()), threshold)
    small = small_count_note(threshold)
    return (
        f"**{total} {plural(total)}** in {period} (known in the period, or carried over with a "
        f"duty still undone). **{on_time}** notified in time, **{late}** late and "
        f"**{overdue}** not notified past the 72 hours. "
        f"{findings_tally(findings)}{small}"
    )


def findings_view(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings as the report shows them: without the topic column."""
    return findings.drop(columns="topic")
