"""The requests report's tables and chart data, from the judged requests.

The counts behind them are protected once, in :mod:`juro_privacy.topics.requests.counts`
(the notebook takes them from there and hands them to these tables); the 8-quarter trend
is in :mod:`juro_privacy.topics.requests.trend`, and the judged requests of a workbook come
from :mod:`juro_privacy.topics.requests.api`.
"""

from __future__ import annotations

import pandas as pd

from juro_privacy.findings import findings_tally
from juro_privacy.periods import Period
from juro_privacy.rules.disclosure import Protected, count_label, small_count_note, statistic
from juro_privacy.topics.requests.analysis import EXTENSION_LABELS, FORWARD_LABELS, STATUS_LABELS
from juro_privacy.topics.requests.counts import (
    CLARIFICATION_LABELS,
    JUDGED,
    TOTAL,
    TYPE_LABELS,
    clarification_counts,
    forwarding_counts,
    group_labels,
    on_time_counts,
    on_time_rate,
    stat_cell,
    sum_label,
)


def status_table(status: Protected) -> pd.DataFrame:
    """The status counts as the report shows them."""
    names = {
        **STATUS_LABELS,
        JUDGED: "Judged against the deadline (on time, late or overdue)",
        TOTAL: "All requests handled in the period",
    }
    labels = status.labels()["requests"]
    order = ["on_time", "late", "overdue", JUDGED, "open", "processor_role", TOTAL]
    return pd.DataFrame(
        {"status": [names[k] for k in order], "requests": [labels[k] for k in order]}
    )


def summary_markdown(
    status: Protected, findings: pd.DataFrame, period: Period, threshold: int
) -> str:
    """The headline a DPO reads first, in the status table's own (protected) figures."""
    n = status.labels()["requests"]
    small = small_count_note(threshold)
    return (
        f"**{n[TOTAL]} requests** handled in {period} (closed in the period, or open at its "
        f"end). Of the **{n[JUDGED]} judged** against their deadline, **{n['on_time']}** "
        f"were answered on time: an on-time rate of **{on_time_rate(status)}**; "
        f"**{n['late']}** answered late and **{n['overdue']}** open past the deadline. "
        f"{n['open']} are open and not yet due; {n['processor_role']} were about contracts "
        "signed through the product and go to the customer. "
        f"{findings_tally(findings)}{small}"
    )


def findings_view(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings as the report shows them: without the topic column."""
    return findings.drop(columns="topic")


def on_time_by(
    assessed: pd.DataFrame,
    by: str,
    status: Protected,
    threshold: int,
    *,
    sites: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Requests judged, on time and not, and the on-time rate, per type, office or
    channel, as the report shows them (:func:`on_time_counts`)."""
    prot = on_time_counts(assessed, by, status, threshold)
    labels = prot.labels()
    names = group_labels(by, sites)
    rows = list(prot.counts.index)
    return pd.DataFrame(
        {
            by: [names.get(str(g), str(g)) for g in rows],
            "requests judged": list(labels["judged"]),
            "on time": list(labels["on_time"]),
            "late or overdue": list(labels["not_on_time"]),
            "on-time rate": [
                prot.rate((r, "on_time"), [(r, "not_on_time")], (r, "judged")) for r in rows
            ],
        }
    )


def times_table(assessed: pd.DataFrame, status: Protected, threshold: int) -> pd.DataFrame:
    """Median and 90th percentile of the period's times, each over the requests it
    concerns; ``n/a`` below the threshold (:func:`~juro_privacy.rules.disclosure.statistic`).

    - turnaround: receipt to answer, requests answered in the period (calendar and
      working days);
    - identity verification: receipt to verification, requests verified by the end;
    - clock stopped: asking for clarification to its arrival, both days included (or
      to the period's end if still awaited), requests whose clock it stopped
      (UK GDPR Art. 12A);
    - passing on: receipt to forwarding, processor-role requests passed on.

    The counts of answered and passed-on requests are sums of cells the status and
    forwarding tables show: hidden when any of those is.
    """
    answered = assessed[assessed["status"].isin(["on_time", "late"])]
    verified = assessed[(assessed["role"] == "controller") & assessed["verified"].notna()]
    passed = assessed[assessed["forward_working_days"].notna()]
    paused = assessed[(assessed["role"] == "controller") & assessed["clock_paused"]]
    clarified = clarification_counts(assessed, threshold)
    forward = forwarding_counts(assessed, status, threshold)
    n_answered = sum_label(status, ["on_time", "late"])
    n_verified = count_label(len(verified), threshold)
    n_passed = sum_label(forward, ["on_time", "late"])
    measures = [
        ("Turnaround, calendar days", n_answered, answered["turnaround_days"]),
        ("Turnaround, working days", n_answered, answered["turnaround_working_days"]),
        (
            "Receipt to identity verification, calendar days",
            n_verified,
            verified["verification_days"],
        ),
        (
            "Clock stopped for clarification, calendar days",
            sum_label(clarified, ["paused"]),
            paused["days_paused"],
        ),
        (
            "Receipt to passing on to the customer, working days",
            n_passed,
            passed["forward_working_days"],
        ),
    ]
    return pd.DataFrame(
        [
            (
                name,
                count,
                stat_cell(statistic(values, threshold, 0.5)),
                stat_cell(statistic(values, threshold, 0.9)),
            )
            for name, count, values in measures
        ],
        columns=["measure", "requests", "median", "90th percentile"],
    )


def ageing_table(prot: Protected) -> pd.DataFrame:
    labels = prot.labels()
    return pd.DataFrame(
        {
            "days since receipt": [r if r != TOTAL else "All open requests" for r in labels.index],
            "not yet due": list(labels["open"]),
            "overdue": list(labels["overdue"]),
            "all open": list(labels["all"]),
        }
    )


def ageing_bars(prot: Protected) -> pd.DataFrame:
    """Chart data for the ageing bars: one row per bucket and status, the height drawn
    and the label it prints. A hidden count is drawn hatched, as high as the threshold
    less one for ``"<5"`` and as the threshold for ``"≥5"``, never as itself."""
    rows = []
    t = prot.threshold
    for bucket in prot.counts.index.drop(TOTAL):
        for status, name in (("open", "Not yet due"), ("overdue", "Overdue")):
            label = prot.label(bucket, status)
            hidden = prot.is_hidden(bucket, status)
            value = int(prot.counts.loc[bucket, status])
            height = (t - 1 if value < t else t) if hidden else value
            rows.append((str(bucket), name, height, str(label), hidden))
    return pd.DataFrame(rows, columns=["bucket", "status", "height", "label", "hidden"])


def extension_table(prot: Protected) -> pd.DataFrame:
    labels = prot.labels()["requests"]
    kinds = [k for k in EXTENSION_LABELS if k != "none"]
    return pd.DataFrame(
        {
            "extension": [EXTENSION_LABELS[k] for k in kinds] + ["All extended requests"],
            "requests": [labels[k] for k in kinds] + [labels[TOTAL]],
        }
    )


def forwarding_table(prot: Protected, target_working_days: int) -> pd.DataFrame:
    labels = prot.labels()["requests"]
    col = "requests"
    order = ["on_time", "late", "overdue", JUDGED, "awaiting", TOTAL]
    names = {
        **FORWARD_LABELS,
        JUDGED: "Judged against the target (passed on, or overdue)",
        TOTAL: "All processor-role requests handled in the period",
    }
    rate = prot.rate(("on_time", col), [("late", col), ("overdue", col)], (JUDGED, col))
    out = pd.DataFrame(
        {"status": [names[k] for k in order], "requests": [labels[k] for k in order]}
    )
    note = f"Passed on within {target_working_days} working days (rate)"
    return pd.concat([out, pd.DataFrame({"status": [note], "requests": [rate]})]).reset_index(
        drop=True
    )


def deadline_points(assessed: pd.DataFrame, status: Protected) -> pd.DataFrame:
    """Chart data: each controller request's days used against days allowed, with no id.

    Days count from the clock's start (receipt, or identity verification); an open
    request's days used run to the period's end. ``legend`` names each status with
    its count as the status table prints it.
    """
    own = assessed[assessed["role"] == "controller"]
    labels = status.labels()["requests"]
    return pd.DataFrame(
        {
            "status": own["status"],
            "legend": [f"{STATUS_LABELS[s]} ({labels[s]})" for s in own["status"]],
            "type": own["type"].map(TYPE_LABELS),
            "extended": own["extension"] == "valid",
            "days_allowed": own["days_allowed"].astype(int),
            "days_used": own["days_used"].astype(int),
        }
    ).reset_index(drop=True)


def clarification_table(prot: Protected) -> pd.DataFrame:
    """Controller requests on which clarification was sought, by whether it stopped the
    clock (UK GDPR Art. 12A: UK access requests only), as the report shows them."""
    labels = prot.labels()["requests"]
    kinds = list(CLARIFICATION_LABELS)
    return pd.DataFrame(
        {
            "clarification": [CLARIFICATION_LABELS[k] for k in kinds] + ["All requests clarified"],
            "requests": [labels[k] for k in kinds] + [labels[TOTAL]],
        }
    )
