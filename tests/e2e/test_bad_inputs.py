"""The bad-input catalogue through the command line, as a DPO or a scheduler meets it.

Each case plants one fault in a copy of the sample workbook (or in the arguments) and
checks: exit code 2, one message line naming the file, row and column where the fault
has them, no traceback, and for ``run`` that the previous report folder is untouched.
The loader-level catalogue is ``test_workbook.py``; this file adds the cases that
need the CLI or the run, and a property test that no input makes the loader crash.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import hashlib
import os
import pathlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juro_privacy.cli import main
from juro_privacy.errors import JuroPrivacyError
from juro_privacy.paths import sample_dir
from juro_privacy.workbook.load import load_workbook
from juro_privacy.workbook.validate import validate
from tests.conftest import read_rows, run_cli, write_rows
from tests.e2e.catalogue import cell as _cell
from tests.e2e.catalogue import duplicate as _duplicate

Fault = Callable[[Path], None]


def _header_only(name: str) -> Fault:
    return lambda root: write_rows(root / name, read_rows(root / name)[:1])


def _latin1_with_bom(name: str) -> Fault:
    def apply(root: Path) -> None:
        rows = read_rows(root / name)
        rows[3][1] = "Lärkspur Café"
        text = "\n".join(",".join(r) for r in rows) + "\n"
        (root / name).write_bytes(b"\xef\xbb\xbf" + text.encode("latin-1"))

    return apply


def _truncated_parquet(name: str) -> Fault:
    def apply(root: Path) -> None:
        frame = pd.read_csv(root / f"{name}.csv", dtype=str, keep_default_na=False)
        (root / f"{name}.csv").unlink()
        frame.to_parquet(root / f"{name}.parquet")
        data = (root / f"{name}.parquet").read_bytes()
        (root / f"{name}.parquet").write_bytes(data[: len(data) // 2])

    return apply


def _ragged(name: str, row: int) -> Fault:
    """One line with a field more than the header (a stray comma)."""

    def apply(root: Path) -> None:
        lines = (root / name).read_text(encoding="utf-8").splitlines()
        lines[row - 1] += ",stray"
        (root / name).write_text("\n".join(lines) + "\n", encoding="utf-8")

    return apply


def _sparse(name: str, size: int) -> Fault:
    def apply(root: Path) -> None:
        with (root / name).open("wb") as fh:
            fh.truncate(size)  # a hole: no disk used, nothing read

    return apply


# (name, fault, file, row, column): for ``validate``
VALIDATE_CASES: list[tuple[str, Fault, str, int | None, str | None]] = [
    (
        "failing_system_unknown_processor",
        _cell("systems.csv", 3, "processor_id", "no_such_processor"),
        "systems.csv",
        3,
        "processor_id",
    ),
    ("failing_latin1_with_bom", _latin1_with_bom("sites.csv"), "sites.csv", 4, None),
    (
        "failing_truncated_parquet",
        _truncated_parquet("processors"),
        "processors.parquet",
        None,
        None,
    ),
    (
        "failing_very_large_sparse_file",
        _sparse("cookies.csv", 300 << 20),
        "cookies.csv",
        None,
        None,
    ),
    (
        "failing_duplicate_request_id",
        _duplicate("requests.csv", 7, "request_id"),
        "requests.csv",
        7,
        "request_id",
    ),
    (
        "failing_empty_activities_table",
        _header_only("activities.csv"),
        "activities.csv",
        None,
        None,
    ),
    (
        "failing_activity_unknown_retention_rule",
        _cell("activities.csv", 4, "retention_rule", "forever"),
        "activities.csv",
        4,
        "retention_rule",
    ),
    (
        "failing_risk_unknown_activity",
        _cell("risks.csv", 2, "activity_id", "A99"),
        "risks.csv",
        2,
        "activity_id",
    ),
    (
        "failing_activity_ended_before_started",
        _cell("activities.csv", 2, "ended_on", "1999-01-01"),
        "activities.csv",
        2,
        "ended_on",
    ),
    # The accounts file is checked in DuckDB (it may hold millions of rows), and
    # validate checks it as the run does.
    ("failing_account_ragged_row", _ragged("accounts.csv", 3), "accounts.csv", 3, None),
    (
        "failing_account_last_use_not_a_timestamp",
        _cell("accounts.csv", 4, "last_used_at", "yesterday"),
        "accounts.csv",
        4,
        "last_used_at",
    ),
    (
        "failing_account_override_not_a_number",
        _cell("accounts.csv", 5, "delete_after_months", "six"),
        "accounts.csv",
        5,
        "delete_after_months",
    ),
    (
        "failing_account_deleted_before_last_use_validate",
        _cell("accounts.csv", 3, "deleted_at", "2001-01-01T00:00:00+00:00"),
        "accounts.csv",
        3,
        "deleted_at",
    ),
    (
        "failing_impossible_hour",
        _cell("consents.csv", 4, "at", "2026-07-01T25:00:00+00:00"),
        "consents.csv",
        4,
        "at",
    ),
]


def _problem_line(stderr: str, file: str) -> str:
    lines = [line for line in stderr.splitlines() if file in line]
    assert lines, stderr
    return lines[0]


@pytest.mark.parametrize(
    ("fault", "file", "row", "column"),
    [pytest.param(*c[1:], id=c[0]) for c in VALIDATE_CASES],
)
def test_validate_names_file_row_and_column(workbook_copy, fault, file, row, column):
    fault(workbook_copy)
    proc = run_cli("validate", str(workbook_copy))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    line = _problem_line(proc.stderr, file)
    if row is not None:
        assert f"row {row}" in line
    if column is not None:
        assert f"column '{column}'" in line


def test_validate_a_folder_that_does_not_exist(tmp_path):
    proc = run_cli("validate", str(tmp_path / "nowhere"))
    assert proc.returncode == 2
    assert "nowhere: is not a workbook folder" in proc.stderr
    assert "Traceback" not in proc.stderr


# ---------------------------------------------------------------- through ``run``


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def out_with_previous(tmp_path: Path) -> Path:
    """A report folder holding a previous ``2026-Q3`` report."""
    out = tmp_path / "reports"
    (out / "2026-Q3").mkdir(parents=True)
    (out / "2026-Q3" / "index.html").write_text("<p>the report filed last time</p>\n")
    return out


# (name, fault, extra args, text the message must hold)
RUN_CASES: list[tuple[str, Fault | None, tuple[str, ...], tuple[str, ...]]] = [
    (
        "failing_request_completed_before_received",
        _cell("requests.csv", 5, "completed_at", "2020-01-01T00:00:00+00:00"),
        (),
        ("requests.csv, row 5, column 'completed_at'", "completed_before_received"),
    ),
    (
        "failing_account_deleted_before_last_use",
        _cell("accounts.csv", 3, "deleted_at", "2001-01-01T00:00:00+00:00"),
        (),
        ("accounts.csv, row 3, column 'deleted_at': is before last_used_at [",),
    ),
    (
        "failing_account_without_last_use",
        _cell("accounts.csv", 10, "last_used_at", ""),
        (),
        ("accounts.csv, row 10, column 'last_used_at': is empty but required [",),
    ),
    (
        "failing_account_negative_override",
        _cell("accounts.csv", 6, "delete_after_months", "-3"),
        (),
        ("accounts.csv, row 6, column 'delete_after_months': is negative",),
    ),
    (
        "failing_account_ragged_row",
        _ragged("accounts.csv", 7),
        (),
        ("accounts.csv, row 7: has 7 fields, the header has 6",),
    ),
    ("failing_period_does_not_parse", None, ("--period", "2026-Q5"), ("2026-Q5",)),
    ("failing_unknown_topic", None, ("--only", "payroll"), ("unknown topic payroll",)),
]


@pytest.mark.parametrize(
    ("fault", "args", "expected"),
    [pytest.param(*c[1:], id=c[0]) for c in RUN_CASES],
)
def test_run_refuses_bad_input_and_keeps_the_previous_report(
    workbook_copy, out_with_previous, fault, args, expected
):
    if fault is not None:
        fault(workbook_copy)
    before = _tree(out_with_previous)
    proc = run_cli(
        "run", "--data", str(workbook_copy), "--out", str(out_with_previous), "--no-pdf", *args
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert all(text in proc.stderr for text in expected), proc.stderr
    assert "acc-" not in proc.stderr  # account ids are identifiers: never in a message
    assert _tree(out_with_previous) == before
    assert [p.name for p in out_with_previous.iterdir()] == ["2026-Q3"]


def test_run_into_an_output_folder_that_is_a_file(tmp_path):
    blocker = tmp_path / "reports"
    blocker.write_text("not a folder")
    proc = run_cli("run", "--no-pdf", "--out", str(blocker))
    assert proc.returncode == 2
    assert f"the report folder {blocker} cannot be written" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert blocker.read_text() == "not a folder"


@pytest.mark.slow
def test_a_full_disk_is_an_output_error_and_leaves_nothing_behind(out_with_previous, monkeypatch):
    real = pathlib.Path.write_text

    def full(self: Path, *args: object, **kwargs: object) -> int:
        if self.suffix == ".html" and ".partial-" in str(self.parent):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pathlib.Path, "write_text", full)
    before = _tree(out_with_previous)
    result = CliRunner().invoke(
        main, ["run", "--out", str(out_with_previous), "--no-pdf", "--only", "register"]
    )
    assert result.exit_code == 2, result.output
    assert "error: the disk is full: register.html could not be written" in result.output
    assert "Traceback" not in result.output
    assert _tree(out_with_previous) == before
    assert [p.name for p in out_with_previous.iterdir()] == ["2026-Q3"]  # staging removed


# ---------------------------------------------------------------- no input crashes the loader


@pytest.fixture(scope="module")
def small_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample workbook with its long tables cut to a few rows: quick to load."""
    root = tmp_path_factory.mktemp("small") / "workbook"
    shutil.copytree(sample_dir(), root)
    for name in ("requests", "consents", "marketing_sends", "accounts"):
        write_rows(root / f"{name}.csv", read_rows(root / f"{name}.csv")[:6])
    # the complaints refer to requests cut above: keep the log, without them
    write_rows(root / "complaints.csv", read_rows(root / "complaints.csv")[:1])
    load_workbook(root)  # still valid
    return root


def _fresh(small: Path, tmp: Path) -> Path:
    root = tmp / f"wb-{os.urandom(4).hex()}"
    shutil.copytree(small, root)
    return root


def _load_or_refuse(root: Path) -> None:
    """Load; a refusal must be one of the package's errors (anything else fails)."""
    with contextlib.suppress(JuroPrivacyError):
        load_workbook(root)


TABLE_FILES = ["sites.csv", "processors.csv", "requests.csv", "accounts.csv", "workbook.yaml"]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(TABLE_FILES), data=st.binary(max_size=2000))
def test_random_bytes_never_crash_the_loader(small_workbook, tmp_path, name, data):
    root = _fresh(small_workbook, tmp_path)
    (root / name).write_bytes(data)
    _load_or_refuse(root)
    shutil.rmtree(root)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["sites.csv", "processors.csv", "requests.csv", "activities.csv"]),
    rows=st.lists(st.lists(st.text(max_size=30), min_size=0, max_size=20), max_size=8),
    keep_header=st.booleans(),
    aligned=st.booleans(),
)
def test_random_rows_never_crash_the_loader(
    small_workbook, tmp_path, name, rows, keep_header, aligned
):
    root = _fresh(small_workbook, tmp_path)
    header = read_rows(root / name)[0]
    if aligned:  # as wide as the header: the cells reach the schema checks
        rows = [(row + [""] * len(header))[: len(header)] for row in rows]
    with (root / name).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerows(([header] if keep_header else []) + rows)
    _load_or_refuse(root)
    shutil.rmtree(root)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(min_size=1, max_size=4000))
def test_random_bytes_as_parquet_never_crash_the_loader(small_workbook, tmp_path, data):
    root = _fresh(small_workbook, tmp_path)
    (root / "sites.csv").unlink()
    (root / "sites.parquet").write_bytes(b"PAR1" + data)
    _load_or_refuse(root)
    shutil.rmtree(root)


def _validate_or_refuse(root: Path) -> None:
    """Validate: a refusal must be one of the package's errors, and a workbook
    ``validate`` accepts is one the run's loader (and so each notebook) accepts too."""
    try:
        validate(root)
    except JuroPrivacyError:
        return
    load_workbook(root)


#: Text made of what a CSV file is made of: separators, quotes, line ends, a byte-order
#: mark, digits and the letters of dates and offsets, a NUL byte.
CSV_TEXT = st.text(
    st.sampled_from(',,""\n\r;:-+T0123456789Zabé\ufeff\x00 '), min_size=1, max_size=12
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["sites.csv", "requests.csv", "accounts.csv"]),
    where=st.floats(min_value=0, max_value=1),
    data=st.binary(min_size=1, max_size=40) | CSV_TEXT.map(str.encode),
    overwrite=st.booleans(),
)
def test_random_bytes_anywhere_in_a_file_never_crash_validate(
    small_workbook, tmp_path, name, where, data, overwrite
):
    """Bytes put anywhere in a real file (not only at its head), through ``validate``,
    which reads ``accounts.csv`` in DuckDB."""
    root = _fresh(small_workbook, tmp_path)
    original = (root / name).read_bytes()
    at = int(where * len(original))
    rest = original[at + len(data) :] if overwrite else original[at:]
    (root / name).write_bytes(original[:at] + data + rest)
    _validate_or_refuse(root)
    shutil.rmtree(root)


Build = Callable[[list[object]], pa.Array]


def _from_ints(kind: pa.DataType, through: pa.DataType | None = None) -> Build:
    """Integers stored as ``kind`` (a timestamp, a date, a duration): any range at all."""
    return lambda values: pa.array(values, through or pa.int64()).cast(kind)


#: Parquet column types, each with the values of its cells and how they become an array.
PARQUET_KINDS: dict[str, tuple[st.SearchStrategy[object], Build]] = {
    "string": (st.text(max_size=12), lambda v: pa.array(v, pa.string())),
    "large_string": (st.text(max_size=12), lambda v: pa.array(v, pa.large_string())),
    "int64": (st.integers(-(2**63), 2**63 - 1), lambda v: pa.array(v, pa.int64())),
    "float64": (st.floats(), lambda v: pa.array(v, pa.float64())),
    "bool": (st.booleans(), lambda v: pa.array(v, pa.bool_())),
    "binary": (st.binary(max_size=8), lambda v: pa.array(v, pa.binary())),
    "list": (st.lists(st.text(max_size=4), max_size=3), lambda v: pa.array(v)),
    "timestamp_ms": (st.integers(-(2**62), 2**62), _from_ints(pa.timestamp("ms"))),
    "timestamp_us_utc": (
        st.integers(-(2**62), 2**62),
        _from_ints(pa.timestamp("us", tz="UTC")),
    ),
    "timestamp_ns": (st.integers(-(2**62), 2**62), _from_ints(pa.timestamp("ns"))),
    "date32": (st.integers(-(2**31), 2**31 - 1), _from_ints(pa.date32(), pa.int32())),
    "duration": (st.integers(-(2**62), 2**62), _from_ints(pa.duration("s"))),
}


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=st.sampled_from(["sites", "accounts"]), data=st.data())
def test_random_parquet_schemas_never_crash_validate(small_workbook, tmp_path, table, data):
    """A Parquet table of any columns, names (the contract's, others, twice) and types
    (text, numbers, lists, timestamps of any range...), for a small table and accounts.
    A column may also keep the sample's own cells as text, so that some are accepted."""
    root = _fresh(small_workbook, tmp_path)
    rows = read_rows(root / f"{table}.csv")
    header, records = rows[0], rows[1:]
    names = data.draw(
        st.one_of(
            st.just(header),
            st.lists(st.sampled_from(header) | st.text(max_size=6), min_size=1, max_size=9),
        )
    )
    count = data.draw(st.integers(0, len(records)))
    arrays = []
    for name in names:
        kind = data.draw(st.sampled_from(["sample", *PARQUET_KINDS]))
        if kind == "sample" and name in header:
            i = header.index(name)
            arrays.append(pa.array([r[i] or None for r in records[:count]], pa.string()))
            continue
        values, build = PARQUET_KINDS["string" if kind == "sample" else kind]
        cells = data.draw(st.lists(st.none() | values, min_size=count, max_size=count))
        arrays.append(build(cells))
    (root / f"{table}.csv").unlink()
    pq.write_table(pa.Table.from_arrays(arrays, names=names), root / f"{table}.parquet")
    _validate_or_refuse(root)
    shutil.rmtree(root)
