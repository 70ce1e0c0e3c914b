"""The requests report's protected counts: no table gives a hidden count away."""

from __future__ import annotations

from juro_privacy.topics.requests import counts as rc
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
