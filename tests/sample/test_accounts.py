"""Tests for juro_privacy.sample.accounts: determinism, shape, validity, a realistic mix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from juro_privacy.rules.retention.rule import (
    OBLIGATIONS,
    STATUSES,
    assess_retention,
    summarize_retention,
)
from juro_privacy.sample import accounts as accounts_sample
from juro_privacy.sample.accounts import generate_accounts, write_accounts

AS_OF = dt.date(2026, 9, 30)
COLUMNS = [
    "account_id",
    "office",
    "last_used_at",
    "archived_at",
    "deleted_at",
    "delete_after_months",
]
DTYPES = [
    "str",
    "str",
    "datetime64[us, UTC]",
    "datetime64[us, UTC]",
    "datetime64[us, UTC]",
    "Int64",
]

pytestmark = [
    pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*future.infer_string"),
]


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return generate_accounts(20_000, seed=0)


def test_same_seed_same_frame_other_seed_other_frame() -> None:
    first = generate_accounts(3000, seed=1)
    pd.testing.assert_frame_equal(first, generate_accounts(3000, seed=1))
    other = generate_accounts(3000, seed=2)
    assert not first.equals(other)
    assert first["account_id"].equals(other["account_id"])  # ids do not depend on the seed
    assert not first["last_used_at"].equals(other["last_used_at"])


def test_columns_and_dtypes(sample: pd.DataFrame) -> None:
    assert sample.columns.tolist() == COLUMNS
    assert sample.dtypes.astype(str).tolist() == DTYPES
    assert str(sample["last_used_at"].dt.tz) == "UTC"


def test_ids_are_zero_padded_unique_and_sorted(sample: pd.DataFrame) -> None:
    assert sample["account_id"].iloc[0] == "acc-0000001"
    assert sample["account_id"].iloc[-1] == "acc-0020000"
    assert sample["account_id"].is_unique
    assert sample["account_id"].is_monotonic_increasing
    assert accounts_sample._ids(9_999_998, 2, 8).to_pylist() == ["acc-09999999", "acc-10000000"]


def test_offices_are_london_and_riga_mostly_london(sample: pd.DataFrame) -> None:
    shares = sample["office"].value_counts(normalize=True)
    assert set(shares.index) == {"london", "riga"}
    assert 0.67 < shares["london"] < 0.73


def test_no_missing_last_use_and_spread_2017_to_as_of(sample: pd.DataFrame) -> None:
    last = sample["last_used_at"]
    assert last.notna().all()
    assert last.min() >= pd.Timestamp("2017-01-01", tz="UTC")
    assert last.max() < pd.Timestamp(AS_OF, tz="UTC")
    years = last.dt.year.value_counts()
    assert set(years.index) == set(range(2017, 2027))
    # A third of the accounts were used in the last six months.
    recent = last >= pd.Timestamp("2026-03-30", tz="UTC")
    assert 0.3 < recent.mean() < 0.5


def test_no_invalid_rows_in_any_nearby_time_zone(sample: pd.DataFrame) -> None:
    for column in ("archived_at", "deleted_at"):
        done = sample[column].dropna()
        assert (done.dt.normalize() > sample.loc[done.index, "last_used_at"]).all()
    for timezone in ("Europe/London", "Europe/Riga", "UTC", "America/New_York"):
        assess_retention(sample, AS_OF, timezone=timezone)  # raises on bad rows


def test_the_mix_has_every_status_of_both_obligations(sample: pd.DataFrame) -> None:
    assessed = assess_retention(sample, AS_OF)
    for obligation in OBLIGATIONS:
        shares = assessed[f"{obligation}_status"].value_counts(normalize=True)
        assert set(shares.index) == set(STATUSES), obligation
        assert shares.min() > 0.002, obligation
    archive = assessed["archive_status"].value_counts(normalize=True)
    assert archive["on_time"] > 0.5  # most accounts archived on time
    assert 0.01 < archive["overdue"] < 0.06  # a few % overdue for archiving
    delete = assessed.loc[assessed["delete_due"] < pd.Timestamp(AS_OF), "delete_status"]
    assert delete.value_counts(normalize=True)["on_time"] > 0.8  # most old ones deleted on time
    summary = summarize_retention(sample, AS_OF)
    assert (summary.groupby("office")["accounts"].sum() > 0).all()
    assert summary["due_next_quarter"].sum() > 0


def test_the_mix_has_the_awkward_cases(sample: pd.DataFrame) -> None:
    overrides = sample["delete_after_months"].dropna()
    assert set(overrides.unique()) == {24, 36, 84, 120}
    assert 0.02 < len(overrides) / len(sample) < 0.04
    as_of_end = pd.Timestamp("2026-10-01", tz="UTC")
    assert (sample["archived_at"] >= as_of_end).sum() > 0  # actions dated after as_of
    assert (sample["deleted_at"] >= as_of_end).sum() > 0
    unarchived = sample["deleted_at"].notna() & sample["archived_at"].isna()
    assert unarchived.sum() > 0  # deleted without an archive date
    hour = sample["last_used_at"].dt.hour
    near_midnight = (hour == 23) | (hour == 0)
    assert 0.03 < near_midnight.mean() < 0.1
    london = sample["last_used_at"].dt.tz_convert("Europe/London").dt.date
    assert (london != sample["last_used_at"].dt.date).sum() > 100  # the zone matters


def test_as_of_moves_the_whole_picture() -> None:
    early = generate_accounts(2000, seed=3, as_of=dt.date(2020, 6, 30))
    assert early["last_used_at"].max() < pd.Timestamp("2020-06-30", tz="UTC")
    statuses = assess_retention(early, dt.date(2020, 6, 30))["archive_status"]
    assert set(statuses) == set(STATUSES)


def test_parquet_holds_exactly_the_generated_rows(tmp_path: Path) -> None:
    path = tmp_path / "accounts.parquet"
    write_accounts(path, 5000, seed=9)
    pd.testing.assert_frame_equal(
        pd.read_parquet(path).astype({"delete_after_months": "Int64"}),
        generate_accounts(5000, seed=9),
    )


def test_blocks_stream_into_row_groups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts_sample, "CHUNK_ROWS", 1000)
    path = tmp_path / "accounts.parquet"
    write_accounts(path, 2500, seed=4)
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    frame = generate_accounts(2500, seed=4)
    pd.testing.assert_frame_equal(
        pd.read_parquet(path).astype({"delete_after_months": "Int64"}), frame
    )
    assert frame["account_id"].is_unique


def test_csv_is_iso_8601_with_offset_and_empty_nulls(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    write_accounts(path, 300, seed=5, fmt="csv")
    lines = path.read_text().splitlines()
    assert lines[0] == ",".join(COLUMNS)
    first = lines[1].split(",")
    assert first[0] == "acc-0000001"
    assert first[2].endswith("+00:00") and first[2][10] == "T" and len(first[2]) == 25
    assert any(",," in line or line.endswith(",") for line in lines[1:])
    frame = generate_accounts(300, seed=5)
    csv = pd.read_csv(path, dtype={"delete_after_months": "Int64"})
    assert csv["account_id"].tolist() == frame["account_id"].tolist()
    for column in ("last_used_at", "archived_at", "deleted_at"):
        parsed = pd.to_datetime(csv[column], format="ISO8601", utc=True)
        expected = frame[column].dt.floor("s")
        assert (parsed.isna() == expected.isna()).all()
        assert (parsed.dropna().astype("datetime64[us, UTC]") == expected.dropna()).all()
    pd.testing.assert_frame_equal(assess_retention(path, AS_OF), assess_retention(frame, AS_OF))


def test_zero_rows_and_bad_arguments(tmp_path: Path) -> None:
    empty = generate_accounts(0)
    assert empty.columns.tolist() == COLUMNS and empty.empty
    assert empty.dtypes.astype(str).tolist() == DTYPES
    write_accounts(tmp_path / "empty.parquet", 0)
    assert pq.read_table(tmp_path / "empty.parquet").num_rows == 0
    with pytest.raises(ValueError, match="n must be >= 0"):
        generate_accounts(-1)
    with pytest.raises(ValueError, match="fmt must be"):
        write_accounts(tmp_path / "x.json", 10, fmt="json")  # type: ignore[arg-type]


def test_reproducible_across_worker_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts_sample, "CHUNK_ROWS", 500)
    threaded = generate_accounts(2200, seed=12)
    monkeypatch.setattr(accounts_sample, "_WORKERS", 1)
    pd.testing.assert_frame_equal(threaded, generate_accounts(2200, seed=12))
    assert np.unique(threaded["last_used_at"].to_numpy()).size > 2000
