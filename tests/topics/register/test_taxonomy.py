"""The fideslang mapping and the register's labels cover exactly the contract's vocabularies."""

from __future__ import annotations

from juro_privacy.topics.register.analysis import PURPOSE_LABELS
from juro_privacy.topics.register.taxonomy import PURPOSE_DATA_USE, SUBJECT_KEYS
from juro_privacy.workbook.schemas import DATA_SUBJECTS, PURPOSES, TABLES_BY_NAME


def test_purpose_labels_cover_exactly_the_contracts_purposes():
    assert tuple(PURPOSE_LABELS) == TABLES_BY_NAME["activities"].col("purpose").values
    assert tuple(PURPOSE_LABELS) == tuple(PURPOSES)
    assert all(label.strip() for label in PURPOSE_LABELS.values())
    assert list(PURPOSE_LABELS.values()) == [
        "Providing the service",
        "Analytics and improvement",
        "Support and service notices",
        "Marketing",
    ]


def test_fides_data_uses_cover_exactly_the_contracts_purposes():
    assert set(PURPOSE_DATA_USE) == set(PURPOSES)


def test_fides_data_subjects_cover_exactly_the_contracts_data_subjects():
    assert set(SUBJECT_KEYS) == set(DATA_SUBJECTS)
