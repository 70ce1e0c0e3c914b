"""DPIA screening: does an activity need a DPIA? (UK GDPR Art. 35(1), (3), (4)).

Each activity carried out in the period is checked against the nine criteria of the
EDPB-endorsed WP29 *Guidelines on DPIA* (WP248 rev.01, section III.B.a) and the ICO's
list of processing that always needs a DPIA (ICO guidance *When do we need to do a
DPIA?*; UK GDPR Art. 35(4)). Two or more criteria, or any ICO type, means "DPIA
required". Pure functions over small frames; ``*_for`` wrappers take a :class:`Workbook`.
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
#: The policy's "data you give" and "data we collect" columns, by category group.
GIVEN_GROUPS = ("identity_contact", "financial", "contract_content")
COLLECTED_GROUPS = ("technical", "usage")
#: Highly personal data beyond Art. 9/10 (WP248 criterion 4: financial, location data).
HIGHLY_PERSONAL_FIDES = ("user.financial", "user.location")
#: Data subjects whose record count the workbook can tell (large scale, criterion 5).
SUBJECT_TABLES = {"customers": "accounts", "prospects": "consents"}


@dataclass(frozen=True)
class IcoType:
    """One entry of the ICO's list of processing that always needs a DPIA."""

    key: str
    text: str
    needs: tuple[str, ...]  # criteria that must all be met
    plus_one_of: tuple[str, ...] = ()  # and at least one of these (empty: none needed)


#: ICO, *When do we need to do a DPIA?* ("You must do a DPIA if you plan to ..."),
#: the entries the register and the data can show.
ICO_TYPES: tuple[IcoType, ...] = (
    IcoType(
        "ico_profiling_significant",
        "systematic and extensive profiling with significant effects",
        ("profiling", "automated_decisions"),
    ),
    IcoType(
        "ico_large_scale_sensitive",
        "special category or criminal offence data on a large scale",
        ("special_category", "large_scale"),
    ),
    IcoType(
        "ico_innovative",
        "innovative technology in combination with any other criterion",
        ("innovative_technology",),
        tuple(k for k, _ in CRITERIA if k != "innovative_technology"),
    ),
    IcoType(
        "ico_denial_of_service",
        "profiling, automated decisions or special data to decide access to a service",
        ("prevents_rights",),
        ("profiling", "automated_decisions", "sensitive_data"),
    ),
    IcoType(
        "ico_large_scale_profiling", "profiling on a large scale", ("profiling", "large_scale")
    ),
    IcoType(
        "ico_data_matching",
        "combining, comparing or matching data from multiple sources",
        ("combining",),
    ),
    IcoType(
        "ico_tracking",
        "tracking online or offline behaviour, in combination with any other criterion",
        ("systematic_monitoring",),
        tuple(k for k, _ in CRITERIA if k != "systematic_monitoring"),
    ),
    IcoType(
        "ico_vulnerable",
        "profiling or automated decisions about vulnerable people",
        ("vulnerable_subjects",),
        ("profiling", "automated_decisions"),
    ),
)


# ---------------------------------------------------------------- screening


def _sources_of(source: str) -> set[str]:
    return {"given", "collected"} if source == "both" else {source}


def record_counts(counts: Mapping[str, int | None], subjects: tuple[str, ...]) -> int | None:
    """Records of an activity's data subjects the workbook holds; ``None`` if it cannot tell."""
    known = [counts.get(s) for s in subjects if counts.get(s) is not None]
    return sum(int(c) for c in known if c is not None) if known else None


def screen(
    activities: pd.DataFrame,
    categories: pd.DataFrame,
    subject_counts: Mapping[str, int | None],
    *,
    large_scale_threshold: int,
) -> pd.DataFrame:
    """Screen every activity against WP248 rev.01's nine criteria and the ICO's list.

    Returns one row per activity: ``activity_id``, ``activity``, a boolean column per
    criterion, ``criteria_met`` (count), ``ico_types`` (text), ``result``
    (:data:`REQUIRED` or :data:`NOT_REQUIRED`) and ``reasons`` (one line per
    criterion or ICO type met).
    """
    groups = dict(zip(categories["category_id"], categories["group"], strict=True))
    names = dict(zip(categories["category_id"], categories["name"], strict=True))
    fides = dict(zip(categories["category_id"], categories["fides_key"], strict=True))
    special = {
        c for c, s in zip(categories["category_id"], categories["special"], strict=True) if s
    }
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
        own = _sources_of(str(act["source"]))
        foreign = [
            names[c]
            for c in cats
            if ("given" if groups.get(c) in GIVEN_GROUPS else "collected") not in own
            and groups.get(c) in GIVEN_GROUPS + COLLECTED_GROUPS
        ]
        if foreign:
            kind = "given by people" if "collected" in own else "collected automatically"
            met["combining"] = (
                f"joins data {kind} ({', '.join(foreign)}) with data it "
                f"{'collects automatically' if 'collected' in own else 'is given'}"
            )
        facts = set(met) | ({"special_category"} if sensitive else set())
        ico = [
            t
            for t in ICO_TYPES
            if all(n in facts for n in t.needs)
            and (not t.plus_one_of or any(o in met for o in t.plus_one_of))
        ]
        required = len(met) >= 2 or bool(ico)
        labels = dict(CRITERIA)
        reasons = [f"{labels[k]}: {met[k]}" for k, _ in CRITERIA if k in met]
        reasons += [f"ICO list: {t.text}" for t in ico]
        row: dict[str, Any] = {"activity_id": act["activity_id"], "activity": act["name"]}
        row.update({k: k in met for k, _ in CRITERIA})
        row.update(
            criteria_met=len(met),
            ico_types="; ".join(t.text for t in ico),
            result=REQUIRED if required else NOT_REQUIRED,
            reasons="\n".join(reasons),
        )
        rows.append(row)
    columns = ["activity_id", "activity", *(k for k, _ in CRITERIA)]
    columns += ["criteria_met", "ico_types", "result", "reasons"]
    return pd.DataFrame(rows, columns=columns)


def screening_view(screening: pd.DataFrame) -> pd.DataFrame:
    """The screening as a DPO reads it: a tick per criterion met, the result, the reasons."""
    out = screening[["activity_id", "activity"]].copy()
    for key, label in CRITERIA:
        out[label.split(" ", 1)[0]] = screening[key].map({True: "✓", False: ""})
    out["result"] = screening["result"]
    out["reasons"] = screening["reasons"].str.replace("\n", "; ")
    return out
