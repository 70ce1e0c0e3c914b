"""Data-subject requests: every request judged against its deadline, as of a date.

Pure functions: the request log in, one judged row per request out
(:func:`assess_requests`), then the findings (:func:`requests_findings`), the
request ids behind them for the DPO's own follow-up (:func:`follow_up`) and the
metrics the policy claims are checked against (:func:`metrics`). This module imports
nothing else of the topic: the protected counts are in
:mod:`juro_privacy.topics.requests.counts`, the report's tables in
:mod:`~juro_privacy.topics.requests.report`, the trend in
:mod:`~juro_privacy.topics.requests.trend`, and :mod:`~juro_privacy.topics.requests.api`
applies all of them to a workbook. ``docs/requests.md`` explains every rule for a DPO.

The rules, each cited where it is applied:

- UK GDPR Art. 12(3) and 12A (from 5 February 2026), GDPR Art. 12(3): answer "without
  undue delay" and within one month of the relevant time (receipt, the identity
  information asked for, a fee), extendable "by two further months", the requester
  told of the extension within the first month; the dates come from
  :mod:`juro_privacy.rules.deadlines.reference` (ICO "Time limits for responding").
- UK GDPR Art. 12A: clarification of an access request stops the clock from asking to
  the answer; where and since when is
  :data:`juro_privacy.rules.deadlines.CLARIFICATION_PAUSES` (the ICO's 2020 guidance
  before 5 February 2026; never for the EU GDPR, recital 63). Clarification asked on a
  request it does not pause, or asked the day a request arrived on most requests (the
  ICO: not "on a blanket basis"), is a finding.
- Art. 12(4): the reasons for a refusal are due within the same month. Under the EU
  GDPR an extension does not move that month (EDPB Guidelines 01/2022 para. 191);
  under the UK GDPR, from 5 February 2026, the refusal keeps the Art. 12A period, an
  extension included (:mod:`juro_privacy.rules.deadlines.refusals`). A refusal must
  record its reasons; a fee needs a ground (Art. 12(5) for a manifestly unfounded or
  excessive request, Art. 15(3) for further copies), and a refusal or a fee on an
  Art. 12(5) ground its reasons (the controller bears the burden of demonstrating it).
- Art. 20(1) and the privacy policy ("a copy of your data in CSV or JSON"): a
  portability answer in a structured, commonly used, machine-readable format.
- Art. 28(3)(e) and the policy ("we will pass the request on to our user"): a request
  about a contract signed through the product, where the organisation is the
  customer's processor, is passed to the customer within the workbook's target of
  working days; it is the customer's deadline, not the organisation's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from juro_privacy.errors import DeadlineError
from juro_privacy.findings import Finding, findings_frame
from juro_privacy.periods import Period
from juro_privacy.rules.deadlines import (
    JURISDICTIONS,
    add_working_days,
    due_dates,
    pause_basis,
    refusal_extendable,
    working_days_between,
)
from juro_privacy.rules.disclosure import Label, count_label

TOPIC = "requests"

#: A controller request's standing at the as-of date; processor-role ones are judged
#: on forwarding instead (:data:`FORWARD_LABELS`).
STATUS_LABELS = {
    "on_time": "Answered on time",
    "late": "Answered late",
    "open": "Open, not yet due",
    "overdue": "Open and overdue",
    "processor_role": "Processor role: passed to the customer",
}
#: What became of an extension (Art. 12(3)): only ``valid`` moves the deadline.
EXTENSION_LABELS = {
    "none": "Not extended",
    "valid": "Extended, requester told in the first month",
    "notified_late": "Extended, requester told after the first month",
    "not_notified": "Extended, requester never told",
    "awaiting_notice": "Extended, not told yet (first month not over)",
    "unused": "Extended, not told, but answered in the first month",
}
FORWARD_LABELS = {
    "on_time": "Passed on within the target",
    "late": "Passed on after the target",
    "awaiting": "Not passed on yet, within the target",
    "overdue": "Not passed on yet, past the target",
}
#: The formats the privacy policy promises for a portability answer.
PORTABLE_FORMATS = ("csv", "json")

ASSESSED_COLUMNS = [
    "request_id",
    "type",
    "channel",
    "office",
    "jurisdiction",
    "role",
    "outcome",
    "portability_format",
    "received",
    "verified",
    "fee_paid",
    "clock_start",
    "clarification_asked",
    "clarification_answered",
    "pause_basis",
    "clock_paused",
    "days_paused",
    "clarification_same_day",
    "extended",
    "notified",
    "extension",
    "due_one_month",
    "due_date",
    "closed",
    "status",
    "days_late",
    "days_overdue",
    "days_allowed",
    "days_used",
    "turnaround_days",
    "turnaround_working_days",
    "verification_days",
    "age_days",
    "portability_ok",
    "refusal_unextended",
    "ground",
    "reason_recorded",
    "forward_due",
    "forward_working_days",
    "forward_status",
]


def _day(value: dt.date) -> pd.Timestamp:
    return pd.Timestamp(value.year, value.month, value.day)


def _days(later: pd.Series, earlier: pd.Series | pd.Timestamp) -> pd.Series:
    """Whole calendar days from ``earlier`` to ``later`` (``Int64``, ``<NA>`` if missing)."""
    delta = later - earlier
    return delta.dt.days.astype("Int64")


def request_jurisdictions(requests: pd.DataFrame, sites: pd.DataFrame) -> pd.Series:
    """Each request's jurisdiction: the ``sites.jurisdiction`` of its office.

    Raises :class:`~juro_privacy.errors.DeadlineError` naming the offices that answer
    requests without a jurisdiction (their deadlines and holidays are unknown).
    """
    known = sites.dropna(subset=["jurisdiction"])
    codes = dict(zip(known["site_id"].astype(str), known["jurisdiction"].astype(str), strict=True))
    offices = requests["office"].astype(str)
    missing = sorted(set(offices) - set(codes))
    if missing:
        raise DeadlineError(
            f"office {', '.join(missing)} handles requests but has no jurisdiction in "
            f"sites: set one of {', '.join(JURISDICTIONS)} so its deadlines can be dated"
        )
    return offices.map(codes).rename("jurisdiction")


def local_dates(values: pd.Series, jurisdiction: pd.Series) -> pd.Series:
    """The calendar date at each row's office (``datetime64[ns]`` midnight, naive).

    A tz-aware timestamp is converted to the office's time zone (the deadline engine's
    clock, :data:`~juro_privacy.rules.deadlines.JURISDICTIONS`); a naive one is taken as local.
    """
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]", name=values.name)
    stamps = pd.to_datetime(values)
    if not isinstance(stamps.dtype, pd.DatetimeTZDtype):
        out[:] = stamps.dt.normalize().astype("datetime64[ns]")
        return out
    for code in pd.unique(jurisdiction):
        rows = jurisdiction == code
        zone = JURISDICTIONS[str(code)].timezone
        local = stamps[rows].dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
        out[rows] = local.astype("datetime64[ns]")
    return out


def assess_requests(
    requests: pd.DataFrame,
    sites: pd.DataFrame,
    as_of: dt.date,
    *,
    forward_target_working_days: int = 5,
) -> pd.DataFrame:
    """Every request received by ``as_of``, judged as it stood at the end of that day.

    One row per request (:data:`ASSESSED_COLUMNS`); dates are the office's local
    calendar dates, and anything recorded after ``as_of`` (an answer, a notice, a
    forwarding) is treated as not having happened yet, so a past quarter is judged as
    it stood at its own end.

    - Deadline (Art. 12(3), ICO "Time limits for responding"): one month from receipt or
      from identity verification (:func:`~juro_privacy.rules.deadlines.reference.due_dates`), three
      months when extended **and** the requester was told on or before the one-month
      date. An extension told later, or never, does not count: the request is judged on
      the one-month date and its ``extension`` says why.
    - ``status``: ``on_time`` / ``late`` (answered on or before / after the due date;
      ``days_late``), ``open`` (not answered, not yet due) / ``overdue`` (not answered,
      due date passed; ``days_overdue``). A refusal (Art. 12(4)) and a withdrawal close
      a request like an answer does.
    - A refusal (Art. 12(4)): under the EU GDPR, and the UK GDPR before 5 February
      2026, it is due on the one-month date even when the request was validly
      extended (``refusal_unextended``); ``ground`` is the recorded Art. 12(5) or
      Art. 15(3) ground, ``reason_recorded`` whether a reason was written down.
    - ``portability_ok`` (Art. 20(1), the policy's "CSV or JSON"): for a fulfilled
      portability request, whether the answer's format was CSV or JSON (a missing format
      is not).
    - Processor-role requests (Art. 28(3)(e)) have ``status`` ``processor_role`` and are
      judged on forwarding: ``forward_status`` ``on_time`` / ``late`` (passed on within /
      after ``forward_target_working_days`` working days after receipt),
      ``awaiting`` / ``overdue`` (not passed on yet, within / past the target).
    - Turnaround counts calendar days (and working days, the office's holidays) from
      receipt to closing; days used and allowed count from the clock's start.
    """
    cutoff = _day(as_of)
    jurisdiction = request_jurisdictions(requests, sites)
    received = local_dates(requests["received_at"], jurisdiction)
    keep = (received <= cutoff).to_numpy()
    req = requests.loc[keep].reset_index(drop=True)
    jurisdiction = jurisdiction.loc[keep].reset_index(drop=True)
    received = received.loc[keep].reset_index(drop=True)

    def raw(column: str) -> pd.Series:  # an optional column left out is empty
        if column in req.columns:
            return req[column]
        return pd.Series(pd.NaT, index=req.index, dtype="datetime64[ns]", name=column)

    def text(column: str) -> pd.Series:  # an optional text column left out is empty
        if column in req.columns:
            return req[column].astype("string")
        return pd.Series(pd.NA, index=req.index, dtype="string", name=column)

    def local(column: str, *, mask: bool = True) -> pd.Series:
        days = local_dates(raw(column), jurisdiction)
        return days.where(days <= cutoff) if mask else days

    verified = local("verified_at", mask=False)  # when the clock started, whenever that was
    fee = local("fee_paid_at", mask=False)
    asked = local("clarification_requested_at")
    answered = local("clarification_received_at")
    notified = local("extension_notified_at")
    completed = local("completed_at")
    forwarded = local("forwarded_at")
    extended = req["extended"].fillna(False).astype(bool)
    processor = (req["role"].astype(str) == "processor").to_numpy()

    # Art. 12A: the clock stops only where CLARIFICATION_PAUSES allows; a pause still
    # running at the as-of date is counted up to that day (the clock stands still).
    country = jurisdiction.map(lambda code: JURISDICTIONS[str(code)].country)
    basis = pause_basis(req["type"], country, received).where(~processor & asked.notna())
    paused = basis.notna()
    # an answer not yet known waits at the as-of day; one dated before the question is
    # bad input (workbook validation refuses it first) and due_dates' DeadlineError
    answer_day = answered.where(answered.notna(), cutoff)
    pause = (asked.where(paused), answer_day.where(paused))

    def deadline(extended: pd.Series | None) -> pd.Series:
        return due_dates(
            req["received_at"],
            verified=req["verified_at"],
            fee_paid_on=raw("fee_paid_at"),
            clarification=pause,
            extended=extended,
            jurisdiction=jurisdiction,
        ).astype("datetime64[ns]")

    due_one = deadline(None)
    due_three = deadline(pd.Series(True, index=req.index))
    told = notified.notna()
    extension = np.select(
        [
            ~extended | processor,  # the customer extends its own deadline, not us
            told & (notified <= due_one),
            told,
            completed.notna() & (completed <= due_one),
            cutoff <= due_one,
        ],
        ["none", "valid", "notified_late", "unused", "awaiting_notice"],
        "not_notified",
    )
    refused = req["outcome"].astype("string").eq("refused").fillna(False).to_numpy()
    extendable = refusal_extendable(country, received)
    # Art. 12(4): an EU refusal (and a UK one before 5 February 2026) is due within the
    # first month whatever the extension; a valid extension moves every other deadline.
    moves = (extension == "valid") & ~(refused & ~extendable.to_numpy())
    due = due_three.where(pd.Series(moves, index=req.index), due_one)
    ground = text("fee_or_refusal_ground")
    reason = text("refusal_reason").str.strip()
    start = received.where(verified.isna() | (verified < received), verified)
    start = start.where(fee.isna() | (fee < start), fee)
    days_paused = (_days(answer_day, asked) + 1).where(paused)

    closed = completed.where(~processor, forwarded)
    status = np.select(
        [
            processor,
            closed.notna() & (closed <= due),
            closed.notna(),
            cutoff <= due,
        ],
        ["processor_role", "on_time", "late", "open"],
        "overdue",
    )
    status_s = pd.Series(status, index=req.index)
    controller = pd.Series(~processor, index=req.index)
    days_late = _days(closed, due).where(status_s == "late")
    days_overdue = _days(pd.Series(cutoff, index=req.index), due).where(status_s == "overdue")
    done = closed.where(controller)
    turnaround = _days(done, received)
    turnaround_working = working_days_between(received, done, jurisdiction=jurisdiction)
    seen = verified.where(verified <= cutoff)

    fulfilled_portability = (
        controller
        & (req["type"].astype(str) == "portability")
        & (req["outcome"].astype("string") == "fulfilled")
        & completed.notna()
    )
    fmt = req["portability_format"].astype("string").str.lower()
    portability_ok = pd.Series(pd.NA, index=req.index, dtype="boolean")
    portability_ok[fulfilled_portability] = fmt[fulfilled_portability].isin(PORTABLE_FORMATS)

    forward_due = add_working_days(
        received, forward_target_working_days, jurisdiction=jurisdiction
    ).where(~controller)
    forward_status = pd.Series(
        np.select(
            [
                controller,
                forwarded.notna() & (forwarded <= forward_due),
                forwarded.notna(),
                cutoff <= forward_due,
            ],
            ["", "on_time", "late", "awaiting"],
            "overdue",
        ),
        index=req.index,
    ).replace("", pd.NA)

    out = pd.DataFrame(
        {
            "request_id": req["request_id"].astype(str),
            "type": req["type"].astype(str),
            "channel": req["channel"].astype(str),
            "office": req["office"].astype(str),
            "jurisdiction": jurisdiction,
            "role": req["role"].astype(str),
            "outcome": req["outcome"].astype("string"),
            "portability_format": fmt,
            "received": received,
            "verified": seen,
            "fee_paid": fee.where(fee <= cutoff),
            "clock_start": start,
            "clarification_asked": asked,
            "clarification_answered": answered,
            "pause_basis": basis,
            "clock_paused": paused,
            "days_paused": days_paused,
            "clarification_same_day": asked.notna() & (asked == received),
            "extended": extended,
            "notified": notified,
            "extension": extension,
            "due_one_month": due_one.where(controller),
            "due_date": due.where(controller),
            "closed": closed,
            "status": status_s,
            "days_late": days_late,
            "days_overdue": days_overdue,
            "days_allowed": _days(due, start).where(controller),
            "days_used": _days(closed.fillna(cutoff), start).where(controller),
            "turnaround_days": turnaround,
            "turnaround_working_days": turnaround_working,
            "verification_days": _days(seen, received),
            "age_days": _days(pd.Series(cutoff, index=req.index), received).where(closed.isna()),
            "portability_ok": portability_ok,
            "refusal_unextended": pd.Series(refused, index=req.index)
            & ~extendable
            & pd.Series(extension == "valid", index=req.index),
            "ground": ground,
            "reason_recorded": reason.fillna("").ne(""),
            "forward_due": forward_due,
            "forward_working_days": working_days_between(
                received, forwarded, jurisdiction=jurisdiction
            ).where(~controller),
            "forward_status": forward_status,
        }
    )
    return out[ASSESSED_COLUMNS]


def handled_in(assessed: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The requests a period's report covers, from :func:`assess_requests` as of its end:
    every request closed in the period (answered, refused, withdrawn or passed on) or
    still open at its end."""
    start = _day(period.start)
    closed = assessed["closed"]
    return assessed[closed.isna() | (closed >= start)].reset_index(drop=True)


def assess_period(
    requests: pd.DataFrame,
    sites: pd.DataFrame,
    period: Period,
    *,
    forward_target_working_days: int = 5,
) -> pd.DataFrame:
    """The requests handled in ``period``, judged as of its last day (:func:`handled_in`)."""
    assessed = assess_requests(
        requests, sites, period.end, forward_target_working_days=forward_target_working_days
    )
    return handled_in(assessed, period)


# ---------------------------------------------------------------- findings


def _plural(count: int, threshold: int, noun: str, label: Label | None = None) -> str:
    """``"12 requests"``, ``"1 request"`` or ``"<5 requests"``: small counts suppressed
    (or ``label``, the count as the report's tables print it)."""
    if label is None:
        label = count_label(count, threshold)
    return f"{label} {noun}{'' if label == 1 else 's'}"


def _span(values: pd.Series) -> str:
    low, high = int(values.min()), int(values.max())
    return f"{low} day{'s' if low != 1 else ''}" if low == high else f"{low} to {high} days"


def requests_findings(
    assessed: pd.DataFrame,
    *,
    threshold: int = 5,
    forward_target_working_days: int = 5,
    counts: Mapping[str, Label] | None = None,
) -> pd.DataFrame:
    """The period's findings from :func:`assess_period`: one per rule broken, by count.

    A finding's subject counts requests (small counts suppressed, as in every shareable
    report) and never names one; :func:`follow_up` lists the ids for the DPO. ``counts``
    gives, per finding code, the count as the report's tables print it (so a finding
    never shows a count a table withheld;
    :func:`juro_privacy.topics.requests.api.findings_for` passes them).

    - ``request_overdue`` (high): open past the deadline at the period's end (UK GDPR
      Art. 12A; GDPR Art. 12(3));
    - ``request_late`` (medium): answered after the deadline (UK GDPR Art. 12A; GDPR
      Art. 12(3), 12(4));
    - ``extension_not_notified`` (medium): extended without telling the requester in the
      first month, so judged on the one-month date (UK GDPR Art. 12A; GDPR Art. 12(3));
    - ``clarification_no_pause`` (low): clarification sought on a request whose clock it
      does not stop (not an access request, an EU office, or before the rules allowed
      it): the deadline ran on, and the request is judged so (UK GDPR Art. 12A; GDPR
      Art. 12(3), recital 63);
    - ``clarification_blanket`` (medium): on most of the requests whose clock a
      clarification may stop, it was asked the day they arrived (the ICO: not "on a
      blanket basis"; a large amount of information is the statute's example, not a
      precondition);
    - ``refusal_after_one_month``, ``refusal_reason_missing``, ``fee_without_ground``
      (medium): see :func:`refusal_faults` (Art. 12(4), 12(5), 15(3));
    - ``portability_format`` (high): a portability answer not in CSV or JSON (Art. 20(1);
      the policy's promise);
    - ``forwarding_late`` / ``forwarding_overdue`` (medium): a processor-role request
      passed to the customer after the target, or not yet and past it (Art. 28(3)(e);
      the policy's "we will pass the request on").
    """
    found: list[Finding] = []
    shown = dict(counts or {})
    status = assessed["status"]
    overdue = assessed[status == "overdue"]
    if len(overdue):
        found.append(
            Finding(
                TOPIC,
                "request_overdue",
                "high",
                "UK GDPR Art. 12A; GDPR Art. 12(3)",
                _plural(len(overdue), threshold, "request", shown.get("request_overdue"))
                + " open past the deadline",
                "Still unanswered at the end of the period, "
                f"{_span(overdue['days_overdue'])} past the deadline.",
            )
        )
    late = assessed[status == "late"]
    if len(late):
        found.append(
            Finding(
                TOPIC,
                "request_late",
                "medium",
                "UK GDPR Art. 12A; GDPR Art. 12(3), 12(4)",
                _plural(len(late), threshold, "request", shown.get("request_late"))
                + " answered late",
                f"Answered {_span(late['days_late'])} after the deadline (one month, or "
                "three with an extension the requester was told of in time).",
            )
        )
    invalid = assessed[assessed["extension"].isin(["notified_late", "not_notified"])]
    if len(invalid):
        found.append(
            Finding(
                TOPIC,
                "extension_not_notified",
                "medium",
                "UK GDPR Art. 12A; GDPR Art. 12(3)",
                _plural(len(invalid), threshold, "extension", shown.get("extension_not_notified"))
                + " not told in the first month",
                "The requester must be told of an extension, and why, within one month of "
                "receipt; these requests are judged against the one-month deadline.",
            )
        )
    found.extend(_clarification_findings(assessed, threshold, shown))
    found.extend(_refusal_findings(assessed, threshold, shown))
    wrong = assessed[assessed["portability_ok"].eq(False).fillna(False).astype(bool)]
    if len(wrong):
        formats = sorted({str(f).upper() for f in wrong["portability_format"].dropna()})
        if wrong["portability_format"].isna().any():
            formats.append("no recorded format")
        found.append(
            Finding(
                TOPIC,
                "portability_format",
                "high",
                "Art. 20(1); privacy policy",
                _plural(
                    len(wrong), threshold, "portability answer", shown.get("portability_format")
                )
                + " not in CSV or JSON",
                f"Answered in {', '.join(formats)}"
                ": the policy promises CSV or JSON, and Art. 20(1) a structured, commonly "
                "used, machine-readable format.",
            )
        )
    target = f"{forward_target_working_days} working days"
    forward = assessed["forward_status"]
    for code, state, text in (
        ("forwarding_late", "late", "passed on after the target"),
        ("forwarding_overdue", "overdue", "not passed on, past the target"),
    ):
        rows = assessed[forward.eq(state).fillna(False).astype(bool)]
        if len(rows):
            found.append(
                Finding(
                    TOPIC,
                    code,
                    "medium",
                    "Art. 28(3)(e); privacy policy",
                    _plural(len(rows), threshold, "processor-role request", shown.get(code))
                    + " "
                    + text,
                    f"Requests about contracts signed through the product go to the customer "
                    f"(the controller) within {target} of receipt; the policy says "
                    '"we will pass the request on to our user".',
                )
            )
    return findings_frame(found)


def refusal_faults(assessed: pd.DataFrame) -> dict[str, pd.Series]:
    """Per refusal and fee finding code, which controller requests it concerns:

    - ``refusal_after_one_month``: refused after the one-month date of a validly
      extended request whose refusal the extension does not cover (GDPR Art. 12(4));
    - ``refusal_reason_missing``: refused, or charged a fee on an Art. 12(5) ground,
      with no reason recorded (Art. 12(4): the reasons are owed to the requester;
      Art. 12(5): the controller bears the burden of demonstrating the ground);
    - ``fee_without_ground``: a fee paid with no ground recorded, or on "further
      copies" for a request that is not an access request (Art. 12(5)(a): a fee only
      for a manifestly unfounded or excessive request; Art. 15(3): further copies).
    """
    own = assessed["role"] == "controller"
    refused = own & assessed["outcome"].eq("refused").fillna(False).astype(bool)
    ground = assessed["ground"]
    art12_5 = ground.isin(["manifestly_unfounded", "manifestly_excessive"]).fillna(False)
    fee = own & assessed["fee_paid"].notna()
    copies = ground.eq("further_copies").fillna(False) & (assessed["type"] == "access")
    late = assessed["refusal_unextended"] & (assessed["status"] == "late")
    return {
        "refusal_after_one_month": late.astype(bool),
        "refusal_reason_missing": ((refused | (fee & art12_5)) & ~assessed["reason_recorded"]),
        "fee_without_ground": (fee & ~art12_5 & ~copies).astype(bool),
    }


def _refusal_findings(
    assessed: pd.DataFrame, threshold: int, shown: Mapping[str, Label]
) -> list[Finding]:
    """The refusal and fee findings of :func:`requests_findings` (Art. 12(4), 12(5))."""
    faults = refusal_faults(assessed)
    texts = {
        "refusal_after_one_month": (
            "medium",
            "GDPR Art. 12(4); EDPB Guidelines 01/2022 para. 191",
            "refused after the first month of an extension",
            "The reasons for not acting on a request are due within one month of receipt "
            "under the EU GDPR (and the UK GDPR before 5 February 2026): an extension "
            "covers the answer, not a refusal. Counted late against the one-month date.",
        ),
        "refusal_reason_missing": (
            "medium",
            "Art. 12(4); Art. 12(5)",
            "refused, or charged a fee, with no reason recorded",
            "The requester must be told why a request is refused, and the controller must "
            "be able to show why a request was manifestly unfounded or excessive: record "
            "the reason in refusal_reason.",
        ),
        "fee_without_ground": (
            "medium",
            "Art. 12(5)(a); Art. 15(3)",
            "charged a fee with no ground recorded",
            "A request is free: a fee may be charged only for a manifestly unfounded or "
            "excessive request (Art. 12(5)), or for further copies of an access request's "
            "answer (Art. 15(3)). Record the ground in fee_or_refusal_ground.",
        ),
    }
    found: list[Finding] = []
    for code, (severity, rule, subject, detail) in texts.items():
        count = int(faults[code].sum())
        if count:
            found.append(
                Finding(
                    TOPIC,
                    code,
                    severity,
                    rule,
                    _plural(count, threshold, "request", shown.get(code)) + " " + subject,
                    detail,
                )
            )
    return found


def ran_on(assessed: pd.DataFrame) -> pd.Series:
    """Controller requests on which clarification was sought but the clock ran on."""
    own = assessed["role"] == "controller"
    return own & assessed["clarification_asked"].notna() & ~assessed["clock_paused"]


def blanket(assessed: pd.DataFrame) -> tuple[int, int]:
    """Of the requests whose clock a clarification may stop (UK access requests from
    the dates in ``CLARIFICATION_PAUSES``), how many had it asked the day they arrived,
    and how many there are."""
    own = assessed[assessed["role"] == "controller"]
    may = pause_basis(own["type"], own["jurisdiction"].str[:2], own["received"]).notna()
    return int((may & own["clarification_same_day"]).sum()), int(may.sum())


def _clarification_findings(
    assessed: pd.DataFrame, threshold: int, shown: Mapping[str, Label]
) -> list[Finding]:
    """The two clarification findings of :func:`requests_findings` (UK GDPR Art. 12A)."""
    found: list[Finding] = []
    ran = int(ran_on(assessed).sum())
    if ran:
        found.append(
            Finding(
                TOPIC,
                "clarification_no_pause",
                "low",
                "UK GDPR Art. 12A; GDPR Art. 12(3), recital 63",
                _plural(ran, threshold, "request", shown.get("clarification_no_pause"))
                + " clarified where the clock does not stop",
                "Asking for clarification stops the clock only on a UK access request; on "
                "these (other rights, or the EU office) the month ran on while the "
                "organisation waited, and they are judged so.",
            )
        )
    same_day, may = blanket(assessed)
    if same_day and same_day * 2 > may:
        found.append(
            Finding(
                TOPIC,
                "clarification_blanket",
                "medium",
                "UK GDPR Art. 12A; ICO Right of access guidance",
                "Clarification asked on the day of receipt on "
                + _plural(
                    same_day, threshold, "access request", shown.get("clarification_blanket")
                ),
                "On most access requests the clock was stopped the day they arrived. The "
                "ICO warns against seeking clarification on a blanket basis: only where it "
                "is genuinely needed to find the information asked for.",
            )
        )
    return found


def follow_up(assessed: pd.DataFrame) -> pd.DataFrame:
    """The requests behind the findings, by id: for the DPO's own follow-up only.

    Never show this in a shareable report: the notebook shows it in a cell tagged
    ``internal``, whose output the report renderer drops.
    """
    columns = ["finding", "request_id", "type", "office", "received", "due", "detail"]
    rows: list[tuple[Any, ...]] = []

    def day(value: Any) -> str:
        return "" if pd.isna(value) else str(pd.Timestamp(value).date())

    same_day, may = blanket(assessed)
    blanket_found = bool(same_day) and same_day * 2 > may
    faults = refusal_faults(assessed)
    for code, hit in faults.items():
        for r in assessed[hit.to_numpy()].to_dict("records"):
            base = (r["request_id"], r["type"], r["office"], day(r["received"]))
            ground = r["ground"] if pd.notna(r["ground"]) else "no ground"
            rows.append((code, *base, day(r["due_date"]), f"{r['outcome']}; {ground}"))
    for r in assessed.to_dict("records"):
        base = (r["request_id"], r["type"], r["office"], day(r["received"]))
        if r["status"] == "overdue":
            rows.append(
                ("request_overdue", *base, day(r["due_date"]), f"{r['days_overdue']} days overdue")
            )
        if r["status"] == "late":
            rows.append(("request_late", *base, day(r["due_date"]), f"{r['days_late']} days late"))
        if r["extension"] in ("notified_late", "not_notified"):
            told = f"told {day(r['notified'])}" if pd.notna(r["notified"]) else "never told"
            rows.append(
                ("extension_not_notified", *base, day(r["due_one_month"]), f"extension {told}")
            )
        if r["role"] == "controller" and pd.notna(r["clarification_asked"]):
            if not r["clock_paused"]:
                asked = day(r["clarification_asked"])
                rows.append(("clarification_no_pause", *base, day(r["due_date"]), f"asked {asked}"))
            elif r["clarification_same_day"] and blanket_found:
                rows.append(
                    (
                        "clarification_blanket",
                        *base,
                        day(r["due_date"]),
                        f"clock stopped {r['days_paused']} days from receipt",
                    )
                )
        if r["portability_ok"] is False:
            fmt = r["portability_format"] if pd.notna(r["portability_format"]) else "no format"
            rows.append(("portability_format", *base, "", f"answered in {fmt}"))
        if r["forward_status"] in ("late", "overdue"):
            used = r["forward_working_days"]
            text = f"passed on after {used} working days" if pd.notna(used) else "not passed on"
            rows.append((f"forwarding_{r['forward_status']}", *base, day(r["forward_due"]), text))
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["finding", "request_id"], kind="stable").reset_index(drop=True)


def metrics(assessed: pd.DataFrame) -> dict[str, float]:
    """The request metrics the policy claims are checked against, exact (not for print);
    their names are declared in ``juro_privacy.workbook.schemas.METRICS``.

    ``on_time_rate``: answered on time over requests judged (on time, late or overdue);
    ``forwarding_on_time_rate``: passed on within the target over processor-role
    requests judged (passed on, or overdue). NaN when nothing was judged.
    """
    status = assessed["status"].value_counts()
    judged = status.get("on_time", 0) + status.get("late", 0) + status.get("overdue", 0)
    forward = assessed["forward_status"].value_counts()
    passed = forward.get("on_time", 0) + forward.get("late", 0) + forward.get("overdue", 0)
    wrong = int(assessed["portability_ok"].eq(False).fillna(False).sum())
    return {
        "requests.on_time_rate": status.get("on_time", 0) / judged if judged else float("nan"),
        "requests.portability_wrong_format_count": float(wrong),
        "requests.forwarding_on_time_rate": (
            forward.get("on_time", 0) / passed if passed else float("nan")
        ),
    }
