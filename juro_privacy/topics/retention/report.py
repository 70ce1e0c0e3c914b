"""The retention report: its findings, metrics and workbook wrappers.

The per-account rule is :mod:`juro_privacy.rules.retention.rule` (one Ibis expression, run where
the accounts live); the report only asks the engine for aggregates: counts per
office, obligation and status (:func:`~juro_privacy.rules.retention.summarize_retention`),
days late in bins (:func:`days_late_counts`) and accounts falling due in each of the
next quarters (:func:`forecast_due`). No account id ever leaves the engine here.

Every count that reaches the report passes through :mod:`juro_privacy.rules.disclosure`:
the status table is protected on its rows and office totals (:func:`status_counts`),
and the days-late table keeps the states the status table gave its totals. The
systems check (:func:`systems_over_retention`) compares each system's configured
retention with the register's rules for the data it holds (GDPR Art. 5(1)(e)).

Where the pieces live (each public name is importable from here too): the status
table in :mod:`juro_privacy.topics.retention.status`; days late and the forecast in
:mod:`juro_privacy.topics.retention.forecast`; the systems check in
:mod:`juro_privacy.topics.retention.systems`. This module holds the findings, the metrics
and the workbook wrappers (``summary_for``, ``findings_for``, ``check_accounts``...).
"""

from __future__ import annotations

from collections.abc import Mapping

import ibis.expr.types as ir
import pandas as pd

from juro_privacy import run_cache
from juro_privacy.errors import RetentionError
from juro_privacy.findings import Finding, findings_frame, records
from juro_privacy.periods import Period
from juro_privacy.rules.disclosure import Label, Protected, count_label
from juro_privacy.rules.retention.rule import (
    OBLIGATIONS,
    RetentionRules,
    accounts_table,
    connect_engine,
    read_problem,
    summarize_retention,
)
from juro_privacy.topics.retention.forecast import (
    LATE_BINS,
    days_late_counts,
    forecast_bars,
    forecast_due,
    forecast_table,
    late_bars,
    late_counts,
    late_table,
)
from juro_privacy.topics.retention.status import (
    ALL,
    OBLIGATION_LABELS,
    STATUS_LABELS,
    TOTAL,
    _row,
    status_bars,
    status_counts,
    status_table,
    summary_markdown,
)
from juro_privacy.topics.retention.systems import systems_over_retention, systems_table
from juro_privacy.workbook.load import Workbook

__all__ = [
    "ALL",
    "LATE_BINS",
    "METRICS",
    "OBLIGATION_LABELS",
    "POLICY_RULE",
    "STATUS_LABELS",
    "TOPIC",
    "TOTAL",
    "accounts_for",
    "check_accounts",
    "days_late_counts",
    "finding_counts",
    "findings_for",
    "findings_view",
    "forecast_bars",
    "forecast_due",
    "forecast_table",
    "late_bars",
    "late_counts",
    "late_table",
    "metrics",
    "retention_findings",
    "rules_for",
    "status_bars",
    "status_counts",
    "status_table",
    "summary_for",
    "summary_markdown",
    "systems_for",
    "systems_over_retention",
    "systems_table",
]

TOPIC = "retention"
#: The workbook's retention rule that states the policy's own periods.
POLICY_RULE = "policy_default"


# ---------------------------------------------------------------- findings

#: (obligation, status) -> (code, severity, words)
_ACCOUNT_FINDINGS = (
    ("delete", "overdue", "delete_overdue", "high", "not deleted, past the deletion date"),
    ("archive", "overdue", "archive_overdue", "medium", "not archived, past the archiving date"),
    ("delete", "late", "delete_late", "medium", "deleted after the deletion date"),
    ("archive", "late", "archive_late", "low", "archived after the archiving date"),
)


def finding_counts(status: Protected) -> dict[str, Label]:
    """Per account finding code, its count as the status table prints it."""
    return {
        code: status.label(_row(obligation, ALL), s)
        for obligation, s, code, _, _ in _ACCOUNT_FINDINGS
    }


def retention_findings(
    summary: pd.DataFrame,
    over: pd.DataFrame,
    *,
    threshold: int = 5,
    rules: RetentionRules | None = None,
    counts: Mapping[str, Label] | None = None,
    status: Protected | None = None,
) -> pd.DataFrame:
    """The findings: accounts overdue or late (counts only, small ones suppressed) and
    systems kept longer than their rules or without a retention period.

    ``counts`` gives, per code, the count as the report's tables print it
    (:func:`finding_counts`). Codes: ``delete_overdue`` (high), ``archive_overdue``
    (medium), ``delete_late`` (medium), ``archive_late`` (low): GDPR Art. 5(1)(e) and
    the privacy policy's "archive ... within 6 months", "delete ... no later than 6
    years"; ``system_over_retention`` (medium) and ``system_no_retention`` (low):
    Art. 5(1)(e), Art. 30(1)(f).

    An account finding gives each office's median days late when the office has at
    least ``threshold`` such accounts and ``status`` (:func:`status_counts`), if
    given, shows that office's count.
    """
    rules = rules or RetentionRules()
    shown = dict(counts or {})
    found: list[Finding] = []
    for obligation, s, code, severity, words in _ACCOUNT_FINDINGS:
        rows = summary[(summary["obligation"] == obligation) & (summary["status"] == s)]
        n = int(rows["accounts"].sum())
        if not n:
            continue
        label = shown.get(code, count_label(n, threshold))
        period = (
            f"{rules.archive_after_months} months"
            if obligation == "archive"
            else f"{rules.delete_after_months} months (or the contract's period)"
        )
        detail = f"Due {period} after last use."
        if n >= threshold and not isinstance(label, str):
            medians = rows.set_index("office")["median_days_late"].dropna()
            sizes = rows.set_index("office")["accounts"]
            typical = [
                f"{o}: median {medians[o]:g} days"
                for o in medians.index
                if sizes[o] >= threshold
                and (status is None or not status.is_hidden(_row(obligation, str(o)), s))
            ]
            if typical:
                detail += " Days past the due date, " + "; ".join(typical) + "."
        found.append(
            Finding(
                TOPIC,
                code,
                severity,
                "Art. 5(1)(e); privacy policy",
                f"{label} account{'' if label == 1 else 's'} {words}",
                detail,
            )
        )
    for system in records(over):
        name = f"{system['name']} ({system['system_id']})"
        if system["issue"] == "exceeds_rule":
            found.append(
                Finding(
                    TOPIC,
                    "system_over_retention",
                    "medium",
                    "Art. 5(1)(e); Art. 30(1)(f)",
                    f"{name} keeps data {system['retention_months']} months",
                    f"Longer than the {system['rule_months']} months of the longest rule of the "
                    f"activities that use it ({system['activities']}: {system['rules']}).",
                )
            )
        else:
            users = system["activities"]
            used = f"used by {users}" if users else "used by no activity"
            found.append(
                Finding(
                    TOPIC,
                    "system_no_retention",
                    "low",
                    "Art. 5(1)(e); Art. 30(1)(f)",
                    f"{name} has no configured retention",
                    f"Nothing says when its data is deleted ({used}).",
                )
            )
    return findings_frame(found)


def findings_view(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings as the report shows them: without the topic column."""
    return findings.drop(columns="topic")


#: Policy-claim metrics (``policy_claims.metric``) this topic computes.
METRICS = ("retention.archive_overdue_count", "retention.delete_overdue_count")


def metrics(summary: pd.DataFrame) -> dict[str, float]:
    """The retention metrics the policy claims are checked against, exact (not for print):
    accounts overdue for archiving and for deletion, every office."""
    overdue = summary[summary["status"] == "overdue"].groupby("obligation")["accounts"].sum()
    return {f"retention.{o}_overdue_count": float(overdue.get(o, 0)) for o in OBLIGATIONS}


# ---------------------------------------------------------------- workbook wrappers


def rules_for(workbook: Workbook) -> RetentionRules:
    """The policy's periods from the workbook's ``policy_default`` rule, else 6 and 72
    months. A rule without an archiving period keeps the default 6 months."""
    table = workbook.retention_rules
    row = table[table["rule_id"] == POLICY_RULE]
    if row.empty:
        return RetentionRules()
    archive, delete = row["archive_after_months"].iloc[0], row["delete_after_months"].iloc[0]
    default = RetentionRules()
    return RetentionRules(
        archive_after_months=default.archive_after_months if pd.isna(archive) else int(archive),
        delete_after_months=int(delete),
    )


def accounts_for(workbook: Workbook, engine: str = "") -> ir.Table:
    """The accounts as an Ibis table: the ``accounts`` table at ``engine`` (an Ibis URL,
    see :func:`~juro_privacy.rules.retention.connect_engine`), or DuckDB on the workbook's
    accounts file when ``engine`` is empty."""
    if engine:
        return connect_engine(engine)
    return accounts_table(workbook.files["accounts"])


@run_cache.shared
def summary_for(workbook: Workbook, period: Period, engine: str = "") -> pd.DataFrame:
    """:func:`~juro_privacy.rules.retention.summarize_retention` as of the period's last day."""
    return summarize_retention(
        accounts_for(workbook, engine),
        period.end,
        rules=rules_for(workbook),
        timezone=workbook.config.timezone,
    )


def systems_for(workbook: Workbook, period: Period) -> pd.DataFrame:
    """:func:`systems_over_retention` over the activities carried out in the period."""
    from juro_privacy.topics.register.analysis import active_in

    return systems_over_retention(
        workbook.systems, active_in(workbook.activities, period), workbook.retention_rules
    )


@run_cache.shared
def findings_for(workbook: Workbook, period: Period, engine: str = "") -> pd.DataFrame:
    """The retention findings of ``workbook`` for ``period``, counts as the report prints
    them (for the index and the accountability report)."""
    summary = summary_for(workbook, period, engine)
    threshold = workbook.config.small_count_threshold
    status = status_counts(summary, threshold)
    return retention_findings(
        summary,
        systems_for(workbook, period),
        threshold=threshold,
        rules=rules_for(workbook),
        counts=finding_counts(status),
        status=status,
    )


def check_accounts(workbook: Workbook, period: Period) -> None:
    """Raise :class:`~juro_privacy.errors.RetentionError` (bad input, exit 2) naming the
    file and rows when the workbook's accounts file cannot be judged: a malformed row,
    a value that is not a timestamp or number, an action dated before the last use.

    One aggregate pass in DuckDB (a second or so at 10 million rows): the accounts are
    too large for the loader's row-by-row contract, so ``validate`` and the run check
    them here, before any notebook starts. Within a run the summary it computes stays
    in the run's cache for the notebooks that show it.
    """
    import duckdb

    path = workbook.files.get("accounts")
    if path is None:
        return
    try:
        summary_for(workbook, period)
    except duckdb.Error as exc:  # the file itself is malformed (a ragged row)
        raise read_problem(path, exc) from exc
    except RetentionError as exc:
        raise RetentionError(f"{path.name}: {exc}") from exc
