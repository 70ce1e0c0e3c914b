"""The DPIA document: what ``dpia.yaml`` says, the views in the ICO template's order,
the action plan, the Art. 36 flag and the sign-off.

- The assessment's contents (UK GDPR Art. 35(7)): the processing and its purposes
  (a), necessity and proportionality (b), the risks (c) and the measures (d), pulled
  from the Art. 30 register, the flows and the metrics; consultation of data
  subjects (Art. 35(9)) and the DPO's advice (Art. 35(2)) from ``dpia.yaml``.
- Art. 36(1): a high residual risk means the supervisory authority must be
  consulted before the processing starts.
- :func:`validate` checks the DPIA's inputs before a run.

The screening (WP248 rev.01, ICO list) lives in :mod:`juro_privacy.topics.dpia.screening`,
the risk scales and scoring in :mod:`juro_privacy.rules.risk_scales`, the evidence in
:mod:`juro_privacy.topics.dpia.evidence`; their names are re-exported here, so
``dpia.<name>`` works for all of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from juro_privacy.errors import Problem, WorkbookError
from juro_privacy.paths import PACKAGE
from juro_privacy.rules.risk_scales import (
    RiskScale,
    heatmap_cells,
    risk_problems,
    risk_scale,
    risks_for,
    scale_for,
    scale_table,
    score_risks,
)
from juro_privacy.topics.dpia.evidence import NO_EVIDENCE, _fmt, evidence, evidence_view
from juro_privacy.topics.dpia.screening import (
    COLLECTED_GROUPS,
    CRITERIA,
    FLAG_CRITERIA,
    GIVEN_GROUPS,
    HIGHLY_PERSONAL_FIDES,
    ICO_TYPES,
    NOT_REQUIRED,
    REQUIRED,
    SUBJECT_TABLES,
    IcoType,
    record_counts,
    screen,
    screening_for,
    screening_view,
    subject_counts,
)
from juro_privacy.workbook.load import Workbook

__all__ = [
    "COLLECTED_GROUPS",
    "CONSULTATION_KEYS",
    "CRITERIA",
    "DPIA_FILE",
    "FLAG_CRITERIA",
    "GIVEN_GROUPS",
    "HIGHLY_PERSONAL_FIDES",
    "ICO_TYPES",
    "NOT_RECORDED",
    "NOT_REQUIRED",
    "NO_EVIDENCE",
    "PACKAGE",
    "PROCESSING_FIELDS",
    "REQUIRED",
    "SIGN_OFF_KEYS",
    "SUBJECT_TABLES",
    "TEXT_KEYS",
    "DpiaDocument",
    "IcoType",
    "RiskScale",
    "action_plan",
    "art36_markdown",
    "consultation_view",
    "covered_rows",
    "description_markdown",
    "dpia_for",
    "evidence",
    "evidence_view",
    "heatmap_cells",
    "load_dpia",
    "necessity_view",
    "parse_dpia",
    "prior_consultation",
    "processing_view",
    "record_counts",
    "risk_problems",
    "risk_scale",
    "risk_view",
    "risks_for",
    "scale_for",
    "scale_table",
    "score_risks",
    "screen",
    "screening_for",
    "screening_view",
    "signature_html",
    "subject_counts",
    "validate",
]

DPIA_FILE = "dpia.yaml"


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


def art36_markdown(scored: pd.DataFrame) -> str:
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
        "The processing must not start until the supervisory authority (the ICO in the "
        "UK) has been consulted, unless further measures bring the residual risk down."
    )


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
        f"requests answered on time this period: {_fmt(on_time, 'rate')}; "
        f"portability answers in a wrong format: {_fmt(wrong, 'count')}"
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


# ---------------------------------------------------------------- dpia.yaml


@dataclass(frozen=True)
class DpiaDocument:
    """What ``dpia.yaml`` says: the activities covered, context, consultation, sign-off."""

    title: str
    activities: tuple[str, ...]
    nature: str
    scope: str
    context: str
    purposes: str
    consultation: tuple[dict[str, str], ...]
    sign_off: dict[str, Any]


TEXT_KEYS = ("title", "nature", "scope", "context", "purposes")
CONSULTATION_KEYS = ("who", "how", "when", "summary")
SIGN_OFF_KEYS = (
    "measures_approved_by",
    "residual_risks_approved_by",
    "dpo_advice",
    "dpo_advice_accepted",
    "dpo_advice_reason",
    "consultation_reviewed_by",
    "next_review",
)


def parse_dpia(raw: Any, activity_ids: set[str], file: str = DPIA_FILE) -> DpiaDocument:
    """Check ``dpia.yaml``'s mapping and build the document, or raise every problem."""
    problems: list[Problem] = []

    def bad(key: str | None, reason: str, message: str) -> None:
        problems.append(Problem(file, reason, message, column=key))

    if not isinstance(raw, dict):
        raise WorkbookError([Problem(file, "not_a_mapping", "must be a mapping (key: value)")])
    known = {*TEXT_KEYS, "activities", "consultation", "sign_off"}
    for key in raw:
        if key not in known:
            bad(str(key), "unknown_key", f"unknown key; known: {', '.join(sorted(known))}")
    for key in TEXT_KEYS:
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            bad(key, "missing_text", "is required and must be text")
    acts = raw.get("activities")
    if not isinstance(acts, list) or not acts:
        bad("activities", "missing_list", "must list the activity ids the DPIA covers")
        acts = []
    for a in acts:
        if str(a) not in activity_ids:
            bad("activities", "unknown_reference", f"{a!r} is not an activity_id in activities")
    consultation = raw.get("consultation") or []
    if not isinstance(consultation, list):
        bad("consultation", "not_a_list", "must be a list of {who, how, when, summary}")
        consultation = []
    entries = []
    for n, entry in enumerate(consultation, start=1):
        if not isinstance(entry, dict) or any(k not in entry for k in CONSULTATION_KEYS):
            bad(f"consultation[{n}]", "missing_key", f"needs {', '.join(CONSULTATION_KEYS)}")
            continue
        entries.append({k: str(entry[k]) for k in CONSULTATION_KEYS})
    sign = raw.get("sign_off")
    if not isinstance(sign, dict):
        bad("sign_off", "missing_mapping", f"must be a mapping with {', '.join(SIGN_OFF_KEYS)}")
        sign = {}
    for key in sign:
        if key not in SIGN_OFF_KEYS:
            bad(f"sign_off.{key}", "unknown_key", f"unknown key; known: {', '.join(SIGN_OFF_KEYS)}")
    accepted = sign.get("dpo_advice_accepted")
    if "dpo_advice_accepted" in sign and not isinstance(accepted, bool):
        bad("sign_off.dpo_advice_accepted", "not_true_or_false", "must be true or false")
    if accepted is False and not str(sign.get("dpo_advice_reason") or "").strip():
        bad(
            "sign_off.dpo_advice_reason",
            "missing_text",
            "must say why the DPO's advice was overruled",
        )
    review = sign.get("next_review")
    if review is not None and not isinstance(review, dt.date):
        bad("sign_off.next_review", "not_a_date", f"{review!r} is not a date (YYYY-MM-DD)")
    if problems:
        raise WorkbookError(problems)
    return DpiaDocument(
        title=raw["title"].strip(),
        activities=tuple(str(a) for a in acts),
        nature=raw["nature"].strip(),
        scope=raw["scope"].strip(),
        context=raw["context"].strip(),
        purposes=raw["purposes"].strip(),
        consultation=tuple(entries),
        sign_off={k: sign.get(k) for k in SIGN_OFF_KEYS},
    )


def load_dpia(root: Path, activity_ids: set[str]) -> DpiaDocument | None:
    """``dpia.yaml`` in the workbook folder ``root``, checked; ``None`` when there is none."""
    path = root / DPIA_FILE
    if not path.is_file():
        return None
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise WorkbookError(
            [Problem(DPIA_FILE, "bad_yaml", f"is not valid UTF-8 YAML: {exc}", row=row)]
        ) from exc
    return parse_dpia(raw, activity_ids)


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


def dpia_for(wb: Workbook) -> DpiaDocument | None:
    return load_dpia(wb.root, set(wb.activities["activity_id"]))


def validate(wb: Workbook) -> None:
    """Check what the DPIA and the claims read beyond the data contract, before a run:
    metric names, risk levels on the workbook's scale, ``dpia.yaml``. Every problem is
    raised at once as one :class:`WorkbookError`."""
    from juro_privacy.topics.metrics import metric_problems

    problems = metric_problems(wb)
    file = wb.files["risks"].name if "risks" in wb.files else "risks.csv"
    problems += [
        p
        for p in risk_problems(
            wb.risks, scale_for(wb), file, [wb.row_of("risks", i) for i in range(len(wb.risks))]
        )
        if p.reason != "unknown_metric"
    ]
    try:
        dpia_for(wb)
    except WorkbookError as exc:
        problems += exc.problems
    if problems:
        raise WorkbookError(problems)
