"""The requests report's protected counts for one period, decided once.

Every count that reaches the report passes through :mod:`juro_privacy.rules.disclosure`:
small counts print as ``"<5"``, tables are protected on their totals, rates follow
their counts. The figures a period repeats across tables (requests handled, judged,
on time, open, overdue) are decided once, in :func:`status_counts`, and pinned in
every other table that shows them. The tables as the report shows them are in
:mod:`juro_privacy.topics.requests.report`, the trend in :mod:`juro_privacy.topics.requests.trend`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from juro_privacy.rules.disclosure import Cell, Label, Protected, count_label, protect
from juro_privacy.topics.requests.analysis import (
    EXTENSION_LABELS,
    FORWARD_LABELS,
    STATUS_LABELS,
    blanket,
    ran_on,
    refusal_faults,
)
from juro_privacy.workbook.schemas import CHANNELS, REQUEST_TYPES

#: How the report names each request type and channel, in its row order: the
#: vocabularies as the data contract declares them (``juro_privacy.workbook.schemas``).
TYPE_LABELS: dict[str, str] = REQUEST_TYPES
CHANNEL_LABELS: dict[str, str] = CHANNELS
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


def status_counts(assessed: pd.DataFrame, threshold: int) -> Protected:
    """Requests handled in the period by status (:data:`~.analysis.STATUS_LABELS`),
    with the judged subtotal (on time, late, overdue) and the total, protected."""
    counts = _counts(assessed["status"], list(STATUS_LABELS))
    return _two_level(counts, ["on_time", "late", "overdue"], ["open", "processor_role"], threshold)


def on_time_rate(status: Protected) -> str:
    """The period's on-time rate as it may print: answered on time over judged."""
    col = "requests"
    return status.rate(("on_time", col), [("late", col), ("overdue", col)], (JUDGED, col))


def sum_label(prot: Protected, rows: Sequence[str], column: str = "requests") -> Label:
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
        "extension_not_notified": sum_label(ext, ["notified_late", "not_notified"]),
        "portability_format": count_label(wrong, threshold),
        "clarification_no_pause": clarification_counts(assessed, threshold).label(
            "ran_on", "requests"
        ),
        "clarification_blanket": count_label(blanket(assessed)[0], threshold),
        "forwarding_late": fwd.label("late", "requests"),
        "forwarding_overdue": fwd.label("overdue", "requests"),
        **{
            code: count_label(int(hit.sum()), threshold)
            for code, hit in refusal_faults(assessed).items()
        },
    }


def group_labels(by: str, sites: pd.DataFrame | None = None) -> dict[str, str]:
    """How a breakdown names its groups: :data:`TYPE_LABELS` for ``type``,
    :data:`CHANNEL_LABELS` for ``channel``, each site's name for ``office`` (when
    ``sites`` is given); empty otherwise (a group then prints as its value)."""
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
    rows = [*groups_of(assessed, by), ALL]
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


def groups_of(assessed: pd.DataFrame, by: str) -> list[str]:
    """The groups a breakdown lists: every type and channel, the offices in use."""
    if by == "type":
        return list(TYPE_LABELS)
    if by == "channel":
        return list(CHANNEL_LABELS)
    return sorted(set(assessed.loc[assessed["role"] == "controller", by].astype(str)))


def stat_cell(value: float | None) -> str:
    """A median or percentile as a table cell: ``"n/a"`` for ``None`` (below the
    threshold), whole numbers without a decimal, others to one decimal."""
    if value is None:
        return "n/a"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


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


def extension_counts(assessed: pd.DataFrame, threshold: int) -> Protected:
    """Extended controller requests by what became of the extension (a protected line)."""
    kinds = [k for k in EXTENSION_LABELS if k != "none"]
    ext = assessed[(assessed["role"] == "controller") & assessed["extended"]]
    counts = _counts(ext["extension"], kinds)
    return _two_level(counts, kinds, [], threshold)


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


#: What a clarification sought did to a controller request's clock (UK GDPR Art. 12A).
CLARIFICATION_LABELS = {
    "paused": "Clock stopped while the clarification was awaited (UK access requests)",
    "ran_on": "Clock ran on: clarification does not stop it for this request",
}


def clarification_counts(assessed: pd.DataFrame, threshold: int) -> Protected:
    """Controller requests on which clarification was sought, by whether it stopped the
    clock (:data:`CLARIFICATION_LABELS`), with their total: one protected line."""
    own = assessed["role"] == "controller"
    counts = {
        "paused": int((own & assessed["clock_paused"]).sum()),
        "ran_on": int(ran_on(assessed).sum()),
    }
    return _two_level(counts, list(CLARIFICATION_LABELS), [], threshold)
