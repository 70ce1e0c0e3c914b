"""Benchmark: the retention report's one engine pass, against its three queries one by
one and against the same figures in hand-written DuckDB SQL.

Generates synthetic accounts to Parquet in a temporary folder and times, best of
``--repeat`` runs each, interleaved, in this one process:

- ``retention_counts``: what the quarterly run asks (summary, days late and the next
  four quarters' forecast, one ``GROUP BY office``);
- the three queries it replaced, one by one (``summarize_retention``,
  ``days_late_counts``, ``forecast_due``), and their sum;
- a bare DuckDB query written by hand that computes the same figures (the summary's
  columns of ``benchmarks/retention.py`` plus the days-late bins and the forecast, as
  ``FILTER`` clauses), whose figures must equal ours.

Prints the times and two ratios: the one pass over the hand-written query (target,
issue 13: at most 1.5) and the one pass over the three queries.

    python benchmarks/retention_report.py                  # 1M and 10M rows
    python benchmarks/retention_report.py --rows 200000    # a quick look
    python benchmarks/retention_report.py --rows 100000000 --repeat 1

Exits 1 if the hand-written figures differ from ours.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from retention import (  # benchmarks/retention.py: the summary's hand-written query
    AS_OF,
    BARE_SQL,
    OBLIGATION_SQL,
    best_of,
    peak_memory,
)

from juro_privacy.rules.retention.rule import OBLIGATIONS, summarize_retention
from juro_privacy.sample.accounts import write_accounts
from juro_privacy.topics.retention import forecast as rf
from juro_privacy.topics.retention.counts import retention_counts

QUARTERS = 4
NEXT_QUARTER = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))


def _between(expr: str, low: int, high: int | None) -> str:
    return f"{expr} >= {low}" if high is None else f"{expr} BETWEEN {low} AND {high}"


def bare_sql(path: Path) -> str:
    """The hand-written query: the summary's columns, the bins and the forecast."""
    columns = [
        OBLIGATION_SQL.format(o=o, as_of=AS_OF, q_start=NEXT_QUARTER[0], q_end=NEXT_QUARTER[1])
        for o in OBLIGATIONS
    ]
    quarters = rf.quarters_after(AS_OF, QUARTERS)
    for o in OBLIGATIONS:
        late = f"{o}_done > {o}_due"
        overdue = f"{o}_done IS NULL AND {o}_due < DATE '{AS_OF}'"
        for i, (low, high, _) in enumerate(rf.LATE_BINS):
            days = _between(f"({o}_done - {o}_due)", low, high)
            columns.append(f"    count(*) FILTER (WHERE {late} AND {days}) AS late_{o}_late_{i}")
            days = _between(f"(DATE '{AS_OF}' - {o}_due)", low, high)
            columns.append(
                f"    count(*) FILTER (WHERE {overdue} AND {days}) AS late_{o}_overdue_{i}"
            )
        for i, q in enumerate(quarters):
            columns.append(
                f"    count(*) FILTER (WHERE {o}_done IS NULL AND {o}_due BETWEEN "
                f"DATE '{q.start}' AND DATE '{q.end}') AS forecast_{o}_{i}"
            )
    return BARE_SQL.format(path=path, as_of=AS_OF, columns=",\n".join(columns))


def bare_counts(con: duckdb.DuckDBPyConnection, path: Path) -> pd.DataFrame:
    """The hand-written query's one row per office."""
    return con.execute(bare_sql(path)).fetchdf()


def ours_as_bare(path: Path) -> dict[str, int]:
    """Our one pass's days-late and forecast figures, named as the bare query names them
    (summed over offices), and the summary's counts per status."""
    counts = retention_counts(path, AS_OF, QUARTERS)
    out: dict[str, int] = {}
    for column in counts.days_late.columns:
        o, s = str(column).split(":")
        for i, value in enumerate(counts.days_late[column]):
            out[f"late_{o}_{s}_{i}"] = int(value)
    for o in OBLIGATIONS:
        for i, value in enumerate(counts.forecast[o]):
            out[f"forecast_{o}_{i}"] = int(value)
        for s in ("pending", "on_time", "late", "overdue"):
            rows = counts.summary[
                (counts.summary["obligation"] == o) & (counts.summary["status"] == s)
            ]
            out[f"{o}_{s}"] = int(rows["accounts"].sum())
    return out


def bare_as_dict(wide: pd.DataFrame, names: list[str]) -> dict[str, int]:
    return {name: int(wide[name].sum()) for name in names}


def bench(rows: int, folder: Path, repeat: int) -> bool:
    path = folder / f"accounts-{rows}.parquet"
    write_accounts(path, rows, seed=0)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    ours = ours_as_bare(path)
    theirs = bare_as_dict(bare_counts(con, path), list(ours))
    agree = ours == theirs
    if not agree:
        wrong = {k: (ours[k], theirs[k]) for k in ours if ours[k] != theirs[k]}
        print(f"  MISMATCH (ours, hand-written): {wrong}")

    def three() -> Any:
        summarize_retention(path, AS_OF)
        rf.days_late_counts(path, AS_OF)
        return rf.forecast_due(path, AS_OF, QUARTERS)

    times = best_of(
        repeat,
        {
            "one pass": lambda: retention_counts(path, AS_OF, QUARTERS).summary,
            "three": three,
            "bare": lambda: bare_counts(con, path),
        },
    )
    print(f"\n{rows:,} accounts (best of {repeat}, interleaved):")
    print(f"  retention_counts (one pass, Ibis on DuckDB): {times['one pass']:6.2f} s")
    print(f"  the three queries one by one:                {times['three']:6.2f} s")
    print(f"  hand-written DuckDB SQL of the same figures: {times['bare']:6.2f} s")
    print(f"  one pass / hand-written: {times['one pass'] / times['bare']:.2f} (target <= 1.5)")
    print(f"  one pass / three queries: {times['one pass'] / times['three']:.2f}")
    print(f"  figures agree: {'yes' if agree else 'NO'}")
    print(f"  peak process memory so far: {peak_memory() / 1024**2:.0f} MiB")
    path.unlink()
    return agree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        agreed = [bench(n, Path(folder), args.repeat) for n in args.rows]
    return 0 if all(agreed) else 1


if __name__ == "__main__":
    sys.exit(main())
