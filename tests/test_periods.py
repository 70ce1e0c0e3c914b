import datetime as dt

import pytest

from juro_privacy.errors import PeriodError
from juro_privacy.periods import parse_period, quarter_of


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30), "2026-Q3"),
        ("2026q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "2026-Q1"),
        ("2024-Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31), "2024-Q1"),
        ("2025-Q4", dt.date(2025, 10, 1), dt.date(2025, 12, 31), "2025-Q4"),
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2026"),
    ],
)
def test_parse(text, start, end, label):
    p = parse_period(text)
    assert (p.start, p.end, p.label) == (start, end, label)


@pytest.mark.parametrize("text", ["2026-Q5", "Q3-2026", "26-Q1", "", "2026-07", "last quarter"])
def test_bad_periods_say_what_to_write(text):
    with pytest.raises(PeriodError, match="2026-Q3"):
        parse_period(text)


def test_previous_crosses_the_year():
    assert parse_period("2026-Q1").previous().label == "2025-Q4"
    assert parse_period("2026").previous().label == "2025"


def test_trailing_quarters_are_oldest_first():
    labels = [p.label for p in parse_period("2026-Q3").trailing_quarters(8)]
    assert labels == [
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
    ]
    assert [p.label for p in parse_period("2025").quarters()][-1] == "2025-Q4"


def test_quarter_of():
    assert quarter_of(dt.date(2026, 9, 30)).label == "2026-Q3"
    assert quarter_of(dt.date(2026, 10, 1)).label == "2026-Q4"
