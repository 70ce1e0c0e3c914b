"""Load a workbook folder into one validated :class:`Workbook`.

Every problem found is gathered into one :class:`~juro_privacy.errors.WorkbookError`
naming file, row and column, as pandera's ``SchemaErrors`` gathers every failure.
Row numbers are the line numbers a spreadsheet or editor shows for a CSV (the
header is row 1), and the 1-based record number for a Parquet file.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import warnings
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd
import yaml

from juro_privacy import run_cache
from juro_privacy.errors import Problem, WorkbookError
from juro_privacy.workbook.config import (
    CONFIG_FILE,
    TIMESTAMP_YEARS,
    WorkbookConfig,
    parse_config,
)
from juro_privacy.workbook.files import (
    UNCLOSED_QUOTE,
    Record,
    csv_records,
    date_out_of_range,
    duplicate_names,
    file_text_fault,
    outside_link,
    parquet_date_out_of_range,
    text_fault,
)
from juro_privacy.workbook.schemas import (
    COUNTRIES,
    COUNTRY_HINTS,
    METRICS,
    TABLES,
    Col,
    Table,
)

if TYPE_CHECKING:
    import pandera.pandas as pa

MAX_TABLE_BYTES = 200 * 1024 * 1024  # a small table larger than this is not a workbook table
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}


@dataclass(frozen=True)
class Workbook:
    """One organisation's evidence: its settings and validated tables."""

    root: Path
    config: WorkbookConfig
    tables: dict[str, pd.DataFrame]
    files: dict[str, Path]
    warnings: tuple[str, ...] = field(default=())
    #: Per table, the row each record came from, as the loader's errors count rows
    #: (the line a spreadsheet shows for a CSV, the record number for Parquet).
    source_rows: dict[str, list[int]] = field(default_factory=dict)
    #: Where the accounts are counted: an Ibis URL holding an ``accounts`` table
    #: (``juro-privacy run --engine``), or "" for the workbook's accounts file. Every
    #: figure made from the accounts (the retention report, its metrics and findings in
    #: the DPIA, the accountability report and the index) reads them there.
    engine: str = ""

    def row_of(self, table: str, index: int) -> int:
        """The file row of record ``index`` (0-based) of ``table``, for error messages."""
        rows = self.source_rows.get(table)
        if rows is not None and 0 <= index < len(rows):
            return rows[index]
        csv_file = self.files.get(table, Path(".csv")).suffix == ".csv"
        return index + 2 if csv_file else index + 1

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            frame: pd.DataFrame = tables[name]
            return frame
        raise AttributeError(name)

    def input_files(self) -> list[Path]:
        """Every file the workbook was built from, config first (``dpia.yaml`` if present)."""
        optional = [p for p in (self.root / "dpia.yaml",) if p.is_file()]
        return [self.root / CONFIG_FILE, *optional, *sorted(self.files.values())]


# ---------------------------------------------------------------- parsing cells


def parse_bool(s: pd.Series) -> pd.Series:
    """``true/false``, ``yes/no``, ``1/0`` (any case) to booleans; anything else NA."""
    low = s.astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=s.index, dtype="boolean")
    out[low.isin(_TRUE)] = True
    out[low.isin(_FALSE)] = False
    return out


def parse_date(s: pd.Series) -> pd.Series:
    """ISO dates (``2026-07-01``) to ``datetime64`` midnight; anything else NaT."""
    return pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")


def parse_datetime(s: pd.Series, timezone: str) -> pd.Series:
    """ISO timestamps to UTC; a timestamp without an offset is local to ``timezone``.

    A local time in the hour repeated when the clocks go back is NaT (the loader refuses
    it as ``ambiguous_time``: :func:`ambiguous_times`); one in the hour skipped when they
    go forward is read as the first instant after the change (pandas' ``shift_forward``),
    on the same local date, as the accounts engine reads it. A year ``datetime64[ns]``
    cannot hold (outside 1678-2261) is NaT; the loader refuses it first, for its year
    (``year_out_of_range``).
    """
    text = s.astype("string").str.strip()
    text = text.mask(outside_year_range(text, TIMESTAMP_YEARS))
    aware = _has_offset(text)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns, UTC]")
    if aware.any():
        out[aware] = pd.to_datetime(text[aware], format="ISO8601", errors="coerce", utc=True)
    naive = ~aware & text.notna()
    if naive.any():
        local = pd.to_datetime(text[naive], format="ISO8601", errors="coerce")
        out[naive] = local.dt.tz_localize(
            timezone, ambiguous="NaT", nonexistent="shift_forward"
        ).dt.tz_convert("UTC")
    return out


def _has_offset(text: pd.Series) -> pd.Series:
    """Which timestamps end in a UTC offset (``Z``, ``+01:00``, ``-0500``)."""
    return text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True, na=False).astype(bool)


def ambiguous_times(s: pd.Series, timezone: str) -> pd.Series:
    """Which cells are a local time (no offset) that happens twice in ``timezone``: inside
    the hour repeated when the clocks go back (``2026-10-25T01:30:00`` in Europe/London is
    01:30 BST and, an hour later, 01:30 GMT). Only an offset says which one is meant."""
    text = s.astype("string").str.strip()
    naive = ~_has_offset(text) & text.notna()
    out = pd.Series(False, index=s.index, dtype=bool)
    if naive.any():
        local = pd.to_datetime(text[naive], format="ISO8601", errors="coerce")
        placed = local.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="shift_forward")
        out[naive] = (local.notna() & placed.isna()).to_numpy()
    return out


def written_year(s: pd.Series) -> pd.Series:
    """The year each date or timestamp cell is written with: its four leading digits (ISO
    8601 starts with the year), NA where it has none. The year as written, before any
    offset moves the instant into another year."""
    digits = s.astype("string").str.strip().str.extract(r"^(\d{4})", expand=False)
    return pd.to_numeric(digits, errors="coerce").astype("Int64")


def outside_year_range(s: pd.Series, years: tuple[int, int]) -> pd.Series:
    """Which cells are written with a year outside ``years`` (``earliest_year`` and
    ``latest_year`` of workbook.yaml, inclusive): 0001 and 9999 are typing slips."""
    year = written_year(s)
    out = year.notna() & ((year < years[0]) | (year > years[1]))
    return out.fillna(False).astype(bool)


def _in_year_2000(s: pd.Series, outside: pd.Series) -> pd.Series:
    """The cells, with the ``outside`` ones rewritten in the year 2000 (a leap year): the
    rest of their text can then be checked without reading a year pandas cannot hold."""
    text = s.astype("string").str.strip()
    return text.where(~outside, "2000" + text.str.slice(4))


def year_range(config: WorkbookConfig | None) -> tuple[int, int]:
    """The years a date may be written with: ``earliest_year`` and ``latest_year`` of
    ``workbook.yaml`` (default 1900-2100), for every table and every engine."""
    if config is None:
        return (WorkbookConfig.earliest_year, WorkbookConfig.latest_year)
    return (config.earliest_year, config.latest_year)


def parse_int(s: pd.Series) -> pd.Series:
    """Whole numbers (``6``, ``6.0``, ``1e3``) to ``Int64``; anything else NA, and so is a
    number past 2**53, beyond which a float is not exactly whole."""
    num = pd.to_numeric(s, errors="coerce")
    whole = num.notna() & (num % 1 == 0) & (num.abs() <= 2**53)
    return num.where(whole).astype("Int64")


def parse_number(s: pd.Series) -> pd.Series:
    """Finite numbers to floats; anything else (``inf``, ``nan``, text) NaN."""
    num = pd.to_numeric(s, errors="coerce")
    return num.where(np.isfinite(num))


@functools.cache
def iana_zones() -> frozenset[str]:
    """The IANA time-zone names zoneinfo knows (tzdata), less ``localtime`` (this machine's
    zone, not a name) and ``Factory`` (tzdata's placeholder for "no zone set")."""
    return frozenset(zoneinfo.available_timezones()) - {"localtime", "Factory"}


def split_list(s: pd.Series) -> pd.Series:
    """``a;b`` to ``("a", "b")``; empty to ``()``."""
    return s.map(
        lambda v: (
            tuple(x.strip() for x in str(v).split(";") if x.strip()) if isinstance(v, str) else ()
        )
    )


# ---------------------------------------------------------------- schema from the contract


def _parses(fn: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
    def check(s: pd.Series) -> pd.Series:
        return s.isna() | fn(s).notna()

    return check


def _pandera() -> Any:
    """pandera, imported when a table is validated: a notebook that gets its workbook
    from the run's cache (``run_cache``) never pays for the import (~0.4 s)."""
    with warnings.catch_warnings():
        # pandera probes optional back ends (pyspark) at import and warns about them.
        warnings.simplefilter("ignore")
        import pandera.pandas

    return pandera.pandas


def _dated(
    parses: Callable[[pd.Series], pd.Series], years: tuple[int, int]
) -> tuple[Callable[[pd.Series], pd.Series], Callable[[pd.Series], pd.Series]]:
    """The two checks of a date or timestamp column, each cell failing at most one: the
    text parses (read in the year 2000 when its own year is out of range) and its year
    lies within ``years``. ``parses`` says which cells of a column parse."""

    def readable(s: pd.Series) -> pd.Series:
        return parses(_in_year_2000(s, outside_year_range(s, years)))

    def well_formed(s: pd.Series) -> pd.Series:
        return s.isna() | readable(s)

    def in_years(s: pd.Series) -> pd.Series:
        return s.isna() | ~outside_year_range(s, years) | ~readable(s)

    return well_formed, in_years


def _check_for(
    col: Col, timezone: str, years: tuple[int, int] = year_range(None)
) -> list[pa.Check]:
    """The pandera checks of one column, from its declaration: its kind, its values, its
    minimum, and for dates the workbook's ``years``. A bad cell fails exactly one check."""
    pdr = _pandera()
    checks: list[pa.Check] = []
    kind = col.kind
    if kind == "int":
        checks.append(pdr.Check(_parses(parse_int), name="not_a_whole_number"))
    elif kind == "float":
        checks.append(pdr.Check(_parses(parse_number), name="not_a_number"))
    elif kind == "bool":
        checks.append(pdr.Check(_parses(parse_bool), name="not_true_or_false"))
    elif kind == "date":
        well_formed, in_years = _dated(lambda s: parse_date(s).notna(), years)
        checks.append(pdr.Check(well_formed, name="not_a_date"))
        checks.append(pdr.Check(in_years, name="year_out_of_range"))
    elif kind == "datetime":

        def parses(s: pd.Series) -> pd.Series:
            # An ambiguous local time is a timestamp: refused below for what it is.
            return parse_datetime(s, timezone).notna() | ambiguous_times(s, timezone)

        def unambiguous(s: pd.Series) -> pd.Series:
            outside = outside_year_range(s, years)  # refused for their year alone
            return s.isna() | outside | ~ambiguous_times(_in_year_2000(s, outside), timezone)

        well_formed, in_years = _dated(parses, years)
        checks.append(pdr.Check(well_formed, name="not_a_timestamp"))
        checks.append(pdr.Check(in_years, name="year_out_of_range"))
        checks.append(pdr.Check(unambiguous, name="ambiguous_time"))
    elif kind == "country":

        def two_letters(s: pd.Series) -> pd.Series:
            code = s.astype("string").str.fullmatch(r"[A-Za-z]{2}")
            return code.fillna(False).astype(bool)

        def a_country(s: pd.Series) -> pd.Series:
            return ~two_letters(s) | s.astype("string").str.upper().isin(COUNTRIES)

        checks.append(pdr.Check(lambda s: s.isna() | two_letters(s), name="not_a_country_code"))
        checks.append(pdr.Check(lambda s: s.isna() | a_country(s), name="unknown_country"))
    elif kind == "timezone":
        checks.append(
            pdr.Check(
                lambda s: s.isna() | s.astype("string").str.strip().isin(iana_zones()),
                name="unknown_timezone",
            )
        )
    elif kind == "metric":
        checks.append(pdr.Check(lambda s: s.isna() | s.isin(set(METRICS)), name="unknown_metric"))
    elif kind == "enum":
        allowed = set(col.values)
        checks.append(pdr.Check(lambda s: s.isna() | s.isin(allowed), name="unknown_value"))
    elif kind == "list" and col.values:
        allowed = set(col.values)
        checks.append(
            pdr.Check(
                lambda s: split_list(s).map(lambda xs: all(x in allowed for x in xs)),
                name="unknown_value",
            )
        )
    if col.minimum is not None:
        least = col.minimum
        number = parse_int if kind == "int" else parse_number

        def at_least(s: pd.Series) -> pd.Series:
            value = number(s)  # a cell that is no number fails its own check, not this one
            return (value.isna() | (value >= least)).fillna(True).astype(bool)

        checks.append(pdr.Check(at_least, name="below_minimum"))
    return checks


def pandera_schema(
    table: Table, timezone: str, years: tuple[int, int] = year_range(None)
) -> pa.DataFrameSchema:
    """The pandera schema that checks a table's raw text cells against the contract:
    naive timestamps are local to ``timezone``, dates are written within ``years``."""
    pdr = _pandera()
    schema: pa.DataFrameSchema = pdr.DataFrameSchema(
        {
            c.name: pdr.Column(
                None,
                checks=_check_for(c, timezone, years),
                nullable=c.nullable,
                unique=c.unique,
                required=True,
                coerce=False,
            )
            for c in table.columns
        },
        strict=False,
        name=table.name,
    )
    return schema


_MESSAGES = {
    "not_nullable": "is empty but required",
    "field_uniqueness": "duplicates an earlier row",
    "not_a_whole_number": "is not a whole number",
    "not_a_number": "is not a number",
    "not_true_or_false": "is not true or false",
    "not_a_date": "is not a date (YYYY-MM-DD)",
    "not_a_timestamp": "is not a timestamp (YYYY-MM-DDTHH:MM[:SS][+HH:MM])",
    "not_a_country_code": "is not a two-letter country code",
    "unknown_country": "is not an ISO 3166-1 country code",
    "unknown_timezone": "is not an IANA time zone (e.g. Europe/London)",
    "unknown_value": "is not an allowed value",
}


def _below_minimum(value: str, col: Col, timezone: str, years: tuple[int, int]) -> str:
    if col.minimum == 0:
        return f"{value!r} is negative: {col.name} must be 0 or more"
    return f"{value!r} is below {col.minimum}, the least {col.name} may be"


def _year_out_of_range(value: str, col: Col, timezone: str, years: tuple[int, int]) -> str:
    year = int(value[:4])
    setting = "earliest_year" if year < years[0] else "latest_year"
    message = (
        f"{value!r}: the year {value[:4]} is out of range: the workbook accepts "
        f"{years[0]}-{years[1]} (earliest_year and latest_year in workbook.yaml)"
    )
    if TIMESTAMP_YEARS[0] <= year <= TIMESTAMP_YEARS[1]:
        return f"{message}; if the date is right, set {setting}: {year} there"
    low, high = TIMESTAMP_YEARS
    return f"{message}, which can widen it to {low}-{high} at most: a typing slip?"


def _ambiguous_time(value: str, col: Col, timezone: str, years: tuple[int, int]) -> str:
    local = pd.Timestamp(value)
    first = local.tz_localize(timezone, ambiguous=True).isoformat()[-6:]
    second = local.tz_localize(timezone, ambiguous=False).isoformat()[-6:]
    return (
        f"{value!r} is ambiguous in the workbook's time zone {timezone}: the clocks go back "
        f"that night and {local:%H:%M} happens twice; write it with its UTC offset, "
        f"{value}{first} (the first) or {value}{second} (the second)"
    )


def _unknown_country(value: str, col: Col, timezone: str, years: tuple[int, int]) -> str:
    hint = COUNTRY_HINTS.get(value.upper())
    known = f": {hint}" if hint else " (a user-assigned or unassigned code)"
    return f"{value!r} is not an ISO 3166-1 country code{known}"


#: The messages of the domain rules (docs/data-contract.md, "Domain rules"), from the
#: cell's text, its column, the workbook's time zone and its years.
_DOMAIN_MESSAGES: dict[str, Callable[[str, Col, str, tuple[int, int]], str]] = {
    "below_minimum": _below_minimum,
    "year_out_of_range": _year_out_of_range,
    "ambiguous_time": _ambiguous_time,
    "unknown_country": _unknown_country,
}


def _convert(table: Table, raw: pd.DataFrame, timezone: str) -> pd.DataFrame:
    out = pd.DataFrame(index=raw.index)
    for c in table.columns:
        s = raw[c.name]
        if c.kind == "int":
            out[c.name] = parse_int(s)
        elif c.kind == "float":
            out[c.name] = parse_number(s).astype("Float64")
        elif c.kind == "bool":
            out[c.name] = parse_bool(s)
        elif c.kind == "date":
            out[c.name] = parse_date(s).dt.date
        elif c.kind == "datetime":
            out[c.name] = parse_datetime(s, timezone)
        elif c.kind == "list":
            out[c.name] = split_list(s)
        elif c.kind == "country":
            out[c.name] = s.astype("string").str.upper()
        else:
            out[c.name] = s.astype("string")
    return out.reset_index(drop=True)


# ---------------------------------------------------------------- reading files


@dataclass
class _Raw:
    frame: pd.DataFrame
    rows: list[int]  # display row number per record


def _read_csv(path: Path, name: str, problems: list[Problem]) -> _Raw | None:
    """A CSV table's cells as text, each record with the line it starts on; ``None``
    (and its problem) when the file is not UTF-8 text or not a CSV of one width.

    The whole file is checked to be text before a cell is read (``text_fault``: a NUL
    byte or a bad UTF-8 sequence anywhere). The size cap has been applied before, so
    the file is read at once. A header naming a column twice is refused, as is a quote
    that never closes (at the line where it opens)."""
    data = path.read_bytes()
    fault = text_fault(lambda: [data], name, ends_in_nul=data.endswith(b"\x00"))
    if fault is not None:
        problems.append(fault)
        return None
    records = csv_records(data.decode("utf-8-sig"))
    first = next(records, None)
    header = [h.strip() for h in first.fields] if first is not None else []
    if first is not None and first.fault is not None:
        problems.append(_csv_problem(name, first, header))
        return None
    if not any(header):
        problems.append(Problem(name, "empty_file", "is empty: it needs at least a header row"))
        return None
    if _duplicate_column(name, header, 1, problems):
        return None
    cells: list[list[str]] = []
    rows: list[int] = []
    ragged = False
    for rec in records:
        if rec.fault is not None:
            problems.append(_csv_problem(name, rec, header))
            return None
        if not rec.fields or all(not v.strip() for v in rec.fields):
            continue  # blank line
        if len(rec.fields) != len(header):
            problems.append(_ragged_problem(name, rec, header))
            ragged = True
            continue
        cells.append(rec.fields)
        rows.append(rec.start)
    if ragged:
        return None
    frame = pd.DataFrame(cells, columns=header, dtype=object)
    frame = frame.map(lambda v: v.strip() if v.strip() else None)
    return _Raw(frame, rows)


def _ragged_problem(file: str, rec: Record, header: list[str]) -> Problem:
    """The problem of a record whose width is not the header's. When it spans several
    lines, a quote opened in its first field that holds a line break most likely was
    meant to close on its own line and ran on until a later quote closed it (RFC 4180,
    section 2): that field's column is named, and the line where the run stopped."""
    message = f"has {len(rec.fields)} fields where the header has {len(header)}"
    if rec.end > rec.start:
        at = next((i for i, v in enumerate(rec.fields) if "\n" in v), None)
        if at is not None and at < len(header) and header[at]:
            message = (
                f"a quote opens here and runs on to row {rec.end}, where a later quote "
                f'closes it ({message}): add the closing quote (")'
            )
            return Problem(file, "bad_csv", message, row=rec.start, column=header[at])
        message += f" (it runs on to row {rec.end}: a quote not closed?)"
    return Problem(file, "ragged_row", message, row=rec.start)


def _csv_problem(file: str, rec: Record, header: list[str]) -> Problem:
    """The problem of a record the CSV reader stopped at, on the line where it starts."""
    if rec.fault != UNCLOSED_QUOTE:
        return Problem(file, "bad_csv", f"cannot be read as CSV: {rec.fault}", row=rec.start)
    at = len(rec.fields) - 1  # the quote opened the record's last field and swallowed the rest
    column = header[at] if rec.start > 1 and at < len(header) and header[at] else None
    message = 'a quote opens here and is never closed: add the closing quote (")'
    return Problem(file, "bad_csv", message, row=rec.start, column=column)


def _duplicate_column(
    file: str, header: list[str], row: int | None, problems: list[Problem]
) -> bool:
    """Whether ``header`` names a column twice (a problem for each name): which of the
    two is the table's column cannot be told, so neither is guessed."""
    twice = duplicate_names(header)
    for column in twice:
        places = " and ".join(str(i + 1) for i, h in enumerate(header) if h == column)
        message = f"is the name of more than one column ({places}); rename or remove one"
        problems.append(Problem(file, "duplicate_column", message, row=row, column=column))
    return bool(twice)


def _read_parquet(path: Path, name: str, problems: list[Problem]) -> _Raw | None:
    """A Parquet table's cells as text, each record numbered from 1; ``None`` (and its
    problem) when it cannot be read, names a column twice, or holds a date beyond the
    years any reader can hold (``date_out_of_range``)."""
    import pyarrow.parquet as pq

    if path.stat().st_size == 0:
        problems.append(Problem(name, "empty_file", "is empty (0 bytes): it holds no table"))
        return None
    try:
        with pq.ParquetFile(path) as parquet:  # read_table refuses a name given twice
            table = parquet.read()
    except Exception as exc:  # pyarrow raises many types for a damaged file
        problems.append(
            Problem(name, "bad_parquet", f"cannot be read as Parquet ({type(exc).__name__})")
        )
        return None
    if _duplicate_column(name, table.column_names, None, problems):
        return None
    beyond = date_out_of_range(table)
    if beyond is not None:
        row, column = beyond
        message = "holds a date outside the years 1 to 9999 (a typing slip?)"
        problems.append(Problem(name, "bad_parquet", message, row=row, column=column))
        return None
    try:
        frame = table.to_pandas()
        text = frame.astype(object).where(frame.notna(), None)
        text = text.map(lambda v: None if v is None else (_cell_text(v).strip() or None))
    except Exception as exc:  # a type pandas cannot hold as text
        problems.append(
            Problem(name, "bad_parquet", f"cannot be read as Parquet ({type(exc).__name__})")
        )
        return None
    return _Raw(text, list(range(1, len(text) + 1)))


def _cell_text(v: Any) -> str:
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple, np.ndarray)):  # a Parquet list column is an array
        return ";".join(str(x) for x in v)
    return str(v)


def _header(path: Path) -> list[str]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(path).names)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [h.strip() for h in next(csv.reader(fh), [])]


def find_table_file(root: Path, table: str) -> list[Path]:
    """The files in ``root`` that hold ``table`` (``.csv``, ``.parquet``, or a folder)."""
    found = [root / f"{table}.csv", root / f"{table}.parquet", root / table]
    return [p for p in found if p.exists()]


# ---------------------------------------------------------------- the loader


def load_config(root: Path) -> tuple[WorkbookConfig | None, list[Problem]]:
    path = root / CONFIG_FILE
    if not path.is_file():
        return None, [Problem(CONFIG_FILE, "missing_file", "is missing from the workbook")]
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        return None, [Problem(CONFIG_FILE, "wrong_encoding", "is not UTF-8")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or "YAML syntax error"
        return None, [Problem(CONFIG_FILE, "bad_yaml", f"is not valid YAML: {what}", row=row)]
    return parse_config(raw)


def _validate_table(
    table: Table,
    raw: _Raw,
    file: str,
    timezone: str,
    problems: list[Problem],
    years: tuple[int, int] = year_range(None),
) -> pd.DataFrame | None:
    frame = raw.frame
    missing = [c.name for c in table.columns if c.required and c.name not in frame.columns]
    for name in missing:
        problems.append(Problem(file, "missing_column", "is a required column", column=name))
    if missing:
        return None
    for c in table.columns:  # an optional column may be left out: it is empty
        if c.name not in frame.columns:
            frame = frame.assign(**{c.name: None})
    if len(frame) < table.min_rows:
        problems.append(
            Problem(file, "empty_table", f"needs at least {table.min_rows} row(s); it has none")
        )
        return None
    frame = frame[table.column_names].reset_index(drop=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandera probes optional back ends lazily
            pandera_schema(table, timezone, years).validate(frame, lazy=True)
    except _pandera().errors.SchemaErrors as errs:
        cases = errs.failure_cases
        seen: set[tuple[Any, ...]] = set()
        for case in cases.itertuples(index=False):
            check = str(case.check)
            reason = check.split("(")[0]
            if (
                reason == "field_uniqueness"
                and not frame[str(case.column)].duplicated().iloc[int(case.index)]
            ):
                continue  # the first occurrence is not the duplicate
            index = case.index
            row = raw.rows[int(index)] if index is not None and pd.notna(index) else None
            key = (row, case.column, reason)
            if key in seen:
                continue
            seen.add(key)
            value = case.failure_case
            message = _MESSAGES.get(reason, check)
            if reason == "unknown_metric":
                id_column = next(c.name for c in table.columns if c.unique)
                ident = frame[id_column].iloc[int(index)]
                message = (
                    f"{id_column.removesuffix('_id')} {ident}: {value!r} is not a known metric "
                    "(see docs/claims.md for the list)"
                )
            elif reason == "unknown_value":
                allowed = ", ".join(table.col(str(case.column)).values)
                message = f"{value!r} is not an allowed value ({allowed})"
            elif reason in _DOMAIN_MESSAGES:
                col = table.col(str(case.column))
                message = _DOMAIN_MESSAGES[reason](str(value).strip(), col, timezone, years)
            elif reason not in ("not_nullable",) and value is not None:
                message = f"{value!r} {message}"
            problems.append(Problem(file, reason, message, row=row, column=str(case.column)))
        return None
    typed = _convert(table, frame, timezone)
    ok = True
    for order in table.orders:
        a, b = typed[order.earlier], typed[order.later]
        bad = a.notna() & b.notna() & (a > b)
        for i in bad[bad].index:
            ok = False
            problems.append(
                Problem(
                    file,
                    order.reason,
                    f"is before {order.earlier} ({b[i]} < {a[i]})",
                    row=raw.rows[int(i)],
                    column=order.later,
                )
            )
    return typed if ok else None


def _check_refs(
    tables: dict[str, pd.DataFrame],
    files: dict[str, str],
    rows: dict[str, list[int]],
    problems: list[Problem],
) -> None:
    for table in TABLES:
        frame = tables.get(table.name)
        if frame is None:
            continue
        for col in table.columns:
            if not col.ref:
                continue
            ref_table, ref_col = col.ref.split(".")
            target = tables.get(ref_table)
            if target is None:
                continue
            known = set(target[ref_col].dropna().astype(str))
            for i, value in frame[col.name].items():
                values = value if isinstance(value, tuple) else (value,)
                for v in values:
                    if v is None or pd.isna(v) or str(v) in known:
                        continue
                    problems.append(
                        Problem(
                            files[table.name],
                            "unknown_reference",
                            f"{v!r} is not a {ref_col} in {ref_table}",
                            row=rows[table.name][int(i)],
                            column=col.name,
                        )
                    )


class Loaded(NamedTuple):
    """What :func:`read_workbook` read: the tables that passed the contract, and every
    problem of those that did not (``config`` is ``None`` when workbook.yaml failed)."""

    root: Path
    config: WorkbookConfig | None
    tables: dict[str, pd.DataFrame]
    files: dict[str, Path]
    notes: tuple[str, ...]
    rows: dict[str, list[int]]
    problems: list[Problem]

    def workbook(self) -> Workbook:
        """The :class:`Workbook`; raises :class:`WorkbookError` when anything failed."""
        if self.problems or self.config is None:
            raise WorkbookError(self.problems)
        return Workbook(
            self.root, self.config, self.tables, self.files, self.notes, source_rows=self.rows
        )


def load_workbook(root: str | Path) -> Workbook:
    """Load and validate every table of the workbook folder ``root``.

    Raises :class:`WorkbookError` listing every problem found (file, row, column);
    nothing is returned unless the whole workbook is valid. The checks beyond the
    tables (risk scale, ``dpia.yaml``, the accounts file, an engine) are
    :func:`juro_privacy.workbook.validate.validate`'s.
    """
    return read_workbook(root).workbook()


def read_workbook(root: str | Path) -> Loaded:
    """Read every table of the workbook folder ``root`` against the contract, gathering
    every problem instead of stopping at the first."""
    root = Path(root)
    if not root.is_dir():
        problem = Problem(str(root), "not_a_folder", "is not a workbook folder")
        return Loaded(root, None, {}, {}, (), {}, [problem])
    problems: list[Problem] = []
    notes: list[str] = []
    config, config_problems = load_config(root)
    problems += config_problems
    timezone = config.timezone if config else "Europe/London"
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, Path] = {}
    names: dict[str, str] = {}
    rows: dict[str, list[int]] = {}
    for table in TABLES:
        found = find_table_file(root, table.name)
        if not found:
            if table.required:
                problems.append(
                    Problem(f"{table.name}.csv", "missing_file", "is missing from the workbook")
                )
            continue
        if len(found) > 1:
            problems.append(
                Problem(
                    found[0].name,
                    "ambiguous_table",
                    f"{table.name} is given twice ({', '.join(p.name for p in found)})",
                )
            )
            continue
        path = found[0]
        name = path.name
        misplaced = _file_problem(root, table, path)
        if misplaced is not None:
            problems.append(misplaced)
            continue
        files[table.name] = path
        names[table.name] = name
        if table.lazy:
            found_before = len(problems)
            _check_lazy(table, path, name, problems, notes)
            if len(problems) > found_before:  # refused as a file: its rows are not read
                del files[table.name]
            continue
        raw = (
            _read_parquet(path, name, problems)
            if path.suffix == ".parquet"
            else _read_csv(path, name, problems)
        )
        if raw is None:
            continue
        extra = [c for c in raw.frame.columns if c not in table.column_names]
        for c in extra:
            notes.append(f"{name}: column {c!r} is not in the data contract and was ignored")
        typed = _validate_table(table, raw, name, timezone, problems, year_range(config))
        if typed is not None:
            tables[table.name] = typed
            rows[table.name] = raw.rows
    _check_refs(tables, names, rows, problems)
    return Loaded(root, config, tables, files, tuple(notes), rows, problems)


def _file_problem(root: Path, table: Table, path: Path) -> Problem | None:
    """What is wrong with where a table's file lies, before it is opened: a symbolic link
    leading out of the workbook folder (the path, or an entry of a folder), a folder
    where a file was expected (only the accounts table may be a folder of Parquet
    files), something that is not a regular file (a pipe would never end), a file that
    cannot be opened, a small table over ``MAX_TABLE_BYTES``."""
    name = path.name
    outside = outside_link(root, path)
    if outside is not None:
        what = "is a" if outside == path else f"holds {outside.relative_to(path)}, a"
        message = (
            f"{what} symbolic link to a file outside the workbook folder, which is not "
            "read: copy the file into the workbook folder instead"
        )
        return Problem(name, "outside_workbook", message)
    if path.is_dir():
        if table.lazy:
            return None
        message = (
            f"is a folder where a file was expected: give {table.name} as one file, "
            f"{table.name}.csv or {table.name}.parquet (only accounts may be a folder "
            "of Parquet files)"
        )
        return Problem(name, "not_a_file", message)
    if not path.is_file():
        message = "is not a regular file (a pipe or a device?): give the table as a file"
        return Problem(name, "not_a_file", message)
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        return Problem(name, "unreadable", f"cannot be opened ({exc.strerror})")
    size = path.stat().st_size
    if not table.lazy and size > MAX_TABLE_BYTES:
        message = (
            f"is not a workbook table: it is {size:,} B, over {MAX_TABLE_BYTES:,} B "
            "(only accounts may be larger)"
        )
        return Problem(name, "too_large", message)
    return None


def _check_lazy(
    table: Table, path: Path, name: str, problems: list[Problem], notes: list[str]
) -> None:
    """The accounts table checked as a file, its rows left to DuckDB where they lie: it
    is not empty, a CSV file is UTF-8 text throughout (read whole, one chunk at a time:
    ``file_text_fault``), a folder holds Parquet files, and the header (a folder's first
    Parquet file's) names every column of the contract, each once."""
    parts = list(_parquet_parts(path)) if path.is_dir() else [path]
    if not parts:
        problems.append(Problem(name, "empty_table", "holds no Parquet files"))
        return
    csv_file = path.is_file() and path.suffix == ".csv"
    if path.is_file() and path.stat().st_size == 0:
        problems.append(Problem(name, "empty_file", "is empty: it needs at least a header row"))
        return
    try:
        fault = file_text_fault(path, name) if csv_file else None
        header = _header(parts[0]) if fault is None else []
    except Exception as exc:
        problems.append(Problem(name, "unreadable", f"cannot be read ({type(exc).__name__})"))
        return
    if fault is not None:
        problems.append(fault)
        return
    if csv_file and not any(header):
        problems.append(Problem(name, "empty_file", "is empty: it needs at least a header row"))
        return
    if _duplicate_column(name, header, 1 if csv_file else None, problems):
        return
    for c in table.column_names:
        if c not in header:
            problems.append(Problem(name, "missing_column", "is a required column", column=c))
    for c in header:
        if c not in table.column_names:
            notes.append(f"{name}: column {c!r} is not in the data contract and was ignored")
    if not csv_file:
        _check_parquet_dates(table, path, parts, problems)


def _check_parquet_dates(
    table: Table, path: Path, parts: list[Path], problems: list[Problem]
) -> None:
    """The first typed date of the Parquet accounts beyond the years 1 to 9999, which
    the engine cannot read (``parquet_date_out_of_range``: footers first, a row group
    only when its recorded range leaves them), named by record and column."""
    dated = [c.name for c in table.columns if c.kind in ("date", "datetime")]
    for part in parts:
        where = "" if part == path else f"{part.relative_to(path)}: "
        try:
            beyond = parquet_date_out_of_range(part, dated)
        except Exception as exc:  # pyarrow raises many types for a damaged file
            problems.append(
                Problem(path.name, "unreadable", f"{where}cannot be read ({type(exc).__name__})")
            )
            return
        if beyond is not None:
            row, column = beyond
            message = f"{where}holds a date outside the years 1 to 9999 (a typing slip?)"
            problems.append(Problem(path.name, "bad_parquet", message, row=row, column=column))
            return


def _parquet_parts(folder: Path) -> Iterator[Path]:
    """The Parquet files of a folder, at any depth, as DuckDB reads it (``**/*.parquet``:
    a Spark or Hive layout puts them in sub-folders)."""
    yield from sorted(p for p in folder.rglob("*.parquet") if p.is_file())


def load_shared_workbook(
    root: str | Path, loaded: Workbook | None = None, engine: str = ""
) -> Workbook:
    """:func:`load_workbook` with its accounts at ``engine`` (``Workbook.engine``),
    loaded once per quarterly run: the run validates the folder (and passes the result
    as ``loaded``) and each topic's kernel reads it from the run's cache
    (:mod:`juro_privacy.run_cache`); outside a run it simply loads."""
    path = Path(root).resolve()  # kernels run in another folder: no relative paths

    def load() -> Workbook:
        return dataclasses.replace(loaded or load_workbook(path), engine=engine)

    return run_cache.fetch("workbook", (str(path), engine), load)
