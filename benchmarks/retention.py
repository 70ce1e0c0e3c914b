"""Benchmark: the retention summary through Ibis against hand-written DuckDB SQL.

Generates 1,000,000 and 10,000,000 synthetic accounts to Parquet in a temporary
folder, then, in this one process, times ``summarize_retention`` on the file
against a bare DuckDB query written by hand that computes the same counts,
percentiles and next-quarter figures (best of ``--repeat`` runs each, interleaved),
checks that both give the same table, and prints the times, their ratio and the
process's peak memory (``ru_maxrss``).

    python benchmarks/retention.py                 # 1M and 10M rows
    python benchmarks/retention.py --rows 200000   # a quick look

Targets: ratio <= 1.5, peak memory < 1 GiB, 10M rows < 3 s (2-core machine).
Exits 1 if the two disagree, 0 otherwise (targets are reported, not enforced).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import ibis
import pandas as pd

from juro_privacy.rules.retention.rule import OBLIGATIONS, STATUSES, summarize_retention
from juro_privacy.sample.accounts import write_accounts

AS_OF = dt.date(2026, 9, 30)
NEXT_QUARTER = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
GIB = 1024**3

# What a careful analyst would write directly in DuckDB: its own time-zone
# conversion (ICU) and month arithmetic (which clamps to the month's end).
BARE_SQL = """
WITH local AS (
    SELECT
        office,
        timezone('Europe/London', last_used_at)::DATE AS last_used,
        timezone('Europe/London', archived_at)::DATE AS archived,
        timezone('Europe/London', deleted_at)::DATE AS deleted,
        coalesce(delete_after_months, 72) AS delete_months
    FROM read_parquet('{path}')
), done AS (
    SELECT
        office,
        (last_used + INTERVAL 6 MONTH)::DATE AS archive_due,
        (last_used + to_months(delete_months::INTEGER))::DATE AS delete_due,
        least(
            CASE WHEN archived <= DATE '{as_of}' THEN archived END,
            CASE WHEN deleted <= DATE '{as_of}' THEN deleted END
        ) AS archive_done,
        CASE WHEN deleted <= DATE '{as_of}' THEN deleted END AS delete_done
    FROM local
)
SELECT
    office,
{columns}
FROM done
GROUP BY office
ORDER BY office
"""

OBLIGATION_SQL = """\
    count(*) FILTER (WHERE {o}_done IS NULL AND {o}_due >= DATE '{as_of}') AS {o}_pending,
    count(*) FILTER (WHERE {o}_done <= {o}_due) AS {o}_on_time,
    count(*) FILTER (WHERE {o}_done > {o}_due) AS {o}_late,
    count(*) FILTER (WHERE {o}_done IS NULL AND {o}_due < DATE '{as_of}') AS {o}_overdue,
    quantile_cont({o}_done - {o}_due, [0.5, 0.9])
        FILTER (WHERE {o}_done > {o}_due) AS {o}_late_q,
    quantile_cont(DATE '{as_of}' - {o}_due, [0.5, 0.9])
        FILTER (WHERE {o}_done IS NULL AND {o}_due < DATE '{as_of}') AS {o}_overdue_q,
    count(*) FILTER (
        WHERE {o}_done IS NULL AND {o}_due BETWEEN DATE '{q_start}' AND DATE '{q_end}'
    ) AS {o}_pending_next"""


def bare_sql(path: Path) -> str:
    """The hand-written query for one Parquet file."""
    columns = ",\n".join(
        OBLIGATION_SQL.format(o=o, as_of=AS_OF, q_start=NEXT_QUARTER[0], q_end=NEXT_QUARTER[1])
        for o in OBLIGATIONS
    )
    return BARE_SQL.format(path=path, as_of=AS_OF, columns=columns)


def bare_summary(con: duckdb.DuckDBPyConnection, path: Path) -> pd.DataFrame:
    """Run the bare query and lay its one row per office out like summarize_retention."""
    wide = con.execute(bare_sql(path)).fetchdf()
    rows = []
    for record in wide.to_dict("records"):
        for o in OBLIGATIONS:
            for status in STATUSES:
                q = record.get(f"{o}_{status}_q")
                has_q = q is not None and len(q) == 2
                rows.append(
                    {
                        "office": record["office"],
                        "obligation": o,
                        "status": status,
                        "accounts": int(record[f"{o}_{status}"]),
                        "median_days_late": round(float(q[0]), 1) if has_q else float("nan"),
                        "p90_days_late": round(float(q[1]), 1) if has_q else float("nan"),
                        "due_next_quarter": int(record[f"{o}_pending_next"])
                        if status == "pending"
                        else 0,
                    }
                )
    return pd.DataFrame(rows).astype({"office": "str", "obligation": "str", "status": "str"})


def peak_memory() -> int:
    """Peak resident memory of this process in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def best_of(repeat: int, runs: dict[str, Callable[[], pd.DataFrame]]) -> dict[str, float]:
    """Best wall time of each run, interleaved so that both see the same machine."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def bench(rows: int, folder: Path, repeat: int) -> bool:
    """Generate, time, compare; print one block of results. True if the tables agree."""
    path = folder / f"accounts_{rows}.parquet"
    start = time.perf_counter()
    write_accounts(path, rows, seed=0)
    generated = time.perf_counter() - start
    size = path.stat().st_size / 1024**2
    print(f"\n{rows:,} accounts: generated in {generated:.1f} s ({size:.0f} MiB Parquet)")

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # as in summarize_retention
    ours = summarize_retention(path, AS_OF)
    theirs = bare_summary(con, path)
    try:
        pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)
        agree = True
    except AssertionError as exc:
        print(f"  MISMATCH between summarize_retention and the bare query:\n{exc}")
        agree = False
    times = best_of(
        repeat,
        {
            "ibis": lambda: summarize_retention(path, AS_OF),
            "bare": lambda: bare_summary(con, path),
        },
    )
    ratio = times["ibis"] / times["bare"]
    print(f"  summarize_retention (Ibis on DuckDB): {times['ibis']:.2f} s")
    print(f"  hand-written DuckDB SQL:              {times['bare']:.2f} s")
    print(f"  ratio: {ratio:.2f} (target <= 1.5)")
    print(f"  peak process memory so far: {peak_memory() / 1024**2:.0f} MiB (target < 1024 MiB)")
    counts = ours.pivot_table(
        index=["obligation", "status"], columns="office", values="accounts", aggfunc="sum"
    )
    print(f"  counts agree: {'yes' if agree else 'NO'}; {ours['accounts'].sum() // 2:,} accounts")
    print("  " + counts.to_string().replace("\n", "\n  "))
    if rows >= 10_000_000:
        print(f"  10M rows under 3 s: {'yes' if times['ibis'] < 3 else 'NO'}")
    return agree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(
        f"python {platform.python_version()}, duckdb {duckdb.__version__}, "
        f"ibis {ibis.__version__}, {os.cpu_count()} cores, as of {AS_OF}"
    )
    with tempfile.TemporaryDirectory() as folder:
        agreed = [bench(rows, Path(folder), args.repeat) for rows in args.rows]
    peak = peak_memory()
    verdict = "under" if peak < GIB else "OVER"
    print(f"\npeak process memory: {peak / 1024**2:.0f} MiB ({verdict} 1 GiB)")
    return 0 if all(agreed) else 1


if __name__ == "__main__":
    sys.exit(main())
