"""Retention of user accounts: archive within 6 months of last use, delete within 6 years
(the policy; UK GDPR / GDPR Art. 5(1)(e)), written once as an Ibis expression.

``rule.py`` holds the rule (:func:`assess_retention`, :func:`summarize_retention`),
``source.py`` where the accounts are read from (files, frames, Ibis URLs),
``zone_offsets.py`` the time-zone rule that gives each account its local date (a naive
timestamp is wall time in the workbook's time zone, one with an offset an instant).
"""

from juro_privacy.rules.retention.rule import (
    OBLIGATIONS,
    STATUSES,
    RetentionRules,
    assess_retention,
    summarize_retention,
)

__all__ = ["OBLIGATIONS", "STATUSES", "RetentionRules", "assess_retention", "summarize_retention"]
