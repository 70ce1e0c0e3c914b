"""DPIA screening (WP248 rev.01, ICO list), both risk scales against their sources,
the Art. 36 flag, evidence that contradicts a rating, and dpia.yaml's checks."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pandas as pd
import pytest

from juro_privacy import dpia
from juro_privacy.errors import WorkbookError

FLAGS = dpia.FLAG_CRITERIA

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
    return dpia.screen(
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
    assert row["criteria_met"] == 0 and row["result"] == dpia.NOT_REQUIRED


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
    assert row["criteria_met"] == 2 and row["result"] == dpia.REQUIRED


def test_an_ico_mandatory_type_alone_makes_a_dpia_required():
    row = screen(activity(cats=("usage", "content"), source="collected")).loc["A1"]
    assert row["criteria_met"] == 1
    assert row["result"] == dpia.REQUIRED
    assert "combining, comparing or matching" in row["ico_types"]


def test_ico_large_scale_type_needs_special_category_data_not_financial():
    card = screen(activity(cats=("card",)), counts={"customers": 5000}).loc["A1"]
    health = screen(activity(cats=("health",)), counts={"customers": 5000}).loc["A1"]
    assert "special category" not in card["ico_types"]
    assert "special category or criminal offence data on a large scale" in health["ico_types"]


# ---------------------------------------------------------------- scales

ICO_SOURCE = {  # ICO DPIA guidance risk matrix: likelihood x severity
    ("remote", "minimal"): "low",
    ("remote", "significant"): "low",
    ("remote", "severe"): "medium",
    ("possible", "minimal"): "low",
    ("possible", "significant"): "medium",
    ("possible", "severe"): "high",
    ("probable", "minimal"): "low",
    ("probable", "significant"): "high",
    ("probable", "severe"): "high",
}
CNIL = ("negligible", "limited", "significant", "maximum")


def _cnil_source(lk: str, sv: str) -> str:
    """CNIL PIA methodology risk map: high on both axes is high, high on one is medium."""
    high_l, high_s = CNIL.index(lk) >= 2, CNIL.index(sv) >= 2
    return "high" if high_l and high_s else "medium" if high_l or high_s else "low"


def test_ico_matrix_cell_by_cell():
    scale = dpia.risk_scale("ico")
    assert scale.likelihoods == ("remote", "possible", "probable")
    assert scale.severities == ("minimal", "significant", "severe")
    assert scale.levels == ICO_SOURCE
    assert all("ICO" in s for s in scale.sources.values())


def test_cnil_matrix_cell_by_cell():
    scale = dpia.risk_scale("cnil")
    assert scale.likelihoods == CNIL and scale.severities == CNIL
    for lk in CNIL:
        for sv in CNIL:
            assert scale.level(lk, sv) == _cnil_source(lk, sv), (lk, sv)
    assert all("CNIL" in s for s in scale.sources.values())


def risks(**overrides):
    row = {
        "risk_id": "R1",
        "activity_id": "A1",
        "risk": "Re-identification",
        "rights_affected": "Confidentiality",
        "likelihood": "possible",
        "severity": "severe",
        "measures": "Mask",
        "measure_owner": "Head of Data",
        "measure_due": dt.date(2026, 12, 31),
        "measure_status": "planned",
        "residual_likelihood": "remote",
        "residual_severity": "significant",
        "evidence_metric": None,
        "evidence_comparison": None,
        "evidence_threshold": None,
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_scoring_on_both_scales():
    ico = dpia.score_risks(risks(), dpia.risk_scale("ico")).iloc[0]
    assert (ico["level"], ico["residual_level"]) == ("high", "low")
    cnil = dpia.score_risks(
        risks(
            likelihood="maximum",
            severity="limited",
            residual_likelihood="limited",
            residual_severity="limited",
        ),
        dpia.risk_scale("cnil"),
    ).iloc[0]
    assert (cnil["level"], cnil["residual_level"]) == ("medium", "low")


def test_a_value_off_the_scale_names_file_row_and_column():
    with pytest.raises(WorkbookError) as err:
        dpia.score_risks(risks(severity="catastrophic"), dpia.risk_scale("ico"))
    problem = err.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("risks.csv", 2, "severity")


def test_unknown_evidence_metric_is_refused():
    bad = risks(evidence_metric="requests.happiness", evidence_comparison=">", evidence_threshold=0)
    with pytest.raises(WorkbookError) as err:
        dpia.score_risks(bad, dpia.risk_scale("ico"))
    problem = err.value.problems[0]
    assert problem.reason == "unknown_metric" and problem.column == "evidence_metric"


def test_high_residual_risk_flags_prior_consultation():
    scale = dpia.risk_scale("ico")
    high = dpia.score_risks(
        risks(residual_likelihood="possible", residual_severity="severe"), scale
    )
    low = dpia.score_risks(risks(), scale)
    assert list(dpia.prior_consultation(high)["risk_id"]) == ["R1"]
    assert "Prior consultation required (Art. 36(1))" in dpia.art36_markdown(high)
    assert dpia.prior_consultation(low).empty
    assert "not required" in dpia.art36_markdown(low)


def test_heatmap_cells_place_each_risk_before_and_after():
    scale = dpia.risk_scale("ico")
    cells = dpia.heatmap_cells(dpia.score_risks(risks(), scale), scale).set_index(
        ["when", "likelihood", "severity"]
    )
    assert cells.loc[("before measures", "possible", "severe"), "risks"] == "R1"
    assert cells.loc[("after measures", "remote", "significant"), "risks"] == "R1"
    assert cells["count"].sum() == 2


# ---------------------------------------------------------------- evidence


def _evidence(current, previous=None, **overrides):
    scale = dpia.risk_scale("ico")
    row = {
        "evidence_metric": "retention.delete_overdue_count",
        "evidence_comparison": ">",
        "evidence_threshold": 0.0,
        **overrides,
    }
    scored = dpia.score_risks(risks(**row), scale)
    return dpia.evidence(scored, current, previous or {}, scale).iloc[0]


def test_evidence_contradicting_a_remote_residual_likelihood():
    ev = _evidence({"retention.delete_overdue_count": 14.0}, {"retention.delete_overdue_count": 9})
    assert ev["contradicts"]
    assert ev["evidence"].startswith("contradicts the rating: residual likelihood remote")
    assert "is 14" in ev["evidence"]
    assert (ev["this period"], ev["last period"]) == ("14", "9")


def test_evidence_that_does_not_hold_supports_the_rating():
    ev = _evidence({"retention.delete_overdue_count": 0.0})
    assert not ev["contradicts"] and ev["evidence"] == "supports the rating"


def test_evidence_on_a_likely_rating_does_not_contradict():
    ev = _evidence({"retention.delete_overdue_count": 3.0}, residual_likelihood="possible")
    assert not ev["contradicts"]


def test_a_missing_metric_is_no_evidence_never_zero():
    ev = _evidence({"retention.delete_overdue_count": None}, {})
    assert ev["evidence"] == dpia.NO_EVIDENCE and not ev["contradicts"]
    assert ev["this period"] == dpia.NO_EVIDENCE and ev["last period"] == dpia.NO_EVIDENCE


def test_rates_print_as_percentages():
    ev = _evidence(
        {"requests.on_time_rate": 0.75},
        evidence_metric="requests.on_time_rate",
        evidence_comparison="<",
        evidence_threshold=0.95,
    )
    assert ev["this period"] == "75%" and ev["contradicts"]


# ---------------------------------------------------------------- dpia.yaml

GOOD = {
    "title": "Analytics",
    "activities": ["A1"],
    "nature": "n",
    "scope": "s",
    "context": "c",
    "purposes": "p",
    "consultation": [{"who": "board", "how": "workshop", "when": "2026-07-01", "summary": "ok"}],
    "sign_off": {
        "measures_approved_by": "Head of Data",
        "dpo_advice_accepted": True,
        "next_review": dt.date(2027, 3, 31),
    },
}


def test_a_good_dpia_yaml_parses():
    doc = dpia.parse_dpia(GOOD, {"A1"})
    assert doc.activities == ("A1",) and doc.sign_off["next_review"] == dt.date(2027, 3, 31)
    assert "<th>Next review</th><td>2027-03-31</td>" in dpia.signature_html(doc, "DPO")


def test_dpia_yaml_problems_name_the_file_and_key():
    raw = {**GOOD, "activities": ["A9"], "colour": "red", "nature": ""}
    raw["sign_off"] = {"dpo_advice_accepted": False}
    with pytest.raises(WorkbookError) as err:
        dpia.parse_dpia(raw, {"A1"})
    where = {(p.file, p.column, p.reason) for p in err.value.problems}
    assert ("dpia.yaml", "activities", "unknown_reference") in where
    assert ("dpia.yaml", "colour", "unknown_key") in where
    assert ("dpia.yaml", "nature", "missing_text") in where
    assert ("dpia.yaml", "sign_off.dpo_advice_reason", "missing_text") in where


def test_sample_dpia_covers_analytics_and_machine_learning():
    from juro_privacy.paths import sample_dir
    from juro_privacy.periods import parse_period
    from juro_privacy.workbook import load_workbook

    wb = load_workbook(sample_dir())
    doc = dpia.dpia_for(wb)
    assert doc is not None and doc.activities == ("A05", "A06")
    screening = dpia.screening_for(wb, parse_period("2026-Q3")).set_index("activity_id")
    assert screening.loc["A05", "result"] == screening.loc["A06", "result"] == dpia.REQUIRED
    assert "A12" not in screening.index  # ended before the period
    scored = dpia.risks_for(wb, doc.activities)
    assert list(dpia.prior_consultation(scored)["risk_id"]) == ["R05"]


# ---------------------------------------------------------------- the printed DPIA

HEADINGS = (
    "1. The need for a DPIA",
    "2. The processing",
    "3. Consultation",
    "4. Necessity and proportionality",
    "5. Risks",
    "6. Measures",
    "7. Sign-off and outcomes",
)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_dpia_pdf_has_every_section_and_every_risk(tmp_path):
    from juro_privacy.render import find_chromium
    from juro_privacy.run import RunOptions, run_reports

    if find_chromium() is None:
        pytest.skip("needs Chromium")
    result = run_reports(RunOptions(out=tmp_path, only=("dpia",), pdf=True))
    pdf = result.folder / "dpia.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for heading in HEADINGS:
        assert heading in flat, heading
    for risk in pd.read_csv(dpia.PACKAGE / "sample_workbook" / "risks.csv")["risk"]:
        assert risk in flat, risk
    assert "Prior consultation required (Art. 36(1))" in flat
    assert "Signature" in flat and "Next review" in flat
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info
    manifest = json.loads((result.folder / "manifest.json").read_text())
    assert "dpia.yaml" in manifest["inputs"]


def test_the_run_refuses_a_bad_dpia_yaml_and_off_scale_risk_before_running(workbook_copy, tmp_path):
    from juro_privacy.run import RunOptions, run_reports
    from tests.conftest import set_cell

    path = workbook_copy / "dpia.yaml"
    path.write_text(path.read_text().replace("activities: [A05, A06]", "activities: [A99]"))
    set_cell(workbook_copy / "risks.csv", 4, "residual_likelihood", "unlikely")
    with pytest.raises(WorkbookError) as err:
        run_reports(RunOptions(data_dir=workbook_copy, out=tmp_path / "out", pdf=False))
    text = str(err.value)
    assert "dpia.yaml, column 'activities': 'A99' is not an activity_id" in text
    assert "risks.csv, row 4, column 'residual_likelihood'" in text
    assert err.value.exit_code == 2


def test_validate_command_reports_a_bad_dpia_yaml(workbook_copy):
    from tests.conftest import run_cli

    (workbook_copy / "dpia.yaml").write_text("title: x\n")
    proc = run_cli("validate", str(workbook_copy))
    assert proc.returncode == 2
    assert "dpia.yaml, column 'activities'" in proc.stderr + proc.stdout
