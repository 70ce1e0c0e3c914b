"""DPIA screening: WP248 rev.01's nine criteria and the ICO's list, activity by activity."""

from __future__ import annotations

import pandas as pd
import pytest

from juro_privacy.topics.dpia import screening as dpia_screening
from juro_privacy.workbook.schemas import TABLES_BY_NAME, WP248_CRITERIA, WP248_FLAGS

FLAGS = dpia_screening.FLAG_CRITERIA

CATEGORIES = pd.DataFrame(
    {
        "category_id": ["contact", "usage", "health", "card", "content"],
        "name": ["Contact", "Usage", "Health", "Card", "Contract content"],
        "group": ["identity_contact", "usage", "identity_contact", "financial", "contract_content"],
        "fides_key": [
            "user.contact",
            "user.behavior",
            "user.health_and_medical",
            "user.financial",
            "user.content.private",
        ],
        "special": [False, False, True, False, False],
    }
)


def activity(
    aid: str = "A1", *, cats=("contact",), source="given", subjects=("customers",), **flags
):
    row = {
        "activity_id": aid,
        "name": f"activity {aid}",
        "data_categories": tuple(cats),
        "data_subjects": tuple(subjects),
        "source": source,
    }
    row.update({f: bool(flags.get(f, False)) for f in FLAGS})
    return row


def screen(*acts, counts=None, threshold=1000):
    return dpia_screening.screen(
        pd.DataFrame(list(acts)),
        CATEGORIES,
        counts or {"customers": 10},
        large_scale_threshold=threshold,
    ).set_index("activity_id")


@pytest.mark.parametrize("flag", FLAGS)
def test_each_register_flag_is_one_criterion_with_its_reason(flag):
    row = screen(activity(**{flag: True})).loc["A1"]
    assert row[flag] and row["criteria_met"] == 1
    assert "flagged in the register" in row["reasons"]


def test_no_criterion_means_not_required():
    row = screen(activity()).loc["A1"]
    assert row["criteria_met"] == 0 and row["result"] == dpia_screening.NOT_REQUIRED


def test_special_category_data_is_sensitive():
    row = screen(activity(cats=("contact", "health"))).loc["A1"]
    assert row["sensitive_data"] and "special category data: Health" in row["reasons"]


def test_financial_data_is_highly_personal():
    row = screen(activity(cats=("card",))).loc["A1"]
    assert row["sensitive_data"] and "highly personal data: Card" in row["reasons"]


def test_large_scale_from_record_counts_against_the_threshold():
    over = screen(activity(), counts={"customers": 1001}).loc["A1"]
    at = screen(activity(), counts={"customers": 1000}).loc["A1"]
    unknown = screen(activity(subjects=("website_visitors",)), counts={"customers": 5000})
    assert over["large_scale"] and "1,001 records" in over["reasons"]
    assert not at["large_scale"]
    assert not unknown.loc["A1", "large_scale"]  # cannot tell: not claimed


def test_combining_data_given_with_data_collected():
    row = screen(activity(cats=("usage", "content"), source="collected")).loc["A1"]
    assert row["combining"] and "Contract content" in row["reasons"]
    both = screen(activity(cats=("usage", "content"), source="both")).loc["A1"]
    assert not both["combining"]  # it collects both kinds itself


def test_two_criteria_make_a_dpia_required():
    row = screen(activity(profiling=True, vulnerable_subjects=True)).loc["A1"]
    assert row["criteria_met"] == 2 and row["result"] == dpia_screening.REQUIRED


def test_an_ico_mandatory_type_alone_makes_a_dpia_required():
    row = screen(activity(cats=("usage", "content"), source="collected")).loc["A1"]
    assert row["criteria_met"] == 1
    assert row["result"] == dpia_screening.REQUIRED
    assert "combining, comparing or matching" in row["ico_types"]


def test_ico_large_scale_type_needs_special_category_data_not_financial():
    card = screen(activity(cats=("card",)), counts={"customers": 5000}).loc["A1"]
    health = screen(activity(cats=("health",)), counts={"customers": 5000}).loc["A1"]
    assert "special category" not in card["ico_types"]
    assert "special category or criminal offence data on a large scale" in health["ico_types"]


def test_criteria_are_the_contracts_wp248_vocabulary():
    assert dict(dpia_screening.CRITERIA) == WP248_CRITERIA
    assert [k for k, _ in dpia_screening.CRITERIA] == list(WP248_CRITERIA)
    assert tuple(WP248_FLAGS) == dpia_screening.FLAG_CRITERIA
    columns = TABLES_BY_NAME["activities"].column_names
    assert all(flag in columns for flag in dpia_screening.FLAG_CRITERIA)


def test_ico_types_name_only_wp248_criteria():
    known = {k for k, _ in dpia_screening.CRITERIA} | {"special_category"}
    for t in dpia_screening.ICO_TYPES:
        assert set(t.needs) <= known, t.key
        assert set(t.plus_one_of) <= known, t.key
