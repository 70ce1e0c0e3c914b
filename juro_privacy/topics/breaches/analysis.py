"""Personal data breaches judged (GDPR and UK GDPR Arts. 33 and 34): pure functions, the
``breaches`` table in, frames and findings out.

Each breach is judged as it stood at an instant (the end of a period's last day):

- **notification** (Art. 33(1)), per regime of the processing breached: the UK GDPR's to
  the ICO, the GDPR's to the lead authority (for the sample's Riga office the Latvian DVI,
  Art. 56); a breach touching both is notified to both. The 72 hours run from awareness
  (:func:`~juro_privacy.rules.deadlines.breach_notification_deadline`), at the latest
  from the moment a processor told the organisation: the EDPB's Guidelines 9/2022
  (v2.0, 28 March 2023, section II.A.4) take the controller to be aware once its
  processor has informed it. A notification after the 72 hours needs the reasons for
  the delay; a breach assessed as unlikely to result in a risk needs none;
- **communication** (Art. 34(1)): a high-risk breach is told to the people, unless an
  Art. 34(3) condition is recorded;
- **the processor** (Art. 33(2)): it reports "without undue delay"; the yardstick is the
  window its contract sets (``processors.breach_notice_hours``), from discovery;
- **documentation** (Art. 33(5)): every breach, notified or not, is documented with "the
  facts relating to the personal data breach, its effects and the remedial action taken".

The ids of the breaches stay in the frames for the DPO's own follow-up (an ``internal``
cell of the notebook); no report table or finding shows one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from juro_privacy.findings import Finding, findings_frame, records
from juro_privacy.periods import Period
from juro_privacy.rules.deadlines import breach_notification_deadline
from juro_privacy.rules.disclosure import count_label
from juro_privacy.rules.regulators import regulator

TOPIC = "breaches"

#: Where each regime's notification is recorded, and the country of its authority
#: (``None``: the workbook's EU lead authority, :func:`assess_breaches`'s ``eu_country``).
REGIME_COLUMNS: dict[str, tuple[str, str | None]] = {
    "uk_gdpr": ("notified_uk_at", "GB"),
    "eu_gdpr": ("notified_eu_at", None),
}

#: A notification's status, worst first (a breach takes the worst of its regimes').
NOTIFICATION_STATUSES: dict[str, str] = {
    "overdue": "Not notified, past the 72 hours, though assessed a risk",
    "late_no_reasons": "Notified after 72 hours, without the reasons for the delay",
    "late_with_reasons": "Notified after 72 hours, with the reasons for the delay",
    "not_assessed": "No risk assessment recorded",
    "pending": "Not notified yet, still within the 72 hours",
    "on_time": "Notified within 72 hours",
    "not_required": "Not notifiable: assessed unlikely to result in a risk",
}
#: Art. 34: whether the people were told of a high-risk breach.
COMMUNICATION_STATUSES: dict[str, str] = {
    "not_told": "High risk: people not told, no Art. 34(3) exception recorded",
    "exception": "High risk: an Art. 34(3) exception relied on",
    "told": "High risk: people told",
    "not_required": "Not a high risk: no communication required",
}
#: Art. 33(2): how fast a processor reported its breach, against its contract's window.
PROCESSOR_STATUSES: dict[str, str] = {
    "late": "Reported after its contract's window",
    "not_recorded": "No record of when it reported",
    "no_window": "Its contract sets no window",
    "in_time": "Reported within its contract's window",
    "none": "No processor involved",
}
#: Art. 33(5): the parts of a breach's record, and the columns that hold each.
RECORD_PARTS: dict[str, tuple[str, ...]] = {
    "facts": ("nature", "description", "data_categories", "data_subjects"),
    "effects": ("consequences",),
    "remedial action": ("measures",),
}


def _present(value: object) -> bool:
    """A cell holds something: a non-empty list or text, a number."""
    if isinstance(value, tuple):
        return len(value) > 0
    if value is None or value is pd.NA:
        return False
    if isinstance(value, float) and pd.isna(value):
        return False
    return bool(str(value).strip())


def missing_parts(record: Mapping[str, object]) -> tuple[str, ...]:
    """The parts of an Art. 33(5) record (:data:`RECORD_PARTS`) a breach row lacks: a part
    is missing when any of its columns is empty."""
    return tuple(
        part
        for part, columns in RECORD_PARTS.items()
        if not all(_present(record.get(c)) for c in columns)
    )


def _made(value: Any, as_of: pd.Timestamp) -> pd.Timestamp | None:
    """A recorded instant, if it happened before ``as_of`` (later ones are not yet known)."""
    if value is None or pd.isna(value):
        return None
    stamp = pd.Timestamp(value)
    return stamp if stamp < as_of else None


def notification_status(
    risk: object,
    notified: pd.Timestamp | None,
    deadline: pd.Timestamp,
    reasons: bool,
    as_of: pd.Timestamp,
) -> str:
    """One regime's notification (Art. 33(1)) as it stood at ``as_of``: see
    :data:`NOTIFICATION_STATUSES`. ``notified`` is ``None`` when none was made by then;
    the deadline instant itself is in time."""
    if not _present(risk):
        return "not_assessed"
    if risk == "none":
        return "not_required"
    if notified is not None:
        if notified <= deadline:
            return "on_time"
        return "late_with_reasons" if reasons else "late_no_reasons"
    return "overdue" if deadline < as_of else "pending"


def _hours_left(
    deadline: pd.Timestamp, notified: pd.Timestamp | None, status: str, as_of: pd.Timestamp
) -> float | None:
    """Hours left (+) or overrun (-) against the 72 (Art. 33(1)): at the notification,
    or, for a notification still owed (``pending``, ``overdue``), at ``as_of``; none
    where no notification is owed or the risk was not assessed."""
    if notified is not None:
        return _hours(deadline, notified)
    if status in ("pending", "overdue"):
        return _hours(deadline, as_of)
    return None


def communication_status(risk: object, told: pd.Timestamp | None, exception: object) -> str:
    """Art. 34 for one breach: see :data:`COMMUNICATION_STATUSES`."""
    if risk != "high_risk":
        return "not_required"
    if told is not None:
        return "told"
    return "exception" if _present(exception) else "not_told"


def processor_status(
    processor: object,
    discovered: pd.Timestamp,
    told: pd.Timestamp | None,
    window_hours: object,
) -> str:
    """Art. 33(2) for one breach: the processor's report against its contract's window,
    counted in elapsed hours from discovery (see :data:`PROCESSOR_STATUSES`)."""
    if not _present(processor):
        return "none"
    if told is None:
        return "not_recorded"
    if not _present(window_hours):
        return "no_window"
    late = told - discovered > pd.Timedelta(hours=int(window_hours))  # type: ignore[call-overload]
    return "late" if late else "in_time"


def _hours(later: pd.Timestamp | None, earlier: pd.Timestamp | None) -> float | None:
    if later is None or earlier is None:
        return None
    return (later - earlier) / pd.Timedelta(hours=1)


ASSESSED_COLUMNS = [
    "breach_id",
    "office",
    "aware_on",
    "nature",
    "data_categories",
    "risk",
    "clock_start",
    "deadline",
    "notification",
    "communication",
    "processor",
    "missing",
    "discovery_to_awareness_h",
    "awareness_to_containment_h",
]
NOTIFICATION_COLUMNS = [
    "breach_id",
    "office",
    "aware_on",
    "regime",
    "authority",
    "status",
    "awareness_to_notification_h",
    "hours_left",
]


@dataclass(frozen=True)
class Judged:
    """The breaches judged at one instant: one row per breach (``breaches``), and one
    row per breach and regime it must be notified under (``notifications``)."""

    breaches: pd.DataFrame
    notifications: pd.DataFrame


def assess_breaches(
    breaches: pd.DataFrame,
    as_of: pd.Timestamp,
    *,
    office_zones: Mapping[str, str],
    notice_hours: Mapping[str, object] | None = None,
    eu_country: str = "LV",
) -> Judged:
    """Every breach of ``breaches`` judged as it stood at ``as_of`` (a tz-aware instant).

    ``office_zones`` gives each office's IANA time zone (the day a breach is dated by);
    ``notice_hours`` each processor's contractual window (``processors``); ``eu_country``
    the country of the EU lead authority. Recorded instants after ``as_of`` are not yet
    known. The awareness-to-containment hours are 0 for a breach contained before the
    organisation was aware of it.
    """
    windows = dict(notice_hours or {})
    rows, notes = [], []
    for rec in records(breaches):
        discovered = pd.Timestamp(rec["discovered_at"])
        aware = pd.Timestamp(rec["aware_at"])
        told_by_processor = _made(rec.get("processor_told_at"), as_of)
        start = min(aware, told_by_processor) if told_by_processor is not None else aware
        deadline = pd.Timestamp(breach_notification_deadline(start.to_pydatetime()))
        zone = office_zones.get(str(rec["office"]), "UTC")
        aware_on = aware.tz_convert(zone).date()
        reasons = _present(rec.get("delay_reasons"))
        statuses = []
        for regime in rec["regimes"]:
            column, country = REGIME_COLUMNS[regime]
            notified = _made(rec.get(column), as_of)
            status = notification_status(rec.get("risk"), notified, deadline, reasons, as_of)
            statuses.append(status)
            authority = regulator(country or eu_country, aware_on).short
            notes.append(
                (
                    rec["breach_id"],
                    rec["office"],
                    aware_on,
                    regime,
                    authority,
                    status,
                    _hours(notified, start),
                    _hours_left(deadline, notified, status, as_of),
                )
            )
        worst = min(statuses, key=list(NOTIFICATION_STATUSES).index) if statuses else "pending"
        contained = _made(rec.get("contained_at"), as_of)
        to_containment = _hours(contained, aware)
        rows.append(
            (
                rec["breach_id"],
                rec["office"],
                aware_on,
                rec.get("nature") or (),
                rec.get("data_categories") or (),
                rec.get("risk"),
                start,
                deadline,
                worst,
                communication_status(
                    rec.get("risk"),
                    _made(rec.get("people_told_at"), as_of),
                    rec.get("art34_exception"),
                ),
                processor_status(
                    rec.get("processor_id"),
                    discovered,
                    told_by_processor,
                    windows.get(str(rec.get("processor_id"))),
                ),
                missing_parts(rec),
                _hours(aware, discovered),
                None if to_containment is None else max(to_containment, 0.0),
            )
        )
    return Judged(
        pd.DataFrame(rows, columns=ASSESSED_COLUMNS),
        pd.DataFrame(notes, columns=NOTIFICATION_COLUMNS),
    )


def outstanding(judged: pd.DataFrame) -> pd.Series:
    """Breaches with a duty still undone: a notification past its deadline, or high-risk
    people not told with no exception."""
    return (judged["notification"] == "overdue") | (judged["communication"] == "not_told")


def of_period(judged: Judged, period: Period) -> Judged:
    """The breaches a period's report covers: those the organisation became aware of in
    the period (on its office's calendar), and earlier ones with a duty still undone at
    its end (judged as of then: ``judged`` must be assessed as of the period's end)."""
    b = judged.breaches
    on = b["aware_on"]
    keep = on.map(period.contains) | (on.map(lambda d: d < period.start) & outstanding(b))
    ids = set(b.loc[keep, "breach_id"])
    n = judged.notifications
    return Judged(
        b[keep].reset_index(drop=True), n[n["breach_id"].isin(ids)].reset_index(drop=True)
    )


def end_of(period: Period, timezone: str) -> pd.Timestamp:
    """The instant a period ends: midnight after its last day, in ``timezone``."""
    return pd.Timestamp(period.end + dt.timedelta(days=1)).tz_localize(timezone)


#: The findings, as a table: code, severity, rule, which breaches, what the subject
#: says of them, and the detail.
_FINDINGS: tuple[tuple[str, str, str, Callable[[pd.DataFrame], pd.Series], str, str], ...] = (
    (
        "not_notified",
        "high",
        "GDPR / UK GDPR Art. 33(1)",
        lambda b: b["notification"] == "overdue",
        "assessed a risk and not notified within 72 hours",
        "A breach likely to result in a risk is notified to the supervisory authority within "
        "72 hours of awareness where feasible; none was recorded by the period's end.",
    ),
    (
        "notified_late_no_reasons",
        "high",
        "GDPR / UK GDPR Art. 33(1)",
        lambda b: b["notification"] == "late_no_reasons",
        "notified after 72 hours without reasons for the delay",
        "A notification not made within 72 hours is accompanied by reasons for the delay; "
        "none are recorded.",
    ),
    (
        "people_not_told",
        "high",
        "GDPR / UK GDPR Art. 34(1), 34(3)",
        lambda b: b["communication"] == "not_told",
        "of high risk not told to the people concerned",
        "A high-risk breach is communicated to the people without undue delay unless an "
        "Art. 34(3) condition applies; neither is recorded.",
    ),
    (
        "not_assessed",
        "medium",
        "GDPR / UK GDPR Art. 33(1), 33(5)",
        lambda b: b["notification"] == "not_assessed",
        "with no risk assessment recorded",
        "Whether a breach is notified depends on its risk; the record does not say what it is.",
    ),
    (
        "processor_late",
        "medium",
        "GDPR / UK GDPR Art. 33(2), 28(3)(f)",
        lambda b: b["processor"] == "late",
        "reported by a processor after its contract's window",
        "The processor told the organisation later than its contract allows "
        "(processors.breach_notice_hours), eating into the 72 hours.",
    ),
    (
        "undocumented",
        "medium",
        "GDPR / UK GDPR Art. 33(5)",
        lambda b: b["missing"].map(len) > 0,
        "recorded without their facts, effects or remedial action",
        "Every breach is documented with its facts, effects and the remedial action taken.",
    ),
    (
        "notified_late",
        "low",
        "GDPR / UK GDPR Art. 33(1)",
        lambda b: b["notification"] == "late_with_reasons",
        "notified after 72 hours, with reasons",
        "Late with the reasons sent: lawful only if notifying in time was not feasible; "
        "the DPO reviews the reasons.",
    ),
)


def plural(label: int | str) -> str:
    """``breach`` for a count printed as 1, else ``breaches``."""
    return "breach" if label == 1 else "breaches"


def breach_findings(judged: pd.DataFrame, *, threshold: int) -> pd.DataFrame:
    """The findings of the breaches a period covers (:func:`of_period`), one per rule
    broken, each counting the breaches concerned (small counts as ``<5``); an
    ``undocumented`` finding names the parts missing. No finding names a breach."""
    out = []
    for code, severity, rule, which, says, detail in _FINDINGS:
        hit = judged[which(judged)] if len(judged) else judged
        if hit.empty:
            continue
        label = count_label(len(hit), threshold)
        if code == "undocumented":
            parts = sorted({p for missing in hit["missing"] for p in missing})
            detail = f"{detail} Missing: {', '.join(parts)}."
        out.append(Finding(TOPIC, code, severity, rule, f"{label} {plural(label)} {says}", detail))
    return findings_frame(out)


def metrics(judged: pd.DataFrame) -> dict[str, float]:
    """The ``breaches.*`` metrics of the breaches a period covers: exact counts."""
    n = judged["notification"]
    return {
        "breaches.late_notification_count": float(
            n.isin(["late_no_reasons", "late_with_reasons"]).sum()
        ),
        "breaches.late_without_reasons_count": float((n == "late_no_reasons").sum()),
        "breaches.unnotified_risk_count": float((n == "overdue").sum()),
        "breaches.high_risk_untold_count": float((judged["communication"] == "not_told").sum()),
        "breaches.processor_late_count": float((judged["processor"] == "late").sum()),
        "breaches.undocumented_count": float((judged["missing"].map(len) > 0).sum()),
    }


def follow_up(judged: pd.DataFrame) -> pd.DataFrame:
    """For the DPO only (an ``internal`` cell): each breach with something to follow up,
    by id, with what is wrong."""
    flagged = judged[
        ~judged["notification"].isin(["on_time", "not_required", "pending"])
        | (judged["communication"] == "not_told")
        | (judged["processor"] == "late")
        | (judged["missing"].map(len) > 0)
    ]
    return pd.DataFrame(
        {
            "breach": flagged["breach_id"],
            "aware on": flagged["aware_on"],
            "notification": flagged["notification"].map(NOTIFICATION_STATUSES),
            "people": flagged["communication"].map(COMMUNICATION_STATUSES),
            "processor": flagged["processor"].map(PROCESSOR_STATUSES),
            "record lacks": flagged["missing"].map(", ".join),
        }
    ).reset_index(drop=True)


def quarters(
    breaches: pd.DataFrame,
    period: Period,
    *,
    timezone: str,
    count: int = 8,
    **settings: object,
) -> list[tuple[Period, Judged]]:
    """The last ``count`` quarters ending with ``period``'s last, oldest first, each with
    the breaches it covers judged as of its own end (:func:`assess_breaches` with
    ``settings``, :func:`of_period`)."""
    out = []
    for q in period.trailing_quarters(count):
        judged = assess_breaches(breaches, end_of(q, timezone), **settings)  # type: ignore[arg-type]
        out.append((q, of_period(judged, q)))
    return out


def pooled(trend: list[tuple[Period, Judged]]) -> Judged:
    """The breaches of every quarter of a trend, each once, as judged at the end of the
    quarter that covers it last (a breach carried over is counted where it was last seen)."""
    frames = [j.breaches for _, j in trend if not j.breaches.empty]
    notes = [j.notifications for _, j in trend if not j.notifications.empty]
    if not frames:
        empty = pd.DataFrame(columns=ASSESSED_COLUMNS), pd.DataFrame(columns=NOTIFICATION_COLUMNS)
        return Judged(*empty)
    b = pd.concat(frames, ignore_index=True).drop_duplicates("breach_id", keep="last")
    n = (
        pd.concat(notes, ignore_index=True).drop_duplicates(["breach_id", "regime"], keep="last")
        if notes
        else pd.DataFrame(columns=NOTIFICATION_COLUMNS)
    )
    return Judged(b.reset_index(drop=True), n.reset_index(drop=True))
