"""The Art. 30 register: layout, every finding, the diff and the fideslang export,
on small hand-made frames."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from juro_privacy.periods import active_in, parse_period
from juro_privacy.run.exports import write_exports
from juro_privacy.topics.register.analysis import (
    REGISTER_COLUMNS,
    build_register,
    category_purpose_matrix,
    diff_registers,
    register_findings,
    source_mix,
)
from juro_privacy.topics.register.api import findings_for, register_for
from juro_privacy.topics.register.fides import fides_datamap
from juro_privacy.workbook.history import read_register_at

Q3 = parse_period("2026-Q3")


def activity(activity_id="A1", **kw):
    row = {
        "activity_id": activity_id,
        "name": f"Activity {activity_id}",
        "purpose": "service",
        "role": "controller",
        "controller": pd.NA,
        "lawful_basis": "contract",
        "art9_condition": pd.NA,
        "data_subjects": ("customers",),
        "data_categories": ("contact",),
        "source": "given",
        "systems": ("db",),
        "recipients": ("host",),
        "retention_rule": "r1",
        "security_measures": "TLS",
        "started_on": dt.date(2020, 1, 1),
        "ended_on": pd.NaT,
    }
    row.update(kw)
    return row


def frames(*acts):
    activities = pd.DataFrame(list(acts))
    categories = pd.DataFrame(
        {
            "category_id": ["contact", "health", "usage"],
            "name": ["Contact", "Health", "Usage"],
            "fides_key": ["user.contact", "user.health_and_medical", "user.behavior"],
            "special": [False, True, False],
        }
    )
    processors = pd.DataFrame({"processor_id": ["host"], "name": ["Host Ltd"], "country": ["IE"]})
    rules = pd.DataFrame({"rule_id": ["r1"], "description": ["Delete after 6 years"]})
    return activities, categories, processors, rules


def codes(findings):
    return sorted(zip(findings["code"], findings["subject"], strict=True))


def test_clean_register_has_no_findings_but_the_unused_categories():
    acts, cats, procs, _ = frames(activity(data_categories=("contact", "usage")))
    found = register_findings(acts, cats, procs, Q3)
    assert codes(found) == [("category_unused", "category health")]


def test_controller_without_lawful_basis_is_high():
    acts, cats, procs, _ = frames(
        activity(
            "A1",
            lawful_basis=pd.NA,
            data_categories=("contact", "health", "usage"),
            art9_condition="explicit consent",
        ),
        activity("A2", role="processor", lawful_basis=pd.NA, controller="Customer"),
    )
    found = register_findings(acts, cats, procs, Q3)
    assert codes(found) == [("no_lawful_basis", "A1 Activity A1")]
    assert found.loc[0, "severity"] == "high"
    assert found.loc[0, "rule"] == "Art. 6(1)"


def test_special_category_without_art9_condition():
    acts, cats, procs, _ = frames(activity(data_categories=("contact", "health", "usage")))
    found = register_findings(acts, cats, procs, Q3)
    assert codes(found) == [("special_without_condition", "A1 Activity A1")]
    assert "health" in found.loc[0, "detail"]


def test_recipient_not_a_listed_processor_and_missing_retention_rule():
    acts, cats, procs, _ = frames(
        activity(
            data_categories=("contact", "health", "usage"),
            art9_condition="Art. 9(2)(a)",
            recipients=("host", "eventco"),
            retention_rule=pd.NA,
        )
    )
    found = register_findings(acts, cats, procs, Q3)
    assert codes(found) == [
        ("no_retention_rule", "A1 Activity A1"),
        ("recipient_not_processor", "A1 Activity A1"),
    ]
    assert "'eventco'" in found.loc[found["code"] == "recipient_not_processor", "detail"].item()


def test_activities_are_those_active_during_the_period():
    acts, *_ = frames(
        activity("old", ended_on=dt.date(2026, 6, 30)),
        activity("ends", ended_on=dt.date(2026, 7, 1)),
        activity("new", started_on=dt.date(2026, 9, 30)),
        activity("future", started_on=dt.date(2026, 10, 1)),
    )
    assert list(active_in(acts, Q3)["activity_id"]) == ["ends", "new"]


def test_register_columns_follow_art_30_and_fill_controller_for_processor_role():
    acts, cats, procs, rules = frames(
        activity("A1"), activity("A2", role="processor", controller="Customer X")
    )
    reg = build_register(acts, cats, procs, rules, organisation="Org", dpo="DPO", period=Q3)
    assert list(reg.columns) == REGISTER_COLUMNS
    assert list(reg["controller"]) == ["Org", "Customer X"]
    assert reg.loc[0, "recipients"] == "Host Ltd"
    assert reg.loc[0, "third_country_transfers"] == "IE"
    assert reg.loc[0, "retention"] == "Delete after 6 years"
    assert reg.loc[0, "data_categories"] == "Contact"


def test_category_purpose_matrix_counts_activities():
    acts, cats, *_ = frames(
        activity("A1", data_categories=("contact", "usage")),
        activity("A2", purpose="marketing", data_categories=("contact",)),
    )
    m = category_purpose_matrix(acts, cats, Q3)
    assert m.loc["Contact", "Providing the service"] == 1
    assert m.loc["Contact", "Marketing"] == 1
    assert m.loc["Health"].sum() == 0
    assert int(m.to_numpy().sum()) == 3


def test_source_mix():
    acts, *_ = frames(activity("A1"), activity("A2", source="collected"), activity("A3"))
    mix = source_mix(acts, Q3)
    assert dict(zip(mix["source"], mix["activities"], strict=True)) == {
        "Data you give": 2,
        "Data we collect": 1,
        "Both": 0,
    }


def test_diff_added_removed_changed():
    before = pd.DataFrame(
        {"activity_id": ["A1", "A2"], "activity": ["One", "Two"], "purpose": ["x", "y"]}
    )
    after = pd.DataFrame(
        {"activity_id": ["A1", "A3"], "activity": ["One", "Three"], "purpose": ["z", "y"]}
    )
    diff = diff_registers(before, after)
    assert diff.values.tolist() == [
        ["added", "A3", "Three", ""],
        ["removed", "A2", "Two", ""],
        ["changed", "A1", "One", "purpose"],
    ]
    assert diff_registers(None, after).empty


def register_exports(reg, fides):
    """The register's exports for hand-made frames, the workbook as one frame (the
    sample's four-sheet workbook is tests/topics/register/test_spreadsheet.py's)."""
    return {"register.csv": reg, "register.xlsx": reg, "register.fides.json": fides}


def fides_for(acts, cats, procs, rules, organisation):
    """The Fides datamap of hand-made frames (tests/topics/register/test_fides.py has the
    sample's): one internal system ``db``, no flows."""
    systems = pd.DataFrame({"system_id": ["db"], "name": ["Database"]})
    return fides_datamap(
        acts, systems, procs, cats, rules, pd.DataFrame(), organisation=organisation, dpo="DPO"
    )


def test_exports_round_trip_and_fides_validates(tmp_path):
    from fideslang.models import System

    acts, cats, procs, rules = frames(activity("A1", data_categories=("contact", "usage")))
    reg = build_register(acts, cats, procs, rules, organisation="Org Ltd", dpo="DPO", period=Q3)
    fides = fides_for(acts, cats, procs, rules, organisation="Org Ltd")
    paths = write_exports(register_exports(reg, fides), tmp_path)
    assert [p.name for p in paths] == ["register.csv", "register.xlsx", "register.fides.json"]
    pd.testing.assert_frame_equal(read_register_at(tmp_path), reg)
    xlsx = pd.read_excel(tmp_path / "register.xlsx", dtype=str).fillna("")
    assert list(xlsx.columns) == REGISTER_COLUMNS
    system = System(**json.loads((tmp_path / "register.fides.json").read_text())["system"][0])
    decl = system.privacy_declarations[0]
    assert decl.data_categories == ["user.behavior", "user.contact"]
    assert decl.data_use == "essential.service"
    assert decl.data_subjects == ["customer"]


def test_xlsx_export_is_byte_stable(tmp_path):
    acts, cats, procs, rules = frames(activity())
    reg = build_register(acts, cats, procs, rules, organisation="O", dpo="D", period=Q3)
    fides = fides_for(acts, cats, procs, rules, organisation="O")
    write_exports(register_exports(reg, fides), tmp_path / "a")
    write_exports(register_exports(reg, fides), tmp_path / "b")
    assert (tmp_path / "a/register.xlsx").read_bytes() == (
        tmp_path / "b/register.xlsx"
    ).read_bytes()


@pytest.mark.parametrize("period,added,removed", [("2026-Q3", ["A11"], ["A12"])])
def test_sample_register_diff_between_quarters(period, added, removed):
    from juro_privacy.paths import sample_dir
    from juro_privacy.workbook.load import load_workbook

    wb = load_workbook(sample_dir())
    p = parse_period(period)
    diff = diff_registers(register_for(wb, p.previous()), register_for(wb, p))
    assert list(diff.loc[diff["change"] == "added", "activity_id"]) == added
    assert list(diff.loc[diff["change"] == "removed", "activity_id"]) == removed


def test_sample_register_findings_are_the_planted_ones():
    from juro_privacy.paths import sample_dir
    from juro_privacy.workbook.load import load_workbook

    found = findings_for(load_workbook(sample_dir()), Q3)
    assert sorted(found["code"]) == sorted(
        [
            "no_lawful_basis",
            "special_without_condition",
            "category_unused",
            "no_retention_rule",
            "recipient_not_processor",
            "no_lia",  # A11: legitimate interests, no assessment on record
        ]
    )


# ---------------------------------------------------------------- Art. 10 and Sch. 1


def frames_with_criminal(*acts):
    activities, categories, processors, rules = frames(*acts)
    categories = pd.concat(
        [
            categories.assign(criminal=False),
            pd.DataFrame(
                {
                    "category_id": ["checks"],
                    "name": ["Criminal record checks"],
                    "fides_key": ["user.criminal_history"],
                    "special": [False],
                    "criminal": [True],
                }
            ),
        ],
        ignore_index=True,
    )
    return activities, categories, processors, rules


def test_criminal_offence_data_needs_an_art_10_basis_not_an_art_9_condition():
    acts, cats, procs, rules = frames_with_criminal(
        activity("A1", data_categories=("contact", "health", "usage", "checks"), art9_condition="x")
    )
    found = register_findings(acts, cats, procs, Q3)
    assert codes(found) == [("criminal_without_condition", "A1 Activity A1")]
    assert found.loc[0, "rule"] == "Art. 10; DPA 2018 s. 10(5), Sch. 1"
    register = build_register(acts, cats, procs, rules, organisation="O", dpo="D", period=Q3)
    assert register.loc[0, "special_categories"] == "Health"
    assert register.loc[0, "criminal_offence_data"] == "Criminal record checks"


def test_a_schedule_1_condition_that_needs_a_policy_document():
    def one(**kw):
        acts, cats, procs, _ = frames_with_criminal(
            activity("A1", data_categories=("contact", "health", "usage", "checks"), **kw)
        )
        return [c for c, _ in codes(register_findings(acts, cats, procs, Q3))]

    # Sch. 1 para 1 (employment) needs a document; para 33 (legal claims) does not.
    assert one(art9_condition="Sch. 1 para 1", art10_condition="Sch. 1 para 33") == [
        "no_policy_document"
    ]
    assert one(art9_condition="Sch. 1 para 1", art10_condition="x", policy_document=True) == []
    assert one(art9_condition="Art. 9(2)(h)", art10_condition="Sch. 1 para 33") == []


def test_the_contact_details_art_30_1_a_asks_for():
    acts, cats, procs, _ = frames(
        activity(data_categories=("contact", "health", "usage"), art9_condition="Art. 9(2)(a)")
    )
    missing = register_findings(acts, cats, procs, Q3, contacts=("1 Road, Town", " "))
    assert [(r.code, r.rule) for r in missing.itertuples()] == [
        ("no_contact_details", "Art. 30(1)(a)")
    ]
    assert "the DPO's contact details" in missing.loc[0, "detail"]
    assert register_findings(acts, cats, procs, Q3, contacts=("a", "b")).empty


# ---------------------------------------------------------------- Art. 6(1)(ea) and the LIA

SITES = pd.DataFrame({"site_id": ["london", "riga"], "country": ["GB", "LV"]})


def basis_codes(period=Q3, **kw):
    acts, cats, procs, _ = frames(
        activity("A1", data_categories=("contact", "health", "usage"), art9_condition="x", **kw)
    )
    return [c for c, _ in codes(register_findings(acts, cats, procs, period, sites=SITES))]


def test_a_recognised_legitimate_interest_in_london_on_annex_1():
    rli = {"lawful_basis": "recognised_legitimate_interest", "offices": ("london",)}
    assert basis_codes(annex1_condition="crime", **rli) == []
    assert basis_codes(annex1_condition=pd.NA, **rli) == ["rli_without_condition"]
    assert basis_codes(parse_period("2025-Q4"), annex1_condition="crime", **rli) == [
        "rli_before_in_force"
    ]
    both = {**rli, "offices": ("london", "riga")}
    assert basis_codes(annex1_condition="crime", **both) == ["rli_outside_uk"]


def test_legitimate_interests_want_an_assessment_that_passed():
    li = {"lawful_basis": "legitimate_interests", "offices": ("riga",)}
    assert basis_codes(lia_on=dt.date(2026, 1, 10), lia_outcome="passed", **li) == []
    assert basis_codes(lia_on=pd.NaT, **li) == ["no_lia"]
    assert basis_codes(lia_on=dt.date(2026, 1, 10), lia_outcome="failed", **li) == ["lia_failed"]
