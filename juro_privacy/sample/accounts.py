"""Synthetic user accounts for the retention rule: deterministic, vectorised, any size.

The ``accounts`` table of the workbook (see ``docs/retention.md``) holds, per user
account, when it was last used, when it was archived and deleted, and a contract
override of the deletion period. This module makes a realistic fake one, as of a
reporting date, so that the retention rule can be shown, tested and benchmarked on
10 million rows without real personal data.

The mix as of ``as_of`` (2026-09-30 by default) mirrors a SaaS estate run by a
nightly archiving and deletion job that mostly works:

- last use spread from 2017-01-01 to the day before ``as_of``, a third of the
  accounts active in the last few months; most last uses fall in office hours,
  6 % within an hour of midnight UTC, where the time-zone rule decides the date;
- archiving: most accounts archived on time by the nightly job (01:00-04:00 UTC),
  5 % late, 6 % never (overdue once due unless deleted);
- deletion: most accounts deleted shortly before the 6-year mark, 2 % late, 4 %
  never (overdue once due), 2 % erased early on request, half of those without an
  archive date, and 1 % of the other deleted accounts missing their archive date;
- 3 % of accounts carry a contract override of the deletion period (24, 36, 84 or
  120 months);
- actions planned after ``as_of`` are absent, as they would be in an extract taken
  that day, except for a few (0.5 %) kept as dated after ``as_of``.

No row is invalid: archiving and deletion never come before last use, whatever the
organisation's time zone within a few hours of UTC. Rows are generated in blocks of
``CHUNK_ROWS``, block ``k`` from the ``k``-th child of ``numpy.random.default_rng(seed)``,
so ``write_accounts`` streams the very rows ``generate_accounts`` returns without
holding them all.
"""

from __future__ import annotations

import datetime
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Literal, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

__all__ = ["CHUNK_ROWS", "SCHEMA", "AccountsFormat", "generate_accounts", "write_accounts"]

#: The file formats ``write_accounts`` writes.
AccountsFormat: TypeAlias = Literal["parquet", "csv"]

#: Rows generated (and written as one Parquet row group) at a time.
CHUNK_ROWS = 1 << 19

#: The Arrow schema of the generated table (and of the Parquet file written).
SCHEMA = pa.schema(
    [
        pa.field("account_id", pa.string(), nullable=False),
        pa.field("office", pa.string(), nullable=False),
        pa.field("last_used_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("archived_at", pa.timestamp("us", tz="UTC")),
        pa.field("deleted_at", pa.timestamp("us", tz="UTC")),
        pa.field("delete_after_months", pa.int64()),
    ]
)

_DAY = 86_400
_US = 1_000_000
_EPOCH = datetime.date(1970, 1, 1)
_FIRST_USE = datetime.date(2017, 1, 1)
_DEFAULT_AS_OF = datetime.date(2026, 9, 30)
_OFFICES = pa.array(["london", "riga"])
_PREFIX = b"acc-"
_WORKERS = min(4, os.cpu_count() or 1)
_OVERRIDES = np.array([24, 36, 84, 120])
_MEAN_MONTH_DAYS = 365.2425 / 12


def _chunks(n: int) -> Iterator[tuple[int, int]]:
    """Yield (first row index, row count) of each block of at most CHUNK_ROWS rows."""
    for start in range(0, n, CHUNK_ROWS):
        yield start, min(CHUNK_ROWS, n - start)


def _ids(start: int, size: int, width: int) -> pa.Array:
    """Account ids ``acc-0000001``... zero-padded to ``width`` digits so they sort.

    Built as fixed-width bytes in numpy, about five times faster than formatting.
    """
    dtype = np.uint32 if start + size < 2**32 else np.uint64
    numbers = np.arange(start + 1, start + size + 1, dtype=dtype)
    length = len(_PREFIX) + width
    data = np.empty((size, length), dtype=np.uint8)
    data[:, : len(_PREFIX)] = np.frombuffer(_PREFIX, dtype=np.uint8)
    for position in range(length - 1, len(_PREFIX) - 1, -1):
        data[:, position] = numbers % 10 + ord("0")
        numbers = numbers // 10
    offsets = np.arange(0, (size + 1) * length, length, dtype=np.int32)
    return pa.StringArray.from_buffers(size, pa.py_buffer(offsets), pa.py_buffer(data))


def _timestamps(seconds: np.ndarray, missing: np.ndarray) -> pa.Array:
    """UTC timestamps (microseconds) from epoch seconds, null where ``missing``."""
    return pa.array(seconds * _US, type=pa.timestamp("us", tz="UTC"), mask=missing)


def _chunk(
    rng: np.random.Generator, start: int, size: int, width: int, as_of: datetime.date
) -> pa.Table:
    """Generate one block of accounts; every column drawn from ``rng`` in a fixed order.

    Days are int32 day numbers (days since 1970-01-01 UTC), instants int64 seconds.
    """
    i32 = np.int32
    first_day = (_FIRST_USE - _EPOCH).days
    as_of_day = (as_of - _EPOCH).days
    span = max(as_of_day - first_day, 1)

    office = pc.take(_OFFICES, (rng.random(size, dtype=np.float32) >= 0.7).astype(np.int8))

    # Last use: a third active recently, the rest spread since 2017.
    recent = rng.random(size, dtype=np.float32) < 0.35
    back = np.minimum(rng.exponential(60.0, size).astype(i32), span - 1)
    spread = rng.integers(first_day, first_day + span, size, dtype=i32)
    last_day = np.where(recent, as_of_day - 1 - back, spread)
    office_hours = rng.normal(13.5 * 3600, 2.5 * 3600, size).clip(0, _DAY - 1).astype(i32)
    near_midnight = rng.random(size, dtype=np.float32) < 0.06
    time_of_day = np.where(near_midnight, rng.integers(-3600, 3600, size, dtype=i32), office_hours)
    last_s = np.maximum(last_day.astype(np.int64) * _DAY + time_of_day, first_day * _DAY)

    # Archiving: nightly job; 5 % late, 6 % never.
    kind_a = rng.random(size, dtype=np.float32)
    archive_late = kind_a < 0.05
    archive_never = (kind_a >= 0.05) & (kind_a < 0.11)
    archive_lag = np.where(
        archive_late,
        rng.integers(190, 400, size, dtype=i32),
        rng.integers(30, 176, size, dtype=i32),
    )

    # Deletion: contract overrides on 3 %; 2 % late, 4 % never, 2 % erased early
    # (half of them before any archiving).
    overridden = rng.random(size, dtype=np.float32) < 0.03
    months = np.where(overridden, rng.choice(_OVERRIDES, size), 72).astype(i32)
    due_lag = (months * _MEAN_MONTH_DAYS).astype(i32)
    kind_d = rng.random(size, dtype=np.float32)
    delete_late = kind_d < 0.02
    delete_never = (kind_d >= 0.02) & (kind_d < 0.06)
    erased_early = (kind_d >= 0.06) & (kind_d < 0.08)
    erased_unarchived = erased_early & (kind_d < 0.07)
    delete_lag = np.where(
        delete_late,
        due_lag + rng.integers(5, 200, size, dtype=i32),
        due_lag - rng.integers(3, 60, size, dtype=i32),
    )
    delete_lag = np.where(
        erased_early, archive_lag + rng.integers(1, 400, size, dtype=i32), delete_lag
    )
    delete_lag = np.where(
        erased_unarchived,
        rng.integers(7, 29, size, dtype=i32),
        np.maximum(delete_lag, archive_lag + 1),
    )
    archive_dropped = rng.random(size, dtype=np.float32) < 0.01

    # The nightly jobs run 01:00-04:00 (archive) and 02:00-05:00 UTC (delete).
    archive_day = last_day + archive_lag
    delete_day = last_day + delete_lag
    archive_time = rng.integers(3600, 4 * 3600, size, dtype=i32)
    delete_time = rng.integers(2 * 3600, 5 * 3600, size, dtype=i32)
    archive_s = archive_day.astype(np.int64) * _DAY + archive_time
    delete_s = delete_day.astype(np.int64) * _DAY + delete_time

    # An extract taken on as_of: later actions absent, except a few dated ahead.
    dated_ahead = rng.random(size, dtype=np.float32) < 0.005
    delete_missing = delete_never | ((delete_day > as_of_day) & ~dated_ahead)
    archive_missing = (
        archive_never
        | erased_unarchived
        | (archive_dropped & ~delete_missing)
        | ((archive_day > as_of_day) & ~dated_ahead)
    )

    return pa.Table.from_arrays(
        [
            _ids(start, size, width),
            office,
            _timestamps(last_s, np.zeros(size, dtype=bool)),
            _timestamps(archive_s, archive_missing),
            _timestamps(delete_s, delete_missing),
            pa.array(months.astype(np.int64), type=pa.int64(), mask=~overridden),
        ],
        schema=SCHEMA,
    )


def _tables(n: int, seed: int, as_of: datetime.date) -> Iterator[pa.Table]:
    """Yield the accounts in blocks; the same (n, seed, as_of) always yields the same rows.

    Block ``k`` draws from the ``k``-th child of ``numpy.random.default_rng(seed)``
    (``Generator.spawn``), so blocks are independent and are generated on a few
    threads (numpy and Arrow release the GIL), at most ``_WORKERS`` blocks ahead.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    blocks = list(_chunks(n))
    rngs = np.random.default_rng(seed).spawn(len(blocks))
    width = max(7, len(str(n)))
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        pending: deque[Future[pa.Table]] = deque()
        for rng, (start, size) in zip(rngs, blocks, strict=True):
            pending.append(pool.submit(_chunk, rng, start, size, width, as_of))
            if len(pending) > _WORKERS:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def generate_accounts(
    n: int, seed: int = 0, *, as_of: datetime.date = _DEFAULT_AS_OF
) -> pd.DataFrame:
    """Return ``n`` synthetic accounts as of ``as_of``, deterministic for ``seed``.

    Columns: ``account_id`` (str), ``office`` (str, "london" ~70 % or "riga"),
    ``last_used_at``, ``archived_at``, ``deleted_at`` (``datetime64[us, UTC]``, the
    last two nullable) and ``delete_after_months`` (nullable ``Int64``).
    """
    tables = list(_tables(n, seed, as_of)) or [SCHEMA.empty_table()]
    frame: pd.DataFrame = pa.concat_tables(tables).to_pandas(
        types_mapper={pa.int64(): pd.Int64Dtype()}.get
    )
    return frame


def _csv_ready(table: pa.Table) -> pa.Table:
    """Format timestamps as ISO 8601 with offset (``2025-03-01T23:30:00+00:00``)."""
    columns = []
    for field, column in zip(table.schema, table.columns, strict=True):
        if pa.types.is_timestamp(field.type):
            whole_seconds = pc.cast(column, pa.timestamp("s", tz="UTC"), safe=False)
            column = pc.strftime(whole_seconds, format="%Y-%m-%dT%H:%M:%S+00:00")
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names)


def write_accounts(
    path: str | Path,
    n: int,
    seed: int = 0,
    *,
    fmt: AccountsFormat = "parquet",
    as_of: datetime.date = _DEFAULT_AS_OF,
) -> None:
    """Write ``generate_accounts(n, seed, as_of=as_of)`` to ``path``, one block at a time.

    Parquet: one row group per block of ``CHUNK_ROWS`` rows, zstd-compressed. CSV:
    a header line, timestamps in ISO 8601 with offset, empty fields for nulls.
    Memory stays at about one block whatever ``n`` is.
    """
    if fmt == "parquet":
        with pq.ParquetWriter(str(path), SCHEMA, compression="zstd") as writer:
            for table in _tables(n, seed, as_of):
                writer.write_table(table, row_group_size=CHUNK_ROWS)
            if n == 0:
                writer.write_table(SCHEMA.empty_table())
    elif fmt == "csv":
        schema = _csv_ready(SCHEMA.empty_table()).schema
        options = pacsv.WriteOptions(include_header=False, quoting_style="none")
        with open(path, "wb") as sink:
            sink.write((",".join(SCHEMA.names) + "\n").encode())
            with pacsv.CSVWriter(sink, schema, write_options=options) as writer:
                for table in _tables(n, seed, as_of):
                    writer.write_table(_csv_ready(table))
    else:
        raise ValueError(f"fmt must be 'parquet' or 'csv', got {fmt!r}")
