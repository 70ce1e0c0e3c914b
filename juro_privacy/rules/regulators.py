"""Which supervisory authority each office answers to, by date.

The reports name the authority a DPO consults (Art. 36), notifies or points a
requester to. Its name is a dated row, so that the day it changes is one row:

- **UK**: the Information Commissioner (the ICO), the UK GDPR's supervisory authority
  (UK GDPR Art. 4(21) and 51; DPA 2018 ss. 114-116). The Data (Use and Access) Act 2025
  abolishes the office and transfers its functions to a body corporate, the
  Information Commission (DUAA 2025 Part 6, ss. 117-119); the transfer of functions
  was not in force when this row was last checked (2026-12-02: SI 2025/904 reg. 2(r)
  commenced s. 117 except subs. (4)(a) on 20 August 2025, setting the Commission up;
  SI 2026/82 commences s. 120, the transfer scheme for property; the consequential
  amendments, SI 2026/386, come into force only "when section 119 ... is fully brought
  into force", and no regulations commencing s. 119 were found). When it is commenced,
  end this row on the day before and add the Information Commission's.
- **Latvia**: the Data State Inspectorate (Datu valsts inspekcija, DVI), Latvia's
  supervisory authority under GDPR Art. 51 (Personal Data Processing Law 2018, s. 3
  and Chapter III), the lead authority for the Riga office (GDPR Art. 56), the
  organisation's only establishment in the EU.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from juro_privacy.errors import InputError


class Regulator(NamedTuple):
    """A supervisory authority of ``country`` from ``since`` to ``until`` (inclusive;
    ``None``: still in office)."""

    country: str  # ISO 3166 alpha-2
    since: dt.date
    until: dt.date | None
    name: str
    short: str
    source: str


REGULATORS: tuple[Regulator, ...] = (
    Regulator(
        "GB",
        dt.date(2018, 5, 25),
        None,
        "Information Commissioner's Office",
        "ICO",
        "UK GDPR Art. 4(21), 51; DPA 2018 ss. 114-116 (DUAA 2025 s. 117-119 not commenced)",
    ),
    Regulator(
        "LV",
        dt.date(2018, 5, 25),
        None,
        "Data State Inspectorate",
        "DVI",
        "GDPR Art. 51, 56; Personal Data Processing Law 2018 s. 3 (Datu valsts inspekcija)",
    ),
)


def regulator(country: str, on: dt.date) -> Regulator:
    """The supervisory authority of ``country`` (``GB``, ``LV``) on the day ``on``.

    Raises :class:`InputError` for a country or a day no row covers."""
    for row in REGULATORS:
        if row.country == country and row.since <= on and (row.until is None or on <= row.until):
            return row
    known = ", ".join(sorted({row.country for row in REGULATORS}))
    raise InputError(f"no supervisory authority recorded for {country!r} on {on} (known: {known})")
