"""The retention report's tables, chart data, forecast and findings.

The per-account rule is :mod:`juro_privacy.retention` (one Ibis expression, run where
the accounts live); this module only asks the engine for aggregates: counts per
office, obligation and status (:func:`~juro_privacy.retention.summarize_retention`),
days late in bins (:func:`days_late_counts`) and accounts falling due in each of the
next quarters (:func:`forecast_due`). No account id ever leaves the engine here.

Every count that reaches the report passes through :mod:`juro_privacy.disclosure`:
the status table is protected on its rows and office totals (:func:`status_counts`),
and the days-late table keeps the states the status table gave its totals. The
systems check (:func:`systems_over_retention`) compares each system's configured
retention with the register's rules for the data it holds (GDPR Art. 5(1)(e)).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from juro_privacy import run_cache
from juro_privacy.disclosure import Cell, Label, Protected, count_label, protect, small
from juro_privacy.errors import RetentionError
from juro_privacy.findings import Finding, findings_frame, records
from juro_privacy.periods import Period, quarter_of
from juro_privacy.retention import (
    OBLIGATIONS,
    STATUSES,
    RetentionRules,
    _any_problem,
    _as_date,
    _check_table,
    _count,
    accounts_table,
    connect_engine,
    read_problem,
    retention_table,
    summarize_retention,
)
from juro_privacy.workbook import Workbook

TOPIC = "retention"

OBLIGATION_LABELS = {"archive": "Archive", "delete": "Delete"}
STATUS_LABELS = {
    "pending": "Not yet due",
    "on_time": "Done on time",
    "late": "Done late",
    "overdue": "Not done, overdue",
}
#: Days past the due date, and how the report names each bin.
LATE_BINS = (
    (1, 30, "1–30 days"),
    (31, 90, "31–90 days"),
    (91, 180, "91–180 days"),
    (181, 365, "181–365 days"),
    (366, 730, "1–2 years"),
    (731, None, "over 2 years"),
)
ALL = "all"
TOTAL = "total"
#: The workbook's retention rule that states the policy's own periods.
POLICY_RULE = "policy_default"


# ---------------------------------------------------------------- status table


def _row(obligation: str, office: str) -> str:
    return f"{obligation}:{office}"


def status_counts(summary: pd.DataFrame, threshold: int) -> Protected:
    """Accounts per obligation and office (rows ``archive:london``... and
    ``archive:all``) by status (columns :data:`~juro_privacy.retention.STATUSES` and
    ``total``), from :func:`~juro_privacy.retention.summarize_retention`, protected on
    every row (statuses add up to the total) and every obligation's column (offices
    add up to ``all``)."""
    offices = sorted(summary["office"].astype(str).unique())
    columns = [*STATUSES, TOTAL]
    rows: dict[str, list[int]] = {}
    lines: list[list[Cell]] = []
    for obligation in OBLIGATIONS:
        part = summary[summary["obligation"] == obligation]
        names = [_row(obligation, o) for o in offices] + [_row(obligation, ALL)]
        for office in offices:
            got = part[part["office"] == office].set_index("status")["accounts"]
            values = [int(got.get(s, 0)) for s in STATUSES]
            rows[_row(obligation, office)] = [*values, sum(values)]
        rows[_row(obligation, ALL)] = [
            sum(rows[_row(obligation, o)][i] for o in offices) for i in range(len(columns))
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
                (OBLIGATION_LABELS[obligation], shown, STATUS_LABELS[s], *_bar(status, key, s))
            )
    return pd.DataFrame(
        rows, columns=["obligation", "office", "status", "height", "label", "hidden"]
    )


def _bar(prot: Protected, row: Any, column: Any) -> tuple[int, str, bool]:
    t, value = prot.threshold, int(prot.counts.loc[row, column])
    hidden = prot.is_hidden(row, column)
    height = (t - 1 if value < t else t) if hidden else value
    return height, str(prot.label(row, column)), hidden


def summary_markdown(
    status: Protected, findings: pd.DataFrame, as_of: dt.date, threshold: int
) -> str:
    """The headline a DPO reads first, in the status table's own (protected) figures."""
    archive, delete = _row("archive", ALL), _row("delete", ALL)
    n = {(r, c): status.label(r, c) for r in (archive, delete) for c in (*STATUSES, TOTAL)}
    sev = findings["severity"].value_counts()
    small_note = (
        f" Counts from 1 to {threshold - 1} print as <{threshold}." if threshold > 1 else ""
    )
    return (
        f"**{n[archive, TOTAL]} accounts** judged as of **{as_of}**. "
        f"Archiving: **{n[archive, 'overdue']} overdue** (not archived, past the "
        f"due date) and {n[archive, 'late']} archived late. "
        f"Deletion: **{n[delete, 'overdue']} overdue** and {n[delete, 'late']} "
        f"deleted late. **{len(findings)} findings**: {sev.get('high', 0)} high, "
        f"{sev.get('medium', 0)} medium, {sev.get('low', 0)} low.{small_note}"
    )


# ---------------------------------------------------------------- in the engine


def _judged(
    accounts: ir.Table | pd.DataFrame | str | Any,
    as_of: dt.date,
    rules: RetentionRules | None,
    timezone: str,
) -> ir.Table:
    return retention_table(
        accounts_table(accounts), _as_date(as_of), rules=rules, timezone=timezone
    )


def _aggregate(table: ir.Table, metrics: Mapping[str, ir.Scalar]) -> dict[str, Any]:
    """One aggregate row from the engine; bad input raises as the rule's own check does."""
    row = table.aggregate(**metrics, _bad=_any_problem(table).sum()).to_pandas().iloc[0]
    if _count(row["_bad"]):
        _check_table(table)
    return {str(k): v for k, v in row.items()}


def days_late_counts(
    accounts: Any,
    as_of: dt.date,
    *,
    rules: RetentionRules | None = None,
    timezone: str = "Europe/London",
) -> pd.DataFrame:
    """Accounts done late or overdue, by days past the due date, counted in the engine.

    Rows: the :data:`LATE_BINS` names in order; columns ``archive:late``,
    ``archive:overdue``, ``delete:late``, ``delete:overdue``; counts (``int64``). Days
    late are those of :func:`~juro_privacy.retention.retention_table`.
    """
    table = _judged(accounts, as_of, rules, timezone)
    metrics: dict[str, ir.Scalar] = {}
    for obligation in OBLIGATIONS:
        code, days = table[f"_{obligation}_code"], table[f"{obligation}_days_late"]
        for status in ("late", "overdue"):
            for i, (low, high, _) in enumerate(LATE_BINS):
                inside = days >= low if high is None else days.between(low, high)
                where = (code == STATUSES.index(status)) & inside
                metrics[f"{obligation}:{status}:{i}"] = table.count(where=where)
    row = _aggregate(table, metrics)
    columns = [f"{o}:{s}" for o in OBLIGATIONS for s in ("late", "overdue")]
    data = {c: [_count(row[f"{c}:{i}"]) for i in range(len(LATE_BINS))] for c in columns}
    return pd.DataFrame(data, index=[b[2] for b in LATE_BINS]).astype("int64")


def late_counts(days: pd.DataFrame, status: Protected) -> Protected:
    """The days-late table with a total row, protected on each column (bins add up to
    the total); the total keeps the state the status table gave the same figure."""
    table = days.copy()
    table.loc[TOTAL] = table.sum()
    table = table.astype("int64")
    lines = [[(r, c) for r in table.index] for c in table.columns]
    fixed: dict[Cell, bool] = {}
    for column in table.columns:
        obligation, s = str(column).split(":")
        fixed[(TOTAL, column)] = status.is_hidden(_row(obligation, ALL), s)
    return protect(table, status.threshold, lines, fixed=fixed)


def late_table(prot: Protected) -> pd.DataFrame:
    """The days-late table as the report shows it."""
    labels = prot.labels()
    out = pd.DataFrame({"days past the due date": [str(r) for r in labels.index]})
    out.loc[out.index[-1], "days past the due date"] = "All"
    for column in labels.columns:
        obligation, s = str(column).split(":")
        name = f"{OBLIGATION_LABELS[obligation]}: {'done late' if s == 'late' else 'overdue'}"
        out[name] = list(labels[column])
    return out


def late_bars(prot: Protected) -> pd.DataFrame:
    """Chart data for the days-late bars (not the total row), hidden counts hatched."""
    rows = []
    for bucket in prot.counts.index.drop(TOTAL):
        for column in prot.counts.columns:
            obligation, s = str(column).split(":")
            name = f"{OBLIGATION_LABELS[obligation]}: {'done late' if s == 'late' else 'overdue'}"
            rows.append((str(bucket), name, *_bar(prot, bucket, column)))
    return pd.DataFrame(rows, columns=["bucket", "series", "height", "label", "hidden"])


def _quarters_after(as_of: dt.date, count: int) -> list[Period]:
    """The ``count`` calendar quarters after the one containing ``as_of``."""
    out: list[Period] = []
    current = quarter_of(as_of)
    for _ in range(count):
        current = quarter_of(current.end + dt.timedelta(days=1))
        out.append(current)
    return out


def forecast_due(
    accounts: Any,
    as_of: dt.date,
    quarters: int = 4,
    *,
    rules: RetentionRules | None = None,
    timezone: str = "Europe/London",
) -> pd.DataFrame:
    """Accounts falling due for archiving and deletion in each of the next quarters.

    Counted in the engine: accounts not archived (or not deleted) as of ``as_of``
    whose due date falls in each of the ``quarters`` calendar quarters after the one
    containing ``as_of``, assuming nothing is done before then (a deletion run before
    the quarter removes accounts from it). One row per quarter: ``quarter`` (label),
    ``start``, ``end`` (dates), ``archive``, ``delete`` (counts, ``int64``).
    """
    as_of = _as_date(as_of)
    if quarters < 1:
        raise RetentionError("forecast_due: quarters must be at least 1")
    table = _judged(accounts, as_of, rules, timezone)
    periods = _quarters_after(as_of, quarters)
    metrics: dict[str, ir.Scalar] = {}
    for obligation in OBLIGATIONS:
        due = table[f"{obligation}_due"]
        not_done = table[f"_{obligation}_code"] == STATUSES.index("pending")
        for i, q in enumerate(periods):
            inside = due.between(ibis.date(q.start.isoformat()), ibis.date(q.end.isoformat()))
            metrics[f"{obligation}:{i}"] = table.count(where=not_done & inside)
    row = _aggregate(table, metrics)
    frame = pd.DataFrame(
        {
            "quarter": [q.label for q in periods],
            "start": [q.start for q in periods],
            "end": [q.end for q in periods],
            **{o: [_count(row[f"{o}:{i}"]) for i in range(quarters)] for o in OBLIGATIONS},
        }
    )
    return frame.astype({"archive": "int64", "delete": "int64"})


def forecast_table(forecast: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The forecast as the report shows it, small counts as ``"<5"`` (no totals shown)."""
    return pd.DataFrame(
        {
            "quarter": forecast["quarter"],
            "from": forecast["start"].astype(str),
            "to": forecast["end"].astype(str),
            "accounts to archive": [count_label(int(v), threshold) for v in forecast["archive"]],
            "accounts to delete": [count_label(int(v), threshold) for v in forecast["delete"]],
        }
    )


def forecast_bars(forecast: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Chart data for the forecast: per quarter and obligation, hidden counts hatched."""
    rows = []
    for r in forecast.to_dict("records"):
        for obligation in OBLIGATIONS:
            value = int(r[obligation])
            hidden = small(value, threshold)
            height = threshold - 1 if hidden else value
            label = str(count_label(value, threshold))
            rows.append((str(r["quarter"]), OBLIGATION_LABELS[obligation], height, label, hidden))
    return pd.DataFrame(rows, columns=["quarter", "obligation", "height", "label", "hidden"])


# ---------------------------------------------------------------- systems


def systems_over_retention(
    systems: pd.DataFrame, activities: pd.DataFrame, retention_rules: pd.DataFrame
) -> pd.DataFrame:
    """Systems that keep data longer than the register allows, or have no retention set.

    A system's allowance is the longest deletion period (``delete_after_months``) of
    the rules of the activities that use it: data an activity may keep 84 months may
    sit beside data kept 72, so only a period longer than every rule that applies is
    excessive (GDPR Art. 5(1)(e)). Activities without a rule are left out (the
    register reports them). One row per system found, by ``system_id``:
    ``system_id``, ``name``, ``retention_months`` (``Int64``, missing when not
    configured), ``rule_months`` (``Int64``, missing when no rule applies),
    ``activities`` and ``rules`` (``"; "``-joined ids), ``issue``
    (``exceeds_rule`` or ``no_retention``).
    """
    months = dict(
        zip(
            retention_rules["rule_id"].astype(str),
            retention_rules["delete_after_months"],
            strict=True,
        )
    )
    rows = []
    for s in systems.to_dict("records"):
        sid = str(s["system_id"])
        using = [
            a
            for a in activities.to_dict("records")
            if sid in (a["systems"] if isinstance(a["systems"], tuple | list) else ())
        ]
        ruled = [
            a for a in using if pd.notna(a["retention_rule"]) and a["retention_rule"] in months
        ]
        allowed = max((int(months[a["retention_rule"]]) for a in ruled), default=None)
        configured = s["retention_months"]
        kept = None if pd.isna(configured) else int(configured)
        issue = None
        if kept is None:
            issue = "no_retention"
        elif allowed is not None and kept > allowed:
            issue = "exceeds_rule"
        if issue:
            rows.append(
                {
                    "system_id": sid,
                    "name": str(s["name"]),
                    "retention_months": kept,
                    "rule_months": allowed,
                    "activities": "; ".join(str(a["activity_id"]) for a in using),
                    "rules": "; ".join(sorted({str(a["retention_rule"]) for a in ruled})),
                    "issue": issue,
                }
            )
    columns = [
        "system_id",
        "name",
        "retention_months",
        "rule_months",
        "activities",
        "rules",
        "issue",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.astype({"retention_months": "Int64", "rule_months": "Int64"})
    return frame.sort_values("system_id", kind="stable").reset_index(drop=True)


def systems_table(over: pd.DataFrame) -> pd.DataFrame:
    """The systems check as the report shows it."""

    def months(value: Any) -> str:
        return "not set" if pd.isna(value) else f"{int(value)} months"

    return pd.DataFrame(
        {
            "system": [f"{n} ({i})" for n, i in zip(over["name"], over["system_id"], strict=True)],
            "configured retention": [months(v) for v in over["retention_months"]],
            "longest rule that applies": [
                "no rule" if pd.isna(v) else months(v) for v in over["rule_months"]
            ],
            "used by": [a or "no activity" for a in over["activities"]],
            "rules": list(over["rules"]),
        }
    )


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
    see :func:`~juro_privacy.retention.connect_engine`), or DuckDB on the workbook's
    accounts file when ``engine`` is empty."""
    if engine:
        return connect_engine(engine)
    return accounts_table(workbook.files["accounts"])


@run_cache.shared
def summary_for(workbook: Workbook, period: Period, engine: str = "") -> pd.DataFrame:
    """:func:`~juro_privacy.retention.summarize_retention` as of the period's last day."""
    return summarize_retention(
        accounts_for(workbook, engine),
        period.end,
        rules=rules_for(workbook),
        timezone=workbook.config.timezone,
    )


def systems_for(workbook: Workbook, period: Period) -> pd.DataFrame:
    """:func:`systems_over_retention` over the activities carried out in the period."""
    from juro_privacy.register import active_in

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
