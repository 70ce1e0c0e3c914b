"""The accountability report: one status per area and every promise of the policy,
quarter over quarter (Art. 5(2): the controller must be able to demonstrate
compliance).

Collects the findings every topic publishes, judges each area, evaluates the policy
claims against the metric registry, and compares with the previous run's
``findings.csv`` so the board sees what is new and what was fixed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

from juro_privacy.findings import records
from juro_privacy.registry import AREAS, report_of_area
from juro_privacy.topics.accountability.claims import outcome_counts


def area_status(findings: pd.DataFrame, evidence: Mapping[str, bool] | None = None) -> pd.DataFrame:
    """Each area's status: *broken* when it has a high or medium finding; otherwise
    *no_evidence* when ``evidence`` says the workbook holds nothing to judge it by (no
    request, no account: an empty log shows nothing kept), else *holds*. The headline
    counts its findings by severity."""
    rows = []
    for area, topics in AREAS.items():
        mine = findings[findings["topic"].isin(topics)]
        sev = mine["severity"].value_counts()
        serious = int(sev.get("high", 0) + sev.get("medium", 0))
        headline = (
            f"{len(mine)} finding{'s' if len(mine) != 1 else ''}: {sev.get('high', 0)} high, "
            f"{sev.get('medium', 0)} medium, {sev.get('low', 0)} low"
            if len(mine)
            else "no findings"
        )
        if serious:
            status = "broken"
        elif evidence is not None and not evidence.get(area, True):
            status, headline = "no_evidence", f"{headline}; no records to judge this period by"
        else:
            status = "holds"
        rows.append((area, status, headline))
    return pd.DataFrame(rows, columns=["area", "status", "headline"])


def claims_status(evaluated: pd.DataFrame) -> tuple[str, str]:
    """The policy claims as one area: broken if any claim is broken."""
    counts = outcome_counts(evaluated)
    if counts["broken"]:
        status = "broken"
    elif counts["holds"]:
        status = "holds"
    else:
        status = "no_evidence"
    return status, (
        f"{counts['holds']} hold, {counts['broken']} broken, "
        f"{counts['no_evidence']} without evidence"
    )


def _key(frame: pd.DataFrame) -> pd.Series:
    """A finding's identity across quarters: topic, code and subject with its figures
    blanked (\"12 requests answered late\" and \"<5 requests ...\" are one finding)."""
    subject = frame["subject"].astype(str).map(_blank)
    return frame["topic"].astype(str) + "|" + frame["code"].astype(str) + "|" + subject


OPEN_COLUMNS = ["severity", "topic", "code", "subject", "owner", "due", "state"]


def _blank(subject: object) -> str:
    return re.sub(r"[<≥]?\d+", "#", str(subject))


def open_findings(
    findings: pd.DataFrame,
    actions: pd.DataFrame | None,
    risks: pd.DataFrame | None,
    as_of: dt.date,
) -> pd.DataFrame:
    """Every finding with who fixes it and by when (Art. 5(2) and 24: the controller
    shows that it acts on what it finds).

    An action (``actions`` table) matches a finding by topic and code, and by subject
    when it gives one (figures ignored, as in :func:`diff_findings`); an action with a
    subject wins over one without. A DPIA finding (``risk R05``) without an action
    takes its risk's ``measure_owner`` and ``measure_due``. ``state`` is ``overdue``
    when the due date is before ``as_of`` (the period's last day), ``unassigned`` when
    nothing names an owner, ``open`` otherwise.
    """
    Plan = tuple[str, dt.date | None]
    exact: dict[tuple[str, str, str], Plan] = {}  # the subject as written
    loose: dict[tuple[str, str, str], Plan] = {}  # figures blanked; "" for any subject
    for r in records(risks) if risks is not None else []:
        due = r.get("measure_due")
        exact[("dpia", "prior_consultation_required", f"risk {r['risk_id']}")] = (
            str(r["measure_owner"]),
            None if due is None or pd.isna(due) else due,
        )
    for a in records(actions) if actions is not None else []:
        subject = a.get("subject")
        subject = "" if subject is None or pd.isna(subject) else str(subject)
        plan: Plan = (str(a["owner"]), a["due_on"])
        if subject:
            exact[(str(a["topic"]), str(a["code"]), subject)] = plan
        loose[(str(a["topic"]), str(a["code"]), _blank(subject) if subject else "")] = plan
    rows = []
    for f in records(findings):
        topic, code, subject = str(f["topic"]), str(f["code"]), str(f["subject"])
        found = (
            exact.get((topic, code, subject))
            or loose.get((topic, code, _blank(subject)))
            or loose.get((topic, code, ""))
        )
        owner, due = found if found else ("", None)
        state = "unassigned" if not owner else "overdue" if due and due < as_of else "open"
        rows.append((f["severity"], topic, code, subject, owner or "unassigned", due or "", state))
    return pd.DataFrame(rows, columns=OPEN_COLUMNS)


def owner_summary(open_: pd.DataFrame) -> str:
    """One sentence: how many findings have an owner, how many are overdue."""
    states = open_["state"].value_counts()
    return (
        f"**{len(open_)} open findings**: {int(states.get('open', 0))} with an owner and a "
        f"due date, **{int(states.get('overdue', 0))} past their due date**, "
        f"**{int(states.get('unassigned', 0))} without an owner** (add them to the "
        "workbook's `actions` table)."
    )


def diff_findings(previous: pd.DataFrame | None, current: pd.DataFrame) -> pd.DataFrame:
    """Findings new since the previous run, and findings it had that are now fixed."""
    columns = ["change", "topic", "code", "severity", "subject"]
    if previous is None:
        return pd.DataFrame(columns=columns)
    cur_keys, prev_keys = _key(current), _key(previous)
    new = current[~cur_keys.isin(set(prev_keys))].assign(change="new")
    fixed = previous[~prev_keys.isin(set(cur_keys))].assign(change="fixed")
    return pd.concat([new, fixed], ignore_index=True)[columns]


#: The headline figures the trend follows, with the column each gets.
TREND_METRICS: dict[str, str] = {
    "requests.on_time_rate": "requests on time",
    "retention.delete_overdue_count": "deletions overdue",
    "transfers.unsafeguarded_count": "unsafeguarded transfers",
}
TREND_COLUMNS = [
    "quarter",
    "run",
    "high",
    "medium",
    "low",
    "areas broken",
    "claims held",
    "claims broken",
    *TREND_METRICS.values(),
]


def period_summary(
    findings: pd.DataFrame, areas: pd.DataFrame, claims: pd.DataFrame, metrics: dict[str, Any]
) -> dict[str, Any]:
    """What a run keeps of its period in ``manifest.json`` (key ``accountability``) for
    the trend of later quarters: findings by severity, each area's status, claims by
    outcome and every metric of the registry. Aggregates only: no identifiers."""
    sev = findings["severity"].value_counts()
    return {
        "findings": {s: int(sev.get(s, 0)) for s in ("high", "medium", "low")},
        "areas": dict(zip(areas["area"], areas["status"], strict=True)),
        "claims": outcome_counts(claims),
        "metrics": {k: (None if v is None else float(v)) for k, v in metrics.items()},
    }


class Figures(NamedTuple):
    """What the accountability report and the index show for a period."""

    findings: pd.DataFrame
    claims: pd.DataFrame
    areas: pd.DataFrame
    summary: dict[str, Any]  # :func:`period_summary`, kept in manifest.json


def _trend_row(label: str, summary: dict[str, Any]) -> list[object]:
    findings = summary.get("findings", {})
    claims = summary.get("claims")
    areas = summary.get("areas")
    metrics = summary.get("metrics") or {}
    return [
        label,
        "run",
        *(findings.get(s) for s in ("high", "medium", "low")),
        None if areas is None else sum(v == "broken" for v in areas.values()),
        None if claims is None else claims.get("holds"),
        None if claims is None else claims.get("broken"),
        *(metrics.get(name) for name in TREND_METRICS),
    ]


def trend_view(trend: pd.DataFrame) -> pd.DataFrame:
    """The trend as the report prints it, narrow enough for an A4 page: findings as
    ``high / medium / low``, promises as ``held / broken``, the on-time rate in per
    cent, whole counts, and blanks where a quarter's run kept no such figure."""

    def text(value: object, fmt: str = "{}") -> str:
        return "" if value is None or pd.isna(value) else fmt.format(value)  # type: ignore[call-overload]

    rows = []
    for r in records(trend):
        ran = r["run"] == "run"
        findings = " / ".join(text(r[s]) for s in ("high", "medium", "low")) if ran else "no run"
        promises = (
            f"{text(r['claims held'])} / {text(r['claims broken'])}"
            if ran and not pd.isna(r["claims held"])
            else ""
        )
        rows.append(
            [
                r["quarter"],
                findings,
                text(r["areas broken"]),
                promises,
                text(r[TREND_METRICS["requests.on_time_rate"]], "{:.0%}"),
                *(
                    text(None if pd.isna(r[c]) else int(r[c]))
                    for n, c in TREND_METRICS.items()
                    if n.endswith("_count")
                ),
            ]
        )
    counts = [c for n, c in TREND_METRICS.items() if n.endswith("_count")]
    columns = [
        "quarter",
        "findings (high / medium / low)",
        "areas broken",
        "promises (held / broken)",
        TREND_METRICS["requests.on_time_rate"],
        *counts,
    ]
    return pd.DataFrame(rows, columns=columns)


STATUS_LABELS = {"holds": "holds", "broken": "broken", "no_evidence": "no evidence"}


def status_table(areas: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """The board's table: every area and the policy claims, with status and headline."""
    status, headline = claims_status(claims)
    table = pd.concat(
        [areas, pd.DataFrame([("Policy claims", status, headline)], columns=areas.columns)],
        ignore_index=True,
    )
    table["status"] = table["status"].map(STATUS_LABELS)
    return table


def area_rows(areas: pd.DataFrame, claims: pd.DataFrame, reports: set[str]) -> list[dict[str, str]]:
    """The index's status table: each area (:func:`area_status`) and the policy claims,
    with status, headline and the report that has the detail (empty when that report
    was not part of the run)."""
    table = status_table(areas, claims)
    return [
        {
            "area": str(area),
            "status": str(status),
            "headline": str(headline),
            "report": report if (report := report_of_area(str(area))) in reports else "",
        }
        for area, status, headline in table[["area", "status", "headline"]].itertuples(index=False)
    ]


def board_summary(areas: pd.DataFrame, claims: pd.DataFrame, findings: pd.DataFrame) -> str:
    """Two sentences a board reads first."""
    broken = list(areas.loc[areas["status"] == "broken", "area"])
    counts = outcome_counts(claims)
    high = int((findings["severity"] == "high").sum())
    areas_text = ", ".join(broken) if broken else "none"
    return (
        f"**{len(broken)} of {len(areas)} areas need action** ({areas_text}); "
        f"**{high} high-severity findings**. The policy's {len(claims)} checked promises: "
        f"{counts['holds']} hold, {counts['broken']} broken, {counts['no_evidence']} "
        "without evidence this period."
    )


def findings_trend(
    summaries: Sequence[tuple[str, dict[str, Any] | None]],
    current: pd.DataFrame | dict[str, Any],
    label: str,
) -> pd.DataFrame:
    """Quarters side by side: findings by severity, areas broken, claims held and
    broken, and the headline figures of :data:`TREND_METRICS`.

    ``summaries`` are ``(quarter, summary)`` pairs, oldest first, each an earlier run's
    :func:`period_summary` (``workbook.history.earlier_summary``) or ``None`` for a
    quarter without a run (marked ``no run``); the quarter ``label`` takes ``current``,
    this period's summary (or its findings alone).
    """
    if isinstance(current, pd.DataFrame):
        sev = current["severity"].value_counts()
        current = {"findings": {s: int(sev.get(s, 0)) for s in ("high", "medium", "low")}}
    rows: list[list[object]] = []
    for quarter, earlier in summaries:
        summary = current if quarter == label else earlier
        if summary is None:
            rows.append([quarter, "no run", *[None] * (len(TREND_COLUMNS) - 2)])
        else:
            rows.append(_trend_row(quarter, summary))
    frame = pd.DataFrame(rows, columns=TREND_COLUMNS)
    for column in TREND_COLUMNS[2:8]:
        frame[column] = frame[column].astype("Int64")
    for column in TREND_METRICS.values():
        frame[column] = frame[column].astype("Float64")
    return frame
