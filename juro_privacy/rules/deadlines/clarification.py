"""When asking a requester for clarification stops the clock: one dated row per regime.

:func:`~deadlines.reference.due_date` applies a pause whenever it is given one; this
table says when the law (or the regulator's published reading of it) allows one, and
:func:`pause_basis` reads it for a column of requests. Each row cites its source and
its dates; ``docs/deadlines.md`` says the same for a DPO.

- UK, from 5 February 2026: UK GDPR Art. 12A, inserted by the Data (Use and Access)
  Act 2025 s. 76 and in force on that day (SI 2026/82 reg. 2(h), read 2026-12-01).
  Only an access request (Art. 15): "where the controller reasonably requires further
  information in order to identify the information or processing activities to which
  a request under Article 15 relates" (Art. 12A(5), as inserted by s. 76(3); read
  2026-12-02 in the Act's revised text, legislation.gov.uk via the Statute Law Database;
  the same words as its law-enforcement twin, DPA 2018 s. 54(3C)). Erasure,
  rectification, objection and the rest: asking does not stop the clock.
- UK, before 5 February 2026: the ICO's "Right of access" guidance of 21 October 2020
  let the clock stop while the controller waits for clarification of an access
  request (genuinely required, a large amount of information; not "on a blanket
  basis"). SI 2026/82 reg. 4 (read 2026-12-02): "The amendments made by section 76 of
  the 2025 Act do not apply in relation to ... a case in which the controller received
  a request from a data subject under Chapter III of the UK GDPR ... before 5th February
  2026", so those requests keep the old Art. 12, which had no pause in its text; the
  rules then in force are taken to be the ICO's published reading, so a pause applies
  to access requests received from 21 October 2020.
- EU (Riga): GDPR Art. 12(3) has no pause; recital 63 lets a controller holding a
  large quantity of information ask the requester to specify the request, but the
  month still runs from receipt. EDPB Guidelines 01/2022 on the right of access
  (version 2.1 of 30 May 2024; version 2.0 adopted 28 March 2023), section 5.3
  "Timing for the provision of access": their wording on clarification was not in
  the sources searched (per issue, not verified).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

__all__ = ["CLARIFICATION_PAUSES", "ClarificationPause", "pause_basis"]


@dataclass(frozen=True)
class ClarificationPause:
    """Requests of ``types`` received at a ``countries`` office from ``since`` to
    ``until`` (inclusive; ``None``: open) pause their clock while clarification is
    awaited, on the authority of ``source``."""

    countries: tuple[str, ...]
    types: tuple[str, ...]
    since: dt.date
    until: dt.date | None
    source: str


CLARIFICATION_PAUSES: Final[Sequence[ClarificationPause]] = (
    ClarificationPause(
        ("GB",),
        ("access",),
        dt.date(2026, 2, 5),
        None,
        "UK GDPR Art. 12A (DUAA 2025 s. 76; in force 5 February 2026, SI 2026/82 reg. 2(h))",
    ),
    ClarificationPause(
        ("GB",),
        ("access",),
        dt.date(2020, 10, 21),
        dt.date(2026, 2, 4),
        "ICO Right of access guidance (21 October 2020), kept for requests received before "
        "5 February 2026 by SI 2026/82 reg. 4 (saving provision)",
    ),
)
"""Where a pause applies; a request matching no row keeps its clock running."""


def pause_basis(types: pd.Series, countries: pd.Series, received: pd.Series) -> pd.Series:
    """Per request, the source that lets clarification stop its clock, or ``<NA>``.

    ``types`` are request types (``requests.type``), ``countries`` the office's
    country (``GB``, ``LV``), ``received`` the office's local date of receipt
    (``datetime64``, naive). Rows are matched against :data:`CLARIFICATION_PAUSES`.
    """
    day = pd.to_datetime(received).dt.normalize()
    out = pd.Series(pd.NA, index=types.index, dtype="string", name="pause_basis")
    for row in CLARIFICATION_PAUSES:
        match = (
            types.astype(str).isin(row.types)
            & countries.astype(str).isin(row.countries)
            & (day >= pd.Timestamp(row.since))
        )
        if row.until is not None:
            match &= day <= pd.Timestamp(row.until)
        fill = match.to_numpy(dtype=np.bool_) & out.isna().to_numpy()
        out[fill] = row.source
    return out
