from pathlib import Path

from juro_privacy.workbook.schemas import TABLES, contract_markdown, identifier_columns

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-contract.md"


def test_data_contract_doc_is_generated_from_the_schemas():
    assert DOC.read_text(encoding="utf-8") == contract_markdown() + "\n", (
        "docs/data-contract.md is stale: run `juro-privacy contract > docs/data-contract.md`"
    )


def test_every_table_and_column_is_documented():
    text = contract_markdown()
    for t in TABLES:
        assert f"## `{t.name}`" in text
        for c in t.columns:
            assert f"| `{c.name}` |" in text


def test_identifier_columns_are_marked():
    assert identifier_columns() == {
        "requests": ["request_id", "requester_email"],
        "accounts": ["account_id"],
        "consents": ["subject_id", "email"],
        "marketing_sends": ["subject_id"],
    }
