"""Benchmark: the leak scan's lookup of 1,000,000 account ids in a run's report texts.

Run with ``python benchmarks/leaks.py [REPORT_FOLDER]`` (default: a fresh sample run
without PDFs into a temporary folder). Target: under 1 s for 1M ids, against the
naive ``any(value in text ...)`` loop, timed on 10,000 ids and scaled up.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

# Run from a checkout without installing: make the package beside this folder importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from juro_privacy.run.leaks import file_text, find_leaks, shareable_files

ROWS = 1_000_000


def main() -> None:
    if len(sys.argv) > 1:
        folder = Path(sys.argv[1])
    else:
        from juro_privacy.run.orchestrate import RunOptions, run_reports

        out = Path(tempfile.mkdtemp(prefix="juro-leaks-"))
        folder = run_reports(RunOptions(out=out, pdf=False)).folder
    texts = {p.name: file_text(p, None) or "" for p in shareable_files(folder)}
    size = sum(len(t) for t in texts.values())
    ids = pa.array([f"acc-{i:09d}" for i in range(ROWS)], type=pa.string())
    best = min(_time(lambda: find_leaks(texts, [("accounts.account_id", ids)])) for _ in range(3))
    sample = ids.slice(0, 10_000).to_pylist()
    naive = _time(lambda: [v for v in sample if any(v in t for t in texts.values())])
    print(f"{len(texts)} files, {size:,} characters of report text")
    print(f"token lookup, {ROWS:,} ids: {best:.3f} s")
    print(f"substring loop, scaled to {ROWS:,} ids: {naive * ROWS / len(sample):.1f} s")


def _time(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
