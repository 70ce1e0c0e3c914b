"""An area with nothing to judge it by shows "no evidence", not "holds": the registry
says what each area is judged by (``Topic.evidence``), so a new topic gets it too."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from juro_privacy.registry import TOPICS
from juro_privacy.topics.accountability.api import evidence_for
from juro_privacy.workbook.load import Workbook
from juro_privacy.workbook.schemas import METRICS, TABLES_BY_NAME


def _workbook(**tables: pd.DataFrame) -> Workbook:
    return Workbook(Path("."), None, dict(tables), {})  # type: ignore[arg-type]


def test_every_evidence_source_is_a_table_or_a_metric_of_the_contract():
    for topic in TOPICS:
        for source in topic.evidence:
            assert source in TABLES_BY_NAME or source in METRICS, (topic.name, source)


def test_empty_logs_are_no_evidence_and_a_record_is_evidence():
    one = pd.DataFrame({"x": [1]})
    empty = pd.DataFrame({"x": []})
    wb = _workbook(requests=one, risks=empty, breaches=empty, complaints=one, cookies=empty)
    assert evidence_for(wb, {"retention.delete_overdue_count": None}) == {
        "Requests": True,
        "Retention": False,  # no account counted
        "DPIA": False,  # an empty risks table
        "Cookies and consent": False,  # cookies empty, no consents, no sends
        "Breaches": False,  # an empty breach log: not "holds"
        "Complaints": True,
    }
    with_sends = _workbook(marketing_sends=one)
    assert evidence_for(with_sends, {"retention.delete_overdue_count": 0.0})["Retention"]
    assert evidence_for(with_sends, {})["Cookies and consent"]
