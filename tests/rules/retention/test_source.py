"""Tests for juro_privacy.rules.retention.source: files, frames, Ibis URLs, missing columns.

Each reading is checked through the retention rule it feeds, as of 2026-09-30.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import duckdb
import ibis
import pandas as pd
import pytest

from juro_privacy.errors import RetentionError
from juro_privacy.paths import sample_dir
from juro_privacy.rules.retention.rule import assess_retention, summarize_retention
from juro_privacy.rules.retention.source import connect_engine, redact_url
from juro_privacy.sample.accounts import generate_accounts, write_accounts
from tests.conftest import accounts

AS_OF = dt.date(2026, 9, 30)

# Noise from inside ibis 12 running on duckdb 2 and pandas 3, not from this package.
pytestmark = [
    pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*future.infer_string"),
]


# ------------------------------------------------------------- missing columns, bad files


def test_missing_columns_are_named() -> None:
    frame = accounts({"last_used_at": "2025-01-15T12:00:00Z"}).drop(
        columns=["deleted_at", "office"]
    )
    with pytest.raises(RetentionError, match="missing required columns 'office', 'deleted_at'"):
        assess_retention(frame, AS_OF)


def test_missing_columns_in_a_file_are_named(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("account_id,office,last_used_at\na1,london,2025-01-01T10:00:00+00:00\n")
    with pytest.raises(RetentionError, match="missing required columns 'archived_at'"):
        summarize_retention(path, AS_OF)


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(RetentionError, match="no such file"):
        assess_retention(tmp_path / "nope.parquet", AS_OF)
    (tmp_path / "accounts.xlsx").write_bytes(b"")
    with pytest.raises(RetentionError, match=r"expected a \.parquet or \.csv"):
        assess_retention(tmp_path / "accounts.xlsx", AS_OF)


# ---------------------------------------------------------- files, frames, engines


def test_parquet_folder_csv_and_ibis_table_agree_with_the_frame(tmp_path: Path) -> None:
    frame = generate_accounts(2000, seed=5)
    expected = assess_retention(frame, AS_OF)
    write_accounts(tmp_path / "accounts.parquet", 2000, seed=5)
    write_accounts(tmp_path / "accounts.csv", 2000, seed=5, fmt="csv")
    folder = tmp_path / "parts"
    folder.mkdir()
    frame.iloc[:700].to_parquet(folder / "part-0.parquet")
    frame.iloc[700:].to_parquet(folder / "part-1.parquet")
    con = ibis.duckdb.connect()
    con.raw_sql(
        f"CREATE TABLE accounts AS SELECT * FROM read_parquet('{tmp_path}/accounts.parquet')"
    )
    for source in (
        tmp_path / "accounts.parquet",
        str(tmp_path / "accounts.csv"),
        folder,
        con.table("accounts"),  # time-zone-aware DuckDB timestamps, used as they are
    ):
        pd.testing.assert_frame_equal(assess_retention(source, AS_OF), expected)


def test_connect_engine_reads_the_accounts_table(tmp_path: Path) -> None:
    database = tmp_path / "warehouse.duckdb"
    write_accounts(tmp_path / "accounts.parquet", 1000, seed=6)
    with duckdb.connect(str(database)) as con:
        con.execute(f"CREATE TABLE accounts AS SELECT * FROM '{tmp_path}/accounts.parquet'")
    table = connect_engine(f"duckdb://{database}")
    pd.testing.assert_frame_equal(
        summarize_retention(table, AS_OF),
        summarize_retention(tmp_path / "accounts.parquet", AS_OF),
    )
    with pytest.raises(RetentionError, match="has no table 'users'"):
        connect_engine(f"duckdb://{database}", table="users")


def test_connect_engine_errors_hide_the_password() -> None:
    with pytest.raises(RetentionError) as caught:
        connect_engine("nosuchengine://dpo:s3cret@db.example:5432/privacy")
    assert "s3cret" not in str(caught.value)
    assert redact_url("postgres://dpo:s3cret@db:5432/x") == "postgres://dpo:***@db:5432/x"
    assert redact_url("duckdb:///tmp/x.db") == "duckdb:///tmp/x.db"


def test_a_duckdb_of_the_package_is_held_to_its_memory_and_spills_outside_the_working_folder(
    tmp_path, monkeypatch
):
    """Issue 13: no process above 3 GiB. DuckDB's default (80 % of the machine) let the
    validation's distinct count of 100 million ids hold 4.9 GiB; its default spill
    folder is ``.tmp`` in the working folder."""
    from juro_privacy.rules.retention.source import DUCKDB_MEMORY, accounts_table

    monkeypatch.chdir(tmp_path)
    table = accounts_table(sample_dir() / "accounts.csv")
    con = ibis.get_backend(table)
    limit, spill = con.raw_sql(
        "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
    ).fetchone()
    assert DUCKDB_MEMORY == "2GB" and limit == "1.8 GiB"  # DuckDB prints 2 GB in GiB
    assert spill.startswith(tempfile.gettempdir()) and spill.endswith(f"-{os.getpid()}")
