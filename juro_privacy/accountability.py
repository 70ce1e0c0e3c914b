"""The accountability report: one status per area and every promise of the policy,
quarter over quarter (Art. 5(2): the controller must be able to demonstrate
compliance).

Collects the findings every topic publishes, judges each area, evaluates the policy
claims against the metric registry, and compares with the previous run's
``findings.csv`` so the board sees what is new and what was fixed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from juro_privacy import run_cache
from juro_privacy.claims import evaluate_claims, outcome_counts
from juro_privacy.findings import FINDING_COLUMNS, Finding, findings_frame
from juro_privacy.periods import Period
from juro_privacy.workbook import Workbook

#: Areas in the order the board reads them, with the finding topics that feed each.
AREAS: dict[str, tuple[str, ...]] = {
    "Register of processing": ("register",),
    "Transfers": ("flows", "transfers"),
    "Requests": ("requests",),
    "Retention": ("retention",),
    "DPIA": ("dpia",),
    "Cookies and consent": ("consent",),
}
FINDINGS_FILE = "findings.csv"
Collector = Callable[[Workbook, Period], pd.DataFrame]


def _register(wb: Workbook, period: Period) -> pd.DataFrame:
    from juro_privacy import register

    return register.findings_for(wb, period)


def _flows(wb: Workbook, period: Period) -> pd.DataFrame:
    from juro_privacy import flows

    return flows.findings_for(wb, period)


def _requests(wb: Workbook, period: Period) -> pd.DataFrame:
    from juro_privacy import requests

    return requests.findings_for(wb, period)


def _retention(wb: Workbook, period: Period) -> pd.DataFrame:
    from juro_privacy import retention_report

    return retention_report.findings_for(wb, period)


def _dpia(wb: Workbook, period: Period) -> pd.DataFrame:
    """A high residual risk is a finding: prior consultation is required (Art. 36(1))."""
    from juro_privacy import dpia

    high = dpia.prior_consultation(dpia.score_risks(dpia.risks_for(wb), dpia.scale_for(wb)))
    return findings_frame(
        Finding(
            "dpia",
            "prior_consultation_required",
            "high",
            "Art. 36(1)",
            f"risk {r}",
            "A high risk remains after measures: consult the supervisory "
            "authority before processing.",
        )
        for r in high["risk_id"]
    )


def _consent(wb: Workbook, period: Period) -> pd.DataFrame:
    from juro_privacy import consent

    return consent.consent_findings(
        wb.cookies,
        wb.consents,
        wb.marketing_sends,
        period,
        max_months=wb.config.cookie_max_months,
        grace_days=wb.config.opt_out_grace_days,
        timezone=wb.config.timezone,
        threshold=wb.config.small_count_threshold,
    )


COLLECTORS: tuple[Collector, ...] = (_register, _flows, _requests, _retention, _dpia, _consent)


@run_cache.shared
def collect_findings(
    wb: Workbook, period: Period, collectors: tuple[Collector, ...] = COLLECTORS
) -> pd.DataFrame:
    """Every topic's findings for ``period`` in one frame (no personal identifiers)."""
    frames = [collect(wb, period) for collect in collectors]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    return pd.concat(frames, ignore_index=True)[FINDING_COLUMNS]


def area_status(findings: pd.DataFrame) -> pd.DataFrame:
    """Each area's status: *broken* when it has a high or medium finding, *holds*
    otherwise; the headline counts its findings by severity."""
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
        rows.append((area, "broken" if serious else "holds", headline))
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
    subject = frame["subject"].astype(str).map(lambda s: re.sub(r"[<≥]?\d+", "#", s))
    return frame["topic"].astype(str) + "|" + frame["code"].astype(str) + "|" + subject


def diff_findings(previous: pd.DataFrame | None, current: pd.DataFrame) -> pd.DataFrame:
    """Findings new since the previous run, and findings it had that are now fixed."""
    columns = ["change", "topic", "code", "severity", "subject"]
    if previous is None:
        return pd.DataFrame(columns=columns)
    cur_keys, prev_keys = _key(current), _key(previous)
    new = current[~cur_keys.isin(set(prev_keys))].assign(change="new")
    fixed = previous[~prev_keys.isin(set(cur_keys))].assign(change="fixed")
    return pd.concat([new, fixed], ignore_index=True)[columns]


def read_findings(folder: str | Path | None) -> pd.DataFrame | None:
    """The findings a previous run exported into ``folder``, or ``None``."""
    if not folder:
        return None
    path = Path(folder) / FINDINGS_FILE
    if not path.is_file():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def findings_trend(
    out: str | Path | None, period: Period, current: pd.DataFrame, quarters: int = 8
) -> pd.DataFrame:
    """Findings by severity over the last ``quarters`` periods, read from earlier runs'
    exports in the reports folder ``out``; a quarter without a run is marked."""
    rows: list[tuple[str, str, int | None, int | None, int | None]] = []
    for q in period.trailing_quarters(quarters):
        frame = (
            current
            if q.label == period.label
            else read_findings(Path(out) / q.label if out else None)
        )
        if frame is None:
            rows.append((q.label, "no run", None, None, None))
            continue
        sev = frame["severity"].value_counts()
        rows.append(
            (
                q.label,
                "run",
                int(sev.get("high", 0)),
                int(sev.get("medium", 0)),
                int(sev.get("low", 0)),
            )
        )
    return pd.DataFrame(rows, columns=["quarter", "run", "high", "medium", "low"])


def claims_for(wb: Workbook, period: Period) -> pd.DataFrame:
    """The policy claims evaluated against this period's metrics."""
    from juro_privacy.metrics import compute_metrics

    return evaluate_claims(wb.policy_claims, compute_metrics(wb, period))


def write_findings(findings: pd.DataFrame, folder: Path) -> list[Path]:
    """Export the period's findings (no identifiers) for next quarter's comparison."""
    path = folder / FINDINGS_FILE
    findings.to_csv(path, index=False, lineterminator="\n")
    return [path]


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


def trend_for(previous_dir: str | None, period: Period, findings: pd.DataFrame) -> pd.DataFrame:
    """:func:`findings_trend` for a notebook: the reports folder is the previous run's parent."""
    out = Path(previous_dir).parent if previous_dir else None
    return findings_trend(out, period, findings)
