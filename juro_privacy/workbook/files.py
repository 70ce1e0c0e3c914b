"""What can be wrong with a workbook file as a file, before any cell is read.

The loader (``workbook.load``) asks this module, for every table: does the file stay
inside the workbook folder (``outside_link``), is it text (``text_fault``: UTF-8 with no
NUL byte, read whole, in bounded memory), what are its CSV records and where does each
begin (``csv_records``, which also finds a quote that never closes), does a header name a
column twice (``duplicate_names``), and does a Parquet file hold a date no reader can
hold (``date_out_of_range``). Each answer names the row (a CSV's line, the header is
row 1; a Parquet file's record number, from 1), for the loader's one-line problems.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias

from juro_privacy.errors import Problem

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "CHUNK_BYTES",
    "UNCLOSED_QUOTE",
    "Record",
    "csv_records",
    "date_out_of_range",
    "duplicate_names",
    "file_text_fault",
    "outside_link",
    "parquet_date_out_of_range",
    "text_fault",
]

#: How much of a file is read at a time when it is checked whole (the accounts file can
#: be gigabytes): the memory the check needs, whatever the file's size.
CHUNK_BYTES = 16 * 1024 * 1024
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: A file's bytes, from its start, in successive chunks, each time it is called.
Chunks: TypeAlias = Callable[[], Iterable[bytes | bytearray]]


def text_fault(chunks: Chunks, file: str, ends_in_nul: bool = False) -> Problem | None:
    """The first NUL byte or invalid UTF-8 sequence in ``file``, as a problem naming its
    row (line); ``None`` when it is all UTF-8 text. ``chunks()`` gives the file's bytes
    in successive chunks, from the start, each time it is called.

    A CSV table is UTF-8 text (docs/data-contract.md: "One CSV (UTF-8, header row) or
    Parquet file per table"), with or without a byte-order mark. A NUL byte is not text:
    a binary file, UTF-16 without its mark, or, when the NUL bytes run on to the end of
    the file (``ends_in_nul``: its last byte is NUL), a copy cut short or a sparse file
    never written, which is said as such. Memory is one chunk: a chunk of plain ASCII is
    only scanned (C speed), any other is decoded incrementally, so that a character
    split between two chunks is read whole. Lines are counted only when there is a
    fault, in a second pass up to it: counting costs more than the scan.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    for i, chunk in enumerate(chunks()):
        if i == 0 and chunk[:2] in _UTF16_BOMS:  # what Excel's "Unicode text" writes
            return Problem(file, "wrong_encoding", _UTF16)
        first = chunk.find(b"\x00")
        pending = decoder.getstate()[0]
        if pending or not chunk.isascii():
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad = max(0, exc.start - len(pending))  # pending bytes are no newline
                if first < 0 or bad < first:
                    row = _line_at(chunks, offset + bad)
                    return Problem(file, "wrong_encoding", _NOT_UTF8, row=row)
        if first >= 0:
            row = _line_at(chunks, offset + first)
            if ends_in_nul and chunk.count(b"\x00", first) == len(chunk) - first:
                return Problem(file, "not_text", _NUL_TAIL, row=row)
            return Problem(file, "not_text", _NUL, row=row)
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:  # the file ends inside a character
        return Problem(file, "wrong_encoding", _NOT_UTF8, row=_line_at(chunks, offset))
    return None


def _line_at(chunks: Chunks, offset: int) -> int:
    """The line (from 1) of the byte at ``offset``."""
    line, start = 1, 0
    for chunk in chunks():
        if start + len(chunk) > offset:
            return line + chunk.count(b"\n", 0, offset - start)
        line += chunk.count(b"\n")
        start += len(chunk)
    return line


_NOT_UTF8 = "is not UTF-8 (Latin-1 or Windows-1252?); save it as CSV UTF-8"
_NUL = "is not a text CSV file (it holds a NUL byte)"
_NUL_TAIL = (
    "ends in NUL bytes from this row on: a copy cut short, or a file never fully "
    "written; copy or export it again"
)
_UTF16 = "is UTF-16; save it as UTF-8 (CSV UTF-8)"


def file_text_fault(path: Path, file: str) -> Problem | None:
    """:func:`text_fault` of the file at ``path``, read ``CHUNK_BYTES`` at a time into
    one buffer: memory stays one chunk whatever the file's size."""
    with path.open("rb", buffering=0) as handle:
        size = handle.seek(0, io.SEEK_END)
        ends_in_nul = False
        if size:
            handle.seek(size - 1)
            ends_in_nul = handle.read(1) == b"\x00"

        def chunks() -> Iterator[bytes | bytearray]:
            handle.seek(0)
            buffer = bytearray(CHUNK_BYTES)
            while count := handle.readinto(buffer):
                yield bytes(buffer[:count]) if count < CHUNK_BYTES else buffer

        return text_fault(chunks, file, ends_in_nul)


def outside_link(root: Path, path: Path) -> Path | None:
    """``path``, or the first entry of the folder ``path``, that leads outside the
    workbook folder ``root`` (a symbolic link to a file elsewhere); ``None`` when all of
    it lies inside. A workbook is one folder: what it holds is what was checked and
    what the run reads, copied or zipped whole (a link inside it is fine)."""
    home = root.resolve()
    entries = [path, *sorted(path.rglob("*"))] if path.is_dir() else [path]
    for entry in entries:
        if not entry.resolve().is_relative_to(home):
            return entry
    return None


def duplicate_names(names: Iterable[str]) -> list[str]:
    """The column names given more than once, in order of their second appearance
    (blank names, columns a spreadsheet left empty, are not names)."""
    seen: set[str] = set()
    twice: list[str] = []
    for name in names:
        if name and name in seen and name not in twice:
            twice.append(name)
        seen.add(name)
    return twice


#: The fault of a :class:`Record` whose last field opens a quote that never closes.
UNCLOSED_QUOTE = "unclosed quote"
_END = "\x00"  # a line after the text, which holds no NUL (text_fault said so)


class Record(NamedTuple):
    """One CSV record: the lines it spans (the header is line 1), its fields, and what
    stopped the reading there (``UNCLOSED_QUOTE`` or the ``csv`` module's message)."""

    start: int
    end: int
    fields: list[str]
    fault: str | None = None


def csv_records(text: str) -> Iterator[Record]:
    """The records of a CSV text (the workbook's dialect: comma, double quotes), each
    with the line it starts on; reading stops at the first record it cannot read.

    A quote that is never closed runs to the end of the file, where Python's reader
    quietly closes it: everything after the quote would be one cell. A line that is no
    part of the text is read after it; if the open quote swallows it, the record is
    marked ``UNCLOSED_QUOTE`` at the line where it starts (RFC 4180, section 2).
    """
    reader = csv.reader(itertools.chain(io.StringIO(text, newline=""), [_END + "\n"]))
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Record(start, reader.line_num, [], str(exc))
            return
        if fields == [_END]:
            return
        if fields and _END in fields[-1]:
            fields[-1] = fields[-1].split(_END)[0]
            yield Record(start, reader.line_num - 1, fields, UNCLOSED_QUOTE)
            return
        yield Record(start, reader.line_num, fields)
        start = reader.line_num + 1


_DAY_UNITS = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000}
_FIRST_DAY = -719_162  # 0001-01-01 in days from 1970-01-01
_LAST_DAY = 2_932_896  # 9999-12-31


def date_out_of_range(table: pa.Table) -> tuple[int, str] | None:
    """The first cell (record number from 1, column) of a typed Parquet date or timestamp
    column that lies outside the years 1 to 9999, which no date reader (Python's,
    pandas') can hold; ``None`` when there is none. Parquet stores such values
    (``timestamp[ms]`` reaches the year 292 million); they are refused before they are
    read, cell by cell, into text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for name, column in zip(table.column_names, table.columns, strict=True):
        bounds = _storage_bounds(column.type)
        if bounds is None:
            continue
        if pa.types.is_date32(column.type):
            column = column.cast(pa.int32())
        value = column.cast(pa.int64())
        outside = pc.or_(pc.less(value, bounds[0]), pc.greater(value, bounds[1]))
        found = pc.indices_nonzero(pc.fill_null(outside, False))
        if len(found):
            return int(found[0].as_py()) + 1, name
    return None


def parquet_date_out_of_range(path: Path, columns: Iterable[str]) -> tuple[int, str] | None:
    """:func:`date_out_of_range` of some ``columns`` of a Parquet file of any size, in the
    memory of one row group: a group is read only when the minimum and maximum its
    footer records do not show it within the years 1 to 9999 (or it records none)."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as parquet:
        schema = parquet.schema_arrow
        names = [n for n in columns if n in schema.names]
        names = [n for n in names if _storage_bounds(schema.field(n).type) is not None]
        before = 0
        for i in range(parquet.metadata.num_row_groups if names else 0):
            group = parquet.metadata.row_group(i)
            chunks = [group.column(j) for j in range(group.num_columns)]
            stats = {c.path_in_schema: c.statistics for c in chunks}
            for name in names:
                if _recorded_within(stats.get(name), _storage_bounds(schema.field(name).type)):
                    continue
                found = date_out_of_range(parquet.read_row_group(i, columns=[name]))
                if found is not None:
                    return before + found[0], name
            before += group.num_rows
    return None


def _recorded_within(stats: Any, bounds: tuple[int, int] | None) -> bool:
    """Whether a column chunk's recorded minimum and maximum lie within ``bounds`` (an
    ``INT96`` timestamp, or a file written without statistics, records none usable)."""
    if stats is None or bounds is None or not stats.has_min_max:
        return False
    least, most = stats.min_raw, stats.max_raw
    if not isinstance(least, int) or not isinstance(most, int):
        return False
    return bounds[0] <= least and most <= bounds[1]


def _storage_bounds(kind: pa.DataType) -> tuple[int, int] | None:
    """The least and greatest stored integer of a date or timestamp type that lies
    within the years 1 to 9999 (an instant with a time zone a day inside them, as it is
    shown in its zone); ``None`` for any other type, and for nanoseconds (1677-2262)."""
    import pyarrow as pa

    spare = 0
    if pa.types.is_timestamp(kind) and kind.unit in _DAY_UNITS:
        per_day = _DAY_UNITS[kind.unit]
        spare = 1 if kind.tz else 0
    elif pa.types.is_date32(kind):
        per_day = 1
    elif pa.types.is_date64(kind):
        per_day = _DAY_UNITS["ms"]
    else:
        return None
    return (_FIRST_DAY + spare) * per_day, (_LAST_DAY + 1 - spare) * per_day - 1
