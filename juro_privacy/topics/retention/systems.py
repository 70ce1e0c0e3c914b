"""The retention report's systems check: systems kept longer than the register allows.

:func:`systems_over_retention` compares each system's configured retention with the
register's rules for the data it holds (GDPR Art. 5(1)(e)); :func:`systems_table`
shows the result.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["systems_over_retention", "systems_table"]


def systems_over_retention(
    systems: pd.DataFrame, activities: pd.DataFrame, retention_rules: pd.DataFrame
) -> pd.DataFrame:
    """Systems that keep data longer than the register allows, or have no retention set.

    A system's allowance is the longest deletion period (``delete_after_months``) of
    the rules of the activities that use it: data an activity may keep 84 months may
    sit beside data kept 72, so only a period longer than every rule that applies is
    excessive (GDPR Art. 5(1)(e)). Activities without a rule are left out (the
    register reports them). One row per system found, by ``system_id``:
    ``system_id``, ``name``, ``retention_months`` (``Int64``, missing when not
    configured), ``rule_months`` (``Int64``, missing when no rule applies),
    ``activities`` and ``rules`` (``"; "``-joined ids), ``issue``
    (``exceeds_rule`` or ``no_retention``).
    """
    months = dict(
        zip(
            retention_rules["rule_id"].astype(str),
            retention_rules["delete_after_months"],
            strict=True,
        )
    )
    rows = []
    for s in systems.to_dict("records"):
        sid = str(s["system_id"])
        using = [
            a
            for a in activities.to_dict("records")
            if sid in (a["systems"] if isinstance(a["systems"], tuple | list) else ())
        ]
        ruled = [
            a for a in using if pd.notna(a["retention_rule"]) and a["retention_rule"] in months
        ]
        allowed = max((int(months[a["retention_rule"]]) for a in ruled), default=None)
        configured = s["retention_months"]
        kept = None if pd.isna(configured) else int(configured)
        issue = None
        if kept is None:
            issue = "no_retention"
        elif allowed is not None and kept > allowed:
            issue = "exceeds_rule"
        if issue:
            rows.append(
                {
                    "system_id": sid,
                    "name": str(s["name"]),
                    "retention_months": kept,
                    "rule_months": allowed,
                    "activities": "; ".join(str(a["activity_id"]) for a in using),
                    "rules": "; ".join(sorted({str(a["retention_rule"]) for a in ruled})),
                    "issue": issue,
                }
            )
    columns = [
        "system_id",
        "name",
        "retention_months",
        "rule_months",
        "activities",
        "rules",
        "issue",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.astype({"retention_months": "Int64", "rule_months": "Int64"})
    return frame.sort_values("system_id", kind="stable").reset_index(drop=True)


def systems_table(over: pd.DataFrame) -> pd.DataFrame:
    """The systems check as the report shows it."""

    def months(value: Any) -> str:
        return "not set" if pd.isna(value) else f"{int(value)} months"

    return pd.DataFrame(
        {
            "system": [f"{n} ({i})" for n, i in zip(over["name"], over["system_id"], strict=True)],
            "configured retention": [months(v) for v in over["retention_months"]],
            "longest rule that applies": [
                "no rule" if pd.isna(v) else months(v) for v in over["rule_months"]
            ],
            "used by": [a or "no activity" for a in over["activities"]],
            "rules": list(over["rules"]),
        }
    )
