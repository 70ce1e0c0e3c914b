"""Catalogue cases: see the package docstring."""

from __future__ import annotations

from tests.e2e.catalogue import Case, cell

CASES: list[Case] = []

CASES += [
    Case(
        "failing_site_country_not_two_letters",
        cell("sites.csv", 2, "country", "G1"),
        "sites.csv",
        2,
        "country",
        parquet="sites",
    ),
]

# Values the contract's types admit but the domain does not (issue 18), declared once in
# the schema (``Col.minimum``, the year range, the ``country`` and ``timezone`` kinds).
CASES += [
    Case(
        "failing_system_negative_retention_months",
        cell("systems.csv", 2, "retention_months", "-72"),
        "systems.csv",
        2,
        "retention_months",
        says=("'-72' is negative", "[below_minimum]"),
        parquet="systems",
    ),
    Case(
        "failing_retention_rule_negative_delete_months",
        cell("retention_rules.csv", 3, "delete_after_months", "-72"),
        "retention_rules.csv",
        3,
        "delete_after_months",
        says=("'-72' is negative", "[below_minimum]"),
        parquet="retention_rules",
    ),
    Case(
        "failing_retention_rule_negative_archive_months",
        cell("retention_rules.csv", 2, "archive_after_months", "-6"),
        "retention_rules.csv",
        2,
        "archive_after_months",
        says=("'-6' is negative", "[below_minimum]"),
        parquet="retention_rules",
    ),
    Case(
        "failing_cookie_negative_duration",
        cell("cookies.csv", 4, "duration_days", "-30"),
        "cookies.csv",
        4,
        "duration_days",
        says=("'-30' is negative", "[below_minimum]"),
        parquet="cookies",
    ),
    Case(
        "failing_claim_negative_threshold",
        cell("policy_claims.csv", 3, "threshold", "-1"),
        "policy_claims.csv",
        3,
        "threshold",
        says=("'-1' is negative", "[below_minimum]"),
        parquet="policy_claims",
    ),
    Case(
        "failing_request_received_in_year_0001",
        cell("requests.csv", 3, "received_at", "0001-01-08T13:21:00+00:00"),
        "requests.csv",
        3,
        "received_at",
        says=("the year 0001 is out of range", "earliest_year", "[year_out_of_range]"),
        parquet="requests",
        never=("OutOfBounds", "Out of bounds"),
    ),
    Case(
        "failing_request_completed_in_year_9999",
        cell("requests.csv", 4, "completed_at", "9999-12-31T23:59:59"),
        "requests.csv",
        4,
        "completed_at",
        says=("the year 9999 is out of range", "latest_year", "[year_out_of_range]"),
        parquet="requests",
        never=("OutOfBounds", "Out of bounds"),
    ),
    Case(
        "failing_activity_started_in_year_0001",
        cell("activities.csv", 3, "started_on", "0001-01-10"),
        "activities.csv",
        3,
        "started_on",
        says=("the year 0001 is out of range", "[year_out_of_range]"),
        parquet="activities",
    ),
    Case(
        "failing_activity_ended_in_year_9999",
        cell("activities.csv", 5, "ended_on", "9999-12-31"),
        "activities.csv",
        5,
        "ended_on",
        says=("the year 9999 is out of range", "[year_out_of_range]"),
        parquet="activities",
    ),
    Case(
        "failing_activity_started_in_1899",
        cell("activities.csv", 4, "started_on", "1899-12-31"),
        "activities.csv",
        4,
        "started_on",
        says=("set earliest_year: 1899", "workbook.yaml", "[year_out_of_range]"),
        parquet="activities",
    ),
    Case(
        "failing_site_timezone_not_iana",
        cell("sites.csv", 3, "timezone", "Latvia/Riga"),
        "sites.csv",
        3,
        "timezone",
        says=("'Latvia/Riga' is not an IANA time zone", "[unknown_timezone]"),
        parquet="sites",
    ),
    Case(
        "failing_processor_country_xx",
        cell("processors.csv", 4, "country", "XX"),
        "processors.csv",
        4,
        "country",
        says=("'XX' is not an ISO 3166-1 country code", "[unknown_country]"),
        parquet="processors",
    ),
    Case(
        "failing_processor_country_zz",
        cell("processors.csv", 2, "country", "zz"),
        "processors.csv",
        2,
        "country",
        says=("'zz' is not an ISO 3166-1 country code", "[unknown_country]"),
        parquet="processors",
    ),
    Case(
        "failing_site_country_uk",
        cell("sites.csv", 2, "country", "UK"),
        "sites.csv",
        2,
        "country",
        says=("use GB (ISO 3166) for the United Kingdom", "[unknown_country]"),
        parquet="sites",
    ),
    Case(
        "failing_processor_country_uk",
        cell("processors.csv", 3, "country", "UK"),
        "processors.csv",
        3,
        "country",
        says=("use GB (ISO 3166) for the United Kingdom",),
        parquet="processors",
    ),
    Case(
        # 26 October 2025: London's clocks go back at 02:00 BST, so 01:30 happens twice.
        "failing_consent_ambiguous_time",
        cell("consents.csv", 2, "at", "2025-10-26T01:30:00"),
        "consents.csv",
        2,
        "at",
        says=(
            "is ambiguous in the workbook's time zone Europe/London",
            "2025-10-26T01:30:00+01:00",
            "2025-10-26T01:30:00+00:00",
            "[ambiguous_time]",
        ),
        parquet="consents",
    ),
    Case(
        # 27 October 2024, the same in the requests table.
        "failing_request_ambiguous_received_at",
        cell("requests.csv", 5, "received_at", "2024-10-27T01:05:00"),
        "requests.csv",
        5,
        "received_at",
        says=("2024-10-27T01:05:00+01:00", "2024-10-27T01:05:00+00:00", "[ambiguous_time]"),
        parquet="requests",
    ),
    # The clarification pause (issue 15, UK GDPR Art. 12A): asked after the request came,
    # answered after it was asked; else due_date's DeadlineError, caught here first.
    Case(
        # REQ-00493: received 20 August 2026 08:00 UTC, clarification asked on 21 August
        "failing_request_clarification_asked_before_received",
        cell("requests.csv", 494, "clarification_requested_at", "2026-08-19T09:00:00+00:00"),
        "requests.csv",
        494,
        "clarification_requested_at",
        says=("is before received_at", "[clarification_before_received]"),
        parquet="requests",
    ),
    Case(
        # REQ-00494: clarification asked 8 July 2026 08:00 UTC, answered 20 July
        "failing_request_clarification_answered_before_asked",
        cell("requests.csv", 495, "clarification_received_at", "2026-07-08T07:00:00+00:00"),
        "requests.csv",
        495,
        "clarification_received_at",
        says=("is before clarification_requested_at", "[clarification_answered_before_asked]"),
        parquet="requests",
    ),
]

# Complaints (issue 16, DPA 2018 s. 164A): the dates of one complaint in order, refused
# by the one validate pass through the table's date-order rules (``Table.orders``).
CASES += [
    Case(
        # CP-2026-003 was received on 3 July 2026
        "failing_complaint_acknowledged_before_received",
        cell("complaints.csv", 4, "acknowledged_at", "2026-07-02T09:00:00+00:00"),
        "complaints.csv",
        4,
        "acknowledged_at",
        says=("is before received_at", "[acknowledged_before_received]"),
        parquet="complaints",
    ),
    Case(
        # CP-2026-005 was received on 14 August 2026
        "failing_complaint_outcome_told_before_received",
        cell("complaints.csv", 6, "outcome_told_at", "2026-08-13T10:00:00+00:00"),
        "complaints.csv",
        6,
        "outcome_told_at",
        says=("is before received_at", "[outcome_before_received]"),
        parquet="complaints",
    ),
]

# Breaches (issue 16, GDPR / UK GDPR Arts. 33 and 34): the instants of one breach in order,
# refused by the one validate pass through the table's date-order rules (``Table.orders``).
CASES += [
    Case(
        # BR-2025-07: aware on 12 November 2025 at 16:30 UTC
        "failing_breach_notified_before_aware",
        cell("breaches.csv", 2, "notified_uk_at", "2025-11-12T12:00:00+00:00"),
        "breaches.csv",
        2,
        "notified_uk_at",
        says=("is before aware_at", "[notified_before_aware]"),
        parquet="breaches",
    ),
    Case(
        # BR-2026-02: discovered on 27 March 2026 at 08:20 EET
        "failing_breach_contained_before_discovered",
        cell("breaches.csv", 3, "contained_at", "2026-03-27T07:00:00+02:00"),
        "breaches.csv",
        3,
        "contained_at",
        says=("is before discovered_at", "[contained_before_discovered]"),
        parquet="breaches",
    ),
    Case(
        # BR-2026-04: discovered on 14 May 2026 at 19:20 BST
        "failing_breach_aware_before_discovered",
        cell("breaches.csv", 4, "aware_at", "2026-05-14T18:00:00+01:00"),
        "breaches.csv",
        4,
        "aware_at",
        says=("is before discovered_at", "[aware_before_discovered]"),
        parquet="breaches",
    ),
]
