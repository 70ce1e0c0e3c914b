"""The requests report's protected counts: no table gives a hidden count away."""

from __future__ import annotations

import pandas as pd

from juro_privacy.topics.requests import counts as rc
from juro_privacy.workbook.schemas import CHANNELS, REQUEST_TYPES, TABLES_BY_NAME
from tests.topics.requests import test_report as base

# a fixture shared with test_request_report: pytest finds it under this name
sample = base.sample


def test_no_table_of_the_sample_report_gives_a_hidden_count_away(sample):
    _, _, trend = sample
    for q in trend:
        a = q.assessed
        status = rc.status_counts(a, 5)
        tables = [
            status,
            rc.ageing(a, status, 5),
            rc.extension_counts(a, 5),
            rc.forwarding_counts(a, status, 5),
        ]
        for by in ("type", "office", "channel"):
            tables.append(rc.on_time_counts(a, by, status, 5))
        for prot in tables:
            assert prot.recoverable() == [], q.period.label


def test_type_and_channel_labels_cover_exactly_the_contracts_vocabularies():
    requests = TABLES_BY_NAME["requests"]
    assert tuple(rc.TYPE_LABELS) == requests.col("type").values == tuple(REQUEST_TYPES)
    assert tuple(rc.CHANNEL_LABELS) == requests.col("channel").values == tuple(CHANNELS)
    for by, labels in (("type", rc.TYPE_LABELS), ("channel", rc.CHANNEL_LABELS)):
        assert rc.group_labels(by) == labels
        assert all(labels[v].strip() for v in labels)


def test_breakdown_rows_keep_the_reports_order():
    none = pd.DataFrame({"role": [], "type": [], "channel": []})
    assert rc.groups_of(none, "channel") == ["email", "chat", "web_form", "phone", "post"]
    assert rc.groups_of(none, "type") == [
        "access",
        "erasure",
        "portability",
        "rectification",
        "objection",
        "restriction",
        "marketing_opt_out",
    ]
    assert [rc.CHANNEL_LABELS[c] for c in rc.groups_of(none, "channel")] == [
        "E-mail",
        "Chat",
        "Web form",
        "Phone",
        "Post",
    ]
