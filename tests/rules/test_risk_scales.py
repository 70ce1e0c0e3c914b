"""Both risk scales against their sources, cell by cell; scoring, refusals, heat-map cells."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from juro_privacy.errors import WorkbookError
from juro_privacy.rules import risk_scales

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
    scale = risk_scales.risk_scale("ico")
    assert scale.likelihoods == ("remote", "possible", "probable")
    assert scale.severities == ("minimal", "significant", "severe")
    assert scale.levels == ICO_SOURCE
    assert all("ICO" in s for s in scale.sources.values())


def test_cnil_matrix_cell_by_cell():
    scale = risk_scales.risk_scale("cnil")
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
    ico = risk_scales.score_risks(risks(), risk_scales.risk_scale("ico")).iloc[0]
    assert (ico["level"], ico["residual_level"]) == ("high", "low")
    cnil = risk_scales.score_risks(
        risks(
            likelihood="maximum",
            severity="limited",
            residual_likelihood="limited",
            residual_severity="limited",
        ),
        risk_scales.risk_scale("cnil"),
    ).iloc[0]
    assert (cnil["level"], cnil["residual_level"]) == ("medium", "low")


def test_a_value_off_the_scale_names_file_row_and_column():
    with pytest.raises(WorkbookError) as err:
        risk_scales.score_risks(risks(severity="catastrophic"), risk_scales.risk_scale("ico"))
    problem = err.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("risks.csv", 2, "severity")


def test_an_evidence_metric_needs_its_comparison_and_threshold():
    # The metric's name is the data contract's to check (workbook/schemas.py METRICS).
    bad = risks(evidence_metric="requests.on_time_rate", evidence_comparison=None)
    with pytest.raises(WorkbookError) as err:
        risk_scales.score_risks(bad, risk_scales.risk_scale("ico"))
    problem = err.value.problems[0]
    assert (problem.reason, problem.column) == ("missing_value", "evidence_comparison")


def test_heatmap_cells_place_each_risk_before_and_after():
    scale = risk_scales.risk_scale("ico")
    cells = risk_scales.heatmap_cells(risk_scales.score_risks(risks(), scale), scale).set_index(
        ["when", "likelihood", "severity"]
    )
    assert cells.loc[("before measures", "possible", "severe"), "risks"] == "R1"
    assert cells.loc[("after measures", "remote", "significant"), "risks"] == "R1"
    assert cells["count"].sum() == 2
