"""Tests for juro_privacy.topics.retention.systems: systems kept longer than the register's
rules allow, or without a retention period, on small hand-made frames."""

from __future__ import annotations

import pandas as pd

from juro_privacy.topics.retention import systems as rsys

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
    over = rsys.systems_over_retention(SYSTEMS, ACTIVITIES, RULES)
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
    table = rsys.systems_table(over)
    assert list(table["configured retention"]) == ["not set", "96 months"]
    assert list(table["used by"]) == ["no activity", "A1"]


def test_systems_over_retention_when_all_is_well() -> None:
    over = rsys.systems_over_retention(SYSTEMS.iloc[1:4], ACTIVITIES, RULES)
    assert over.empty and over.columns[0] == "system_id"
