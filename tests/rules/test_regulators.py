"""The supervisory authorities by date: one row per authority, so a change of name
(the Information Commission, once DUAA 2025 s. 117-119 are commenced) is one row."""

from __future__ import annotations

import datetime as dt

import pytest

from juro_privacy.errors import InputError
from juro_privacy.rules.regulators import REGULATORS, regulator


def test_the_authorities_on_1_december_2026():
    day = dt.date(2026, 12, 1)
    assert (regulator("GB", day).name, regulator("GB", day).short) == (
        "Information Commissioner's Office",
        "ICO",
    )
    assert (regulator("LV", day).name, regulator("LV", day).short) == (
        "Data State Inspectorate",
        "DVI",
    )


def test_the_table_has_two_open_rows_from_the_gdpr():
    assert [(r.country, r.since, r.until) for r in REGULATORS] == [
        ("GB", dt.date(2018, 5, 25), None),
        ("LV", dt.date(2018, 5, 25), None),
    ]


def test_a_country_or_day_without_a_row_is_refused():
    with pytest.raises(InputError, match="'FR'"):
        regulator("FR", dt.date(2026, 1, 1))
    with pytest.raises(InputError, match="2018-05-24"):
        regulator("GB", dt.date(2018, 5, 24))
