"""What a notebook would refuse about the data, refused by ``validate`` first (issue 18).

``workbook.validate.notebook_problems`` asks the rules themselves: the transfer rules
whether they can judge a processor's country, the retention rule whether it can apply a
``retention_rules`` period, the deadline rules whether they can date a request (its
office's jurisdiction, the years of their calendars), and the largest value of the
settings the rules count with. Every expected problem below is written out by hand.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from juro_privacy.errors import Problem, RetentionError, TransferError, WorkbookError
from juro_privacy.paths import sample_dir
from juro_privacy.periods import parse_period
from juro_privacy.rules.deadlines import JURISDICTIONS
from juro_privacy.rules.deadlines.local_dates import outside_years
from juro_privacy.rules.retention.rule import MAX_MONTHS, RetentionRules, months_problem
from juro_privacy.rules.transfers import country_code
from juro_privacy.topics.accountability import api as accountability
from juro_privacy.topics.dpia import api as dpia
from juro_privacy.topics.flows import api as flows
from juro_privacy.topics.register import api as register
from juro_privacy.topics.requests import api as requests
from juro_privacy.topics.retention import api as retention
from juro_privacy.workbook.load import Loaded, read_workbook
from juro_privacy.workbook.schemas import COUNTRIES, TABLES_BY_NAME
from juro_privacy.workbook.validate import notebook_problems, validate
from tests.conftest import set_cell


def _refused(root: Path) -> list[Problem]:
    with pytest.raises(WorkbookError) as caught:
        validate(root)
    return caught.value.problems


def _setting(root: Path, key: str, value: object) -> None:
    path = root / "workbook.yaml"
    lines = [line for line in path.read_text().splitlines() if not line.startswith(f"{key}:")]
    path.write_text("\n".join([*lines, f"{key}: {value}"]) + "\n")


def _with_cell(loaded: Loaded, table: str, index: int, column: str, value: int | str) -> Loaded:
    """``loaded`` with one cell of a table that passed the contract changed: a value the
    rule refuses but the contract (now) refuses first, to reach the check behind it."""
    frame = loaded.tables[table].copy()
    frame[column] = frame[column].astype(object)
    frame.loc[index, column] = value
    return loaded._replace(tables={**loaded.tables, table: frame})


# --------------------------------------------------------------- the transfer rules


def test_country_code_is_the_code_the_transfer_rules_judge() -> None:
    assert country_code("US") == "US"
    assert country_code("us") == "US"
    assert country_code("UK") == "GB"
    assert country_code("EL") == "GR"
    assert country_code("XK") == "XK"  # Kosovo, as the EU writes it


@pytest.mark.parametrize("code", ["QZ", "XX", "ZZ", "AA", "QM", "XA", "G1", "GBR", "", None])
def test_country_code_refuses_what_no_transfer_can_go_to(code: object) -> None:
    with pytest.raises(TransferError):
        country_code(code, "destination")


def test_every_country_the_contract_accepts_is_one_the_transfer_rules_judge() -> None:
    # "codes ISO accepts but the transfer rules cannot judge": none, checked code by code.
    assert {code: country_code(code) for code in COUNTRIES} == {c: c for c in COUNTRIES}
    assert {"GB", "LV", "PT", "US", "IE", "XK"} <= COUNTRIES


def test_a_processor_country_the_transfer_rules_cannot_judge_is_refused() -> None:
    loaded = read_workbook(sample_dir())
    # processors.csv row 4 is chatdesk (record 2): the register notebook judged it
    bad = _with_cell(loaded, "processors", 2, "country", "QZ")
    assert notebook_problems(bad) == [
        Problem(
            "processors.csv",
            "unknown_country",
            "the processing country 'QZ' is a user-assigned code, not a country: the "
            "transfer rules cannot judge a transfer there",
            row=4,
            column="country",
        )
    ]


def test_validate_refuses_the_issue_processor_country_once(workbook_copy: Path) -> None:
    set_cell(workbook_copy / "processors.csv", 4, "country", "QZ")
    (problem,) = _refused(workbook_copy)
    assert (problem.file, problem.row, problem.column) == ("processors.csv", 4, "country")
    assert problem.reason == "unknown_country"


# --------------------------------------------------------------- the retention rule


@pytest.mark.parametrize(
    ("months", "why"),
    [
        (0, None),
        (72, None),
        (1_200, None),
        (1_201, "is over 1,200 months (100 years), the longest retention period"),
        (-1, "is negative: a retention period is 0 months or more"),
        (6.5, "is not a whole number of months"),
        (True, "is not a whole number of months"),
    ],
)
def test_months_problem(months: object, why: str | None) -> None:
    assert months_problem(months) == why


def test_retention_rules_take_at_most_100_years() -> None:
    assert MAX_MONTHS == 1_200
    assert RetentionRules(1_200, 1_200).delete_after_months == 1_200
    with pytest.raises(RetentionError, match="delete_after_months must be a whole number"):
        RetentionRules(delete_after_months=1_201)


def test_a_retention_rule_over_100_years_is_refused_on_its_row(workbook_copy: Path) -> None:
    # 10^11 months: the engine cannot date the due day (a DuckDB error in the notebook)
    set_cell(workbook_copy / "retention_rules.csv", 2, "delete_after_months", "100000000000")
    set_cell(workbook_copy / "retention_rules.csv", 4, "archive_after_months", "1201")
    assert _refused(workbook_copy) == [
        Problem(
            "retention_rules.csv",
            "above_maximum",
            "100000000000 is over 1,200 months (100 years), the longest retention period",
            row=2,
            column="delete_after_months",
        ),
        Problem(
            "retention_rules.csv",
            "above_maximum",
            "1201 is over 1,200 months (100 years), the longest retention period",
            row=4,
            column="archive_after_months",
        ),
    ]


def test_a_negative_retention_rule_is_refused_by_the_rule_too() -> None:
    loaded = read_workbook(sample_dir())
    bad = _with_cell(loaded, "retention_rules", 0, "archive_after_months", -6)
    assert notebook_problems(bad) == [
        Problem(
            "retention_rules.csv",
            "below_minimum",
            "-6 is negative: a retention period is 0 months or more",
            row=2,
            column="archive_after_months",
        )
    ]


# --------------------------------------------------------------- the deadline rules


def test_an_office_without_a_jurisdiction_that_handles_requests(workbook_copy: Path) -> None:
    # sites.csv row 4 is lisbon, which has no jurisdiction: fine until it handles a request
    set_cell(workbook_copy / "requests.csv", 3, "office", "lisbon")
    set_cell(workbook_copy / "requests.csv", 7, "office", "lisbon")
    assert _refused(workbook_copy) == [
        Problem(
            "sites.csv",
            "missing_value",
            "site lisbon handles 2 requests (requests.csv from row 3) but has no jurisdiction: "
            "set one of GB-ENG, GB-SCT, GB-NIR, LV so that their deadlines can be dated",
            row=4,
            column="jurisdiction",
        )
    ]


def test_the_contract_offers_exactly_the_jurisdictions_the_deadline_rules_know() -> None:
    allowed = TABLES_BY_NAME["sites"].col("jurisdiction").values
    assert set(allowed) == set(JURISDICTIONS) == {"GB-ENG", "GB-SCT", "GB-NIR", "LV"}


def test_outside_years_reads_the_date_on_the_office_calendar() -> None:
    stamps = pd.Series(
        pd.to_datetime(
            pd.Series(
                [
                    "1900-01-01T00:30:00+02:00",  # 1899-12-31 22:30 UTC
                    "1900-01-01T00:30:00+02:00",
                    "2199-12-31T23:30:00+00:00",
                    "2199-12-31T23:30:00+00:00",
                    None,
                    "2026-07-01T09:00:00+01:00",
                ]
            ),
            utc=True,
            format="ISO8601",
        ),
        name="received_at",
    )
    codes = pd.Series(["GB-ENG", "LV", "GB-ENG", "LV", "GB-ENG", "LV"])
    # London is on GMT in 1900 (still 31 December); Riga on local mean time, +1:36 (already
    # 1 January). In 2199 Riga is on EET, +2: already 2200.
    assert outside_years(stamps, codes).tolist() == [True, False, False, True, False, False]


def test_a_request_dated_before_the_deadline_calendars(workbook_copy: Path) -> None:
    # A workbook may widen its years (earliest_year); the deadline calendars start in 1900.
    _setting(workbook_copy, "earliest_year", 1800)
    set_cell(workbook_copy / "requests.csv", 2, "received_at", "1850-01-04T15:10:00+00:00")
    assert _refused(workbook_copy) == [
        Problem(
            "requests.csv",
            "outside_calendar",
            "falls on 1850-01-04 at its office (GB-ENG), outside 1900-2199, the years the "
            "deadline rules date",
            row=2,
            column="received_at",
        )
    ]


# --------------------------------------------------------------- the settings


def test_settings_over_their_largest_value(workbook_copy: Path) -> None:
    _setting(workbook_copy, "forward_target_working_days", 261)
    _setting(workbook_copy, "transfer_assessment_review_months", 1_000_000_000_000)
    problems = _refused(workbook_copy)
    assert [(p.file, p.reason, p.row, p.column) for p in problems] == [
        ("workbook.yaml", "above_maximum", None, "forward_target_working_days"),
        ("workbook.yaml", "above_maximum", None, "transfer_assessment_review_months"),
    ]
    assert problems[0].message.startswith("261 is over 260 working days (a year)")
    assert problems[1].message.startswith("1,000,000,000,000 is over 120 months (ten years)")


# --------------------------------------------------------------- at every limit


def test_a_workbook_at_every_limit_is_accepted_and_every_topic_judges_it(
    workbook_copy: Path,
) -> None:
    """The other side of each check: the largest values pass, and the topics' own
    computations (what the notebooks call) complete on them."""
    set_cell(workbook_copy / "retention_rules.csv", 2, "archive_after_months", "1200")
    set_cell(workbook_copy / "retention_rules.csv", 2, "delete_after_months", "1200")
    set_cell(workbook_copy / "requests.csv", 2, "received_at", "1900-01-01T12:00:00+00:00")
    set_cell(workbook_copy / "processors.csv", 4, "country", "XK")
    _setting(workbook_copy, "forward_target_working_days", 260)
    _setting(workbook_copy, "transfer_assessment_review_months", 120)
    wb = validate(workbook_copy)
    period = parse_period("2026-Q3")
    assert retention.rules_for(wb) == RetentionRules(1_200, 1_200)
    for find in (flows.findings_for, register.findings_for, requests.findings_for):
        find(wb, period)
    register.register_for(wb, period)
    dpia.findings_for(wb, period)
    figures = accountability.figures_for(wb, period)
    assert not figures.findings.empty
    summary = retention.summary_for(wb, period)
    assert int(summary["accounts"].sum()) > 0
