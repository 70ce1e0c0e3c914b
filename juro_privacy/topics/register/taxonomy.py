"""Mapping the workbook's vocabulary onto Fides' fideslang taxonomy.

The register's data categories carry their fideslang key in the ``categories``
table; purposes and data subjects map here. Exported as a fideslang ``System``
with one privacy declaration per activity, so tools that speak that taxonomy can
read the register.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from juro_privacy.findings import records

#: Purpose -> fideslang data use (fideslang default taxonomy). Its keys are exactly the
#: contract's purposes (``juro_privacy.workbook.schemas.PURPOSES``); a test checks it.
PURPOSE_DATA_USE = {
    "service": "essential.service",
    "analytics": "analytics.reporting",
    "support": "essential.service.operations.support",
    "marketing": "marketing.communications.email",
}

#: Data subject -> fideslang data subject, for every one of the contract's
#: ``DATA_SUBJECTS`` (a test checks it). Counterparties are the customers of
#: our customers: fideslang has no closer key than ``customer``.
SUBJECT_KEYS = {
    "customers": "customer",
    "prospects": "prospect",
    "website_visitors": "visitor",
    "counterparties": "customer",
    "employees": "employee",
}


def fides_key(text: str) -> str:
    """A fideslang ``FidesKey`` (letters, digits, ``_``, ``.``, ``-``) from free text."""
    return re.sub(r"[^A-Za-z0-9_.<>-]+", "_", text.strip().lower()).strip("_")


def fides_system(
    activities: pd.DataFrame, categories: pd.DataFrame, *, organisation: str
) -> dict[str, Any]:
    """The register as one fideslang ``System`` (one privacy declaration per activity)."""
    keys = dict(zip(categories["category_id"], categories["fides_key"], strict=True))
    declarations = []
    for a in records(activities):
        declarations.append(
            {
                "name": f"{a['activity_id']} {a['name']}",
                "data_categories": sorted({keys[c] for c in a["data_categories"]}),
                "data_use": PURPOSE_DATA_USE[a["purpose"]],
                "data_subjects": sorted({SUBJECT_KEYS[s] for s in a["data_subjects"]}),
                "dataset_references": [],
            }
        )
    return {
        "fides_key": fides_key(organisation),
        "name": organisation,
        "description": "Record of processing activities (Art. 30) exported by juro_privacy",
        "system_type": "Service",
        "privacy_declarations": declarations,
    }
