"""``workbook.yaml``: the organisation a workbook describes and its settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from juro_privacy.errors import Problem
from juro_privacy.periods import parse_period

CONFIG_FILE = "workbook.yaml"


@dataclass(frozen=True)
class WorkbookConfig:
    """Settings a DPO writes once per organisation."""

    organisation: str
    dpo: str
    #: Art. 30(1)(a): the controller's and the DPO's contact details (an address, a
    #: role mailbox); an empty one is a register finding.
    controller_contact: str = ""
    dpo_contact: str = ""
    #: How people can complain to the organisation (DPA 2018 s. 164A(2): "such as providing
    #: a complaint form which can be completed electronically and by other means"): shown
    #: in the complaints report, not judged; empty: not recorded.
    complaint_routes: str = ""
    timezone: str = "Europe/London"
    default_period: str = "2026-Q3"
    small_count_threshold: int = 5
    risk_scale: str = "ico"
    forward_target_working_days: int = 5
    large_scale_threshold: int = 10_000
    #: House limit on a persistent cookie's lifetime, in months. 13 follows the CNIL's
    #: condition for exempting audience measurement from consent (Délibération
    #: n° 2020-091 and Recommandation n° 2020-092 of 17 September 2020: 13 months counted
    #: from the first deposit, not extended on later visits): a French regulator's
    #: condition of one exemption, not a cap in UK or EU law.
    cookie_max_months: int = 13
    opt_out_grace_days: int = 2
    transfer_assessment_review_months: int = 12
    #: Dates outside these years (inclusive) are refused in every table as typing
    #: slips (0001, 9999); a workbook with older or later real dates widens them.
    earliest_year: int = 1900
    latest_year: int = 2100

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def today(self) -> dt.date:
        return dt.datetime.now(self.zone).date()


_INT_FIELDS = {
    "small_count_threshold",
    "forward_target_working_days",
    "large_scale_threshold",
    "cookie_max_months",
    "opt_out_grace_days",
    "transfer_assessment_review_months",
    "earliest_year",
    "latest_year",
}
RISK_SCALES = ("ico", "cnil")

#: The settings the rules count with, and the largest value each takes: a longer one is a
#: slip, and past it the calendars cannot date the day (``forward_target_working_days``
#: from 10^5 days) or the date overflows (``transfer_assessment_review_months``).
SETTING_MAXIMA: dict[str, tuple[int, str]] = {
    "forward_target_working_days": (
        260,
        "working days (a year): a processor passes a request on to its customer without "
        "undue delay, within the customer's own deadline (Art. 28(3)(e), Art. 12(3))",
    ),
    "transfer_assessment_review_months": (
        120,
        "months (ten years): an assessment is re-evaluated at appropriate intervals "
        "(EDPB Recommendations 01/2020, step 6)",
    ),
}
#: The whole years a timestamp (``datetime64[ns]``) can hold: the widest year range.
TIMESTAMP_YEARS = (1678, 2261)


def parse_config(raw: Any, file: str = CONFIG_FILE) -> tuple[WorkbookConfig | None, list[Problem]]:
    """Check the parsed YAML mapping and build the config, or say every problem."""
    problems: list[Problem] = []

    def bad(key: str | None, reason: str, message: str) -> None:
        problems.append(Problem(file, reason, message, column=key))

    if not isinstance(raw, dict):
        bad(None, "not_a_mapping", "must be a mapping of settings (key: value)")
        return None, problems
    known = {f.name for f in fields(WorkbookConfig)}
    for key in raw:
        if key not in known:
            bad(str(key), "unknown_setting", f"unknown setting; known: {', '.join(sorted(known))}")
    for key in ("organisation", "dpo"):
        if not isinstance(raw.get(key), str) or not raw.get(key, "").strip():
            bad(key, "missing_setting", "is required and must be text")
    for key in ("controller_contact", "dpo_contact", "complaint_routes"):
        if key in raw and not isinstance(raw[key], str):
            bad(key, "not_a_text_setting", f"must be text, got {raw[key]!r}")
    values = {k: v for k, v in raw.items() if k in known}
    for key in _INT_FIELDS & values.keys():
        if not isinstance(values[key], int) or isinstance(values[key], bool) or values[key] < 0:
            bad(key, "not_a_count", f"must be a whole number >= 0, got {values[key]!r}")
    if "timezone" in values:
        try:
            ZoneInfo(str(values["timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            bad("timezone", "unknown_timezone", f"unknown time zone {values['timezone']!r}")
    if "default_period" in values:
        values["default_period"] = str(values["default_period"])
        try:
            parse_period(values["default_period"])
        except Exception as exc:  # PeriodError: reported as a problem of this file
            bad("default_period", "bad_period", str(exc))
    if "risk_scale" in values and values["risk_scale"] not in RISK_SCALES:
        bad("risk_scale", "unknown_value", f"must be one of {', '.join(RISK_SCALES)}")
    earliest = values.get("earliest_year", WorkbookConfig.earliest_year)
    latest = values.get("latest_year", WorkbookConfig.latest_year)
    low, high = TIMESTAMP_YEARS
    if not problems and not low <= earliest <= latest <= high:
        bad(
            "latest_year",
            "bad_year_range",
            f"earliest_year ({earliest}) and latest_year ({latest}) must make a range "
            f"within {low}-{high}, the years a timestamp can hold",
        )
    if problems:
        return None, problems
    return WorkbookConfig(**values), []


CONFIG_TEMPLATE = """\
# workbook.yaml: the organisation this workbook describes.
# Fill in the two required settings; the rest have the defaults shown.
organisation: ""          # legal name of the controller (Art. 30(1)(a))
dpo: ""                   # the Data Protection Officer who signs the reports
controller_contact: ""    # the controller's contact details: an address (Art. 30(1)(a))
dpo_contact: ""           # the DPO's contact details: a role mailbox or address (Art. 30(1)(a))
complaint_routes: ""      # how people can complain: an online form, post... (DPA 2018 s. 164A(2))
timezone: Europe/London   # IANA time zone: timestamps become dates here
default_period: 2026-Q3   # period a bare `juro-privacy run` reports on
small_count_threshold: 5  # counts below this print as "<5" in shareable reports
risk_scale: ico           # ico (remote/possible/probable) or cnil (four levels)
forward_target_working_days: 5   # processor-role requests: days to pass to the customer
large_scale_threshold: 10000     # records above which processing is "large scale" (WP248)
cookie_max_months: 13     # house limit on a persistent cookie's life (CNIL's condition for
                          # exempt audience measurement, from first deposit; not law)
opt_out_grace_days: 2     # marketing sends this long after an opt-out are tolerated
transfer_assessment_review_months: 12   # house policy: review a transfer assessment this often
earliest_year: 1900       # dates before this year are refused as typing slips
latest_year: 2100         # dates after this year are refused as typing slips
"""
