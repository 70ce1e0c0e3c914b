"""The settings a workbook gets when its ``workbook.yaml`` omits them.

The expected values are written out here from what the project documents (the
commented template ``juro-privacy init`` writes, and the docs that name a default), not
read from :class:`juro_privacy.workbook.config.WorkbookConfig`: changing a default must
fail a test until the template, the docs and this file agree again.
"""

from __future__ import annotations

import shutil
from dataclasses import fields
from pathlib import Path

import pytest
import yaml

from juro_privacy.paths import sample_dir
from juro_privacy.workbook.config import CONFIG_TEMPLATE, WorkbookConfig, parse_config
from juro_privacy.workbook.load import load_config, load_workbook

DOCS = Path(__file__).resolve().parents[2] / "docs"

#: Every optional setting and its documented default.
DOCUMENTED_DEFAULTS = {
    "controller_contact": "",  # Art. 30(1)(a); empty is a register finding (docs/register.md)
    "dpo_contact": "",
    "complaint_routes": "",  # DPA 2018 s. 164A(2); shown, not judged (docs/complaints.md)
    "timezone": "Europe/London",
    "default_period": "2026-Q3",
    "small_count_threshold": 5,  # counts below 5 print as "<5" (docs/requests.md)
    "risk_scale": "ico",
    "forward_target_working_days": 5,  # docs/requests.md
    "large_scale_threshold": 10_000,  # WP248 criterion 5 (docs/dpia.md)
    "cookie_max_months": 13,  # CNIL: 13 months (docs/claims.md)
    "opt_out_grace_days": 2,  # house tolerance (docs/consent.md)
    "transfer_assessment_review_months": 12,  # house policy (docs/transfers.md)
    "earliest_year": 1900,
    "latest_year": 2100,
}
REQUIRED = ("organisation", "dpo")
MINIMAL_YAML = "organisation: Example Ltd\ndpo: Data Protection Officer\n"


def test_the_settings_are_the_required_two_and_the_documented_defaults() -> None:
    names = [f.name for f in fields(WorkbookConfig)]
    assert sorted(names) == sorted([*REQUIRED, *DOCUMENTED_DEFAULTS])


def test_a_minimal_workbook_yaml_gets_every_documented_default(tmp_path: Path) -> None:
    (tmp_path / "workbook.yaml").write_text(MINIMAL_YAML, encoding="utf-8")
    config, problems = load_config(tmp_path)
    assert problems == []
    assert config is not None
    assert config.organisation == "Example Ltd"
    assert config.dpo == "Data Protection Officer"
    got = {name: getattr(config, name) for name in DOCUMENTED_DEFAULTS}
    assert got == DOCUMENTED_DEFAULTS


@pytest.mark.parametrize(("setting", "expected"), list(DOCUMENTED_DEFAULTS.items()))
def test_each_default_on_its_own(setting: str, expected: object) -> None:
    config, problems = parse_config(yaml.safe_load(MINIMAL_YAML))
    assert problems == [] and config is not None
    assert getattr(config, setting) == expected


def test_the_sample_with_a_minimal_workbook_yaml_loads_with_the_defaults(tmp_path: Path) -> None:
    """Through the whole loader: the sample's tables, its settings file cut to the two
    required settings."""
    root = tmp_path / "workbook"
    shutil.copytree(sample_dir(), root)
    (root / "workbook.yaml").write_text(MINIMAL_YAML, encoding="utf-8")
    config = load_workbook(root).config
    assert config.small_count_threshold == 5
    assert config.opt_out_grace_days == 2
    assert config.cookie_max_months == 13
    assert config.large_scale_threshold == 10_000  # the sample itself sets 1000
    assert config.transfer_assessment_review_months == 12


def test_the_init_template_shows_the_documented_defaults() -> None:
    """``juro-privacy init`` writes CONFIG_TEMPLATE; it says "the rest have the defaults
    shown", so what it shows must be the defaults."""
    raw = yaml.safe_load(CONFIG_TEMPLATE)
    assert raw.pop("organisation") == "" and raw.pop("dpo") == ""
    raw["default_period"] = str(raw["default_period"])
    assert raw == DOCUMENTED_DEFAULTS
    filled = CONFIG_TEMPLATE.replace('organisation: ""', "organisation: Example Ltd").replace(
        'dpo: ""', "dpo: Data Protection Officer"
    )
    config, problems = parse_config(yaml.safe_load(filled))
    assert problems == [] and config is not None
    assert config == WorkbookConfig("Example Ltd", "Data Protection Officer")


@pytest.mark.parametrize(
    ("doc", "says"),
    [
        ("requests.md", "`small_count_threshold` (default 5)"),
        ("requests.md", "the day of receipt (default 5, set in `workbook.yaml`)"),
        ("transfers.md", "(`transfer_assessment_review_months`, default 12)"),
        ("flows.md", "(`transfer_assessment_review_months` in workbook.yaml, default 12)"),
        ("consent.md", "`opt_out_grace_days` (default 2)"),
        ("claims.md", "`cookie_max_months` in `workbook.yaml`, default 13"),
        ("dpia.md", "`large_scale_threshold` in `workbook.yaml` (default 10,000)"),
    ],
)  # fmt: skip
def test_the_docs_state_the_same_defaults(doc: str, says: str) -> None:
    text = " ".join((DOCS / doc).read_text(encoding="utf-8").split())
    assert says in text, f"docs/{doc} no longer says {says!r}"
