"""The breach-notification clock: 72 elapsed hours from awareness (Art. 33(1)).

- **EU**: GDPR (Regulation (EU) 2016/679, OJ L 119, 4.5.2016) Art. 33(1), applying from
  25 May 2018 (Art. 99(2)): "without undue delay and, where feasible, not later than
  72 hours after having become aware of it, notify the personal data breach to the
  supervisory authority competent in accordance with Article 55 ... Where the
  notification ... is not made within 72 hours, it shall be accompanied by reasons for
  the delay" (text read on EUR-Lex and gdprhub, 2026-12-02).
- **UK**: UK GDPR Art. 33(1), the same words with "the Commissioner" for the
  supervisory authority, in force from 1 January 2021 (the EU GDPR as retained by the
  European Union (Withdrawal) Act 2018 s. 3 and amended by SI 2019/419); its twin for
  law-enforcement processing, DPA 2018 s. 67(1)(b) and (3), has the same 72 hours
  (read on legislation.gov.uk). The Data (Use and Access) Act 2025 leaves Art. 33 as it
  was: it brings PECR reg. 5A's breach reports from 24 to 72 hours (the ICO's guide
  *Personal data breaches*, note of 20 August 2025).

The period is counted in hours of elapsed time from the instant of awareness: the
statute counts hours, not days, so there is no working-day or bank-holiday roll (the
ICO and the EDPB, Guidelines 9/2022 v2.0 of 28 March 2023, section II.A, both say 72
hours "after becoming aware"), and a clock change inside the window does not move the
deadline's instant: a breach known at 09:00 BST on Saturday 24 October 2026 is due at
08:00 GMT on Tuesday 27 October, 72 hours later though the wall clock shows 71.

Regulation (EEC, Euratom) No 1182/71 Art. 3(1) would not count the hour in which the
event happens (the period would start at the next full hour); its Art. 1 applies it to
acts of the Council or the Commission, the GDPR cites it nowhere, and neither the EDPB
nor the ICO reads the 72 hours that way. The instant taken here is the earlier of the
two readings, so a notification it calls in time is in time on either.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from juro_privacy.errors import DeadlineError

__all__ = ["NOTIFICATION_WINDOW", "breach_notification_deadline"]

#: Art. 33(1) GDPR and UK GDPR: "not later than 72 hours after having become aware of it".
NOTIFICATION_WINDOW: Final[dt.timedelta] = dt.timedelta(hours=72)


def breach_notification_deadline(aware_at: dt.datetime) -> dt.datetime:
    """The last instant to notify a personal data breach to the supervisory authority:
    72 elapsed hours after ``aware_at`` (GDPR and UK GDPR Art. 33(1)).

    ``aware_at`` must be time-zone aware (a naive time names no instant; a
    :class:`DeadlineError` says so). The result is in ``aware_at``'s time zone and is
    exactly ``72 * 3600`` seconds later whatever clock change falls between: the sum is
    taken in UTC, since Python adds a ``timedelta`` to a zoned time on the wall clock.
    """
    if not isinstance(aware_at, dt.datetime):
        raise DeadlineError(f"aware_at must be a datetime, not {type(aware_at).__name__}")
    if aware_at.tzinfo is None or aware_at.utcoffset() is None:
        raise DeadlineError(
            f"aware_at {aware_at.isoformat()} has no time zone: the 72 hours of Art. 33(1) "
            "run from an instant, so give its offset or zone"
        )
    return (aware_at.astimezone(dt.UTC) + NOTIFICATION_WINDOW).astimezone(aware_at.tzinfo)
