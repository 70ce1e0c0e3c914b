"""When replies are due, for a whole column of data-subject requests at once.

:func:`due_dates` is :func:`~deadlines.reference.due_date` (the reference) done with
numpy arithmetic and a cached working-day calendar: UK GDPR / GDPR Art. 12(3), "within
one month of receipt", extendable "by two further months", counted as ICO guidance "Time
limits for responding" says (the steps are listed in :mod:`deadlines.reference`). It
must agree with :func:`~deadlines.reference.due_date` on every row (the tests check
both against each other on random dates).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import pandas as pd

from juro_privacy.errors import DeadlineError
from juro_privacy.rules.deadlines.calendars import (
    BASE_MONTHS,
    CODES,
    EPOCH,
    EXTENSION_MONTHS,
    FIRST_DAY,
    FIXED_PERIOD_DAYS,
    LAST_DAY,
    NS_PER_DAY,
    YEARS,
    Days,
    Flags,
    check_rule,
    decades_of,
    working_calendar,
    year_index,
)
from juro_privacy.rules.deadlines.local_dates import (
    Offices,
    check_aligned,
    local_days,
    offices_of,
    row_count,
)

__all__ = ["due_dates"]


def due_dates(
    received: pd.Series,
    *,
    verified: pd.Series | None = None,
    extended: pd.Series | None = None,
    jurisdiction: str | pd.Series = "GB-ENG",
    clarification: tuple[pd.Series, pd.Series] | None = None,
    fee_paid_on: pd.Series | None = None,
    rule: str = "calendar-month",
) -> pd.Series:
    """:func:`~deadlines.reference.due_date` for every row: a ``datetime64[ns]`` Series
    of midnights.

    UK GDPR Art. 12(3) and 12A, GDPR Art. 12(3), ICO "Time limits for responding", as in
    :func:`~deadlines.reference.due_date`. Each value is the office's local calendar
    date at 00:00, naive, on ``received``'s index, named ``due_date``. ``verified``,
    ``fee_paid_on``, ``extended``, both columns of ``clarification`` (asked, answered)
    and a Series ``jurisdiction`` must share ``received``'s index; NaT in ``verified``
    or ``fee_paid_on`` means not needed, NaT in both clarification columns means no
    pause. Raises :class:`DeadlineError` naming how many rows and which index labels
    are wrong. Columns of dates, datetime64 (naive or tz-aware) or ISO strings are
    converted without a per-row loop; only an object column mixing time zones falls
    back to one.
    """
    if not isinstance(received, pd.Series):
        raise DeadlineError(f"received must be a pandas Series, not {type(received).__name__}")
    check_rule(rule)
    index = received.index
    offices = offices_of(jurisdiction, index)
    arrived, missing = local_days(received, offices, "received")
    if missing.any():
        raise DeadlineError(f"received date is missing in {row_count(index, missing)}")
    start = arrived.copy()
    for name, values in (("verified", verified), ("fee_paid_on", fee_paid_on)):
        if values is None:
            continue
        check_aligned(values, index, name)
        later, absent = local_days(values, offices, name)
        early = (later < arrived) & ~absent
        if early.any():
            raise DeadlineError(f"{name} is before received in {row_count(index, early)}")
        np.maximum(start, later, out=start)  # a missing day is below every real one
    paused = _paused_days(clarification, arrived, offices, index)
    if start.size == 0:
        return pd.Series([], index=index, name="due_date", dtype="datetime64[ns]")
    first, last = int(start.min()), int(start.max())
    if first < FIRST_DAY or last > LAST_DAY:
        odd = (start < FIRST_DAY) | (start > LAST_DAY)
        raise DeadlineError(
            f"received, verified or fee_paid_on is outside {YEARS[0]}-{YEARS[-1]} in "
            f"{row_count(index, odd)}"
        )
    longer = _extended_flags(extended, index)
    stopped = paused > 0
    kept = start[stopped]
    due = _look_up_due(start, decades_of(first, last), longer, offices, rule)
    if stopped.any():
        due[stopped] = _paused_due(kept, paused[stopped], stopped, longer, offices, rule)
    return pd.Series(due.view("datetime64[ns]"), index=index, name="due_date", copy=False)


def _paused_days(
    clarification: tuple[pd.Series, pd.Series] | None,
    arrived: Days,
    offices: Offices,
    index: pd.Index,
) -> Days:
    """Per row, the days the clock stood still (asked to answered, both included; 0 for
    none): :func:`~deadlines.reference._paused_days` on columns (UK GDPR Art. 12A)."""
    none = np.zeros(arrived.size, dtype=np.int64)
    if clarification is None:
        return none
    if not isinstance(clarification, tuple) or len(clarification) != 2:
        raise DeadlineError("clarification must be a pair of columns (asked, answered)")
    asked_col, answered_col = clarification
    check_aligned(asked_col, index, "clarification asked")
    check_aligned(answered_col, index, "clarification answered")
    asked, no_ask = local_days(asked_col, offices, "clarification asked")
    answered, no_answer = local_days(answered_col, offices, "clarification answered")
    half = no_ask != no_answer
    if half.any():
        raise DeadlineError(
            f"clarification needs both days (asked, answered) in {row_count(index, half)}"
        )
    given = ~no_ask
    early = given & (asked < arrived)
    if early.any():
        raise DeadlineError(f"clarification asked before received in {row_count(index, early)}")
    backwards = given & (answered < asked)
    if backwards.any():
        raise DeadlineError(
            f"clarification answered before it was asked in {row_count(index, backwards)}"
        )
    none[given] = answered[given] - asked[given] + 1
    return none


def _paused_due(
    start: Days,
    paused: Days,
    rows: Flags,
    longer: Flags | None,
    offices: Offices,
    rule: str,
) -> Days:
    """The due dates (ns since 1970-01-01) of the ``rows`` whose clock stood still:
    the month's end (:func:`_add_months_days`, or 28 days) plus the days paused, then
    rolled to a working day (:func:`_roll_forward`), as
    :func:`~deadlines.reference.due_date` does (UK GDPR Art. 12A)."""
    extended = np.zeros(start.size, dtype=np.bool_) if longer is None else longer[rows]
    base = start + FIXED_PERIOD_DAYS if rule == "28-day" else _add_months_days(start, BASE_MONTHS)
    unadjusted = np.where(extended, _add_months_days(start, EXTENSION_MONTHS), base) + paused
    if offices.codes is None:
        codes = np.full(start.size, offices.present[0], dtype=np.int8)
    else:
        codes = offices.codes[rows]
    due = np.empty(start.size, dtype=np.int64)
    for k in np.unique(codes):
        mine = codes == k
        due[mine] = _roll_forward(unadjusted[mine], CODES[int(k)])
    out: Days = due * NS_PER_DAY
    return out


def _extended_flags(extended: pd.Series | None, index: pd.Index) -> Flags | None:
    """The ``extended`` column as booleans; missing or non-boolean values are refused."""
    if extended is None:
        return None
    check_aligned(extended, index, "extended")
    if extended.dtype == np.bool_:
        flags: Flags = extended.to_numpy()
        return flags
    missing = extended.isna().to_numpy()
    if missing.any():
        raise DeadlineError(f"extended is missing in {row_count(index, missing)}")
    wrong = ~extended.isin([True, False]).to_numpy()
    if wrong.any():
        raise DeadlineError(f"extended is not True or False in {row_count(index, wrong)}")
    return extended.to_numpy(dtype=np.bool_)


def _look_up_due(
    start: Days, years: tuple[int, int], longer: Flags | None, offices: Offices, rule: str
) -> Days:
    """Each row's due date (ns since 1970-01-01), read from :func:`_due_table` for
    ``years`` (the first and last, which cover every start day). ``start`` is reused.
    """
    first_year, last_year = years
    position = start
    position -= dt.date(first_year, 1, 1).toordinal() - EPOCH
    if offices.codes is None and longer is None:  # one jurisdiction, none extended
        code = CODES[offices.present[0]]
        due: Days = _due_table(code, rule, first_year, last_year).take(position)
        return due
    table = _joint_table(offices.present, rule, first_year, last_year)
    # The table holds, for each start day, 2 x jurisdictions due dates side by side:
    # which one a row reads is 2 x (its jurisdiction among those present) + extended.
    if offices.codes is None:
        column = np.zeros(position.size, dtype=np.int8)
    else:
        slot = np.zeros(len(CODES), dtype=np.int8)
        slot[list(offices.present)] = np.arange(len(offices.present)) * 2
        column = slot.take(offices.codes)
    if longer is not None:
        column += longer
    position *= 2 * len(offices.present)
    position += column
    due = table.take(position)
    return due


@lru_cache(maxsize=64)
def _joint_table(present: tuple[int, ...], rule: str, first_year: int, last_year: int) -> Days:
    """The :func:`_due_table` of each jurisdiction in ``present``, interleaved day by day.

    Row ``i`` of the result (read as a matrix) holds, for the ``i``-th day of the range,
    the due dates without and with extension in each jurisdiction. Read-only.
    """
    tables = [_due_table(CODES[k], rule, first_year, last_year) for k in present]
    span = tables[0].size // 2
    columns = [part for table in tables for part in (table[:span], table[span:])]
    joint: Days = np.stack(columns, axis=1).ravel()
    joint.flags.writeable = False
    return joint


@lru_cache(maxsize=64)
def _due_table(code: str, rule: str, first_year: int, last_year: int) -> Days:
    """The due date (ns since 1970-01-01) for every start day from 1 January
    ``first_year`` to 31 December ``last_year`` in ``code``: without, then with extension.

    The rules of :func:`~deadlines.reference.due_date` on arrays (:func:`_add_months_days`,
    :func:`_roll_forward`), computed once per range so that a column of any length
    costs one look-up per row. Read-only.
    """
    lowest = dt.date(first_year, 1, 1).toordinal() - EPOCH
    highest = dt.date(last_year, 12, 31).toordinal() - EPOCH
    starts = np.arange(lowest, highest + 1, dtype=np.int64)
    one_month = _add_months_days(starts, BASE_MONTHS)
    base = starts + FIXED_PERIOD_DAYS if rule == "28-day" else one_month
    unadjusted = np.concatenate([base, _add_months_days(starts, EXTENSION_MONTHS)])
    table: Days = _roll_forward(unadjusted, code) * NS_PER_DAY
    table.flags.writeable = False
    return table


def _add_months_days(start: Days, months: int) -> Days:
    """:func:`~deadlines.reference._add_months` on arrays: the corresponding date,
    clamped to the month's end.

    ICO "Time limits for responding"; Regulation (EEC, Euratom) No 1182/71 Art. 3(2)(c).
    """
    day = start.astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    offset = (day - month.astype("datetime64[D]")).astype(np.int64)  # day of month - 1
    target = month + months
    first = target.astype("datetime64[D]").astype(np.int64)
    length = (target + 1).astype("datetime64[D]").astype(np.int64) - first
    shifted: Days = first + np.minimum(offset, length - 1)
    return shifted


def _roll_forward(days: Days, code: str) -> Days:
    """:func:`~deadlines.reference._next_working_day` on arrays: each day, or the next
    working day after it.

    ICO "Time limits for responding"; Regulation (EEC, Euratom) No 1182/71 Art. 3(4).
    """
    first_year = year_index(int(days.min()))
    last_year = year_index(int(days.max())) + 1  # room to roll 31 December forward
    lowest = dt.date(first_year, 1, 1).toordinal() - EPOCH
    rolled: Days = working_calendar(code, first_year, last_year)[days - lowest]
    return rolled
