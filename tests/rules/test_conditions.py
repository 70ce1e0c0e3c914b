"""Which DPA 2018 Sch. 1 conditions need an appropriate policy document (Sch. 1
paras 1(1)(b), 5(1), 36-38), read from the condition a workbook records."""

from __future__ import annotations

import pytest

from juro_privacy.rules.conditions import (
    POLICY_DOCUMENT_PARAGRAPHS,
    needs_policy_document,
    schedule_1_paragraph,
)


@pytest.mark.parametrize(
    ("condition", "paragraph"),
    [
        ("Sch. 1 para 10", 10),
        ("DPA 2018 Schedule 1, paragraph 1 (employment)", 1),
        ("Sch 1 para. 33 legal claims", 33),
        ("Art. 9(2)(a) explicit consent", None),
        ("", None),
        (None, None),
    ],
)
def test_the_paragraph_a_condition_cites(condition, paragraph):
    assert schedule_1_paragraph(condition) == paragraph


def test_the_paragraphs_that_need_a_document_written_out():
    # Part 1 para 1; Part 2 paras 6-28; Part 3 paras 36-37.
    assert sorted(POLICY_DOCUMENT_PARAGRAPHS) == [1, *range(6, 29), 36, 37]
    assert len(POLICY_DOCUMENT_PARAGRAPHS) == 26


@pytest.mark.parametrize(
    ("condition", "needed"),
    [
        ("Sch. 1 para 1", True),  # employment
        ("Sch. 1 para 2", False),  # health or social care
        ("Sch. 1 para 6", True),  # first substantial public interest condition
        ("Sch. 1 para 28", True),
        ("Sch. 1 para 29", False),  # consent, for criminal offence data
        ("Sch. 1 para 33", False),  # legal claims
        ("Sch. 1 para 36", True),  # Part 2 conditions extended to criminal offence data
        ("Art. 9(2)(f)", False),
    ],
)
def test_which_conditions_need_a_policy_document(condition, needed):
    assert needs_policy_document(condition) is needed
