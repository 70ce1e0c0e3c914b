"""``register.xlsx`` in the shape of the ICO's documentation templates.

The ICO publishes one record-of-processing template for controllers and one for
processors ("Documentation", ICO guide to accountability and governance, checked
2026-12-02): one row per processing activity, one column per item Art. 30 requires,
plus the items it recommends recording beside them (the Art. 6 lawful basis, the
Art. 9 condition, the source of the data). Each column here is headed by the letter
of UK GDPR / GDPR Art. 30(1) or 30(2) it answers, so that a regulator who asks for the
record (Art. 30(4)) can read it against the article; columns the article does not
require carry no letter.

:func:`register_sheets` lays the period's register out as those two sheets, with the
flow table (the columns a reader needs: ``flows.csv`` has them all) and the register's
and the flows' findings of the period beside them.
"""

from __future__ import annotations

import pandas as pd

#: The controller's record, Art. 30(1): register column to heading.
CONTROLLER_COLUMNS = {
    "activity_id": "Ref.",
    "activity": "Processing activity",
    "controller": "(a) Controller",
    "controller_contact": "(a) Controller's contact details",
    "dpo": "(a) Data protection officer",
    "dpo_contact": "(a) DPO's contact details",
    "purpose": "(b) Purposes of the processing",
    "lawful_basis": "Lawful basis (Art. 6)",
    "art9_condition": "Special category condition (Art. 9)",
    "data_subjects": "(c) Categories of data subjects",
    "data_categories": "(c) Categories of personal data",
    "special_categories": "(c) Special categories of personal data",
    "criminal_offence_data": "(c) Criminal convictions and offences data",
    "art10_condition": "Criminal offence data condition (Art. 10)",
    "source": "Source of the data",
    "recipients": "(d) Categories of recipients",
    "third_country_transfers": "(e) Transfers to third countries and their safeguards",
    "retention": "(f) Time limits for erasure",
    "security_measures": "(g) Technical and organisational security measures",
    "systems": "Systems",
}

#: The processor's record, Art. 30(2): register column to heading (``processor`` is
#: the organisation itself, added by :func:`register_sheets`).
PROCESSOR_COLUMNS = {
    "activity_id": "Ref.",
    "activity": "Processing activity",
    "processor": "(a) Processor",
    "processor_contact": "(a) Processor's contact details",
    "controller": "(a) Controller on whose behalf the processor acts",
    "dpo": "(a) Data protection officer",
    "dpo_contact": "(a) DPO's contact details",
    "purpose": "(b) Categories of processing carried out for each controller",
    "data_categories": "Categories of personal data",
    "third_country_transfers": "(c) Transfers to third countries and their safeguards",
    "security_measures": "(d) Technical and organisational security measures",
    "systems": "Systems",
}

#: The flow table as a reader of the record needs it: each flow, where it goes and how
#: it is judged (every column, for filtering, is in ``flows.csv``).
FLOW_COLUMNS = {
    "office_name": "From (office)",
    "regime": "Regime",
    "activity_id": "Ref.",
    "activity": "Processing activity",
    "processor": "To (processor)",
    "country": "Country",
    "category": "Categories of personal data",
    "mechanism": "Transfer mechanism",
    "status_at_start": "Status on the first day",
    "status_at_end": "Status on the last day",
    "changed_on": "Status changed on",
    "transfer_derogation": "Art. 49 derogation",
}

CONTROLLER_SHEET = "Controller (Art. 30(1))"
PROCESSOR_SHEET = "Processor (Art. 30(2))"
FLOWS_SHEET = "Flows"
FINDINGS_SHEET = "Findings"


def register_sheets(
    register: pd.DataFrame,
    flows: pd.DataFrame,
    findings: pd.DataFrame,
    *,
    organisation: str,
) -> dict[str, pd.DataFrame]:
    """The sheets of ``register.xlsx``, in order: the controller's record (activities
    whose ``role`` is ``controller``), the processor's record (``processor``, with
    ``organisation`` as the processor), the flow table (its reader's columns) and the
    findings, each headed for a reader (the Art. 30 letter first where the article
    requires the column)."""
    as_controller = register[register["role"] == "controller"]
    contact = next(iter(register.loc[register["role"] == "controller", "controller_contact"]), "")
    as_processor = register[register["role"] == "processor"].assign(
        processor=organisation, processor_contact=contact
    )
    return {
        CONTROLLER_SHEET: _headed(as_controller, CONTROLLER_COLUMNS),
        PROCESSOR_SHEET: _headed(as_processor, PROCESSOR_COLUMNS),
        FLOWS_SHEET: _headed(flows, FLOW_COLUMNS),
        FINDINGS_SHEET: findings.reset_index(drop=True),
    }


def _headed(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    return frame.loc[:, list(columns)].rename(columns=columns).reset_index(drop=True)
