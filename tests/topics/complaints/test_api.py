"""The complaints topic on the bundled sample (``juro_privacy/sample/complaints.py``).

Expected figures counted by hand from the nine rows of the sample, as of 30 September
2026: CP-2026-001 received 12 June (before s. 164A: no clock); 002 acknowledged the day
it came (in time); 003 received 3 July, due 2 August, acknowledged 10 August (8 days
late, taken to the ICO); 004 Riga's processing (EU: no clock); 005 in time; 006
received 20 August, due 19 September, not acknowledged (11 days overdue); 007 handled
in London about Riga's processing (EU: no clock); 008 in time; 009 due 28 October.
Open (no outcome told): 004, 006, 007, 008, 009.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from juro_privacy.paths import sample_dir
from juro_privacy.periods import parse_period
from juro_privacy.topics.complaints import api
from juro_privacy.workbook.load import load_workbook

Q3 = parse_period("2026-Q3")


@pytest.fixture(scope="module")
def wb():
    return load_workbook(sample_dir())


def test_the_samples_third_quarter(wb):
    handled = api.complaints_for(wb, Q3)
    assert list(handled["complaint_id"]) == [f"CP-2026-00{i}" for i in range(1, 10)]
    assert list(handled["status"]) == [
        "no_duty",
        "in_time",
        "late",
        "no_duty",
        "in_time",
        "overdue",
        "no_duty",
        "in_time",
        "not_due",
    ]
    assert list(handled["regime"]) == [
        "GB-ENG",
        "GB-ENG",
        "GB-ENG",
        "LV",
        "GB-ENG",
        "GB-ENG",
        "LV",
        "GB-ENG",
        "GB-ENG",
    ]


def test_the_samples_metrics(wb):
    assert api.metrics_for(wb, Q3) == {
        "complaints.ack_late_count": 1.0,
        "complaints.ack_overdue_count": 1.0,
        "complaints.open_count": 5.0,
        "complaints.escalated_count": 1.0,
    }


def test_the_samples_findings(wb):
    found = api.findings_for(wb, Q3)
    assert list(zip(found["code"], found["severity"], strict=True)) == [
        ("ack_overdue", "high"),
        ("ack_late", "medium"),
    ]
    assert "11 days past" in found["detail"].iloc[0]
    assert "8 days after" in found["detail"].iloc[1]


def test_the_second_quarter_holds_the_two_june_complaints_still_open(wb):
    handled = api.complaints_for(wb, parse_period("2026-Q2"))
    assert list(handled["complaint_id"]) == ["CP-2026-001", "CP-2026-002"]
    assert api.findings_for(wb, parse_period("2026-Q2")).empty


def test_without_a_complaints_table_there_is_no_evidence(tmp_path: Path):
    root = tmp_path / "wb"
    shutil.copytree(sample_dir(), root)
    (root / "complaints.csv").unlink()
    bare = load_workbook(root)
    assert api.metrics_for(bare, Q3) == dict.fromkeys(api.METRIC_NAMES)
    assert len(api.METRIC_NAMES) == 4
    assert api.findings_for(bare, Q3).empty
    assert api.complaints_for(bare, Q3).empty
