"""One pass over the accounts gives the summary, the days late and the forecast that the
three functions give one by one (issue 13), on the same input, rules and bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from juro_privacy.errors import RetentionError
from juro_privacy.rules.retention.rule import RetentionRules, summarize_retention
from juro_privacy.sample.accounts import write_accounts
from juro_privacy.topics.retention import forecast as rf
from juro_privacy.topics.retention.counts import retention_counts
from tests.conftest import accounts
from tests.topics.retention.test_forecast import FORECAST_ACCOUNTS

pytestmark = [
    pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*future.infer_string"),
]

AS_OF = dt.date(2026, 9, 30)


def assert_one_pass_is_three(source: Any, as_of: dt.date, quarters: int, **kw: Any) -> None:
    counts = retention_counts(source, as_of, quarters, **kw)
    summary = summarize_retention(source, as_of, **kw)
    pd.testing.assert_frame_equal(counts.summary, summary)
    assert counts.summary.attrs == summary.attrs
    pd.testing.assert_frame_equal(counts.days_late, rf.days_late_counts(source, as_of, **kw))
    pd.testing.assert_frame_equal(
        counts.forecast,
        rf.forecast_due(source, as_of, quarters, **kw),
    )


def test_one_pass_on_the_forecast_accounts_is_the_three_queries() -> None:
    assert_one_pass_is_three(FORECAST_ACCOUNTS, AS_OF, 4)
    counts = retention_counts(FORECAST_ACCOUNTS, AS_OF)
    # hand-counted in test_forecast: the one pass sums nothing twice
    assert list(counts.forecast["archive"]) == [1, 2, 0, 0]
    assert list(counts.forecast["delete"]) == [1, 2, 1, 1]


def test_days_late_and_forecast_add_up_the_offices(tmp_path: Path) -> None:
    """Two offices: the engine's rows per office are summed, the summary kept per office."""
    path = tmp_path / "accounts.parquet"
    write_accounts(path, 3000, seed=13)
    assert_one_pass_is_three(path, AS_OF, 4)
    assert_one_pass_is_three(path, AS_OF, 2, rules=RetentionRules(archive_after_months=9))
    assert_one_pass_is_three(path, dt.date(2026, 8, 15), 3, timezone="UTC")
    counts = retention_counts(path, AS_OF)
    assert set(counts.summary["office"]) == {"london", "riga"}
    assert int(counts.days_late.to_numpy().sum()) > 0
    assert int(counts.forecast[["archive", "delete"]].to_numpy().sum()) > 0


def test_one_pass_refuses_bad_input_like_the_rule() -> None:
    bad = accounts({"last_used_at": "2026-06-30T12:00:00Z", "archived_at": "2026-01-01T00:00Z"})
    with pytest.raises(RetentionError, match="column 'archived_at': is before last_used_at"):
        retention_counts(bad, AS_OF)
    with pytest.raises(RetentionError, match="quarters must be at least 1"):
        retention_counts(FORECAST_ACCOUNTS, AS_OF, quarters=0)
