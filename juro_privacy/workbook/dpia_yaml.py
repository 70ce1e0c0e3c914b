"""``dpia.yaml``: the optional document that says what a DPIA covers, read and checked.

The ICO's DPIA template (UK GDPR Art. 35(7)) asks for the nature, scope, context and
purposes of the processing, who was consulted (Art. 35(9)) and who signed off the
measures, the residual risks and the DPO's advice (Art. 35(2)). This module reads the
file a DPO writes for that; docs/dpia.md shows one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from juro_privacy.errors import Problem, WorkbookError

DPIA_FILE = "dpia.yaml"


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
