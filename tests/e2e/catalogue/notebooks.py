"""Catalogue cases: see the package docstring.

What a notebook would refuse about the data, refused by ``validate`` first: before
issue 18 each of these workbooks was accepted, then failed the run inside a notebook
(exit 1): a TransferError in the register notebook, a DuckDB error or a DeadlineError.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.catalogue import Case, Fault, cell


def setting(key: str, value: str) -> Fault:
    """Set one setting of ``workbook.yaml`` (replacing the line that sets it, if any)."""

    def apply(root: Path) -> None:
        path = root / "workbook.yaml"
        lines = [line for line in path.read_text().splitlines() if not line.startswith(f"{key}:")]
        path.write_text("\n".join([*lines, f"{key}: {value}"]) + "\n")

    return apply


CASES: list[Case] = [
    Case(
        "failing_processor_country_user_assigned",
        cell("processors.csv", 4, "country", "QZ"),
        "processors.csv",
        4,
        "country",
        says=("'QZ'", "[unknown_country]"),
        parquet="processors",
    ),
    Case(
        # 10^11 months: the engine cannot date the due day; it was a DuckDB error in the
        # retention notebook, or "accounts.csv" with no row once the rules are applied there
        "failing_retention_rule_over_100_years",
        cell("retention_rules.csv", 2, "delete_after_months", "100000000000"),
        "retention_rules.csv",
        2,
        "delete_after_months",
        says=("over 1,200 months", "[above_maximum]"),
        parquet="retention_rules",
    ),
    Case(
        # lisbon (sites.csv row 4) has no jurisdiction: its deadlines cannot be dated
        "failing_request_office_without_jurisdiction",
        cell("requests.csv", 2, "office", "lisbon"),
        "sites.csv",
        4,
        "jurisdiction",
        says=("site lisbon handles 1 request (requests.csv from row 2)", "[missing_value]"),
        parquet="sites",
    ),
    Case(
        # 1899-12-31 at the London office: before the deadline calendars begin (1900)
        "failing_request_received_before_the_deadline_calendars",
        cell("requests.csv", 2, "received_at", "1900-01-01T00:30:00+02:00"),
        "requests.csv",
        2,
        "received_at",
        says=("falls on 1899-12-31 at its office (GB-ENG)", "[outside_calendar]"),
        parquet="requests",
    ),
    Case(
        # the working-day calendars cannot count that far (a ValueError in the notebook)
        "failing_forward_target_over_a_year",
        setting("forward_target_working_days", "2000000"),
        "workbook.yaml",
        None,
        "forward_target_working_days",
        says=("over 260 working days", "[above_maximum]"),
    ),
    Case(
        # the review date overflows (an OverflowError in the flows notebook)
        "failing_transfer_review_over_ten_years",
        setting("transfer_assessment_review_months", "1000000000000"),
        "workbook.yaml",
        None,
        "transfer_assessment_review_months",
        says=("over 120 months", "[above_maximum]"),
    ),
    Case(
        # lisbon (sites.csv row 4) has no jurisdiction: the regime that times the complaint's
        # acknowledgement is unknown (a DeadlineError in the complaints notebook)
        "failing_complaint_about_an_office_without_jurisdiction",
        cell("complaints.csv", 9, "processing_office", "lisbon"),
        "sites.csv",
        4,
        "jurisdiction",
        says=(
            "site lisbon is the processing office of 1 complaint (complaints.csv from row 9)",
            "[missing_value]",
        ),
        parquet="sites",
    ),
]
