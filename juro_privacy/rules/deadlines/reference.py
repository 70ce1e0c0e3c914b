"""When a reply to a data-subject request is due.

One rule, written twice: :func:`due_date` judges one request in plain Python and is
the reference; :func:`due_dates` judges a column of requests with numpy arithmetic
and a cached working-day calendar, and must agree with :func:`due_date` on every row
(the tests check both against each other on random dates).

The rule, step by step (``docs/deadlines.md`` explains it for a DPO):

1. The clock starts on the office's local calendar date on which the request was
   received or, when identity had to be verified or the request clarified, on
   which that arrived. That day is day one.
2. The reply is due on the corresponding date of the next month (three months with
   an extension); when that month is too short, on its last day. Under the
   optional ``"28-day"`` rule, 28 days after the start instead.
3. A due date on a Saturday, Sunday or public holiday of the office moves to the
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
    rule: str = "calendar-month",
) -> dt.date:
    """The date by which a data-subject request must be answered.

    UK GDPR / GDPR Art. 12(3): "without undue delay and in any event within one month
    of receipt", extendable "by two further months"; ICO guidance "Time limits for
    responding" for how the month is counted. ``verified`` is the day identity was
    confirmed or clarification arrived (ICO: the clock starts then); ``None`` or NaT
    means the request needed neither. Raises :class:`DeadlineError` for a missing or
    unreadable date, ``verified`` before ``received``, an unknown jurisdiction or rule.
    """
    office = jurisdiction_of(jurisdiction)
    check_rule(rule)
    if not isinstance(extended, bool | np.bool_):
        raise DeadlineError(f"extended must be True or False, not {extended!r}")
    start = local_date(received, office, "received")
    if verified is not None and not is_missing(verified):
        confirmed = local_date(verified, office, "verified")
        if confirmed < start:
            raise DeadlineError(
                f"verified ({confirmed.isoformat()}) is before received ({start.isoformat()})"
            )
        start = confirmed
    if start.year not in YEARS:
        raise DeadlineError(f"{start.isoformat()} is outside {YEARS[0]}-{YEARS[-1]}")
    if extended:
        unadjusted = _add_months(start, EXTENSION_MONTHS)
    elif rule == "28-day":
        unadjusted = _add_fixed_period(start)
    else:
        unadjusted = _add_months(start, BASE_MONTHS)
    return _next_working_day(unadjusted, office)


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
