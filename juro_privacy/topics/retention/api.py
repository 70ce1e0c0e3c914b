"""The retention topic on a workbook: its accounts, summary, findings, metrics and counts.

The only module of the topic that touches a :class:`Workbook` or the run's cache. The
rule is :mod:`juro_privacy.rules.retention.rule`; the report's tables and findings are
in :mod:`juro_privacy.topics.retention.report`, ``status``, ``forecast`` and
``systems``. The accounts are read where they live: DuckDB on the workbook's accounts
file, or the ``accounts`` table at the workbook's Ibis URL (``Workbook.engine``, from
``juro-privacy run --engine``); only counts come back.
"""

from __future__ import annotations

import math

import ibis.expr.types as ir
import pandas as pd

from juro_privacy import run_cache
from juro_privacy.periods import Period, active_in
from juro_privacy.rules.disclosure import Protected
from juro_privacy.rules.retention.rule import RetentionRules
from juro_privacy.rules.retention.source import accounts_table, connect_engine
from juro_privacy.topics.retention.counts import RetentionCounts, retention_counts
from juro_privacy.topics.retention.forecast import forecast_due
from juro_privacy.topics.retention.report import (
    finding_counts,
    metrics,
    policy_rules,
    retention_findings,
)
from juro_privacy.topics.retention.status import status_counts
from juro_privacy.topics.retention.systems import systems_over_retention
from juro_privacy.workbook.load import Workbook


def rules_for(workbook: Workbook) -> RetentionRules:
    """The policy's periods from the workbook's ``retention_rules`` (see
    :func:`~juro_privacy.topics.retention.report.policy_rules`)."""
    return policy_rules(workbook.retention_rules)


def accounts_for(workbook: Workbook) -> ir.Table:
    """The accounts as an Ibis table: the ``accounts`` table at ``workbook.engine`` (an
    Ibis URL, see :func:`~juro_privacy.rules.retention.source.connect_engine`), or DuckDB
    on the workbook's accounts file when it has none."""
    if workbook.engine:
        return connect_engine(workbook.engine)
    return accounts_table(workbook.files["accounts"])


#: The quarters the report forecasts (:func:`forecast_for`'s default).
FORECAST_QUARTERS = 4


@run_cache.shared
def counts_for(workbook: Workbook, period: Period) -> RetentionCounts:
    """The report's summary, days late and forecast (:data:`FORECAST_QUARTERS`) as of the
    period's last day, with the workbook's rules and time zone, in one pass over the
    accounts (:func:`~juro_privacy.topics.retention.counts.retention_counts`), once per
    run however many notebooks ask."""
    return retention_counts(
        accounts_for(workbook),
        period.end,
        FORECAST_QUARTERS,
        rules=rules_for(workbook),
        timezone=workbook.config.timezone,
    )


def summary_for(workbook: Workbook, period: Period) -> pd.DataFrame:
    """:func:`~juro_privacy.rules.retention.rule.summarize_retention` as of the period's
    last day (from :func:`counts_for`)."""
    return counts_for(workbook, period).summary


def status_for(workbook: Workbook, period: Period) -> Protected:
    """The status table's counts, protected at the workbook's small-count threshold
    (see :func:`~juro_privacy.topics.retention.status.status_counts`)."""
    return status_counts(summary_for(workbook, period), workbook.config.small_count_threshold)


def systems_for(workbook: Workbook, period: Period) -> pd.DataFrame:
    """:func:`~juro_privacy.topics.retention.systems.systems_over_retention` over the
    activities carried out in the period."""
    return systems_over_retention(
        workbook.systems, active_in(workbook.activities, period), workbook.retention_rules
    )


@run_cache.shared
def findings_for(workbook: Workbook, period: Period) -> pd.DataFrame:
    """The retention findings of ``workbook`` for ``period``, counts as the report prints
    them (for the index and the accountability report)."""
    return findings_of(workbook, period, summary_for(workbook, period))


def findings_of(workbook: Workbook, period: Period, summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`findings_for` from a summary already counted (the notebook's
    :func:`counts_for`), so that a kernel outside a run reads the accounts once."""
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


def metrics_for(workbook: Workbook, period: Period) -> dict[str, float | None]:
    """The retention metrics (``retention.*``) of ``period``, exact (see
    :func:`~juro_privacy.topics.retention.report.metrics`): none when the workbook has
    no accounts (no file, no engine) or no account to judge (no evidence, not a zero);
    NaN as ``None``."""
    if "accounts" not in workbook.files and not workbook.engine:
        return {}
    summary = summary_for(workbook, period)
    if not summary["accounts"].sum():
        return {}
    return {k: None if math.isnan(v) else v for k, v in metrics(summary).items()}


@run_cache.shared
def account_count(workbook: Workbook) -> int | None:
    """The number of accounts, counted where they are (:func:`accounts_for`), or ``None``
    when the workbook has neither an accounts file nor an engine."""
    if "accounts" not in workbook.files and not workbook.engine:
        return None
    return int(accounts_for(workbook).count().execute())


def days_late_for(workbook: Workbook, period: Period) -> pd.DataFrame:
    """Accounts done late or overdue at the period's end, by days past the due date (see
    :func:`~juro_privacy.topics.retention.forecast.days_late_counts`; from
    :func:`counts_for`)."""
    return counts_for(workbook, period).days_late


def forecast_for(
    workbook: Workbook, period: Period, quarters: int = FORECAST_QUARTERS
) -> pd.DataFrame:
    """Accounts falling due in each of the ``quarters`` quarters after the period's end
    (see :func:`~juro_privacy.topics.retention.forecast.forecast_due`; the report's
    :data:`FORECAST_QUARTERS` come from :func:`counts_for`, other numbers cost a pass)."""
    if quarters == FORECAST_QUARTERS:
        return counts_for(workbook, period).forecast
    return forecast_due(
        accounts_for(workbook),
        period.end,
        quarters,
        rules=rules_for(workbook),
        timezone=workbook.config.timezone,
    )
