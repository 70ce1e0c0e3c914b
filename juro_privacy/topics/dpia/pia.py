"""The DPIA in the format of the CNIL's open-source PIA tool: ``dpia.pia.json``.

The CNIL's PIA tool (github.com/LINCnil/pia, read at commit 44dd313 of 2026-04-24)
imports a JSON file of five parts, as ``PiaService.exportData`` writes them and
``importData`` reads them back (``src/app/services/pia.service.ts``): ``pia`` (the
assessment, its status and the DPO's and data subjects' opinions), ``answers`` (each
``reference_to`` a question id of ``src/assets/files/pia_architecture.json``, ``data``
``{text, gauge, list}``), ``measures`` (section 3.1, "planned or existing measures"),
``evaluations`` (an evaluator's verdict on an item, a question or a measure) and
``comments``. :func:`pia_export` maps the DPIA this topic computes onto them:

- sections 1 and 2 (context, fundamental principles) from ``dpia.yaml`` and the covered
  activities' rows of the Art. 30 register and of the DPIA's necessity view (UK GDPR /
  GDPR Art. 35(7)(a) and (b));
- section 3: every risk's measure is a measure; a risk whose ``rights_affected`` names
  confidentiality, integrity or availability goes to the tool's feared event for it
  (3.2 illegitimate access, 3.3 unwanted modification, 3.4 disappearance: the CNIL's
  "risque sur la vie privée", a feared event that breaches the confidentiality,
  availability or integrity of the data; CNIL, *Ce qu'il faut savoir sur l'analyse
  d'impact relative à la protection des données (AIPD)*, 18 October 2017), with its
  harm, its measures and its severity and likelihood after the planned measures
  (Art. 35(7)(c) and (d));
- the evidence from the data and the Art. 36(1) verdict, in each risk's measure and, for
  a risk of a feared event, as comments on its questions; a rating the period's data
  contradicts is an evaluation "to correct" of the risk's measure (Art. 35(11): review
  when the risk changes);
- section 4: the DPO's advice (Art. 35(2)) and the consultation (Art. 35(9)).

The articles are those of the GDPR (Regulation (EU) 2016/679, applying from 25 May
2018) and of the UK GDPR (the same regulation as retained, from 1 January 2021;
legislation.gov.uk), whose Arts. 35 and 36 read alike. Art. 36(1) requires prior
consultation "where a data protection impact assessment under Article 35 indicates
that the processing would result in a high risk in the absence of measures taken by
the controller to mitigate the risk"; read with Recital 94 ("the controller is of the
opinion that the risk cannot be mitigated by reasonable means"), as the DPIA report
reads it (:func:`~juro_privacy.topics.dpia.document.prior_consultation`), that is a
risk still high after the measures.

A question the workbook has nothing for is left out, never filled with made-up text;
docs/dpia.md lists what is filled. Gauges use the tool's scale (0 "(Undefined)", 1
negligible to 4 maximum): filled from a workbook on the CNIL scale, whose four levels
are the tool's; left at 0 for the DPO to set on the ICO scale, whose three levels do
not map onto four. Every date is the period's last day at noon UTC, so two runs write
the same bytes and the day is the same in every time zone. Text answers are HTML (the
tool edits them with TinyMCE), escaped; the ``pia`` fields and comments are plain text.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from juro_privacy.findings import records
from juro_privacy.periods import Period
from juro_privacy.rules.regulators import Regulator
from juro_privacy.rules.risk_scales import RiskScale
from juro_privacy.topics.dpia.document import necessity_view, prior_consultation
from juro_privacy.workbook.dpia_yaml import DpiaDocument

#: The PIA tool's repository and the commit whose import format this module writes.
PIA_TOOL = "https://github.com/LINCnil/pia"
PIA_TOOL_COMMIT = "44dd3138cde72251fba29e3b6bfd7bac3fa9fbe1"

#: ``Pia.status`` (``src/app/models/pia.model.ts``): 0 doing, 1 refused, 2 simple
#: validation, 3 signed validation, 4 archived. An exported DPIA is "doing": it is
#: signed on paper (the report's signature block), not in the tool.
PIA_STATUS_DOING = 0
#: ``Evaluation.status``: 0 pending, 1 to be fixed ("to correct"), 2 improvable, 3
#: acceptable; ``Evaluation.global_status``: 0 none, 1 started, 2 completed.
EVALUATION_TO_CORRECT = 1
EVALUATION_STARTED = 1
#: The tool's gauge inputs (``type="range" min="0" max="4"``): 0 is "(Undefined)".
GAUGE_UNDEFINED = 0
GAUGE_LEVELS = ("negligible", "limited", "significant", "maximum")  # 1..4, the CNIL's
#: The placeholder the tool gives a measure written by hand (not from its knowledge base).
MEASURE_PLACEHOLDER = "measures.default_placeholder"
PIA_ID = 1


@dataclass(frozen=True)
class FearedEvent:
    """One of the tool's three risk items (``pia_architecture.json`` section 3)."""

    item: str  # "3.2"
    breach: str  # the word of ``rights_affected`` that sends a risk here
    title: str

    def question(self, n: int) -> int:
        """The item's n-th question id: 3.2's are 321 (impacts) to 326 (likelihood)."""
        return int(self.item.replace(".", "")) * 10 + n


FEARED_EVENTS: tuple[FearedEvent, ...] = (
    FearedEvent("3.2", "confidentiality", "Illegitimate access to data"),
    FearedEvent("3.3", "integrity", "Unwanted modification of data"),
    FearedEvent("3.4", "availability", "Data disappearance"),
)
IMPACTS, CONTROLS, SEVERITY, LIKELIHOOD = 1, 4, 5, 6  # question numbers in each item


def pia_export(
    doc: DpiaDocument | None,
    *,
    period: Period,
    organisation: str,
    dpo: str,
    register: pd.DataFrame,
    scored: pd.DataFrame,
    evidence: pd.DataFrame,
    current: Mapping[str, float | None],
    scale: RiskScale,
    authorities: Sequence[Regulator] = (),
) -> dict[str, Any]:
    """The period's DPIA as the PIA tool imports it: ``{pia, answers, measures,
    evaluations, comments}``.

    ``doc`` is ``dpia.yaml`` (``None``: the workbook has no DPIA, and the file holds an
    empty one saying so), ``register`` the Art. 30 record, ``scored`` the covered
    activities' risks scored on ``scale`` (:func:`~juro_privacy.topics.dpia.api.risks_for`),
    ``evidence`` their evidence (:func:`~juro_privacy.topics.dpia.evidence.evidence`),
    ``current`` the period's metrics and ``authorities`` the offices' supervisory
    authorities (named in the Art. 36(1) verdicts).
    """
    stamp = f"{period.end.isoformat()}T12:00:00.000Z"
    covered = doc.activities if doc else ()
    rows = register[register["activity_id"].isin(covered)].reset_index(drop=True)
    notes = risk_notes(scored, evidence, period, authorities)
    measures, measure_of = _measures(scored, rows, notes, stamp)
    answers: list[dict[str, Any]] = []
    if doc is not None:
        texts = {**_context_texts(doc, rows), **_principle_texts(doc, rows, covered, current)}
        answers += [
            _answer(q, {"text": t, "gauge": 0, "list": []}, stamp) for q, t in texts.items()
        ]
    answers += _risk_answers(scored, scale, stamp)
    for n, answer in enumerate(sorted(answers, key=lambda a: a["reference_to"]), start=1):
        answer["id"] = n
    return {
        "pia": _pia(doc, period, organisation, dpo, stamp),
        "answers": sorted(answers, key=lambda a: a["id"]),
        "measures": measures,
        "evaluations": _evaluations(evidence, measure_of, stamp),
        "comments": _comments(scored, notes, stamp),
    }


# ---------------------------------------------------------------- pia


def _pia(
    doc: DpiaDocument | None, period: Period, organisation: str, dpo: str, stamp: str
) -> dict[str, Any]:
    """The ``pia`` record: the keys ``importData`` reads, plus those ``exportData``
    writes from the model (``id``, ``progress``, ``is_example``, ``is_archive``)."""
    sign = doc.sign_off if doc else {}
    consulted = list(doc.consultation) if doc else []
    return {
        "id": PIA_ID,
        "name": f"{doc.title} ({period.label})"
        if doc
        else f"{organisation}: no DPIA in this workbook ({period.label})",
        "category": "",
        "status": PIA_STATUS_DOING,
        "author_name": "",
        "evaluator_name": "",
        "validator_name": str(sign.get("residual_risks_approved_by") or ""),
        "dpos_names": dpo if doc else None,
        "dpo_status": None,  # the tool's "could / should not be implemented": not recorded
        "dpo_opinion": _dpo_opinion(sign) if doc else None,
        "concerned_people_searched_opinion": bool(consulted) if doc else None,
        "concerned_people_searched_content": None,
        "people_names": "; ".join(c["who"] for c in consulted) or None,
        "concerned_people_opinion": "\n".join(
            f"{c['who']} ({c['how']}, {c['when']}): {c['summary']}" for c in consulted
        )
        or None,
        "concerned_people_status": None,
        "rejection_reason": "",
        "applied_adjustments": "",
        "progress": 0,
        "is_example": 0,
        "is_archive": 0,
        "created_at": stamp,
        "updated_at": stamp,
    }


def _dpo_opinion(sign: Mapping[str, Any]) -> str | None:
    """The DPO's advice (Art. 35(2)) and, when recorded, the controller's decision on it."""
    advice = str(sign.get("dpo_advice") or "").strip()
    if not advice:
        return None
    accepted = sign.get("dpo_advice_accepted")
    if accepted is True:
        return f"{advice}\n\nThe controller accepted this advice."
    if accepted is False:
        reason = str(sign.get("dpo_advice_reason") or "").strip()
        return f"{advice}\n\nThe controller overruled this advice: {reason}"
    return advice


# ---------------------------------------------------------------- sections 1 and 2


def _esc(value: object) -> str:
    return html.escape(str(value), quote=False)


def _paragraphs(*parts: str) -> str:
    return "".join(f"<p>{_esc(p)}</p>" for p in parts if p)


def _per_activity(rows: pd.DataFrame, value: Any) -> str:
    """One list item per covered activity: ``A05 Product analytics: <value>``."""
    items = [
        f"<li><strong>{_esc(r['activity_id'])} {_esc(r['activity'])}</strong>: "
        f"{_esc(value(r))}</li>"
        for r in records(rows)
    ]
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _text(value: Any, none: str = "none") -> str:
    return none if value is None or pd.isna(value) or str(value) == "" else str(value)


def _context_texts(doc: DpiaDocument, rows: pd.DataFrame) -> dict[int, str]:
    """Section 1 (context): 1.1 overview, 1.2 data, processes and supporting assets."""
    covered = "; ".join(f"{r['activity_id']} {r['activity']}" for r in records(rows))
    texts = {
        111: _paragraphs(
            doc.title,
            f"Purposes: {doc.purposes}",
            f"Scope: {doc.scope}",
            f"Context: {doc.context}",
            f"Activities covered: {covered}" if covered else "",
        ),
        112: _per_activity(
            rows,
            lambda r: (
                f"role: {r['role']}; controller: {_text(r['controller'])}; "
                f"recipients: {_text(r['recipients'])}"
            ),
        ),
        121: _per_activity(
            rows,
            lambda r: (
                f"data subjects: {_text(r['data_subjects'])}; "
                f"categories: {_text(r['data_categories'])}; "
                f"special category data: {_text(r['special_categories'])}; "
                f"retention: {_text(r['retention'])}; recipients: {_text(r['recipients'])}"
            ),
        ),
        122: _paragraphs(doc.nature),
        123: _per_activity(rows, lambda r: f"systems: {_text(r['systems'])}"),
    }
    return {q: t for q, t in texts.items() if t}


#: Section 2 questions answered by a row of the DPIA's necessity view
#: (:func:`~juro_privacy.topics.dpia.document.necessity_view`), by its label.
NECESSITY_ANSWERS: tuple[tuple[int, str], ...] = (
    (212, "Lawful basis (Art. 6)"),
    (213, "Data minimisation (Art. 5(1)(c)): categories used"),
    (215, "Retention (Art. 5(1)(e))"),
    (223, "Rights (Arts. 12-22)"),
    (226, "Processors (Art. 28)"),
    (227, "International transfers (Arts. 44-46)"),
)


def _principle_texts(
    doc: DpiaDocument,
    rows: pd.DataFrame,
    covered: tuple[str, ...],
    current: Mapping[str, float | None],
) -> dict[int, str]:
    """Section 2 (fundamental principles), from ``dpia.yaml``, the register and the
    DPIA's necessity and proportionality view (Art. 35(7)(b))."""
    view = necessity_view(rows, covered, current).set_index("question")
    texts = {211: _paragraphs(doc.purposes) + _per_activity(rows, lambda r: r["purpose"])}
    for question, label in NECESSITY_ANSWERS:
        texts[question] = _per_activity(
            rows, lambda r, label=label: view.at[label, r["activity_id"]]
        )
    return {q: t for q, t in texts.items() if t}


def _answer(reference_to: int, data: dict[str, Any], stamp: str) -> dict[str, Any]:
    return {
        "id": 0,  # numbered once every answer is known
        "pia_id": PIA_ID,
        "reference_to": reference_to,
        "data": data,
        "created_at": stamp,
        "updated_at": stamp,
    }


# ---------------------------------------------------------------- section 3


def feared_events_of(rights_affected: object) -> tuple[FearedEvent, ...]:
    """The tool's feared events a risk belongs to: those whose breach (confidentiality,
    integrity, availability) its ``rights_affected`` names, whatever the case."""
    text = str(rights_affected or "").lower()
    return tuple(e for e in FEARED_EVENTS if e.breach in text)


def gauge(level: str, scale: RiskScale) -> int:
    """A level of ``scale`` as the tool's gauge: 1 to 4 on the CNIL scale (negligible,
    limited, significant, maximum: the tool's four levels), :data:`GAUGE_UNDEFINED` on
    any other scale, whose levels the tool does not have."""
    if scale.name != "cnil" or level not in GAUGE_LEVELS:
        return GAUGE_UNDEFINED
    return GAUGE_LEVELS.index(level) + 1


def worst_risk(risks: list[dict[str, Any]], scale: RiskScale) -> dict[str, Any]:
    """The risk with the highest residual level, then severity, then likelihood: the one
    a feared event's gauges show (the tool has one severity and one likelihood per
    feared event; axes are not mixed across risks)."""
    levels = ("low", "medium", "high")
    return max(
        risks,
        key=lambda r: (
            levels.index(r["residual_level"]),
            scale.severities.index(r["residual_severity"]),
            scale.likelihoods.index(r["residual_likelihood"]),
        ),
    )


def _risk_answers(scored: pd.DataFrame, scale: RiskScale, stamp: str) -> list[dict[str, Any]]:
    """Each feared event with at least one risk: its impacts (the risks' harms), the
    measures that address them, and its severity and likelihood after the planned
    measures (the tool asks for them "according to potential impacts and planned
    controls"), each with the ratings behind it."""
    out: list[dict[str, Any]] = []
    for event in FEARED_EVENTS:
        risks = [r for r in records(scored) if event in feared_events_of(r["rights_affected"])]
        if not risks:
            continue
        worst = worst_risk(risks, scale)
        shown = (
            f"The gauge shows {worst['risk_id']}, the highest residual risk."
            if scale.name == "cnil"
            else f"The workbook rates risks on the {scale.name.upper()} scale, whose levels "
            "are not the tool's: set the gauge."
        )
        for number, axis, residual, before in (
            (SEVERITY, "Severity", "residual_severity", "severity"),
            (LIKELIHOOD, "Likelihood", "residual_likelihood", "likelihood"),
        ):
            ratings = "; ".join(f"{r['risk_id']} {r[residual]}" for r in risks)
            earlier = "; ".join(f"{r['risk_id']} {r[before]}" for r in risks)
            text = _paragraphs(
                f"{axis} after the planned measures ({scale.name.upper()} scale): {ratings}. "
                f"Before measures: {earlier}.",
                shown,
            )
            data = {"text": text, "gauge": gauge(worst[residual], scale), "list": []}
            out.append(_answer(event.question(number), data, stamp))
        impacts = [f"{r['risk_id']} {r['risk']}" for r in risks]
        controls = list(dict.fromkeys(str(r["measures"]) for r in risks))
        for number, values in ((IMPACTS, impacts), (CONTROLS, controls)):
            out.append(
                _answer(
                    event.question(number), {"text": None, "gauge": None, "list": values}, stamp
                )
            )
    return out


def _due(value: Any) -> str:
    return "no date" if value is None or pd.isna(value) else str(value)


def _measures(
    scored: pd.DataFrame,
    rows: pd.DataFrame,
    notes: Mapping[str, list[tuple[str, str]]],
    stamp: str,
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Section 3.1: each risk's measure (its owner, due date, status, the risk it
    reduces, the evidence and the Art. 36(1) verdict: :func:`risk_notes`), then each
    covered activity's security measures as the register records them (Art. 30(1)(g),
    Art. 32); and each risk's measure id."""
    entries: list[tuple[str, str]] = []
    measure_of: dict[str, int] = {}
    for r in records(scored):
        entries.append(
            (
                str(r["measures"]),
                _paragraphs(f"Measure for {r['risk_id']} ({r['activity_id']}): {r['risk']}.")
                + "<ul>"
                + "".join(
                    f"<li>{_esc(item)}</li>"
                    for item in (
                        f"Owner: {_text(r['measure_owner'])}",
                        f"Due: {_due(r['measure_due'])}",
                        f"Status: {_text(r['measure_status']).replace('_', ' ')}",
                        f"Rights affected: {_text(r['rights_affected'])}",
                        f"Risk before measures: {r['likelihood']} × {r['severity']} = "
                        f"{r['level']}; after: {r['residual_likelihood']} × "
                        f"{r['residual_severity']} = {r['residual_level']}",
                    )
                )
                + "</ul>"
                + _paragraphs(*(text for _kind, text in notes.get(str(r["risk_id"]), []))),
            )
        )
        measure_of[str(r["risk_id"])] = len(entries)
    for r in records(rows):
        security = _text(r["security_measures"], "")
        if security:
            entries.append(
                (
                    security,
                    _paragraphs(
                        f"Security measures the register records for {r['activity_id']} "
                        f"{r['activity']} (Art. 30(1)(g))."
                    ),
                )
            )
    measures = [
        {
            "id": n,
            "pia_id": PIA_ID,
            "title": title,
            "content": content,
            "placeholder": MEASURE_PLACEHOLDER,
            "created_at": stamp,
            "updated_at": stamp,
        }
        for n, (title, content) in enumerate(entries, start=1)
    ]
    return measures, measure_of


def _evaluations(
    evidence: pd.DataFrame, measure_of: Mapping[str, int], stamp: str
) -> list[dict[str, Any]]:
    """A rating the period's data contradicts: the risk's measure is "to correct",
    the evidence in the evaluation's comment."""
    out: list[dict[str, Any]] = []
    for r in records(evidence):
        if not r["contradicts"] or str(r["risk"]) not in measure_of:
            continue
        out.append(
            {
                "id": len(out) + 1,
                "pia_id": PIA_ID,
                "reference_to": f"3.1.{measure_of[str(r['risk'])]}",
                "status": EVALUATION_TO_CORRECT,
                "global_status": EVALUATION_STARTED,
                "evaluation_comment": _paragraphs(
                    f"{r['risk']}: the data {r['evidence']} "
                    f"({r['condition']}; this period {r['this period']}, last period "
                    f"{r['last period']}). Raise the rating or fix the cause (Art. 35(11))."
                ),
                "action_plan_comment": None,
                "evaluation_date": None,
                "gauges": {"x": 0, "y": 0},
                "estimated_implementation_date": None,
                "person_in_charge": None,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
    return out


EVIDENCE, ART36 = "evidence", "art36"


def risk_notes(
    scored: pd.DataFrame,
    evidence: pd.DataFrame,
    period: Period,
    authorities: Sequence[Regulator] = (),
) -> dict[str, list[tuple[str, str]]]:
    """What the DPIA says of each risk beyond its rating, as ``(kind, text)`` by risk
    id: its evidence from the data (:data:`EVIDENCE`: the cited metric this period and
    last, and whether it supports or contradicts the rating; Art. 35(11)) and, for a
    risk still high after measures, the Art. 36(1) verdict (:data:`ART36`)."""
    notes: dict[str, list[tuple[str, str]]] = {}
    for r in records(evidence):
        notes.setdefault(str(r["risk"]), []).append(
            (
                EVIDENCE,
                f"{r['risk']}, evidence from the data, {period.label}: {r['condition']}; "
                "this period "
                f"{r['this period']}, last period {r['last period']}: {r['evidence']}.",
            )
        )
    names = "; ".join(f"the {a.name} ({a.short})" for a in authorities)
    for r in records(prior_consultation(scored)):
        notes.setdefault(str(r["risk_id"]), []).append(
            (
                ART36,
                f"{r['risk_id']} remains high after measures ({r['residual_likelihood']} × "
                f"{r['residual_severity']}): prior consultation with the supervisory "
                f"authority{f' ({names})' if names else ''} is required before the "
                "processing starts (Art. 36(1)).",
            )
        )
    return notes


def _comments(
    scored: pd.DataFrame, notes: Mapping[str, list[tuple[str, str]]], stamp: str
) -> list[dict[str, Any]]:
    """The notes of each risk of a feared event, as comments on its questions: the
    evidence on the likelihood question (the evidence judges the residual likelihood),
    the Art. 36(1) verdict on the severity question.

    Comments are on questions only, never on a measure: the tool's ``importComments``
    keeps a comment's ``reference_to`` as it is (pia.service.ts line 846), while
    ``importMeasures`` gives every measure a new id (line 779), so a comment on a
    measure would land on another one; a measure's notes are in its content instead."""
    out: list[tuple[int, str]] = []
    for r in records(scored):
        for event in feared_events_of(r["rights_affected"]):
            for kind, text in notes.get(str(r["risk_id"]), []):
                out.append((event.question(LIKELIHOOD if kind == EVIDENCE else SEVERITY), text))
    return [
        {
            "id": n,
            "pia_id": PIA_ID,
            "reference_to": question,
            "for_measure": False,
            "description": text,
            "created_at": stamp,
            "updated_at": stamp,
        }
        for n, (question, text) in enumerate(out, start=1)
    ]
