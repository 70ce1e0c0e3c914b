"""Evidence from the data for a risk's rating: supports it, contradicts it, or none."""

from __future__ import annotations

from juro_privacy.rules import risk_scales
from juro_privacy.topics.dpia import evidence as risk_evidence
from tests.rules.test_risk_scales import risks


def _evidence(current, previous=None, **overrides):
    scale = risk_scales.risk_scale("ico")
    row = {
        "evidence_metric": "retention.delete_overdue_count",
        "evidence_comparison": ">",
        "evidence_threshold": 0.0,
        **overrides,
    }
    scored = risk_scales.score_risks(risks(**row), scale)
    return risk_evidence.evidence(scored, current, previous or {}, scale).iloc[0]


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
    assert ev["evidence"] == risk_evidence.NO_EVIDENCE and not ev["contradicts"]
    assert (
        ev["this period"] == risk_evidence.NO_EVIDENCE
        and ev["last period"] == risk_evidence.NO_EVIDENCE
    )


def test_rates_print_as_percentages():
    ev = _evidence(
        {"requests.on_time_rate": 0.75},
        evidence_metric="requests.on_time_rate",
        evidence_comparison="<",
        evidence_threshold=0.95,
    )
    assert ev["this period"] == "75%" and ev["contradicts"]
