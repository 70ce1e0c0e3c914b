"""When a complaint to the controller must be acknowledged: DPA 2018 s. 164A(3), UK only.

- **UK** (``GB-ENG``, ``GB-SCT``, ``GB-NIR``: the DPA 2018 extends to the whole UK,
  s. 212): s. 164A, inserted by the Data (Use and Access) Act 2025 s. 103 and in force
  on 19 June 2026 (SI 2026/82 reg. 3, "Provisions of the 2025 Act coming into force
  on 19th June 2026"; read on legislation.gov.uk, 2026-12-02). Subsection (3): "If a
  controller receives a complaint under this section, the controller must acknowledge
  receipt of the complaint within the period of 30 days beginning when the complaint
  is received."
- **Counting.** The words are "beginning *when* the complaint is received", not
  "beginning *with the day on which*" it is received: the period starts at the moment
  of receipt and runs 30 days from it, so its last calendar day is the 30th day after
  the day of receipt (received 1 July: acknowledge by 31 July). The ICO reads it the
  same way: "the 30 days start the day after you receive the complaint" (ICO, "How
  to deal with data protection complaints", 12 February 2026, as reported by
  Privacy Laws & Business; the ICO page's own counting text was not in the sources
  searched). The statute has no working-day roll and none is applied; the ICO's
  guidance also lets a period ending on a weekend or public holiday run to the next
  working day (per the same report, not verified), a concession
  ``docs/complaints.md`` mentions but this rule does not make.
- **Transition.** SI 2026/82 reg. 7 ("Transitional provision relating to section 103
  and Schedule 10 (complaints by data subjects)"): its text was not in the sources
  searched (per issue, not verified); the rule applies to complaints received on or
  after 19 June 2026, and a complaint received earlier has no statutory clock.
- **EU** (``LV``, the Riga office): the GDPR has no duty to acknowledge a complaint
  made to the controller. Its complaints go to a supervisory authority (GDPR Art. 77);
  people may contact the DPO on any issue (Art. 38(4)), with no period set.

:data:`COMPLAINT_DUTIES` holds the dated rows; :func:`complaint_acknowledgement_due`
applies them to one complaint.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, NamedTuple

from juro_privacy.errors import DeadlineError
from juro_privacy.rules.deadlines.calendars import jurisdiction_of

__all__ = ["COMPLAINT_DUTIES", "ComplaintDuty", "complaint_acknowledgement_due", "duty_of"]


class ComplaintDuty(NamedTuple):
    """Complaints about processing under ``country``'s law received from ``since``
    (inclusive) must be acknowledged within ``days`` days, on the authority of ``source``."""

    country: str  # ISO 3166 code of the regime's country: GB (UK GDPR, DPA 2018)
    since: dt.date
    days: int
    source: str


COMPLAINT_DUTIES: Final[tuple[ComplaintDuty, ...]] = (
    ComplaintDuty(
        "GB",
        dt.date(2026, 6, 19),
        30,
        "DPA 2018 s. 164A(3) (DUAA 2025 s. 103; in force 19 June 2026, SI 2026/82 reg. 3)",
    ),
)
"""Where an acknowledgement is due. A complaint no row covers (the EU GDPR; a UK
complaint received before 19 June 2026) has no statutory clock."""

NO_DUTY_EU: Final = "GDPR: no duty to acknowledge a complaint to the controller (Art. 77, 38(4))"
NO_DUTY_BEFORE: Final = "received before 19 June 2026, when DPA 2018 s. 164A came into force"


def duty_of(received: dt.date, jurisdiction: str) -> ComplaintDuty | None:
    """The row of :data:`COMPLAINT_DUTIES` that times a complaint received on the local
    day ``received`` about processing under ``jurisdiction`` (``GB-ENG``, ``LV``, ...),
    or ``None``. Raises :class:`DeadlineError` for an unknown jurisdiction or a
    ``received`` that is not a calendar date."""
    office = jurisdiction_of(jurisdiction)
    if isinstance(received, dt.datetime) or not isinstance(received, dt.date):
        raise DeadlineError(
            f"received must be a calendar date (the local day of receipt), got {received!r}"
        )
    for row in COMPLAINT_DUTIES:
        if row.country == office.country and received >= row.since:
            return row
    return None


def complaint_acknowledgement_due(received: dt.date, *, jurisdiction: str) -> dt.date | None:
    """The last day to acknowledge a complaint received on the local day ``received``
    about processing under ``jurisdiction``: DPA 2018 s. 164A(3), "within the period of
    30 days beginning when the complaint is received" (the 30th day after the day of
    receipt; no working-day roll). ``None`` where no duty applies: an EU regime (``LV``)
    or a complaint received before 19 June 2026. :class:`DeadlineError` for an unknown
    jurisdiction."""
    row = duty_of(received, jurisdiction)
    if row is None:
        return None
    if received > dt.date.max - dt.timedelta(days=row.days):
        raise DeadlineError(f"no acknowledgement day can be dated after {received.isoformat()}")
    return received + dt.timedelta(days=row.days)
