"""The DPIA document: the Art. 36 flag, dpia.yaml's checks, the sample DPIA and the
printed report. Screening, scales and evidence have their own test files."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import pandas as pd
import pytest

from juro_privacy.errors import WorkbookError
from juro_privacy.paths import PACKAGE
from juro_privacy.rules import risk_scales
from juro_privacy.topics.dpia import api
from juro_privacy.topics.dpia import document as dpia
from juro_privacy.topics.dpia.screening import REQUIRED
from juro_privacy.workbook import dpia_yaml
from tests.rules.test_risk_scales import risks


def test_high_residual_risk_flags_prior_consultation():
    scale = risk_scales.risk_scale("ico")
    high = risk_scales.score_risks(
        risks(residual_likelihood="possible", residual_severity="severe"), scale
    )
    low = risk_scales.score_risks(risks(), scale)
    assert list(dpia.prior_consultation(high)["risk_id"]) == ["R1"]
    assert "Prior consultation required (Art. 36(1))" in dpia.art36_markdown(high)
    assert dpia.prior_consultation(low).empty
    assert "not required" in dpia.art36_markdown(low)


def test_prior_consultation_names_each_offices_authority():
    from juro_privacy.paths import sample_dir
    from juro_privacy.periods import parse_period
    from juro_privacy.workbook.load import load_workbook

    wb = load_workbook(sample_dir())
    authorities = api.authorities_for(wb, parse_period("2026-Q3"))
    assert [a.short for a in authorities] == ["ICO", "DVI"]  # London, then Riga
    scale = risk_scales.risk_scale("ico")
    high = risk_scales.score_risks(
        risks(residual_likelihood="possible", residual_severity="severe"), scale
    )
    assert dpia.art36_markdown(high, authorities).endswith(
        "The processing must not start until the supervisory authority has been consulted "
        "(the Information Commissioner's Office, ICO, for processing under the UK GDPR; "
        "the Data State Inspectorate, DVI, for processing under the GDPR), unless further "
        "measures bring the residual risk down."
    )
    assert "has been consulted, unless" in dpia.art36_markdown(high)  # none given


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
    doc = dpia_yaml.parse_dpia(GOOD, {"A1"})
    assert doc.activities == ("A1",) and doc.sign_off["next_review"] == dt.date(2027, 3, 31)
    assert "<th>Next review</th><td>2027-03-31</td>" in dpia.signature_html(doc, "DPO")


def test_dpia_yaml_problems_name_the_file_and_key():
    raw = {**GOOD, "activities": ["A9"], "colour": "red", "nature": ""}
    raw["sign_off"] = {"dpo_advice_accepted": False}
    with pytest.raises(WorkbookError) as err:
        dpia_yaml.parse_dpia(raw, {"A1"})
    where = {(p.file, p.column, p.reason) for p in err.value.problems}
    assert ("dpia.yaml", "activities", "unknown_reference") in where
    assert ("dpia.yaml", "colour", "unknown_key") in where
    assert ("dpia.yaml", "nature", "missing_text") in where
    assert ("dpia.yaml", "sign_off.dpo_advice_reason", "missing_text") in where


def test_sample_dpia_covers_analytics_and_machine_learning():
    from juro_privacy.paths import sample_dir
    from juro_privacy.periods import parse_period
    from juro_privacy.workbook.load import load_workbook

    wb = load_workbook(sample_dir())
    doc = api.dpia_for(wb)
    assert doc is not None and doc.activities == ("A05", "A06")
    screening = api.screening_for(wb, parse_period("2026-Q3")).set_index("activity_id")
    assert screening.loc["A05", "result"] == screening.loc["A06", "result"] == REQUIRED
    assert "A12" not in screening.index  # ended before the period
    scored = api.risks_for(wb, doc.activities)
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
def test_dpia_pdf_has_every_section_and_every_risk(sample_run):
    """The printed DPIA of the session's run of the sample (``tests/conftest.py``)."""
    pdf = sample_run.q3 / "dpia.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for heading in HEADINGS:
        assert heading in flat, heading
    for risk in pd.read_csv(PACKAGE / "sample" / "workbook" / "risks.csv")["risk"]:
        assert risk in flat, risk
    assert "Prior consultation required (Art. 36(1))" in flat
    assert "Signature" in flat and "Next review" in flat
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info
    manifest = json.loads((sample_run.q3 / "manifest.json").read_text())
    assert "dpia.yaml" in manifest["inputs"]


def test_the_run_refuses_a_bad_dpia_yaml_and_off_scale_risk_before_running(workbook_copy, tmp_path):
    from juro_privacy.run.orchestrate import RunOptions, run_reports
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
