"""The registry is the one table of topics: a topic added there (with its api module) is
collected by the accountability report and the metrics without any other edit."""

from __future__ import annotations

import sys
import types

import pytest

from juro_privacy import registry, topics
from juro_privacy.findings import Finding, findings_frame
from juro_privacy.paths import sample_dir
from juro_privacy.periods import parse_period
from juro_privacy.registry import Topic
from juro_privacy.workbook.load import load_workbook

Q3 = parse_period("2026-Q3")


@pytest.fixture
def audits_topic(monkeypatch):
    """A hypothetical topic, as docs/adding-a-topic.md adds it: one registry entry and an
    api module (here made in memory instead of a folder). Not ``breaches``, which is a
    real topic now."""
    api = types.ModuleType("juro_privacy.topics.audits.api")

    def findings_for(wb, period):
        return findings_frame(
            [Finding("audits", "audit_overdue", "high", "Art. 5(2)", "1 audit", "late")]
        )

    def metrics_for(wb, period):
        return {"transfers.no_dpa_count": 42.0}  # a known name, so the registry keeps it

    api.findings_for = findings_for
    api.metrics_for = metrics_for
    monkeypatch.setitem(sys.modules, "juro_privacy.topics.audits.api", api)
    added = Topic("audits", "Audits", "Audits", "accountability", notebook=False)
    before_accountability = (*registry.TOPICS[:-1], added, *registry.TOPICS[-1:])
    monkeypatch.setattr(registry, "TOPICS", before_accountability)
    monkeypatch.setattr(topics, "TOPICS", before_accountability)
    return added


def test_the_hooks_find_a_topic_added_to_the_registry(audits_topic):
    names = [name for name, _ in topics.hooks("findings_for", below="accountability")]
    assert names == [
        "register",
        "flows",
        "requests",
        "retention",
        "dpia",
        "consent",
        "breaches",
        "complaints",
        "audits",
    ]


def test_its_findings_reach_the_accountability_collection(audits_topic):
    from juro_privacy.topics.accountability.api import collect_findings

    found = collect_findings(load_workbook(sample_dir()), Q3)
    assert list(found.loc[found["topic"] == "audits", "code"]) == ["audit_overdue"]


def test_its_metrics_reach_the_metric_registry(audits_topic):
    from juro_privacy.topics.metrics import compute_metrics

    values = compute_metrics(load_workbook(sample_dir()), Q3)
    # published after flows in registry order, so the added topic's value is the one kept
    assert values["transfers.no_dpa_count"] == 42.0


def test_registry_tables_derive_from_topics():
    assert registry.REPORTS == (
        "register",
        "flows",
        "requests",
        "retention",
        "dpia",
        "breaches",
        "complaints",
        "accountability",
    )
    assert registry.FINDING_TOPICS == (
        "register",
        "flows",
        "transfers",
        "requests",
        "retention",
        "dpia",
        "consent",
        "breaches",
        "complaints",
        "accountability",
    )
    assert registry.execution_order(list(registry.REPORTS)) == [
        "dpia",
        "retention",
        "requests",
        "accountability",
        "flows",
        "register",
        "breaches",
        "complaints",
    ]
    assert registry.report_of_area("Cookies and consent") == "accountability"
    assert list(registry.AREAS) == [
        "Register of processing",
        "Transfers",
        "Requests",
        "Retention",
        "DPIA",
        "Cookies and consent",
        "Breaches",
        "Complaints",
    ]
