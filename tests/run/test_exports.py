"""The exports beside the reports: what a topic's ``exports_for`` gives, written by file
name: CSV and Excel from a frame, JSON from a mapping, the same bytes on every run."""

from __future__ import annotations

import json
import time
import zipfile

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
