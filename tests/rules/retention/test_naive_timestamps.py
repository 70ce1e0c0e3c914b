"""Issue #12, one reading of naive timestamps: the same accounts, every source, every engine.

A timestamp without a UTC offset is local wall time in the workbook's time zone, as the
workbook loader reads every other table (``parse_datetime`` in
``juro_privacy/workbook/load.py``): its local date is its calendar date, and a date
without a time is that local date. A timestamp with an offset is an instant. The
expected dates below are worked out by hand for Europe/London, which is on BST (UTC+1)
from 2026-03-29 01:00 UTC to 2026-10-25 01:00 UTC. As of 2026-10-01 (a Thursday).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from juro_privacy.errors import RetentionError
from juro_privacy.rules.retention.rule import assess_retention, summarize_retention
from juro_privacy.rules.retention.source import accounts_table, read_problem
from juro_privacy.rules.retention.zone_offsets import has_offset, with_local_dates
from juro_privacy.workbook.load import parse_datetime
from tests.rules.retention.conftest import spark_table

AS_OF = dt.date(2026, 10, 1)
TIMESTAMPS = ("last_used_at", "archived_at", "deleted_at")

# Noise from inside ibis 12 running on duckdb 2 and pandas 3, not from this package.
pytestmark = [
    pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*future.infer_string"),
]

# account: (last_used_at, archived_at, deleted_at) as written in the file ("" = empty),
# then, worked out by hand: archive due, status, days late; delete due, status.
ACCOUNTS: dict[str, tuple[tuple[str, str, str], tuple[Any, ...]]] = {
    # 23:30 wall time on 31 March is 31 March (it would be 00:30 BST on 1 April if read
    # as UTC). Archive due 31 March + 6 months = 30 September (no 31st): overdue 1 day.
    "a1": (("2026-03-31T23:30:00", "", ""), ("2026-09-30", "overdue", 1, "2032-03-31", "pending")),
    # 23:30 UTC on 31 March is 00:30 BST on 1 April: due 1 October = as_of, pending.
    "a2": (
        ("2026-03-31T23:30:00+00:00", "", ""),
        ("2026-10-01", "pending", None, "2032-04-01", "pending"),
    ),
    # A date alone is that local date, 1 April: due 1 October, pending.
    "a3": (("2026-04-01", "", ""), ("2026-10-01", "pending", None, "2032-04-01", "pending")),
    # 23:30+01:00 is 22:30 UTC, 23:30 BST on 31 March: due 30 September, overdue 1 day.
    "a4": (
        ("2026-03-31T23:30:00+01:00", "", ""),
        ("2026-09-30", "overdue", 1, "2032-03-31", "pending"),
    ),
    # Winter (GMT = UTC, so wall time and UTC agree): 10 January, due 10 July. Archived
    # 23:59 wall time on 10 July: on time (read as UTC, 23:59 UTC on 10 July would be
    # 00:59 BST on 11 July: late by a day).
    "a5": (
        ("2026-01-10T23:30:00", "2026-07-10T23:59:00", ""),
        ("2026-07-10", "on_time", None, "2032-01-10", "pending"),
    ),
    # Last used 23:30 wall time on 1 June; deleted 08:00 UTC = 09:00 BST on 1 June: the
    # same local date, so not "deleted before last use" (read as UTC the last use would
    # be 00:30 BST on 2 June, after the deletion: bad input). The deletion archives too:
    # archive due 1 December, done 1 June; delete due 1 June 2032, done 1 June 2026.
    "a6": (
        ("2026-06-01T23:30:00", "", "2026-06-01T08:00:00Z"),
        ("2026-12-01", "on_time", None, "2032-06-01", "on_time"),
    ),
}

# The summary, by hand from the table above: (accounts, median days late) per
# obligation and status. Archive: 2 pending (a2, a3), 2 on time (a5, a6), 2 overdue by
# 1 day (a1, a4: median and 90th percentile 1 day); delete: 5 pending, 1 on time (a6).
# Nothing is due in the next quarter (January-March 2027).
SUMMARY = {
    ("archive", "pending"): (2, None),
    ("archive", "on_time"): (2, None),
    ("archive", "late"): (0, None),
    ("archive", "overdue"): (2, 1.0),
    ("delete", "pending"): (5, None),
    ("delete", "on_time"): (1, None),
    ("delete", "late"): (0, None),
    ("delete", "overdue"): (0, None),
}


def text_frame(names: list[str] | None = None) -> pd.DataFrame:
    """The accounts with their timestamps as the text above (None for empty)."""
    rows = []
    for account, (stamps, _) in ACCOUNTS.items():
        if names is None or account in names:
            fields = dict(zip(TIMESTAMPS, (s or None for s in stamps), strict=True))
            rows.append({"account_id": account, "office": "london", **fields})
    frame = pd.DataFrame(rows, columns=["account_id", "office", *TIMESTAMPS])
    frame["delete_after_months"] = pd.array([None] * len(frame), dtype="Int64")
    return frame


def typed_frame(names: list[str]) -> pd.DataFrame:
    """The accounts ``names`` with typed timestamp columns: each column is all naive
    (``datetime64``) or all with an offset (``datetime64[us, UTC]``)."""
    frame = text_frame(names)
    for name in TIMESTAMPS:
        values = frame[name].dropna()
        aware = values.str.contains(r"(?:Z|[+-]\d\d:\d\d)$")
        assert aware.all() or not aware.any(), f"{name} mixes naive and aware values"
        parsed = pd.to_datetime(frame[name], format="ISO8601", utc=bool(aware.any()))
        frame[name] = parsed.astype("datetime64[us, UTC]" if aware.any() else "datetime64[us]")
    return frame


# Rows whose columns are each all naive or all aware, for the typed sources.
NAIVE_LAST_USE, AWARE_LAST_USE = ["a1", "a3", "a5", "a6"], ["a2", "a4"]


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    """The frame as the workbook's CSV: text as written, empty for null."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(frame.columns)
        for row in frame.itertuples(index=False):
            writer.writerow("" if pd.isna(v) else v for v in row)
    return path


def expected(names: list[str] | None = None) -> pd.DataFrame:
    """``assess_retention``'s frame for the accounts, from the hand-worked table."""
    rows = []
    for account, (_, (archive_due, archive, late, delete_due, delete)) in ACCOUNTS.items():
        if names is None or account in names:
            rows.append(
                {
                    "account_id": account,
                    "office": "london",
                    "archive_due": pd.Timestamp(archive_due),
                    "archive_status": archive,
                    "delete_due": pd.Timestamp(delete_due),
                    "delete_status": delete,
                    "archive_days_late": late,
                    "delete_days_late": None,
                }
            )
    frame = pd.DataFrame(rows)
    return frame.astype(
        {
            "account_id": "str",
            "office": "str",
            "archive_due": "datetime64[s]",
            "archive_status": "str",
            "delete_due": "datetime64[s]",
            "delete_status": "str",
            "archive_days_late": "Int64",
            "delete_days_late": "Int64",
        }
    )


def assert_summary(summary: pd.DataFrame) -> None:
    """The summary is the hand-worked SUMMARY, for the one office."""
    assert list(summary["office"].unique()) == ["london"]
    got = {
        (r["obligation"], r["status"]): (
            r["accounts"],
            None if math.isnan(r["median_days_late"]) else r["median_days_late"],
        )
        for r in summary.to_dict("records")
    }
    assert got == SUMMARY
    overdue = summary[(summary["obligation"] == "archive") & (summary["status"] == "overdue")]
    assert overdue["p90_days_late"].tolist() == [1.0]
    assert summary["due_next_quarter"].sum() == 0


def judged_in_two(split: dict[str, Any]) -> pd.DataFrame:
    """``assess_retention`` of the two typed halves, together, sorted by account."""
    frames = [assess_retention(split[key], AS_OF) for key in ("naive", "aware")]
    return pd.concat(frames, ignore_index=True).sort_values("account_id", ignore_index=True)


# ------------------------------------------------------------ the reading, per value


def test_a_mixed_csv_column_is_read_per_value(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "accounts.csv", text_frame())
    pd.testing.assert_frame_equal(assess_retention(path, AS_OF), expected())
    assert_summary(summarize_retention(path, AS_OF))


def test_text_in_parquet_and_in_a_frame_is_read_per_value(tmp_path: Path) -> None:
    frame = text_frame()
    frame.to_parquet(tmp_path / "accounts.parquet")
    for source in (frame, tmp_path / "accounts.parquet"):
        pd.testing.assert_frame_equal(assess_retention(source, AS_OF), expected())
        assert_summary(summarize_retention(source, AS_OF))


def test_typed_columns_are_read_by_their_type(tmp_path: Path) -> None:
    # Parquet TIMESTAMP (isAdjustedToUTC=false) and naive datetime64: wall time;
    # TIMESTAMPTZ (isAdjustedToUTC=true) and datetime64[us, UTC]: instants.
    naive, aware = typed_frame(NAIVE_LAST_USE), typed_frame(AWARE_LAST_USE)
    naive.to_parquet(tmp_path / "naive.parquet")
    aware.to_parquet(tmp_path / "aware.parquet")
    assert pq.read_schema(tmp_path / "naive.parquet").field("last_used_at").type.tz is None
    for split in (
        {"naive": naive, "aware": aware},
        {"naive": tmp_path / "naive.parquet", "aware": tmp_path / "aware.parquet"},
    ):
        pd.testing.assert_frame_equal(judged_in_two(split), expected())


def test_date_columns_are_local_dates_even_behind_utc(tmp_path: Path) -> None:
    # New York is UTC-4 in April. A date alone is that local date, 1 April: archive due
    # 1 October, pending on 1 October. (Read as midnight UTC it would be 20:00 EDT on 31
    # March: due 30 September, overdue.) As a DATE column, as text, and as naive midnight.
    frame = text_frame(["a3"])
    dates = typed_frame(["a3"]).assign(last_used_at=[dt.date(2026, 4, 1)])
    dates.to_parquet(tmp_path / "dates.parquet")
    assert pq.read_schema(tmp_path / "dates.parquet").field("last_used_at").type == pa.date32()
    for source in (frame, dates, tmp_path / "dates.parquet", typed_frame(["a3"])):
        row = assess_retention(source, AS_OF, timezone="America/New_York").iloc[0]
        assert (row["archive_due"], row["archive_status"]) == (
            pd.Timestamp("2026-10-01"),
            "pending",
        )


def test_legacy_int96_parquet_timestamps_are_instants(tmp_path: Path) -> None:
    # INT96 has no time zone flag; Spark writes it in UTC and reads it as TIMESTAMP,
    # DuckDB reads it as naive: it is read as the instants it holds.
    path = tmp_path / "int96.parquet"
    table = pa.Table.from_pandas(typed_frame(AWARE_LAST_USE), preserve_index=False)
    pq.write_table(table, path, use_deprecated_int96_timestamps=True)
    with duckdb.connect() as con:
        kind = con.execute(f"DESCRIBE SELECT last_used_at FROM '{path}'").fetchall()[0][1]
    assert kind == "TIMESTAMP"
    pd.testing.assert_frame_equal(assess_retention(path, AS_OF), expected(AWARE_LAST_USE))


def test_a_frame_mixing_naive_and_aware_datetimes_is_refused() -> None:
    frame = text_frame(["a1", "a2"])
    frame["last_used_at"] = pd.Series(
        [dt.datetime(2026, 3, 31, 23, 30), dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC)],
        dtype=object,
    )
    with pytest.raises(RetentionError, match="column 'last_used_at': not timestamps"):
        assess_retention(frame, AS_OF)


@pytest.mark.parametrize(
    ("value", "offset"),
    [
        ("2026-03-31T23:30:00", False),
        ("2026-03-31 23:30:00", False),
        ("2026-03-31T23:30:00.123456", False),
        ("2026-03-31T23:30", False),
        ("2026-03-31", False),
        ("2026-03-31T23:30:00+00:00", True),
        ("2026-03-31T23:30:00Z", True),
        ("2026-03-31T23:30:00.5+01:00", True),
        ("2026-03-31T23:30:00-0500", True),
        ("2026-03-31T23:30:00+01", True),  # not an offset to the loader: refused there
        ("2026-03-31 23:30:00 UTC", True),
        ("2026-03-31 23:30:00 Europe/Paris", True),
    ],
)
def test_which_text_values_have_an_offset(tmp_path: Path, value: str, offset: bool) -> None:
    frame = text_frame(["a1"]).assign(last_used_at=[value])
    table = accounts_table(write_csv(tmp_path / "accounts.csv", frame))
    assert table.select(x=has_offset(table.last_used_at)).to_pandas()["x"].tolist() == [offset]


LOADER_VALUES = [
    "2026-03-31T23:30:00",
    "2026-03-31T23:30:00+00:00",
    "2026-03-31T23:30:00Z",
    "2026-03-31T23:30:00+01:00",
    "2026-03-31T21:30:00+0000",
    "2026-04-01T02:00:00-0500",
    "2026-03-31",
    "2026-03-31 23:30:00",
    "2026-03-29T01:30:00",  # a wall time London skips (BST starts): still 29 March
    "2026-01-10T23:59:59.5",
    None,
]


@pytest.mark.parametrize("timezone", ["Europe/London", "Europe/Riga", "America/New_York"])
def test_local_dates_agree_with_the_workbook_loader(tmp_path: Path, timezone: str) -> None:
    # One reading for every table: the local date the loader gives each value (its
    # instant in UTC, shown in the zone) is the rule's, from a frame and from CSV.
    loader = parse_datetime(pd.Series(LOADER_VALUES, dtype="object"), timezone)
    expected = [None if pd.isna(v) else v.date() for v in loader.dt.tz_convert(timezone)]
    frame = pd.DataFrame(
        {
            "account_id": [f"a{i:02d}" for i in range(len(LOADER_VALUES))],
            "office": "london",
            "last_used_at": LOADER_VALUES,
            "archived_at": None,
            "deleted_at": None,
            "delete_after_months": pd.array([None] * len(LOADER_VALUES), dtype="Int64"),
        }
    )
    for source in (frame, write_csv(tmp_path / "accounts.csv", frame)):
        table = with_local_dates(accounts_table(source), {"local": "last_used_at"}, timezone)
        got = table.order_by("account_id").select("local").to_pandas()["local"]
        assert [None if pd.isna(v) else v.date() for v in got] == expected


def test_a_parquet_folder_mixing_naive_and_aware_files_is_refused(tmp_path: Path) -> None:
    # DuckDB's union of the two files would read the naive values as UTC.
    folder = tmp_path / "parts"
    folder.mkdir()
    typed_frame(NAIVE_LAST_USE).to_parquet(folder / "naive.parquet")
    typed_frame(AWARE_LAST_USE).to_parquet(folder / "aware.parquet")
    with pytest.raises(
        RetentionError,
        match=r"parts: column '\w+' holds timestamps with a UTC offset in \w+\.parquet and "
        r"without one in \w+\.parquet; write every file with the same timestamp type",
    ):
        assess_retention(folder, AS_OF)


# ---------------------------------------------------------- a value that does not parse


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("yesterday", "'yesterday' is not a timestamp"),  # read as having a zone name
        ("2026-02-30T10:00:00", "'2026-02-30T10:00:00' is not a timestamp"),  # naive
        ("2026-02-30T10:00:00+00:00", "'2026-02-30T10:00:00+00:00' is not a timestamp"),
    ],
)
def test_a_bad_timestamp_names_its_row_and_column(tmp_path: Path, value: str, text: str) -> None:
    frame = text_frame()
    frame.loc[2, "archived_at"] = value  # account a3: row 4 as a spreadsheet shows it
    path = write_csv(tmp_path / "accounts.csv", frame)
    with pytest.raises(duckdb.Error) as caught:
        summarize_retention(path, AS_OF)
    message = str(read_problem(path, caught.value))
    assert message == f"accounts.csv, row 4, column 'archived_at': {text}"


# ------------------------------------------------------------------------ on Spark


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")
def test_spark_reads_naive_timestamps_as_duckdb_does(spark: Any, tmp_path: Path) -> None:
    # Text columns (read per value); TIMESTAMP_NTZ (wall time) and TIMESTAMP (instants),
    # which Ibis shows alike; INT96 (instants). Each as DuckDB reads the same file.
    text = tmp_path / "text.parquet"
    text_frame().to_parquet(text)
    table = spark_table(spark, text, "text_accounts", tmp_path)
    pd.testing.assert_frame_equal(assess_retention(table, AS_OF), expected())
    assert_summary(summarize_retention(table, AS_OF))
    pd.testing.assert_frame_equal(
        summarize_retention(table, AS_OF), summarize_retention(text, AS_OF)
    )

    naive, aware = tmp_path / "naive.parquet", tmp_path / "aware.parquet"
    typed_frame(NAIVE_LAST_USE).to_parquet(naive)
    typed_frame(AWARE_LAST_USE).to_parquet(aware)
    split = {
        "naive": spark_table(spark, naive, "naive_accounts", tmp_path),
        "aware": spark_table(spark, aware, "aware_accounts", tmp_path),
    }
    kinds = {f.name: f.dataType.typeName() for f in spark.table("naive_accounts").schema}
    assert kinds["last_used_at"] == "timestamp_ntz"
    assert spark.table("aware_accounts").schema["last_used_at"].dataType.typeName() == "timestamp"
    pd.testing.assert_frame_equal(judged_in_two(split), expected())

    int96 = tmp_path / "int96.parquet"
    table96 = pa.Table.from_pandas(typed_frame(AWARE_LAST_USE), preserve_index=False)
    pq.write_table(table96, int96, use_deprecated_int96_timestamps=True)
    on_spark = assess_retention(spark_table(spark, int96, "int96_accounts", tmp_path), AS_OF)
    pd.testing.assert_frame_equal(on_spark, expected(AWARE_LAST_USE))
