"""DPIA screening: does an activity need a DPIA? (GDPR and UK GDPR Art. 35(1), (3), (4)).

Each activity carried out in the period is checked against the nine criteria of the
EDPB-endorsed WP29 *Guidelines on DPIA* (WP248 rev.01, section III.B.a), the
regulation's own list (Art. 35(3)(a) and (b)) and, per office, its authority's
Art. 35(4) list: the ICO's for London (ICO, *Examples of processing 'likely to result
in high risk'*); for Riga the Latvian DVI's, which is not encoded and the reasons say
so. Two or more criteria, or any listed type, means "DPIA required". Criterion 6,
combining datasets, is read from the register (``combines``: the operations whose
data an activity combines); the ICO's broader "data matching" (personal data obtained
from multiple sources) also from ``matches_sources``, for London only.
Pure functions over small frames; ``*_for`` wrappers take a :class:`Workbook`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from juro_privacy.findings import records
from juro_privacy.workbook.schemas import WP248_CRITERIA, WP248_FLAGS

REQUIRED = "DPIA required"
NOT_REQUIRED = "not required"

#: WP248 rev.01's nine criteria, in its order: (key, label). Declared in the data
#: contract (``juro_privacy.workbook.schemas.WP248_CRITERIA``).
CRITERIA: tuple[tuple[str, str], ...] = tuple(WP248_CRITERIA.items())
#: Criteria only a person can judge: read from the register's flags
#: (``juro_privacy.workbook.schemas.WP248_FLAGS``).
FLAG_CRITERIA: tuple[str, ...] = tuple(WP248_FLAGS)
#: Highly personal data beyond Art. 9/10 (WP248 criterion 4: financial, location data).
HIGHLY_PERSONAL_FIDES = ("user.financial", "user.location")
#: Biometric data (Art. 4(14)) by fideslang key; with ``special`` set, it is processed to
#: uniquely identify a person (Art. 9(1)), the ICO's biometric type.
BIOMETRIC_FIDES = ("user.biometric", "user.authorization.biometric")
#: Genetic data (Art. 4(13)) by fideslang key.
GENETIC_FIDES = ("user.health_and_medical.genetic",)
#: The register columns that record a fact of the ICO's list, and the fact's name.
ICO_REGISTER_FACTS = {
    "art14_exemption": "invisible",
    "children_online_service": "children_online",
    "breach_endangers_safety": "physical_harm",
}
#: Data subjects whose record count the workbook can tell (large scale, criterion 5).
SUBJECT_TABLES = {"customers": "accounts", "prospects": "consents"}


@dataclass(frozen=True)
class IcoType:
    """One entry of the ICO's list of processing that always needs a DPIA."""

    key: str
    text: str
    needs: tuple[str, ...]  # criteria that must all be met
    plus_one_of: tuple[str, ...] = ()  # and at least one of these (empty: none needed)


#: GDPR and UK GDPR Art. 35(3): the regulation's own list, for every office.
ART_35_3: tuple[IcoType, ...] = (
    IcoType(
        "art35_3_a",
        "Art. 35(3)(a): systematic and extensive evaluation, including profiling, on which "
        "decisions with legal or similarly significant effects are based",
        ("profiling", "automated_decisions"),
    ),
    IcoType(
        "art35_3_b",
        "Art. 35(3)(b): special category or criminal offence data on a large scale",
        ("special_category", "large_scale"),
    ),
)

#: The ICO's Art. 35(4) list, for activities run from a UK office (ICO, *Examples of
#: processing 'likely to result in high risk'*, checked 2026-12-02): all ten of its
#: types. Five need "any other criterion from WP248rev01" beside them (innovative
#: technology, biometric data, genetic data, invisible processing, tracking); the other
#: five are enough alone. Biometric and genetic data are read from the categories'
#: fideslang keys (:data:`BIOMETRIC_FIDES`, :data:`GENETIC_FIDES`); invisible
#: processing, online services offered to children and the risk of physical harm from
#: the register's ``art14_exemption``, ``children_online_service`` and
#: ``breach_endangers_safety``. The Latvian authority's (DVI) Art. 35(4) list of
#: 18 December 2018 is not encoded: Riga's activities are screened against WP248 and
#: Art. 35(3), and :data:`DVI_NOTE` says so in the reasons.
ICO_TYPES: tuple[IcoType, ...] = (
    IcoType(
        "ico_innovative",
        "innovative technology in combination with any other criterion",
        ("innovative_technology",),
        tuple(k for k, _ in CRITERIA if k != "innovative_technology"),
    ),
    IcoType(
        "ico_denial_of_service",
        "decisions about access to a product, service, opportunity or benefit based to any "
        "extent on automated decision-making (including profiling) or on special category "
        "data",
        ("prevents_rights",),
        ("profiling", "automated_decisions", "special_category"),
    ),
    IcoType(
        "ico_large_scale_profiling", "profiling on a large scale", ("profiling", "large_scale")
    ),
    IcoType(
        "ico_biometric",
        "biometric data for the purpose of uniquely identifying an individual, in "
        "combination with any other criterion",
        ("biometric",),
        tuple(k for k, _ in CRITERIA if k != "sensitive_data"),
    ),
    IcoType(
        "ico_genetic",
        "genetic data (other than by a GP or health professional for direct care), in "
        "combination with any other criterion",
        ("genetic",),
        tuple(k for k, _ in CRITERIA if k != "sensitive_data"),
    ),
    IcoType(
        "ico_data_matching",
        "combining, comparing or matching personal data obtained from multiple sources",
        (),
        ("combining", "matching"),
    ),
    IcoType(
        "ico_invisible",
        "invisible processing: data not obtained from the person, who is not told "
        "because Art. 14(5)(b) is relied on, in combination with any other criterion",
        ("invisible",),
        tuple(k for k, _ in CRITERIA),
    ),
    IcoType(
        "ico_tracking",
        "tracking online or offline behaviour, in combination with any other criterion",
        ("systematic_monitoring",),
        tuple(k for k, _ in CRITERIA if k != "systematic_monitoring"),
    ),
    IcoType(
        "ico_vulnerable",
        "children's or other vulnerable people's data used for marketing, profiling or "
        "other automated decisions",
        ("vulnerable_subjects",),
        ("profiling", "automated_decisions", "marketing"),
    ),
    IcoType(
        "ico_children_online",
        "an online service offered directly to children",
        ("children_online",),
    ),
    IcoType(
        "ico_physical_harm",
        "a personal data breach could jeopardise people's physical health or safety",
        ("physical_harm",),
    ),
)

DVI_NOTE = (
    "Riga (EU GDPR): the Latvian authority's Art. 35(4) list (DVI, 18 December 2018) is "
    "not encoded; check it by hand"
)


# ---------------------------------------------------------------- screening


def record_counts(counts: Mapping[str, int | None], subjects: tuple[str, ...]) -> int | None:
    """Records of an activity's data subjects the workbook holds; ``None`` if it cannot tell."""
    known = [counts.get(s) for s in subjects if counts.get(s) is not None]
    return sum(int(c) for c in known if c is not None) if known else None


def combined_with(act: Mapping[str, Any], activities: pd.DataFrame) -> list[str]:
    """The operations whose data an activity combines, as the register records them
    (``combines``: WP248 criterion 6, datasets "originating from two or more data
    processing operations performed for different purposes and/or by different data
    controllers in a way that would exceed the reasonable expectations of the data
    subject"; only a person can judge those expectations). Each as ``A01 Accounts,
    login and settings (service)``, or ``(a customer's data)`` for an activity done as
    processor, whose controller is the customer."""
    named = {str(a["activity_id"]): a for a in records(activities)}
    out = []
    combines = act.get("combines")
    for aid in combines if isinstance(combines, (tuple, list)) else ():
        other = named.get(str(aid))
        if other is None:
            out.append(str(aid))
            continue
        why = "a customer's data" if other.get("role") == "processor" else other["purpose"]
        out.append(f"{aid} {other['name']} ({why})")
    return out


def screen(
    activities: pd.DataFrame,
    categories: pd.DataFrame,
    subject_counts: Mapping[str, int | None],
    *,
    large_scale_threshold: int,
    regimes: Mapping[str, set[str]] | None = None,
) -> pd.DataFrame:
    """Screen every activity against WP248 rev.01's nine criteria, GDPR Art. 35(3) and
    the list of the authority of each office it is run from.

    ``regimes`` gives each activity's regimes (``UK``, ``EU``; from its offices): the
    ICO's list (:data:`ICO_TYPES`) applies to UK activities (and to all when
    ``regimes`` is ``None``); an EU activity's reasons carry :data:`DVI_NOTE`.

    Returns one row per activity: ``activity_id``, ``activity``, a boolean column per
    criterion, ``criteria_met`` (count), ``art35_3`` and ``ico_types`` (text),
    ``result`` (:data:`REQUIRED` or :data:`NOT_REQUIRED`) and ``reasons`` (one line
    per criterion or listed type met).
    """
    names = dict(zip(categories["category_id"], categories["name"], strict=True))
    fides = dict(zip(categories["category_id"], categories["fides_key"], strict=True))
    special = {
        c for c, s in zip(categories["category_id"], categories["special"], strict=True) if s
    }
    if "criminal" in categories:
        criminal = categories["criminal"].astype("boolean").fillna(False).astype(bool)
        special |= set(categories.loc[criminal, "category_id"])
    rows: list[dict[str, Any]] = []
    for act in records(activities):
        cats: tuple[str, ...] = act["data_categories"] or ()
        met: dict[str, str] = {}
        for flag in FLAG_CRITERIA:
            if bool(act[flag]) if pd.notna(act[flag]) else False:
                met[flag] = "flagged in the register"
        sensitive = [names[c] for c in cats if c in special]
        personal = [
            names[c] for c in cats if str(fides.get(c, "")).startswith(HIGHLY_PERSONAL_FIDES)
        ]
        if sensitive:
            met["sensitive_data"] = "special category data: " + ", ".join(sensitive)
        elif personal:
            met["sensitive_data"] = "highly personal data: " + ", ".join(personal)
        count = record_counts(subject_counts, act["data_subjects"] or ())
        if count is not None and count > large_scale_threshold:
            met["large_scale"] = (
                f"{count:,} records of its data subjects > {large_scale_threshold:,}"
            )
        combined = combined_with(act, activities)
        if combined:
            met["combining"] = "combines the data of " + "; ".join(combined)
        facts = set(met) | ({"special_category"} if sensitive else set())
        if act.get("matches_sources") is True:
            facts.add("matching")  # the ICO's wording: data obtained from multiple sources
        facts |= {fact for col, fact in ICO_REGISTER_FACTS.items() if act.get(col) is True}
        keys = {c: str(fides.get(c, "")) for c in cats}
        if any(k.startswith(BIOMETRIC_FIDES) for c, k in keys.items() if c in special):
            facts.add("biometric")
        if any(k.startswith(GENETIC_FIDES) for k in keys.values()):
            facts.add("genetic")
        facts |= {"marketing"} if act.get("purpose") == "marketing" else set()
        where = regimes.get(act["activity_id"], set()) if regimes is not None else {"UK"}
        listed = [t for t in ART_35_3 if _applies(t, facts)]
        ico = [t for t in ICO_TYPES if _applies(t, facts)] if "UK" in where else []
        required = len(met) >= 2 or bool(ico) or bool(listed)
        labels = dict(CRITERIA)
        reasons = [f"{labels[k]}: {met[k]}" for k, _ in CRITERIA if k in met]
        reasons += [t.text for t in listed]
        reasons += [f"ICO list: {t.text}" for t in ico]
        reasons += [DVI_NOTE] if "EU" in where else []
        row: dict[str, Any] = {"activity_id": act["activity_id"], "activity": act["name"]}
        row.update({k: k in met for k, _ in CRITERIA})
        row.update(
            criteria_met=len(met),
            art35_3="; ".join(t.text for t in listed),
            ico_types="; ".join(t.text for t in ico),
            result=REQUIRED if required else NOT_REQUIRED,
            reasons="\n".join(reasons),
        )
        rows.append(row)
    columns = ["activity_id", "activity", *(k for k, _ in CRITERIA)]
    columns += ["criteria_met", "art35_3", "ico_types", "result", "reasons"]
    return pd.DataFrame(rows, columns=columns)


def _applies(kind: IcoType, facts: set[str]) -> bool:
    """Whether a listed type's criteria are all met, and one of its ``plus_one_of``."""
    return all(n in facts for n in kind.needs) and (
        not kind.plus_one_of or any(o in facts for o in kind.plus_one_of)
    )


def screening_view(screening: pd.DataFrame) -> pd.DataFrame:
    """The screening as a DPO reads it: a tick per criterion met, the result, the reasons."""
    out = screening[["activity_id", "activity"]].copy()
    for key, label in CRITERIA:
        out[label.split(" ", 1)[0]] = screening[key].map({True: "✓", False: ""})
    out["result"] = screening["result"]
    out["reasons"] = screening["reasons"].str.replace("\n", "; ")
    return out
