from pathlib import Path

from juro_privacy.rules import transfers
from juro_privacy.workbook import schemas
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
        # issue 16: a breach's id and its description could single out an incident
        "breaches": ["breach_id", "description"],
        "complaints": ["complaint_id"],  # its request_id is a checked requests.request_id
    }


def test_each_vocabulary_is_its_columns_allowed_values_in_order():
    col = schemas.TABLES_BY_NAME
    assert col["activities"].col("purpose").values == tuple(schemas.PURPOSES)
    assert col["requests"].col("type").values == tuple(schemas.REQUEST_TYPES)
    assert col["requests"].col("channel").values == tuple(schemas.CHANNELS)
    assert col["processors"].col("mechanism").values == tuple(schemas.MECHANISMS)
    # the law's module is the one declaration of the Art. 46 safeguards
    assert schemas.MECHANISMS is transfers.MECHANISMS


def test_each_vocabulary_labels_every_value_once():
    for vocabulary in (
        schemas.PURPOSES,
        schemas.REQUEST_TYPES,
        schemas.CHANNELS,
        schemas.WP248_CRITERIA,
    ):
        labels = list(vocabulary.values())
        assert all(isinstance(v, str) and v.strip() for v in labels), vocabulary
        assert len(set(labels)) == len(labels), vocabulary


def test_wp248_flags_are_criteria_in_wp248_order_and_the_registers_flag_columns():
    criteria = list(schemas.WP248_CRITERIA)
    assert len(criteria) == 9
    labels = list(schemas.WP248_CRITERIA.values())
    assert [label.split(" ", 1)[0] for label in labels] == [str(n) for n in range(1, 10)]
    assert list(schemas.WP248_FLAGS) == [c for c in criteria if c in schemas.WP248_FLAGS]
    activities = schemas.TABLES_BY_NAME["activities"]
    flags = [c for c in activities.columns if c.name in schemas.WP248_CRITERIA]
    assert [(c.name, c.kind, c.description) for c in flags] == [
        (k, "bool", v) for k, v in schemas.WP248_FLAGS.items()
    ]
