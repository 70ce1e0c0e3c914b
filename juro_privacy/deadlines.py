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
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Final, TypeAlias
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from juro_privacy.errors import DeadlineError, first_ids

__all__ = [
    "EXTENSION_MONTHS",
    "FIXED_PERIOD_DAYS",
    "JURISDICTIONS",
    "RULES",
    "YEARS",
    "Jurisdiction",
    "add_working_days",
    "due_date",
    "due_dates",
    "working_days_between",
]

DateLike: TypeAlias = dt.date | str | np.datetime64
"""A request date: a date, a naive (local) or tz-aware datetime/Timestamp, an ISO string."""

Days: TypeAlias = npt.NDArray[np.int64]
"""Dates as whole days since 1970-01-01."""

Flags: TypeAlias = npt.NDArray[np.bool_]
Codes: TypeAlias = npt.NDArray[np.int8]


@dataclass(frozen=True)
class Jurisdiction:
    """An office's calendar: whose public holidays apply and which clock tells the date."""

    code: str
    country: str
    subdiv: str | None
    timezone: str
    source: str


JURISDICTIONS: Final[Mapping[str, Jurisdiction]] = MappingProxyType(
    {
        j.code: j
        for j in (
            Jurisdiction(
                "GB-ENG",
                "GB",
                "ENG",
                "Europe/London",
                "England and Wales bank holidays (Banking and Financial Dealings Act 1971, "
                "Sch. 1, and royal proclamations)",
            ),
            Jurisdiction(
                "GB-SCT",
                "GB",
                "SCT",
                "Europe/London",
                "Scotland bank holidays (Banking and Financial Dealings Act 1971, Sch. 1, "
                "St Andrew's Day Bank Holiday (Scotland) Act 2007)",
            ),
            Jurisdiction(
                "GB-NIR",
                "GB",
                "NIR",
                "Europe/London",
                "Northern Ireland bank and public holidays (Banking and Financial Dealings "
                "Act 1971, Sch. 1, and royal proclamations)",
            ),
            Jurisdiction(
                "LV",
                "LV",
                None,
                "Europe/Riga",
                "Latvian public holidays and transferred days off (Law on Public Holidays, "
                "Remembrance Days and Celebration Days; Cabinet orders)",
            ),
        )
    }
)
"""The offices' jurisdictions; holidays come from the ``holidays`` package."""

RULES: Final = ("calendar-month", "28-day")
"""``calendar-month``: the legal rule. ``28-day``: the ICO's optional fixed period."""

BASE_MONTHS: Final = 1
EXTENSION_MONTHS: Final = 3
FIXED_PERIOD_DAYS: Final = 28
YEARS: Final = range(1900, 2200)
"""Years a start date may fall in; anything else is taken for a typo and refused."""

_CODES: Final = tuple(JURISDICTIONS)
_EPOCH: Final = dt.date(1970, 1, 1).toordinal()
_NS_PER_DAY: Final = 86_400 * 10**9
_HOUR_NS: Final = 3_600 * 10**9
_FIRST_DAY: Final = dt.date(YEARS[0], 1, 1).toordinal() - _EPOCH
_LAST_DAY: Final = dt.date(YEARS[-1], 12, 31).toordinal() - _EPOCH
_NO_DAY: Final = np.iinfo(np.int64).min  # a missing date: below every real day
_UNITS_PER_DAY: Final = {
    "D": 1,
    "h": 24,
    "m": 1_440,
    "s": 86_400,
    "ms": 86_400 * 10**3,
    "us": 86_400 * 10**6,
    "ns": _NS_PER_DAY,
}


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
    office = _jurisdiction(jurisdiction)
    _check_rule(rule)
    if not isinstance(extended, bool | np.bool_):
        raise DeadlineError(f"extended must be True or False, not {extended!r}")
    start = _local_date(received, office, "received")
    if verified is not None and not _is_missing(verified):
        confirmed = _local_date(verified, office, "verified")
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
    while day.weekday() >= 5 or day in _holiday_dates(office.code, day.year):
        day += dt.timedelta(days=1)
    return day


@lru_cache(maxsize=512)
def _holiday_dates(code: str, year: int) -> frozenset[dt.date]:
    """The public holidays of ``year`` in jurisdiction ``code``, substitute days included."""
    office = JURISDICTIONS[code]
    # Neighbouring years too, in case an observed day falls outside its holiday's year.
    found = holidays.country_holidays(
        office.country, subdiv=office.subdiv, years=range(year - 1, year + 2)
    )
    return frozenset(day for day in found if day.year == year)


def _jurisdiction(code: object) -> Jurisdiction:
    """The jurisdiction named by ``code``, or :class:`DeadlineError`."""
    if isinstance(code, str) and code in JURISDICTIONS:
        return JURISDICTIONS[code]
    raise DeadlineError(f"unknown jurisdiction {code!r}; known: {', '.join(_CODES)}")


def _check_rule(rule: object) -> None:
    """Refuse a counting rule other than those in :data:`RULES`."""
    if rule not in RULES:
        raise DeadlineError(f"unknown rule {rule!r}; use one of: {', '.join(RULES)}")


def _is_missing(value: object) -> bool:
    """True for None, NaT and NaN."""
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, np.datetime64) and bool(np.isnat(value))


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _local_date(value: object, office: Jurisdiction, name: str) -> dt.date:
    """The office's calendar date of ``value``.

    A date is taken as is, a naive datetime as the office's local time, a tz-aware one
    converted to the office's time zone first (ICO: the request is received when it
    arrives at the office, whatever day that is).
    """
    if _is_missing(value):
        raise DeadlineError(f"{name} date is missing")
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise DeadlineError(f"{name} is not an ISO date: {value!r}") from None
    elif isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime):
        if value.utcoffset() is not None:
            try:
                value = value.astimezone(_zone(office.timezone))
            except OverflowError:
                raise DeadlineError(f"{name} is out of range: {value!r}") from None
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise DeadlineError(
        f"{name} must be a date, a datetime or an ISO string, not {type(value).__name__}"
    )


# --- the same rules on whole columns -------------------------------------------------


def due_dates(
    received: pd.Series,
    *,
    verified: pd.Series | None = None,
    extended: pd.Series | None = None,
    jurisdiction: str | pd.Series = "GB-ENG",
    rule: str = "calendar-month",
) -> pd.Series:
    """:func:`due_date` for every row: a ``datetime64[ns]`` Series of midnights.

    UK GDPR / GDPR Art. 12(3) and ICO "Time limits for responding", as in
    :func:`due_date`. Each value is the office's local calendar date at 00:00, naive,
    on ``received``'s index, named ``due_date``. ``verified``, ``extended`` and a
    Series ``jurisdiction`` must share ``received``'s index; NaT in ``verified`` means
    not needed. Raises :class:`DeadlineError` naming how many rows and which index
    labels are wrong. Columns of dates, datetime64 (naive or tz-aware) or ISO strings
    are converted without a per-row loop; only an object column mixing time zones
    falls back to one.
    """
    if not isinstance(received, pd.Series):
        raise DeadlineError(f"received must be a pandas Series, not {type(received).__name__}")
    _check_rule(rule)
    index = received.index
    offices = _offices(jurisdiction, index)
    start, missing = _local_days(received, offices, "received")
    if missing.any():
        raise DeadlineError(f"received date is missing in {_rows(index, missing)}")
    if verified is not None:
        _check_aligned(verified, index, "verified")
        confirmed, unverified = _local_days(verified, offices, "verified")
        early = (confirmed < start) & ~unverified
        if early.any():
            raise DeadlineError(f"verified is before received in {_rows(index, early)}")
        np.maximum(start, confirmed, out=start)  # a missing day is below every real one
    if start.size == 0:
        return pd.Series([], index=index, name="due_date", dtype="datetime64[ns]")
    first, last = int(start.min()), int(start.max())
    if first < _FIRST_DAY or last > _LAST_DAY:
        odd = (start < _FIRST_DAY) | (start > _LAST_DAY)
        raise DeadlineError(
            f"received or verified is outside {YEARS[0]}-{YEARS[-1]} in {_rows(index, odd)}"
        )
    longer = _extended_flags(extended, index)
    due = _look_up_due(start, _decades(first, last), longer, offices, rule)
    return pd.Series(due.view("datetime64[ns]"), index=index, name="due_date", copy=False)


@dataclass(frozen=True)
class _Offices:
    """Whose calendar each row follows: positions in :data:`JURISDICTIONS`."""

    present: tuple[int, ...]
    codes: Codes | None  # one per row; None when every row is ``present[0]``

    def zones(self) -> tuple[list[str], Codes | None]:
        """The office time zones in use and each row's position among them."""
        zones = sorted({JURISDICTIONS[_CODES[k]].timezone for k in self.present})
        if len(zones) == 1 or self.codes is None:
            return zones, None
        zone_of = np.array(
            [zones.index(j.timezone) if j.timezone in zones else 0 for j in JURISDICTIONS.values()],
            dtype=np.int8,
        )
        return zones, zone_of.take(self.codes)

    def of_row(self, rows: int) -> list[Jurisdiction]:
        """Each row's jurisdiction, as a list (for the one-value-at-a-time path)."""
        if self.codes is None:
            return [JURISDICTIONS[_CODES[self.present[0]]]] * rows
        every = [JURISDICTIONS[c] for c in _CODES]
        return [every[k] for k in self.codes.tolist()]


def _offices(jurisdiction: object, index: pd.Index) -> _Offices:
    """Each row's jurisdiction from a code or a Series of codes, or :class:`DeadlineError`."""
    if not isinstance(jurisdiction, pd.Series):
        return _Offices((_CODES.index(_jurisdiction(jurisdiction).code),), None)
    _check_aligned(jurisdiction, index, "jurisdiction")
    dtype = jurisdiction.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        labels = jurisdiction.cat.codes.to_numpy()
        names = list(dtype.categories)
    elif isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        # Arrow finds each code in a handful of values faster than hashing every string.
        found = pc.index_in(pa.array(jurisdiction), value_set=pa.array(_CODES))
        labels = found.fill_null(-1).to_numpy()
        names = list(_CODES)
    else:
        labels, uniques = pd.factorize(jurisdiction)
        names = list(uniques)
    # The extra -1 at the end is where a missing value (label -1) lands.
    lookup = np.array([_CODES.index(n) if n in _CODES else -1 for n in names] + [-1], np.int8)
    codes = lookup.take(labels)
    unknown = codes < 0
    if unknown.any():
        shown = sorted({str(v) for v in jurisdiction[unknown].head(100)})
        raise DeadlineError(
            f"unknown jurisdiction ({', '.join(shown[:5])}) in {_rows(index, unknown)}; "
            f"known: {', '.join(_CODES)}"
        )
    present = tuple(k for k in range(len(_CODES)) if (codes == k).any()) or (0,)
    return _Offices(present, codes if len(present) > 1 else None)


def _look_up_due(
    start: Days, years: tuple[int, int], longer: Flags | None, offices: _Offices, rule: str
) -> Days:
    """Each row's due date (ns since 1970-01-01), read from :func:`_due_table` for
    ``years`` (the first and last, which cover every start day). ``start`` is reused.
    """
    first_year, last_year = years
    position = start
    position -= dt.date(first_year, 1, 1).toordinal() - _EPOCH
    if offices.codes is None and longer is None:  # one jurisdiction, none extended
        code = _CODES[offices.present[0]]
        due: Days = _due_table(code, rule, first_year, last_year).take(position)
        return due
    table = _joint_table(offices.present, rule, first_year, last_year)
    # The table holds, for each start day, 2 x jurisdictions due dates side by side:
    # which one a row reads is 2 x (its jurisdiction among those present) + extended.
    if offices.codes is None:
        column = np.zeros(position.size, dtype=np.int8)
    else:
        slot = np.zeros(len(_CODES), dtype=np.int8)
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
    tables = [_due_table(_CODES[k], rule, first_year, last_year) for k in present]
    span = tables[0].size // 2
    columns = [part for table in tables for part in (table[:span], table[span:])]
    joint: Days = np.stack(columns, axis=1).ravel()
    joint.flags.writeable = False
    return joint


def _decades(first: int, last: int) -> tuple[int, int]:
    """The whole decades around two days (since 1970-01-01): tables cached per range."""
    first_year, last_year = _year(first), _year(last)
    return first_year - first_year % 10, last_year - last_year % 10 + 9


@lru_cache(maxsize=64)
def _due_table(code: str, rule: str, first_year: int, last_year: int) -> Days:
    """The due date (ns since 1970-01-01) for every start day from 1 January
    ``first_year`` to 31 December ``last_year`` in ``code``: without, then with extension.

    The rules of :func:`due_date` on arrays (:func:`_add_months_days`,
    :func:`_roll_forward`), computed once per range so that a column of any length
    costs one look-up per row. Read-only.
    """
    lowest = dt.date(first_year, 1, 1).toordinal() - _EPOCH
    highest = dt.date(last_year, 12, 31).toordinal() - _EPOCH
    starts = np.arange(lowest, highest + 1, dtype=np.int64)
    one_month = _add_months_days(starts, BASE_MONTHS)
    base = starts + FIXED_PERIOD_DAYS if rule == "28-day" else one_month
    unadjusted = np.concatenate([base, _add_months_days(starts, EXTENSION_MONTHS)])
    table: Days = _roll_forward(unadjusted, code) * _NS_PER_DAY
    table.flags.writeable = False
    return table


def _add_months_days(start: Days, months: int) -> Days:
    """:func:`_add_months` on arrays: the corresponding date, clamped to the month's end.

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
    """:func:`_next_working_day` on arrays: each day, or the next working day after it.

    ICO "Time limits for responding"; Regulation (EEC, Euratom) No 1182/71 Art. 3(4).
    """
    first_year = _year(int(days.min()))
    last_year = _year(int(days.max())) + 1  # room to roll 31 December forward
    lowest = dt.date(first_year, 1, 1).toordinal() - _EPOCH
    rolled: Days = _calendar(code, first_year, last_year)[days - lowest]
    return rolled


@lru_cache(maxsize=64)
def _calendar(code: str, first_year: int, last_year: int) -> Days:
    """For each day from 1 January ``first_year`` to 31 December ``last_year``, the first
    working day on or after it in jurisdiction ``code`` (days since 1970-01-01).

    Saturdays, Sundays and :func:`_holiday_dates` are not working days. Read-only.
    """
    lowest = dt.date(first_year, 1, 1).toordinal() - _EPOCH
    highest = dt.date(last_year, 12, 31).toordinal() - _EPOCH
    days = np.arange(lowest, highest + 1, dtype=np.int64)
    working = _working_flags(code, first_year, last_year)
    candidates = np.where(working, days, np.iinfo(np.int64).max)
    table: Days = np.minimum.accumulate(candidates[::-1])[::-1].copy()
    table.flags.writeable = False
    return table


@lru_cache(maxsize=64)
def _working_flags(code: str, first_year: int, last_year: int) -> Flags:
    """For each day from 1 January ``first_year`` to 31 December ``last_year``, whether it
    is a working day in jurisdiction ``code``: not a Saturday, Sunday or one of
    :func:`_holiday_dates`. Read-only.
    """
    lowest = dt.date(first_year, 1, 1).toordinal() - _EPOCH
    highest = dt.date(last_year, 12, 31).toordinal() - _EPOCH
    days = np.arange(lowest, highest + 1, dtype=np.int64)
    working: Flags = (days + 3) % 7 < 5  # 1970-01-01 was a Thursday; Monday is 0
    off = [
        day.toordinal() - _EPOCH - lowest
        for year in range(first_year, last_year + 1)
        for day in _holiday_dates(code, year)
    ]
    working[np.asarray(off, dtype=np.intp)] = False
    working.flags.writeable = False
    return working


@lru_cache(maxsize=64)
def _working_count(code: str, first_year: int, last_year: int) -> Days:
    """Working days from 1 January ``first_year`` up to and including each day to
    31 December ``last_year`` in ``code`` (a running count of :func:`_working_flags`).
    Read-only."""
    count: Days = np.cumsum(_working_flags(code, first_year, last_year), dtype=np.int64)
    count.flags.writeable = False
    return count


# --- working days between two dates, and after one ------------------------------------


def working_days_between(
    start: pd.Series, end: pd.Series, *, jurisdiction: str | pd.Series = "GB-ENG"
) -> pd.Series:
    """How many working days fall after ``start`` and on or before ``end``, per row.

    Working days are the days :func:`due_date` may end on: not a Saturday, Sunday or
    public holiday of the row's jurisdiction (ICO "Time limits for responding";
    Regulation (EEC, Euratom) No 1182/71 Art. 3(4)), from the same holiday calendars.
    The start day does not count and the end day does: received Friday, passed on
    Monday is 1 working day; the same day is 0; an end before the start counts
    backwards (negative). Dates are read as :func:`due_dates` reads them (tz-aware
    values on the office's clock). A missing start or end gives ``<NA>``. Returns an
    ``Int64`` Series on ``start``'s index named ``working_days``.
    """
    if not isinstance(start, pd.Series):
        raise DeadlineError(f"start must be a pandas Series, not {type(start).__name__}")
    _check_aligned(end, start.index, "end")
    offices = _offices(jurisdiction, start.index)
    first, gone_first = _local_days(start, offices, "start")
    last, gone_last = _local_days(end, offices, "end")
    missing = gone_first | gone_last
    out = np.zeros(start.size, dtype=np.int64)
    known = ~missing
    if known.any():
        low = int(min(first[known].min(), last[known].min()))
        high = int(max(first[known].max(), last[known].max()))
        years = _checked_years(low, high, start.index, first, last, known)
        for code, rows in _rows_by_code(offices, start.size, known):
            count = _working_count(code, *years)
            base = dt.date(years[0], 1, 1).toordinal() - _EPOCH
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
    office's local dates, as :func:`due_dates`) on ``start``'s index, named
    ``working_day``; NaT where ``start`` is missing.
    """
    if isinstance(days, bool) or not isinstance(days, int | np.integer) or days < 0:
        raise DeadlineError(f"days must be a whole number >= 0, not {days!r}")
    if not isinstance(start, pd.Series):
        raise DeadlineError(f"start must be a pandas Series, not {type(start).__name__}")
    offices = _offices(jurisdiction, start.index)
    first, missing = _local_days(start, offices, "start")
    out = np.zeros(start.size, dtype=np.int64)
    known = ~missing
    if known.any() and days == 0:
        out[known] = first[known]
    elif known.any():
        low, high = int(first[known].min()), int(first[known].max())
        first_year, last_year = _checked_years(low, high, start.index, first, first, known)
        years = (first_year, last_year + 1 + int(days) // 200)  # room for the days added
        for code, rows in _rows_by_code(offices, start.size, known):
            count = _working_count(code, *years)
            base = dt.date(years[0], 1, 1).toordinal() - _EPOCH
            wanted = count[first[rows] - base] + int(days)
            out[rows] = np.searchsorted(count, wanted, side="left") + base
    result = pd.Series(
        (out * _NS_PER_DAY).view("datetime64[ns]"), index=start.index, name="working_day"
    )
    result[missing] = pd.NaT
    return result


def _checked_years(
    low: int, high: int, index: pd.Index, first: Days, last: Days, known: Flags
) -> tuple[int, int]:
    """The decades around days ``low`` to ``high``, or :class:`DeadlineError` naming the
    rows outside :data:`YEARS`."""
    if low < _FIRST_DAY or high > _LAST_DAY:
        odd = known & (
            (first < _FIRST_DAY) | (first > _LAST_DAY) | (last < _FIRST_DAY) | (last > _LAST_DAY)
        )
        raise DeadlineError(f"a date is outside {YEARS[0]}-{YEARS[-1]} in {_rows(index, odd)}")
    return _decades(low, high)


def _rows_by_code(offices: _Offices, size: int, known: Flags) -> list[tuple[str, Flags]]:
    """Each jurisdiction in use and the known rows that follow it."""
    if offices.codes is None:
        return [(_CODES[offices.present[0]], known)]
    return [(_CODES[k], known & (offices.codes == k)) for k in offices.present]


def _year(day: int) -> int:
    return dt.date.fromordinal(day + _EPOCH).year


def _rows(index: pd.Index, mask: Flags) -> str:
    """``"3 rows (a, b, c)"``: how many rows ``mask`` marks and their first labels."""
    return first_ids(list(index[mask]))


def _check_aligned(values: object, index: pd.Index, name: str) -> None:
    """Refuse a column that is not a Series on ``received``'s index."""
    if not isinstance(values, pd.Series):
        raise DeadlineError(f"{name} must be a pandas Series, not {type(values).__name__}")
    if not values.index.equals(index):
        raise DeadlineError(f"{name} must have the same index as received")


def _extended_flags(extended: pd.Series | None, index: pd.Index) -> Flags | None:
    """The ``extended`` column as booleans; missing or non-boolean values are refused."""
    if extended is None:
        return None
    _check_aligned(extended, index, "extended")
    if extended.dtype == np.bool_:
        flags: Flags = extended.to_numpy()
        return flags
    missing = extended.isna().to_numpy()
    if missing.any():
        raise DeadlineError(f"extended is missing in {_rows(index, missing)}")
    wrong = ~extended.isin([True, False]).to_numpy()
    if wrong.any():
        raise DeadlineError(f"extended is not True or False in {_rows(index, wrong)}")
    return extended.to_numpy(dtype=np.bool_)


def _local_days(values: pd.Series, offices: _Offices, name: str) -> tuple[Days, Flags]:
    """Each row's local calendar date (days since 1970-01-01) and where it is missing.

    A missing row's day is below every real day (so ``np.maximum`` skips it), and the
    array is new (the caller may change it in place).

    As :func:`_local_date`: tz-aware values are converted to each row's office time
    zone, naive ones taken as local time.
    """
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        # pandas holds tz-aware values as UTC instants, counted in the dtype's unit.
        instants: Days = values.array.asi8
        missing = values.isna().to_numpy()
        return _wall_days(instants, dtype.unit, missing, offices), missing
    if isinstance(dtype, pd.ArrowDtype) and dtype.kind == "M":
        # Arrow dates and timestamps (e.g. read from Parquet): the same values in numpy.
        arrow = dtype.pyarrow_dtype
        unit = getattr(arrow, "unit", "s")
        zone = getattr(arrow, "tz", None)
        target = f"datetime64[{unit}, {zone}]" if zone else f"datetime64[{unit}]"
        return _local_days(values.astype(pd.api.types.pandas_dtype(target)), offices, name)
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        moments = values.to_numpy()
        return _epoch_days(moments), np.isnat(moments)
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in {"date", "datetime", "datetime64", "string", "empty"}:
        try:
            parsed = pd.to_datetime(values, format="ISO8601")
        except (ValueError, TypeError, OverflowError):
            pass  # mixed time zones or a bad value: judge row by row below
        else:
            return _local_days(parsed, offices, name)
    return _local_days_each(values, offices, name)


def _epoch_days(moments: npt.NDArray[np.datetime64]) -> Days:
    """Whole days since 1970-01-01 of naive datetime64 values, floored.

    NaT (the smallest int64) gives a day no later than any real value's.
    """
    unit, count = np.datetime_data(moments.dtype)
    per_day = _UNITS_PER_DAY.get(unit, 0)
    if per_day and count == 1:
        days: Days = moments.view(np.int64) // per_day
    else:
        days = moments.astype("datetime64[D]").view(np.int64)
    return days


def _wall_days(instants: Days, unit: str, missing: Flags, offices: _Offices) -> Days:
    """The calendar day at each row's office of UTC instants (``unit`` since 1970-01-01).

    Adds each zone's UTC offset read from :func:`_hourly_offsets`; where those are not
    exact, pandas converts each instant. Missing rows get :data:`_NO_DAY`.
    """
    if instants.size == 0:
        return np.empty(0, dtype=np.int64)
    if not missing.any():
        return _wall_days_known(instants, unit, offices)
    if missing.all():
        return np.full(instants.size, _NO_DAY, dtype=np.int64)
    stand_in = instants[int(np.argmin(missing))]  # any instant that is not missing
    days = _wall_days_known(np.where(missing, stand_in, instants), unit, offices)
    np.putmask(days, missing, _NO_DAY)
    return days


def _wall_days_known(instants: Days, unit: str, offices: _Offices) -> Days:
    """:func:`_wall_days` when no instant is missing."""
    per_day = _UNITS_PER_DAY[unit]
    zones, zone_rows = offices.zones()
    first_year, last_year = _decades(int(instants.min()) // per_day, int(instants.max()) // per_day)
    known = first_year in YEARS and last_year in YEARS  # else the range check refuses
    found = [_hourly_offsets(zone, first_year, last_year) for zone in zones] if known else []
    tables = [table for table in found if table is not None]
    if known and len(tables) == len(zones):
        hour = instants // (per_day // 24)
        hour -= (dt.date(first_year, 1, 1).toordinal() - _EPOCH) * 24
        if zone_rows is not None:
            hour += (np.arange(len(tables), dtype=np.int64) * tables[0].size).take(zone_rows)
        # Offsets are whole seconds, so exact in any unit from seconds down.
        offsets = np.concatenate(tables) // (_NS_PER_DAY // per_day)
        local: Days = offsets.take(hour)
        local += instants
        local //= per_day
        return local
    days = np.empty(instants.size, dtype=np.int64)
    for number, zone in enumerate(zones):
        rows = np.ones(instants.size, np.bool_) if zone_rows is None else zone_rows == number
        utc = pd.DatetimeIndex(instants[rows].view(f"datetime64[{unit}]"), tz="UTC")
        days[rows] = _epoch_days(utc.tz_convert(zone).tz_localize(None).to_numpy())
    return days


@lru_cache(maxsize=32)
def _hourly_offsets(zone: str, first_year: int, last_year: int) -> Days | None:
    """``zone``'s UTC offset (ns) in each UTC hour from 1 January ``first_year`` to
    31 December ``last_year``, or ``None`` if an offset changes within an hour.

    Europe/London and Europe/Riga change on whole UTC hours (01:00 UTC since the 1980s),
    so one offset per hour is exact; the check makes sure. Read-only.
    """
    lowest = (dt.date(first_year, 1, 1).toordinal() - _EPOCH) * 24
    highest = (dt.date(last_year + 1, 1, 1).toordinal() - _EPOCH) * 24
    hours = np.arange(lowest, highest, dtype=np.int64) * _HOUR_NS
    offsets = _utc_offsets(hours, zone)
    if not np.array_equal(offsets, _utc_offsets(hours + (_HOUR_NS - 1), zone)):
        return None
    offsets.flags.writeable = False
    return offsets


def _utc_offsets(instants: Days, zone: str) -> Days:
    """``zone``'s UTC offset (ns) at each UTC instant (ns since 1970-01-01)."""
    utc = pd.DatetimeIndex(instants.view("datetime64[ns]"), tz="UTC")
    offsets: Days = utc.tz_convert(zone).tz_localize(None).asi8 - instants
    return offsets


def _local_days_each(values: pd.Series, offices: _Offices, name: str) -> tuple[Days, Flags]:
    """:func:`_local_days` one value at a time, for object columns pandas cannot parse whole."""
    days = np.full(len(values), _NO_DAY, dtype=np.int64)
    missing = np.zeros(len(values), dtype=np.bool_)
    wrong = np.zeros(len(values), dtype=np.bool_)
    for i, (value, office) in enumerate(
        zip(values.tolist(), offices.of_row(len(values)), strict=True)
    ):
        if _is_missing(value):
            missing[i] = True
            continue
        try:
            days[i] = _local_date(value, office, name).toordinal() - _EPOCH
        except DeadlineError:
            wrong[i] = True
    if wrong.any():
        raise DeadlineError(f"{name} is not a date in {_rows(values.index, wrong)}")
    return days, missing
