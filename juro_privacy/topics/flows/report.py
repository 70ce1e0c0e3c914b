"""The flow table shaped for the report: Sankey links, map layers, the table a DPO
filters, the status key and the headline. Pure functions over :func:`flows.build_flows`'
frame; the figures themselves are drawn in :mod:`juro_privacy.charts`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from juro_privacy.findings import findings_tally, records
from juro_privacy.rules.transfers import FLOW_STATUSES
from juro_privacy.topics.flows.analysis import STATUS_LABELS, STATUS_MEANING
from juro_privacy.topics.flows.geo import country_label

_RANK = {s: i for i, s in enumerate(FLOW_STATUSES)}


def _list(values: Iterable[Any]) -> str:
    return ", ".join(dict.fromkeys(str(v) for v in values))


def _worst(statuses: pd.Series) -> str | None:
    known = [s for s in statuses if s in _RANK]
    return max(known, key=lambda s: _RANK[s]) if known else None


def sankey_links(flows: pd.DataFrame) -> pd.DataFrame:
    """Links office -> processor -> destination country, by status at the period's end."""
    columns = ["source_kind", "source", "target_kind", "target", "status", "flows"]
    if flows.empty:
        return pd.DataFrame(columns=columns)
    f = flows.assign(
        status=flows["status_at_end"].fillna("not_judged"),
        destination=flows["country"].map(country_label),
    )
    first = (
        f.groupby(["office_name", "processor", "status"], sort=True)
        .size()
        .reset_index(name="flows")
        .rename(columns={"office_name": "source", "processor": "target"})
        .assign(source_kind="office", target_kind="processor")
    )
    second = (
        f.groupby(["processor", "destination", "status"], sort=True)
        .size()
        .reset_index(name="flows")
        .rename(columns={"processor": "source", "destination": "target"})
        .assign(source_kind="processor", target_kind="country")
    )
    return pd.concat([first, second], ignore_index=True)[columns]


def destinations(flows: pd.DataFrame) -> pd.DataFrame:
    """One row per destination country: its worst status at the period's end."""
    rows = []
    for country, g in flows.groupby("country", sort=True):
        rows.append(
            {
                "country": country,
                "label": country_label(str(country)),
                "status": _worst(g["status_at_end"]),
                "processors": _list(g["processor"]),
                "offices": _list(g["office_name"]),
                "flows": len(g),
            }
        )
    return pd.DataFrame(
        rows, columns=["country", "label", "status", "processors", "offices", "flows"]
    )


def routes(flows: pd.DataFrame) -> pd.DataFrame:
    """One row per office country, destination and status at the end: lines on the map."""
    columns = ["office_country", "offices", "country", "status", "flows"]
    if flows.empty:
        return pd.DataFrame(columns=columns)
    g = flows.assign(status=flows["status_at_end"].fillna("not_judged")).groupby(
        ["office_country", "country", "status"], sort=True
    )
    out = g.agg(offices=("office_name", _list), flows=("office", "size")).reset_index()
    return out[columns]


def offices(flows: pd.DataFrame) -> pd.DataFrame:
    """The exporting offices: name, country, whether the policy discloses them."""
    cols = ["office", "office_name", "office_country", "office_disclosed"]
    return flows[cols].drop_duplicates("office").reset_index(drop=True)


def filter_flows(
    flows: pd.DataFrame,
    *,
    office: str = "",
    activity: str = "",
    processor: str = "",
    country: str = "",
    category: str = "",
    status: str = "",
) -> pd.DataFrame:
    """The flows that match every non-empty criterion (an id or a name, any case).

    ``status`` matches the status at the start or at the end of the period.
    """
    keep = pd.Series(True, index=flows.index)
    criteria = [
        (office, ["office", "office_name"]),
        (activity, ["activity_id", "activity"]),
        (processor, ["processor_id", "processor"]),
        (country, ["country"]),
        (category, ["data_category", "category"]),
        (status.replace(" ", "_"), ["status_at_start", "status_at_end"]),
    ]
    for value, cols in criteria:
        want = value.strip().lower()
        if not want:
            continue
        hit = pd.Series(False, index=flows.index)
        for c in cols:
            hit |= (flows[c].astype("string").str.lower() == want).fillna(False)
        keep &= hit
    return flows[keep].reset_index(drop=True)


def flow_table(flows: pd.DataFrame) -> pd.DataFrame:
    """The flow table as the report shows it, a line per flow on a landscape A4 page
    (``attrs["page"] = "wide"``, read by ``jp.table``): offices and activities by id (the
    findings and the Sankey give their names), the safeguard and the DPF in one column,
    a status that changed as ``before → after``."""

    def basis(r: dict[str, Any]) -> str:
        parts = [str(r["mechanism"])] if r["mechanism"] else []
        if r["dpf_certified"]:
            until = r["dpf_certified_until"]
            parts.append("DPF" if until is None else f"DPF to {until}")
            parts.append("UK Extension" if r["uk_extension"] else "no UK Extension")
        return "; ".join(parts)

    def dpa(r: dict[str, Any]) -> str:
        if r["dpa_signed_on"] is None:
            return "none"
        return str(r["dpa_signed_on"]) + ("" if r["dpa_lists_category"] else " (not listed)")

    def status(r: dict[str, Any]) -> str:
        start = STATUS_LABELS.get(str(r["status_at_start"]), "not judged")
        end = STATUS_LABELS.get(str(r["status_at_end"]), "not judged")
        return end if start == end else f"{start} → {end}"

    rows = records(flows)
    columns = {
        "office": [r["office"] for r in rows],
        "activity": [r["activity_id"] for r in rows],
        "processor": [r["processor"] for r in rows],
        "country": [r["country"] for r in rows],
        "data category": [r["category"] for r in rows],
        "safeguard": [basis(r) for r in rows],
        "DPA": [dpa(r) for r in rows],
        "encrypted": ["yes" if r["encrypted_in_transit"] else "no" for r in rows],
        "status": [status(r) for r in rows],
    }
    table = pd.DataFrame(columns, columns=list(columns))
    table.attrs["page"] = "wide"  # one line per flow on a landscape page (``jp.table``)
    return table


def findings_view(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings as the report shows them: without the topic column, always "flows"."""
    return findings.drop(columns="topic")


def status_legend() -> pd.DataFrame:
    """The five statuses in a DPO's words, with their legal source."""
    return pd.DataFrame(
        [(STATUS_LABELS[s], *STATUS_MEANING[s]) for s in FLOW_STATUSES],
        columns=["status", "what it means", "legal source"],
    )


def summary_markdown(flows: pd.DataFrame, findings: pd.DataFrame) -> str:
    """The headline a DPO reads first: flows, transfers by status, findings by severity."""
    pairs = flows.drop_duplicates(["office", "processor_id"])
    judged = flows.drop_duplicates(["office", "processor_id", "status_at_end"])
    by_status = judged["status_at_end"].value_counts()
    status_text = ", ".join(
        f"{by_status.get(s, 0)} {STATUS_LABELS[s].lower()}" for s in reversed(FLOW_STATUSES)
    )
    return (
        f"**{len(flows)} flows** (office, activity, processor, data category) from "
        f"{flows['office'].nunique()} offices to {flows['processor_id'].nunique()} processors "
        f"in {flows['country'].nunique()} countries. At the end of the period the "
        f"{len(pairs)} office-to-processor routes are: {status_text}"
        + (
            " (a route whose activities are judged differently counts under each status). "
            if len(judged) > len(pairs)
            else ". "
        )
        + findings_tally(findings)
    )
