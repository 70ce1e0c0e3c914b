"""Where the user accounts are read from: files, frames, Ibis URLs, and their read errors.

The retention rule (``juro_privacy.rules.retention.rule``; GDPR Art. 5(1)(e), storage limitation)
judges an Ibis table of accounts. This module makes that table: a pandas frame is
registered in an in-memory DuckDB; a Parquet or CSV file, or a folder of Parquet files,
is read by DuckDB in place (never loaded into pandas); an Ibis table is used as given;
``connect_engine`` opens a table behind an Ibis connection URL. It names the columns the
rule needs (``REQUIRED_COLUMNS``) and turns a reader's failure into one line naming the
file and row (``read_problem``). Every error is a ``RetentionError``.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeAlias
from urllib.parse import urlsplit

import duckdb
import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa

from juro_privacy.errors import RetentionError

__all__ = [
    "DUCKDB_MEMORY",
    "LOCATION_COLUMNS",
    "REQUIRED_COLUMNS",
    "TIMESTAMP_COLUMNS",
    "Accounts",
    "accounts_table",
    "connect_engine",
    "csv_lines",
    "limit_memory",
    "read_problem",
]

REQUIRED_COLUMNS = (
    "account_id",
    "office",
    "last_used_at",
    "archived_at",
    "deleted_at",
    "delete_after_months",
)
TIMESTAMP_COLUMNS = ("last_used_at", "archived_at", "deleted_at")
#: Hidden columns of the accounts of a file or a frame that say where each row is, for
#: the messages about bad rows (never an account id, which is an identifier): ``_file``,
#: the file as a problem names it (``accounts.csv``, ``accounts/part-0.parquet``);
#: ``_row``, the 1-based record in it (a Parquet file's record, a frame's position, a
#: CSV file's record, blank lines not counted); ``_lines``, for a CSV file, its path,
#: whose line numbers (:func:`csv_lines`) the records become. DuckDB reads them only
#: when a query uses them, so they cost nothing otherwise.
LOCATION_COLUMNS = ("_file", "_row", "_lines")

#: What the public functions accept as accounts.
Accounts: TypeAlias = pd.DataFrame | str | Path | ir.Table


def connect_engine(url: str, table: str = "accounts") -> ir.Table:
    """Open an Ibis connection URL (``duckdb:///x.db``, ``pyspark://``...) and return its table.

    The URL is passed to ``ibis.connect``; ``table`` (default ``accounts``) must exist
    there. Errors name the URL without its password.
    """
    shown = redact_url(url)
    password = urlsplit(url).password
    try:
        con = ibis.connect(url)
    except Exception as exc:
        reason = str(exc).replace(password, "***") if password else str(exc)
        raise RetentionError(f"cannot open the engine {shown}: {reason}") from None
    if con.name == "duckdb":
        _no_progress_bar(con)
    try:
        return con.table(table)
    except Exception as exc:
        raise RetentionError(f"the engine {shown} has no table {table!r}") from exc


#: The memory a DuckDB of the package may hold; beyond it DuckDB spills to disk (its
#: hash aggregates and joins are out-of-core). DuckDB's own default is 80 % of the
#: machine's memory: at 100 million accounts the validation's distinct count of the
#: ids then held 4.9 GiB (issue 13: no process above 3 GiB).
DUCKDB_MEMORY = "2GB"


def limit_memory(con: Any) -> None:
    """Hold ``con`` (an Ibis DuckDB backend) to :data:`DUCKDB_MEMORY`, spilling to a
    folder of this process's own under the system's temporary folder (DuckDB's default,
    ``.tmp`` in the working folder, could land in a report folder)."""
    spill = Path(tempfile.gettempdir()) / f"juro-privacy-duckdb-{os.getpid()}"
    con.raw_sql(f"SET memory_limit = '{DUCKDB_MEMORY}'")
    con.raw_sql(f"SET temp_directory = '{_quoted(spill)}'")


def _no_progress_bar(con: Any) -> None:
    """Library code never prints: turn DuckDB's progress bar off. In a Jupyter kernel
    DuckDB refuses the setting (it wants ipywidgets) and has the bar off already."""
    try:
        con.raw_sql("SET enable_progress_bar = false")
    except Exception as exc:  # duckdb.InvalidInputException
        if "progress bar" not in str(exc):
            raise


def redact_url(url: str) -> str:
    """The URL with any password replaced by ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def accounts_table(accounts: Accounts) -> ir.Table:
    """The accounts as an Ibis table: as given, or read by a new in-memory DuckDB.

    A pandas frame is registered in DuckDB; a ``.parquet`` file, a folder of Parquet
    files or a ``.csv`` file is read by DuckDB in place (never loaded into pandas).
    Timestamps keep what they say of their offset, which the time-zone rule reads
    (``zone_offsets``: naive values are wall time in the workbook's time zone, values
    with an offset are instants): the CSV's timestamp columns stay text, read per value;
    Parquet's and a frame's keep their type (aware or naive). Legacy Parquet ``INT96``
    timestamps, which DuckDB reads as naive, are instants (Spark writes them in UTC and
    reads them as ``TIMESTAMP``), so they are read as such.
    """
    if isinstance(accounts, ir.Table):
        return accounts
    con = ibis.duckdb.connect()
    _no_progress_bar(con)
    limit_memory(con)
    if isinstance(accounts, pd.DataFrame):
        arrow = pa.Table.from_pandas(_normalise_frame(accounts), preserve_index=False)
        rows = pa.array(np.arange(1, arrow.num_rows + 1, dtype=np.int64))
        con.con.register("accounts", arrow.append_column("_row", rows))
        return con.table("accounts")
    path = Path(accounts)
    if not path.exists():
        raise RetentionError(f"{path}: no such file or folder")
    if path.is_dir():
        files = f"'{_quoted(path)}/**/*.parquet'"
        relation = f"read_parquet({files}, union_by_name = true)"
    elif path.suffix.lower() in {".parquet", ".pq"}:
        files = f"'{_quoted(path)}'"
        relation = f"read_parquet({files})"
    elif path.suffix.lower() == ".csv":
        files, relation = "", _csv_relation(path)
    else:
        raise RetentionError(f"{path}: expected a .parquet or .csv file, or a folder of Parquet")
    try:
        con.raw_sql(f"CREATE TEMP VIEW accounts_source AS SELECT * FROM {relation}")
        source = con.table("accounts_source")
        int96 = _int96_columns(con, files, path) if files else set()
    except RetentionError:
        raise
    except Exception as exc:
        raise RetentionError(f"{path}: cannot be read: {exc}") from exc
    require_columns(source, str(path))
    columns = ", ".join(
        [
            *(_view_column(name, source.schema()[name], int96) for name in REQUIRED_COLUMNS),
            *_location_sql(path, set(source.columns)),
        ]
    )
    con.raw_sql(f"CREATE TEMP VIEW accounts AS SELECT {columns} FROM {relation}")
    return con.table("accounts")


def _location_sql(path: Path, present: set[str]) -> list[str]:
    """DuckDB SQL selecting the ``LOCATION_COLUMNS`` of a file's accounts view.

    Parquet has each row's file and record as DuckDB's virtual columns ``filename`` and
    ``file_row_number`` (0-based); a file with real columns of those names keeps them,
    and its rows go unnamed. A CSV file's records are numbered by ``row_number() OVER
    ()``: DuckDB keeps a file's order (``preserve_insertion_order``) and numbers it in
    one streaming pass, the same one ``WITH ORDINALITY`` makes.
    """
    name = f"'{_quoted(Path(path.name))}'"
    if path.suffix.lower() == ".csv" and path.is_file():
        return [f"{name} AS _file", "row_number() OVER () AS _row", f"'{_quoted(path)}' AS _lines"]
    if present & {"filename", "file_row_number"}:
        return []
    shown = f"{name} || '/' || substr(filename, {len(str(path)) + 2})" if path.is_dir() else name
    return [f"{shown} AS _file", "file_row_number + 1 AS _row", "NULL::VARCHAR AS _lines"]


def _view_column(name: str, dtype: dt.DataType, int96: set[str]) -> str:
    """DuckDB SQL selecting a column of the accounts view: an ``INT96`` timestamp as the
    instant it holds (``TIMESTAMPTZ``), a column with no type at all (every value empty,
    as pandas writes one to Parquet) as nulls of its kind, anything else as it is."""
    quoted = f'"{name}"'
    if name in int96:
        return f"make_timestamptz(epoch_us({quoted})) AS {quoted}"
    if dtype.is_null() or dtype.is_unknown():
        kind = _NULL_TYPES.get(name, "VARCHAR")
        return f"CAST(NULL AS {kind}) AS {quoted}"
    return quoted


_NULL_TYPES = {**dict.fromkeys(TIMESTAMP_COLUMNS, "TIMESTAMP"), "delete_after_months": "DOUBLE"}


def _int96_columns(con: Any, files: str, path: Path) -> set[str]:
    """The timestamp columns stored as Parquet ``INT96`` (instants in UTC) in ``files``.

    Refuses a column stored as instants (``INT96``, or ``isAdjustedToUTC``) in some
    files and as wall time (a naive timestamp) in others: DuckDB's union of the files
    would read the wall times as UTC.
    """
    rows = con.raw_sql(
        f"SELECT DISTINCT name, type, logical_type, file_name FROM parquet_schema({files})"
    ).fetchall()
    kinds: dict[str, dict[str, str]] = {}
    for name, kind, logical, file in rows:
        if name in TIMESTAMP_COLUMNS:
            if kind == "INT96":
                kinds.setdefault(name, {}).setdefault("int96", file)
            elif "isAdjustedToUTC=1" in str(logical):
                kinds.setdefault(name, {}).setdefault("utc", file)
            elif "isAdjustedToUTC=0" in str(logical):
                kinds.setdefault(name, {}).setdefault("naive", file)
    for name, found in sorted(kinds.items()):
        if "naive" in found and len(found) > 1:
            aware = found.get("utc") or found["int96"]
            raise RetentionError(
                f"{path}: column {name!r} holds timestamps with a UTC offset in "
                f"{Path(aware).name} and without one in {Path(found['naive']).name}; "
                "write every file with the same timestamp type"
            )
    return {name for name, found in kinds.items() if "int96" in found}


def _quoted(path: Path) -> str:
    """A path as the body of a single-quoted DuckDB string literal."""
    return str(path).replace("'", "''")


def _csv_relation(path: Path, timestamps: str = "VARCHAR") -> str:
    """A DuckDB ``read_csv`` call naming every column of the header and its type.

    The dialect is the workbook's (comma, double quotes, as Python's ``csv`` reads
    every other table), so DuckDB is told it instead of sniffing the file again at
    every query: the sniffing cost ~0.1 s per query whatever the file's size. The
    timestamp columns are read as text (``timestamps``), so that the time-zone rule
    reads each value with or without its offset. A UTF-8 byte-order mark (what Excel's
    "CSV UTF-8" writes) is no part of the first column's name; DuckDB skips it too.
    """
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), [])
    types = dict.fromkeys(header, "VARCHAR")
    types.update({name: timestamps for name in TIMESTAMP_COLUMNS if name in header})
    if "delete_after_months" in header:
        types["delete_after_months"] = "DOUBLE"
    if len(types) != len(header) or not all(header):  # let DuckDB name them
        named = {name: timestamps for name in TIMESTAMP_COLUMNS if name in header}
        spec = ", ".join(f"'{_quoted_name(k)}': '{v}'" for k, v in named.items())
        return f"read_csv('{_quoted(path)}', header = true, types = {{{spec}}})"
    spec = ", ".join(f"'{_quoted_name(k)}': '{v}'" for k, v in types.items())
    return (
        f"read_csv('{_quoted(path)}', header = true, auto_detect = false, delim = ',', "
        f"quote = '\"', escape = '\"', columns = {{{spec}}})"
    )


def read_problem(path: Path, exc: Exception) -> RetentionError:
    """A DuckDB error met while reading the accounts file ``path``, as one line that
    names the file and row (DuckDB's own message is a page of reader settings), and
    the error's ``file``, ``row`` and ``column`` fields.

    A timestamp that does not parse fails where the rule casts the text, with no row
    in DuckDB's message; the file is then read again with typed timestamp columns
    (only on this error), which names the row."""
    text = str(exc)
    if "CSV Error on Line" not in text and _BAD_TIMESTAMP.search(text):
        typed_error = _typed_csv_error(path)
        if typed_error is not None:
            return read_problem(path, typed_error)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    columns = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    row = int(line.group(1)) if line else None
    if "unterminated quote" in text:  # DuckDB names the line where the quote opens
        return RetentionError("a quote opens here and is never closed", file=path.name, row=row)
    if columns:
        expected, found = columns.groups()
        message = f"has {found} fields, the header has {expected}"
        return RetentionError(message, file=path.name, row=row)
    value = re.search(r'Could not convert string "(.*?)" to \'?([A-Z ]+)', text)
    original = re.search(r"Original Line: \s*(.*)", text)  # \r\n files: a newline first
    if value and original:
        # DuckDB's own column name can be wrong; find the value in the line instead.
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), [])
        fields = next(csv.reader([original.group(1)]), [])
        names = [h for h, f in zip(header, fields, strict=False) if f == value.group(1)]
        kind = "a number" if "DOUBLE" in value.group(2) else "a timestamp"
        message = f"{value.group(1)!r} is not {kind}"
        column = names[0] if names else None
        return RetentionError(message, file=path.name, row=row, column=column)
    first = text.splitlines()[0] if text else type(exc).__name__
    return RetentionError(f"cannot be read: {first}", file=path.name, row=row)


_BAD_TIMESTAMP = re.compile(
    r'Conversion Error: (?:invalid timestamp field format|timestamp field value out of range): "'
)


def _typed_csv_error(path: Path) -> Exception | None:
    """The error of reading a CSV file's timestamp columns as timestamps, if any."""
    if path.suffix.lower() != ".csv":
        return None
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), [])
    names = [name for name in TIMESTAMP_COLUMNS if name in header]
    if not names:
        return None
    firsts = ", ".join(f'min("{name}")' for name in names)
    try:
        with duckdb.connect() as con:
            con.execute(f"SELECT {firsts} FROM {_csv_relation(path, 'TIMESTAMPTZ')}").fetchall()
    except duckdb.Error as exc:
        return exc
    return None


def csv_lines(path: Path, records: Iterable[int]) -> dict[int, int]:
    """The line of the CSV file ``path`` on which each of its 1-based ``records`` starts.

    A record's row, as the workbook loader counts every table's rows and as DuckDB and
    an editor show them: the line where the record begins (the header is line 1; a
    record whose quoted field spans lines is named by its first line); blank lines are
    no records, for DuckDB as for the loader. Read only when a message names a row,
    and only as far as the last record asked for: a 10M-line file is read in about 5 s.
    """
    wanted = sorted(set(records), reverse=True)
    lines: dict[int, int] = {}
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        reader = csv.reader(handle)
        next(reader, None)  # the header
        record = 0
        while wanted:
            starts = reader.line_num + 1
            fields = next(reader, None)
            if fields is None:
                break
            if not fields:
                continue
            record += 1
            if record == wanted[-1]:
                lines[wanted.pop()] = starts
    return lines


def _quoted_name(name: str) -> str:
    """A column name as the body of a single-quoted DuckDB string literal."""
    return name.replace("'", "''")


def _normalise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The required columns of a frame, each timestamp column as the rule reads it.

    Time-zone-aware ``datetime64`` stays aware (in UTC: instants), naive ``datetime64``
    stays naive (wall time), text stays text (read per value, as a CSV file is), after a
    check that it parses; anything else (dates, datetime objects) goes through
    ``pd.to_datetime``, which refuses a column mixing aware and naive values.
    """
    require_columns(frame, "accounts")
    out = frame.loc[:, list(REQUIRED_COLUMNS)].copy()
    for name in TIMESTAMP_COLUMNS:
        column = out[name]
        try:
            if isinstance(column.dtype, pd.DatetimeTZDtype):
                column = column.dt.tz_convert("UTC")
            elif pd.api.types.is_datetime64_dtype(column):
                pass
            elif pd.api.types.infer_dtype(column, skipna=True) == "string":
                pd.to_datetime(column, format="ISO8601", utc=True)  # raises if one does not parse
                column = column.astype("string")
            else:
                column = pd.to_datetime(column)
                if isinstance(column.dtype, pd.DatetimeTZDtype):
                    column = column.dt.tz_convert("UTC")
        except (ValueError, TypeError) as exc:
            raise RetentionError(f"accounts, column {name!r}: not timestamps: {exc}") from exc
        out[name] = column
    months = out["delete_after_months"]
    if not pd.api.types.is_numeric_dtype(months):
        try:
            out["delete_after_months"] = pd.to_numeric(months).astype("Float64")
        except (ValueError, TypeError) as exc:
            raise RetentionError(
                f"accounts, column 'delete_after_months': not numbers: {exc}"
            ) from exc
    return out


def require_columns(source: pd.DataFrame | ir.Table, where: str) -> None:
    """Raise RetentionError naming every required column the source lacks."""
    present = set(source.columns)
    missing = [name for name in REQUIRED_COLUMNS if name not in present]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        raise RetentionError(
            f"{where}: missing required column{'s' if len(missing) > 1 else ''} {names}"
        )
