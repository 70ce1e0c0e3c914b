"""Tests for the accounts' bad rows (``table_faults``): each kind named once, at its first
row (a CSV's line, a Parquet file's record), with the count of the others, never an id.

Every expected line below is written out by hand from the rows of its test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from juro_privacy.errors import RetentionError
from juro_privacy.rules.retention.rule import (
    AccountsContract,
    assess_retention,
    retention_table,
    table_faults,
)
from juro_privacy.rules.retention.source import accounts_table, csv_lines

AS_OF = dt.date(2026, 9, 30)
HEADER = "account_id,office,last_used_at,archived_at,deleted_at,delete_after_months\n"
SITES = AccountsContract(sites=frozenset({"london", "riga"}))
USED = "2025-01-01T10:00:00+00:00"

pytestmark = [
    pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*future.infer_string"),
]


def faults(source: Any, contract: AccountsContract | None = SITES) -> list[str]:
    """Each fault of ``source`` as its one line, checked to name no account id."""
    table = source if isinstance(source, ibis.Table) else accounts_table(source)
    found = table_faults(retention_table(table, AS_OF), contract)
    lines = [str(fault) for fault in found]
    assert not any("acc-" in line for line in lines), lines
    return lines


def write_csv(path: Path, body: str) -> Path:
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def account(account_id: str, office: str | None = "london", **cells: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "account_id": account_id,
        "office": office,
        "last_used_at": USED,
        "archived_at": None,
        "deleted_at": None,
        "delete_after_months": None,
    }
    return row | cells


# ----------------------------------------------------------------- CSV: the line


def test_csv_rows_are_the_lines_of_the_file(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "accounts.csv",
        f"acc-1,london,{USED},,,\n"  # line 2
        "\n"  # line 3: blank, no record
        f'acc-2,"lon\ndon",{USED},,,\n'  # lines 4-5: one record, named by its first line
        "acc-3,riga,,,,\n"  # line 6: no last use
        f"acc-1,riga,{USED},2024-12-01T00:00:00+00:00,,\n",  # line 7: acc-1 again, archived early
    )
    assert faults(path) == [
        "accounts.csv, row 6, column 'last_used_at': is empty but required",
        "accounts.csv, row 7, column 'archived_at': is before last_used_at",
        "accounts.csv, row 4, column 'office': 'lon\\ndon' is not a site_id in sites",
        "accounts.csv, row 7, column 'account_id': duplicates the account_id of row 2",
    ]


def test_each_kind_names_its_first_row_and_counts_the_others(tmp_path: Path) -> None:
    ids = ["acc-x", "acc-y", "acc-x", "acc-z", "acc-y", "acc-x"]  # lines 2-7
    offices = ["london", "paris", "riga", "rome", "paris", "london"]
    body = "".join(f"{i},{o},{USED},,,\n" for i, o in zip(ids, offices, strict=True))
    path = write_csv(tmp_path / "accounts.csv", body)
    # Duplicates: lines 4, 6 and 7 repeat an earlier line; the first, line 4, repeats line 2.
    assert faults(path) == [
        "accounts.csv, row 3, column 'office': 'paris' is not a site_id in sites (and 2 more rows)",
        "accounts.csv, row 4, column 'account_id': duplicates the account_id of row 2 "
        "(and 2 more rows)",
    ]


def test_faults_carry_file_row_column_and_reason(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "accounts.csv", f"acc-1,,{USED},,,\n,riga,{USED},,,\n")
    found = table_faults(retention_table(accounts_table(path), AS_OF), SITES)
    assert [(f.file, f.row, f.column, f.reason, f.message) for f in found] == [
        ("accounts.csv", 3, "account_id", "not_nullable", "is empty but required"),
        ("accounts.csv", 2, "office", "not_nullable", "is empty but required"),
    ]


def test_years_out_of_the_workbooks_range(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "accounts.csv",
        "acc-1,london,0001-06-15T10:00:00+00:00,,,\n"  # line 2
        f"acc-2,london,{USED},,9999-06-15T10:00:00+00:00,\n"  # line 3
        "acc-3,london,1899-06-15T10:00:00,,,\n"  # line 4: naive, a wall time
        f"acc-4,london,{USED},2101-01-01,,\n",  # line 5: a date
    )
    text = "out of range: the workbook accepts 1900-2100 (earliest_year and latest_year in "
    assert faults(path) == [
        f"accounts.csv, row 2, column 'last_used_at': the year 0001 is {text}workbook.yaml)"
        " (and 1 more row)",
        f"accounts.csv, row 5, column 'archived_at': the year 2101 is {text}workbook.yaml)",
        f"accounts.csv, row 3, column 'deleted_at': the year 9999 is {text}workbook.yaml)",
    ]
    # A workbook whose real dates are older widens the range.
    wide = AccountsContract(sites=SITES.sites, years=(1, 9999))
    assert faults(path, wide) == []


def test_a_missing_id_is_no_duplicate_and_hides_none(tmp_path: Path) -> None:
    # Lines 2-5: no id, acc-1, no id, acc-1 again. DuckDB's hash of a null is a value:
    # counted among the ids' hashes it would make two ids look distinct.
    path = write_csv(
        tmp_path / "accounts.csv",
        f",london,{USED},,,\nacc-1,london,{USED},,,\n,riga,{USED},,,\nacc-1,riga,{USED},,,\n",
    )
    assert faults(path) == [
        "accounts.csv, row 2, column 'account_id': is empty but required (and 1 more row)",
        "accounts.csv, row 5, column 'account_id': duplicates the account_id of row 3",
    ]
    unique = write_csv(tmp_path / "unique.csv", f",london,{USED},,,\nacc-1,london,{USED},,,\n")
    assert faults(unique) == [
        "unique.csv, row 2, column 'account_id': is empty but required",
    ]


def test_without_a_contract_only_the_rules_own_checks(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "accounts.csv", f"acc-1,paris,{USED},,,\nacc-1,,0001-01-01T10:00:00Z,,,\n"
    )
    assert faults(path, None) == []


def test_csv_lines_counts_as_the_loader_does(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b'h1,h2\r\na,b\r\n\r\n"x\r\ny",z\r\nc,d\r\n')
    # Records: 1 on line 2; 2 on lines 4-5 (named 4, where it starts); 3 on line 6.
    assert csv_lines(path, [3, 1, 2]) == {1: 2, 2: 4, 3: 6}
    assert csv_lines(path, [4]) == {}


# ----------------------------------------------------------- Parquet: the record


def test_parquet_rows_are_records_from_one_with_typed_timestamps(tmp_path: Path) -> None:
    aware = pa.timestamp("us", tz="UTC")
    table = pa.table(
        {
            "account_id": ["acc-1", "acc-2", "acc-1"],
            "office": ["london", "paris", "riga"],
            "last_used_at": pa.array(
                [dt.datetime(2025, 1, 1), dt.datetime(1, 6, 15), dt.datetime(2025, 1, 1)], aware
            ),
            "archived_at": pa.array([None, None, dt.datetime(9999, 6, 15)], pa.timestamp("us")),
            "deleted_at": pa.array([None, None, None], aware),
            "delete_after_months": pa.array([None, 6, None], pa.int64()),
        }
    )
    pq.write_table(table, tmp_path / "accounts.parquet")
    text = "out of range: the workbook accepts 1900-2100 (earliest_year and latest_year in "
    assert faults(tmp_path / "accounts.parquet") == [
        "accounts.parquet, row 2, column 'office': 'paris' is not a site_id in sites",
        f"accounts.parquet, row 2, column 'last_used_at': the year 0001 is {text}workbook.yaml)",
        f"accounts.parquet, row 3, column 'archived_at': the year 9999 is {text}workbook.yaml)",
        "accounts.parquet, row 3, column 'account_id': duplicates the account_id of row 1",
    ]


def test_parquet_of_text_cells_is_read_as_the_csv_is(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        [
            account("acc-1", delete_after_months="6"),
            account("acc-2", delete_after_months=""),
            account("acc-3", delete_after_months="six"),
            account("acc-4", last_used_at="9999-01-01T00:00:00+00:00", delete_after_months=None),
        ]
    )
    frame.to_parquet(tmp_path / "accounts.parquet", index=False)
    assert faults(tmp_path / "accounts.parquet") == [
        "accounts.parquet, row 3, column 'delete_after_months': is negative, over 1,200 or "
        "not a whole number",
        "accounts.parquet, row 4, column 'last_used_at': the year 9999 is out of range: the "
        "workbook accepts 1900-2100 (earliest_year and latest_year in workbook.yaml)",
    ]
    # The text "6" is six months: the one good override is read as a number.
    result = assess_retention(pd.DataFrame([account("acc-1", delete_after_months="6")]), AS_OF)
    assert result["delete_due"].iloc[0] == pd.Timestamp("2025-07-01")


def test_a_folder_names_the_file_inside_it(tmp_path: Path) -> None:
    folder = tmp_path / "accounts"
    folder.mkdir()
    pd.DataFrame([account("acc-1"), account("acc-2")]).to_parquet(folder / "part-0.parquet")
    later = [account("acc-3"), account("acc-1"), account("acc-4", office="paris")]
    pd.DataFrame(later).to_parquet(folder / "part-1.parquet")
    assert faults(folder) == [
        "accounts/part-1.parquet, row 3, column 'office': 'paris' is not a site_id in sites",
        "accounts/part-1.parquet, row 2, column 'account_id': duplicates the account_id of "
        "accounts/part-0.parquet, row 1",
    ]


# ------------------------------------------------- frames and engines: no file


def test_a_frame_names_its_records_from_one() -> None:
    frame = pd.DataFrame([account("acc-1"), account("acc-2", office="paris"), account("acc-1")])
    assert faults(frame) == [
        "row 2, column 'office': 'paris' is not a site_id in sites",
        "row 3, column 'account_id': duplicates the account_id of row 1",
    ]


def test_an_engine_table_gets_counts_and_no_ids() -> None:
    rows = [account("acc-1", last_used_at=None), account("acc-1", office="paris")]
    rows.append(account("acc-2", last_used_at=None))
    table = ibis.memtable(pd.DataFrame(rows))
    assert faults(table) == [
        "column 'last_used_at': is empty but required, in 2 rows",
        "column 'office': is not a site_id in sites, in 1 row",
        "column 'account_id': repeats the account_id of an earlier row, in 1 row",
    ]


def test_the_rules_error_lists_every_kind_without_ids(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "accounts.csv",
        f"acc-1,london,,,,\nacc-2,london,{USED},,2024-01-01T00:00:00+00:00,-3\n",
    )
    with pytest.raises(RetentionError) as caught:
        assess_retention(path, AS_OF)
    assert str(caught.value) == (
        "the retention rule cannot judge these accounts: "
        "accounts.csv, row 2, column 'last_used_at': is empty but required; "
        "accounts.csv, row 3, column 'deleted_at': is before last_used_at; "
        "accounts.csv, row 3, column 'delete_after_months': is negative, over 1,200 or not a "
        "whole number"
    )
    assert [fault.reason for fault in caught.value.faults] == [
        "not_nullable",
        "unjudgeable_accounts",
        "unjudgeable_accounts",
    ]
