"""The loader: the sample loads; every kind of bad file gives one error naming file,
row and column. Each failing case is named after the fault it plants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from juro_privacy.errors import InputError, WorkbookError
from juro_privacy.paths import sample_dir
from juro_privacy.workbook.load import load_workbook, parse_datetime
from juro_privacy.workbook.schemas import TABLES
from tests.conftest import read_rows, set_cell, write_rows


def test_sample_loads_with_every_table():
    wb = load_workbook(sample_dir())
    assert wb.config.organisation == "Larkspur Online Limited"
    assert wb.config.default_period == "2026-Q3"
    loaded = {t.name for t in TABLES if not t.lazy}
    assert loaded <= set(wb.tables)
    assert len(wb.activities) == 13
    assert wb.activities.loc[0, "data_categories"] == ("identity_contact", "technical")
    assert str(wb.requests["received_at"].dtype) == "datetime64[ns, UTC]"
    assert wb.warnings == ()


def test_naive_timestamps_are_local_to_the_workbook_time_zone():
    s = pd.Series(["2026-07-01T00:30:00", "2026-01-15T00:30:00", "2026-07-01T00:30:00+00:00"])
    out = parse_datetime(s, "Europe/London")
    assert out[0] == pd.Timestamp("2026-06-30T23:30:00Z")  # BST is UTC+1
    assert out[1] == pd.Timestamp("2026-01-15T00:30:00Z")  # GMT
    assert out[2] == pd.Timestamp("2026-07-01T00:30:00Z")


Fault = Callable[[Path], None]


def _drop_file(name: str) -> Fault:
    return lambda root: (root / name).unlink()


def _drop_column(name: str, column: str) -> Fault:
    def apply(root: Path) -> None:
        rows = read_rows(root / name)
        i = rows[0].index(column)
        write_rows(root / name, [r[:i] + r[i + 1 :] for r in rows])

    return apply


def _cell(name: str, row: int, column: str, value: str) -> Fault:
    return lambda root: set_cell(root / name, row, column, value)


def _append_raw(name: str, text: str) -> Fault:
    def apply(root: Path) -> None:
        with (root / name).open("a", encoding="utf-8") as fh:
            fh.write(text)

    return apply


def _reencode(name: str, encoding: str) -> Fault:
    def apply(root: Path) -> None:
        text = (root / name).read_text(encoding="utf-8")
        if encoding == "latin-1":
            text = text.replace("Larkspur", "Lärkspur")
        (root / name).write_bytes(text.encode(encoding))

    return apply


def _header_only(name: str) -> Fault:
    def apply(root: Path) -> None:
        rows = read_rows(root / name)
        write_rows(root / name, rows[:1])

    return apply


def _yaml(text: str) -> Fault:
    return lambda root: (root / "workbook.yaml").write_text(text, encoding="utf-8")


# (name, fault, file, row, column, reason)
CASES: list[tuple[str, Fault, str, int | None, str | None, str]] = [
    (
        "failing_missing_processors_file",
        _drop_file("processors.csv"),
        "processors.csv",
        None,
        None,
        "missing_file",
    ),
    (
        "failing_missing_column_purpose",
        _drop_column("activities.csv", "purpose"),
        "activities.csv",
        None,
        "purpose",
        "missing_column",
    ),
    (
        "failing_unknown_lawful_basis",
        _cell("activities.csv", 3, "lawful_basis", "because"),
        "activities.csv",
        3,
        "lawful_basis",
        "unknown_value",
    ),
    (
        "failing_unparseable_received_at",
        _cell("requests.csv", 5, "received_at", "31/02/2025"),
        "requests.csv",
        5,
        "received_at",
        "not_a_timestamp",
    ),
    (
        "failing_impossible_date",
        _cell("activities.csv", 4, "started_on", "2025-02-30"),
        "activities.csv",
        4,
        "started_on",
        "not_a_date",
    ),
    (
        "failing_request_completed_before_received",
        _cell("requests.csv", 10, "completed_at", "2020-01-01T00:00:00+00:00"),
        "requests.csv",
        10,
        "completed_at",
        "completed_before_received",
    ),
    (
        "failing_duplicate_processor_id",
        _cell("processors.csv", 3, "processor_id", "cloudhost"),
        "processors.csv",
        3,
        "processor_id",
        "field_uniqueness",
    ),
    (
        "failing_unknown_system_reference",
        _cell("activities.csv", 2, "systems", "app_db;mainframe"),
        "activities.csv",
        2,
        "systems",
        "unknown_reference",
    ),
    (
        "failing_unknown_site_reference",
        _cell("requests.csv", 7, "office", "paris"),
        "requests.csv",
        7,
        "office",
        "unknown_reference",
    ),
    (
        "failing_not_a_boolean",
        _cell("processors.csv", 2, "dpf_certified", "maybe"),
        "processors.csv",
        2,
        "dpf_certified",
        "not_true_or_false",
    ),
    (
        "failing_not_a_number",
        _cell("retention_rules.csv", 2, "delete_after_months", "six years"),
        "retention_rules.csv",
        2,
        "delete_after_months",
        "not_a_whole_number",
    ),
    (
        "failing_empty_required_cell",
        _cell("activities.csv", 6, "name", ""),
        "activities.csv",
        6,
        "name",
        "not_nullable",
    ),
    (
        "failing_bad_country_code",
        _cell("processors.csv", 4, "country", "USA"),
        "processors.csv",
        4,
        "country",
        "not_a_country_code",
    ),
    (
        "failing_ragged_row",
        _append_raw("cookies.csv", "extra,row,with,too,few\n"),
        "cookies.csv",
        17,  # after the header and the sample's 15 cookies
        None,
        "ragged_row",
    ),
    (
        "failing_utf16_encoding",
        _reencode("sites.csv", "utf-16"),
        "sites.csv",
        None,
        None,
        "wrong_encoding",
    ),
    (
        "failing_latin1_encoding",
        _reencode("cookies.csv", "latin-1"),
        "cookies.csv",
        2,
        None,
        "wrong_encoding",
    ),
    (
        "failing_empty_sites_table",
        _header_only("sites.csv"),
        "sites.csv",
        None,
        None,
        "empty_table",
    ),
    (
        "failing_yaml_syntax",
        _yaml("organisation: [unclosed\ndpo: x\n"),
        "workbook.yaml",
        2,
        None,
        "bad_yaml",
    ),
    (
        "failing_yaml_missing_dpo",
        _yaml("organisation: X\n"),
        "workbook.yaml",
        None,
        "dpo",
        "missing_setting",
    ),
    (
        "failing_yaml_bad_period",
        _yaml("organisation: X\ndpo: Y\ndefault_period: 2026-Q7\n"),
        "workbook.yaml",
        None,
        "default_period",
        "bad_period",
    ),
    (
        "failing_yaml_unknown_timezone",
        _yaml("organisation: X\ndpo: Y\ntimezone: Mars/Base\n"),
        "workbook.yaml",
        None,
        "timezone",
        "unknown_timezone",
    ),
    (
        "failing_accounts_missing_column",
        _drop_column("accounts.csv", "last_used_at"),
        "accounts.csv",
        None,
        "last_used_at",
        "missing_column",
    ),
]


@pytest.mark.parametrize(
    ("fault", "file", "row", "column", "reason"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_bad_workbook_names_file_row_and_column(workbook_copy, fault, file, row, column, reason):
    fault(workbook_copy)
    with pytest.raises(WorkbookError) as info:
        load_workbook(workbook_copy)
    err = info.value
    assert err.exit_code == 2
    match = [p for p in err.problems if p.reason == reason]
    assert match, f"no {reason} problem in {err}"
    p = match[0]
    assert (p.file, p.row, p.column) == (file, row, column)
    line = str(p)
    assert line.startswith(file)
    if row is not None:
        assert f"row {row}" in line
    if column is not None:
        assert f"column '{column}'" in line


def test_every_problem_is_reported_at_once(workbook_copy):
    set_cell(workbook_copy / "activities.csv", 3, "lawful_basis", "because")
    set_cell(workbook_copy / "requests.csv", 5, "received_at", "soon")
    (workbook_copy / "cookies.csv").unlink()
    with pytest.raises(WorkbookError) as info:
        load_workbook(workbook_copy)
    files = {p.file for p in info.value.problems}
    assert files == {"activities.csv", "requests.csv", "cookies.csv"}
    assert str(info.value).startswith("the workbook has 3 problems:")


def test_extra_column_is_a_warning_not_an_error(workbook_copy):
    rows = read_rows(workbook_copy / "sites.csv")
    write_rows(workbook_copy / "sites.csv", [[*r, "x"] for r in rows])
    wb = load_workbook(workbook_copy)
    assert wb.warnings == ("sites.csv: column 'x' is not in the data contract and was ignored",)


def test_parquet_tables_load_like_csv(workbook_copy):
    frame = pd.read_csv(workbook_copy / "cookies.csv", dtype=str, keep_default_na=False)
    (workbook_copy / "cookies.csv").unlink()
    frame.to_parquet(workbook_copy / "cookies.parquet", index=False)
    wb = load_workbook(workbook_copy)
    assert len(wb.cookies) == len(frame)
    assert wb.cookies["duration_days"].dtype == "Int64"


def test_truncated_parquet_is_refused(workbook_copy):
    frame = pd.read_csv(workbook_copy / "cookies.csv", dtype=str)
    (workbook_copy / "cookies.csv").unlink()
    frame.to_parquet(workbook_copy / "cookies.parquet", index=False)
    data = (workbook_copy / "cookies.parquet").read_bytes()
    (workbook_copy / "cookies.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(WorkbookError, match=r"cookies.parquet: cannot be read as Parquet"):
        load_workbook(workbook_copy)


def test_huge_file_that_is_not_a_table_is_refused_without_reading_it(workbook_copy):
    with (workbook_copy / "risks.csv").open("r+b") as fh:
        fh.truncate(300 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(WorkbookError, match=r"risks.csv: is not a workbook table"):
        load_workbook(workbook_copy)


def test_not_a_folder(tmp_path):
    with pytest.raises(InputError, match="is not a workbook folder"):
        load_workbook(tmp_path / "nowhere")


def test_dates_are_dates(workbook_copy):
    wb = load_workbook(workbook_copy)
    assert wb.activities.loc[0, "started_on"] == dt.date(2019, 3, 1)


def test_an_optional_column_may_be_left_out(workbook_copy):
    rows = read_rows(workbook_copy / "processors.csv")
    i = rows[0].index("dpa_signed_on")
    write_rows(workbook_copy / "processors.csv", [r[:i] + r[i + 1 :] for r in rows])
    wb = load_workbook(workbook_copy)
    assert wb.processors["dpa_signed_on"].isna().all()
