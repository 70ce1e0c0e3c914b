"""The requests topic on a workbook (``api``), and the topic's modules staying pure."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest

from juro_privacy.paths import sample_dir
from juro_privacy.periods import parse_period
from juro_privacy.topics import api_of
from juro_privacy.topics.requests import analysis as rq
from juro_privacy.topics.requests import api
from juro_privacy.workbook.load import Workbook, load_workbook
from juro_privacy.workbook.schemas import METRICS

Q3 = parse_period("2026-Q3")
TOPIC_DIR = Path(rq.__file__).parent
PURE = ("analysis.py", "report.py", "counts.py", "trend.py", "charts.py")


@pytest.fixture(scope="module")
def wb() -> Workbook:
    return load_workbook(sample_dir())


def imported(file: str) -> set[str]:
    """Every module and name ``file`` of the topic imports (``module`` and ``module.name``)."""
    tree = ast.parse((TOPIC_DIR / file).read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def test_the_registry_finds_the_hooks_of_the_topic():
    module = api_of("requests")
    assert module is api
    assert module.findings_for is api.findings_for
    assert module.metrics_for is api.metrics_for


def test_metrics_for_gives_the_exact_metrics_of_the_period(wb):
    values = api.metrics_for(wb, Q3)
    exact = rq.metrics(api.requests_for(wb, Q3))
    assert values == exact
    assert all(type(v) is float for v in values.values())  # plain floats, not numpy's
    assert set(values) <= set(METRICS)
    assert {METRICS[name].topic for name in values} == {"requests"}


def test_metrics_for_gives_none_not_nan_when_nothing_is_judged(wb):
    before = parse_period("2020-Q1")  # before the sample's first request
    assert api.requests_for(wb, before).empty
    assert math.isnan(rq.metrics(api.requests_for(wb, before))["requests.on_time_rate"])
    assert api.metrics_for(wb, before) == {
        "requests.on_time_rate": None,
        "requests.portability_wrong_format_count": 0.0,
        "requests.forwarding_on_time_rate": None,
    }


def test_quarters_for_reads_the_forwarding_target_of_the_workbook(wb):
    trend = api.quarters_for(wb, Q3, count=2)
    assert [q.period.label for q in trend] == ["2026-Q2", "2026-Q3"]
    assert trend[-1].assessed.equals(api.requests_for(wb, Q3))


@pytest.mark.parametrize("file", PURE)
def test_only_the_api_touches_a_workbook_or_the_run_cache(file):
    names = imported(file)
    assert not {n for n in names if n.startswith("juro_privacy.workbook.load")}
    assert "juro_privacy.run_cache" not in names


def test_the_analysis_imports_nothing_else_of_the_topic():
    topic = "juro_privacy.topics.requests"
    assert not {n for n in imported("analysis.py") if n.startswith(topic)}
