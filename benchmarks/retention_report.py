"""Benchmark: the retention report's engine passes against the summary's own.

Generates synthetic accounts to Parquet in a temporary folder and times, best of
``--repeat`` runs each, the three aggregates the retention report asks the engine
for: ``summarize_retention`` (status counts), ``days_late_counts`` (days-late bins)
and ``forecast_due`` (the next four quarters). Each is one aggregate query; the
report's cost on a large table is about the sum of the three.

    python benchmarks/retention_report.py                  # 1M and 10M rows
    python benchmarks/retention_report.py --rows 200000    # a quick look
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from juro_privacy.rules.retention.rule import summarize_retention
from juro_privacy.sample.accounts import write_accounts
from juro_privacy.topics.retention import forecast as rr

AS_OF = dt.date(2026, 9, 30)


def best(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for n in args.rows:
            path = Path(folder) / f"accounts-{n}.parquet"
            write_accounts(path, n, seed=0)
            passes: dict[str, Callable[[Path, dt.date], object]] = {
                "summarize_retention": summarize_retention,
                "days_late_counts": rr.days_late_counts,
                "forecast_due": rr.forecast_due,
            }
            total = 0.0
            for name, fn in passes.items():
                seconds = best(functools.partial(fn, path, AS_OF), args.repeat)
                total += seconds
                print(f"{n:>11,} accounts  {name:20s} {seconds:5.2f} s", flush=True)
            print(f"{n:>11,} accounts  {'all three':20s} {total:5.2f} s", flush=True)
            path.unlink()


if __name__ == "__main__":
    main()
