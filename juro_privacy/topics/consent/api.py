"""The consent topic on a workbook: cookie and marketing-consent findings and metrics.

The only module of the topic that touches a :class:`Workbook`; the checks (PECR
regs. 6, 22 and 23, Sch. A1; ePrivacy Art. 5(3)) are in
:mod:`juro_privacy.topics.consent.analysis` and :mod:`~juro_privacy.topics.consent.cookies`.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from juro_privacy.periods import Period
from juro_privacy.topics.consent.analysis import consent_findings, metrics
from juro_privacy.topics.consent.cookies import cookie_verdicts
from juro_privacy.workbook.load import Workbook

#: The tables the consent checks read; without all three there is no evidence.
TABLES = ("cookies", "consents", "marketing_sends")


def office_countries(wb: Workbook) -> dict[str, str]:
    """Each office's country (``sites``): the regime its marketing sends are judged by."""
    if "sites" not in wb.tables:
        return {}
    sites = wb.sites.dropna(subset=["site_id", "country"])
    return dict(zip(sites["site_id"].astype(str), sites["country"].astype(str), strict=True))


def cookie_offices(wb: Workbook) -> dict[str, str]:
    """Each office's country (``sites`` of kind ``office``): the regimes a cookie with
    no ``served_to`` is judged under (the users of every office)."""
    if "sites" not in wb.tables:
        return {}
    sites = wb.sites[wb.sites["kind"] == "office"].dropna(subset=["site_id", "country"])
    return dict(zip(sites["site_id"].astype(str), sites["country"].astype(str), strict=True))


def _settings(wb: Workbook) -> dict[str, Any]:
    """The workbook's settings the consent checks take (``cookie_max_months``, the house
    limit; ``opt_out_grace_days``, house tolerance; the time zone) and the offices'
    countries, for the sends and for the cookies."""
    return {
        "max_months": wb.config.cookie_max_months,
        "grace_days": wb.config.opt_out_grace_days,
        "timezone": wb.config.timezone,
        "office_countries": office_countries(wb),
        "cookie_offices": cookie_offices(wb),
    }


def cookies_for(wb: Workbook, period: Period) -> pd.DataFrame:
    """The report's cookie table: each cookie judged per regime on the period's last
    day, beside what the workbook records (:func:`cookie_verdicts`)."""
    return cookie_verdicts(wb.cookies, period.end, cookie_offices(wb))


def findings_for(wb: Workbook, period: Period) -> pd.DataFrame:
    """:func:`consent_findings` of the workbook's cookies, consents and sends, with its
    settings and its small-count threshold."""
    return consent_findings(
        wb.cookies,
        wb.consents,
        wb.marketing_sends,
        period,
        threshold=wb.config.small_count_threshold,
        **_settings(wb),
    )


def metrics_for(wb: Workbook, period: Period) -> dict[str, float | None]:
    """:func:`metrics` of the workbook's cookies, consents and sends, with its settings;
    none when the workbook lacks one of the three tables (no evidence, not a zero)."""
    if any(t not in wb.tables for t in TABLES):
        return {}
    values = metrics(wb.cookies, wb.consents, wb.marketing_sends, period, **_settings(wb))
    return {k: None if math.isnan(v) else v for k, v in values.items()}
