"""Complaints to the controller (DPA 2018 s. 164A): pure functions, frames in, frames out.

Each complaint is judged by the regime of the processing it is about (its
``processing_office``'s jurisdiction), not by the office that handles it: a UK one has
30 days to be acknowledged (s. 164A(3), from 19 June 2026:
:func:`~juro_privacy.rules.deadlines.complaint_acknowledgement_due`), an EU one has no
such clock (the GDPR sets none). Dates are the regime's local calendar days. A period's
report covers the complaints received by its last day and not closed (outcome told)
before its first, judged as of its last day: an acknowledgement or an outcome dated
after it has not happened yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from juro_privacy.findings import Finding, findings_frame
from juro_privacy.periods import Period
from juro_privacy.rules.deadlines import JURISDICTIONS
from juro_privacy.rules.deadlines.complaints import NO_DUTY_BEFORE, NO_DUTY_EU, duty_of
from juro_privacy.rules.disclosure import Label, count_label, protect_line, statistic
from juro_privacy.rules.regulators import regulator

TOPIC = "complaints"

#: Where each complaint's acknowledgement stands at the period's end, in the order the
#: report lists them, and what each means.
ACK_STATUSES: dict[str, str] = {
    "in_time": "Acknowledged within the 30 days",
    "late": "Acknowledged after the 30 days",
    "overdue": "Not yet acknowledged, past the 30 days",
    "not_due": "Not yet acknowledged, within the 30 days",
    "no_duty": "No statutory clock (EU GDPR, or received before 19 June 2026)",
}

#: The bands of the open complaints' ageing (days from receipt to the period's end).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30 days", 0, 30),
    ("31-60 days", 31, 60),
    ("61-90 days", 61, 90),
    ("over 90 days", 91, None),
)

COLUMNS = [
    "complaint_id",
    "office",
    "processing_office",
    "regime",
    "country",
    "channel",
    "received",
    "acknowledged",
    "told",
    "outcome",
    "due",
    "basis",
    "status",
    "days_to_ack",
    "days_to_outcome",
    "days_over",
    "open",
    "age_days",
    "escalated",
]


def _local_days(stamps: pd.Series, zones: pd.Series) -> pd.Series:
    """Each timestamp's calendar day (naive ``datetime64``, midnight) in its row's zone;
    ``NaT`` where it is missing."""
    out = pd.Series(pd.NaT, index=stamps.index, dtype="datetime64[ns]")
    moments = pd.to_datetime(stamps, utc=True)
    for zone in zones.dropna().unique():
        rows = (zones == zone).to_numpy()
        local = moments[rows].dt.tz_convert(str(zone)).dt.tz_localize(None).dt.normalize()
        out[rows] = local.astype("datetime64[ns]").to_numpy()
    return out


def _days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    """Whole calendar days from ``earlier`` to ``later`` (nullable integers)."""
    return (later - earlier).dt.days.astype("Int64")


def assess_complaints(
    complaints: pd.DataFrame, jurisdictions: Mapping[str, object], as_of: dt.date
) -> pd.DataFrame:
    """One row per complaint (:data:`COLUMNS`), judged as of the day ``as_of``.

    ``jurisdictions`` maps each site to its ``jurisdiction`` code (``sites``): the
    regime of a complaint is its ``processing_office``'s. ``due`` is the last day to
    acknowledge it (s. 164A(3)), ``NaT`` where no duty applies (``basis`` says why);
    ``status`` one of :data:`ACK_STATUSES`; ``days_over`` the days past ``due`` of a late
    acknowledgement (to the day it was sent) or an overdue one (to ``as_of``); ``open``
    no outcome told by ``as_of``, ``age_days`` its days from receipt to ``as_of``.
    Raises :class:`~juro_privacy.errors.DeadlineError` for a processing office with no
    known jurisdiction.
    """
    frame = complaints.reset_index(drop=True)
    regime = frame["processing_office"].astype(str).map(lambda s: jurisdictions.get(s))
    zones = regime.map(lambda c: JURISDICTIONS[c].timezone if c in JURISDICTIONS else None)
    received = _local_days(frame["received_at"], zones)
    day = pd.Timestamp(as_of)
    acknowledged = _local_days(frame["acknowledged_at"], zones)
    acknowledged = acknowledged.where(acknowledged <= day)
    told = _local_days(frame["outcome_told_at"], zones)
    told = told.where(told <= day)
    dues: list[Any] = []
    bases: list[str] = []
    for code, got in zip(regime, received, strict=True):
        row = duty_of(got.date(), code)  # DeadlineError for an unknown jurisdiction
        if row is None:
            eu = JURISDICTIONS[code].country != "GB"
            dues.append(pd.NaT)
            bases.append(NO_DUTY_EU if eu else NO_DUTY_BEFORE)
        else:
            dues.append(got + pd.Timedelta(days=row.days))
            bases.append(row.source)
    due = pd.Series(pd.to_datetime(pd.Series(dues, dtype="datetime64[ns]")), index=frame.index)
    has_ack = acknowledged.notna()
    clock = due.notna()
    status = np.select(
        [
            ~clock,
            has_ack & (acknowledged <= due),
            has_ack,
            day > due,
        ],
        ["no_duty", "in_time", "late", "overdue"],
        default="not_due",
    )
    days_over = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    late = status == "late"
    overdue = status == "overdue"
    days_over[late] = _days(acknowledged, due)[late]
    days_over[overdue] = _days(pd.Series(day, index=frame.index), due)[overdue]
    is_open = told.isna()
    age = _days(pd.Series(day, index=frame.index), received).where(is_open)
    escalated = frame["escalated_to_regulator"].astype("boolean").fillna(False).astype(bool)
    return pd.DataFrame(
        {
            "complaint_id": frame["complaint_id"].astype(str),
            "office": frame["office"].astype(str),
            "processing_office": frame["processing_office"].astype(str),
            "regime": regime,
            "country": regime.map(lambda c: JURISDICTIONS[c].country),
            "channel": frame["channel"].astype(str),
            "received": received,
            "acknowledged": acknowledged,
            "told": told,
            "outcome": frame["outcome"].where(told.notna()),
            "due": due,
            "basis": bases,
            "status": status,
            "days_to_ack": _days(acknowledged, received),
            "days_to_outcome": _days(told, received),
            "days_over": days_over,
            "open": is_open,
            "age_days": age.astype("Int64"),
            "escalated": escalated,
        },
        columns=COLUMNS,
    )


def handled_in(assessed: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The complaints a period's report covers: received by its last day, and not
    closed (outcome told) before its first."""
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    keep = (assessed["received"] <= end) & (assessed["told"].isna() | (assessed["told"] >= start))
    return assessed[keep].reset_index(drop=True)


# ---------------------------------------------------------------- the report's tables


def status_table(assessed: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """How many complaints stand in each of :data:`ACK_STATUSES`, and in all: small
    counts hidden, and one more withheld where the total would give them away."""
    counts = assessed["status"].value_counts().reindex(list(ACK_STATUSES), fill_value=0)
    shown = protect_line(counts.rename("complaints").astype("int64"), threshold)
    labels = shown.labels()["complaints"]
    return pd.DataFrame(
        {
            "acknowledgement": [*ACK_STATUSES.values(), "All complaints"],
            "complaints": list(labels),
        }
    )


def ageing_table(assessed: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The complaints still open at the period's end (no outcome told), by days since
    receipt (:data:`AGE_BANDS`), protected as :func:`status_table`."""
    ages = assessed.loc[assessed["open"], "age_days"].astype("int64")
    in_band = {
        label: (ages >= low) if high is None else (ages >= low) & (ages <= high)
        for label, low, high in AGE_BANDS
    }
    counts = pd.Series(
        {label: int(hit.sum()) for label, hit in in_band.items()},
        name="open complaints",
        dtype="int64",
    )
    shown = protect_line(counts, threshold)
    labels = shown.labels()["open complaints"]
    return pd.DataFrame(
        {"days since receipt": [*counts.index, "All open"], "open complaints": list(labels)}
    )


def _days_label(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.0f} day{'s' if round(value) != 1 else ''}"


def times_table(assessed: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The median and 90th percentile of the days from receipt to acknowledgement and
    to the outcome told, over the complaints that had one: ``n/a`` from fewer than
    ``threshold`` complaints (a median of two is nearly one person's figure)."""
    rows = []
    for label, column in (("to acknowledge", "days_to_ack"), ("to the outcome", "days_to_outcome")):
        values = assessed[column].dropna().astype("float64")
        rows.append(
            {
                "time": label,
                "complaints": count_label(len(values), threshold),
                "median": _days_label(statistic(values, threshold, 0.5)),
                "90th percentile": _days_label(statistic(values, threshold, 0.9)),
            }
        )
    return pd.DataFrame(rows)


def escalations_table(assessed: pd.DataFrame, as_of: dt.date, threshold: int) -> pd.DataFrame:
    """The complaints whose complainant went on to the regulator, by the regulator of
    the processing's regime (:func:`~juro_privacy.rules.regulators.regulator`: the ICO
    for the UK, the DVI for Latvia), small counts hidden."""
    went = assessed[assessed["escalated"]]
    rows = []
    for country in sorted(set(assessed["country"])):
        authority = regulator(country, as_of)
        count = int((went["country"] == country).sum())
        rows.append({"regulator": f"{authority.name} ({authority.short})", "complaints": count})
    frame = pd.DataFrame(rows, columns=["regulator", "complaints"])
    frame["complaints"] = [count_label(int(v), threshold) for v in frame["complaints"]]
    return frame


def summary_markdown(assessed: pd.DataFrame, routes: str, threshold: int) -> str:
    """The headline: how many complaints the period covers, how their acknowledgement
    stands, the EU GDPR's complaints listed not judged, and how people can complain
    (``complaint_routes`` of workbook.yaml, shown as written: s. 164A(2) gives a form
    that can be completed electronically as an example, not a rule to judge). Every
    count prints as :func:`status_table` prints it."""
    total = len(assessed)
    status = assessed["status"]
    eu = int((assessed["country"] != "GB").sum())
    shown = status_table(assessed, threshold)["complaints"].iloc[-1]  # as the table prints it
    parts = [f"**{shown}** complaints in the period."]
    if total:
        late = int((status == "late").sum())
        overdue = int((status == "overdue").sum())
        parts.append(
            f"Under DPA 2018 s. 164A(3) (30 days to acknowledge): "
            f"{count_label(late, threshold)} acknowledged late, "
            f"{count_label(overdue, threshold)} not acknowledged and past the 30 days."
        )
    if eu:
        parts.append(
            f"{count_label(eu, threshold)} about processing under the EU GDPR (the Riga "
            "office's): the GDPR sets no period to acknowledge a complaint made to the "
            "controller, so they are listed here, not judged by the UK's 30 days."
        )
    how = routes.strip()
    parts.append(
        f"How people can complain (workbook.yaml, `complaint_routes`): {how}."
        if how
        else "How people can complain: **not recorded** (`complaint_routes` in workbook.yaml)."
    )
    return " ".join(parts)


# ---------------------------------------------------------------- findings and metrics


def _plural(count: int, threshold: int, noun: str) -> str:
    label: Label = count_label(count, threshold)
    return f"{label} {noun}{'' if label == 1 else 's'}"


def _span(values: pd.Series) -> str:
    low, high = int(values.min()), int(values.max())
    return f"{low} day{'s' if low != 1 else ''}" if low == high else f"{low} to {high} days"


@dataclass(frozen=True)
class FindingRule:
    """One finding the complaints report raises for the complaints in ``status``."""

    code: str
    severity: str
    rule: str
    status: str
    subject: str  # completes "<n> complaint(s) ..."
    detail: Callable[[pd.DataFrame], str]


FINDING_RULES: tuple[FindingRule, ...] = (
    FindingRule(
        "ack_overdue",
        "high",
        "DPA 2018 s. 164A(3)",
        "overdue",
        "not acknowledged, past the 30 days",
        lambda hit: (
            f"Still not acknowledged at the end of the period, {_span(hit['days_over'])} "
            "past the 30 days from receipt."
        ),
    ),
    FindingRule(
        "ack_late",
        "medium",
        "DPA 2018 s. 164A(3)",
        "late",
        "acknowledged late",
        lambda hit: f"Acknowledged {_span(hit['days_over'])} after the 30 days from receipt.",
    ),
)
"""The findings, as a table: a status of :data:`ACK_STATUSES` and what it breaks."""


def complaints_findings(assessed: pd.DataFrame, threshold: int = 5) -> pd.DataFrame:
    """The period's findings from :func:`handled_in`: one per rule of
    :data:`FINDING_RULES` broken, its subject a count of complaints (small counts
    hidden), never a complaint's id."""
    found = []
    for rule in FINDING_RULES:
        hit = assessed[assessed["status"] == rule.status]
        if len(hit):
            subject = f"{_plural(len(hit), threshold, 'complaint')} {rule.subject}"
            found.append(
                Finding(TOPIC, rule.code, rule.severity, rule.rule, subject, rule.detail(hit))
            )
    return findings_frame(found)


def metrics(assessed: pd.DataFrame) -> dict[str, float]:
    """``complaints.*`` of the period's complaints (:func:`handled_in`), exact."""
    status = assessed["status"]
    return {
        "complaints.ack_late_count": float((status == "late").sum()),
        "complaints.ack_overdue_count": float((status == "overdue").sum()),
        "complaints.open_count": float(assessed["open"].sum()),
        "complaints.escalated_count": float(assessed["escalated"].sum()),
    }


def findings_view(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings as the report prints them: severity, rule, what and how."""
    return findings[["severity", "rule", "subject", "detail"]].rename(
        columns={"subject": "finding"}
    )


def follow_up(assessed: pd.DataFrame) -> pd.DataFrame:
    """The complaints behind the findings, by id: for the DPO's own follow-up only.
    Never in a shareable report: the notebook shows it in a cell tagged ``internal``,
    whose output the report renderer drops."""
    hit = assessed[assessed["status"].isin(["overdue", "late"])]
    return pd.DataFrame(
        {
            "complaint_id": hit["complaint_id"],
            "status": hit["status"].map(ACK_STATUSES),
            "received": hit["received"].dt.date,
            "due": hit["due"].dt.date,
            "days over": hit["days_over"],
        }
    ).reset_index(drop=True)
