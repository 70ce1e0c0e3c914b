"""The exports beside the reports: what a topic's ``exports_for`` gives, written by file
name: CSV and Excel from a frame, JSON from a mapping, the same bytes on every run."""

from __future__ import annotations

import datetime
import json
import time
import zipfile

import openpyxl
import pandas as pd
import pytest

from juro_privacy.run.exports import write_exports


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"activity_id": ["A1", "A2"], "purpose": ["Payroll", "Marketing, email"]})


def test_files_are_written_in_the_order_given(tmp_path):
    paths = write_exports(
        {"register.csv": _frame(), "register.xlsx": _frame(), "register.fides.json": {"a": 1}},
        tmp_path / "out",
    )
    assert [p.name for p in paths] == ["register.csv", "register.xlsx", "register.fides.json"]
    assert all(p.parent == tmp_path / "out" and p.is_file() for p in paths)


def test_a_csv_has_no_index_and_unix_line_ends(tmp_path):
    (path,) = write_exports({"flows.csv": _frame()}, tmp_path)
    assert path.read_bytes() == b'activity_id,purpose\nA1,Payroll\nA2,"Marketing, email"\n'


def test_a_json_file_is_the_mapping_indented(tmp_path):
    content = {"system": [{"fides_key": "org", "privacy_declarations": []}]}
    (path,) = write_exports({"register.fides.json": content}, tmp_path)
    assert path.read_text(encoding="utf-8") == json.dumps(content, indent=2) + "\n"


def test_the_register_sheet_keeps_its_name_and_others_take_the_file_name(tmp_path):
    write_exports({"register.xlsx": _frame(), "flows.xlsx": _frame()}, tmp_path)
    register = pd.read_excel(tmp_path / "register.xlsx", sheet_name=None, dtype=str)
    assert list(register) == ["Art. 30 register"]
    pd.testing.assert_frame_equal(register["Art. 30 register"], _frame())
    assert list(pd.read_excel(tmp_path / "flows.xlsx", sheet_name=None)) == ["flows"]


def test_an_xlsx_file_has_the_same_bytes_on_every_run(tmp_path):
    write_exports({"register.xlsx": _frame()}, tmp_path / "a")
    time.sleep(1.1)  # openpyxl stamps the time to the second: the pinning must hide it
    write_exports({"register.xlsx": _frame()}, tmp_path / "b")
    first, second = tmp_path / "a" / "register.xlsx", tmp_path / "b" / "register.xlsx"
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as xlsx:
        assert {info.date_time for info in xlsx.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2000-01-01T00:00:00Z" in xlsx.read("docProps/core.xml")


def test_an_empty_frame_is_written_with_its_header(tmp_path):
    empty = _frame().iloc[0:0]
    write_exports({"flows.csv": empty, "flows.xlsx": empty}, tmp_path)
    assert (tmp_path / "flows.csv").read_text() == "activity_id,purpose\n"
    assert list(pd.read_excel(tmp_path / "flows.xlsx").columns) == ["activity_id", "purpose"]


@pytest.mark.parametrize(
    "name,content",
    [("findings.csv", {"a": 1}), ("register.fides.json", _frame()), ("flows.parquet", _frame())],
)
def test_a_content_that_does_not_fit_its_file_is_refused(tmp_path, name, content):
    with pytest.raises(TypeError, match=name):
        write_exports({name: content}, tmp_path)
    assert not (tmp_path / name).exists()


# ---------------------------------------------------------------- formulas never run


HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\tx"]


def test_csv_text_that_a_spreadsheet_would_run_gets_an_apostrophe(tmp_path):
    frame = pd.DataFrame({"processor": [*HOSTILE, "Mail-Pulse Ltd", "a=b"], "n": range(7)})
    (path,) = write_exports({"flows.csv": frame}, tmp_path)
    cells = pd.read_csv(path, dtype=str, keep_default_na=False)["processor"].tolist()
    assert cells == [
        '\'=HYPERLINK("http://evil.example","click")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "Mail-Pulse Ltd",
        "a=b",
    ]


def test_numbers_in_a_csv_keep_their_sign(tmp_path):
    (path,) = write_exports({"flows.csv": pd.DataFrame({"days_late": [-3, 4]})}, tmp_path)
    assert path.read_text() == "days_late\n-3\n4\n"


def test_xlsx_cells_are_text_never_formulas(tmp_path):
    frame = pd.DataFrame({"processor": HOSTILE})
    (path,) = write_exports({"flows.xlsx": frame}, tmp_path)
    sheet = openpyxl.load_workbook(path)["flows"]
    values = [sheet.cell(row, 1) for row in range(2, 7)]
    assert [c.value for c in values] == HOSTILE
    assert {c.data_type for c in values} == {"s"}
    assert all(c.quotePrefix for c in values)  # Excel keeps them text when edited
    with zipfile.ZipFile(path) as xlsx:
        assert b"<f>" not in xlsx.read("xl/worksheets/sheet1.xml")


# ---------------------------------------------------------------- laid out for reading


def test_an_xlsx_sheet_has_a_styled_frozen_filtered_header(tmp_path):
    frame = pd.DataFrame(
        {"activity_id": ["A1", "A2"], "purpose": ["Payroll", "x" * 200], "n": [1, 2]}
    )
    (path,) = write_exports({"flows.xlsx": frame}, tmp_path)
    sheet = openpyxl.load_workbook(path)["flows"]
    assert [c.value for c in sheet[1]] == ["activity_id", "purpose", "n"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet["A1"].fill.start_color.rgb == "001F3A5F"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    assert sheet.column_dimensions["A"].width == 13  # "activity_id": 11 // 2 + 8
    assert sheet.column_dimensions["B"].width == 40  # 200 characters: capped, wrapped
    assert sheet.row_dimensions[3].height == 15 * 6  # 200 characters in 38 a line
    assert sheet["B3"].alignment.wrap_text
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$1:$1"


def test_a_mapping_of_frames_is_one_sheet_each_in_order(tmp_path):
    sheets = {"Controller (Art. 30(1))": _frame(), "Flows": _frame().iloc[:1]}
    (path,) = write_exports({"register.xlsx": sheets}, tmp_path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Controller (Art. 30(1))", "Flows"]
    assert book["Flows"].max_row == 2


def test_dates_are_dates_and_missing_values_empty(tmp_path):
    frame = pd.DataFrame(
        {"on": [datetime.date(2026, 7, 1), None], "subjects": [("customers", "staff"), ()]}
    )
    (path,) = write_exports({"flows.xlsx": frame}, tmp_path)
    sheet = openpyxl.load_workbook(path)["flows"]
    assert sheet["A2"].value == datetime.datetime(2026, 7, 1)
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["A3"].value is None
    assert [sheet["B2"].value, sheet["B3"].value] == ["customers; staff", None]
