"""Working days: how many fall between two dates, and the n-th after one, per row.

A working day is one a deadline may end on: not a Saturday, Sunday or public holiday of
the office (ICO guidance "Time limits for responding"; Regulation (EEC, Euratom) No
1182/71 Art. 3(4)), from the same holiday calendars as the UK GDPR / GDPR Art. 12(3)
deadlines of :mod:`deadlines.reference`. The requests report uses them for turnaround
in working days and for the target for passing a request on to a customer.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from juro_privacy.errors import DeadlineError
from juro_privacy.rules.deadlines.calendars import (
    CODES,
    EPOCH,
    FIRST_DAY,
    LAST_DAY,
    NS_PER_DAY,
    YEARS,
    Days,
    Flags,
    decades_of,
    working_count,
)
from juro_privacy.rules.deadlines.local_dates import (
    Offices,
    check_aligned,
    local_days,
    offices_of,
    row_count,
)

__all__ = ["add_working_days", "working_days_between"]


def working_days_between(
    start: pd.Series, end: pd.Series, *, jurisdiction: str | pd.Series = "GB-ENG"
) -> pd.Series:
    """How many working days fall after ``start`` and on or before ``end``, per row.

    Working days are the days :func:`~deadlines.reference.due_date` may end on: not a
    Saturday, Sunday or public holiday of the row's jurisdiction (ICO "Time limits for
    responding"; Regulation (EEC, Euratom) No 1182/71 Art. 3(4)), from the same holiday
    calendars. The start day does not count and the end day does: received Friday,
    passed on Monday is 1 working day; the same day is 0; an end before the start
    counts backwards (negative). Dates are read as
    :func:`~deadlines.columns.due_dates` reads them (tz-aware values on the
    office's clock). A missing start or end gives ``<NA>``. Returns an
    ``Int64`` Series on ``start``'s index named ``working_days``.
    """
    if not isinstance(start, pd.Series):
        raise DeadlineError(f"start must be a pandas Series, not {type(start).__name__}")
    check_aligned(end, start.index, "end")
    offices = offices_of(jurisdiction, start.index)
    first, gone_first = local_days(start, offices, "start")
    last, gone_last = local_days(end, offices, "end")
    missing = gone_first | gone_last
    out = np.zeros(start.size, dtype=np.int64)
    known = ~missing
    if known.any():
        low = int(min(first[known].min(), last[known].min()))
        high = int(max(first[known].max(), last[known].max()))
        years = _checked_years(low, high, start.index, first, last, known)
        for code, rows in _rows_by_code(offices, start.size, known):
            count = working_count(code, *years)
            base = dt.date(years[0], 1, 1).toordinal() - EPOCH
            out[rows] = count[last[rows] - base] - count[first[rows] - base]
    result = pd.Series(out, index=start.index, name="working_days", dtype="Int64")
    result[missing] = pd.NA
    return result


def add_working_days(
    start: pd.Series, days: int, *, jurisdiction: str | pd.Series = "GB-ENG"
) -> pd.Series:
    """The ``days``-th working day after ``start`` (``days`` >= 0), per row.

    The inverse of :func:`working_days_between`: ``working_days_between(start,
    add_working_days(start, n)) == n``, and the result is the first such day. With
    ``days=0`` the start day itself, even if it is not a working day. Working days as
    in :func:`working_days_between`. Returns ``datetime64[ns]`` midnights (the
    office's local dates, as :func:`~deadlines.columns.due_dates`) on ``start``'s
    index, named ``working_day``; NaT where ``start`` is missing.
    """
    if isinstance(days, bool) or not isinstance(days, int | np.integer) or days < 0:
        raise DeadlineError(f"days must be a whole number >= 0, not {days!r}")
    if not isinstance(start, pd.Series):
        raise DeadlineError(f"start must be a pandas Series, not {type(start).__name__}")
    offices = offices_of(jurisdiction, start.index)
    first, missing = local_days(start, offices, "start")
    out = np.zeros(start.size, dtype=np.int64)
    known = ~missing
    if known.any() and days == 0:
        out[known] = first[known]
    elif known.any():
        low, high = int(first[known].min()), int(first[known].max())
        first_year, last_year = _checked_years(low, high, start.index, first, first, known)
        years = (first_year, last_year + 1 + int(days) // 200)  # room for the days added
        for code, rows in _rows_by_code(offices, start.size, known):
            count = working_count(code, *years)
            base = dt.date(years[0], 1, 1).toordinal() - EPOCH
            wanted = count[first[rows] - base] + int(days)
            out[rows] = np.searchsorted(count, wanted, side="left") + base
    result = pd.Series(
        (out * NS_PER_DAY).view("datetime64[ns]"), index=start.index, name="working_day"
    )
    result[missing] = pd.NaT
    return result


def _checked_years(
    low: int, high: int, index: pd.Index, first: Days, last: Days, known: Flags
) -> tuple[int, int]:
    """The decades around days ``low`` to ``high``, or :class:`DeadlineError` naming the
    rows outside :data:`YEARS`."""
    if low < FIRST_DAY or high > LAST_DAY:
        odd = known & (
            (first < FIRST_DAY) | (first > LAST_DAY) | (last < FIRST_DAY) | (last > LAST_DAY)
        )
        raise DeadlineError(f"a date is outside {YEARS[0]}-{YEARS[-1]} in {row_count(index, odd)}")
    return decades_of(low, high)


def _rows_by_code(offices: Offices, size: int, known: Flags) -> list[tuple[str, Flags]]:
    """Each jurisdiction in use and the known rows that follow it."""
    if offices.codes is None:
        return [(CODES[offices.present[0]], known)]
    return [(CODES[k], known & (offices.codes == k)) for k in offices.present]
