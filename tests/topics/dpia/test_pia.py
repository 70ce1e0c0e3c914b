"""``dpia.pia.json``: the DPIA in the format the CNIL's PIA tool imports.

The structure is checked against facts read off the tool's source (LINCnil/pia at the
commit named in ``fixtures/cnil_pia_contract.json``: the keys ``PiaService.importData``
and its helpers read, the types in the tool's example PIA, the question ids and answer
types of ``pia_architecture.json``, the gauge range and status codes), read here from
that fixture, never from the network. The sample's values were checked by hand against
``risks.csv``, ``dpia.yaml`` and ``workbook.yaml`` of the bundled sample.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from juro_privacy.errors import LeakError
from juro_privacy.paths import sample_dir
from juro_privacy.periods import parse_period
from juro_privacy.registry import BY_NAME
from juro_privacy.rules import risk_scales
from juro_privacy.run.exports import write_export
from juro_privacy.run.leaks import scan_folder
from juro_privacy.topics.dpia import api, pia
from juro_privacy.workbook import dpia_yaml
from juro_privacy.workbook.load import load_workbook

CONTRACT = json.loads(
    (Path(__file__).parent / "fixtures" / "cnil_pia_contract.json").read_text(encoding="utf-8")
)
PERIOD = parse_period("2026-Q3")
#: The tool's dates are JavaScript ``Date.toJSON()`` strings, as in its example file.
JS_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
JSON_TYPES = {
    str: "string",
    int: "integer",
    bool: "boolean",
    dict: "object",
    list: "array",
    type(None): "null",
}
KINDS = {"answers": "answer", "measures": "measure", "evaluations": "evaluation"}
KINDS["comments"] = "comment"


def json_type(value: Any) -> str:
    return JSON_TYPES[type(value)]


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    """The sample's ``dpia.pia.json`` for 2026-Q3, as the run writes and a DPO imports it."""
    wb = load_workbook(sample_dir())
    return json.loads(json.dumps(api.exports_for(wb, PERIOD)["dpia.pia.json"]))


def records_of(export: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every record of an export with its kind: the ``pia``, each answer, measure, ..."""
    out = [("pia", export["pia"])]
    for part, kind in KINDS.items():
        out += [(kind, r) for r in export[part]]
    return out


def assert_importable(export: dict[str, Any]) -> None:
    """Everything ``importData`` reads is there, of the type the tool has for it, and
    every reference points at something the tool knows."""
    assert set(export) == set(CONTRACT["top_level"])
    for part, kind in CONTRACT["top_level_types"].items():
        assert json_type(export[part]) == kind, part
    for kind, record in records_of(export):
        optional = set(CONTRACT["import_optional"].get(kind, []))
        nullable = set(CONTRACT["nullable"][kind])
        for key in CONTRACT["import_reads"][kind]:
            if key in optional:
                assert key not in record, (kind, key)  # no structure, no server users
                continue
            assert key in record, (kind, key)
            allowed = set(CONTRACT["example_types"][kind].get(key, []))
            allowed |= {"null"} if key in nullable else set()
            allowed |= {"string"} if key in CONTRACT["dates"]["keys"] else set()
            assert json_type(record[key]) in allowed, (kind, key, record[key])
            if key in CONTRACT["dates"]["keys"] and record[key] is not None:
                assert JS_DATE.match(record[key]), (kind, key, record[key])
    questions = CONTRACT["questions"]
    for answer in export["answers"]:
        answer_type = questions[str(answer["reference_to"])]
        data = answer["data"]
        assert set(data) == {"text", "gauge", "list"}
        for key, value in data.items():
            assert json_type(value) in CONTRACT["answer_data"][answer_type][key], (answer, key)
        assert all(isinstance(v, str) and v for v in data["list"])
    measures = {m["id"] for m in export["measures"]}
    assert len(measures) == len(export["measures"])
    for evaluation in export["evaluations"]:
        ref = evaluation["reference_to"]
        if ref.startswith("3.1."):
            assert int(ref.split(".")[2]) in measures
        elif ref.count(".") == 2:
            item, question = ref.rsplit(".", 1)
            assert int(question) in CONTRACT["items"][item]["questions"]
        else:
            assert ref in CONTRACT["items"]
        assert str(evaluation["status"]) in CONTRACT["evaluation_status"]
        assert str(evaluation["global_status"]) in CONTRACT["evaluation_global_status"]
    for comment in export["comments"]:
        if comment["for_measure"]:
            assert comment["reference_to"] in measures
        else:
            assert str(comment["reference_to"]) in questions
    assert str(export["pia"]["status"]) in CONTRACT["pia_status"]
    assert (
        export["pia"]["dpo_status"] is None
        or str(export["pia"]["dpo_status"]) in (CONTRACT["dpo_status"])
    )


def gauges_of(export: dict[str, Any]) -> list[int]:
    answers = [
        a["data"]["gauge"]
        for a in export["answers"]
        if CONTRACT["questions"][str(a["reference_to"])] == "gauge"
    ]
    evaluations = [e["gauges"][axis] for e in export["evaluations"] for axis in ("x", "y")]
    return answers + evaluations


# ---------------------------------------------------------------- the tool's structure


def test_the_contract_fixture_is_the_tools():
    """The fixture names its source, and holds what the tests read from it."""
    assert CONTRACT["source"]["commit"] == pia.PIA_TOOL_COMMIT
    assert CONTRACT["source"]["repository"] == pia.PIA_TOOL
    assert CONTRACT["import_reads"]["pia"][:3] == ["applied_adjustments", "author_name", "category"]
    assert len(CONTRACT["questions"]) == 36  # numberOfQuestions in the tool's example
    assert CONTRACT["gauge"] == {
        "min": 0,
        "max": 4,
        "undefined": 0,
        "levels": {"1": "Negligible", "2": "Limited", "3": "Important", "4": "Maximum"},
    }


def test_the_sample_export_has_every_key_the_tool_reads(sample):
    assert_importable(sample)


def test_every_answer_is_a_question_of_the_tools_architecture(sample):
    refs = [a["reference_to"] for a in sample["answers"]]
    assert all(str(r) in CONTRACT["questions"] for r in refs)
    assert len(refs) == len(set(refs))  # one answer per question
    assert [a["id"] for a in sample["answers"]] == list(range(1, len(refs) + 1))


def test_gauges_are_within_the_tools_range(sample):
    gauges = gauges_of(sample)
    assert gauges  # the sample has severity and likelihood answers
    assert all(CONTRACT["gauge"]["min"] <= g <= CONTRACT["gauge"]["max"] for g in gauges)


def test_an_invalid_reference_would_fail_the_structure_check(sample):
    """The structure check can fail: a question id the tool does not have, a missing key."""
    broken = json.loads(json.dumps(sample))
    broken["answers"][0]["reference_to"] = 999
    with pytest.raises(KeyError):
        assert_importable(broken)
    broken = json.loads(json.dumps(sample))
    del broken["pia"]["dpo_opinion"]
    with pytest.raises(AssertionError):
        assert_importable(broken)


# ---------------------------------------------------------------- the sample, by hand


def test_the_sample_pia_carries_dpia_yaml_and_workbook_yaml(sample):
    p = sample["pia"]
    assert p["name"] == "Product analytics and machine learning on usage data (2026-Q3)"
    assert p["status"] == 0  # "doing": signed on paper, not in the tool
    assert p["validator_name"] == "Chief Executive"  # sign_off.residual_risks_approved_by
    assert p["dpos_names"] == "Data Protection Officer, Larkspur Online Limited"
    assert p["dpo_status"] is None  # dpia.yaml does not give the tool's yes/no verdict
    assert p["dpo_opinion"] == (
        "Exclude contract content from training until R05 is reduced; consult the ICO "
        "under Art. 36 if it stays high.\n\nThe controller overruled this advice: Clause "
        "suggestions need contract content; the board accepted the residual risk pending "
        "prior consultation."
    )
    assert p["concerned_people_searched_opinion"] is True
    assert p["people_names"] == "Customer advisory board (8 customers); Information security team"
    assert p["concerned_people_opinion"].splitlines()[0] == (
        "Customer advisory board (8 customers) (Workshop and written survey, 2026-07-14): "
        "Accept usage analytics; object to contract content in training sets."
    )
    assert p["created_at"] == p["updated_at"] == "2026-09-30T12:00:00.000Z"


def test_the_sample_fills_the_questions_it_has_evidence_for_and_no_other(sample):
    assert [a["reference_to"] for a in sample["answers"]] == [
        111, 112, 121, 122, 123,  # context: dpia.yaml and the register
        211, 212, 213, 215, 223, 226, 227,  # principles: the necessity view
        321, 324, 325, 326,  # illegitimate access: R01, R02, R05 name confidentiality
    ]  # fmt: skip
    by_ref = {a["reference_to"]: a["data"] for a in sample["answers"]}
    assert by_ref[122]["text"].startswith("<p>Usage and technical data (clickstreams,")
    assert (
        "<li><strong>A06 Profiling and machine learning on usage data</strong>: NOT RECORDED"
        in by_ref[212]["text"]
    )  # A06 has no lawful basis in activities.csv: the DPIA's gap, kept
    assert by_ref[321]["list"] == [
        "R01 Usage data sent to a country without adequacy or safeguards",
        "R02 Heat maps capture contract text typed into forms",
        "R05 Model trained on contract content re-identifies signers",
    ]
    assert by_ref[324]["list"] == [
        "Sign IDTA and EU SCCs with InsightML or move training in-house",
        "Mask all form fields in session replay",
        "Exclude contract content from training sets",
    ]
    # the ICO scale's three levels are not the tool's four: the gauge is left for the DPO
    assert by_ref[325]["gauge"] == by_ref[326]["gauge"] == 0
    assert "R01 significant; R02 minimal; R05 severe" in by_ref[325]["text"]
    assert "R01 remote; R02 remote; R05 possible" in by_ref[326]["text"]


def test_the_sample_measures_are_the_risks_then_the_registers(sample):
    titles = [m["title"] for m in sample["measures"]]
    assert titles == [
        "Sign IDTA and EU SCCs with InsightML or move training in-house",  # R01
        "Mask all form fields in session replay",  # R02
        "Explain tailoring in the policy; honour objections",  # R03
        "Automated archive and deletion jobs",  # R04
        "Exclude contract content from training sets",  # R05
        "Pseudonymised user ids, IP truncation",  # A05 security_measures
        "Pseudonymised training sets",  # A06 security_measures
    ]
    r01 = sample["measures"][0]["content"]
    assert "<li>Owner: Head of Data</li><li>Due: 2026-12-31</li><li>Status: in progress</li>" in r01
    assert "probable × significant = high; after: remote × significant = low" in r01
    assert {m["placeholder"] for m in sample["measures"]} == {"measures.default_placeholder"}


def test_ratings_the_data_contradicts_are_measures_to_correct(sample):
    """R01, R03 and R04 cite a metric whose condition holds while their residual
    likelihood is remote (the lowest): "to correct" (status 1), evaluation started."""
    evaluations = sample["evaluations"]
    assert [e["reference_to"] for e in evaluations] == ["3.1.1", "3.1.3", "3.1.4"]
    assert {(e["status"], e["global_status"]) for e in evaluations} == {(1, 1)}
    assert "transfers.unsafeguarded_count is 5" in evaluations[0]["evaluation_comment"]
    assert "requests.on_time_rate &lt; 0.95" in evaluations[1]["evaluation_comment"]
    assert "retention.delete_overdue_count is 21" in evaluations[2]["evaluation_comment"]


def test_a_high_residual_risk_is_an_art_36_verdict_in_its_measure_and_on_its_risk(sample):
    art36 = (
        "R05 remains high after measures (possible × severe): prior consultation with the "
        "supervisory authority (the Information Commissioner's Office (ICO); the Data State "
        "Inspectorate (DVI)) is required before the processing starts (Art. 36(1))."
    )
    # R01 and R05 name confidentiality: R01's evidence is on 3.2's likelihood question
    # (326), R05's verdict on its severity question (325); R02 cites no metric
    r01, r05 = sample["comments"]
    assert (r01["reference_to"], r05["reference_to"]) == (326, 325)
    assert r01["description"].startswith(
        "R01, evidence from the data, 2026-Q3: transfers.unsafeguarded_count > 0; this period 5,"
    )
    assert r05["description"] == art36
    assert sample["measures"][4]["content"].endswith(f"<p>{art36}</p>")
    # R04 is in no feared event: its evidence is in its measure only
    assert (
        "<p>R04, evidence from the data, 2026-Q3: retention.delete_overdue_count &gt; 0;"
        in (sample["measures"][3]["content"])
    )


def test_no_comment_is_on_a_measure(sample):
    """The tool does not remap a comment's measure id on import (the fixture's
    ``comments_on_measures_not_remapped``): a comment on a measure would move."""
    assert CONTRACT["comments_on_measures_not_remapped"]["value"] is True
    assert [c["for_measure"] for c in sample["comments"]] == [False, False]


# ---------------------------------------------------------------- the mapping, by hand


def scored(scale_name: str = "cnil", **overrides: Any) -> pd.DataFrame:
    """Risks of one activity on a scale, scored; ``overrides`` maps a risk id to its
    changed columns."""
    base = {
        "activity_id": "A1",
        "risk": "Harm",
        "rights_affected": "Confidentiality",
        "likelihood": "significant",
        "severity": "maximum",
        "measures": "Encrypt",
        "measure_owner": "Security Lead",
        "measure_due": dt.date(2026, 12, 31),
        "measure_status": "planned",
        "residual_likelihood": "limited",
        "residual_severity": "maximum",
        "evidence_metric": None,
        "evidence_comparison": None,
        "evidence_threshold": None,
    }
    rows = [{"risk_id": rid, **base, **changed} for rid, changed in overrides.items()]
    return risk_scales.score_risks(pd.DataFrame(rows), risk_scales.risk_scale(scale_name))


def register_rows(**columns: Any) -> pd.DataFrame:
    row = {
        "activity_id": "A1",
        "activity": "Support desk",
        "role": "controller",
        "controller": "Example Ltd",
        "purpose": "Customer support",
        "lawful_basis": "contract",
        "data_subjects": "customers",
        "data_categories": "Identity",
        "special_categories": "",
        "recipients": "",
        "third_country_transfers": "",
        "retention": "2 years",
        "security_measures": "",
        "systems": "crm",
    }
    return pd.DataFrame([{**row, **columns}])


def doc(**fields: Any) -> dpia_yaml.DpiaDocument:
    raw = {
        "title": "Support desk",
        "activities": ["A1"],
        "nature": "Tickets typed by customers",
        "scope": "500 customers",
        "context": "Business customers",
        "purposes": "Answer tickets",
        "sign_off": {},
        **fields,
    }
    return dpia_yaml.parse_dpia(raw, {"A1"})


def export(risks: pd.DataFrame, document: dpia_yaml.DpiaDocument | None = None, **kw: Any):
    scale = risk_scales.risk_scale(kw.pop("scale", "cnil"))
    return pia.pia_export(
        document if document is not None else doc(),
        period=PERIOD,
        organisation="Example Ltd",
        dpo="DPO, Example Ltd",
        register=kw.pop("register", register_rows()),
        scored=risks,
        evidence=kw.pop("evidence", pd.DataFrame(columns=["risk", "contradicts"])),
        current={},
        scale=scale,
    )


def answer(out: dict[str, Any], reference_to: int) -> dict[str, Any]:
    (found,) = [a["data"] for a in out["answers"] if a["reference_to"] == reference_to]
    return found


def test_cnil_levels_are_the_tools_gauges():
    cnil, ico = risk_scales.risk_scale("cnil"), risk_scales.risk_scale("ico")
    assert [pia.gauge(level, cnil) for level in cnil.likelihoods] == [1, 2, 3, 4]
    assert [pia.gauge(level, ico) for level in ico.likelihoods] == [0, 0, 0]


def test_a_feared_events_gauges_are_its_worst_residual_risk():
    """R1 limited × maximum is medium; R2 significant × significant is high: the gauges
    show R2 (severity 3, likelihood 3), not a mix of R1's severity and R2's likelihood."""
    risks = scored(
        R1={},
        R2={"residual_likelihood": "significant", "residual_severity": "significant"},
    )
    out = export(risks)
    assert_importable(out)
    assert (answer(out, 325)["gauge"], answer(out, 326)["gauge"]) == (3, 3)
    assert "The gauge shows R2, the highest residual risk." in answer(out, 325)["text"]
    assert "R1 maximum; R2 significant" in answer(out, 325)["text"]
    assert answer(out, 324)["list"] == ["Encrypt"]  # one measure named twice, listed once


def test_integrity_and_availability_go_to_their_feared_events():
    risks = scored(
        R1={"rights_affected": "Integrity of records"},
        R2={"rights_affected": "AVAILABILITY; Art. 15", "residual_likelihood": "negligible"},
        R3={"rights_affected": "Art. 21 right to object"},
    )
    out = export(risks)
    assert_importable(out)
    refs = [a["reference_to"] for a in out["answers"] if a["reference_to"] > 300]
    assert refs == [331, 334, 335, 336, 341, 344, 345, 346]  # R3 is no feared event
    assert (answer(out, 335)["gauge"], answer(out, 336)["gauge"]) == (4, 2)
    assert (answer(out, 345)["gauge"], answer(out, 346)["gauge"]) == (4, 1)
    assert len(out["measures"]) == 3  # every risk's measure, R3's too
    assert pia.feared_events_of("Confidentiality; integrity") == pia.FEARED_EVENTS[:2]


def test_evidence_on_a_feared_event_is_a_comment_on_its_likelihood():
    risks = scored(
        R1={
            "evidence_metric": "retention.delete_overdue_count",
            "evidence_comparison": ">",
            "evidence_threshold": 0.0,
        }
    )
    evidence = pd.DataFrame(
        [
            {
                "risk": "R1",
                "condition": "retention.delete_overdue_count > 0",
                "this period": "0",
                "last period": "3",
                "evidence": "supports the rating",
                "contradicts": False,
            }
        ]
    )
    out = export(risks, evidence=evidence)
    assert_importable(out)
    assert out["evaluations"] == []  # the rating holds: nothing to correct
    assert [(c["reference_to"], c["description"]) for c in out["comments"]] == [
        (
            326,
            "R1, evidence from the data, 2026-Q3: retention.delete_overdue_count > 0; "
            "this period 0, last period 3: supports the rating.",
        )
    ]


def test_text_from_the_workbook_is_escaped_html():
    document = doc(nature="Tickets <script>alert(1)</script> & attachments")
    out = export(scored(R1={}), document)
    assert answer(out, 122)["text"] == (
        "<p>Tickets &lt;script&gt;alert(1)&lt;/script&gt; &amp; attachments</p>"
    )


def test_a_question_the_workbook_has_nothing_for_is_left_out():
    """No recipients, transfers or security measures recorded: the register's "none"
    is said where the DPIA says it, and no security measure is invented."""
    out = export(scored(R1={"rights_affected": "Art. 21"}))
    refs = {a["reference_to"] for a in out["answers"]}
    assert refs == {111, 112, 121, 122, 123, 211, 212, 213, 215, 223, 226, 227}
    assert {113, 214, 221, 222, 224, 225} & refs == set()
    assert [m["title"] for m in out["measures"]] == ["Encrypt"]
    assert out["evaluations"] == out["comments"] == []


def test_without_dpia_yaml_the_file_is_an_empty_pia_that_says_so():
    out = pia.pia_export(
        None,
        period=PERIOD,
        organisation="Example Ltd",
        dpo="DPO",
        register=register_rows(),
        scored=scored(R1={}).iloc[0:0],
        evidence=pd.DataFrame(columns=["risk", "contradicts"]),
        current={},
        scale=risk_scales.risk_scale("cnil"),
    )
    assert_importable(out)
    assert out["pia"]["name"] == "Example Ltd: no DPIA in this workbook (2026-Q3)"
    assert out["answers"] == out["measures"] == out["evaluations"] == out["comments"] == []


def test_a_workbook_without_dpia_yaml_exports_an_empty_pia(workbook_copy):
    (workbook_copy / "dpia.yaml").unlink()
    out = api.exports_for(load_workbook(workbook_copy), PERIOD)["dpia.pia.json"]
    assert_importable(out)
    assert out["pia"]["name"] == "Larkspur Online Limited: no DPIA in this workbook (2026-Q3)"
    assert out["pia"]["dpos_names"] is None
    assert out["answers"] == out["measures"] == out["evaluations"] == out["comments"] == []


# ---------------------------------------------------------------- in the run


def test_the_run_writes_it_beside_the_report_and_the_leak_scan_reads_it(tmp_path):
    assert BY_NAME["dpia"].exports == ("dpia.pia.json",)
    wb = load_workbook(sample_dir())
    contents = api.exports_for(wb, PERIOD)
    assert list(contents) == ["dpia.pia.json"]
    path = write_export(tmp_path / "dpia.pia.json", contents["dpia.pia.json"])
    assert json.loads(path.read_text(encoding="utf-8"))["pia"]["id"] == 1
    result = scan_folder(wb, tmp_path, pdftotext=None)
    assert result.files == ("dpia.pia.json",)
    assert (
        path.read_bytes()
        == write_export(tmp_path / "again.json", contents["dpia.pia.json"]).read_bytes()
    )


def test_an_identifier_written_into_dpia_yaml_fails_the_leak_scan(workbook_copy, tmp_path):
    """A DPO who names a person in dpia.yaml puts them in the export: the scan stops it."""
    email = pd.read_csv(workbook_copy / "requests.csv")["requester_email"].dropna().iloc[0]
    raw = yaml.safe_load((workbook_copy / "dpia.yaml").read_text(encoding="utf-8"))
    raw["consultation"][0]["who"] = email
    (workbook_copy / "dpia.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    wb = load_workbook(workbook_copy)
    out = tmp_path / "out"
    out.mkdir()
    write_export(out / "dpia.pia.json", api.exports_for(wb, PERIOD)["dpia.pia.json"])
    with pytest.raises(LeakError, match=r"dpia\.pia\.json"):
        scan_folder(wb, out, pdftotext=None)
