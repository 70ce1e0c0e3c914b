"""Reporting periods: calendar quarters (``2026-Q3``) and years (``2026``).

A DPO reports per quarter; a year is the sum of its quarters. Periods are
closed date ranges ``[start, end]`` in the organisation's local calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from juro_privacy.errors import PeriodError

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: a calendar quarter or a calendar year."""

    start: dt.date
    end: dt.date
    label: str

    @property
    def is_quarter(self) -> bool:
        return "Q" in self.label

    def previous(self) -> Period:
        """The period of the same length immediately before this one."""
        return parse_period(_shift(self.label, -1))

    def quarters(self) -> list[Period]:
        """The quarters this period spans (itself, for a quarter)."""
        if self.is_quarter:
            return [self]
        return [parse_period(f"{self.start.year}-Q{q}") for q in range(1, 5)]

    def trailing_quarters(self, n: int) -> list[Period]:
        """The ``n`` quarters ending with this period's last quarter, oldest first."""
        last = self.quarters()[-1]
        out = [last]
        while len(out) < n:
            out.append(out[-1].previous())
        return out[::-1]

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label


def parse_period(text: str) -> Period:
    """Parse ``2026-Q3`` (also ``2026Q3``, ``2026-q3``) or ``2026`` into a Period."""
    value = str(text).strip()
    if m := _QUARTER.match(value):
        year, q = int(m.group(1)), int(m.group(2))
        start = dt.date(year, 3 * q - 2, 1)
        end = _last_day(year, 3 * q)
        return Period(start, end, f"{year}-Q{q}")
    if m := _YEAR.match(value):
        year = int(m.group(1))
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))
    raise PeriodError(
        f"period {text!r} does not parse: write a quarter like 2026-Q3 or a year like 2026"
    )


def quarter_of(day: dt.date) -> Period:
    """The calendar quarter containing ``day``."""
    return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def _last_day(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _shift(label: str, step: int) -> str:
    if m := _QUARTER.match(label):
        index = int(m.group(1)) * 4 + int(m.group(2)) - 1 + step
        return f"{index // 4}-Q{index % 4 + 1}"
    return str(int(label) + step)


def active_in(activities: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Activities carried out at any time in ``period`` (started by its end, not ended
    before its start): the rows of any table with ``started_on`` and ``ended_on``."""
    started = activities["started_on"].map(lambda d: d <= period.end)
    ended = activities["ended_on"].map(lambda d: pd.notna(d) and d < period.start)
    return activities[started & ~ended].reset_index(drop=True)
