"""The sample company's complaints to the controller, June to September 2026.

DPA 2018 s. 164A came into force on 19 June 2026: a complaint about UK processing
received from that day must be acknowledged within 30 days of its receipt (the 30th day
after the day of receipt). Each row is written by hand; what it plants is said beside
it and listed in ``docs/sample-company.md``. Times are UTC; the London office's local
dates are an hour later in summer (BST), which moves none of these days.
"""

from __future__ import annotations

HEADER = (
    "complaint_id",
    "office",
    "processing_office",
    "activity_id",
    "received_at",
    "channel",
    "acknowledged_at",
    "outcome_told_at",
    "outcome",
    "escalated_to_regulator",
    "request_id",
)

COMPLAINTS = [
    HEADER,
    # received before s. 164A came into force: no statutory clock (acknowledged in 3 days)
    (
        "CP-2026-001",
        "london",
        "london",
        "A08",
        "2026-06-12T10:15:00+00:00",
        "email",
        "2026-06-15T09:00:00+00:00",
        "2026-07-02T14:00:00+00:00",
        "not_upheld",
        "false",
        "",
    ),
    # acknowledged by the web form's automatic reply the same day: in time
    (
        "CP-2026-002",
        "london",
        "london",
        "A10",
        "2026-06-24T09:00:00+00:00",
        "web_form",
        "2026-06-24T09:05:00+00:00",
        "2026-07-20T11:30:00+00:00",
        "upheld",
        "false",
        "REQ-00397",
    ),
    # planted: received 3 July 2026, due 2 August, acknowledged 10 August: 8 days late;
    # the complainant went on to the ICO
    (
        "CP-2026-003",
        "london",
        "london",
        "A10",
        "2026-07-03T14:20:00+00:00",
        "email",
        "2026-08-10T11:00:00+00:00",
        "2026-08-28T16:00:00+00:00",
        "not_upheld",
        "true",
        "REQ-00399",
    ),
    # Riga's processing (EU GDPR): no period to acknowledge; 36 days, listed, not judged
    (
        "CP-2026-004",
        "riga",
        "riga",
        "A06",
        "2026-07-20T08:30:00+00:00",
        "web_form",
        "2026-08-25T07:00:00+00:00",
        "",
        "",
        "",
        "",
    ),
    # taken by phone and acknowledged on the call: in time
    (
        "CP-2026-005",
        "london",
        "london",
        "A07",
        "2026-08-14T12:00:00+00:00",
        "phone",
        "2026-08-14T12:30:00+00:00",
        "2026-09-10T10:00:00+00:00",
        "partly_upheld",
        "false",
        "",
    ),
    # planted: received by post 20 August 2026, due 19 September, still not acknowledged
    # on 30 September: 11 days overdue
    (
        "CP-2026-006",
        "london",
        "london",
        "A11",
        "2026-08-20T16:00:00+00:00",
        "post",
        "",
        "",
        "",
        "",
        "",
    ),
    # handled in London about Riga's processing (A05 runs in both offices): the regime is
    # the processing's, the EU GDPR, so no clock, though London handles it
    (
        "CP-2026-007",
        "london",
        "riga",
        "A05",
        "2026-09-02T10:00:00+00:00",
        "email",
        "",
        "",
        "",
        "",
        "",
    ),
    # acknowledged the next day, outcome not yet told
    (
        "CP-2026-008",
        "london",
        "london",
        "A01",
        "2026-09-21T09:45:00+00:00",
        "chat",
        "2026-09-22T08:00:00+00:00",
        "",
        "",
        "",
        "",
    ),
    # received 28 September 2026: not acknowledged yet, due 28 October
    (
        "CP-2026-009",
        "london",
        "london",
        "A02",
        "2026-09-28T15:00:00+00:00",
        "web_form",
        "",
        "",
        "",
        "",
        "",
    ),
]
