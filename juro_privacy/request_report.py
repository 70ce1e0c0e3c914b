"""The requests report's tables, chart data and trend, from the judged requests.

Every count that reaches the report passes through :mod:`juro_privacy.disclosure`:
small counts print as ``"<5"``, tables are protected on their totals, rates follow
their counts. The figures a period repeats across tables (requests handled, judged,
on time, open, overdue) are decided once, in :func:`status_counts`, and pinned in
every other table that shows them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from juro_privacy.disclosure import (
    Cell,
    Label,
    Protected,
    count_label,
    format_rate,
    protect,
    statistic,
    unpublished_rate,
)
from juro_privacy.periods import Period
from juro_privacy.requests import (
    EXTENSION_LABELS,
    FORWARD_LABELS,
    STATUS_LABELS,
    assess_requests,
    handled_in,
)
from juro_privacy.schemas import REQUEST_TYPES
from juro_privacy.workbook import Workbook

TYPE_LABELS = {
    "access": "Access",
    "erasure": "Erasure",
    "portability": "Portability",
    "rectification": "Rectification",
    "objection": "Objection",
    "restriction": "Restriction",
    "marketing_opt_out": "Marketing opt-out",
}
CHANNEL_LABELS = {
    "email": "E-mail",
    "chat": "Chat",
    "web_form": "Web form",
    "phone": "Phone",
    "post": "Post",
}
#: Age of an open request, in calendar days since receipt, and how the report names it.
AGE_BUCKETS = (
    (0, 14, "0–14 days"),
    (15, 30, "15–30 days"),
    (31, 60, "31–60 days"),
    (61, 90, "61–90 days"),
    (91, None, "over 90 days"),
)
JUDGED = "judged"
TOTAL = "total"
ALL = "All requests"


def _counts(values: pd.Series, keys: Sequence[str]) -> dict[str, int]:
    found = values.value_counts()
    return {k: int(found.get(k, 0)) for k in keys}


def _two_level(
    counts: Mapping[str, int],
    parts: Sequence[str],
    rest: Sequence[str],
    threshold: int,
    *,
    total_hidden: bool | None = None,
) -> Protected:
    """A one-column table (``requests``): ``parts`` add up to :data:`JUDGED`, which with
    ``rest`` adds up to :data:`TOTAL`; protected on both lines (one line, to the total,
    when ``rest`` is empty). ``total_hidden`` pins the total's state when another table
    already shows it."""
    col = "requests"
    values = {k: counts.get(k, 0) for k in (*parts, *rest)}
    if rest:
        values[JUDGED] = sum(values[k] for k in parts)
        rows = [*parts, JUDGED, *rest, TOTAL]
        lines = [[(r, col) for r in (*parts, JUDGED)], [(r, col) for r in (JUDGED, *rest, TOTAL)]]
    else:
        rows = [*parts, TOTAL]
        lines = [[(r, col) for r in rows]]
    values[TOTAL] = sum(values[k] for k in (*parts, *rest))
    frame = pd.DataFrame({col: [values[r] for r in rows]}, index=rows)
    fixed: dict[Cell, bool] = {} if total_hidden is None else {(TOTAL, col): total_hidden}
    keep = [(JUDGED, col)] if rest else []  # the rate's denominator: withheld last
    return protect(frame, threshold, lines, fixed=fixed, keep=keep)


# ---------------------------------------------------------------- the period


def status_counts(assessed: pd.DataFrame, threshold: int) -> Protected:
    """Requests handled in the period by status (:data:`~juro_privacy.requests.STATUS_LABELS`),
    with the judged subtotal (on time, late, overdue) and the total, protected."""
    counts = _counts(assessed["status"], list(STATUS_LABELS))
    return _two_level(counts, ["on_time", "late", "overdue"], ["open", "processor_role"], threshold)


def on_time_rate(status: Protected) -> str:
    """The period's on-time rate as it may print: answered on time over judged."""
    col = "requests"
    return status.rate(("on_time", col), [("late", col), ("overdue", col)], (JUDGED, col))


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
    sev = findings["severity"].value_counts()
    small = f" Counts from 1 to {threshold - 1} print as <{threshold}." if threshold > 1 else ""
    return (
        f"**{n[TOTAL]} requests** handled in {period} (closed in the period, or open at its "
        f"end). Of the **{n[JUDGED]} judged** against their deadline, **{n['on_time']}** "
        f"were answered on time: an on-time rate of **{on_time_rate(status)}**; "
        f"**{n['late']}** answered late and **{n['overdue']}** open past the deadline. "
        f"{n['open']} are open and not yet due; {n['processor_role']} were about contracts "
        "signed through the product and go to the customer. "
        f"**{len(findings)} findings**: {sev.get('high', 0)} high, "
        f"{sev.get('medium', 0)} medium, {sev.get('low', 0)} low.{small}"
    )


def _sum_label(prot: Protected, rows: Sequence[str], column: str = "requests") -> Label:
    """A sum of cells as a reader may see it: hidden when any of them is hidden."""
    value = int(prot.counts.loc[list(rows), column].sum())
    hidden = any(prot.is_hidden(r, column) for r in rows)
    return count_label(value, prot.threshold, hidden=hidden or None)


def finding_counts(assessed: pd.DataFrame, threshold: int) -> dict[str, Label]:
    """Per finding code, its count as the report's tables print it (for the findings
    and the trend, so neither shows a count a table withheld)."""
    status = status_counts(assessed, threshold)
    ext = extension_counts(assessed, threshold)
    fwd = forwarding_counts(assessed, status, threshold)
    wrong = int(assessed["portability_ok"].eq(False).fillna(False).sum())
    return {
        "request_overdue": status.label("overdue", "requests"),
        "request_late": status.label("late", "requests"),
        "extension_not_notified": _sum_label(ext, ["notified_late", "not_notified"]),
        "portability_format": count_label(wrong, threshold),
        "forwarding_late": fwd.label("late", "requests"),
        "forwarding_overdue": fwd.label("overdue", "requests"),
    }


def findings_view(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings as the report shows them: without the topic column."""
    return findings.drop(columns="topic")


def _group_labels(by: str, sites: pd.DataFrame | None = None) -> dict[str, str]:
    if by == "type":
        return TYPE_LABELS
    if by == "channel":
        return CHANNEL_LABELS
    if by == "office" and sites is not None:
        return dict(zip(sites["site_id"].astype(str), sites["name"].astype(str), strict=True))
    return {}


def on_time_counts(assessed: pd.DataFrame, by: str, status: Protected, threshold: int) -> Protected:
    """Requests judged, on time and not, per type, office or channel, protected.

    Rows are the groups and :data:`ALL`; protected on every row (on time + not on time =
    judged) and column (groups add up to :data:`ALL`); the :data:`ALL` row keeps the
    states the status table gave those figures, and the judged counts (the rates'
    denominators) are withheld last.
    """
    judged = assessed[assessed["status"].isin(["on_time", "late", "overdue"])]
    on = judged[judged["status"] == "on_time"][by].value_counts()
    every = judged[by].value_counts()
    rows = [*_groups(assessed, by), ALL]
    frame = pd.DataFrame(
        {
            "on_time": [int(on.get(g, 0)) for g in rows[:-1]] + [int(on.sum())],
            "judged": [int(every.get(g, 0)) for g in rows[:-1]] + [len(judged)],
        },
        index=rows,
    )
    frame["not_on_time"] = frame["judged"] - frame["on_time"]
    frame = frame[["on_time", "not_on_time", "judged"]]
    lines = [[(r, "on_time"), (r, "not_on_time"), (r, "judged")] for r in rows]
    lines += [[(r, c) for r in rows] for c in frame.columns]
    col = "requests"
    on_hidden = status.is_hidden("on_time", col)
    judged_hidden = status.is_hidden(JUDGED, col)
    fixed: dict[Cell, bool] = {
        (ALL, "on_time"): on_hidden,
        (ALL, "judged"): judged_hidden,
        (ALL, "not_on_time"): on_hidden or judged_hidden,
    }
    keep = [(r, "judged") for r in rows]
    return protect(frame, threshold, lines, fixed=fixed, keep=keep)


def _groups(assessed: pd.DataFrame, by: str) -> list[str]:
    """The groups a breakdown lists: every type and channel, the offices in use."""
    if by == "type":
        return list(REQUEST_TYPES)
    if by == "channel":
        return list(CHANNEL_LABELS)
    return sorted(set(assessed.loc[assessed["role"] == "controller", by].astype(str)))


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
    names = _group_labels(by, sites)
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


def _stat(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def times_table(assessed: pd.DataFrame, status: Protected, threshold: int) -> pd.DataFrame:
    """Median and 90th percentile of the period's times, each over the requests it
    concerns; ``n/a`` below the threshold (:func:`~juro_privacy.disclosure.statistic`).

    - turnaround: receipt to answer, requests answered in the period (calendar and
      working days);
    - identity verification: receipt to verification, requests verified by the end;
    - passing on: receipt to forwarding, processor-role requests passed on.

    The counts of answered and passed-on requests are sums of cells the status and
    forwarding tables show: hidden when any of those is.
    """
    answered = assessed[assessed["status"].isin(["on_time", "late"])]
    verified = assessed[(assessed["role"] == "controller") & assessed["verified"].notna()]
    passed = assessed[assessed["forward_working_days"].notna()]
    forward = forwarding_counts(assessed, status, threshold)
    n_answered = _sum_label(status, ["on_time", "late"])
    n_verified = count_label(len(verified), threshold)
    n_passed = _sum_label(forward, ["on_time", "late"])
    measures = [
        ("Turnaround, calendar days", n_answered, answered["turnaround_days"]),
        ("Turnaround, working days", n_answered, answered["turnaround_working_days"]),
        (
            "Receipt to identity verification, calendar days",
            n_verified,
            verified["verification_days"],
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
                _stat(statistic(values, threshold, 0.5)),
                _stat(statistic(values, threshold, 0.9)),
            )
            for name, count, values in measures
        ],
        columns=["measure", "requests", "median", "90th percentile"],
    )


def _bucket(age: int) -> str:
    for low, high, name in AGE_BUCKETS:
        if age >= low and (high is None or age <= high):
            return name
    return AGE_BUCKETS[-1][2]


def ageing(assessed: pd.DataFrame, status: Protected, threshold: int) -> Protected:
    """Open requests at the period's end by days since receipt, not yet due and overdue.

    Rows are :data:`AGE_BUCKETS` and a total row; protected on rows and columns, the
    total row keeping the status table's states.
    """
    open_ = assessed[assessed["status"].isin(["open", "overdue"])]
    buckets = [b[2] for b in AGE_BUCKETS]
    table = pd.crosstab(open_["age_days"].astype(int).map(_bucket), open_["status"])
    table = table.reindex(index=buckets, columns=["open", "overdue"], fill_value=0)
    table.loc[TOTAL] = table.sum()
    table["all"] = table["open"] + table["overdue"]
    table = table.astype("int64")
    rows = list(table.index)
    lines = [[(r, "open"), (r, "overdue"), (r, "all")] for r in rows]
    lines += [[(r, c) for r in rows] for c in table.columns]
    col = "requests"
    fixed: dict[Cell, bool] = {
        (TOTAL, "open"): status.is_hidden("open", col),
        (TOTAL, "overdue"): status.is_hidden("overdue", col),
        (TOTAL, "all"): status.is_hidden("open", col) or status.is_hidden("overdue", col),
    }
    return protect(table, threshold, lines, fixed=fixed)


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


def extension_counts(assessed: pd.DataFrame, threshold: int) -> Protected:
    """Extended controller requests by what became of the extension (a protected line)."""
    kinds = [k for k in EXTENSION_LABELS if k != "none"]
    ext = assessed[(assessed["role"] == "controller") & assessed["extended"]]
    counts = _counts(ext["extension"], kinds)
    return _two_level(counts, kinds, [], threshold)


def extension_table(prot: Protected) -> pd.DataFrame:
    labels = prot.labels()["requests"]
    kinds = [k for k in EXTENSION_LABELS if k != "none"]
    return pd.DataFrame(
        {
            "extension": [EXTENSION_LABELS[k] for k in kinds] + ["All extended requests"],
            "requests": [labels[k] for k in kinds] + [labels[TOTAL]],
        }
    )


def forwarding_counts(assessed: pd.DataFrame, status: Protected, threshold: int) -> Protected:
    """Processor-role requests by forwarding status: judged (on time, late, overdue)
    and still within the target; the total keeps the status table's state."""
    counts = _counts(assessed["forward_status"].dropna(), list(FORWARD_LABELS))
    return _two_level(
        counts,
        ["on_time", "late", "overdue"],
        ["awaiting"],
        threshold,
        total_hidden=status.is_hidden("processor_role", "requests"),
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


# ---------------------------------------------------------------- the trend


@dataclass(frozen=True)
class Quarter:
    """One quarter of the trend: its requests handled, judged as of its own end."""

    period: Period
    assessed: pd.DataFrame


def quarters(
    requests: pd.DataFrame,
    sites: pd.DataFrame,
    period: Period,
    *,
    count: int = 8,
    forward_target_working_days: int = 5,
) -> list[Quarter]:
    """The last ``count`` quarters ending with ``period``'s last, oldest first, each
    judged as of its own end; quarters before the first request received are left out
    (the trend covers the quarters the workbook has data for)."""
    if requests.empty:
        return []
    first = pd.Timestamp(requests["received_at"].min()).date()
    out = []
    for q in period.trailing_quarters(count):
        if q.end < first:
            continue
        assessed = assess_requests(
            requests, sites, q.end, forward_target_working_days=forward_target_working_days
        )
        out.append(Quarter(q, handled_in(assessed, q)))
    return out


def trend_table(trend: Sequence[Quarter], threshold: int) -> pd.DataFrame:
    """Per quarter: requests handled, judged, on-time rate, overdue at the end, extensions
    not told in time, wrong portability formats and passing on within the target;
    each quarter's counts protected as the period's are."""
    rows = []
    col = "requests"
    for q in trend:
        a = q.assessed
        status = status_counts(a, threshold)
        labels = status.labels()[col]
        forward = forwarding_counts(a, status, threshold)
        shown = finding_counts(a, threshold)
        rows.append(
            (
                q.period.label,
                labels[TOTAL],
                labels[JUDGED],
                on_time_rate(status),
                labels["overdue"],
                shown["extension_not_notified"],
                shown["portability_format"],
                forward.rate(("on_time", col), [("late", col), ("overdue", col)], (JUDGED, col)),
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "quarter",
            "requests",
            "judged",
            "on-time rate",
            "overdue at end",
            "extensions not told in time",
            "portability not CSV/JSON",
            "passed on within target",
        ],
    )


def trend_times(trend: Sequence[Quarter], threshold: int) -> pd.DataFrame:
    """Per quarter: median and 90th percentile turnaround (calendar and working days),
    and median days to identity verification; ``n/a`` below the threshold."""
    rows = []
    for q in trend:
        a = q.assessed
        answered = a[a["status"].isin(["on_time", "late"])]
        verified = a[(a["role"] == "controller") & a["verified"].notna()]
        rows.append(
            (
                q.period.label,
                *(
                    _stat(statistic(answered[c], threshold, p))
                    for c in ("turnaround_days", "turnaround_working_days")
                    for p in (0.5, 0.9)
                ),
                _stat(statistic(verified["verification_days"].dropna(), threshold, 0.5)),
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "quarter",
            "median days",
            "90th percentile days",
            "median working days",
            "90th percentile working days",
            "median days to verification",
        ],
    )


def trend_time_lines(trend: Sequence[Quarter], threshold: int) -> pd.DataFrame:
    """Chart data for the turnaround trend: quarter, measure, value (``None``: n/a)."""
    rows = []
    for q in trend:
        a = q.assessed
        answered = a[a["status"].isin(["on_time", "late"])]
        for measure, column, p in (
            ("Median, calendar days", "turnaround_days", 0.5),
            ("90th percentile, calendar days", "turnaround_days", 0.9),
            ("Median, working days", "turnaround_working_days", 0.5),
            ("90th percentile, working days", "turnaround_working_days", 0.9),
        ):
            rows.append((q.period.label, measure, statistic(answered[column], threshold, p)))
    return pd.DataFrame(rows, columns=["quarter", "measure", "value"])


def trend_rates(
    trend: Sequence[Quarter],
    threshold: int,
    by: str | None = None,
    *,
    sites: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The on-time rate per quarter, overall or per ``by`` group: quarter, group, low,
    high, label. Overall rates match the trend table; per-group rates are shown without
    their counts (:func:`~juro_privacy.disclosure.unpublished_rate`)."""
    names = _group_labels(by, sites) if by else {}
    rows: list[tuple[str, str, float | None, float | None, str]] = []
    for q in trend:
        a = q.assessed
        judged = a[a["status"].isin(["on_time", "late", "overdue"])]
        if by is None:
            status = status_counts(a, threshold)
            col = "requests"
            bounds = status.share(
                ("on_time", col), [("late", col), ("overdue", col)], (JUDGED, col)
            )
            groups: list[tuple[Hashable, tuple[float, float] | None]] = [(ALL, bounds)]
        else:
            groups = []
            for name in _groups(a, by):
                mine = judged[judged[by] == name]
                on = int((mine["status"] == "on_time").sum())
                groups.append((name, unpublished_rate(on, len(mine) - on, threshold)))
        for g, bounds in groups:
            low, high = bounds if bounds is not None else (None, None)
            rows.append((q.period.label, names.get(str(g), str(g)), low, high, format_rate(bounds)))
    return pd.DataFrame(rows, columns=["quarter", "group", "low", "high", "label"])


def trend_rate_table(rates: pd.DataFrame, by: str) -> pd.DataFrame:
    """:func:`trend_rates` laid out with a row per group and a column per quarter."""
    order = list(dict.fromkeys(rates["group"]))
    wide = rates.pivot(index="group", columns="quarter", values="label").reindex(order)
    wide = wide.reset_index().rename(columns={"group": by})
    wide.columns.name = None
    return wide


def rate_lines(
    trend: Sequence[Quarter], threshold: int, *, sites: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Chart data for the on-time trend: all requests, then each office."""
    return pd.concat(
        [trend_rates(trend, threshold), trend_rates(trend, threshold, "office", sites=sites)],
        ignore_index=True,
    )


# ---------------------------------------------------------------- workbook wrappers


def quarters_for(workbook: Workbook, period: Period, count: int = 8) -> list[Quarter]:
    """The trend quarters of ``workbook`` ending with ``period`` (see :func:`quarters`)."""
    return quarters(
        workbook.requests,
        workbook.sites,
        period,
        count=count,
        forward_target_working_days=workbook.config.forward_target_working_days,
    )
