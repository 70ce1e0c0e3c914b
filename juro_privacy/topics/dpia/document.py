"""The DPIA document: what ``dpia.yaml`` says, the views in the ICO template's order,
the action plan, the Art. 36 flag and the sign-off.

- The assessment's contents (UK GDPR Art. 35(7)): the processing and its purposes
  (a), necessity and proportionality (b), the risks (c) and the measures (d), pulled
  from the Art. 30 register, the flows and the metrics; consultation of data
  subjects (Art. 35(9)) and the DPO's advice (Art. 35(2)) from ``dpia.yaml``.
- Art. 36(1): a high residual risk means the supervisory authority must be
  consulted before the processing starts.

The screening (WP248 rev.01, ICO list) lives in :mod:`juro_privacy.topics.dpia.screening`,
the risk scales and scoring in :mod:`juro_privacy.rules.risk_scales`, the evidence in
:mod:`juro_privacy.topics.dpia.evidence`, ``dpia.yaml`` in
:mod:`juro_privacy.workbook.dpia_yaml`, the workbook wrappers in ``api.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from juro_privacy.rules.regulators import Regulator
from juro_privacy.topics.dpia.evidence import format_figure
from juro_privacy.workbook.dpia_yaml import CONSULTATION_KEYS, DpiaDocument

# ---------------------------------------------------------------- risks, measures, Art. 36


def risk_view(scored: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "risk": scored["risk_id"] + " " + scored["risk"],
            "activity": scored["activity_id"],
            "rights affected": scored["rights_affected"],
            "before measures": scored["likelihood"]
            + " × "
            + scored["severity"]
            + " = "
            + scored["level"],
            "after measures": scored["residual_likelihood"]
            + " × "
            + scored["residual_severity"]
            + " = "
            + scored["residual_level"],
        }
    )


def action_plan(scored: pd.DataFrame) -> pd.DataFrame:
    """The measures as an action plan, by due date (undated last)."""
    plan = pd.DataFrame(
        {
            "risk": scored["risk_id"],
            "measure": scored["measures"],
            "owner": scored["measure_owner"],
            "due": scored["measure_due"],
            "status": scored["measure_status"].str.replace("_", " "),
            "reduces risk": scored["level"] + " → " + scored["residual_level"],
        }
    )
    order = plan["due"].map(lambda d: (d is None or pd.isna(d), d if pd.notna(d) else dt.date.max))
    return plan.iloc[order.argsort(kind="stable")].reset_index(drop=True).fillna({"due": ""})


def prior_consultation(scored: pd.DataFrame) -> pd.DataFrame:
    """Risks whose residual level is high: Art. 36(1) prior consultation is required."""
    return scored[scored["residual_level"] == "high"].reset_index(drop=True)


def art36_markdown(scored: pd.DataFrame, authorities: Sequence[Regulator] = ()) -> str:
    """The Art. 36(1) verdict in a sentence: whether prior consultation is required and,
    if so, with which authorities (``authorities``, from
    :func:`juro_privacy.topics.dpia.api.authorities_for`; the generic "supervisory
    authority" when none is given)."""
    high = prior_consultation(scored)
    if high.empty:
        return (
            "**No high residual risk.** Prior consultation with the supervisory authority "
            "(Art. 36(1)) is not required."
        )
    names = "; ".join(f"{r} {t}" for r, t in zip(high["risk_id"], high["risk"], strict=True))
    return (
        f"**Prior consultation required (Art. 36(1)).** {len(high)} risk"
        f"{'s remain' if len(high) != 1 else ' remains'} high after measures: {names}. "
        "The processing must not start until the supervisory authority has been "
        f"consulted{_which(authorities)}, unless further measures bring the residual "
        "risk down."
    )


def _which(authorities: Sequence[Regulator]) -> str:
    """`` (the Information Commissioner's Office, ICO, for processing under the UK
    GDPR; ...)``, or nothing when no authority is given."""
    regimes = {"GB": "the UK GDPR", "LV": "the GDPR"}
    named = [
        f"the {a.name}, {a.short}, for processing under {regimes.get(a.country, a.country)}"
        for a in authorities
    ]
    return f" ({'; '.join(named)})" if named else ""


# ---------------------------------------------------------------- the processing, pulled


PROCESSING_FIELDS = (
    ("Activity", "activity"),
    ("Purpose", "purpose"),
    ("Data subjects", "data_subjects"),
    ("Data categories", "data_categories"),
    ("Special category data", "special_categories"),
    ("Source", "source"),
    ("Systems", "systems"),
    ("Recipients", "recipients"),
)


def processing_view(register: pd.DataFrame, activities: tuple[str, ...]) -> pd.DataFrame:
    """Nature and scope of the covered activities, from the Art. 30 register: one row
    per field, one column per activity (narrow enough to print)."""
    rows = register[register["activity_id"].isin(activities)].set_index("activity_id")
    table: dict[str, list[str]] = {"": [label for label, _ in PROCESSING_FIELDS]}
    for aid, r in rows.iterrows():
        table[str(aid)] = [str(r[c]) if pd.notna(r[c]) else "" for _, c in PROCESSING_FIELDS]
    return pd.DataFrame(table)


NOT_RECORDED = "NOT RECORDED"


def necessity_view(
    register: pd.DataFrame, activities: tuple[str, ...], current: Mapping[str, float | None]
) -> pd.DataFrame:
    """Necessity and proportionality (Art. 35(7)(b)), pulled from the register, the
    flows and the request metrics: one row per question, one column per activity."""
    rows = register[register["activity_id"].isin(activities)].set_index("activity_id")

    def cell(value: Any) -> str:
        return NOT_RECORDED if value is None or pd.isna(value) or str(value) == "" else str(value)

    on_time, wrong = (
        current.get("requests.on_time_rate"),
        current.get("requests.portability_wrong_format_count"),
    )
    rights = (
        f"requests answered on time this period: {format_figure(on_time, 'rate')}; "
        f"portability answers in a wrong format: {format_figure(wrong, 'count')}"
    )
    questions = (
        ("Lawful basis (Art. 6)", "lawful_basis"),
        ("Data minimisation (Art. 5(1)(c)): categories used", "data_categories"),
        ("Special category data (Art. 9)", "special_categories"),
        ("Retention (Art. 5(1)(e))", "retention"),
        ("Processors (Art. 28)", "recipients"),
        ("International transfers (Arts. 44-46)", "third_country_transfers"),
        ("Security (Art. 32)", "security_measures"),
    )
    table: dict[str, list[str]] = {"question": [q for q, _ in questions] + ["Rights (Arts. 12-22)"]}
    for aid, r in rows.iterrows():
        values = [cell(r[c]) for _, c in questions]
        values[2] = values[2] if values[2] != NOT_RECORDED else "none"
        values[5] = values[5] if values[5] != NOT_RECORDED else "none"
        table[str(aid)] = [*values, rights]
    return pd.DataFrame(table)


def consultation_view(doc: DpiaDocument | None) -> pd.DataFrame:
    """Who was consulted, how, when and what they said; empty without ``dpia.yaml``."""
    entries = list(doc.consultation) if doc else []
    return pd.DataFrame(entries, columns=list(CONSULTATION_KEYS))


def signature_html(doc: DpiaDocument, dpo: str) -> str:
    """The ICO template's sign-off table, with an empty signature and date per line."""
    from html import escape

    s = doc.sign_off
    accepted = s.get("dpo_advice_accepted")
    verdict = "" if accepted is None else ("accepted" if accepted else "overruled")
    if s.get("dpo_advice_reason"):
        verdict += f": {s['dpo_advice_reason']}"
    lines = [
        (
            "Measures approved by",
            s.get("measures_approved_by"),
            "Integrate actions back into the plan",
        ),
        (
            "Residual risks approved by",
            s.get("residual_risks_approved_by"),
            "Art. 36 if any high residual risk",
        ),
        ("DPO advice provided", s.get("dpo_advice"), dpo),
        ("DPO advice accepted or overruled", verdict, "if overruled, say why"),
        ("Consultation responses reviewed by", s.get("consultation_reviewed_by"), ""),
        ("Next review", s.get("next_review"), "the DPO keeps this DPIA under review"),
    ]
    body = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(str(value or ''))}</td>"
        f"<td>{escape(note)}</td><td class='sig'></td><td class='sig'></td></tr>"
        for label, value, note in lines
    )
    return (
        "<table class='signature-block' border='1' style='width:100%;border-collapse:collapse'>"
        "<thead><tr><th>Item</th><th>Name / decision</th><th>Notes</th>"
        "<th style='width:22%'>Signature</th><th style='width:12%'>Date</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def covered_rows(frame: pd.DataFrame, activities: tuple[str, ...]) -> pd.DataFrame:
    """The rows of ``frame`` (register, flows) about the covered activities."""
    return frame[frame["activity_id"].isin(activities)].reset_index(drop=True)


def description_markdown(doc: DpiaDocument | None) -> str:
    """Nature, scope, context and purposes, as ``dpia.yaml`` words them."""
    if doc is None:
        return "*No `dpia.yaml` in this workbook: the processing is not described.*"
    return "\n\n".join(
        f"**{label}.** {text}"
        for label, text in (
            ("Nature", doc.nature),
            ("Scope", doc.scope),
            ("Context", doc.context),
            ("Purposes", doc.purposes),
        )
    )
