"""The register as a Fides datamap: checked with fideslang's own models and default
taxonomy; hand-made frames for the flows, transfers and roles; a datamap read back, and
every value the workbook cannot take refused with its file, path and field."""

from __future__ import annotations

import datetime as dt
import json

import fideslang
import pandas as pd
import pytest
from fideslang.default_taxonomy import DEFAULT_TAXONOMY
from fideslang.models import System, Taxonomy

from juro_privacy.paths import sample_dir
from juro_privacy.periods import parse_period
from juro_privacy.topics.register.api import exports_for
from juro_privacy.topics.register.fides import (
    FidesError,
    fides_datamap,
    parse_datamap,
    unfilled,
    workbook_tables,
)
from juro_privacy.workbook.load import load_workbook

Q3 = parse_period("2026-Q3")


@pytest.fixture(scope="module")
def sample_map():
    return exports_for(load_workbook(sample_dir()), Q3)["register.fides.json"]


def systems_by_key(datamap):
    return {s["fides_key"]: s for s in datamap["system"]}


def declaration(system, activity_id):
    (found,) = [d for d in system["privacy_declarations"] if d["name"].startswith(activity_id)]
    return found


# --- the sample's export, checked by fideslang ------------------------------------------


def test_sample_export_parses_with_fideslangs_models(sample_map):
    taxonomy = Taxonomy.model_validate(sample_map)
    assert len(taxonomy.system) == 24  # the sample's 12 systems and 12 processors
    for system in sample_map["system"]:
        System.model_validate(system)  # egress/ingress references checked by fideslang
    assert sample_map["fideslang_version"] == fideslang.__version__ == "3.1.4"


def test_every_key_is_in_fideslangs_default_taxonomy(sample_map):
    categories = {c.fides_key for c in DEFAULT_TAXONOMY.data_category}
    uses = {u.fides_key for u in DEFAULT_TAXONOMY.data_use}
    subjects = {s.fides_key for s in DEFAULT_TAXONOMY.data_subject}
    declared = {d["fides_key"] for d in sample_map["data_subject"]}
    assert declared == {"counterparty"}  # the one subject the default taxonomy lacks
    assert not declared & subjects
    for system in sample_map["system"]:
        for flow in (system.get("egress") or []) + (system.get("ingress") or []):
            assert set(flow["data_categories"]) <= categories
        for d in system["privacy_declarations"]:
            assert set(d["data_categories"]) <= categories, d["name"]
            assert d["data_use"] in uses
            assert set(d["data_subjects"]) <= subjects | declared


def test_one_system_per_internal_system_and_processor(sample_map):
    systems = systems_by_key(sample_map)
    internal = [k for k, s in systems.items() if s["system_type"] == "Service"]
    third = [k for k, s in systems.items() if s["system_type"] == "Third Party"]
    assert internal == sorted(pd.read_csv(sample_dir() / "systems.csv")["system_id"])
    assert third == sorted(pd.read_csv(sample_dir() / "processors.csv")["processor_id"])
    # A12 ended on 2026-05-31: not an activity of Q3, declared nowhere
    names = {d["name"][:3] for s in systems.values() for d in s["privacy_declarations"]}
    assert names == {f"A{i:02d}" for i in range(1, 14)} - {"A12"}


def test_counterparties_are_not_customers(sample_map):
    a03 = declaration(systems_by_key(sample_map)["doc_store"], "A03")
    assert a03["data_subjects"] == ["counterparty"]
    a09 = declaration(systems_by_key(sample_map)["crm"], "A09")
    assert a09["data_subjects"] == ["customer", "prospect"]


def test_sample_roles_dpo_and_lawful_bases(sample_map):
    s = systems_by_key(sample_map)
    assert s["app_db"]["responsibility"] == ["Controller", "Processor"]  # A01, A06, A13 and A03
    assert s["doc_store"]["responsibility"] == ["Processor"]  # A03 only, for customers
    assert s["cloudhost"]["responsibility"] == ["Processor", "Sub-Processor"]
    assert s["signverify"]["responsibility"] == ["Sub-Processor"]  # A03 only: Art. 28(4)
    assert s["hmrc"]["responsibility"] == ["Controller"]  # independent controller
    assert s["app_db"]["dpo"] == (
        "Data Protection Officer, Larkspur Online Limited (the privacy request form at "
        "larkspur.example/privacy, or by post (address above))"
    )
    assert s["app_db"]["legal_address"] == "20 Example Yard, London EC2A 4XX, United Kingdom"
    assert declaration(s["payments"], "A02")["legal_basis_for_processing"] == "Contract"
    assert declaration(s["app_db"], "A03")["legal_basis_for_processing"] is None  # customer's
    a13 = declaration(s["app_db"], "A13")  # recognised legitimate interest: no fideslang value
    assert a13["legal_basis_for_processing"] is None
    assert s["app_db"]["meta"]["juro_privacy"]["activities"]["A13"]["lawful_basis"] == (
        "recognised_legitimate_interest"
    )


def test_sample_special_data_third_parties_and_retention(sample_map):
    s = systems_by_key(sample_map)
    a09 = declaration(s["crm"], "A09")  # health, no Art. 9(2) condition on record
    assert a09["processes_special_category_data"] is True
    assert a09["special_category_legal_basis"] is None
    a02 = declaration(s["payments"], "A02")  # HMRC: a controller in its own right
    assert a02["data_shared_with_third_parties"] is True
    assert a02["third_parties"] == "HM Revenue & Customs"
    assert a02["shared_categories"] == ["user.contact", "user.financial"]
    assert a02["retention_period"] == (
        "finance_6y: Keep invoices 6 years for tax records (deleted 72 months after last use)"
    )
    a01 = declaration(s["auth"], "A01")  # only processors receive it: no third party
    assert a01["data_shared_with_third_parties"] is False and a01["third_parties"] is None
    assert declaration(s["crm"], "A10")["third_parties"] == "eventco"  # not on record
    assert declaration(s["crm"], "A10")["retention_period"] is None


def test_sample_flows_and_transfers_on_the_periods_last_day(sample_map):
    s = systems_by_key(sample_map)
    # support_chat (A07) sends to ChatDesk (US): from Lisbon on EU SCCs, from London with
    # no UK safeguard (flows.csv: safeguarded, unsafeguarded)
    assert s["support_chat"]["egress"] == [
        {
            "fides_key": "chatdesk",
            "type": "system",
            "data_categories": ["user.contact", "user.device"],
        }
    ]
    assert declaration(s["support_chat"], "A07")["egress"] == ["chatdesk"]
    assert s["chatdesk"]["ingress"][0]["fides_key"] == "support_chat"
    assert declaration(s["chatdesk"], "A07")["ingress"] == ["support_chat"]
    assert s["chatdesk"]["does_international_transfers"] is True
    assert s["chatdesk"]["legal_basis_for_transfers"] == ["SCCs"]
    # InsightML (India): unsafeguarded from Riga, an international transfer on no basis
    assert s["insightml"]["does_international_transfers"] is True
    assert s["insightml"]["legal_basis_for_transfers"] == []
    # OldCRM: A11 on an Art. 49 derogation, A09 unsafeguarded
    assert s["oldcrm"]["legal_basis_for_transfers"] == ["Other"]
    # PayRail and HMRC are in the UK, sent to from London: no transfer
    assert s["payrail"]["does_international_transfers"] is False
    assert s["payments"]["does_international_transfers"] is False
    assert s["mobile_app"]["privacy_declarations"] == [] and s["mobile_app"]["egress"] is None


# --- hand-made frames -------------------------------------------------------------------


def small(**activity):
    act = {
        "activity_id": "A1",
        "name": "Support",
        "purpose": "support",
        "role": "controller",
        "lawful_basis": "contract",
        "art9_condition": "Art. 9(2)(h)",
        "data_subjects": ("customers", "employees"),
        "data_categories": ("contact", "health"),
        "systems": ("desk",),
        "recipients": ("vendor", "auditor"),
        "retention_rule": "r1",
        "security_measures": "TLS",
        "started_on": dt.date(2024, 1, 1),
        "ended_on": pd.NaT,
        "offices": ("london",),
        "source": "given",
    }
    act.update(activity)
    activities = pd.DataFrame([act])
    systems = pd.DataFrame(
        {"system_id": ["desk"], "name": ["Help desk"], "data_categories": [("contact",)]}
    )
    processors = pd.DataFrame(
        {
            "processor_id": ["vendor", "auditor"],
            "name": ["Vendor Inc.", "Audit LLP"],
            "service": ["Ticketing", "Audit"],
            "relationship": ["processor", "independent_controller"],
            "country": ["US", "GB"],
        }
    )
    categories = pd.DataFrame(
        {
            "category_id": ["contact", "health"],
            "name": ["Contact", "Health"],
            "group": ["identity_contact", "identity_contact"],
            "fides_key": ["user.contact", "user.health_and_medical"],
            "special": [False, True],
            "description": ["Contact details", "Health notes"],
        }
    )
    rules = pd.DataFrame(
        {
            "rule_id": ["r1"],
            "description": ["Two years"],
            "archive_after_months": [pd.NA],
            "delete_after_months": [24],
        }
    )
    flows = pd.DataFrame(
        {
            "activity_id": ["A1", "A1"],
            "processor_id": ["vendor", "auditor"],
            "status_at_end": ["safeguarded", "not_restricted"],
            "mechanism": ["idta", None],
        }
    )
    return fides_datamap(
        activities, systems, processors, categories, rules, flows, organisation="Org Ltd", dpo="DPO"
    )


def test_small_datamap_hand_checked():
    s = systems_by_key(small())
    desk, vendor, auditor = s["desk"], s["vendor"], s["auditor"]
    d = desk["privacy_declarations"][0]
    assert d["name"] == "A1 Support"
    assert d["data_use"] == "essential.service.operations.support"
    assert d["data_subjects"] == ["customer", "employee"]
    assert d["special_category_legal_basis"] == "Health or social care (with a basis in law)"
    assert d["processes_special_category_data"] is True
    assert d["third_parties"] == "Audit LLP"
    assert d["retention_period"] == "r1: Two years (deleted 24 months after last use)"
    assert d["egress"] == ["auditor", "vendor"]
    assert [f["fides_key"] for f in desk["egress"]] == ["auditor", "vendor"]
    assert desk["does_international_transfers"] is True  # the IDTA to the US vendor
    assert desk["legal_basis_for_transfers"] == ["Other"]
    assert vendor["responsibility"] == ["Processor"]
    assert auditor["responsibility"] == ["Controller"]
    assert auditor["does_international_transfers"] is False
    assert vendor["ingress"] == [
        {
            "fides_key": "desk",
            "type": "system",
            "data_categories": ["user.contact", "user.health_and_medical"],
        }
    ]
    assert small()["data_subject"] == []  # no counterparties: nothing custom to declare
    for system in small()["system"]:
        System.model_validate(system)


def test_art9_text_that_is_not_a_point_travels_in_meta():
    meta = small(art9_condition="explicit consent (form v2)")["system"][0]["meta"]
    assert meta["juro_privacy"]["activities"]["A1"]["art9_condition"] == (
        "explicit consent (form v2)"
    )
    plain = small()["system"][0]["meta"]["juro_privacy"]["activities"]["A1"]
    assert "art9_condition" not in plain  # Art. 9(2)(h): fideslang's value says it


# --- import -----------------------------------------------------------------------------


def test_the_sample_reads_back_with_its_ids(sample_map):
    tables = workbook_tables(parse_datamap(json.dumps(sample_map), "r.json"), "r.json")
    acts = tables["activities"].set_index("activity_id")
    assert list(acts.index) == [f"A{i:02d}" for i in range(1, 14) if i != 12]
    assert acts.loc["A03", "data_subjects"] == "counterparties"
    assert acts.loc["A03", "role"] == "processor"
    assert acts.loc["A03", "data_categories"] == "contract_content;counterparty_contact;signatures"
    assert acts.loc["A13", "lawful_basis"] == "recognised_legitimate_interest"
    assert acts.loc["A10", "recipients"] == "eventco;mailpulse"
    assert acts.loc["A02", "recipients"] == "hmrc;payrail"
    procs = tables["processors"].set_index("processor_id")
    assert procs.loc["hmrc", "relationship"] == "independent_controller"
    assert procs.loc["chatdesk", "dpf_certified_until"] == "2026-08-14"
    assert len(tables["categories"]) == 10 and len(tables["systems"]) == 12
    assert unfilled(tables) == []


FOREIGN = """
system:
  - fides_key: helpdesk
    name: Helpdesk
    system_type: Application
    data_security_practices: SSO
    responsibility: [Controller]
    privacy_declarations:
      - name: Customer support
        data_use: essential.service.operations.support
        data_categories: [user.contact.email, user.name]
        data_subjects: [customer]
        legal_basis_for_processing: Contract
        egress: [zendesk]
    egress:
      - {fides_key: zendesk, type: system}
  - fides_key: zendesk
    name: Zendesk
    system_type: Third Party
    description: Ticketing
    legal_basis_for_transfers: [SCCs]
    privacy_declarations: []
"""


def test_a_datamap_from_another_tool():
    tables = workbook_tables(parse_datamap(FOREIGN, "map.yml"), "map.yml")
    act = tables["activities"].iloc[0]
    assert (act["activity_id"], act["name"], act["purpose"], act["role"]) == (
        "A01",
        "Customer support",
        "support",
        "controller",
    )
    assert act["lawful_basis"] == "contract" and act["security_measures"] == "SSO"
    assert (act["systems"], act["recipients"]) == ("helpdesk", "zendesk")
    assert act["data_categories"] == "user_contact_email;user_name"
    cats = tables["categories"].set_index("category_id")
    assert cats.loc["user_name", "name"] == "Name"
    assert cats.loc["user_contact_email", "group"] == "identity_contact"
    assert cats.loc["user_contact_email", "special"] == "false"
    proc = tables["processors"].iloc[0]
    assert (proc["processor_id"], proc["service"], proc["mechanism"]) == (
        "zendesk",
        "Ticketing",
        "sccs",
    )
    assert tables["systems"].iloc[0]["data_categories"] == "user_contact_email;user_name"
    notes = unfilled(tables)
    assert "activities.started_on: 1 of 1 rows empty" in notes
    assert "processors.country: 1 of 1 rows empty" in notes


@pytest.mark.parametrize(
    "old,new,where,field,why",
    [
        (
            "data_use: essential.service.operations.support",
            "data_use: employment.recruitment",
            "system 'helpdesk' (system[0]), privacy declaration 'Customer support' "
            "(privacy_declarations[0])",
            "data_use",
            "none of the register's purposes",
        ),
        (
            "data_subjects: [customer]",
            "data_subjects: [patient]",
            "privacy declaration 'Customer support' (privacy_declarations[0])",
            "data_subjects",
            "data subject 'patient' has no equivalent",
        ),
        (
            "user.name]",
            "user.shoe_size]",
            "privacy declaration 'Customer support' (privacy_declarations[0])",
            "data_categories",
            "'user.shoe_size' is in neither",
        ),
        (
            "user.name]",
            "system.operations]",
            "privacy declaration 'Customer support' (privacy_declarations[0])",
            "data_categories",
            "not personal data",
        ),
        (
            "      - name: Customer support\n",
            "      - name: ' '\n",
            "(privacy_declarations[0])",
            "name",
            "needs a name",
        ),
        (
            "    system_type: Application\n",
            "",
            "system 'helpdesk' (system[0])",
            "system_type",
            "Field required",
        ),
        (
            "egress: [zendesk]",
            "egress: [intercom]",
            "system 'helpdesk' (system[0])",
            None,
            "defines egress with 'intercom'",
        ),
    ],
)
def test_what_cannot_be_mapped_is_one_error_naming_file_path_and_field(old, new, where, field, why):
    assert old in FOREIGN
    with pytest.raises(FidesError) as caught:
        workbook_tables(parse_datamap(FOREIGN.replace(old, new), "map.yml"), "map.yml")
    message = str(caught.value)
    assert message.startswith("map.yml: ")
    assert where in message and why in message
    assert f"field '{field}'" in message if field else "field" not in message
    assert caught.value.exit_code == 2


def test_not_a_datamap_is_refused():
    with pytest.raises(FidesError, match=r"map.json: is not valid JSON"):
        parse_datamap("{", "map.json")
    with pytest.raises(FidesError, match=r"field 'system': is not a Fides datamap"):
        parse_datamap("just: words", "map.yml")
