"""DPIA screening: WP248 rev.01's nine criteria and the ICO's list, activity by activity."""

from __future__ import annotations

import pandas as pd
import pytest

from juro_privacy.topics.dpia import screening as dpia_screening
from juro_privacy.workbook.schemas import TABLES_BY_NAME, WP248_CRITERIA, WP248_FLAGS

FLAGS = dpia_screening.FLAG_CRITERIA

#: WP248 rev.01, section III.B.a, written out by hand (not read from the code): the nine
#: criteria in the guidelines' order, keyed as the screening names them.
EXPECTED_CRITERIA = (
    ("profiling", "1 Evaluation or scoring, including profiling"),
    ("automated_decisions", "2 Automated decision with legal or similar effect"),
    ("systematic_monitoring", "3 Systematic monitoring"),
    ("sensitive_data", "4 Sensitive or highly personal data"),
    ("large_scale", "5 Large scale"),
    ("combining", "6 Matching or combining datasets"),
    ("vulnerable_subjects", "7 Vulnerable data subjects"),
    ("innovative_technology", "8 Innovative technology"),
    ("prevents_rights", "9 Prevents exercising a right or using a service"),
)
#: The six a person judges (register flags); 4, 5 and 6 are worked out from the data.
EXPECTED_FLAGS = (
    "profiling",
    "automated_decisions",
    "systematic_monitoring",
    "vulnerable_subjects",
    "innovative_technology",
    "prevents_rights",
)

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
    row.update({f: bool(flags.pop(f, False)) for f in FLAGS})
    row.update(flags)  # other register columns (combines, matches_sources, purpose)
    return row


def screen(*acts, counts=None, threshold=1000, regimes=None):
    return dpia_screening.screen(
        pd.DataFrame(list(acts)),
        CATEGORIES,
        counts or {"customers": 10},
        large_scale_threshold=threshold,
        regimes=regimes,
    ).set_index("activity_id")


@pytest.mark.parametrize("flag", EXPECTED_FLAGS)
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


def test_combining_is_what_the_register_says_was_combined():
    # WP248 criterion 6 names the operations combined (other purposes, other controllers);
    # a category given or collected differently from the activity is not "combining".
    acts = [
        activity("A1", cats=("usage", "content"), source="collected", combines=("A2", "A3")),
        {**activity("A2"), "name": "Accounts", "purpose": "service", "role": "controller"},
        {**activity("A3"), "name": "Contracts", "purpose": "service", "role": "processor"},
        activity("A4", cats=("usage", "content"), source="collected"),
    ]
    out = screen(*acts)
    assert out.loc["A1", "combining"]
    assert (
        "6 Matching or combining datasets: combines the data of A2 Accounts (service); "
        "A3 Contracts (a customer's data)" in out.loc["A1", "reasons"]
    )
    assert not out.loc["A4", "combining"]


def test_two_criteria_make_a_dpia_required():
    row = screen(activity(profiling=True, vulnerable_subjects=True)).loc["A1"]
    assert row["criteria_met"] == 2 and row["result"] == dpia_screening.REQUIRED


# WP248 rev.01, section III.B.a: "In most cases, a data controller can consider that a
# processing meeting two criteria would require a DPIA to be carried out." The activities
# below meet no type of the ICO's list, so only the two-criteria rule can make them
# "DPIA required".


@pytest.mark.parametrize(
    ("act", "counts", "met"),
    [
        # flags: 7 (vulnerable) + 9 (prevents rights); the ICO's "denial of service" type
        # needs 9 with 1, 2 or 4, its "vulnerable" type 7 with 1 or 2: neither applies
        (activity(vulnerable_subjects=True, prevents_rights=True), None,
         ("vulnerable_subjects", "prevents_rights")),
        # from the data: 4 (financial, not special category) + 5 (5,000 > 1,000); the
        # ICO's large-scale type needs special category data
        (activity(cats=("card",)), {"customers": 5000}, ("sensitive_data", "large_scale")),
        # 2 (automated decisions) + 5 (large scale): the ICO's types need 1 with them
        (activity(automated_decisions=True), {"customers": 5000},
         ("automated_decisions", "large_scale")),
    ],
    ids=["two_flags", "two_from_the_data", "a_flag_and_the_data"],
)  # fmt: skip
def test_exactly_two_criteria_and_no_ico_type_make_a_dpia_required(act, counts, met):
    row = screen(act, counts=counts).loc["A1"]
    assert row["criteria_met"] == 2
    assert [k for k, _ in EXPECTED_CRITERIA if row[k]] == list(met)
    assert row["ico_types"] == ""
    assert row["result"] == "DPIA required"


@pytest.mark.parametrize(
    ("act", "counts", "met"),
    [
        pytest.param(activity(profiling=True), None, "profiling", id="1"),
        pytest.param(activity(automated_decisions=True), None, "automated_decisions", id="2"),
        pytest.param(activity(systematic_monitoring=True), None, "systematic_monitoring", id="3"),
        pytest.param(activity(cats=("card",)), None, "sensitive_data", id="4"),
        pytest.param(activity(), {"customers": 5000}, "large_scale", id="5"),
        pytest.param(activity(vulnerable_subjects=True), None, "vulnerable_subjects", id="7"),
        pytest.param(activity(innovative_technology=True), None, "innovative_technology", id="8"),
        pytest.param(activity(prevents_rights=True), None, "prevents_rights", id="9"),
    ],
)
def test_one_criterion_and_no_ico_type_is_not_enough(act, counts, met):
    """Every criterion alone, except 6 (combining), which is an ICO type on its own."""
    row = screen(act, counts=counts).loc["A1"]
    assert row["criteria_met"] == 1 and bool(row[met])
    assert row["ico_types"] == ""
    assert row["result"] == "not required"


def test_three_criteria_and_no_ico_type_make_a_dpia_required():
    act = activity(vulnerable_subjects=True, prevents_rights=True)
    row = screen(act, counts={"customers": 5000}).loc["A1"]
    assert row["criteria_met"] == 3 and row["ico_types"] == ""
    assert row["result"] == "DPIA required"


def test_an_ico_mandatory_type_alone_makes_a_dpia_required():
    row = screen(activity(matches_sources=True)).loc["A1"]
    assert row["criteria_met"] == 0  # the ICO's wording is broader than criterion 6
    assert row["result"] == dpia_screening.REQUIRED
    assert row["ico_types"] == (
        "combining, comparing or matching personal data obtained from multiple sources"
    )


def test_art_35_3_b_needs_special_category_data_not_financial():
    card = screen(activity(cats=("card",)), counts={"customers": 5000}).loc["A1"]
    health = screen(activity(cats=("health",)), counts={"customers": 5000}).loc["A1"]
    assert card["art35_3"] == ""
    assert health["art35_3"] == (
        "Art. 35(3)(b): special category or criminal offence data on a large scale"
    )


def test_each_office_is_screened_against_its_own_authoritys_list():
    # The ICO-only trigger, data matching from multiple sources: London's list has it,
    # Riga's screening (WP248 and Art. 35(3)) does not.
    acts = [activity("UK", matches_sources=True), activity("EU", matches_sources=True)]
    both = screen(*acts, regimes={"UK": {"UK"}, "EU": {"EU"}})
    assert both.loc["UK", "result"] == dpia_screening.REQUIRED
    assert both.loc["EU", "result"] == dpia_screening.NOT_REQUIRED
    assert both.loc["EU", "ico_types"] == ""
    assert dpia_screening.DVI_NOTE in both.loc["EU", "reasons"]
    assert dpia_screening.DVI_NOTE not in both.loc["UK", "reasons"]


def test_the_icos_denial_of_service_reads_special_category_data_not_financial():
    def ico(**kw):
        return screen(activity(prevents_rights=True, **kw)).loc["A1", "ico_types"]

    assert "decisions about access" in ico(cats=("health",))
    assert "decisions about access" in ico(profiling=True)
    assert ico(cats=("card",)) == ""  # highly personal, but not special category


def test_the_icos_vulnerable_item_covers_marketing():
    def ico(purpose):
        act = {**activity(vulnerable_subjects=True), "purpose": purpose}
        return screen(act).loc["A1", "ico_types"]

    assert ico("marketing") == (
        "children's or other vulnerable people's data used for marketing, profiling or "
        "other automated decisions"
    )
    assert ico("support") == ""


def test_the_nine_wp248_criteria_written_out():
    """WP248 rev.01 section III.B.a lists nine criteria, in this order; the keys are the
    screening's columns and (for the six a person judges) the register's flags."""
    assert len(EXPECTED_CRITERIA) == 9
    assert dpia_screening.CRITERIA == EXPECTED_CRITERIA
    assert dict(WP248_CRITERIA) == dict(EXPECTED_CRITERIA)
    assert dpia_screening.FLAG_CRITERIA == EXPECTED_FLAGS
    assert tuple(WP248_FLAGS) == EXPECTED_FLAGS
    columns = TABLES_BY_NAME["activities"].column_names
    assert [f for f in EXPECTED_FLAGS if f not in columns] == []


def test_the_screening_has_a_column_per_criterion():
    out = screen(activity()).reset_index()
    assert list(out.columns) == [
        "activity_id", "activity",
        "profiling", "automated_decisions", "systematic_monitoring", "sensitive_data",
        "large_scale", "combining", "vulnerable_subjects", "innovative_technology",
        "prevents_rights",
        "criteria_met", "art35_3", "ico_types", "result", "reasons",
    ]  # fmt: skip


def test_the_lists_as_the_screening_reads_them():
    assert [t.key for t in dpia_screening.ART_35_3] == ["art35_3_a", "art35_3_b"]
    assert [t.key for t in dpia_screening.ICO_TYPES] == [
        "ico_innovative",
        "ico_denial_of_service",
        "ico_large_scale_profiling",
        "ico_biometric",
        "ico_genetic",
        "ico_data_matching",
        "ico_invisible",
        "ico_tracking",
        "ico_vulnerable",
        "ico_children_online",
        "ico_physical_harm",
    ]


def test_criteria_are_the_contracts_wp248_vocabulary():
    assert dict(dpia_screening.CRITERIA) == WP248_CRITERIA
    assert [k for k, _ in dpia_screening.CRITERIA] == list(WP248_CRITERIA)
    assert tuple(WP248_FLAGS) == dpia_screening.FLAG_CRITERIA
    columns = TABLES_BY_NAME["activities"].column_names
    assert all(flag in columns for flag in dpia_screening.FLAG_CRITERIA)


def test_ico_types_name_only_wp248_criteria():
    known = {k for k, _ in dpia_screening.CRITERIA} | {"special_category", "marketing", "matching"}
    known |= {"biometric", "genetic", *dpia_screening.ICO_REGISTER_FACTS.values()}
    for t in (*dpia_screening.ART_35_3, *dpia_screening.ICO_TYPES):
        assert set(t.needs) <= known, t.key
        assert set(t.plus_one_of) <= known, t.key


BIO_GENE = pd.DataFrame(
    {
        "category_id": ["face", "voice", "dna"],
        "name": ["Face template", "Voice sample", "DNA profile"],
        "group": ["identity_contact"] * 3,
        "fides_key": ["user.biometric", "user.biometric.voice", "user.health_and_medical.genetic"],
        "special": [True, False, True],
    }
)


def ico_types(*acts, categories=BIO_GENE, counts=None, regimes=None):
    out = dpia_screening.screen(
        pd.DataFrame(list(acts)),
        pd.concat([CATEGORIES, categories], ignore_index=True),
        counts or {"customers": 10},
        large_scale_threshold=1000,
        regimes=regimes,
    ).set_index("activity_id")
    return out


BIOMETRIC = (
    "biometric data for the purpose of uniquely identifying an individual, in combination "
    "with any other criterion"
)
GENETIC = (
    "genetic data (other than by a GP or health professional for direct care), in "
    "combination with any other criterion"
)


def test_the_icos_biometric_type_needs_identifying_biometrics_and_another_criterion():
    # The face template is special category (Art. 9(1): to identify a person): it meets
    # criterion 4 by itself, which is not "any other criterion".
    alone = ico_types(activity(cats=("face",))).loc["A1"]
    assert alone["criteria_met"] == 1 and alone["ico_types"] == ""
    assert alone["result"] == dpia_screening.NOT_REQUIRED
    profiled = ico_types(activity(cats=("face",), profiling=True)).loc["A1"]
    assert profiled["ico_types"] == BIOMETRIC
    # A voice sample not used to identify anyone (special false) is not the ICO's type.
    voice = ico_types(activity(cats=("voice",), profiling=True)).loc["A1"]
    assert voice["ico_types"] == ""


def test_the_icos_genetic_type_needs_another_criterion():
    assert ico_types(activity(cats=("dna",))).loc["A1", "ico_types"] == ""
    row = ico_types(activity(cats=("dna",)), counts={"customers": 5000}).loc["A1"]
    assert row["ico_types"] == GENETIC  # large scale is the other criterion
    assert row["result"] == dpia_screening.REQUIRED


def test_invisible_processing_needs_another_criterion():
    alone = ico_types(activity(art14_exemption=True)).loc["A1"]
    assert alone["ico_types"] == "" and alone["result"] == dpia_screening.NOT_REQUIRED
    profiled = ico_types(activity(art14_exemption=True, profiling=True)).loc["A1"]
    assert profiled["ico_types"] == (
        "invisible processing: data not obtained from the person, who is not told "
        "because Art. 14(5)(b) is relied on, in combination with any other criterion"
    )
    assert profiled["criteria_met"] == 1  # one criterion, but a listed type: required
    assert profiled["result"] == dpia_screening.REQUIRED


def test_children_online_and_physical_harm_are_enough_alone_in_the_uk_only():
    acts = [
        activity("K", children_online_service=True),
        activity("H", breach_endangers_safety=True),
        activity("R", children_online_service=True, breach_endangers_safety=True),
    ]
    out = ico_types(*acts, regimes={"K": {"UK"}, "H": {"UK"}, "R": {"EU"}})
    assert out.loc["K", "ico_types"] == "an online service offered directly to children"
    assert out.loc["H", "ico_types"] == (
        "a personal data breach could jeopardise people's physical health or safety"
    )
    assert out.loc["K", "criteria_met"] == 0 and out.loc["H", "criteria_met"] == 0
    assert list(out["result"]) == [dpia_screening.REQUIRED] * 2 + [dpia_screening.NOT_REQUIRED]
    # The ICO's list is London's: Riga's activity gets the DVI note instead.
    assert out.loc["R", "ico_types"] == "" and dpia_screening.DVI_NOTE in out.loc["R", "reasons"]


def test_the_icos_register_facts_are_activity_columns():
    columns = TABLES_BY_NAME["activities"].column_names
    assert [c for c in dpia_screening.ICO_REGISTER_FACTS if c not in columns] == []
