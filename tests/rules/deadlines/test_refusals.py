"""When an extension also moves a refusal's deadline (Art. 12(4)): the UK from
5 February 2026 (Art. 12A's "applicable time period"), never the EU GDPR."""

from __future__ import annotations

import pandas as pd

from juro_privacy.rules.deadlines import REFUSAL_EXTENSIONS, refusal_extendable


def test_the_uk_rule_starts_on_5_february_2026_and_the_eu_has_none():
    countries = pd.Series(["GB", "GB", "GB", "LV", "LV"])
    received = pd.Series(
        pd.to_datetime(["2026-02-04", "2026-02-05", "2026-11-30", "2026-02-05", "2030-01-01"])
    )
    assert refusal_extendable(countries, received).tolist() == [False, True, True, False, False]


def test_the_table_has_one_dated_row_with_its_source():
    assert [(r.country, r.since.isoformat(), r.extendable) for r in REFUSAL_EXTENSIONS] == [
        ("GB", "2026-02-05", True)
    ]
    assert "Art. 12A" in REFUSAL_EXTENSIONS[0].source
    assert "SI 2026/82" in REFUSAL_EXTENSIONS[0].source
