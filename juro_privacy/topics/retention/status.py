"""The retention report's status table: accounts per obligation, office and status.

:func:`status_counts` protects the counts of
:func:`~juro_privacy.rules.retention.rule.summarize_retention` through
:mod:`juro_privacy.rules.disclosure` on every row (statuses add up to the total) and every
obligation's column (offices add up to ``all``); :func:`status_table`,
:func:`status_bars` and :func:`summary_markdown` show them. The labels and row names
here are shared by the rest of the report (:mod:`juro_privacy.topics.retention.report`,
:mod:`juro_privacy.topics.retention.forecast`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from juro_privacy.findings import findings_tally
from juro_privacy.rules.disclosure import Cell, Protected, protect, small_count_note
from juro_privacy.rules.retention.rule import OBLIGATIONS, STATUSES

__all__ = [
    "ALL",
    "OBLIGATION_LABELS",
    "STATUS_LABELS",
    "TOTAL",
    "status_bar",
    "status_bars",
    "status_counts",
    "status_row",
    "status_table",
    "summary_markdown",
]

OBLIGATION_LABELS = {"archive": "Archive", "delete": "Delete"}
STATUS_LABELS = {
    "pending": "Not yet due",
    "on_time": "Done on time",
    "late": "Done late",
    "overdue": "Not done, overdue",
}
ALL = "all"
TOTAL = "total"


def status_row(obligation: str, office: str) -> str:
    """The status table's row name for ``obligation`` at ``office`` (``archive:london``;
    ``archive:all`` with :data:`ALL` for every office)."""
    return f"{obligation}:{office}"


def status_counts(summary: pd.DataFrame, threshold: int) -> Protected:
    """Accounts per obligation and office (rows ``archive:london``... and
    ``archive:all``) by status (columns :data:`~juro_privacy.rules.retention.rule.STATUSES` and
    ``total``), from :func:`~juro_privacy.rules.retention.rule.summarize_retention`, protected on
    every row (statuses add up to the total) and every obligation's column (offices
    add up to ``all``)."""
    offices = sorted(summary["office"].astype(str).unique())
    columns = [*STATUSES, TOTAL]
    rows: dict[str, list[int]] = {}
    lines: list[list[Cell]] = []
    for obligation in OBLIGATIONS:
        part = summary[summary["obligation"] == obligation]
        names = [status_row(obligation, o) for o in offices] + [status_row(obligation, ALL)]
        for office in offices:
            got = part[part["office"] == office].set_index("status")["accounts"]
            values = [int(got.get(s, 0)) for s in STATUSES]
            rows[status_row(obligation, office)] = [*values, sum(values)]
        rows[status_row(obligation, ALL)] = [
            sum(rows[status_row(obligation, o)][i] for o in offices) for i in range(len(columns))
        ]
        lines += [[(name, c) for c in columns] for name in names]
        lines += [[(name, c) for name in names] for c in columns]
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=columns).astype("int64")
    return protect(frame, threshold, lines)


def status_table(status: Protected, sites: pd.DataFrame | None = None) -> pd.DataFrame:
    """The status counts as the report shows them: one row per obligation and office."""
    names = _office_names(sites)
    out = []
    for key in status.counts.index:
        obligation, office = str(key).split(":", 1)
        shown = "All offices" if office == ALL else names.get(office, office)
        row: dict[str, Any] = {"obligation": OBLIGATION_LABELS[obligation], "office": shown}
        row.update({STATUS_LABELS[s]: status.label(key, s) for s in STATUSES})
        row["all accounts"] = status.label(key, TOTAL)
        out.append(row)
    return pd.DataFrame(out)


def _office_names(sites: pd.DataFrame | None) -> dict[str, str]:
    if sites is None:
        return {}
    return dict(zip(sites["site_id"].astype(str), sites["name"].astype(str), strict=True))


def status_bars(status: Protected, sites: pd.DataFrame | None = None) -> pd.DataFrame:
    """Chart data: per obligation and office (not the totals) and status, the height
    drawn and the label printed. A hidden count is drawn hatched, as high as the
    threshold less one for ``"<5"`` and the threshold for ``"≥5"``, never as itself."""
    names = _office_names(sites)
    rows = []
    for key in status.counts.index:
        obligation, office = str(key).split(":", 1)
        if office == ALL:
            continue
        shown = names.get(office, office)
        for s in STATUSES:
            rows.append(
                (
                    OBLIGATION_LABELS[obligation],
                    shown,
                    STATUS_LABELS[s],
                    *status_bar(status, key, s),
                )
            )
    return pd.DataFrame(
        rows, columns=["obligation", "office", "status", "height", "label", "hidden"]
    )


def status_bar(prot: Protected, row: Any, column: Any) -> tuple[int, str, bool]:
    """One bar of a protected table's chart: ``(height, label, hidden)`` for the cell at
    ``row`` and ``column``. A hidden count is drawn as high as the threshold less one
    (``"<5"``) or the threshold (``"≥5"``), never as itself, and labelled as it prints."""
    t, value = prot.threshold, int(prot.counts.loc[row, column])
    hidden = prot.is_hidden(row, column)
    height = (t - 1 if value < t else t) if hidden else value
    return height, str(prot.label(row, column)), hidden


def summary_markdown(
    status: Protected, findings: pd.DataFrame, as_of: dt.date, threshold: int
) -> str:
    """The headline a DPO reads first, in the status table's own (protected) figures."""
    archive, delete = status_row("archive", ALL), status_row("delete", ALL)
    n = {(r, c): status.label(r, c) for r in (archive, delete) for c in (*STATUSES, TOTAL)}
    small_note = small_count_note(threshold)
    return (
        f"**{n[archive, TOTAL]} accounts** judged as of **{as_of}**. "
        f"Archiving: **{n[archive, 'overdue']} overdue** (not archived, past the "
        f"due date) and {n[archive, 'late']} archived late. "
        f"Deletion: **{n[delete, 'overdue']} overdue** and {n[delete, 'late']} "
        f"deleted late. {findings_tally(findings)}{small_note}"
    )
