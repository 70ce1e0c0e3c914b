"""Benchmark: the accounts held to their whole contract, against hand-written DuckDB SQL.

``juro-privacy validate`` checks the accounts file in one aggregate pass of
``table_faults`` (``juro_privacy.rules.retention.rule``): the rule's bad input (missing
last use, actions before it, bad overrides) and the contract's rules (``account_id``
present and unique, ``office`` present and a site, years within 1900-2100). This script
generates synthetic accounts (Parquet, or CSV with ``--format csv``) in a temporary
folder and, in this one process, times (best of ``--repeat``, interleaved):

- ``table_faults`` with the contract, on the clean file (what a valid workbook costs);
- the same without the contract (the rule's own checks: what validate ran before);
- a bare DuckDB query written by hand that counts the same faults (``count -
  count(DISTINCT account_id)`` for the duplicates);
- ``table_faults`` on a copy with one fault of each kind planted, the error path (the
  first row of each kind looked up, a CSV's lines found).

It checks that ours and the bare query count the same faults on the planted copy, and
prints the times, the ratio and the process's peak memory.

    python benchmarks/accounts_contract.py                  # 10M rows, Parquet
    python benchmarks/accounts_contract.py --rows 1000000 --format csv

Targets: ratio <= 1.5 on the clean file. Exits 1 if the counts disagree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import ibis

from juro_privacy.errors import RetentionError
from juro_privacy.rules.retention.rule import AccountsContract, retention_table, table_faults
from juro_privacy.rules.retention.source import accounts_table
from juro_privacy.sample.accounts import write_accounts

AS_OF = dt.date(2026, 9, 30)
SITES = ("lisbon", "london", "riga")
CONTRACT = AccountsContract(sites=frozenset(SITES), years=(1900, 2100))

# What a careful analyst would write directly in DuckDB (ICU time zones).
BARE_SQL = """
WITH local AS (
    SELECT
        account_id,
        office,
        timezone('Europe/London', {ts}last_used_at{cast})::DATE AS last_used,
        timezone('Europe/London', {ts}archived_at{cast})::DATE AS archived,
        timezone('Europe/London', {ts}deleted_at{cast})::DATE AS deleted,
        delete_after_months AS months
    FROM {source}
)
SELECT
    count(*) FILTER (WHERE last_used IS NULL) AS missing_last_use,
    count(*) FILTER (WHERE archived < last_used) AS archived_before,
    count(*) FILTER (WHERE deleted < last_used) AS deleted_before,
    count(*) FILTER (WHERE months < 0 OR months > 1200 OR months <> floor(months))
        AS bad_override,
    count(*) FILTER (WHERE account_id IS NULL) AS missing_id,
    count(*) FILTER (WHERE office IS NULL) AS missing_office,
    count(*) FILTER (WHERE office NOT IN ({sites})) AS unknown_office,
    count(*) FILTER (WHERE year(last_used) NOT BETWEEN 1900 AND 2100) AS last_used_year,
    count(*) FILTER (WHERE year(archived) NOT BETWEEN 1900 AND 2100) AS archived_year,
    count(*) FILTER (WHERE year(deleted) NOT BETWEEN 1900 AND 2100) AS deleted_year,
    count(account_id) - count(DISTINCT account_id) AS duplicates
FROM local
"""

# Our fault flags in the bare query's column order.
FLAGS = {
    "missing_last_use": ("last_used_at", "not_nullable"),
    "archived_before": ("archived_at", "unjudgeable_accounts"),
    "deleted_before": ("deleted_at", "unjudgeable_accounts"),
    "bad_override": ("delete_after_months", "unjudgeable_accounts"),
    "missing_id": ("account_id", "not_nullable"),
    "missing_office": ("office", "not_nullable"),
    "unknown_office": ("office", "unknown_reference"),
    "last_used_year": ("last_used_at", "year_out_of_range"),
    "archived_year": ("archived_at", "year_out_of_range"),
    "deleted_year": ("deleted_at", "year_out_of_range"),
    "duplicates": ("account_id", "field_uniqueness"),
}


def bare_sql(path: Path) -> str:
    """The hand-written query for one accounts file."""
    sites = ", ".join(f"'{s}'" for s in SITES)
    if path.suffix == ".csv":
        source = f"read_csv('{path}', header = true, all_varchar = true)"
        cast, months = "::TIMESTAMPTZ", "TRY_CAST(delete_after_months AS DOUBLE)"
        return BARE_SQL.format(ts="", cast=cast, source=source, sites=sites).replace(
            "delete_after_months AS months", f"{months} AS months"
        )
    return BARE_SQL.format(ts="", cast="", source=f"read_parquet('{path}')", sites=sites)


def bare_counts(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, int]:
    row = con.execute(bare_sql(path)).fetchone()
    assert row is not None
    return dict(zip(FLAGS, (int(v) for v in row), strict=True))


def ours(path: Path, contract: AccountsContract | None = CONTRACT) -> list[RetentionError]:
    return table_faults(retention_table(accounts_table(path), AS_OF), contract)


def our_counts(faults: list[RetentionError]) -> dict[str, int]:
    """The count of each fault, read from its message ("and N more rows")."""
    counts = dict.fromkeys(FLAGS, 0)
    for fault in faults:
        more = re.search(r"\(and (\d+) more rows?\)$", fault.message)
        name = next(
            n
            for n, (column, reason) in FLAGS.items()
            if (column, reason) == (fault.column, fault.reason)
            and (n != "missing_office" or "empty" in fault.message)
            and (n != "unknown_office" or "site_id" in fault.message)
        )
        counts[name] = 1 + (int(more.group(1)) if more else 0)
    return counts


def plant_faults(con: duckdb.DuckDBPyConnection, path: Path, planted: Path) -> None:
    """Copy ``path`` with one fault of each kind of the contract planted in its rows."""
    source = (
        "read_csv('{0}', all_varchar = true)" if path.suffix == ".csv" else "read_parquet('{0}')"
    )
    ts = (
        "'0001-02-04T16:46:53+00:00'"
        if path.suffix == ".csv"
        else "TIMESTAMPTZ '0001-02-04 16:46:53+00'"
    )
    late = (
        "'9999-05-11T02:43:07+00:00'"
        if path.suffix == ".csv"
        else "TIMESTAMPTZ '9999-05-11 02:43:07+00'"
    )
    fmt = (
        "(HEADER, DELIMITER ',')" if path.suffix == ".csv" else "(FORMAT PARQUET, COMPRESSION ZSTD)"
    )
    con.execute(
        f"""COPY (
        SELECT
            CASE WHEN n = 900001 THEN first_value(account_id) OVER (ORDER BY n) ELSE account_id END
                AS account_id,
            CASE WHEN n IN (500001, 700001) THEN 'paris' ELSE office END AS office,
            CASE WHEN n = 300001 THEN {ts} ELSE last_used_at END AS last_used_at,
            archived_at,
            CASE WHEN n = 400001 THEN {late} ELSE deleted_at END AS deleted_at,
            delete_after_months
        FROM (SELECT *, row_number() OVER () AS n FROM {source.format(path)})
        ORDER BY n
    ) TO '{planted}' {fmt}"""
    )


def peak_memory() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def best_of(repeat: int, runs: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """Best wall time of each run, interleaved so that all see the same machine."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def bench(rows: int, fmt: str, folder: Path, repeat: int) -> bool:
    path = folder / f"accounts_{rows}.{fmt}"
    planted = folder / f"planted_{rows}.{fmt}"
    start = time.perf_counter()
    write_accounts(path, rows, seed=0, fmt=fmt)  # type: ignore[arg-type]
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    plant_faults(con, path, planted)
    size = path.stat().st_size / 1024**2
    took = time.perf_counter() - start
    print(f"\n{rows:,} accounts, {fmt}: generated in {took:.1f} s ({size:.0f} MiB)")

    assert ours(path) == [], "the generated accounts should be valid"
    theirs, mine = bare_counts(con, planted), our_counts(ours(planted))
    agree = theirs == mine
    print(f"  planted faults counted alike: {'yes' if agree else 'NO'} {mine}")
    if not agree:
        print(f"  bare query: {theirs}")
    times = best_of(
        repeat,
        {
            "contract": lambda: ours(path),
            "rule": lambda: ours(path, None),
            "bare": lambda: bare_counts(con, path),
            "planted": lambda: ours(planted),
        },
    )
    print(f"  table_faults, whole contract (validate): {times['contract']:.2f} s")
    print(f"  table_faults, the rule's checks only:     {times['rule']:.2f} s")
    print(f"  hand-written DuckDB SQL, same counts:    {times['bare']:.2f} s")
    print(f"  ratio contract / bare: {times['contract'] / times['bare']:.2f} (target <= 1.5)")
    print(f"  error path, one fault of each kind:      {times['planted']:.2f} s")
    print(f"  peak process memory so far: {peak_memory() / 1024**2:.0f} MiB")
    return agree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000_000])
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(
        f"python {platform.python_version()}, duckdb {duckdb.__version__}, "
        f"ibis {ibis.__version__}, {os.cpu_count()} cores, as of {AS_OF}"
    )
    with tempfile.TemporaryDirectory() as folder:
        agreed = [bench(rows, args.format, Path(folder), args.repeat) for rows in args.rows]
    return 0 if all(agreed) else 1


if __name__ == "__main__":
    sys.exit(main())
