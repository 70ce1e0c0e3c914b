"""docs/claims.md stays true: every metric and comparison, and an example row that parses."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest

from juro_privacy.workbook.schemas import COMPARISONS, METRICS, TABLES_BY_NAME

PAGE = Path(__file__).resolve().parents[2] / "docs" / "claims.md"


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def test_every_known_metric_is_listed_with_its_description(page: str) -> None:
    missing = [name for name in METRICS if f"`{name}`" not in page]
    assert not missing, f"docs/claims.md does not list {missing}"
    stale = [m.name for m in METRICS.values() if m.description not in page]
    assert not stale, f"docs/claims.md does not give the registry's description of {stale}"


def test_every_comparison_is_listed(page: str) -> None:
    missing = [op for op in COMPARISONS if f"`{op}`" not in page]
    assert not missing, f"docs/claims.md does not list the comparisons {missing}"


def test_example_row_parses_as_a_policy_claim(page: str) -> None:
    blocks = re.findall(r"^```csv\n(.*?)^```", page, flags=re.DOTALL | re.MULTILINE)
    assert len(blocks) == 1, "docs/claims.md should show exactly one ```csv example"
    example = pd.read_csv(io.StringIO(blocks[0]), dtype=str, keep_default_na=False)
    table = TABLES_BY_NAME["policy_claims"]
    assert list(example.columns) == [c.name for c in table.columns]
    assert len(example) >= 1
    for row in example.to_dict("records"):
        assert row["metric"] in METRICS
        assert row["comparison"] in COMPARISONS
        float(row["threshold"])
        assert all(row[c.name] for c in table.columns if c.required)
