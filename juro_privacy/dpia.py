"""The DPIA: screening, risk scoring, evidence from the data and the Art. 36 flag.

Pure functions over small frames; ``*_for`` wrappers take a :class:`Workbook`.

- Screening: the nine criteria of the EDPB-endorsed WP29 *Guidelines on DPIA*
  (WP248 rev.01, section III.B.a) and the ICO's list of processing that always
  needs a DPIA (ICO guidance *When do we need to do a DPIA?*; UK GDPR Art. 35(4)).
  Two or more criteria, or any ICO type, means "DPIA required".
- Scoring: likelihood x severity on the workbook's scale, read from
  ``data/risk_scale_ico.csv`` or ``data/risk_scale_cnil.csv`` (source per row).
- Art. 36(1): a high residual risk means the supervisory authority must be
  consulted before the processing starts.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from juro_privacy.errors import InputError, Problem, WorkbookError
from juro_privacy.findings import records
from juro_privacy.metrics import COMPARE, KNOWN_METRICS
from juro_privacy.paths import PACKAGE
from juro_privacy.periods import Period
from juro_privacy.workbook import Workbook

DPIA_FILE = "dpia.yaml"
REQUIRED = "DPIA required"
NOT_REQUIRED = "not required"
NO_EVIDENCE = "no evidence"

#: WP248 rev.01's nine criteria, in its order: (key, label).
CRITERIA: tuple[tuple[str, str], ...] = (
    ("profiling", "1 Evaluation or scoring, including profiling"),
    ("automated_decisions", "2 Automated decision with legal or similar effect"),
    ("systematic_monitoring", "3 Systematic monitoring"),
    ("sensitive_data", "4 Sensitive or highly personal data"),
    ("large_scale", "5 Large scale"),
    ("combining", "6 Matching or combining datasets"),
    ("vulnerable_subjects", "7 Vulnerable data subjects"),
    ("innovative_technology", "8 Innovative technology"),
    ("prevents_rights", "9 Prevents exercising a right or using a service"),
)
#: Criteria only a person can judge: read from the register's flags.
FLAG_CRITERIA = (
    "profiling",
    "automated_decisions",
    "systematic_monitoring",
    "vulnerable_subjects",
    "innovative_technology",
    "prevents_rights",
)
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


# ---------------------------------------------------------------- scales and scoring


@dataclass(frozen=True)
class RiskScale:
    """A likelihood x severity matrix: levels low to high on each axis, cell -> level."""

    name: str
    likelihoods: tuple[str, ...]
    severities: tuple[str, ...]
    levels: dict[tuple[str, str], str]
    sources: dict[tuple[str, str], str]

    def level(self, likelihood: str, severity: str) -> str:
        return self.levels[(likelihood, severity)]


@functools.lru_cache(maxsize=4)
def risk_scale(name: str) -> RiskScale:
    """The ``ico`` or ``cnil`` scale from ``data/risk_scale_<name>.csv``."""
    path = PACKAGE / "data" / f"risk_scale_{name}.csv"
    if not path.is_file():
        raise InputError(f"unknown risk scale {name!r}: choose ico or cnil")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    likelihoods = tuple(dict.fromkeys(r["likelihood"] for r in rows))
    severities = tuple(dict.fromkeys(r["severity"] for r in rows))
    return RiskScale(
        name,
        likelihoods,
        severities,
        {(r["likelihood"], r["severity"]): r["level"] for r in rows},
        {(r["likelihood"], r["severity"]): r["source"] for r in rows},
    )


def scale_table(scale: RiskScale) -> pd.DataFrame:
    """The matrix as a table: likelihood down, severity across, the level in each cell."""
    return pd.DataFrame(
        [[scale.level(lk, sv) for sv in scale.severities] for lk in scale.likelihoods],
        index=pd.Index(scale.likelihoods, name="likelihood \\ severity"),
        columns=list(scale.severities),
    ).reset_index()


def risk_problems(
    risks: pd.DataFrame,
    scale: RiskScale,
    file: str = "risks.csv",
    rows: Sequence[int] | None = None,
) -> list[Problem]:
    """Every likelihood or severity that is not a level of the workbook's scale.

    ``rows`` are the file rows of the records (:meth:`Workbook.row_of`); by default a
    CSV's: the header is row 1."""
    problems: list[Problem] = []
    for i, r in enumerate(records(risks)):
        row = rows[i] if rows is not None else i + 2
        for col, allowed in (
            ("likelihood", scale.likelihoods),
            ("severity", scale.severities),
            ("residual_likelihood", scale.likelihoods),
            ("residual_severity", scale.severities),
        ):
            if r[col] not in allowed:
                problems.append(
                    Problem(
                        file,
                        "not_on_scale",
                        f"{r[col]!r} is not on the {scale.name} scale ({', '.join(allowed)})",
                        row=row,
                        column=col,
                    )
                )
        metric = r["evidence_metric"]
        if metric is not None and pd.notna(metric):
            if metric not in KNOWN_METRICS:
                problems.append(
                    Problem(
                        file,
                        "unknown_metric",
                        f"{metric!r} is not a known metric",
                        row=row,
                        column="evidence_metric",
                    )
                )
            for col in ("evidence_comparison", "evidence_threshold"):
                if r[col] is None or pd.isna(r[col]):
                    problems.append(
                        Problem(file, "missing_value", "is needed with evidence_metric", row, col)
                    )
    return problems


def score_risks(risks: pd.DataFrame, scale: RiskScale) -> pd.DataFrame:
    """Each risk with its level before and after measures on ``scale``.

    Raises :class:`WorkbookError` naming ``risks.csv``, row and column for a value
    off the scale or an unknown evidence metric.
    """
    problems = risk_problems(risks, scale)
    if problems:
        raise WorkbookError(problems)
    out = risks.copy()
    for level, likelihood, severity in (
        ("level", "likelihood", "severity"),
        ("residual_level", "residual_likelihood", "residual_severity"),
    ):
        # A Series of str even when there is no risk (an empty list would be float64).
        out[level] = pd.Series(
            [scale.level(lk, sv) for lk, sv in zip(out[likelihood], out[severity], strict=True)],
            index=out.index,
            dtype="str",
        )
    return out


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


def heatmap_cells(scored: pd.DataFrame, scale: RiskScale) -> pd.DataFrame:
    """Risk ids per cell of the matrix, before and after measures, for the heat map."""
    rows = []
    for when, lk_col, sv_col in (
        ("before measures", "likelihood", "severity"),
        ("after measures", "residual_likelihood", "residual_severity"),
    ):
        for lk in scale.likelihoods:
            for sv in scale.severities:
                ids = scored.loc[(scored[lk_col] == lk) & (scored[sv_col] == sv), "risk_id"]
                rows.append(
                    {
                        "when": when,
                        "likelihood": lk,
                        "severity": sv,
                        "level": scale.level(lk, sv),
                        "risks": ", ".join(ids),
                        "count": len(ids),
                    }
                )
    frame = pd.DataFrame(rows)
    frame.attrs.update(likelihoods=scale.likelihoods, severities=scale.severities)
    return frame


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


# ---------------------------------------------------------------- evidence


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return NO_EVIDENCE
    if unit == "rate":
        return f"{value:.0%}"
    return f"{value:g}"


def evidence(
    scored: pd.DataFrame,
    current: Mapping[str, float | None],
    previous: Mapping[str, float | None],
    scale: RiskScale,
) -> pd.DataFrame:
    """Each risk's cited metric this period and last, and whether it contradicts the rating.

    The risk's condition (``metric comparison threshold``) holding means the risk is
    happening; when its residual likelihood is the lowest on the scale, the evidence
    *contradicts the rating*. A metric without a value is :data:`NO_EVIDENCE`, never 0.
    """
    rows = []
    for r in records(scored):
        name = r["evidence_metric"]
        if name is None or pd.isna(name):
            continue
        unit = KNOWN_METRICS[name].unit
        now, before = current.get(name), previous.get(name)
        threshold = float(r["evidence_threshold"])
        condition = f"{name} {r['evidence_comparison']} {threshold:g}"
        if now is None:
            verdict = NO_EVIDENCE
        elif COMPARE[r["evidence_comparison"]](now, threshold):
            if r["residual_likelihood"] == scale.likelihoods[0]:
                verdict = (
                    f"contradicts the rating: residual likelihood {r['residual_likelihood']}, "
                    f"but {name} is {_fmt(now, unit)}"
                )
            else:
                verdict = "risk is occurring, as the rating allows"
        else:
            verdict = "supports the rating"
        rows.append(
            {
                "risk": r["risk_id"],
                "condition": condition,
                "this period": _fmt(now, unit),
                "last period": _fmt(before, unit),
                "residual": f"{r['residual_likelihood']} × {r['residual_severity']}",
                "evidence": verdict,
                "contradicts": verdict.startswith("contradicts"),
            }
        )
    columns = ["risk", "condition", "this period", "last period", "residual", "evidence"]
    return pd.DataFrame(rows, columns=[*columns, "contradicts"])


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


def evidence_view(ev: pd.DataFrame) -> pd.DataFrame:
    """The evidence as printed: the residual rating is in the risk table and the verdict."""
    return ev.drop(columns=["residual", "contradicts"])


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


# ---------------------------------------------------------------- workbook wrappers


def subject_counts(wb: Workbook) -> dict[str, int | None]:
    """Records per kind of data subject the workbook holds (accounts, consent subjects)."""
    counts: dict[str, int | None] = {}
    accounts = wb.files.get("accounts")
    if accounts is not None:
        from juro_privacy.retention import accounts_table

        counts["customers"] = int(accounts_table(accounts).count().execute())
    consents = wb.tables.get("consents")
    if consents is not None:
        counts["prospects"] = int(consents["subject_id"].nunique())
    return counts


def screening_for(wb: Workbook, period: Period) -> pd.DataFrame:
    """The screening of every activity carried out in ``period``."""
    from juro_privacy.register import active_in

    return screen(
        active_in(wb.activities, period),
        wb.categories,
        subject_counts(wb),
        large_scale_threshold=wb.config.large_scale_threshold,
    )


def scale_for(wb: Workbook) -> RiskScale:
    return risk_scale(wb.config.risk_scale)


def risks_for(wb: Workbook, activities: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The workbook's risks scored on its scale, for ``activities`` (all when ``None``)."""
    scored = score_risks(wb.risks, scale_for(wb))  # rows numbered as in the file
    if activities is not None:
        scored = scored[scored["activity_id"].isin(activities)].reset_index(drop=True)
    return scored


def dpia_for(wb: Workbook) -> DpiaDocument | None:
    return load_dpia(wb.root, set(wb.activities["activity_id"]))


def validate(wb: Workbook) -> None:
    """Check what the DPIA and the claims read beyond the data contract, before a run:
    metric names, risk levels on the workbook's scale, ``dpia.yaml``. Every problem is
    raised at once as one :class:`WorkbookError`."""
    from juro_privacy.metrics import metric_problems

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
