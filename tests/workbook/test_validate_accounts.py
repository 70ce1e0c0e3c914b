"""``validate`` on the accounts table: its whole contract, one problem per kind of fault.

The sample workbook with its accounts replaced by a few hand-written rows; every expected
problem (file, row, column, reason, message) is written out from those rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from juro_privacy.errors import Problem, WorkbookError
from juro_privacy.workbook.validate import validate
from tests.conftest import warehouse
from tests.e2e.catalogue import as_parquet

HEADER = "account_id,office,last_used_at,archived_at,deleted_at,delete_after_months\n"
USED = "2025-01-01T10:00:00+00:00"
YEARS = "out of range: the workbook accepts 1900-2100 (earliest_year and latest_year in "

pytestmark = [
    pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*future.infer_string"),
]

# One of each kind of fault, on the lines noted (the header is line 1).
EVERY_FAULT = (
    f"acc-0000001,london,{USED},,,\n"  # 2: valid
    f"acc-0000002,paris,{USED},,,\n"  # 3: office not a site
    "acc-0000003,riga,0001-02-04T16:46:53+00:00,,,\n"  # 4: year 0001
    f"acc-0000004,riga,{USED},,9999-05-11T02:43:07+00:00,\n"  # 5: year 9999
    f"acc-0000001,riga,{USED},,,\n"  # 6: repeats line 2's id
    f"acc-0000006,riga,{USED},,2024-01-01T00:00:00+00:00,\n"  # 7: deleted before last use
    f"acc-0000007,,{USED},,,\n"  # 8: no office
    f"acc-0000008,lisbon,{USED},,,-3\n"  # 9: negative override
    f"acc-0000002,london,{USED},,,\n"  # 10: repeats line 3's id
)


def account_problems(root: Path) -> list[Problem]:
    """The problems ``validate`` finds in the workbook's accounts (nothing else is bad)."""
    with pytest.raises(WorkbookError) as caught:
        validate(root)
    assert "acc-" not in str(caught.value)  # ids are identifiers: never in a message
    return caught.value.problems


def test_every_kind_of_fault_is_one_problem_at_its_first_row(workbook_copy: Path) -> None:
    (workbook_copy / "accounts.csv").write_text(HEADER + EVERY_FAULT, encoding="utf-8")
    file = "accounts.csv"
    assert account_problems(workbook_copy) == [
        Problem(file, "unjudgeable_accounts", "is before last_used_at", 7, "deleted_at"),
        Problem(
            file,
            "unjudgeable_accounts",
            "is negative, over 1,200 or not a whole number",
            9,
            "delete_after_months",
        ),
        Problem(file, "not_nullable", "is empty but required", 8, "office"),
        Problem(file, "unknown_reference", "'paris' is not a site_id in sites", 3, "office"),
        Problem(
            file, "year_out_of_range", f"the year 0001 is {YEARS}workbook.yaml)", 4, "last_used_at"
        ),
        Problem(
            file, "year_out_of_range", f"the year 9999 is {YEARS}workbook.yaml)", 5, "deleted_at"
        ),
        Problem(
            file,
            "field_uniqueness",
            "duplicates the account_id of row 2 (and 1 more row)",
            6,
            "account_id",
        ),
    ]


def test_parquet_rows_are_records_counted_from_one(workbook_copy: Path) -> None:
    (workbook_copy / "accounts.csv").write_text(HEADER + EVERY_FAULT, encoding="utf-8")
    as_parquet(workbook_copy, "accounts")  # every cell as text, as a careless export has them
    problems = account_problems(workbook_copy)
    assert [(p.file, p.row, p.column, p.reason) for p in problems] == [
        ("accounts.parquet", 6, "deleted_at", "unjudgeable_accounts"),
        ("accounts.parquet", 8, "delete_after_months", "unjudgeable_accounts"),
        ("accounts.parquet", 7, "office", "not_nullable"),
        ("accounts.parquet", 2, "office", "unknown_reference"),
        ("accounts.parquet", 3, "last_used_at", "year_out_of_range"),
        ("accounts.parquet", 4, "deleted_at", "year_out_of_range"),
        ("accounts.parquet", 5, "account_id", "field_uniqueness"),
    ]
    assert problems[-1].message == "duplicates the account_id of row 1 (and 1 more row)"


def test_a_workbook_with_older_real_dates_widens_the_years(workbook_copy: Path) -> None:
    rows = f"acc-0000001,london,1850-03-01T10:00:00+00:00,,,\nacc-0000002,riga,{USED},,,\n"
    (workbook_copy / "accounts.csv").write_text(HEADER + rows, encoding="utf-8")
    assert [p.row for p in account_problems(workbook_copy)] == [2]
    with (workbook_copy / "workbook.yaml").open("a", encoding="utf-8") as handle:
        handle.write("earliest_year: 1800\n")
    validate(workbook_copy)  # accepted


def test_a_reader_error_keeps_its_row(workbook_copy: Path) -> None:
    rows = f"acc-0000001,london,{USED},,,\nacc-0000002,riga,{USED},,,,extra\n"
    (workbook_copy / "accounts.csv").write_text(HEADER + rows, encoding="utf-8")
    assert account_problems(workbook_copy) == [
        Problem("accounts.csv", "unreadable", "has 7 fields, the header has 6", 3)
    ]


def test_the_sample_accounts_are_valid(workbook_copy: Path) -> None:
    validate(workbook_copy)


def test_an_engines_accounts_are_held_to_the_same_contract(
    workbook_copy: Path, tmp_path: Path
) -> None:
    # The warehouse (--engine) holds the faulty accounts; the workbook's file is the
    # sample's, valid. Each fault is counted against the engine: it has no rows to name.
    faulty = tmp_path / "accounts.csv"
    faulty.write_text(HEADER + EVERY_FAULT, encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        validate(workbook_copy, engine=warehouse(faulty, tmp_path))
    problems = caught.value.problems
    assert "acc-" not in str(caught.value)
    assert {p.file for p in problems} == {"--engine"}
    assert sorted((p.reason, p.column) for p in problems) == [
        ("field_uniqueness", "account_id"),
        ("not_nullable", "office"),
        ("unjudgeable_accounts", "delete_after_months"),
        ("unjudgeable_accounts", "deleted_at"),
        ("unknown_reference", "office"),
        ("year_out_of_range", "deleted_at"),
        ("year_out_of_range", "last_used_at"),
    ]
    assert all(p.row is None for p in problems)


def test_the_validated_workbook_counts_its_accounts_at_the_engine(
    workbook_copy: Path, tmp_path: Path
) -> None:
    """``validate(..., engine=URL)`` gives the workbook every kernel of the run reads, and
    it counts its accounts there (``Workbook.engine``), not in its own file."""
    from juro_privacy import run_cache
    from juro_privacy.topics.retention import api
    from juro_privacy.workbook.load import load_shared_workbook

    url = warehouse(workbook_copy / "accounts.csv", tmp_path, rows=7)
    with run_cache.using():
        validated = validate(workbook_copy, engine=url)
        in_a_kernel = load_shared_workbook(workbook_copy, engine=url)  # as a notebook opens it
        on_file = load_shared_workbook(workbook_copy)
    assert validated.engine == in_a_kernel.engine == url
    assert on_file.engine == ""
    assert api.account_count(in_a_kernel) == 7
    assert api.account_count(on_file) == 2000
