"""When a reply to a data-subject request is due.

One rule, written twice: :func:`due_date` judges one request in plain Python and is
the reference; :func:`due_dates` judges a column of requests with numpy arithmetic
and a cached working-day calendar, and must agree with :func:`due_date` on every row
(the tests check both against each other on random dates).

The rule, step by step (``docs/deadlines.md`` explains it for a DPO):

1. The clock starts on the office's local calendar date of the "relevant time": the
   latest of receipt, receipt of the identity information asked for, and payment of a
   fee (UK GDPR Art. 12A, in force 5 February 2026, DUAA 2025 s. 76, SI 2026/82
   reg. 2(h); for the EU GDPR, Art. 12(3) and 12(6), recital 64, as the ICO and the
   EDPB read it). That day is day one.
2. The reply is due on the corresponding date of the next month (three months with
   an extension); when that month is too short, on its last day. Under the
   optional ``"28-day"`` rule, 28 days after the start instead.
3. Where clarification stops the clock (``clarification``), the days from asking to
   receiving the answer, both included, do not count: they are added to that date
   (UK GDPR Art. 12A; the requests layer decides when the pause applies).
4. A due date on a Saturday, Sunday or public holiday of the office moves to the
   next working day.

Where the pieces live (each public name is importable from the package): the offices'
calendars, holidays and the periods in :mod:`deadlines.calendars`; reading a date on
an office's clock in :mod:`deadlines.local_dates`; :func:`due_dates` in
:mod:`deadlines.columns`; :func:`working_days_between` and :func:`add_working_days`
in :mod:`deadlines.working_days`. This module holds :func:`due_date`, the reference.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TypeAlias

import numpy as np

from juro_privacy.errors import DeadlineError
from juro_privacy.rules.deadlines.calendars import (
    BASE_MONTHS,
    EXTENSION_MONTHS,
    FIXED_PERIOD_DAYS,
    YEARS,
    Jurisdiction,
    check_rule,
    holiday_dates,
    jurisdiction_of,
)
from juro_privacy.rules.deadlines.local_dates import is_missing, local_date

__all__ = ["due_date"]

DateLike: TypeAlias = dt.date | str | np.datetime64
"""A request date: a date, a naive (local) or tz-aware datetime/Timestamp, an ISO string."""


# --- the rules, one request at a time (the reference) --------------------------------


def due_date(
    received: DateLike,
    *,
    verified: DateLike | None = None,
    extended: bool = False,
    jurisdiction: str = "GB-ENG",
    clarification: tuple[DateLike, DateLike] | None = None,
    fee_paid_on: DateLike | None = None,
    rule: str = "calendar-month",
) -> dt.date:
    """The date by which a data-subject request must be answered.

    UK GDPR Art. 12(3) and 12A (from 5 February 2026; DUAA 2025 s. 76, SI 2026/82) and
    GDPR Art. 12(3): "within one month", extendable "by two further months"; ICO "Time
    limits for responding" for how the month is counted. The month runs from the
    latest of ``received``, ``verified`` (the identity information asked for arrived)
    and ``fee_paid_on`` (Art. 12A, "the relevant time"); ``None`` or NaT means not needed.
    ``clarification`` is ``(asked_on, answered_on)``: those days, both included, do not
    count (Art. 12A; wording read in its law-enforcement twin, DPA 2018 s. 54(3C):
    "the period beginning with the day on which the controller makes the request and
    ending with the day on which the controller receives the information"); it is
    applied whenever given, so the caller decides when the law allows a pause. The
    extension notice deadline is the one-month date of the same
    call, so it moves with the pause too (s. 54(3C)(b)(ii) likewise). Raises
    :class:`DeadlineError` for a missing or unreadable date, ``verified`` or
    ``fee_paid_on`` before ``received``, clarification asked before ``received`` or
    answered before it was asked, an unknown jurisdiction or rule.
    """
    office = jurisdiction_of(jurisdiction)
    check_rule(rule)
    if not isinstance(extended, bool | np.bool_):
        raise DeadlineError(f"extended must be True or False, not {extended!r}")
    arrived = local_date(received, office, "received")
    start = arrived
    for name, value in (("verified", verified), ("fee_paid_on", fee_paid_on)):
        if value is not None and not is_missing(value):
            later = local_date(value, office, name)
            if later < arrived:
                raise DeadlineError(
                    f"{name} ({later.isoformat()}) is before received ({arrived.isoformat()})"
                )
            start = max(start, later)
    paused = _paused_days(clarification, arrived, office)
    if start.year not in YEARS:
        raise DeadlineError(f"{start.isoformat()} is outside {YEARS[0]}-{YEARS[-1]}")
    if extended:
        unadjusted = _add_months(start, EXTENSION_MONTHS)
    elif rule == "28-day":
        unadjusted = _add_fixed_period(start)
    else:
        unadjusted = _add_months(start, BASE_MONTHS)
    return _next_working_day(unadjusted + dt.timedelta(days=paused), office)


def _paused_days(
    clarification: tuple[DateLike, DateLike] | None, arrived: dt.date, office: Jurisdiction
) -> int:
    """How many days the clock stood still: asking to answer, both days included.

    UK GDPR Art. 12A (as DPA 2018 s. 54(3C) words it): the period "beginning with the
    day on which the controller makes the request and ending with the day on which the
    controller receives the
    information" does not count. 0 when ``clarification`` is ``None``.
    """
    if clarification is None:
        return 0
    if not isinstance(clarification, tuple) or len(clarification) != 2:
        raise DeadlineError(f"clarification must be (asked_on, answered_on), not {clarification!r}")
    asked_on, answered_on = clarification
    if is_missing(asked_on) or is_missing(answered_on):
        raise DeadlineError(
            "clarification needs both days (asked_on, answered_on): a pause still running "
            "has no end yet, pass the day the request is judged as of"
        )
    asked = local_date(asked_on, office, "clarification asked")
    answered = local_date(answered_on, office, "clarification answered")
    if asked < arrived:
        raise DeadlineError(
            f"clarification asked ({asked.isoformat()}) before received ({arrived.isoformat()})"
        )
    if answered < asked:
        raise DeadlineError(
            f"clarification answered ({answered.isoformat()}) before it was asked "
            f"({asked.isoformat()})"
        )
    return (answered - asked).days + 1


def _add_months(start: dt.date, months: int) -> dt.date:
    """The corresponding date ``months`` later, or that month's last day if it has none.

    ICO "Time limits for responding": day of receipt is day one, due on "the
    corresponding calendar date in the next month"; "if the following month is shorter
    (and there is no corresponding calendar date), the date for response is the last day
    of the following month". Regulation (EEC, Euratom) No 1182/71 Art. 3(1) and 3(2)(c)
    gives the same date for LV. The extension (Art. 12(3)) counts three months from the
    start in one step, never one month and then two.
    """
    years, month0 = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month0 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _add_fixed_period(start: dt.date) -> dt.date:
    """The start plus 28 days: the ICO's optional fixed period.

    ICO "Time limits for responding": "if a consistent number of days is required (eg
    for operational or system purposes), it may be helpful to adopt a 28-day period to
    ensure compliance is always within a calendar month". 28 days is the shortest gap
    :func:`_add_months` can give (1 February -> 1 March), so this date is never after the
    calendar-month one.
    """
    return start + dt.timedelta(days=FIXED_PERIOD_DAYS)


def _next_working_day(day: dt.date, office: Jurisdiction) -> dt.date:
    """``day`` itself, or the first day after it that is no weekend or public holiday.

    ICO "Time limits for responding": "if the corresponding date falls on a weekend or a
    public holiday, you have until the next working day to respond"; for LV, Regulation
    (EEC, Euratom) No 1182/71 Art. 3(4). Saturday and Sunday never count as working
    days, not even a Saturday a Latvian Cabinet order makes a working day (Art. 3(4)
    names Saturday).
    """
    while day.weekday() >= 5 or day in holiday_dates(office.code, day.year):
        day += dt.timedelta(days=1)
    return day
