"""The domain rules of the data contract (issue 18): values the column types admit but the
domain does not, declared once in ``schemas.py`` and refused by the loader with file, row,
column and a reason of their own. Expected values are written out by hand here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from juro_privacy.errors import Problem
from juro_privacy.rules.transfers import transfer_status
from juro_privacy.workbook.config import parse_config
from juro_privacy.workbook.load import (
    ambiguous_times,
    outside_year_range,
    parse_datetime,
    parse_int,
    parse_number,
    read_workbook,
    written_year,
    year_range,
)
from juro_privacy.workbook.schemas import COUNTRIES, COUNTRY_HINTS, TABLES, contract_markdown
from tests.conftest import set_cell

# ---------------------------------------------------------------- the declarations


def test_every_count_and_duration_column_is_declared_never_negative():
    # Every int and float column of the contract, each decided by hand: all are counts,
    # durations or a metric's threshold (metrics are counts or rates), never negative.
    expected = {
        ("systems", "retention_months"): 0,
        ("retention_rules", "archive_after_months"): 0,
        ("retention_rules", "delete_after_months"): 0,
        ("accounts", "delete_after_months"): 0,
        ("cookies", "duration_days"): 0,
        ("risks", "evidence_threshold"): 0,
        ("policy_claims", "threshold"): 0,
        ("processors", "breach_notice_hours"): 0,  # issue 16
        ("breaches", "people_count"): 0,
        ("breaches", "records_count"): 0,
    }
    numeric = {(t.name, c.name) for t in TABLES for c in t.columns if c.kind in ("int", "float")}
    declared = {
        (t.name, c.name): c.minimum for t in TABLES for c in t.columns if c.minimum is not None
    }
    assert declared == expected
    assert numeric == set(expected)


def test_zone_and_country_columns():
    kinds = {(t.name, c.name): c.kind for t in TABLES for c in t.columns}
    assert [k for k, v in kinds.items() if v == "timezone"] == [("sites", "timezone")]
    assert [k for k, v in kinds.items() if v == "country"] == [
        ("sites", "country"),
        ("processors", "country"),
    ]


def test_the_country_list_is_iso_3166_with_kosovo():
    # ISO 3166-1 assigns 249 alpha-2 codes; XK (Kosovo) is added as the EU writes it.
    assert len(COUNTRIES) == 250
    assert {"GB", "LV", "IE", "US", "KR", "XK", "AQ"} <= COUNTRIES
    assert not {"UK", "EL", "EU", "XX", "ZZ", "AA", "QM"} & COUNTRIES
    assert COUNTRY_HINTS == {
        "UK": "use GB (ISO 3166) for the United Kingdom",
        "EL": "use GR (ISO 3166) for Greece",
    }


@pytest.mark.parametrize("origin", ["GB", "LV"])
def test_every_country_the_schema_accepts_is_one_the_transfer_rules_judge(origin):
    # A code the schema accepts never fails later in a notebook with a TransferError.
    statuses = {
        transfer_status(origin, code, dt.date(2026, 7, 1), mechanism="sccs") for code in COUNTRIES
    }
    assert statuses <= {"not_restricted", "adequate", "safeguarded", "unsafeguarded"}


def test_the_contract_lists_every_domain_rule():
    text = contract_markdown()
    section = text[text.index("## Domain rules") : text.index("## Reason codes")]
    for piece in (
        "`below_minimum`",
        "`cookies.duration_days` >= 0",
        "`systems.retention_months` >= 0",
        "`retention_rules.delete_after_months` >= 0",
        "`year_out_of_range`",
        "`earliest_year`",
        "`latest_year`",
        "default 1900 to 2100",
        "`requests.received_at`",
        "`activities.started_on`",
        "`unknown_timezone`",
        "`sites.timezone`",
        "`unknown_country`",
        "`processors.country`",
        "use GB (ISO 3166) for the United Kingdom",
        "`ambiguous_time`",
        "2026-10-25T01:30:00+01:00",
        "2026-03-29T01:30:00",
    ):
        assert piece in section, piece


# ---------------------------------------------------------------- the parsing helpers


def test_written_year_is_the_four_leading_digits():
    s = pd.Series(["0001-01-01", "9999-12-31T23:59:59", "2026-07-01", "soon", None])
    assert written_year(s).tolist() == [1, 9999, 2026, pd.NA, pd.NA]


def test_outside_years_is_inclusive():
    s = pd.Series(["1899-12-31", "1900-01-01", "2100-12-31T23:59:59+00:00", "2101-01-01", None])
    assert outside_year_range(s, (1900, 2100)).tolist() == [True, False, False, True, False]
    assert outside_year_range(s, (1850, 2100)).tolist() == [False, False, False, True, False]


def test_the_year_range_defaults_to_1900_2100():
    assert year_range(None) == (1900, 2100)


def test_ambiguous_times_are_the_repeated_hour_in_the_zone():
    # Europe/London, 25 October 2026: 02:00 BST becomes 01:00 GMT, so 01:00-01:59 is twice.
    # Europe/Riga: 04:00 EEST becomes 03:00 EET, so 03:00-03:59 is twice.
    s = pd.Series(
        [
            "2026-10-25T00:59:00",
            "2026-10-25T01:00:00",
            "2026-10-25T01:30:00",
            "2026-10-25T01:59:59",
            "2026-10-25T02:00:00",
            "2026-10-25T01:30:00+01:00",
            "2026-10-25T03:30:00",
            None,
        ]
    )
    assert ambiguous_times(s, "Europe/London").tolist() == [
        False,
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert ambiguous_times(s, "Europe/Riga").tolist() == [
        False,
        False,
        False,
        False,
        False,
        False,
        True,
        False,
    ]


def test_a_time_in_the_skipped_hour_is_the_first_instant_after_the_change():
    # 29 March 2026, London: 01:00 GMT becomes 02:00 BST; 01:30 does not exist and is read
    # as 02:00 BST = 01:00 UTC, on the same local date.
    out = parse_datetime(pd.Series(["2026-03-29T01:30:00"]), "Europe/London")
    assert out[0] == pd.Timestamp("2026-03-29T01:00:00Z")


def test_a_year_no_timestamp_holds_parses_to_nat_not_an_exception():
    s = pd.Series(["0001-01-01T00:00:00", "9999-12-31T23:00:00+00:00", "2026-07-01T09:00:00"])
    assert parse_datetime(s, "Europe/London").tolist() == [
        pd.NaT,
        pd.NaT,
        pd.Timestamp("2026-07-01T08:00:00Z"),
    ]


def test_an_offset_says_which_of_the_repeated_hours_is_meant():
    s = pd.Series(["2026-10-25T01:30:00+01:00", "2026-10-25T01:30:00+00:00"])
    out = parse_datetime(s, "Europe/London")
    assert out.tolist() == [
        pd.Timestamp("2026-10-25T00:30:00Z"),
        pd.Timestamp("2026-10-25T01:30:00Z"),
    ]


def test_numbers_are_finite_and_whole_numbers_exact():
    assert parse_number(pd.Series(["0.95", "-1", "inf", "-inf", "nan", "x"])).tolist()[:2] == [
        0.95,
        -1.0,
    ]
    assert parse_number(pd.Series(["inf", "-inf", "nan", "x"])).isna().all()
    ints = parse_int(pd.Series(["72", "6.0", "1e3", "99999999999999999999", "6.5"]))
    assert ints.tolist() == [72, 6, 1000, pd.NA, pd.NA]


# ---------------------------------------------------------------- through the loader


def _problems(root: Path, file: str, row: int, column: str, value: str) -> list[Problem]:
    set_cell(root / file, row, column, value)
    return read_workbook(root).problems


def _only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


@pytest.mark.parametrize(
    ("file", "row", "column", "value"),
    [
        ("systems.csv", 2, "retention_months", "0"),
        ("retention_rules.csv", 2, "archive_after_months", "0"),
        ("retention_rules.csv", 3, "delete_after_months", "0"),
        ("cookies.csv", 4, "duration_days", "0"),
        ("policy_claims.csv", 2, "threshold", "0"),
        ("risks.csv", 2, "evidence_threshold", "0.0"),
    ],
)
def test_zero_is_accepted_where_the_minimum_is_zero(workbook_copy, file, row, column, value):
    assert _problems(workbook_copy, file, row, column, value) == []


@pytest.mark.parametrize(
    ("file", "row", "column", "value"),
    [
        ("systems.csv", 2, "retention_months", "-1"),
        ("retention_rules.csv", 3, "delete_after_months", "-72"),
        ("cookies.csv", 4, "duration_days", "-30"),
        ("risks.csv", 2, "evidence_threshold", "-0.5"),
    ],
)
def test_a_negative_count_is_refused(workbook_copy, file, row, column, value):
    p = _only(_problems(workbook_copy, file, row, column, value))
    assert (p.file, p.row, p.column, p.reason) == (file, row, column, "below_minimum")
    assert p.message == f"'{value}' is negative: {column} must be 0 or more"


def test_infinity_is_not_a_number_once(workbook_copy):
    p = _only(_problems(workbook_copy, "policy_claims.csv", 2, "threshold", "inf"))
    assert (p.reason, p.message) == ("not_a_number", "'inf' is not a number")


def test_a_huge_whole_number_is_refused_not_crashed(workbook_copy):
    p = _only(_problems(workbook_copy, "systems.csv", 2, "retention_months", "9" * 20))
    assert (p.row, p.column, p.reason) == (2, "retention_months", "not_a_whole_number")


@pytest.mark.parametrize(
    ("file", "row", "column", "value"),
    [
        ("activities.csv", 3, "started_on", "1900-01-01"),
        ("activities.csv", 3, "ended_on", "2100-12-31"),
        ("requests.csv", 3, "received_at", "1900-01-01T00:00:00+00:00"),
        ("requests.csv", 3, "completed_at", "2100-12-31T23:59:59"),
    ],
)
def test_the_boundary_years_are_accepted(workbook_copy, file, row, column, value):
    assert _problems(workbook_copy, file, row, column, value) == []


def test_1899_is_refused_with_the_setting_that_widens_it(workbook_copy):
    p = _only(_problems(workbook_copy, "activities.csv", 3, "started_on", "1899-12-31"))
    assert (p.file, p.row, p.column, p.reason) == (
        "activities.csv",
        3,
        "started_on",
        "year_out_of_range",
    )
    assert p.message == (
        "'1899-12-31': the year 1899 is out of range: the workbook accepts 1900-2100 "
        "(earliest_year and latest_year in workbook.yaml); if the date is right, set "
        "earliest_year: 1899 there"
    )


def test_2101_is_refused_with_latest_year(workbook_copy):
    p = _only(_problems(workbook_copy, "risks.csv", 2, "measure_due", "2101-01-01"))
    assert (p.column, p.reason) == ("measure_due", "year_out_of_range")
    assert p.message.endswith("set latest_year: 2101 there")


@pytest.mark.parametrize(
    ("column", "value"),
    [("received_at", "0001-01-08T13:21:00+00:00"), ("completed_at", "9999-12-31T23:59:59")],
)
def test_a_year_no_timestamp_holds_is_out_of_range_not_a_pandas_error(workbook_copy, column, value):
    p = _only(_problems(workbook_copy, "requests.csv", 4, column, value))
    assert (p.file, p.row, p.column, p.reason) == ("requests.csv", 4, column, "year_out_of_range")
    assert p.message == (
        f"'{value}': the year {value[:4]} is out of range: the workbook accepts 1900-2100 "
        "(earliest_year and latest_year in workbook.yaml), which can widen it to 1678-2261 at "
        "most: a typing slip?"
    )


def test_a_bad_date_with_an_impossible_year_is_only_not_a_date(workbook_copy):
    p = _only(_problems(workbook_copy, "activities.csv", 3, "started_on", "0001-13-01"))
    assert p.reason == "not_a_date"


def test_29_february_of_a_common_year_is_not_a_date(workbook_copy):
    p = _only(_problems(workbook_copy, "activities.csv", 3, "started_on", "2026-02-29"))
    assert p.reason == "not_a_date"


def test_the_widened_setting_accepts_1850(workbook_copy):
    with (workbook_copy / "workbook.yaml").open("a", encoding="utf-8") as fh:
        fh.write("earliest_year: 1850\n")
    set_cell(workbook_copy / "activities.csv", 3, "started_on", "1850-06-01")
    set_cell(workbook_copy / "requests.csv", 3, "received_at", "1850-01-08T13:21:00+00:00")
    loaded = read_workbook(workbook_copy)
    assert loaded.problems == []
    assert loaded.tables["activities"].loc[1, "started_on"] == dt.date(1850, 6, 1)
    received = loaded.tables["requests"].loc[1, "received_at"]
    assert received == pd.Timestamp("1850-01-08T13:21:00Z")
    set_cell(workbook_copy / "activities.csv", 3, "started_on", "1849-12-31")
    p = _only(read_workbook(workbook_copy).problems)
    assert p.reason == "year_out_of_range"
    assert "the workbook accepts 1850-2100" in p.message


@pytest.mark.parametrize(
    ("setting", "accepted"),
    [
        ("earliest_year: 1678", True),
        ("latest_year: 2261", True),
        ("earliest_year: 1677", False),
        ("latest_year: 2262", False),
        ("earliest_year: 2000\nlatest_year: 1999", False),
    ],
)
def test_the_year_range_is_one_a_timestamp_can_hold(setting, accepted):
    import yaml

    config, problems = parse_config(yaml.safe_load(f"organisation: X\ndpo: Y\n{setting}\n"))
    assert (config is not None) == accepted
    if not accepted:
        assert [(p.reason, p.column) for p in problems] == [("bad_year_range", "latest_year")]


@pytest.mark.parametrize("zone", ["Europe/Riga", "UTC", "America/New_York", "Asia/Kolkata"])
def test_an_iana_zone_is_accepted(workbook_copy, zone):
    assert _problems(workbook_copy, "sites.csv", 3, "timezone", zone) == []


@pytest.mark.parametrize("zone", ["Latvia/Riga", "europe/riga", "GMT+2h", "localtime", "Factory"])
def test_a_zone_that_is_not_iana_is_refused(workbook_copy, zone):
    p = _only(_problems(workbook_copy, "sites.csv", 3, "timezone", zone))
    assert (p.file, p.row, p.column, p.reason) == ("sites.csv", 3, "timezone", "unknown_timezone")
    assert p.message == f"'{zone}' is not an IANA time zone (e.g. Europe/London)"


@pytest.mark.parametrize(("code", "read"), [("US", "US"), ("us", "US"), ("XK", "XK")])
def test_an_iso_country_is_accepted_in_any_case(workbook_copy, code, read):
    set_cell(workbook_copy / "processors.csv", 4, "country", code)
    loaded = read_workbook(workbook_copy)
    assert loaded.problems == []
    assert loaded.tables["processors"].loc[2, "country"] == read


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("XX", "'XX' is not an ISO 3166-1 country code (a user-assigned or unassigned code)"),
        ("ZZ", "'ZZ' is not an ISO 3166-1 country code (a user-assigned or unassigned code)"),
        ("EU", "'EU' is not an ISO 3166-1 country code (a user-assigned or unassigned code)"),
        ("UK", "'UK' is not an ISO 3166-1 country code: use GB (ISO 3166) for the United Kingdom"),
        ("uk", "'uk' is not an ISO 3166-1 country code: use GB (ISO 3166) for the United Kingdom"),
        ("EL", "'EL' is not an ISO 3166-1 country code: use GR (ISO 3166) for Greece"),
    ],
)
def test_a_code_that_is_no_country_is_refused(workbook_copy, code, message):
    p = _only(_problems(workbook_copy, "processors.csv", 4, "country", code))
    assert (p.file, p.row, p.column, p.reason) == (
        "processors.csv",
        4,
        "country",
        "unknown_country",
    )
    assert p.message == message


def test_a_code_that_is_not_two_letters_is_only_not_a_country_code(workbook_copy):
    p = _only(_problems(workbook_copy, "sites.csv", 2, "country", "G1"))
    assert p.reason == "not_a_country_code"


def test_an_ambiguous_local_time_is_refused_with_both_offsets(workbook_copy):
    p = _only(_problems(workbook_copy, "consents.csv", 2, "at", "2026-10-25T01:30:00"))
    assert (p.file, p.row, p.column, p.reason) == ("consents.csv", 2, "at", "ambiguous_time")
    assert p.message == (
        "'2026-10-25T01:30:00' is ambiguous in the workbook's time zone Europe/London: the "
        "clocks go back that night and 01:30 happens twice; write it with its UTC offset, "
        "2026-10-25T01:30:00+01:00 (the first) or 2026-10-25T01:30:00+00:00 (the second)"
    )


def test_the_ambiguous_hour_is_the_workbooks_zone(workbook_copy):
    # In Riga the clocks go back from 04:00 to 03:00: 01:30 is a plain time, 03:30 is not.
    (workbook_copy / "workbook.yaml").write_text(
        "organisation: X\ndpo: Y\ntimezone: Europe/Riga\n", encoding="utf-8"
    )
    assert _problems(workbook_copy, "consents.csv", 2, "at", "2026-10-25T01:30:00") == []
    p = _only(_problems(workbook_copy, "consents.csv", 2, "at", "2026-10-25T03:30:00"))
    assert p.reason == "ambiguous_time"
    assert "2026-10-25T03:30:00+03:00 (the first) or 2026-10-25T03:30:00+02:00" in p.message


def test_a_time_with_its_offset_in_the_repeated_hour_is_accepted(workbook_copy):
    assert _problems(workbook_copy, "consents.csv", 2, "at", "2026-10-25T01:30:00+00:00") == []


def test_a_time_in_the_skipped_hour_is_accepted(workbook_copy):
    set_cell(workbook_copy / "consents.csv", 2, "at", "2026-03-29T01:30:00")
    loaded = read_workbook(workbook_copy)
    assert loaded.problems == []
    assert loaded.tables["consents"].loc[0, "at"] == pd.Timestamp("2026-03-29T01:00:00Z")
