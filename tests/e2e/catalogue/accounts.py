"""Catalogue cases: see the package docstring."""

from __future__ import annotations

from tests.e2e.catalogue import Case, cell, duplicate

CASES: list[Case] = []

# The accounts table held to its whole contract (schemas.py, ``accounts``), checked in
# DuckDB at any size: an account id is never named (ids are identifiers), the row is.
NO_IDS = ("acc-",)

CASES += [
    Case(
        "failing_account_id_duplicated",
        duplicate("accounts.csv", 57, "account_id"),
        "accounts.csv",
        57,
        "account_id",
        says=("duplicates the account_id of row", "[field_uniqueness]"),
        parquet="accounts",
        never=NO_IDS,
    ),
    Case(
        "failing_account_office_not_a_site",
        cell("accounts.csv", 5, "office", "paris"),
        "accounts.csv",
        5,
        "office",
        says=("'paris' is not a site_id in sites", "[unknown_reference]"),
        parquet="accounts",
        never=NO_IDS,
    ),
    Case(
        "failing_account_last_use_in_year_0001",
        cell("accounts.csv", 7, "last_used_at", "0001-02-04T16:46:53+00:00"),
        "accounts.csv",
        7,
        "last_used_at",
        says=("the year 0001 is out of range", "[year_out_of_range]"),
        parquet="accounts",
        never=NO_IDS,
    ),
    Case(
        "failing_account_deleted_in_year_9999",
        cell("accounts.csv", 9, "deleted_at", "9999-05-11T02:43:07+00:00"),
        "accounts.csv",
        9,
        "deleted_at",
        says=("the year 9999 is out of range", "[year_out_of_range]"),
        parquet="accounts",
        never=NO_IDS,
    ),
]
