"""The offices' calendars: whose public holidays apply, which clock tells the date, which
days are working days; and the periods counted on them.

The lowest of the deadline modules: :mod:`deadlines.local_dates`,
:mod:`deadlines.columns`, :mod:`deadlines.working_days` and
:mod:`deadlines.reference` import from here, never the other way round.

- The periods: UK GDPR / GDPR Art. 12(3), "within one month of receipt", extendable "by
  two further months"; ICO guidance "Time limits for responding" for the optional 28-day
  period.
- Working days: not a Saturday, Sunday or public holiday of the office (ICO "Time limits
  for responding"; for LV, Regulation (EEC, Euratom) No 1182/71 Art. 3(4)), kept as
  day-by-day tables cached per jurisdiction and decade.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Final, TypeAlias

import holidays
import numpy as np
import numpy.typing as npt

from juro_privacy.errors import DeadlineError

__all__ = [
    "EXTENSION_MONTHS",
    "FIXED_PERIOD_DAYS",
    "JURISDICTIONS",
    "RULES",
    "YEARS",
    "Jurisdiction",
]

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

CODES: Final = tuple(JURISDICTIONS)
EPOCH: Final = dt.date(1970, 1, 1).toordinal()
NS_PER_DAY: Final = 86_400 * 10**9
FIRST_DAY: Final = dt.date(YEARS[0], 1, 1).toordinal() - EPOCH
LAST_DAY: Final = dt.date(YEARS[-1], 12, 31).toordinal() - EPOCH


def jurisdiction_of(code: object) -> Jurisdiction:
    """The jurisdiction named by ``code``, or :class:`DeadlineError`."""
    if isinstance(code, str) and code in JURISDICTIONS:
        return JURISDICTIONS[code]
    raise DeadlineError(f"unknown jurisdiction {code!r}; known: {', '.join(CODES)}")


def check_rule(rule: object) -> None:
    """Refuse a counting rule other than those in :data:`RULES`."""
    if rule not in RULES:
        raise DeadlineError(f"unknown rule {rule!r}; use one of: {', '.join(RULES)}")


@lru_cache(maxsize=512)
def holiday_dates(code: str, year: int) -> frozenset[dt.date]:
    """The public holidays of ``year`` in jurisdiction ``code``, substitute days included."""
    office = JURISDICTIONS[code]
    # Neighbouring years too, in case an observed day falls outside its holiday's year.
    found = holidays.country_holidays(
        office.country, subdiv=office.subdiv, years=range(year - 1, year + 2)
    )
    return frozenset(day for day in found if day.year == year)


# --- working days, day by day, per jurisdiction and decade ----------------------------


@lru_cache(maxsize=64)
def _working_flags(code: str, first_year: int, last_year: int) -> Flags:
    """For each day from 1 January ``first_year`` to 31 December ``last_year``, whether it
    is a working day in jurisdiction ``code``: not a Saturday, Sunday or one of
    :func:`holiday_dates`. Read-only.
    """
    lowest = dt.date(first_year, 1, 1).toordinal() - EPOCH
    highest = dt.date(last_year, 12, 31).toordinal() - EPOCH
    days = np.arange(lowest, highest + 1, dtype=np.int64)
    working: Flags = (days + 3) % 7 < 5  # 1970-01-01 was a Thursday; Monday is 0
    off = [
        day.toordinal() - EPOCH - lowest
        for year in range(first_year, last_year + 1)
        for day in holiday_dates(code, year)
    ]
    working[np.asarray(off, dtype=np.intp)] = False
    working.flags.writeable = False
    return working


@lru_cache(maxsize=64)
def working_calendar(code: str, first_year: int, last_year: int) -> Days:
    """For each day from 1 January ``first_year`` to 31 December ``last_year``, the first
    working day on or after it in jurisdiction ``code`` (days since 1970-01-01).

    Saturdays, Sundays and :func:`holiday_dates` are not working days. Read-only.
    """
    lowest = dt.date(first_year, 1, 1).toordinal() - EPOCH
    highest = dt.date(last_year, 12, 31).toordinal() - EPOCH
    days = np.arange(lowest, highest + 1, dtype=np.int64)
    working = _working_flags(code, first_year, last_year)
    candidates = np.where(working, days, np.iinfo(np.int64).max)
    table: Days = np.minimum.accumulate(candidates[::-1])[::-1].copy()
    table.flags.writeable = False
    return table


@lru_cache(maxsize=64)
def working_count(code: str, first_year: int, last_year: int) -> Days:
    """Working days from 1 January ``first_year`` up to and including each day to
    31 December ``last_year`` in ``code`` (a running count of :func:`_working_flags`).
    Read-only."""
    count: Days = np.cumsum(_working_flags(code, first_year, last_year), dtype=np.int64)
    count.flags.writeable = False
    return count


def decades_of(first: int, last: int) -> tuple[int, int]:
    """The whole decades around two days (since 1970-01-01): tables cached per range."""
    first_year, last_year = year_index(first), year_index(last)
    return first_year - first_year % 10, last_year - last_year % 10 + 9


def year_index(day: int) -> int:
    return dt.date.fromordinal(day + EPOCH).year
