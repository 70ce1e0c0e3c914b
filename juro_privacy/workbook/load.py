"""Load a workbook folder into one validated :class:`Workbook`.

Every problem found is gathered into one :class:`~juro_privacy.errors.WorkbookError`
naming file, row and column, as pandera's ``SchemaErrors`` gathers every failure.
Row numbers are the line numbers a spreadsheet or editor shows for a CSV (the
header is row 1), and the 1-based record number for a Parquet file.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd
import yaml

from juro_privacy import run_cache
from juro_privacy.errors import Problem, WorkbookError
from juro_privacy.workbook.config import CONFIG_FILE, WorkbookConfig, parse_config
from juro_privacy.workbook.schemas import METRICS, TABLES, Col, Table

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
    """ISO timestamps to UTC; a timestamp without an offset is local to ``timezone``."""
    text = s.astype("string").str.strip()
    aware = text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True, na=False)
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


def parse_int(s: pd.Series) -> pd.Series:
    num = pd.to_numeric(s, errors="coerce")
    whole = num.notna() & (num % 1 == 0)
    return num.where(whole).astype("Int64")


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


def _check_for(col: Col, timezone: str) -> list[pa.Check]:
    pdr = _pandera()
    checks: list[pa.Check] = []
    kind = col.kind
    if kind == "int":
        checks.append(pdr.Check(_parses(parse_int), name="not_a_whole_number"))
    elif kind == "float":
        checks.append(
            pdr.Check(_parses(lambda s: pd.to_numeric(s, errors="coerce")), name="not_a_number")
        )
    elif kind == "bool":
        checks.append(pdr.Check(_parses(parse_bool), name="not_true_or_false"))
    elif kind == "date":
        checks.append(pdr.Check(_parses(parse_date), name="not_a_date"))
    elif kind == "datetime":
        checks.append(
            pdr.Check(_parses(lambda s: parse_datetime(s, timezone)), name="not_a_timestamp")
        )
    elif kind == "country":
        checks.append(
            pdr.Check(
                lambda s: s.isna() | s.astype("string").str.fullmatch(r"[A-Za-z]{2}"),
                name="not_a_country_code",
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
    return checks


def pandera_schema(table: Table, timezone: str) -> pa.DataFrameSchema:
    """The pandera schema that checks a table's raw text cells against the contract."""
    pdr = _pandera()
    schema: pa.DataFrameSchema = pdr.DataFrameSchema(
        {
            c.name: pdr.Column(
                None,
                checks=_check_for(c, timezone),
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
    "unknown_value": "is not an allowed value",
}


def _convert(table: Table, raw: pd.DataFrame, timezone: str) -> pd.DataFrame:
    out = pd.DataFrame(index=raw.index)
    for c in table.columns:
        s = raw[c.name]
        if c.kind == "int":
            out[c.name] = parse_int(s)
        elif c.kind == "float":
            out[c.name] = pd.to_numeric(s, errors="coerce").astype("Float64")
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
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        problems.append(Problem(name, "wrong_encoding", "is UTF-16; save it as UTF-8 (CSV UTF-8)"))
        return None
    if b"\x00" in data[:65536]:
        problems.append(Problem(name, "not_text", "is not a text CSV file (it holds NUL bytes)"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                name,
                "wrong_encoding",
                "is not UTF-8 (Latin-1 or Windows-1252?); save it as CSV UTF-8",
                row=line,
            )
        )
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(name, "empty_file", "is empty: it needs at least a header row"))
        return None
    except csv.Error as exc:
        problems.append(Problem(name, "bad_csv", f"cannot be read as CSV: {exc}", row=1))
        return None
    header = [h.strip() for h in header]
    records: list[list[str]] = []
    rows: list[int] = []
    ragged = False
    try:
        for rec in reader:
            if not rec or all(not v.strip() for v in rec):
                continue  # blank line
            if len(rec) != len(header):
                problems.append(
                    Problem(
                        name,
                        "ragged_row",
                        f"has {len(rec)} fields where the header has {len(header)}",
                        row=reader.line_num,
                    )
                )
                ragged = True
                continue
            records.append(rec)
            rows.append(reader.line_num)
    except csv.Error as exc:
        problems.append(
            Problem(name, "bad_csv", f"cannot be read as CSV: {exc}", row=reader.line_num)
        )
        return None
    if ragged:
        return None
    frame = pd.DataFrame(records, columns=header, dtype=object)
    frame = frame.map(lambda v: v.strip() if v.strip() else None)
    return _Raw(frame, rows)


def _read_parquet(path: Path, name: str, problems: list[Problem]) -> _Raw | None:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for a damaged file
        problems.append(
            Problem(name, "bad_parquet", f"cannot be read as Parquet ({type(exc).__name__})")
        )
        return None
    text = frame.astype(object).where(frame.notna(), None)
    text = text.map(lambda v: None if v is None else (_cell_text(v).strip() or None))
    return _Raw(text, list(range(1, len(text) + 1)))


def _cell_text(v: Any) -> str:
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
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
    table: Table, raw: _Raw, file: str, timezone: str, problems: list[Problem]
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
            pandera_schema(table, timezone).validate(frame, lazy=True)
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
        files[table.name] = path
        names[table.name] = name
        if table.lazy:
            _check_lazy(table, path, name, problems, notes)
            continue
        if path.is_dir() or path.stat().st_size > MAX_TABLE_BYTES:
            problems.append(
                Problem(name, "too_large", f"is not a workbook table (over {MAX_TABLE_BYTES:,} B)")
            )
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
        typed = _validate_table(table, raw, name, timezone, problems)
        if typed is not None:
            tables[table.name] = typed
            rows[table.name] = raw.rows
    _check_refs(tables, names, rows, problems)
    return Loaded(root, config, tables, files, tuple(notes), rows, problems)


def _check_lazy(
    table: Table, path: Path, name: str, problems: list[Problem], notes: list[str]
) -> None:
    try:
        header = _header(path) if path.is_file() else _header(next(_parquet_parts(path)))
    except StopIteration:
        problems.append(Problem(name, "empty_table", "holds no Parquet files"))
        return
    except Exception as exc:
        problems.append(Problem(name, "unreadable", f"cannot be read ({type(exc).__name__})"))
        return
    for c in table.column_names:
        if c not in header:
            problems.append(Problem(name, "missing_column", "is a required column", column=c))
    for c in header:
        if c not in table.column_names:
            notes.append(f"{name}: column {c!r} is not in the data contract and was ignored")


def _parquet_parts(folder: Path) -> Iterator[Path]:
    yield from sorted(folder.glob("*.parquet"))


def load_shared_workbook(root: str | Path, loaded: Workbook | None = None) -> Workbook:
    """:func:`load_workbook`, loaded once per quarterly run: the run validates the
    folder (and passes the result as ``loaded``) and each topic's kernel reads it from
    the run's cache (:mod:`juro_privacy.run_cache`); outside a run it simply loads."""
    path = Path(root).resolve()  # kernels run in another folder: no relative paths
    return run_cache.fetch("workbook", (str(path),), lambda: loaded or load_workbook(path))
