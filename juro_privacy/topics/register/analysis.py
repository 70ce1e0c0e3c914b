"""The record of processing activities (UK GDPR and GDPR Art. 30).

Pure functions: tables in, tables out. ``build_register`` lays out the Art. 30(1)
record (Art. 30(2) for activities carried out as a processor), ``register_findings``
checks it, ``diff_registers`` compares it with the previous period's export.
"""

from __future__ import annotations

import pandas as pd

from juro_privacy.findings import Finding, findings_frame, records
from juro_privacy.periods import Period, active_in
from juro_privacy.workbook.schemas import PURPOSES

TOPIC = "register"

#: Export columns in the order of Art. 30(1)(a)-(g), with the id and role first.
REGISTER_COLUMNS = [
    "activity_id",
    "activity",
    "role",
    "controller",  # (a) name and contact details of the controller
    "dpo",  # (a) and of the data protection officer
    "purpose",  # (b) purposes of the processing
    "lawful_basis",  # Art. 6(1), recorded beside (b) as the ICO's template does
    "data_subjects",  # (c) categories of data subjects
    "data_categories",  # (c) categories of personal data
    "special_categories",  # (c) Art. 9 data held
    "art9_condition",  # Art. 9(2) condition relied on
    "source",  # Art. 13/14: given by the person or collected
    "recipients",  # (d) categories of recipients
    "third_country_transfers",  # (e) transfers and their safeguards
    "retention",  # (f) envisaged time limits for erasure
    "security_measures",  # (g) technical and organisational measures
    "systems",
]

#: How the register names each purpose, in its column order: the data contract's
#: vocabulary (``juro_privacy.workbook.schemas.PURPOSES``).
PURPOSE_LABELS: dict[str, str] = PURPOSES


def _join(values: tuple[str, ...] | None, names: dict[str, str] | None = None) -> str:
    if not values:
        return ""
    return "; ".join(names.get(v, v) if names else v for v in values)


def build_register(
    activities: pd.DataFrame,
    categories: pd.DataFrame,
    processors: pd.DataFrame,
    retention_rules: pd.DataFrame,
    *,
    organisation: str,
    dpo: str,
    period: Period,
    transfers: pd.Series | None = None,
) -> pd.DataFrame:
    """The Art. 30 record for ``period``: one row per activity, columns in Art. 30(1) order.

    ``transfers`` (indexed by activity id) fills Art. 30(1)(e) once the transfer rules
    have judged each flow; without it the column lists the recipients' countries.
    """
    acts = active_in(activities, period)
    cat_names = dict(zip(categories["category_id"], categories["name"], strict=True))
    special = set(categories.loc[categories["special"].astype(bool), "category_id"])
    proc_names = dict(zip(processors["processor_id"], processors["name"], strict=True))
    proc_country = dict(zip(processors["processor_id"], processors["country"], strict=True))
    rules = dict(zip(retention_rules["rule_id"], retention_rules["description"], strict=True))

    def countries(recipients: tuple[str, ...]) -> str:
        seen = sorted({proc_country[r] for r in recipients if r in proc_country})
        return ", ".join(seen)

    out = pd.DataFrame(
        {
            "activity_id": acts["activity_id"],
            "activity": acts["name"],
            "role": acts["role"],
            "controller": [
                c if r == "processor" and isinstance(c, str) else organisation
                for r, c in zip(acts["role"], acts["controller"], strict=True)
            ],
            "dpo": dpo,
            "purpose": acts["purpose"].map(PURPOSE_LABELS),
            "lawful_basis": acts["lawful_basis"].fillna(""),
            "data_subjects": acts["data_subjects"].map(_join),
            "data_categories": acts["data_categories"].map(lambda v: _join(v, cat_names)),
            "special_categories": acts["data_categories"].map(
                lambda v: _join(tuple(x for x in v if x in special), cat_names)
            ),
            "art9_condition": acts["art9_condition"].fillna(""),
            "source": acts["source"],
            "recipients": acts["recipients"].map(lambda v: _join(v, proc_names)),
            "third_country_transfers": (
                acts["activity_id"].map(transfers).fillna("")
                if transfers is not None
                else acts["recipients"].map(countries)
            ),
            "retention": acts["retention_rule"].fillna("").map(lambda r: rules.get(r, "")),
            "security_measures": acts["security_measures"],
            "systems": acts["systems"].map(_join),
        }
    )
    out["lawful_basis"] = out["lawful_basis"].astype(str)
    out["art9_condition"] = out["art9_condition"].astype(str)
    out["retention"] = out["retention"].fillna("").astype(str)
    return out[REGISTER_COLUMNS].astype(str)


def register_findings(
    activities: pd.DataFrame,
    categories: pd.DataFrame,
    processors: pd.DataFrame,
    period: Period,
) -> pd.DataFrame:
    """Check the record of processing for ``period``; one finding per fault.

    - a controller activity without a lawful basis (Art. 6(1));
    - special-category data without an Art. 9(2) condition (Art. 9);
    - a category collected that no purpose uses (Art. 5(1)(c), data minimisation);
    - a recipient that is not a listed processor (Art. 28(1), Art. 30(1)(d));
    - an activity without a retention rule (Art. 5(1)(e), Art. 30(1)(f)).
    """
    acts = active_in(activities, period)
    special = set(categories.loc[categories["special"].astype(bool), "category_id"])
    known = set(processors["processor_id"])
    found: list[Finding] = []
    for a in records(acts):
        subject = f"{a['activity_id']} {a['name']}"
        if a["role"] == "controller" and pd.isna(a["lawful_basis"]):
            found.append(
                Finding(
                    TOPIC,
                    "no_lawful_basis",
                    "high",
                    "Art. 6(1)",
                    subject,
                    "No lawful basis is recorded for this controller activity.",
                )
            )
        held = sorted(set(a["data_categories"]) & special)
        if held and a["role"] == "controller" and pd.isna(a["art9_condition"]):
            found.append(
                Finding(
                    TOPIC,
                    "special_without_condition",
                    "high",
                    "Art. 9(2)",
                    subject,
                    f"Holds special-category data ({', '.join(held)}) with no "
                    "Art. 9(2) condition recorded.",
                )
            )
        for r in a["recipients"]:
            if r not in known:
                found.append(
                    Finding(
                        TOPIC,
                        "recipient_not_processor",
                        "medium",
                        "Art. 28(1); Art. 30(1)(d)",
                        subject,
                        f"Recipient '{r}' is not a listed processor: no Art. 28 "
                        "contract is on record.",
                    )
                )
        if pd.isna(a["retention_rule"]):
            found.append(
                Finding(
                    TOPIC,
                    "no_retention_rule",
                    "medium",
                    "Art. 5(1)(e); Art. 30(1)(f)",
                    subject,
                    "No retention rule: the register cannot state when the data is erased.",
                )
            )
    used = {c for cats in acts["data_categories"] for c in cats}
    for c in records(categories):
        if c["category_id"] not in used:
            found.append(
                Finding(
                    TOPIC,
                    "category_unused",
                    "medium",
                    "Art. 5(1)(c)",
                    f"category {c['category_id']}",
                    f"'{c['name']}' is collected but no activity in the register uses it.",
                )
            )
    return findings_frame(found)


def category_purpose_matrix(
    activities: pd.DataFrame, categories: pd.DataFrame, period: Period
) -> pd.DataFrame:
    """Activities per data category (rows) and purpose (columns), for the heat map."""
    acts = active_in(activities, period)
    pairs = [
        (c, PURPOSE_LABELS[p])
        for cats, p in zip(acts["data_categories"], acts["purpose"], strict=True)
        for c in cats
    ]
    names = dict(zip(categories["category_id"], categories["name"], strict=True))
    frame = pd.DataFrame(pairs, columns=["category", "purpose"])
    matrix = pd.crosstab(frame["category"], frame["purpose"])
    matrix = matrix.reindex(
        index=list(categories["category_id"]), columns=list(PURPOSE_LABELS.values()), fill_value=0
    )
    matrix.index = [names[c] for c in matrix.index]
    matrix.index.name = "data category"
    matrix.columns.name = "purpose"
    return matrix.astype("int64")


def source_mix(activities: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Activities by where the data comes from: given by the person, collected, or both."""
    acts = active_in(activities, period)
    labels = {"given": "Data you give", "collected": "Data we collect", "both": "Both"}
    counts = acts["source"].map(labels).value_counts()
    return (
        counts.reindex(list(labels.values()), fill_value=0)
        .rename_axis("source")
        .reset_index(name="activities")
    )


def diff_registers(previous: pd.DataFrame | None, current: pd.DataFrame) -> pd.DataFrame:
    """What changed in the register since the previous period's export.

    One row per added, removed or changed activity; for a change, the columns that
    differ. ``previous`` is ``None`` when no earlier run exists.
    """
    columns = ["change", "activity_id", "activity", "fields"]
    if previous is None:
        return pd.DataFrame(columns=columns)
    prev = previous.fillna("").astype(str).set_index("activity_id")
    cur = current.fillna("").astype(str).set_index("activity_id")
    rows: list[tuple[str, str, str, str]] = []
    for aid in cur.index.difference(prev.index):
        rows.append(("added", str(aid), str(cur.at[aid, "activity"]), ""))
    for aid in prev.index.difference(cur.index):
        rows.append(("removed", str(aid), str(prev.at[aid, "activity"]), ""))
    shared = [str(c) for c in cur.columns if c in prev.columns]
    for aid in cur.index.intersection(prev.index):
        changed = [c for c in shared if str(cur.at[aid, c]) != str(prev.at[aid, c])]
        if changed:
            rows.append(("changed", str(aid), str(cur.at[aid, "activity"]), ", ".join(changed)))
    order = {"added": 0, "removed": 1, "changed": 2}
    rows.sort(key=lambda r: (order[r[0]], r[1]))
    return pd.DataFrame(rows, columns=columns)


#: The columns the report shows; the exports carry all of :data:`REGISTER_COLUMNS`.
VIEW_COLUMNS = [
    "activity_id",
    "activity",
    "role",
    "purpose",
    "lawful_basis",
    "data_subjects",
    "data_categories",
    "recipients",
    "third_country_transfers",
    "retention",
]


#: The view's headers: words that can wrap, each with the Art. 30(1) letter it answers.
VIEW_HEADERS = {
    "activity_id": "id",
    "activity": "activity",
    "role": "role",
    "purpose": "purpose (b)",
    "lawful_basis": "lawful basis",
    "data_subjects": "data subjects (c)",
    "data_categories": "data categories (c)",
    "recipients": "recipients (d)",
    "third_country_transfers": "third-country transfers (e)",
    "retention": "retention (f)",
}


def register_view(register: pd.DataFrame) -> pd.DataFrame:
    """The register as the report prints it: :data:`VIEW_COLUMNS` under readable headers,
    vocabulary codes in words, marked to print on a landscape page (A4) where all ten
    columns fit (``attrs["page"] = "wide"``, read by ``jp.table``)."""
    view = register[VIEW_COLUMNS].copy()
    for column in ("lawful_basis", "data_subjects"):
        view[column] = view[column].astype("string").str.replace("_", " ", regex=False)
    view = view.rename(columns=VIEW_HEADERS)
    view.attrs = {**view.attrs, "page": "wide"}
    return view


def summary_markdown(register: pd.DataFrame, findings: pd.DataFrame) -> str:
    """The headline a DPO reads first: activities by role, findings by severity."""
    roles = register["role"].value_counts()
    sev = findings["severity"].value_counts()
    return (
        f"**{len(register)} processing activities** in the register: "
        f"{roles.get('controller', 0)} as controller, {roles.get('processor', 0)} as "
        f"processor for customers. **{len(findings)} findings**: "
        f"{sev.get('high', 0)} high, {sev.get('medium', 0)} medium, {sev.get('low', 0)} low."
    )
