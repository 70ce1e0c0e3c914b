"""The bad-workbook catalogue of issue 18: one failing workbook per class of fault.

Each :class:`Case` plants one fault in a copy of the sample workbook. The test
(``tests/e2e/test_bad_workbooks.py``) runs ``juro-privacy validate`` and ``run`` on it
and asserts exit 2, one problem line naming the case's file, row and column, no
traceback, and the previous report folder byte for byte intact. A case with
``parquet`` set runs a second time with that table converted to Parquet (every cell as
text), where rows count records from 1 (a CSV's row ``r`` is record ``r - 1``).

The cases are kept by kind, one module each: ``domain`` (values the types admit but
the domain does not), ``files`` (what is wrong with a file as a file), ``accounts``
(the accounts table held to its whole contract) and ``notebooks`` (what a notebook
would refuse, refused first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tests.conftest import read_rows, set_cell, write_rows

Fault = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One failing workbook: its fault and where the refusal must point."""

    name: str  # failing_<what is wrong>
    fault: Fault
    file: str  # the file the problem line names
    row: int | None  # the row it names (a CSV's line number), None when the fault has none
    column: str | None  # the column it names, None when the fault has none
    says: tuple[str, ...] = ()  # text the problem line must also hold
    parquet: str | None = None  # also run with this table (e.g. "sites") as Parquet
    never: tuple[str, ...] = ()  # text no output may hold (an account id, say)


def cell(name: str, row: int, column: str, value: str) -> Fault:
    """Set one cell of ``name``; ``row`` is the line number (header is row 1)."""
    return lambda root: set_cell(root / name, row, column, value)


def duplicate(name: str, row: int, column: str) -> Fault:
    """Copy the first record's value of ``column`` into ``row``."""

    def apply(root: Path) -> None:
        rows = read_rows(root / name)
        i = rows[0].index(column)
        rows[row - 1][i] = rows[1][i]
        write_rows(root / name, rows)

    return apply


def as_parquet(root: Path, table: str) -> None:
    """Replace ``<table>.csv`` by ``<table>.parquet`` holding the same cells as text."""
    frame = pd.read_csv(root / f"{table}.csv", dtype=str, keep_default_na=False)
    frame = frame.replace("", None)
    (root / f"{table}.csv").unlink()
    frame.to_parquet(root / f"{table}.parquet", index=False)
