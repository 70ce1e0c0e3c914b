"""Data flows and international transfers: who sends which data where, and on what basis.

Pure functions: tables in, tables out. :func:`build_flows` derives the flow table (one
row per office, activity, processor and data category) from the register and judges each
flow with :func:`juro_privacy.rules.transfers.transfer_status` on the first and the last day it
ran in the period; :func:`flow_findings` checks it against GDPR / UK GDPR Chapter V,
Art. 28 and the privacy policy's promises. ``docs/flows.md`` explains every rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from typing import Any

import pandas as pd

from juro_privacy.errors import TransferError
from juro_privacy.findings import Finding, findings_frame, records
from juro_privacy.periods import Period, active_in
from juro_privacy.rules.transfers import (
    assessment_rule,
    derogation_rule,
    flow_status,
    mechanism_table,
    regime_of,
    transfer_status,
)
from juro_privacy.topics.flows.geo import country_label

TOPIC = "flows"

#: How a status reads in a report, from least to most worrying.
STATUS_LABELS = {
    "not_restricted": "Not restricted",
    "adequate": "Adequate",
    "safeguarded": "Safeguarded",
    "derogation": "Derogation",
    "unsafeguarded": "Unsafeguarded",
}

#: Each status in a DPO's words, with its legal source (shown in the report).
STATUS_MEANING = {
    "not_restricted": (
        "The data stays inside the exporting office's own area (UK to UK, EU/EEA to EU/EEA): "
        "no transfer in law.",
        "GDPR and UK GDPR Art. 44",
    ),
    "adequate": (
        "The destination has an adequacy finding of the office's own regime on that day "
        "(for the US: only a recipient on the Data Privacy Framework List on that day, for "
        "data of its certified scope; from London, only one also in the UK Extension).",
        "GDPR Art. 45; UK GDPR Art. 45A (DUAA 2025 s. 85, from 5 February 2026; DPA 2018 "
        "s. 17A before)",
    ),
    "safeguarded": (
        "No adequacy, but a safeguard the office's regime recognises on that day was signed "
        "on or before it (EU SCCs; for the UK the ICO Addendum or IDTA; BCRs).",
        "GDPR and UK GDPR Art. 46(2); DPA 2018 s. 119A",
    ),
    "derogation": (
        "No adequacy and no safeguard, but the activity records an Art. 49 derogation "
        "(explicit consent, a contract with the person, legal claims, ...): lawful only for "
        "occasional transfers that meet its conditions.",
        "GDPR and UK GDPR Art. 49(1); EDPB Guidelines 2/2018",
    ),
    "unsafeguarded": (
        "Neither: the transfer has no Chapter V basis on that day. Stop it, or put a "
        "safeguard in place.",
        "GDPR and UK GDPR Art. 44 (general principle) and 46",
    ),
}

#: The flow table, in order. Dates are ``datetime.date``; ``status_*`` are STATUSES values.
FLOW_COLUMNS = [
    "office",  # site id of the exporting office
    "office_name",
    "office_country",
    "office_disclosed",  # the privacy policy names it as a place of processing
    "regime",  # "UK" or "EU" on the flow's last day in the period
    "activity_id",
    "activity",
    "processor_id",
    "processor",
    "relationship",  # processor (Art. 28) or independent_controller
    "country",  # where the processor processes the data
    "data_category",
    "category",  # the category's name
    "mechanism",
    "dpf_certified",
    "dpf_certified_until",
    "dpf_certified_from",
    "dpf_scope",  # hr, non_hr or both
    "dpf_covers_subjects",  # the DPF scope covers the activity's data subjects
    "uk_extension",
    "uk_extension_from",
    "uk_extension_until",
    "mechanism_signed_on",  # the clauses' signature date (else the DPA's) judged against
    "dpa_signed_on",
    "dpa_lists_category",
    "encrypted_in_transit",
    "listed_in_policy",
    "began_on",  # later of the activity's start and the processor's engagement
    "first_day",  # first day of the flow inside the period: status_at_start is judged on it
    "last_day",  # last day of the flow inside the period: status_at_end is judged on it
    "status_at_start",
    "status_at_end",
    "changed_on",  # first day whose status differs from status_at_start, if any
    "transfer_assessment_on",  # the processor's transfer risk / impact assessment, if any
    "transfer_assessment_outcome",  # meets_test or does_not_meet
    "transfer_derogation",  # the activity's Art. 49 derogation, if any
]

_BOOL_COLUMNS = [
    "office_disclosed",
    "dpf_certified",
    "dpf_covers_subjects",
    "uk_extension",
    "dpa_lists_category",
    "encrypted_in_transit",
    "listed_in_policy",
]
_MAX_SCAN_DAYS = 400  # a period is at most a year: the change-day scan stops after this


def _day(value: Any) -> dt.date | None:
    """A date cell as ``datetime.date``; NaT, None and NA as None."""
    if value is None or value is pd.NaT or pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _text(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _flag(value: Any) -> bool:
    """A boolean cell; NA counts as false."""
    return value is not None and not pd.isna(value) and bool(value)


def judge(
    origin: str,
    processor: dict[str, Any],
    on: dt.date,
    subjects: Iterable[str] = (),
    derogation: str | None = None,
) -> str | None:
    """The transfer status of sending data from ``origin`` to ``processor`` on ``on``.

    Reads the processor's row as the workbook records it: ``mechanism`` (the ICO Addendum
    is attached to the EU SCCs, so an EU office relies on those SCCs) signed on
    ``mechanism_signed_on`` (else ``dpa_signed_on``), old 2010 SCCs only until the
    ``operations_changed_on`` day; the DPF certification and the UK
    Extension on the day (:func:`dpf_on`, :func:`uk_extension_on`) and for the activity's
    data ``subjects`` (:func:`dpf_covers`); then the transfer assessment in force on the
    day and the activity's Art. 49 ``derogation`` (``rules.transfers.flow_status``).
    None for an office outside the UK and EU/EEA, which no Chapter V regime governs as
    exporter.
    """
    try:
        regime = regime_of(origin, on)
    except TransferError:
        return None
    mechanism = _text(processor.get("mechanism"))
    if regime == "EU" and mechanism == "uk_addendum":
        mechanism = "sccs"
    changed = _day(processor.get("operations_changed_on"))
    if mechanism == "sccs_2010" and changed is not None and on >= changed:
        # Old clauses kept only "provided the processing operations ... remain unchanged"
        # (Decision (EU) 2021/914 Art. 4(4); the ICO's transitional provisions).
        mechanism = None
    certified = dpf_on(processor, on) and dpf_covers(processor, subjects)
    status = transfer_status(
        origin,
        str(processor["country"]),
        on,
        mechanism=mechanism,
        dpf_certified=certified,
        uk_extension=certified and uk_extension_on(processor, on),
        mechanism_signed_on=signed_on(processor),
    )
    return flow_status(
        status, assessment_outcome=assessment_on(processor, on), derogation=derogation
    )


def assessment_on(processor: dict[str, Any], on: dt.date) -> str | None:
    """The outcome of the processor's transfer assessment if it was made by ``on``: an
    assessment counts from its date (``transfer_assessment_on``), not before."""
    made = _day(processor.get("transfer_assessment_on"))
    if made is None or on < made:
        return None
    return _text(processor.get("transfer_assessment_outcome"))


def _within(on: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or start <= on) and (end is None or on <= end)


def dpf_on(processor: dict[str, Any], on: dt.date) -> bool:
    """Whether the recipient was on the DPF List on ``on``: from ``dpf_certified_from`` to
    ``dpf_certified_until`` (a flow before certification is not covered)."""
    if not _flag(processor.get("dpf_certified")):
        return False
    start = _day(processor.get("dpf_certified_from"))
    return _within(on, start, _day(processor.get("dpf_certified_until")))


def uk_extension_on(processor: dict[str, Any], on: dt.date) -> bool:
    """Whether the recipient participated in the UK Extension to the EU-US DPF on ``on``
    (SI 2023/1028 reg. 3(2)(a)): from ``uk_extension_from`` to ``uk_extension_until``,
    and never outside its DPF certification."""
    if not (_flag(processor.get("uk_extension")) and dpf_on(processor, on)):
        return False
    start = _day(processor.get("uk_extension_from"))
    return _within(on, start, _day(processor.get("uk_extension_until")))


#: The data-subject categories that are human-resources data on the DPF List.
HR_SUBJECTS = frozenset({"employees"})


def dpf_covers(processor: dict[str, Any], subjects: Iterable[str]) -> bool:
    """Whether the recipient's DPF certification covers data about ``subjects``: the DPF
    List records HR and/or non-HR data (DPF Principles, Supplemental Principle 9); HR
    data (employees) needs ``hr`` or ``both``, any other subjects ``non_hr`` or ``both``."""
    scope = _text(processor.get("dpf_scope")) or "both"
    if scope == "both":
        return True
    kinds = {"hr" if s in HR_SUBJECTS else "non_hr" for s in subjects} or {"non_hr"}
    return kinds == {scope}


def signed_on(processor: dict[str, Any]) -> dt.date | None:
    """The day the transfer clauses were signed: ``mechanism_signed_on``, else the DPA's."""
    return _day(processor.get("mechanism_signed_on")) or _day(processor.get("dpa_signed_on"))


def _regime(origin: str, on: dt.date) -> str | None:
    try:
        return regime_of(origin, on)
    except TransferError:
        return None


def build_flows(
    activities: pd.DataFrame,
    sites: pd.DataFrame,
    processors: pd.DataFrame,
    categories: pd.DataFrame,
    period: Period,
) -> pd.DataFrame:
    """The flow table for ``period``: one row per (office, activity, processor, category).

    A flow exists for each office of an activity active in the period, each recipient of
    it that is a processor (other recipients are the register's concern) and each data
    category of the activity: the register names the recipient for the whole activity. It
    began on the later of the activity's ``started_on`` and the processor's
    ``engaged_on``; it is judged on its first and its last day inside the period.
    """
    sites_by_id = {str(s["site_id"]): s for s in records(sites)}
    procs = {str(p["processor_id"]): p for p in records(processors)}
    names = dict(zip(categories["category_id"], categories["name"], strict=True))
    rows: list[dict[str, Any]] = []
    for a in records(active_in(activities, period)):
        started = _day(a["started_on"])
        assert started is not None  # required by the data contract
        ended = _day(a["ended_on"])
        for office in a["offices"]:
            site = sites_by_id[office]
            origin = str(site["country"])
            for rid in a["recipients"] or ():
                p = procs.get(rid)
                if p is None:
                    continue
                engaged = _day(p.get("engaged_on"))
                began = max(started, engaged) if engaged else started
                first = max(period.start, began)
                last = min(period.end, ended) if ended else period.end
                if first > last:
                    continue  # engaged after the period, or after the activity ended
                subjects = tuple(a.get("data_subjects") or ())
                derogation = _text(a.get("transfer_derogation"))
                s0 = judge(origin, p, first, subjects, derogation)
                s1 = judge(origin, p, last, subjects, derogation)
                changed = (
                    _first_change(origin, p, subjects, derogation, first, last, s0)
                    if s0 != s1
                    else None
                )
                dpa_cats = set(p["data_categories"] or ())
                for cat in a["data_categories"]:
                    rows.append(
                        {
                            "office": office,
                            "office_name": site["name"],
                            "office_country": origin,
                            "office_disclosed": _flag(site["disclosed"]),
                            "regime": _regime(origin, last),
                            "activity_id": a["activity_id"],
                            "activity": a["name"],
                            "processor_id": rid,
                            "processor": p["name"],
                            "relationship": _text(p.get("relationship")) or "processor",
                            "country": p["country"],
                            "data_category": cat,
                            "category": names.get(cat, cat),
                            "mechanism": _text(p.get("mechanism")),
                            "dpf_certified": _flag(p.get("dpf_certified")),
                            "dpf_certified_until": _day(p.get("dpf_certified_until")),
                            "dpf_certified_from": _day(p.get("dpf_certified_from")),
                            "dpf_scope": _text(p.get("dpf_scope")) or "both",
                            "dpf_covers_subjects": dpf_covers(p, subjects),
                            "uk_extension": _flag(p.get("uk_extension")),
                            "uk_extension_from": _day(p.get("uk_extension_from")),
                            "uk_extension_until": _day(p.get("uk_extension_until")),
                            "mechanism_signed_on": signed_on(p),
                            "dpa_signed_on": _day(p.get("dpa_signed_on")),
                            "dpa_lists_category": cat in dpa_cats,
                            "encrypted_in_transit": _flag(p.get("encrypted_in_transit")),
                            "listed_in_policy": _flag(p.get("listed_in_policy")),
                            "began_on": began,
                            "first_day": first,
                            "last_day": last,
                            "status_at_start": s0,
                            "status_at_end": s1,
                            "changed_on": changed,
                            "transfer_assessment_on": _day(p.get("transfer_assessment_on")),
                            "transfer_assessment_outcome": _text(
                                p.get("transfer_assessment_outcome")
                            ),
                            "transfer_derogation": derogation,
                        }
                    )
    # object columns keep None for a missing date, mechanism or status (never NaN)
    frame = pd.DataFrame(rows, columns=FLOW_COLUMNS, dtype=object)
    for c in _BOOL_COLUMNS:
        frame[c] = frame[c].astype(bool)
    return frame.sort_values(
        ["office", "activity_id", "processor_id", "data_category"], kind="stable"
    ).reset_index(drop=True)


def _first_change(
    origin: str,
    processor: dict[str, Any],
    subjects: tuple[str, ...],
    derogation: str | None,
    first: dt.date,
    last: dt.date,
    start: str | None,
) -> dt.date | None:
    """The first day after ``first`` whose status differs from ``start``."""
    day = first
    for _ in range(_MAX_SCAN_DAYS):
        day += dt.timedelta(days=1)
        if day > last:
            break
        if judge(origin, processor, day, subjects, derogation) != start:
            return day
    return None


# ---------------------------------------------------------------- findings


def _list(values: Iterable[Any]) -> str:
    return ", ".join(dict.fromkeys(str(v) for v in values))


def _acts(group: pd.DataFrame) -> str:
    pairs = dict.fromkeys(zip(group["activity_id"], group["activity"], strict=True))
    return "; ".join(f"{i} {n}" for i, n in pairs)


def _why_unsafeguarded(
    regime: str,
    mechanism: str | None,
    country: str,
    on: dt.date,
    signed: dt.date | None = None,
    assessed: tuple[dt.date | None, str | None] = (None, None),
) -> str:
    """Why no safeguard holds: none recorded, not one this regime knows, not valid then, or
    its transfer assessment found that it does not protect the data."""
    if mechanism is None:
        return f"no adequacy covers {country_label(country)} and no Art. 46 safeguard is recorded"
    if regime == "EU" and mechanism == "uk_addendum":
        mechanism = "sccs"
    rules = mechanism_table()
    row = rules[(rules["regime"] == regime) & (rules["mechanism"] == mechanism)]
    if row.empty or not bool(row["valid"].iloc[0]):
        if regime == "UK" and mechanism == "sccs":
            return "the EU SCCs alone are not a safeguard under UK GDPR"
        return f"'{mechanism}' is not a safeguard under {regime} GDPR"
    end = row["valid_to"].iloc[0]
    if signed is not None and on < signed:
        return f"the '{mechanism}' clauses were signed only on {signed}"
    cut = row["concluded_by"].iloc[0]
    if signed is not None and pd.notna(cut) and signed > cut.date():
        return (
            f"'{mechanism}' contracts concluded after {cut.date()} are not a safeguard for "
            f"{regime} exporters (signed {signed})"
        )
    if pd.notna(end) and on > end.date():
        return f"'{mechanism}' stopped being valid for {regime} exporters after {end.date()}"
    made, outcome = assessed
    rule = assessment_rule(regime, on)
    if outcome == "does_not_meet" and made is not None and made <= on and rule is not None:
        return (
            f"the transfer assessment of {made} found the '{mechanism}' clauses do not "
            f"protect the data as {rule.citation} requires, so they do not make the "
            "transfer lawful"
        )
    return f"'{mechanism}' is not valid for {regime} exporters on {on}"


def _why_not_adequate(f: pd.Series, regime: str, on: dt.date) -> str:
    """For a US recipient on the DPF List: why its certification does not cover the flow."""
    if f["country"] != "US" or not f["dpf_certified"]:
        return ""
    start = f["dpf_certified_from"]
    if start is not None and on < start:
        return f"; its DPF certification only starts on {start}"
    if not f["dpf_covers_subjects"]:
        return f"; its DPF certification covers {f['dpf_scope']} data only, not these data subjects"
    if regime == "UK" and not f["uk_extension"]:
        return (
            "; it is certified to the EU-US DPF but not to the UK Extension, which a UK "
            "exporter needs (SI 2023/1028 reg. 3)"
        )
    return ""


def _regime_law(regime: str | None) -> str:
    return "UK GDPR" if regime == "UK" else "GDPR"


def flow_findings(flows: pd.DataFrame, period: Period, *, review_months: int = 12) -> pd.DataFrame:
    """Check the flow table for ``period``; one finding per fault, each tied to its rule.

    - a transfer unsafeguarded at the period's start or end (Arts. 44, 46);
    - a processor with no Art. 28 contract, or one dated after its flow began (Art. 28(3));
    - a processor receiving a data category its contract does not list (Art. 28(3));
    - a US transfer not encrypted in transit (the privacy policy; Art. 32(1)(a));
    - processing at a place the policy does not disclose (Art. 13(1), Art. 5(1)(a));
    - a UK office relying on the EU SCCs alone (UK GDPR Art. 46; DPA 2018 s. 119A);
    - a safeguarded transfer without a documented transfer assessment (UK GDPR
      Art. 46(1A); Schrems II), or, as house policy, with one older than
      ``review_months`` (workbook.yaml ``transfer_assessment_review_months``);
    - an Art. 49 derogation used for a regular transfer (EDPB Guidelines 2/2018);
    - a transfer whose status changed during the period.
    """
    found: list[Finding] = []
    if flows.empty:
        return findings_frame(found)
    # one group per transfer and status: an activity's derogation or data subjects can
    # judge one processor differently from the same office
    keys = ["processor_id", "office", "status_at_start", "status_at_end"]
    for _, g in flows.groupby(keys, sort=True, dropna=False):
        found += _transfer_findings(g)
        found += _assessment_findings(g, period, review_months)
        found += _derogation_findings(g, period)
    for _, g in flows.groupby("processor_id", sort=True):
        found += _processor_findings(g, period)
    for office, g in flows[~flows["office_disclosed"]].groupby("office", sort=True):
        first = g.iloc[0]
        found.append(
            Finding(
                TOPIC,
                "undisclosed_location",
                "medium",
                "Art. 5(1)(a); Art. 13(1); privacy policy ('processed at our offices in "
                "London and Riga')",
                f"{first['office_name']} ({first['office_country']})",
                f"Personal data is processed at {first['office_name']} for {_acts(g)}, a "
                f"place the privacy policy does not disclose (site '{office}').",
            )
        )
    return findings_frame(found)


def _transfer_findings(g: pd.DataFrame) -> list[Finding]:
    """Findings about one processor seen from one office."""
    f = g.iloc[0]
    subject = f"{f['processor']} from {f['office_name']}"
    s0, s1 = f["status_at_start"], f["status_at_end"]
    changed = f["changed_on"]
    regime = f["regime"]
    out: list[Finding] = []
    if "unsafeguarded" in (s0, s1):
        if s0 == s1:
            when, day = "throughout the period", f["last_day"]
        elif s1 == "unsafeguarded":
            when, day = f"from {changed} to the end of the period", f["last_day"]
        else:
            when, day = f"from the start of the period until {changed}", f["first_day"]
        why = _why_unsafeguarded(
            str(regime),
            _text(f["mechanism"]),
            str(f["country"]),
            day,
            f["mechanism_signed_on"],
            (f["transfer_assessment_on"], _text(f["transfer_assessment_outcome"])),
        )
        why += _why_not_adequate(f, str(regime), day)
        out.append(
            Finding(
                TOPIC,
                "unsafeguarded_transfer",
                "high",
                f"{_regime_law(regime)} Art. 44 and 46",
                subject,
                f"{_list(g['category'])} sent to {country_label(str(f['country']))} for "
                f"{_acts(g)} with no "
                f"adequacy and no valid safeguard {when}: {why}.",
            )
        )
    if regime == "UK" and f["mechanism"] == "sccs" and "unsafeguarded" in (s0, s1):
        out.append(
            Finding(
                TOPIC,
                "sccs_only_from_uk",
                "medium",
                "UK GDPR Art. 46(2)(c)-(d); DPA 2018 s. 119A",
                subject,
                "Relies on the EU SCCs alone from a UK office: sign the ICO's International "
                "Data Transfer Addendum to them (mechanism `uk_addendum`) or the IDTA.",
            )
        )
    if s0 is not None and s1 is not None and s0 != s1:
        cause = ""
        until = f["dpf_certified_until"]
        if f["dpf_certified"] and until is not None and f["first_day"] <= until < f["last_day"]:
            cause = f" The recipient's DPF certification ended on {until}."
        out.append(
            Finding(
                TOPIC,
                "status_changed",
                "medium" if s1 == "unsafeguarded" else "low",
                "Art. 44-46: a transfer is judged on the day it takes place",
                subject,
                f"{STATUS_LABELS[str(s0)]} on {f['first_day']}, {STATUS_LABELS[str(s1)]} on "
                f"{f['last_day']} (changed on {changed}).{cause}",
            )
        )
    return out


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day where it has no such day)."""
    stamp = pd.Timestamp(day) + pd.DateOffset(months=months)
    return dt.date(stamp.year, stamp.month, stamp.day)


def _assessment_findings(g: pd.DataFrame, period: Period, review_months: int) -> list[Finding]:
    """A safeguarded transfer needs a documented assessment (UK GDPR Art. 46(1A); Schrems
    II); as house policy, one not older than ``review_months``."""
    f = g.iloc[0]
    s0, s1 = f["status_at_start"], f["status_at_end"]
    if "safeguarded" not in (s0, s1):
        return []
    need_from = f["first_day"] if s0 == "safeguarded" else f["changed_on"]
    need_to = f["last_day"] if s1 == "safeguarded" else f["changed_on"] - dt.timedelta(days=1)
    regime = str(f["regime"])
    rule = assessment_rule(regime, need_to)
    if rule is None:
        return []
    subject = f"{f['processor']} from {f['office_name']}"
    made = f["transfer_assessment_on"]
    outcome = _text(f["transfer_assessment_outcome"])
    what = (
        "the data protection test is met (protection not materially lower)"
        if rule.assessment == "data_protection_test"
        else "the safeguard is effective in the destination's law and practice"
    )
    lead = (
        f"{_list(g['category'])} sent to {country_label(str(f['country']))} for {_acts(g)} "
        f"rely on '{f['mechanism']}'"
    )
    if made is None or outcome is None or made > need_to:
        on_file = (
            "no transfer assessment is on file"
            if made is None
            else f"the assessment on file is dated {made}, after the period"
            if made > need_to
            else f"the assessment of {made} records no outcome"
        )
        return [
            Finding(
                TOPIC,
                "no_transfer_assessment",
                "high",
                rule.citation,
                subject,
                f"{lead}, but {on_file}: the exporter must document that {what} before "
                "relying on the safeguard. Complete the assessment (the ICO's TRA tool from "
                "London, the EDPB's six steps from the EU) and record its date and outcome.",
            )
        ]
    out: list[Finding] = []
    if made > need_from:
        out.append(
            Finding(
                TOPIC,
                "no_transfer_assessment",
                "medium",
                rule.citation,
                subject,
                f"{lead} from {need_from}, but the transfer assessment was made only on "
                f"{made}: the transfers before it had none.",
            )
        )
    due = _add_months(made, review_months)
    if s1 == "safeguarded" and due < f["last_day"]:
        out.append(
            Finding(
                TOPIC,
                "stale_transfer_assessment",
                "low",
                f"House policy (workbook.yaml transfer_assessment_review_months: "
                f"{review_months}), not a legal deadline; EDPB Recommendations 01/2020 step 6",
                subject,
                f"{lead}; its transfer assessment of {made} was due for review on {due} "
                f"under the workbook's {review_months}-month policy. The law sets no fixed "
                "interval, but asks the exporter to re-evaluate as the destination's law "
                "and practice change: review it and record the new date.",
            )
        )
    return out


def _derogation_findings(g: pd.DataFrame, period: Period) -> list[Finding]:
    """Art. 49 derogations are for occasional transfers (Recital 111; EDPB Guidelines
    2/2018): one used by an activity still running at the period's end is regular."""
    f = g.iloc[0]
    if "derogation" not in (f["status_at_start"], f["status_at_end"]):
        return []
    out: list[Finding] = []
    for _, a in g.groupby("activity_id", sort=True):
        first = a.iloc[0]
        if first["last_day"] < period.end or first["transfer_derogation"] is None:
            continue  # ended in the period: the workbook cannot tell it was regular
        rule = derogation_rule(str(first["transfer_derogation"]))
        limit = (
            "Recital 111 limits this derogation expressly to occasional transfers"
            if rule.occasional_only
            else "even derogations not expressly limited to occasional transfers must not "
            "become the rule"
        )
        out.append(
            Finding(
                TOPIC,
                "derogation_for_regular_transfer",
                "high" if rule.occasional_only else "medium",
                f"{_regime_law(first['regime'])} Art. {rule.article}; EDPB Guidelines 2/2018",
                f"{first['processor']} from {first['office_name']}",
                f"{_list(a['category'])} sent to {country_label(str(first['country']))} for "
                f"{_acts(a)} rely on the Art. {rule.article} derogation ({rule.name}), but "
                f"the activity is ongoing: every new record goes to the same recipient, a "
                f"regular, repetitive transfer. Derogations are for occasional transfers and "
                f"read restrictively; {limit}. Put an Art. 46 safeguard in place.",
            )
        )
    return out


def _processor_findings(g: pd.DataFrame, period: Period) -> list[Finding]:
    """Findings about one processor, whichever office sends to it."""
    f = g.iloc[0]
    subject = f"{f['processor']} ({f['country']})"
    offices = _list(g["office_name"])
    signed = f["dpa_signed_on"]
    out: list[Finding] = []
    # An independent controller (HMRC, an auditor) decides its own purposes: it is owed
    # no Art. 28 contract, so none of the contract's findings apply to it.
    if f["relationship"] == "processor":
        if signed is None or signed > period.end:
            when = (
                "" if signed is None else f" (the one on file is dated {signed}, after the period)"
            )
            out.append(
                Finding(
                    TOPIC,
                    "no_dpa",
                    "high",
                    "Art. 28(3)",
                    subject,
                    f"No signed Art. 28 contract{when}, yet it receives personal data for "
                    f"{_acts(g)} from {offices}.",
                )
            )
        else:
            began = min(g["began_on"])
            if signed > began:
                first = g[g["began_on"] == began]
                out.append(
                    Finding(
                        TOPIC,
                        "dpa_after_flow",
                        "medium",
                        "Art. 28(3)",
                        subject,
                        f"The DPA is dated {signed} but data began to flow on {began} for "
                        f"{_acts(first)}: {(signed - began).days} days of processing without an "
                        "Art. 28 contract.",
                    )
                )
            missing = g[~g["dpa_lists_category"]]
            for cat, m in missing.groupby("category", sort=True):
                out.append(
                    Finding(
                        TOPIC,
                        "category_not_in_dpa",
                        "medium",
                        "Art. 28(3)",
                        f"{f['processor']}: {cat}",
                        f"Receives '{cat}' for {_acts(m)} from {_list(m['office_name'])}, but its "
                        "DPA does not list that category: extend the DPA or stop sending it.",
                    )
                )
    if f["country"] == "US" and not f["encrypted_in_transit"]:
        out.append(
            Finding(
                TOPIC,
                "us_unencrypted",
                "high",
                "Privacy policy ('Any data transfers to the US are encrypted'); Art. 32(1)(a)",
                subject,
                f"Data sent for {_acts(g)} from {offices} is not encrypted in transit.",
            )
        )
    if not f["listed_in_policy"]:
        out.append(
            Finding(
                TOPIC,
                "undisclosed_location",
                "medium",
                "Art. 13(1)(e)-(f); privacy policy ('the third parties identified below')",
                subject,
                f"Processes personal data for {_acts(g)} but is not among the third parties "
                "the privacy policy identifies.",
            )
        )
    return out


#: Policy-claim metrics (``policy_claims.metric``) and the finding codes they count.
METRIC_CODES = {
    "transfers.unsafeguarded_count": "unsafeguarded_transfer",
    "transfers.undisclosed_location_count": "undisclosed_location",
    "transfers.us_unencrypted_count": "us_unencrypted",
    "transfers.no_dpa_count": "no_dpa",
}


def metrics(findings: pd.DataFrame) -> dict[str, float]:
    """The transfer metrics the policy claims are checked against: counts of findings."""
    counts = findings["code"].value_counts()
    return {m: float(counts.get(code, 0)) for m, code in METRIC_CODES.items()}


# ---------------------------------------------------------------- views for the report


def transfers_by_activity(flows: pd.DataFrame) -> pd.Series:
    """Art. 30(1)(e) per activity: each restricted transfer, its country and basis.

    e.g. ``US: MailPulse Inc. (sccs; safeguarded from riga; unsafeguarded from london)``,
    judged at the end of the period; a status that changed in it says what it was.
    """
    out: dict[Hashable, str] = {}
    for aid, g in flows.groupby("activity_id", sort=True):
        parts = []
        for (_, _), p in g.groupby(["country", "processor_id"], sort=True):
            f = p.iloc[0]
            groups: dict[str, list[str]] = {}
            for o in records(p.drop_duplicates("office")):
                end = o["status_at_end"]
                if end in (None, "not_restricted"):
                    continue
                text = str(end)
                if end == "derogation" and o["transfer_derogation"] is not None:
                    text += f" Art. {derogation_rule(str(o['transfer_derogation'])).article}"
                if o["status_at_start"] not in (None, end):
                    until = o["changed_on"] - dt.timedelta(days=1)
                    text += f" ({o['status_at_start']} until {until})"
                groups.setdefault(text, []).append(str(o["office"]))
            if not groups:
                continue
            basis = []
            if f["country"] == "US" and f["dpf_certified"]:
                until = f["dpf_certified_until"]
                basis.append("DPF" if until is None else f"DPF to {until}")
                if not f["uk_extension"]:
                    basis.append("no UK Extension")
            if f["mechanism"]:
                basis.append(str(f["mechanism"]))
            basis += [f"{text} from {'/'.join(offices)}" for text, offices in groups.items()]
            parts.append(f"{f['country']}: {f['processor']} ({'; '.join(basis)})")
        if parts:
            out[aid] = " | ".join(parts)
    return pd.Series(out, dtype="object", name="third_country_transfers")


# ---------------------------------------------------------------- workbook wrappers
