"""The register topic on a workbook: the Art. 30 record, its findings and its exports.

The only module of the topic that touches a :class:`Workbook` or the run's cache; the
record is built by :mod:`juro_privacy.topics.register.analysis`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from juro_privacy import run_cache
from juro_privacy.periods import Period, active_in
from juro_privacy.topics.flows import api as flows
from juro_privacy.topics.register.analysis import build_register, register_findings
from juro_privacy.topics.register.fides import fides_datamap
from juro_privacy.topics.register.spreadsheet import register_sheets
from juro_privacy.workbook.load import Workbook


@run_cache.shared
def register_for(workbook: Workbook, period: Period) -> pd.DataFrame:
    """The Art. 30 record of ``workbook`` for ``period`` (see :func:`build_register`);
    Art. 30(1)(e) comes from the flow table, each transfer judged by the transfer rules."""
    return build_register(
        workbook.activities,
        workbook.categories,
        workbook.processors,
        workbook.retention_rules,
        organisation=workbook.config.organisation,
        dpo=workbook.config.dpo,
        period=period,
        transfers=flows.transfers_for(workbook, period),
        controller_contact=workbook.config.controller_contact,
        dpo_contact=workbook.config.dpo_contact,
    )


@run_cache.shared
def findings_for(workbook: Workbook, period: Period) -> pd.DataFrame:
    """The register's findings for ``workbook`` (see :func:`register_findings`)."""
    return register_findings(
        workbook.activities,
        workbook.categories,
        workbook.processors,
        period,
        contacts=(workbook.config.controller_contact, workbook.config.dpo_contact),
        sites=workbook.sites,
    )


def exports_for(workbook: Workbook, period: Period) -> dict[str, Any]:
    """``register.csv`` (one row per activity, the Art. 30(1) columns in order),
    ``register.xlsx`` (the controller's and the processor's records in the ICO
    templates' shape, with the flows and the findings of the period: see
    :func:`register_sheets`) and ``register.fides.json`` (a Fides datamap: one fideslang
    System per internal system and per processor, see :func:`fides_datamap`)."""
    register = register_for(workbook, period)
    findings = pd.concat(
        [findings_for(workbook, period), flows.findings_for(workbook, period)],
        ignore_index=True,
    )
    sheets = register_sheets(
        register,
        flows.flows_for(workbook, period),
        findings,
        organisation=workbook.config.organisation,
    )
    fides = fides_datamap(
        active_in(workbook.activities, period),
        workbook.systems,
        workbook.processors,
        workbook.categories,
        workbook.retention_rules,
        flows.flows_for(workbook, period),
        organisation=workbook.config.organisation,
        dpo=workbook.config.dpo,
        controller_contact=workbook.config.controller_contact,
        dpo_contact=workbook.config.dpo_contact,
    )
    return {
        "register.csv": register,
        "register.xlsx": sheets,
        "register.fides.json": fides,
    }
