"""The record of processing activities (UK GDPR and GDPR Art. 30).

Pure functions: tables in, tables out. ``build_register`` lays out the Art. 30(1)
record (Art. 30(2) for activities carried out as a processor), ``register_findings``
checks it, ``diff_registers`` compares it with the previous period's export.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pandas as pd

from juro_privacy.errors import TransferError
from juro_privacy.findings import Finding, findings_frame, findings_tally, records
from juro_privacy.periods import Period, active_in
from juro_privacy.rules.conditions import needs_policy_document, schedule_1_paragraph
from juro_privacy.rules.lawful_bases import recognised_interest_faults
from juro_privacy.rules.transfers import regime_of
from juro_privacy.workbook.schemas import PURPOSES

TOPIC = "register"

#: Export columns in the order of Art. 30(1)(a)-(g), with the id and role first.
REGISTER_COLUMNS = [
    "activity_id",
    "activity",
    "role",
    "controller",  # (a) name and contact details of the controller
    "controller_contact",
    "dpo",  # (a) and of the data protection officer
    "dpo_contact",
    "purpose",  # (b) purposes of the processing
    "lawful_basis",  # Art. 6(1), recorded beside (b) as the ICO's template does
    "data_subjects",  # (c) categories of data subjects
    "data_categories",  # (c) categories of personal data
    "special_categories",  # (c) Art. 9 data held
    "art9_condition",  # Art. 9(2) condition relied on
    "criminal_offence_data",  # (c) Art. 10 data held
    "art10_condition",  # its basis: DPA 2018 Sch. 1 (UK), Union or Member State law (EU)
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


def recipient_names(processors: pd.DataFrame) -> dict[str, str]:
    """Each recipient's name as the register prints it (Art. 30(1)(d)): a controller in
    its own right (``relationship`` ``independent_controller``) says so."""
    relationship = _optional(processors, "relationship")
    return {
        pid: f"{name} (independent controller)" if rel == "independent_controller" else name
        for pid, name, rel in zip(
            processors["processor_id"], processors["name"], relationship, strict=True
        )
    }


def criminal_categories(categories: pd.DataFrame) -> set[str]:
    """The categories that hold criminal offence data (Art. 10; ``criminal`` true)."""
    if "criminal" not in categories:
        return set()
    flags = categories["criminal"].astype("boolean").fillna(False).astype(bool)
    return set(categories.loc[flags, "category_id"])


def _optional(frame: pd.DataFrame, column: str) -> pd.Series:
    """An optional text column as text, empty where missing (or when left out)."""
    if column not in frame:
        return pd.Series("", index=frame.index)
    return frame[column].astype("string").fillna("")


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
    controller_contact: str = "",
    dpo_contact: str = "",
) -> pd.DataFrame:
    """The Art. 30 record for ``period``: one row per activity, columns in Art. 30(1) order.

    Art. 30(1)(a) and 30(2)(a): the controller's and the DPO's names and contact details
    (``controller_contact``, ``dpo_contact``, from workbook.yaml). On an activity done as
    a processor the controller is the customer, whose contact is in its contract: the
    row says so rather than repeat the organisation's.

    ``transfers`` (indexed by activity id) fills Art. 30(1)(e) once the transfer rules
    have judged each flow; without it the column lists the recipients' countries.
    """
    acts = active_in(activities, period)
    cat_names = dict(zip(categories["category_id"], categories["name"], strict=True))
    special = set(categories.loc[categories["special"].astype(bool), "category_id"])
    criminal = criminal_categories(categories)
    proc_names = recipient_names(processors)
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
            "controller_contact": [
                "see the customer's contract" if r == "processor" else controller_contact
                for r in acts["role"]
            ],
            "dpo": dpo,
            "dpo_contact": dpo_contact,
            "purpose": acts["purpose"].map(PURPOSE_LABELS),
            "lawful_basis": acts["lawful_basis"].fillna(""),
            "data_subjects": acts["data_subjects"].map(_join),
            "data_categories": acts["data_categories"].map(lambda v: _join(v, cat_names)),
            "special_categories": acts["data_categories"].map(
                lambda v: _join(tuple(x for x in v if x in special), cat_names)
            ),
            "art9_condition": acts["art9_condition"].fillna(""),
            "criminal_offence_data": acts["data_categories"].map(
                lambda v: _join(tuple(x for x in v if x in criminal), cat_names)
            ),
            "art10_condition": _optional(acts, "art10_condition"),
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
    *,
    contacts: tuple[str, str] | None = None,
    sites: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Check the record of processing for ``period``; one finding per fault.

    - a recognised legitimate interest (UK GDPR Art. 6(1)(ea)) that the activity may not
      rely on: run from an EU office (``sites`` gives the offices' countries), before
      5 February 2026, or without an Annex 1 condition; legitimate interests
      (Art. 6(1)(f)) without a recorded assessment (good practice, low) or with a
      failed one (:mod:`juro_privacy.rules.lawful_bases`);

    - the controller's or the DPO's contact details missing (Art. 30(1)(a)), when
      ``contacts`` (``(controller_contact, dpo_contact)``) is given;

    - a controller activity without a lawful basis (Art. 6(1));
    - special-category data without an Art. 9(2) condition (Art. 9);
    - criminal offence data without an Art. 10 basis (DPA 2018 s. 10(5), Sch. 1), and a
      Sch. 1 condition that requires an appropriate policy document without one
      recorded (Sch. 1 paras 5, 38-39; :mod:`juro_privacy.rules.conditions`);
    - a category collected that no purpose uses (Art. 5(1)(c), data minimisation);
    - a recipient that is not a listed processor (Art. 28(1), Art. 30(1)(d));
    - an activity without a retention rule (Art. 5(1)(e), Art. 30(1)(f)).
    """
    acts = active_in(activities, period)
    special = set(categories.loc[categories["special"].astype(bool), "category_id"])
    criminal = criminal_categories(categories)
    known = set(processors["processor_id"])
    found: list[Finding] = []
    missing = [
        who
        for who, contact in zip(
            ("the controller's", "the DPO's"), contacts or ("x", "x"), strict=True
        )
        if not contact.strip()
    ]
    if missing:
        found.append(
            Finding(
                TOPIC,
                "no_contact_details",
                "medium",
                "Art. 30(1)(a)",
                "the register",
                f"The record lacks {' and '.join(missing)} contact details: set "
                "controller_contact and dpo_contact in workbook.yaml.",
            )
        )
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
        found.extend(_condition_findings(a, subject, criminal))
        found.extend(_basis_findings(a, subject, _regimes(a, sites, period), period))
        for r in a["recipients"]:
            if r not in known:
                found.append(
                    Finding(
                        TOPIC,
                        "recipient_not_processor",
                        "medium",
                        "Art. 28(1); Art. 30(1)(d)",
                        subject,
                        f"Recipient '{r}' is not in the processors table: neither an "
                        "Art. 28 contract nor its standing as an independent controller "
                        "is on record.",
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


def _regimes(a: dict[str, Any], sites: pd.DataFrame | None, period: Period) -> set[str]:
    """The regimes (``UK``, ``EU``) of the offices an activity is run from."""
    if sites is None:
        return set()
    countries = dict(zip(sites["site_id"], sites["country"], strict=True))
    out = set()
    for office in a.get("offices") or ():
        country = countries.get(office)
        if country is not None:
            with contextlib.suppress(TransferError):  # an office outside both regimes
                out.add(regime_of(str(country), period.end))
    return out


_BASIS_FINDINGS = {
    "rli_outside_uk": (
        "high",
        "UK GDPR Art. 6(1)(ea); GDPR Art. 6(1)",
        "Recorded on a recognised legitimate interest but also run from an EU office: the "
        "EU GDPR has no such basis. Record an Art. 6(1) basis for the EU processing.",
    ),
    "rli_before_in_force": (
        "high",
        "UK GDPR Art. 6(1)(ea); DUAA 2025 s. 70; SI 2026/82",
        "Recorded on a recognised legitimate interest in a period before 5 February 2026, "
        "when that basis came into force.",
    ),
    "rli_without_condition": (
        "high",
        "UK GDPR Art. 6(1)(ea), 6(5), Annex 1",
        "Recorded on a recognised legitimate interest with no Annex 1 condition "
        "(annex1_condition): only the closed list of Annex 1 is a recognised legitimate "
        "interest. Marketing and intra-group administration (Art. 6(11)) are ordinary "
        "legitimate interests, with a balancing test.",
    ),
    "lia_failed": (
        "high",
        "Art. 6(1)(f)",
        "Its legitimate interests assessment failed (lia_outcome), yet the activity still "
        "relies on legitimate interests.",
    ),
    "no_lia": (
        "low",
        "Art. 6(1)(f); Art. 5(2) (good practice)",
        "On legitimate interests with no assessment recorded (lia_on). The law asks for "
        "the balancing test, not a document; recording it shows the test was done.",
    ),
}


def _basis_findings(
    a: dict[str, Any], subject: str, regimes: set[str], period: Period
) -> list[Finding]:
    """The lawful-basis findings of one controller activity (:data:`_BASIS_FINDINGS`)."""
    if a["role"] != "controller":
        return []
    basis = a.get("lawful_basis")
    codes: list[str] = []
    if basis == "recognised_legitimate_interest":
        condition = a.get("annex1_condition")
        condition = condition if isinstance(condition, str) else None
        codes = recognised_interest_faults(condition, regimes, period.end)
    elif basis == "legitimate_interests":
        if a.get("lia_outcome") == "failed":
            codes = ["lia_failed"]
        elif a.get("lia_on") is None or pd.isna(a.get("lia_on")):
            codes = ["no_lia"]
    return [
        Finding(
            TOPIC,
            code,
            _BASIS_FINDINGS[code][0],
            _BASIS_FINDINGS[code][1],
            subject,
            _BASIS_FINDINGS[code][2],
        )
        for code in codes
    ]


def _condition_findings(a: dict[str, Any], subject: str, criminal: set[str]) -> list[Finding]:
    """Art. 10 data without a basis, and a DPA 2018 Sch. 1 condition that needs an
    appropriate policy document with none recorded (:mod:`juro_privacy.rules.conditions`)."""
    if a["role"] != "controller":
        return []
    found: list[Finding] = []
    art10 = a.get("art10_condition")
    art10 = art10 if isinstance(art10, str) and art10.strip() else None
    held = sorted(set(a["data_categories"]) & criminal)
    if held and art10 is None:
        found.append(
            Finding(
                TOPIC,
                "criminal_without_condition",
                "high",
                "Art. 10; DPA 2018 s. 10(5), Sch. 1",
                subject,
                f"Holds criminal offence data ({', '.join(held)}) with no Art. 10 basis "
                "recorded: for the UK a DPA 2018 Sch. 1 condition, for the EU the law that "
                "authorises it.",
            )
        )
    cited = [
        (name, c)
        for name, c in (("Art. 9", a.get("art9_condition")), ("Art. 10", art10))
        if isinstance(c, str) and needs_policy_document(c)
    ]
    if cited and a.get("policy_document") is not True:
        name, condition = cited[0]
        paragraph = schedule_1_paragraph(condition)
        found.append(
            Finding(
                TOPIC,
                "no_policy_document",
                "medium",
                "DPA 2018 Sch. 1 paras 5, 38-39",
                subject,
                f"Its {name} condition ({condition}) is Sch. 1 para. {paragraph}, which "
                "likely requires an appropriate policy document in place when the data is "
                "processed; none is recorded (policy_document).",
            )
        )
    return found


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


#: The processor's record as the report prints it (Art. 30(2)), headed by letter.
PROCESSOR_VIEW_HEADERS = {
    "activity_id": "id",
    "activity": "activity",
    "controller": "controller (a)",
    "purpose": "processing carried out (b)",
    "data_categories": "data categories",
    "third_country_transfers": "third-country transfers (c)",
    "security_measures": "security measures (d)",
}


def register_view(register: pd.DataFrame) -> pd.DataFrame:
    """The controller's record (Art. 30(1)) as the report prints it: the activities done
    as controller, :data:`VIEW_COLUMNS` under readable headers, vocabulary codes in
    words, marked to print on a landscape page (A4) where all ten columns fit
    (``attrs["page"] = "wide"``, read by ``jp.table``)."""
    view = register.loc[register["role"] == "controller", VIEW_COLUMNS].copy()
    for column in ("lawful_basis", "data_subjects"):
        view[column] = view[column].astype("string").str.replace("_", " ", regex=False)
    view = view.rename(columns=VIEW_HEADERS)
    view.attrs = {**view.attrs, "page": "wide"}
    return view


def processor_view(register: pd.DataFrame) -> pd.DataFrame:
    """The processor's record (Art. 30(2)) as the report prints it: the activities done
    for customers, under :data:`PROCESSOR_VIEW_HEADERS`, on a landscape page."""
    view = register.loc[register["role"] == "processor", list(PROCESSOR_VIEW_HEADERS)]
    view = view.rename(columns=PROCESSOR_VIEW_HEADERS).reset_index(drop=True)
    view.attrs = {**view.attrs, "page": "wide"}
    return view


def contacts_markdown(register: pd.DataFrame, *, organisation: str) -> str:
    """Art. 30(1)(a) and 30(2)(a) in a sentence: who the controller (and, for the
    customers' data, the processor) and the DPO are, and how to reach them."""
    controller = register.loc[register["role"] == "controller", "controller_contact"]
    contact = next(iter(controller), "")
    dpo = next(iter(register["dpo"]), "")
    dpo_contact = next(iter(register["dpo_contact"]), "")
    return (
        f"**Controller** (Art. 30(1)(a)): {organisation}"
        + (f", {contact}" if contact else ", **no contact details recorded**")
        + f". **Data protection officer**: {dpo}"
        + (f", {dpo_contact}" if dpo_contact else ", **no contact details recorded**")
        + ". For the activities done for customers the organisation is the processor "
        "(Art. 30(2)(a)) and each customer the controller."
    )


def summary_markdown(register: pd.DataFrame, findings: pd.DataFrame) -> str:
    """The headline a DPO reads first: activities by role, findings by severity."""
    roles = register["role"].value_counts()
    return (
        f"**{len(register)} processing activities** in the register: "
        f"{roles.get('controller', 0)} as controller, {roles.get('processor', 0)} as "
        f"processor for customers. {findings_tally(findings)}"
    )
