"""Benchmark: the leak scan of the account ids at 1M, 10M and 100M accounts, in bounded memory.

Run with ``python benchmarks/leaks.py [--sizes 1000000,10000000,100000000] [REPORT_FOLDER]``
(default report folder: a fresh sample run without PDFs into a temporary folder).

For each size, a Parquet file of that many account ids is written (by DuckDB, streamed),
and each lookup runs in a child process of its own, so that its peak memory (the child's
maximum resident set) is its own:

- **engine**: the scan as the run does it (``leaks.lazy_leaks``): the report's tokens go
  to DuckDB as a table and are joined with the ids where they lie;
- **in memory** (the baseline, up to 10M): every id read into Python (pyarrow) and
  looked up among the tokens (``leaks.find_leaks``), as the scan did before issue 13.

One id is planted in the report texts; a lookup that does not find it fails the
benchmark. Target (issue 13): the engine lookup's peak memory flat in the number of
accounts (well under 3 GiB at 100M), its time a few seconds.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run from a checkout without installing: make the package beside this folder importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SIZES = (1_000_000, 10_000_000, 100_000_000)
BASELINE_MAX = 10_000_000  # the in-memory lookup beyond this needs more memory than we allow
CANARY = 42


def account_id(i: int) -> str:
    return f"acc-{i:09d}"


def write_ids(rows: int, folder: Path) -> Path:
    """A Parquet file of ``rows`` account ids, written by DuckDB without holding them."""
    import duckdb

    path = folder / f"accounts-{rows}.parquet"
    if not path.exists():
        duckdb.sql(
            f"COPY (SELECT 'acc-' || lpad(i::VARCHAR, 9, '0') AS account_id "
            f"FROM range({rows}) t(i)) TO '{path}' (FORMAT parquet)"
        )
    return path


def report_texts(folder: Path | None) -> dict[str, str]:
    from juro_privacy.run.leaks import file_text, find_pdftotext, shareable_files

    if folder is None:
        from juro_privacy.run.orchestrate import RunOptions, run_reports

        out = Path(tempfile.mkdtemp(prefix="juro-leaks-"))
        folder = run_reports(RunOptions(out=out, pdf=False)).folder
    texts = {p.name: file_text(p, find_pdftotext()) for p in shareable_files(folder)}
    texts["planted.txt"] = f"a leaked id: {account_id(CANARY)}."
    return texts


def child(mode: str, ids: Path, texts_file: Path) -> None:
    """One lookup; prints its seconds and the leaks found as JSON."""
    import pyarrow.parquet as pq

    from juro_privacy.run.leaks import find_leaks, lazy_leaks, lazy_table, token_index

    texts = json.loads(texts_file.read_text())
    start = time.perf_counter()
    if mode == "engine":
        found, _ = lazy_leaks(texts, token_index(texts), "accounts.account_id", lazy_table(ids))
    else:
        values = pq.read_table(ids, columns=["account_id"])["account_id"].combine_chunks()
        found = find_leaks(texts, [("accounts.account_id", values)])
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: KiB
    leaked = sorted({x.value for x in found})
    print(json.dumps({"seconds": seconds, "peak_kib": peak_kib, "leaks": leaked}))


def measure(mode: str, ids: Path, texts_file: Path) -> tuple[float, float]:
    """Seconds and peak resident memory (GiB) of one lookup in a child process."""
    proc = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(ids), str(texts_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["leaks"] != [account_id(CANARY)]:
        raise SystemExit(f"{mode} lookup found {result['leaks']}, not the planted id")
    return result["seconds"], result["peak_kib"] / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--child", nargs=3, metavar=("MODE", "IDS", "TEXTS"))
    args = parser.parse_args()
    if args.child:
        mode, ids, texts_file = args.child
        child(mode, Path(ids), Path(texts_file))
        return
    work = Path(tempfile.mkdtemp(prefix="juro-leaks-ids-"))
    texts = report_texts(args.folder)
    texts_file = work / "texts.json"
    texts_file.write_text(json.dumps(texts))
    print(f"{len(texts)} files, {sum(len(t) for t in texts.values()):,} characters of text")
    print(f"{'accounts':>12}  {'lookup':<9} {'seconds':>8} {'peak GiB':>9}")
    rows = [int(s) for s in args.sizes.split(",")]
    results: list[tuple[int, str, float, float]] = []
    for n in rows:
        ids = write_ids(n, work)
        seconds, peak = measure("engine", ids, texts_file)
        results.append((n, "engine", seconds, peak))
        print(f"{n:>12,}  {'engine':<9} {seconds:>8.2f} {peak:>9.2f}", flush=True)
    for n in rows:
        if n > BASELINE_MAX:
            continue
        seconds, peak = measure("memory", write_ids(n, work), texts_file)
        results.append((n, "in memory", seconds, peak))
        print(f"{n:>12,}  {'in memory':<9} {seconds:>8.2f} {peak:>9.2f}", flush=True)
    print("peak GiB: the lookup's process, its maximum resident set (getrusage)")
    for n, mode, seconds, peak in results:
        if mode == "engine" and n != rows[0]:
            base = next(r for r in results if r[0] == rows[0] and r[1] == "engine")
            print(
                f"engine at {n:,} against {rows[0]:,}: time x{seconds / base[2]:.1f}, "
                f"memory x{peak / base[3]:.2f}"
            )


if __name__ == "__main__":
    main()
