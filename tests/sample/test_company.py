"""The bundled sample is exactly what the generator writes with the default seed."""

from __future__ import annotations

from juro_privacy.paths import sample_dir
from juro_privacy.sample import company
from juro_privacy.sample.company import write_sample
from juro_privacy.workbook.load import load_workbook
from juro_privacy.workbook.schemas import CHANNELS, REQUEST_TYPES, TABLES_BY_NAME


def test_committed_sample_is_byte_identical_to_a_fresh_generation(tmp_path):
    fresh = write_sample(tmp_path / "fresh")
    committed = sorted(p.name for p in sample_dir().iterdir() if p.is_file())
    generated = sorted(p.name for p in fresh.iterdir() if p.is_file())
    assert committed == generated
    for name in committed:
        assert (sample_dir() / name).read_bytes() == (fresh / name).read_bytes(), (
            f"{name} differs: regenerate with `juro-privacy sample juro_privacy/sample/workbook`"
        )


def test_another_seed_gives_another_valid_company(tmp_path):
    other = write_sample(tmp_path / "other", seed=7, accounts=300)
    assert (other / "requests.csv").read_bytes() != (sample_dir() / "requests.csv").read_bytes()
    wb = load_workbook(other)
    assert len(wb.requests) > 100


def test_sample_spans_at_least_eight_quarters():
    wb = load_workbook(sample_dir())
    received = wb.requests["received_at"]
    local = received.dt.tz_convert("Europe/London").dt.tz_localize(None)
    quarters = local.dt.to_period("Q").nunique()
    assert quarters >= 8


def test_identifier_columns_hold_synthetic_values_only():
    wb = load_workbook(sample_dir())
    assert wb.requests["requester_email"].str.endswith("@example.com").all()
    assert wb.consents["email"].str.endswith("@example.com").all()


def test_sample_tables_use_the_contracts_columns_and_vocabularies():
    assert list(company.ACTIVITIES[0]) == TABLES_BY_NAME["activities"].column_names
    assert list(company.REQUEST_TYPE_WEIGHTS) == list(REQUEST_TYPES)
    assert list(company.CHANNEL_WEIGHTS) == list(CHANNELS)
    assert abs(sum(company.REQUEST_TYPE_WEIGHTS.values()) - 1) < 1e-9
    assert abs(sum(company.CHANNEL_WEIGHTS.values()) - 1) < 1e-9
