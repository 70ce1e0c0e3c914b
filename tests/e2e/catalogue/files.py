"""Catalogue cases: see the package docstring.

What is wrong with a file as a file (issue 18): bytes that are not UTF-8 text anywhere
in it (past the first 64 KiB, which is all that was read for NUL bytes before), a copy
cut short into NUL bytes, a header naming a column twice, a quote that never closes, a
folder or an empty file where a table was expected, a link leading out of the folder, a
typed Parquet date no reader can hold. Row numbers are written out by hand: the sample's
``accounts.csv`` passes 64 KiB at row 941, ``marketing_sends.csv`` at row 712.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tests.conftest import read_rows, write_rows
from tests.e2e.catalogue import Case, Fault

CASES: list[Case] = []


def _insert(name: str, row: int, data: bytes) -> Fault:
    """Insert ``data`` after the third byte of line ``row`` (header is row 1), which must
    lie past the first 64 KiB of the file."""

    def apply(root: Path) -> None:
        lines = (root / name).read_bytes().split(b"\n")
        offset = sum(len(line) + 1 for line in lines[: row - 1])
        assert offset > 64 * 1024, f"row {row} of {name} is within the first 64 KiB"
        lines[row - 1] = lines[row - 1][:3] + data + lines[row - 1][3:]
        (root / name).write_bytes(b"\n".join(lines))

    return apply


def _cut_short(name: str, row: int) -> Fault:
    """Keep ``name`` up to line ``row`` and fill the rest of its size with NUL bytes, as
    a copy interrupted on some file systems (or a sparse file never written) leaves it."""

    def apply(root: Path) -> None:
        data = (root / name).read_bytes()
        lines = data.split(b"\n")
        kept = b"\n".join(lines[: row - 1]) + b"\n"
        (root / name).write_bytes(kept + b"\x00" * (len(data) - len(kept)))

    return apply


def _second_column(name: str, column: str) -> Fault:
    """Append a second column called ``column`` (a copy of the first)."""

    def apply(root: Path) -> None:
        rows = read_rows(root / name)
        i = rows[0].index(column)
        write_rows(root / name, [[*r, r[i]] for r in rows])

    return apply


def _open_quote(name: str, row: int, column: str) -> Fault:
    """Open a quote at the start of a cell and never close it (the cell must hold no
    comma or quote of its own)."""

    def apply(root: Path) -> None:
        rows = read_rows(root / name)
        i = rows[0].index(column)
        text = (root / name).read_text(encoding="utf-8").split("\n")
        cells = text[row - 1].split(",")
        assert cells[i] == rows[row - 1][i]
        cells[i] = '"' + cells[i]
        text[row - 1] = ",".join(cells)
        (root / name).write_text("\n".join(text), encoding="utf-8")

    return apply


def _as_folder(name: str) -> Fault:
    """Put ``<name>.csv`` inside a folder ``<name>/`` in its place."""

    def apply(root: Path) -> None:
        (root / name).mkdir()
        (root / f"{name}.csv").rename(root / name / f"{name}.csv")

    return apply


def _emptied(name: str) -> Fault:
    def apply(root: Path) -> None:
        (root / name).write_bytes(b"")

    return apply


def _linked_from_outside(name: str) -> Fault:
    """Move ``name`` out of the workbook folder and leave a symbolic link to it."""

    def apply(root: Path) -> None:
        elsewhere = root.parent / "elsewhere"
        elsewhere.mkdir()
        shutil.move(root / name, elsewhere / name)
        (root / name).symlink_to(elsewhere / name)

    return apply


def _typed_timestamp(name: str, row: int, column: str, milliseconds: int) -> Fault:
    """Replace ``<table>.csv`` by a Parquet file whose ``column`` is typed
    ``timestamp[ms]`` (every other cell as text), record ``row`` holding ``milliseconds``
    since 1970; the other records hold 2024-01-15T09:00Z."""

    def apply(root: Path) -> None:
        rows = read_rows(root / name)
        header, records = rows[0], rows[1:]
        i = header.index(column)
        stamps = [1_705_309_200_000] * len(records)
        stamps[row - 1] = milliseconds
        arrays = [
            pa.array([r[j] or None for r in records], pa.string()) for j in range(len(header))
        ]
        arrays[i] = pa.array(stamps, pa.timestamp("ms", tz="UTC"))
        (root / name).unlink()
        pq.write_table(
            pa.Table.from_arrays(arrays, names=header), root / name.replace(".csv", ".parquet")
        )

    return apply


CASES += [
    Case(
        "failing_nul_byte_beyond_64_kib",
        _insert("marketing_sends.csv", 4000, b"\x00"),
        "marketing_sends.csv",
        4000,
        None,
        says=("NUL byte", "[not_text]"),
    ),
    Case(
        "failing_account_nul_byte_beyond_64_kib",
        _insert("accounts.csv", 1500, b"\x00"),
        "accounts.csv",
        1500,
        None,
        says=("NUL byte", "[not_text]"),
    ),
    Case(
        "failing_account_invalid_utf8_beyond_64_kib",
        _insert("accounts.csv", 1800, b"\xe9"),  # Latin-1 e-acute
        "accounts.csv",
        1800,
        None,
        says=("is not UTF-8", "[wrong_encoding]"),
    ),
    Case(
        "failing_account_file_cut_short_into_nul_bytes",
        _cut_short("accounts.csv", 1200),
        "accounts.csv",
        1200,
        None,
        says=("ends in NUL bytes from this row on", "[not_text]"),
    ),
    Case(
        "failing_duplicate_header_column",
        _second_column("sites.csv", "country"),
        "sites.csv",
        1,
        "country",
        says=("more than one column (4 and 8)", "[duplicate_column]"),
    ),
    Case(
        "failing_account_duplicate_header_column",
        _second_column("accounts.csv", "office"),
        "accounts.csv",
        1,
        "office",
        says=("more than one column (2 and 7)", "[duplicate_column]"),
    ),
    Case(
        "failing_unclosed_quote",
        _open_quote("requests.csv", 40, "channel"),
        "requests.csv",
        40,
        "channel",
        # the sample's last request quotes a field, which closes the quote opened here
        says=("a quote opens here and runs on to row 497, where a later quote", "[bad_csv]"),
    ),
    Case(
        "failing_account_unclosed_quote",
        _open_quote("accounts.csv", 700, "office"),
        "accounts.csv",
        700,
        None,
        says=("a quote opens here and is never closed",),
    ),
    Case(
        "failing_table_given_as_folder",
        _as_folder("sites"),
        "sites",
        None,
        None,
        says=("is a folder where a file was expected", "[not_a_file]"),
    ),
    Case(
        "failing_empty_accounts_file",
        _emptied("accounts.csv"),
        "accounts.csv",
        None,
        None,
        says=("is empty", "[empty_file]"),
    ),
    Case(
        "failing_table_linked_from_outside_the_folder",
        _linked_from_outside("processors.csv"),
        "processors.csv",
        None,
        None,
        says=("symbolic link to a file outside the workbook folder", "copy the file"),
    ),
    Case(
        "failing_parquet_timestamp_beyond_year_9999",
        _typed_timestamp("requests.csv", 25, "received_at", 2**52),  # the year 142,710
        "requests.parquet",
        25,
        "received_at",
        says=("outside the years 1 to 9999", "[bad_parquet]"),
    ),
]
