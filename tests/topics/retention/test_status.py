"""Tests for juro_privacy.topics.retention.status: small-count suppression in the status table,
on a small hand-made frame.

As of 2026-09-30 (London on BST, UTC+1)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from juro_privacy.rules.retention.rule import summarize_retention
from juro_privacy.topics.retention import status as rs
from tests.conftest import accounts

AS_OF = dt.date(2026, 9, 30)

pytestmark = [
    pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*future.infer_string"),
]


# ---------------------------------------------------------------- suppression


def london_riga_summary() -> pd.DataFrame:
    """London: 3 accounts overdue for archiving, 6 archived on time; Riga: 7 on time."""
    rows = [{"last_used_at": "2025-01-01T12:00:00Z"}] * 3
    rows += [{"last_used_at": "2025-01-01T12:00:00Z", "archived_at": "2025-02-01T00:00Z"}] * 6
    rows += [
        {
            "office": "riga",
            "last_used_at": "2025-01-01T12:00:00Z",
            "archived_at": "2025-02-01T00:00Z",
        }
    ] * 7
    return summarize_retention(accounts(*rows), AS_OF)


def test_status_table_hides_small_counts_and_what_gives_them_away() -> None:
    status = rs.status_counts(london_riga_summary(), 5)
    assert status.recoverable() == []
    assert status.label("archive:london", "overdue") == "<5"
    # London's on-time 6 would give the 3 away through London's total of 9: withheld.
    assert status.label("archive:london", "on_time") == "≥5"
    table = rs.status_table(status)
    assert list(table.columns) == [
        "obligation",
        "office",
        "Not yet due",
        "Done on time",
        "Done late",
        "Not done, overdue",
        "all accounts",
    ]
    assert len(table) == 6  # archive and delete x London, Riga, all offices
    assert 3 not in set(table["Not done, overdue"])
