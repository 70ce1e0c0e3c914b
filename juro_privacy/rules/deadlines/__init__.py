"""Data-subject request deadlines (UK GDPR Art. 12(3) and 12A, GDPR Art. 12(3)), counted the
ICO's way.

:func:`due_date` is the reference, one request at a time (``reference.py``);
:func:`due_dates` is the same rule on a column of requests (``columns.py``), proven
equal by property tests. The offices' calendars are in ``calendars.py``, reading a
date on an office's clock in ``local_dates.py``, working-day counts in
``working_days.py``, when clarification stops the clock in ``clarification.py``, when an extension
also covers a refusal's reasons (Art. 12(4)) in ``refusals.py``. The breach-notification
clock (Art. 33(1): 72 elapsed hours from awareness) is :func:`breach_notification_deadline`
(``breaches.py``); when a complaint to the controller must be acknowledged (DPA 2018
s. 164A(3), UK only) is :func:`complaint_acknowledgement_due` (``complaints.py``).
"""

from juro_privacy.rules.deadlines.breaches import NOTIFICATION_WINDOW, breach_notification_deadline
from juro_privacy.rules.deadlines.calendars import (
    EXTENSION_MONTHS,
    FIXED_PERIOD_DAYS,
    JURISDICTIONS,
    RULES,
    YEARS,
    Jurisdiction,
)
from juro_privacy.rules.deadlines.clarification import (
    CLARIFICATION_PAUSES,
    ClarificationPause,
    pause_basis,
)
from juro_privacy.rules.deadlines.columns import due_dates
from juro_privacy.rules.deadlines.complaints import (
    COMPLAINT_DUTIES,
    ComplaintDuty,
    complaint_acknowledgement_due,
)
from juro_privacy.rules.deadlines.reference import due_date
from juro_privacy.rules.deadlines.refusals import (
    REFUSAL_EXTENSIONS,
    RefusalRule,
    refusal_extendable,
)
from juro_privacy.rules.deadlines.working_days import add_working_days, working_days_between

__all__ = [
    "CLARIFICATION_PAUSES",
    "COMPLAINT_DUTIES",
    "EXTENSION_MONTHS",
    "FIXED_PERIOD_DAYS",
    "JURISDICTIONS",
    "NOTIFICATION_WINDOW",
    "REFUSAL_EXTENSIONS",
    "RULES",
    "YEARS",
    "ClarificationPause",
    "ComplaintDuty",
    "Jurisdiction",
    "RefusalRule",
    "add_working_days",
    "breach_notification_deadline",
    "complaint_acknowledgement_due",
    "due_date",
    "due_dates",
    "pause_basis",
    "refusal_extendable",
    "working_days_between",
]
