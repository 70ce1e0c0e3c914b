"""When the reasons for not acting on a request are due (Art. 12(4)), per regime.

A controller that does not act on a request (refuses it, in whole or in part) must
tell the requester why, and of the right to complain to the regulator and to a court.
The two regimes the offices answer under time that notice differently:

- **EU GDPR** (the Riga office) Art. 12(4): "without delay and at the latest within
  one month of receipt of the request". Unlike Art. 12(3), the paragraph provides no
  extension: an extension notified under Art. 12(3) does not move the refusal's
  deadline. EDPB Guidelines 01/2022 on the right of access (version 2.1, 30 May 2024),
  para. 191, reads it so: the controller "must inform the data subject without delay
  and at the latest within one month of receipt of the request" of the reasons, the
  right to complain and to a judicial remedy.
- **UK GDPR** (the London office): until 4 February 2026 the same words as the EU's.
  From 5 February 2026 (DUAA 2025 s. 76, commenced by SI 2026/82 reg. 2(h)) Art. 12(4)
  times the notice by "the applicable time period" of the new Art. 12A, the period that
  the controller may extend by two further months and that a clarification of an
  access request pauses; its law-enforcement twin, DPA 2018 s. 54 (checked on
  legislation.gov.uk, 2026-12-02), uses the same "applicable time period" for the
  controller's replies under ss. 45 and 48, refusals included. Requests received before 5 February
  2026 keep the rule in force when they arrived (SI 2026/82's saving provision, as
  :mod:`~juro_privacy.rules.deadlines.clarification` reads it).

:data:`REFUSAL_EXTENSIONS` holds the dated rows; :func:`refusal_extendable` applies
them to a column of requests.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pandas as pd


class RefusalRule(NamedTuple):
    """Whether an extension also moves the deadline of a refusal's reasons, for requests
    received under ``country``'s law from ``since`` (inclusive)."""

    country: str  # ISO 3166 code of the regime's country: GB (UK GDPR), LV (EU GDPR)
    since: dt.date
    extendable: bool
    source: str


REFUSAL_EXTENSIONS: tuple[RefusalRule, ...] = (
    RefusalRule(
        "GB",
        dt.date(2026, 2, 5),
        True,
        "UK GDPR Art. 12(4) and Art. 12A (DUAA 2025 s. 76; SI 2026/82 reg. 2(h))",
    ),
)
"""Where an extension covers the reasons for a refusal. A request not covered by a row
(the EU GDPR; UK requests received before 5 February 2026) has one month, unextended:
GDPR Art. 12(4), EDPB Guidelines 01/2022 para. 191."""

NOT_EXTENDABLE_SOURCE = "GDPR Art. 12(4); EDPB Guidelines 01/2022 para. 191"


def refusal_extendable(countries: pd.Series, received: pd.Series) -> pd.Series:
    """Per request, whether a valid extension (Art. 12(3)) also moves the deadline of
    the reasons for not acting on it (Art. 12(4)): ``True`` for a UK request received
    on or after 5 February 2026, ``False`` otherwise (:data:`REFUSAL_EXTENSIONS`).

    ``countries`` are the regimes' ISO codes (``GB``, ``LV``), ``received`` the local
    calendar days the requests arrived (``datetime64``), on the same index.
    """
    out = pd.Series(False, index=countries.index)
    days = pd.to_datetime(received)
    for rule in REFUSAL_EXTENSIONS:
        hit = (countries.astype(str) == rule.country) & (days >= pd.Timestamp(rule.since))
        out = out | hit.fillna(False)
    return out.astype(bool)
