"""The workbook's vocabulary mapped onto Fides' fideslang taxonomy, both ways.

The register's data categories carry their fideslang key in the ``categories`` table;
purposes, data subjects, lawful bases, Art. 9(2) conditions and transfer bases map
here. :mod:`juro_privacy.topics.register.fides` reads these tables to export the
register as a Fides datamap and to read one back into a workbook.

Every key written is one of the default taxonomy of the installed fideslang
(:data:`FIDESLANG_VERSION`), except the data subjects of :data:`CUSTOM_DATA_SUBJECTS`,
which the export declares in the same file as fideslang ``DataSubject`` resources
(``is_default: false``): the default taxonomy has no key for them.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from typing import Any, Final

#: The fideslang release (and so the default taxonomy) the keys below are checked
#: against; written into every export as ``fideslang_version``.
FIDESLANG_VERSION: Final[str] = version("fideslang")

#: Purpose -> fideslang data use (default taxonomy). Its keys are exactly the contract's
#: purposes (``juro_privacy.workbook.schemas.PURPOSES``); a test checks it.
PURPOSE_DATA_USE: Final[dict[str, str]] = {
    "service": "essential.service",
    "analytics": "analytics.reporting",
    "support": "essential.service.operations.support",
    "marketing": "marketing.communications.email",
}

#: Reading a datamap: a data use, or the nearest of its ancestors listed here, gives the
#: purpose (the longest prefix wins). A data use under none of them (``employment``,
#: ``train_ai_system``, ``third_party_sharing``, ...) is none of the policy's four
#: purposes and cannot be imported.
DATA_USE_PURPOSE: Final[dict[str, str]] = {
    "essential": "service",
    "essential.service": "service",
    "essential.service.operations.support": "support",
    "essential.service.notifications": "support",
    "functional.service": "service",
    "functional.service.improve": "analytics",
    "analytics": "analytics",
    "essential.service.operations.improve": "analytics",
    "marketing": "marketing",
}

#: Data subject -> fideslang data subject, for every one of the contract's
#: ``DATA_SUBJECTS`` (a test checks it). Counterparties are the people our customers
#: sign contracts with through the product: not our customers (fideslang's ``customer``
#: is "an individual or other organization that purchases goods or services from the
#: organization"), so they get a key of their own, declared in the export.
SUBJECT_KEYS: Final[dict[str, str]] = {
    "customers": "customer",
    "prospects": "prospect",
    "website_visitors": "visitor",
    "counterparties": "counterparty",
    "employees": "employee",
}

#: The data subjects the default taxonomy lacks, as fideslang ``DataSubject`` resources
#: (without ``organization_fides_key``, which the export sets).
CUSTOM_DATA_SUBJECTS: Final[dict[str, dict[str, Any]]] = {
    "counterparty": {
        "fides_key": "counterparty",
        "name": "Counterparty",
        "description": "A person who signs or is named in a contract that a customer of the "
        "organization makes through its product: the customer's counterparty, not a "
        "customer of the organization.",
        "is_default": False,
    },
}

#: Art. 6(1) lawful basis -> fideslang ``LegalBasisForProcessingEnum`` value. GDPR and
#: UK GDPR Art. 6(1)(a)-(f) (Regulation (EU) 2016/679, applying from 25 May 2018). The UK's
#: recognised legitimate interest, Art. 6(1)(ea) (inserted by DUAA 2025 s. 70, in force
#: 5 February 2026, SI 2026/82), has no fideslang value: it is not "Legitimate interests"
#: (Art. 6(1)(f), with its balancing test), so it is exported as no value and kept in
#: the system's ``meta``.
LAWFUL_BASIS_FIDES: Final[dict[str, str | None]] = {
    "consent": "Consent",
    "contract": "Contract",
    "legal_obligation": "Legal obligations",
    "vital_interests": "Vital interests",
    "public_task": "Public interest",
    "legitimate_interests": "Legitimate interests",
    "recognised_legitimate_interest": None,
}

#: Art. 9(2) point -> fideslang ``SpecialCategoryLegalBasisEnum`` value (GDPR and UK GDPR
#: Art. 9(2)(a)-(j), Regulation (EU) 2016/679, applying from 25 May 2018).
ART9_FIDES: Final[dict[str, str]] = {
    "a": "Explicit consent",
    "b": "Employment, social security and social protection",
    "c": "Vital interests",
    "d": "Not-for-profit bodies",
    "e": "Made public by the data subject",
    "f": "Legal claims or judicial acts",
    "g": "Reasons of substantial public interest (with a basis in law)",
    "h": "Health or social care (with a basis in law)",
    "i": "Public health (with a basis in law)",
    "j": "Archiving, research and statistics (with a basis in law)",
}

#: How an ``art9_condition`` names its Art. 9(2) point (``Art. 9(2)(a)``, ``9(2)(h)``).
ART9_POINT: Final = re.compile(r"9\s*\(\s*2\s*\)\s*\(\s*([a-j])\s*\)", re.IGNORECASE)

#: A flow's transfer status (``juro_privacy.rules.transfers``) and mechanism -> the
#: fideslang ``LegalBasisForTransfersEnum`` value it rests on: Art. 45 adequacy (UK GDPR
#: Art. 45A from 5 February 2026), the Art. 46(2) safeguards (EU SCCs, alone or with the
#: UK Addendum; BCRs, Art. 47), and "Other" for the UK IDTA (DPA 2018 s. 119A) and the
#: Art. 49(1) derogations, which fideslang does not name. An unsafeguarded transfer rests
#: on nothing: it is an international transfer with no basis.
TRANSFER_BASIS_FIDES: Final[dict[str, str]] = {
    "adequate": "Adequacy Decision",
    "derogation": "Other",
    "sccs": "SCCs",
    "sccs_2010": "SCCs",
    "uk_addendum": "SCCs",
    "bcr": "BCRs",
    "idta": "Other",
}

#: Reading a datamap without the workbook's own columns: the transfer basis -> the
#: processor's ``mechanism`` (the only two fideslang names one mechanism).
FIDES_TRANSFER_MECHANISM: Final[dict[str, str]] = {"SCCs": "sccs", "BCRs": "bcr"}

#: Reading a datamap: a data category's key, or the nearest of its ancestors listed here,
#: gives the category's group among the policy's five (``schemas.CATEGORY_GROUPS``).
CATEGORY_GROUP_BY_KEY: Final[dict[str, str]] = {
    "user": "identity_contact",
    "user.financial": "financial",
    "user.payment": "financial",
    "user.content": "contract_content",
    "user.device": "technical",
    "user.location": "technical",
    "user.authorization": "technical",
    "user.telemetry": "technical",
    "user.sensor": "technical",
    "user.user_sensor": "technical",
    "user.behavior": "usage",
    "user.privacy_preferences": "usage",
    "user.account.settings": "usage",
}

#: Special category data (GDPR and UK GDPR Art. 9(1)) by fideslang key: racial or
#: ethnic origin, political opinions, religious beliefs, health (genetic data among it),
#: sex life or sexual orientation, and biometric data, taken as processed to identify a
#: person (Art. 9(1) makes it special only then; correct ``special`` if it is not).
SPECIAL_FIDES: Final[tuple[str, ...]] = (
    "user.demographic.race_ethnicity",
    "user.demographic.political_opinion",
    "user.demographic.religious_belief",
    "user.demographic.sexual_orientation",
    "user.health_and_medical",
    "user.biometric",
    "user.authorization.biometric",
)

#: Personal data relating to criminal convictions and offences (Art. 10) by fideslang key.
CRIMINAL_FIDES: Final[tuple[str, ...]] = ("user.criminal_history",)


def fides_key(text: str) -> str:
    """A fideslang ``FidesKey`` (letters, digits, ``_``, ``.``, ``<``, ``>``, ``-``) from
    free text."""
    return re.sub(r"[^A-Za-z0-9_.<>-]+", "_", text.strip().lower()).strip("_")


def nearest(key: str, table: dict[str, str]) -> str | None:
    """The value of ``key``'s longest dotted prefix in ``table`` (``key`` itself first)."""
    parts = key.split(".")
    for n in range(len(parts), 0, -1):
        value = table.get(".".join(parts[:n]))
        if value is not None:
            return value
    return None


def under(key: str, prefixes: tuple[str, ...]) -> bool:
    """Whether ``key`` is one of ``prefixes`` or below one of them in the taxonomy."""
    return any(key == p or key.startswith(p + ".") for p in prefixes)


def art9_point(condition: str | None) -> str | None:
    """The Art. 9(2) point (``a`` to ``j``) an ``art9_condition`` names, if it names one."""
    found = ART9_POINT.search(condition or "")
    return found.group(1).lower() if found else None
