"""Shared builders: a copy of the sample workbook to break, a CLI runner, and the one
full run of the sample that the end-to-end checks read (run once per session: each full
run costs a minute of CI)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import settings

from juro_privacy.paths import sample_dir

# No example has a time limit: a property holds or fails whatever the machine's load
# (two pytest workers share CI's two cores). Speed is measured in benchmarks/.
settings.register_profile("juro", deadline=None)
settings.load_profile("juro")

#: Session fixtures that cost a run or a JVM: with pytest-xdist (``-n 2 --dist
#: loadgroup``, pyproject.toml) every test that uses one goes to the same worker, so
#: each is built once per session, not once per worker.
SHARED_FIXTURES = ("sample_run", "spark")


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for name in SHARED_FIXTURES:
            if name in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(name))
                break


@dataclass(frozen=True)
class SampleRun:
    """The sample's reports: 2026-Q2 in-process without PDFs, then 2026-Q3 through the
    CLI as a user types it (with PDFs where Chromium is installed), into one folder."""

    out: Path
    cli: subprocess.CompletedProcess[str]

    @property
    def q3(self) -> Path:
        return self.out / "2026-Q3"


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> SampleRun:
    """One full run of the sample for every test that only reads its reports; a test
    that changes a report copies it first."""
    from juro_privacy.run.orchestrate import RunOptions, run_reports

    out = tmp_path_factory.mktemp("sample-run")
    run_reports(RunOptions(period="2026-Q2", out=out, pdf=False))
    proc = run_cli("run", "--period", "2026-Q3", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return SampleRun(out, proc)


@pytest.fixture
def workbook_copy(tmp_path: Path) -> Path:
    """A fresh copy of the bundled sample workbook, safe to damage."""
    target = tmp_path / "workbook"
    shutil.copytree(sample_dir(), target)
    return target


def warehouse(accounts_csv: Path, folder: Path, *, rows: int | None = None) -> str:
    """A DuckDB database in ``folder`` whose ``accounts`` table holds the accounts of
    ``accounts_csv`` (the first ``rows`` when given), typed as a warehouse types them;
    its Ibis URL, as ``--engine`` takes it."""
    import duckdb

    database = folder / "warehouse.duckdb"
    limit = "" if rows is None else f" LIMIT {rows}"
    with duckdb.connect(str(database)) as con:
        con.execute(
            f"CREATE TABLE accounts AS SELECT * FROM read_csv('{accounts_csv}', header = true, "
            "types = {'last_used_at': 'TIMESTAMPTZ', 'archived_at': 'TIMESTAMPTZ', "
            f"'deleted_at': 'TIMESTAMPTZ', 'delete_after_months': 'INTEGER'}}){limit}"
        )
    return f"duckdb://{database}"


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` is the file's line number (header is row 1)."""
    rows = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def empty_tables(folder: Path, *tables: str) -> None:
    """Leave each CSV table of ``folder`` its header row only: a table with no records."""
    for table in tables:
        path = folder / f"{table}.csv"
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``juro-privacy`` as a subprocess, as a user or a scheduler would."""
    return subprocess.run(
        [sys.executable, "-m", "juro_privacy", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


def accounts(*rows: dict[str, Any]) -> pd.DataFrame:
    """A frame of accounts; timestamps as ISO strings (UTC when no offset), ids a1, a2..."""
    records = []
    for number, row in enumerate(rows, start=1):
        record = {
            "account_id": f"a{number}",
            "office": "london",
            "last_used_at": None,
            "archived_at": None,
            "deleted_at": None,
            "delete_after_months": None,
        }
        record.update(row)
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    for name in ("last_used_at", "archived_at", "deleted_at"):
        frame[name] = pd.to_datetime(frame[name], utc=True, format="ISO8601")
    frame["delete_after_months"] = frame["delete_after_months"].astype("Int64")
    return frame
