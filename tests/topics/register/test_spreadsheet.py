"""``register.xlsx`` in the ICO templates' shape: a controller sheet (Art. 30(1)), a
processor sheet (Art. 30(2)), the flows and the findings, read back with openpyxl."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from juro_privacy.paths import sample_dir
from juro_privacy.periods import parse_period
from juro_privacy.run.exports import write_exports
from juro_privacy.topics.register.api import exports_for
from juro_privacy.workbook.load import load_workbook


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    workbook = load_workbook(sample_dir())
    contents = exports_for(workbook, parse_period("2026-Q3"))
    folder: Path = tmp_path_factory.mktemp("xlsx")
    write_exports({"register.xlsx": contents["register.xlsx"]}, folder)
    return openpyxl.load_workbook(folder / "register.xlsx")


def _column(sheet: openpyxl.worksheet.worksheet.Worksheet, heading: str) -> list[object]:
    headings = [c.value for c in sheet[1]]
    i = headings.index(heading) + 1
    return [sheet.cell(r, i).value for r in range(2, sheet.max_row + 1)]


def test_the_sheets_and_their_order(book):
    assert book.sheetnames == [
        "Controller (Art. 30(1))",
        "Processor (Art. 30(2))",
        "Flows",
        "Findings",
    ]


def test_the_controller_sheet_answers_art_30_1_letter_by_letter(book):
    sheet = book["Controller (Art. 30(1))"]
    lettered = [c.value for c in sheet[1] if str(c.value).startswith("(")]
    assert lettered == [
        "(a) Controller",
        "(a) Controller's contact details",
        "(a) Data protection officer",
        "(a) DPO's contact details",
        "(b) Purposes of the processing",
        "(c) Categories of data subjects",
        "(c) Categories of personal data",
        "(c) Special categories of personal data",
        "(c) Criminal convictions and offences data",
        "(d) Categories of recipients",
        "(e) Transfers to third countries and their safeguards",
        "(f) Time limits for erasure",
        "(g) Technical and organisational security measures",
    ]
    # The sample's 2026-Q3: A01-A11 and A13 are in force, A03 is done as a processor,
    # A12 ended.
    assert _column(sheet, "Ref.") == ["A01", "A02", *(f"A{i:02d}" for i in range(4, 12)), "A13"]
    assert set(_column(sheet, "(a) Controller")) == {"Larkspur Online Limited"}
    assert set(_column(sheet, "(a) Controller's contact details")) == {
        "20 Example Yard, London EC2A 4XX, United Kingdom"
    }


def test_the_processor_sheet_answers_art_30_2(book):
    sheet = book["Processor (Art. 30(2))"]
    assert [c.value for c in sheet[1]] == [
        "Ref.",
        "Processing activity",
        "(a) Processor",
        "(a) Processor's contact details",
        "(a) Controller on whose behalf the processor acts",
        "(a) Data protection officer",
        "(a) DPO's contact details",
        "(b) Categories of processing carried out for each controller",
        "Categories of personal data",
        "(c) Transfers to third countries and their safeguards",
        "(d) Technical and organisational security measures",
        "Systems",
    ]
    assert [sheet.cell(2, i).value for i in (1, 3, 4, 5)] == [
        "A03",
        "Larkspur Online Limited",
        "20 Example Yard, London EC2A 4XX, United Kingdom",
        "Each customer (per its DPA)",
    ]
    assert sheet.max_row == 2


def test_flows_and_findings_of_the_period(book):
    flows = book["Flows"]
    assert flows.max_row == 1 + 64  # the sample's flows in force in 2026-Q3
    assert [c.value for c in flows[1]][:6] == [
        "From (office)",
        "Regime",
        "Ref.",
        "Processing activity",
        "To (processor)",
        "Country",
    ]
    assert flows.max_column == 12
    findings = book["Findings"]
    assert [c.value for c in findings[1]] == [
        "topic",
        "code",
        "severity",
        "rule",
        "subject",
        "detail",
    ]
    topics = _column(findings, "topic")
    assert (topics.count("register"), topics.count("flows")) == (6, 18)


def test_every_sheet_is_frozen_filtered_and_formula_free(book):
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
        assert all(c.font.bold for c in sheet[1])
        assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
