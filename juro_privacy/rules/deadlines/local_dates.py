"""A request's date on its office's calendar: one value, or a whole column at once.

ICO guidance "Time limits for responding": a request is received when it arrives at the
office, whatever day that is there, and that local calendar date is day one of the month
UK GDPR / GDPR Art. 12(3) allows. A date is taken as is, a naive datetime as the office's
local time, a tz-aware one converted to the office's time zone first.

:func:`local_date` reads one value (for :func:`~deadlines.reference.due_date`);
:func:`local_days` reads a column without a per-row loop (for
:func:`~deadlines.columns.due_dates` and :mod:`deadlines.working_days`), and
falls back to :func:`local_date` row by row only for an object column pandas cannot
parse whole. Also here: which office each row follows (:func:`offices_of`) and the shared
checks on a column's index.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from juro_privacy.errors import DeadlineError, first_ids
from juro_privacy.rules.deadlines.calendars import (
    CODES,
    EPOCH,
    FIRST_DAY,
    JURISDICTIONS,
    LAST_DAY,
    NS_PER_DAY,
    YEARS,
    Codes,
    Days,
    Flags,
    Jurisdiction,
    decades_of,
    jurisdiction_of,
)

_HOUR_NS: Final = 3_600 * 10**9
_NO_DAY: Final = np.iinfo(np.int64).min  # a missing date: below every real day
_UNITS_PER_DAY: Final = {
    "D": 1,
    "h": 24,
    "m": 1_440,
    "s": 86_400,
    "ms": 86_400 * 10**3,
    "us": 86_400 * 10**6,
    "ns": NS_PER_DAY,
}


# --- one value -------------------------------------------------------------------------


def is_missing(value: object) -> bool:
    """True for None, NaT and NaN."""
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, np.datetime64) and bool(np.isnat(value))


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_date(value: object, office: Jurisdiction, name: str) -> dt.date:
    """The office's calendar date of ``value``.

    A date is taken as is, a naive datetime as the office's local time, a tz-aware one
    converted to the office's time zone first (ICO: the request is received when it
    arrives at the office, whatever day that is).
    """
    if is_missing(value):
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


# --- whole columns ---------------------------------------------------------------------


@dataclass(frozen=True)
class Offices:
    """Whose calendar each row follows: positions in :data:`JURISDICTIONS`."""

    present: tuple[int, ...]
    codes: Codes | None  # one per row; None when every row is ``present[0]``

    def zones(self) -> tuple[list[str], Codes | None]:
        """The office time zones in use and each row's position among them."""
        zones = sorted({JURISDICTIONS[CODES[k]].timezone for k in self.present})
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
            return [JURISDICTIONS[CODES[self.present[0]]]] * rows
        every = [JURISDICTIONS[c] for c in CODES]
        return [every[k] for k in self.codes.tolist()]


def offices_of(jurisdiction: object, index: pd.Index) -> Offices:
    """Each row's jurisdiction from a code or a Series of codes, or :class:`DeadlineError`."""
    if not isinstance(jurisdiction, pd.Series):
        return Offices((CODES.index(jurisdiction_of(jurisdiction).code),), None)
    check_aligned(jurisdiction, index, "jurisdiction")
    dtype = jurisdiction.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        labels = jurisdiction.cat.codes.to_numpy()
        names = list(dtype.categories)
    elif isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        # Arrow finds each code in a handful of values faster than hashing every string.
        found = pc.index_in(pa.array(jurisdiction), value_set=pa.array(CODES))
        labels = found.fill_null(-1).to_numpy()
        names = list(CODES)
    else:
        labels, uniques = pd.factorize(jurisdiction)
        names = list(uniques)
    # The extra -1 at the end is where a missing value (label -1) lands.
    lookup = np.array([CODES.index(n) if n in CODES else -1 for n in names] + [-1], np.int8)
    codes = lookup.take(labels)
    unknown = codes < 0
    if unknown.any():
        shown = sorted({str(v) for v in jurisdiction[unknown].head(100)})
        raise DeadlineError(
            f"unknown jurisdiction ({', '.join(shown[:5])}) in {row_count(index, unknown)}; "
            f"known: {', '.join(CODES)}"
        )
    present = tuple(k for k in range(len(CODES)) if (codes == k).any()) or (0,)
    return Offices(present, codes if len(present) > 1 else None)


def row_count(index: pd.Index, mask: Flags) -> str:
    """``"3 rows (a, b, c)"``: how many rows ``mask`` marks and their first labels."""
    return first_ids(list(index[mask]))


def check_aligned(values: object, index: pd.Index, name: str) -> None:
    """Refuse a column that is not a Series on ``received``'s index."""
    if not isinstance(values, pd.Series):
        raise DeadlineError(f"{name} must be a pandas Series, not {type(values).__name__}")
    if not values.index.equals(index):
        raise DeadlineError(f"{name} must have the same index as received")


def local_days(values: pd.Series, offices: Offices, name: str) -> tuple[Days, Flags]:
    """Each row's local calendar date (days since 1970-01-01) and where it is missing.

    A missing row's day is below every real day (so ``np.maximum`` skips it), and the
    array is new (the caller may change it in place).

    As :func:`local_date`: tz-aware values are converted to each row's office time
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
        return local_days(values.astype(pd.api.types.pandas_dtype(target)), offices, name)
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
            return local_days(parsed, offices, name)
    return _local_days_each(values, offices, name)


def outside_years(values: pd.Series, jurisdiction: pd.Series) -> Flags:
    """Which rows' date on their office's calendar (as :func:`local_days` reads it) falls
    outside :data:`YEARS`, the years the deadline rules date: the rows
    :func:`~deadlines.columns.due_dates` and :mod:`~deadlines.working_days` refuse with a
    :class:`DeadlineError`. A missing value is not outside. ``jurisdiction`` is each row's
    code, on ``values``' index."""
    days, missing = local_days(values, offices_of(jurisdiction, values.index), str(values.name))
    outside: Flags = ~missing & ((days < FIRST_DAY) | (days > LAST_DAY))
    return outside


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


def _wall_days(instants: Days, unit: str, missing: Flags, offices: Offices) -> Days:
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


def _wall_days_known(instants: Days, unit: str, offices: Offices) -> Days:
    """:func:`_wall_days` when no instant is missing."""
    per_day = _UNITS_PER_DAY[unit]
    zones, zone_rows = offices.zones()
    first_year, last_year = decades_of(
        int(instants.min()) // per_day, int(instants.max()) // per_day
    )
    known = first_year in YEARS and last_year in YEARS  # else the range check refuses
    found = [_hourly_offsets(zone, first_year, last_year) for zone in zones] if known else []
    tables = [table for table in found if table is not None]
    if known and len(tables) == len(zones):
        hour = instants // (per_day // 24)
        hour -= (dt.date(first_year, 1, 1).toordinal() - EPOCH) * 24
        if zone_rows is not None:
            hour += (np.arange(len(tables), dtype=np.int64) * tables[0].size).take(zone_rows)
        # Offsets are whole seconds, so exact in any unit from seconds down.
        offsets = np.concatenate(tables) // (NS_PER_DAY // per_day)
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
    lowest = (dt.date(first_year, 1, 1).toordinal() - EPOCH) * 24
    highest = (dt.date(last_year + 1, 1, 1).toordinal() - EPOCH) * 24
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


def _local_days_each(values: pd.Series, offices: Offices, name: str) -> tuple[Days, Flags]:
    """:func:`local_days` one value at a time, for object columns pandas cannot parse whole."""
    days = np.full(len(values), _NO_DAY, dtype=np.int64)
    missing = np.zeros(len(values), dtype=np.bool_)
    wrong = np.zeros(len(values), dtype=np.bool_)
    for i, (value, office) in enumerate(
        zip(values.tolist(), offices.of_row(len(values)), strict=True)
    ):
        if is_missing(value):
            missing[i] = True
            continue
        try:
            days[i] = local_date(value, office, name).toordinal() - EPOCH
        except DeadlineError:
            wrong[i] = True
    if wrong.any():
        raise DeadlineError(f"{name} is not a date in {row_count(values.index, wrong)}")
    return days, missing
