"""The DPIA topic on a workbook: its document, screening, scored risks and findings.

The only module of the topic that touches a :class:`Workbook`; the assessment itself
(UK GDPR / GDPR Arts. 35 and 36) is in :mod:`~juro_privacy.topics.dpia.document`,
:mod:`~juro_privacy.topics.dpia.screening` and :mod:`~juro_privacy.topics.dpia.evidence`.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pandas as pd

from juro_privacy.errors import TransferError
from juro_privacy.findings import Finding, findings_frame
from juro_privacy.periods import Period, active_in
from juro_privacy.rules.deadlines import JURISDICTIONS
from juro_privacy.rules.regulators import Regulator, regulator
from juro_privacy.rules.risk_scales import RiskScale, risk_scale, score_risks
from juro_privacy.rules.transfers import regime_of
from juro_privacy.topics.dpia.document import prior_consultation
from juro_privacy.topics.dpia.evidence import evidence
from juro_privacy.topics.dpia.pia import pia_export
from juro_privacy.topics.dpia.screening import screen
from juro_privacy.topics.metrics import compute_metrics
from juro_privacy.topics.register import api as register
from juro_privacy.topics.retention.api import account_count
from juro_privacy.workbook.dpia_yaml import DpiaDocument, load_dpia
from juro_privacy.workbook.load import Workbook


def dpia_for(wb: Workbook) -> DpiaDocument | None:
    """The workbook's ``dpia.yaml``, or ``None`` when it has none."""
    return load_dpia(wb.root, set(wb.activities["activity_id"]))


def scale_for(wb: Workbook) -> RiskScale:
    """The risk scale ``workbook.yaml`` chooses (``risk_scale``: ico or cnil)."""
    return risk_scale(wb.config.risk_scale)


def risks_for(wb: Workbook, activities: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The workbook's risks scored on its scale, for ``activities`` (all when ``None``)."""
    scored = score_risks(wb.risks, scale_for(wb))
    if activities is not None:
        scored = scored[scored["activity_id"].isin(activities)].reset_index(drop=True)
    return scored


def authorities_for(wb: Workbook, period: Period) -> tuple[Regulator, ...]:
    """The supervisory authorities of the offices that answer under a regime (the sites
    with a ``jurisdiction``), as named on the period's last day
    (:func:`juro_privacy.rules.regulators.regulator`), in the sites' order."""
    codes = wb.sites["jurisdiction"].dropna().astype(str)
    countries = dict.fromkeys(JURISDICTIONS[code].country for code in codes)
    return tuple(regulator(country, period.end) for country in countries)


def subject_counts(wb: Workbook) -> dict[str, int | None]:
    """Records per kind of data subject the workbook holds (accounts, consent subjects)."""
    counts: dict[str, int | None] = {}
    accounts = account_count(wb)
    if accounts is not None:
        counts["customers"] = accounts
    consents = wb.tables.get("consents")
    if consents is not None:
        counts["prospects"] = int(consents["subject_id"].nunique())
    return counts


def screening_for(wb: Workbook, period: Period) -> pd.DataFrame:
    """The screening of every activity carried out in ``period``, each against the lists
    of the regimes of the offices it is run from (on the period's last day)."""
    acts = active_in(wb.activities, period)
    countries = dict(zip(wb.sites["site_id"], wb.sites["country"], strict=True))
    regimes: dict[str, set[str]] = {}
    for aid, offices in zip(acts["activity_id"], acts["offices"], strict=True):
        found = set()
        for office in offices or ():
            with contextlib.suppress(TransferError, KeyError):
                found.add(regime_of(str(countries[office]), period.end))
        regimes[str(aid)] = found
    return screen(
        acts,
        wb.categories,
        subject_counts(wb),
        large_scale_threshold=wb.config.large_scale_threshold,
        regimes=regimes,
    )


def findings_for(wb: Workbook, period: Period) -> pd.DataFrame:
    """A high residual risk is a finding: prior consultation is required (Art. 36(1))."""
    high = prior_consultation(risks_for(wb))
    return findings_frame(
        Finding(
            "dpia",
            "prior_consultation_required",
            "high",
            "Art. 36(1)",
            f"risk {r}",
            "A high risk remains after measures: consult the supervisory "
            "authority before processing.",
        )
        for r in high["risk_id"]
    )


def exports_for(wb: Workbook, period: Period) -> dict[str, dict[str, Any]]:
    """``dpia.pia.json``: the period's DPIA in the format the CNIL's PIA tool imports
    (:func:`juro_privacy.topics.dpia.pia.pia_export`), from the same figures as the
    report (the register, the scored risks, the period's and last period's metrics)."""
    doc = dpia_for(wb)
    scale = scale_for(wb)
    scored = risks_for(wb, doc.activities if doc else ())
    now = compute_metrics(wb, period)
    before = compute_metrics(wb, period.previous())
    content = pia_export(
        doc,
        period=period,
        organisation=wb.config.organisation,
        dpo=wb.config.dpo,
        register=register.register_for(wb, period),
        scored=scored,
        evidence=evidence(scored, now, before, scale),
        current=now,
        scale=scale,
        authorities=authorities_for(wb, period),
    )
    return {"dpia.pia.json": content}
