"""The retention report's findings and metrics, from the engine's aggregates.

The per-account rule is :mod:`juro_privacy.rules.retention.rule` (one Ibis expression, run
where the accounts live); the report only asks the engine for aggregates: counts per
office, obligation and status
(:func:`~juro_privacy.rules.retention.rule.summarize_retention`), days late in bins and
accounts falling due in each of the next quarters
(:mod:`juro_privacy.topics.retention.forecast`). No account id ever leaves the engine.

Every count that reaches the report passes through :mod:`juro_privacy.rules.disclosure`:
the status table (:mod:`juro_privacy.topics.retention.status`) is protected on its rows
and office totals, and the findings print their counts as that table does
(:func:`finding_counts`). The systems check is
:mod:`juro_privacy.topics.retention.systems`. This module holds the findings
(:func:`retention_findings`), the metrics (:func:`metrics`) and the policy's periods as
the register states them (:func:`policy_rules`); the wrappers that read them from a
workbook are in :mod:`juro_privacy.topics.retention.api`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from juro_privacy.findings import Finding, findings_frame, records
from juro_privacy.rules.disclosure import Label, Protected, count_label
from juro_privacy.rules.retention.rule import OBLIGATIONS, RetentionRules
from juro_privacy.topics.retention.status import ALL, status_row

__all__ = [
    "METRICS",
    "POLICY_RULE",
    "TOPIC",
    "finding_counts",
    "findings_view",
    "metrics",
    "policy_rules",
    "retention_findings",
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
        code: status.label(status_row(obligation, ALL), s)
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
    least ``threshold`` such accounts and ``status``
    (:func:`~juro_privacy.topics.retention.status.status_counts`), if
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
                and (status is None or not status.is_hidden(status_row(obligation, str(o)), s))
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


def policy_rules(retention_rules: pd.DataFrame) -> RetentionRules:
    """The policy's periods from the register's :data:`POLICY_RULE` row of
    ``retention_rules`` (the workbook's ``retention_rules`` table), else 6 and 72 months.
    A rule without an archiving period keeps the default 6 months."""
    row = retention_rules[retention_rules["rule_id"] == POLICY_RULE]
    if row.empty:
        return RetentionRules()
    archive, delete = row["archive_after_months"].iloc[0], row["delete_after_months"].iloc[0]
    default = RetentionRules()
    return RetentionRules(
        archive_after_months=default.archive_after_months if pd.isna(archive) else int(archive),
        delete_after_months=int(delete),
    )
