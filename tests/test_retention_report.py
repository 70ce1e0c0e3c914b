"""Tests for juro_privacy.retention_report: the forecast's quarter boundaries, the
systems check, findings and small-count suppression on small hand-made frames; then
the notebook and the quarterly run with ``--engine``, on the sample.

As of 2026-09-30 unless a test says otherwise (London on BST, UTC+1)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import nbformat
import pandas as pd
import pytest

from juro_privacy import retention_report as rr
from juro_privacy.errors import RetentionError
from juro_privacy.paths import notebooks_dir, sample_dir
from juro_privacy.retention import RetentionRules, summarize_retention
from tests.conftest import accounts, run_cli

AS_OF = dt.date(2026, 9, 30)

pytestmark = [
    pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*future.infer_string"),
]


# ---------------------------------------------------------------- the forecast

FORECAST_ACCOUNTS = accounts(
    # archive due 2026-12-31: the last day of 2026-Q4
    {"last_used_at": "2026-06-30T12:00:00Z"},
    # archive due 2027-01-01: the first day of 2027-Q1
    {"last_used_at": "2026-07-01T12:00:00Z"},
    # 23:30 UTC on 30 June is 1 July in London: due 2027-01-01 (2027-Q1)
    {"last_used_at": "2026-06-30T23:30:00Z"},
    # archive due 2026-09-30 = as_of: pending, but in this quarter, not a coming one
    {"last_used_at": "2026-03-31T12:00:00Z"},
    # archived; delete due 2026-12-31 (2026-Q4)
    {"last_used_at": "2020-12-31T12:00:00Z", "archived_at": "2021-01-10T00:00:00Z"},
    # archived; delete due 2027-01-01 (2027-Q1)
    {"last_used_at": "2021-01-01T12:00:00Z", "archived_at": "2021-02-01T00:00:00Z"},
    # contract override of 12 months: delete due 2027-01-15 (2027-Q1)
    {
        "last_used_at": "2026-01-15T12:00:00Z",
        "archived_at": "2026-02-01T00:00:00Z",
        "delete_after_months": 12,
    },
    # delete due 2027-04-01 (2027-Q2)
    {"last_used_at": "2021-04-01T12:00:00Z", "archived_at": "2021-05-01T00:00:00Z"},
    # delete due 2027-09-30 (2027-Q3, the last quarter forecast)
    {"last_used_at": "2021-09-30T12:00:00Z", "archived_at": "2021-10-01T00:00:00Z"},
    # delete due 2027-10-01: beyond the four quarters
    {"last_used_at": "2021-10-01T12:00:00Z", "archived_at": "2021-10-02T00:00:00Z"},
    # archived already: not in the archive forecast
    {"last_used_at": "2026-07-01T12:00:00Z", "archived_at": "2026-08-01T00:00:00Z"},
    # deleted already: in neither
    {"last_used_at": "2021-01-15T12:00:00Z", "deleted_at": "2026-09-01T00:00:00Z"},
)


def test_forecast_counts_each_quarter_up_to_its_last_day() -> None:
    forecast = rr.forecast_due(FORECAST_ACCOUNTS, AS_OF)
    assert list(forecast["quarter"]) == ["2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3"]
    assert list(forecast["start"]) == [
        dt.date(2026, 10, 1),
        dt.date(2027, 1, 1),
        dt.date(2027, 4, 1),
        dt.date(2027, 7, 1),
    ]
    assert forecast["end"].iloc[0] == dt.date(2026, 12, 31)
    assert list(forecast["archive"]) == [1, 2, 0, 0]
    assert list(forecast["delete"]) == [1, 2, 1, 1]
    assert forecast["archive"].dtype == "int64" and forecast["delete"].dtype == "int64"


def test_forecast_from_mid_quarter_starts_at_the_next_quarter() -> None:
    forecast = rr.forecast_due(FORECAST_ACCOUNTS, dt.date(2026, 8, 15), quarters=2)
    assert list(forecast["quarter"]) == ["2026-Q4", "2027-Q1"]


def test_forecast_follows_the_rules_and_the_time_zone() -> None:
    one = accounts({"last_used_at": "2026-06-30T23:30:00Z"})
    # In UTC the last use is 30 June: due 31 December, in 2026-Q4.
    assert list(rr.forecast_due(one, AS_OF, timezone="UTC")["archive"]) == [1, 0, 0, 0]
    rules = RetentionRules(archive_after_months=9)  # due 2027-04-01 in London
    assert list(rr.forecast_due(one, AS_OF, rules=rules)["archive"]) == [0, 0, 1, 0]


def test_forecast_refuses_bad_input_like_the_rule() -> None:
    bad = accounts({"last_used_at": "2026-06-30T12:00:00Z", "archived_at": "2026-01-01T00:00Z"})
    with pytest.raises(RetentionError, match="archived_at is before last_used_at"):
        rr.forecast_due(bad, AS_OF)
    with pytest.raises(RetentionError, match="quarters must be at least 1"):
        rr.forecast_due(FORECAST_ACCOUNTS, AS_OF, quarters=0)


# ---------------------------------------------------------------- days late


def test_days_late_fall_in_their_bins() -> None:
    frame = accounts(
        # archive due 2026-03-01, archived 30 days late
        {"last_used_at": "2025-09-01T12:00:00Z", "archived_at": "2026-03-31T12:00:00Z"},
        # archived 31 days late
        {"last_used_at": "2025-09-01T12:00:00Z", "archived_at": "2026-04-01T12:00:00Z"},
        # never archived: due 2024-03-01, 943 days overdue on 2026-09-30
        {"last_used_at": "2023-09-01T12:00:00Z"},
    )
    days = rr.days_late_counts(frame, AS_OF)
    assert list(days.index) == [b[2] for b in rr.LATE_BINS]
    assert days.loc["1–30 days", "archive:late"] == 1
    assert days.loc["31–90 days", "archive:late"] == 1
    assert days.loc["over 2 years", "archive:overdue"] == 1
    assert int(days.to_numpy().sum()) == 3


# ---------------------------------------------------------------- suppression


def _summary() -> pd.DataFrame:
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
    status = rr.status_counts(_summary(), 5)
    assert status.recoverable() == []
    assert status.label("archive:london", "overdue") == "<5"
    # London's on-time 6 would give the 3 away through London's total of 9: withheld.
    assert status.label("archive:london", "on_time") == "≥5"
    table = rr.status_table(status)
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


def test_days_late_total_keeps_the_status_tables_state() -> None:
    summary = _summary()
    status = rr.status_counts(summary, 5)
    days = pd.DataFrame(
        {c: [0] * len(rr.LATE_BINS) for c in ("archive:late", "delete:late", "delete:overdue")}
        | {"archive:overdue": [0, 0, 0, 3, 0, 0]},
        index=[b[2] for b in rr.LATE_BINS],
    )
    late = rr.late_counts(days, status)
    assert late.is_hidden(rr.TOTAL, "archive:overdue") == status.is_hidden("archive:all", "overdue")
    assert "<5" in set(rr.late_table(late)["Archive: overdue"])


def test_forecast_table_suppresses_small_counts() -> None:
    forecast = pd.DataFrame(
        {
            "quarter": ["2026-Q4", "2027-Q1"],
            "start": [dt.date(2026, 10, 1), dt.date(2027, 1, 1)],
            "end": [dt.date(2026, 12, 31), dt.date(2027, 3, 31)],
            "archive": [3, 40],
            "delete": [0, 5],
        }
    )
    table = rr.forecast_table(forecast, 5)
    assert list(table["accounts to archive"]) == ["<5", 40]
    assert list(table["accounts to delete"]) == [0, 5]
    bars = rr.forecast_bars(forecast, 5)
    hidden = bars[bars["hidden"]]
    assert list(hidden["label"]) == ["<5"] and list(hidden["height"]) == [4]


# ---------------------------------------------------------------- systems

SYSTEMS = pd.DataFrame(
    {
        "system_id": ["wh", "db", "app", "chat", "old", "logs"],
        "name": ["Warehouse", "Database", "App", "Chat", "Old CRM", "Logs"],
        "retention_months": pd.array([96, 84, 72, 100, None, 72], dtype="Int64"),
    }
)
ACTIVITIES = pd.DataFrame(
    {
        "activity_id": ["A1", "A2", "A3", "A4"],
        "systems": [("wh", "app"), ("db",), ("db", "app"), ("chat",)],
        "retention_rule": ["default", "default", "contract", None],
    }
)
RULES = pd.DataFrame(
    {
        "rule_id": ["default", "contract"],
        "delete_after_months": pd.array([72, 84], dtype="Int64"),
    }
)


def test_systems_over_retention() -> None:
    over = rr.systems_over_retention(SYSTEMS, ACTIVITIES, RULES)
    # wh: 96 > 72. db: 84, and the contract rule of A3 allows 84. app: 72 = 72.
    # chat: used only by an activity without a rule: not judged here. old: not set.
    # logs: 72 and no activity uses it: nothing to compare with.
    assert list(over["system_id"]) == ["old", "wh"]
    wh = over.set_index("system_id").loc["wh"]
    assert (wh["retention_months"], wh["rule_months"], wh["issue"]) == (96, 72, "exceeds_rule")
    assert (wh["activities"], wh["rules"]) == ("A1", "default")
    old = over.set_index("system_id").loc["old"]
    assert old["issue"] == "no_retention" and pd.isna(old["retention_months"])
    assert old["activities"] == ""
    table = rr.systems_table(over)
    assert list(table["configured retention"]) == ["not set", "96 months"]
    assert list(table["used by"]) == ["no activity", "A1"]


def test_systems_over_retention_when_all_is_well() -> None:
    over = rr.systems_over_retention(SYSTEMS.iloc[1:4], ACTIVITIES, RULES)
    assert over.empty and over.columns[0] == "system_id"


# ---------------------------------------------------------------- findings and metrics


def test_findings_count_accounts_and_name_no_one() -> None:
    summary = _summary()
    over = rr.systems_over_retention(SYSTEMS, ACTIVITIES, RULES)
    status = rr.status_counts(summary, 5)
    found = rr.retention_findings(
        summary, over, threshold=5, counts=rr.finding_counts(status)
    ).set_index("code")
    assert list(found.index) == ["archive_overdue", "system_over_retention", "system_no_retention"]
    assert found.loc["archive_overdue", "severity"] == "medium"
    assert found.loc["archive_overdue", "subject"] == (
        "<5 accounts not archived, past the archiving date"
    )
    assert "median" not in found.loc["archive_overdue", "detail"]  # 3 accounts: no statistic
    assert found.loc["system_over_retention", "subject"] == "Warehouse (wh) keeps data 96 months"
    assert "72 months" in found.loc["system_over_retention", "detail"]
    assert found.loc["system_no_retention", "severity"] == "low"
    text = found.to_string()
    assert "a1" not in text.split() and "acc-" not in text


def test_findings_with_large_counts_give_the_typical_delay() -> None:
    rows = [{"last_used_at": "2019-01-01T12:00:00Z", "archived_at": "2019-02-01T00:00Z"}] * 6
    summary = summarize_retention(accounts(*rows), AS_OF)  # delete due 2025-01-01
    found = rr.retention_findings(
        summary, rr.systems_over_retention(SYSTEMS.iloc[:0], ACTIVITIES, RULES)
    )
    row = found.set_index("code").loc["delete_overdue"]
    assert row["severity"] == "high"
    assert row["subject"] == "6 accounts not deleted, past the deletion date"
    assert "london: median 637 days" in row["detail"]


def test_metrics_are_exact_counts() -> None:
    assert rr.metrics(_summary()) == {
        "retention.archive_overdue_count": 3.0,
        "retention.delete_overdue_count": 0.0,
    }


def test_rules_come_from_the_workbooks_policy_rule() -> None:
    from juro_privacy.workbook import load_workbook

    wb = load_workbook(sample_dir())
    assert rr.rules_for(wb) == RetentionRules(6, 72)


# ---------------------------------------------------------------- the sample, end to end


@pytest.mark.slow
def test_notebook_on_the_sample_shows_counts_and_no_account_id(tmp_path: Path) -> None:
    import papermill as pm

    from juro_privacy.render import notebook_to_html

    out = tmp_path / "retention.ipynb"
    pm.execute_notebook(
        str(notebooks_dir() / "retention.ipynb"),
        str(out),
        parameters={"period": "2026-Q3"},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(notebooks_dir()),
    )
    html = notebook_to_html(nbformat.read(out, as_version=4), title="Retention")
    assert "acc-" not in html
    summary = summarize_retention(sample_dir() / "accounts.csv", AS_OF)
    overdue = summary[summary["status"] == "overdue"].groupby("obligation")["accounts"].sum()
    assert f"<strong>{overdue['archive']} overdue</strong>" in html
    assert f"<strong>{overdue['delete']} overdue</strong>" in html
    assert "<strong>2000 accounts</strong>" in html
    assert "Analytics warehouse (analytics_wh) keeps data 96 months" in html
    assert html.count("Plotly.newPlot") == 3


def _outputs(path: Path) -> list[Any]:
    """Every output of an executed notebook but the parameters papermill injected."""
    nb = nbformat.read(path, as_version=4)
    return [
        [o.get("data", o.get("text")) for o in c.outputs]
        for c in nb.cells
        if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
    ]


@pytest.mark.slow
def test_run_with_engine_gives_the_same_report_as_the_workbook_file(tmp_path: Path) -> None:
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute(
            "CREATE TABLE accounts AS SELECT * FROM read_csv("
            f"'{sample_dir() / 'accounts.csv'}', header = true, types = {{"
            "'last_used_at': 'TIMESTAMPTZ', 'archived_at': 'TIMESTAMPTZ', "
            "'deleted_at': 'TIMESTAMPTZ', 'delete_after_months': 'INTEGER'})"
        )
    runs = {}
    for name, extra in (("default", []), ("engine", ["--engine", f"duckdb://{database}"])):
        out = tmp_path / name
        proc = run_cli("run", "--only", "retention", "--no-pdf", "--out", str(out), *extra)
        assert proc.returncode == 0, proc.stderr
        runs[name] = out / "2026-Q3"
    assert _outputs(runs["engine"] / "internal" / "retention.ipynb") == _outputs(
        runs["default"] / "internal" / "retention.ipynb"
    )
    manifest = (runs["engine"] / "manifest.json").read_text(encoding="utf-8")
    assert f'"engine": "duckdb://{database}"' in manifest


def test_no_median_for_an_office_whose_count_the_table_withholds() -> None:
    late = {  # delete due 2025-01-01, deleted 2025-03-01: 59 days late
        "last_used_at": "2019-01-01T12:00:00Z",
        "archived_at": "2019-02-01T00:00Z",
        "deleted_at": "2025-03-01T00:00Z",
    }
    summary = summarize_retention(accounts(*[late] * 6, *[late | {"office": "riga"}] * 4), AS_OF)
    status = rr.status_counts(summary, 5)
    assert status.label("delete:riga", "late") == "<5"
    assert status.label("delete:london", "late") == "≥5"  # would give Riga's 4 away
    no_systems = rr.systems_over_retention(SYSTEMS.iloc[:0], ACTIVITIES, RULES)
    found = rr.retention_findings(summary, no_systems, status=status).set_index("code")
    assert "median" not in found.loc["delete_late", "detail"]
    found = rr.retention_findings(summary, no_systems).set_index("code")
    assert "london: median 59 days" in found.loc["delete_late", "detail"]
