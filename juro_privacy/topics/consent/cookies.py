"""Cookies judged per regime: does each need consent where it is served, was it set
before consent, and does the workbook's record agree?

Pure functions: the ``cookies`` table in, frames and findings out. Whether a purpose
needs consent is the law of :mod:`juro_privacy.rules.cookies` (PECR reg. 6 and Sch. A1
for the UK; ePrivacy Art. 5(3), Latvia's ISS Law s. 7.1 and WP29 Opinion 04/2012 for the
EU), judged on the day given (the period's last day). ``docs/consent.md`` says it for a
DPO.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from juro_privacy.findings import Finding, records
from juro_privacy.rules.cookies import REGIMES, judge_cookie, law_of, regime_of

TOPIC = "consent"
DAYS_PER_MONTH = 365.25 / 12

#: One row per cookie and regime it is served under (:func:`judge_cookies`).
JUDGED_COLUMNS = [
    "cookie_name",
    "provider",
    "regime",
    "law",
    "classified",
    "needs_consent",
    "exception",
    "reason",
]


def max_cookie_days(months: int) -> int:
    """The longest lifetime, in days, the workbook's house limit in months allows
    (``cookie_max_months``; 13 months is 396 days: months x 365.25 / 12, rounded)."""
    return round(months * DAYS_PER_MONTH)


def _items(value: Any) -> tuple[str, ...]:
    """A list cell as a tuple: the loader gives a tuple, a hand-made frame may give
    ``"a;b"``; empty or missing is ``()``."""
    if isinstance(value, str):
        return tuple(x.strip() for x in value.split(";") if x.strip())
    if isinstance(value, tuple | list):
        return tuple(str(x) for x in value)
    return ()


def _flag(value: Any) -> bool:
    """A boolean cell; empty (NA) is false."""
    return False if value is None or pd.isna(value) else bool(value)


def served_regimes(
    served_to: Any, office_countries: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """The regimes a cookie is judged under, in :data:`REGIMES` order: those of the
    countries of the offices it is served to (``served_to``), or of every office in
    ``office_countries`` when it names none; with no office known, the UK's. An office
    whose country is unknown is judged by the EU rule (the stricter)."""
    countries = dict(office_countries or {})
    offices = _items(served_to) or tuple(countries)
    if not offices:
        return ("UK",)
    found = {regime_of(countries.get(o, "")) for o in offices}
    return tuple(r for r in REGIMES if r in found)


def judge_cookies(
    cookies: pd.DataFrame,
    on: dt.date,
    office_countries: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Each cookie judged under each regime it is served in, on ``on``
    (:data:`JUDGED_COLUMNS`).

    A cookie with a ``purpose_category`` is judged by :func:`juro_privacy.rules.cookies.
    judge_cookie` (its ``kind``, and the optional ``clear_information`` and
    ``objection_means``, empty meaning not met). One without (an older workbook) is
    ``classified`` false and keeps the meaning of its recorded ``consent_required``.
    """
    rows: list[dict[str, Any]] = []
    for c in records(cookies):
        categories = _items(c.get("purpose_category"))
        for regime in served_regimes(c.get("served_to"), office_countries):
            if categories:
                verdict = judge_cookie(
                    categories,
                    regime,
                    on,
                    session=c["kind"] == "session",
                    clear_information=_flag(c.get("clear_information")),
                    objection_means=_flag(c.get("objection_means")),
                )
                needs, exception, reason = verdict
            else:
                needs = _flag(c["consent_required"])
                exception, reason = "", "no purpose category: judged as recorded"
            rows.append(
                {
                    "cookie_name": c["cookie_name"],
                    "provider": c["provider"],
                    "regime": regime,
                    "law": law_of(regime, on),
                    "classified": bool(categories),
                    "needs_consent": needs,
                    "exception": exception,
                    "reason": reason,
                }
            )
    return pd.DataFrame(rows, columns=JUDGED_COLUMNS)


def cookie_checks(
    cookies: pd.DataFrame,
    on: dt.date,
    *,
    max_months: int = 13,
    office_countries: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per cookie with the checks a DPO answers for, judged on ``on``:

    - ``consent_uk``, ``consent_eu``: it needs consent under that regime (empty where
      it is not served); ``needs_consent``: under any regime it is served in;
    - ``set_without_consent``: it needs consent and was observed set before consent
      was given (PECR reg. 6(1); ePrivacy Art. 5(3));
    - ``understated`` / ``overstated``: the recorded ``consent_required`` says no
      consent where a regime needs it, or consent where none does;
    - ``too_long``: a persistent cookie living longer than the house limit of
      ``max_months`` (``cookie_max_months``: CNIL's audience-measurement condition,
      not law);
    - ``undisclosed``: in use but not described in the policy (clear and
      comprehensive information: PECR Sch. A1 para. 2(1)(a), ePrivacy Art. 5(3));
    - ``unclassified``: no ``purpose_category`` recorded.
    """
    judged = judge_cookies(cookies, on, office_countries)
    out = cookies[["cookie_name", "provider", "party", "kind", "duration_days", "purpose"]].copy()
    out = out.reset_index(drop=True)
    for regime in REGIMES:
        mine = judged[judged["regime"] == regime].set_index("cookie_name")["needs_consent"]
        out[f"consent_{regime.lower()}"] = out["cookie_name"].map(mine).astype("boolean")
    needs = judged.groupby("cookie_name", sort=False)["needs_consent"].any()
    out["needs_consent"] = out["cookie_name"].map(needs).fillna(False).astype(bool)
    recorded = cookies["consent_required"].map(_flag).reset_index(drop=True)
    out["consent_required"] = recorded.astype(bool)
    out["unclassified"] = [not _items(v) for v in _column(cookies, "purpose_category")]
    seen = cookies["set_before_consent"].map(_flag).reset_index(drop=True).astype(bool)
    out["set_without_consent"] = out["needs_consent"] & seen
    out["understated"] = ~out["unclassified"] & out["needs_consent"] & ~out["consent_required"]
    out["overstated"] = ~out["unclassified"] & ~out["needs_consent"] & out["consent_required"]
    lifetime = cookies["duration_days"].fillna(0).astype("int64").reset_index(drop=True)
    out["too_long"] = (out["kind"] == "persistent") & (lifetime > max_cookie_days(max_months))
    out["undisclosed"] = ~cookies["disclosed"].map(_flag).reset_index(drop=True).astype(bool)
    return out


def _column(frame: pd.DataFrame, name: str) -> list[Any]:
    """A column's cells, or empties when the frame has no such column."""
    return list(frame[name]) if name in frame.columns else [None] * len(frame)


def cookie_verdicts(
    cookies: pd.DataFrame, on: dt.date, office_countries: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The report's table: each cookie, its purposes, and per regime whether it needs
    consent and why ("not served" where it is not), beside what the workbook records."""
    judged = judge_cookies(cookies, on, office_countries)
    rows = []
    for c in records(cookies):
        mine = judged[judged["cookie_name"] == c["cookie_name"]].set_index("regime")
        row = {
            "cookie": c["cookie_name"],
            "provider": c["provider"],
            "purposes": ", ".join(_items(c.get("purpose_category"))) or "not classified",
        }
        for regime, label in REGIMES.items():
            if regime not in mine.index:
                row[label] = "not served"
            elif mine.loc[regime, "needs_consent"]:
                row[label] = f"consent: {mine.loc[regime, 'reason']}"
            else:
                row[label] = mine.loc[regime, "reason"]
        row["recorded"] = "consent" if _flag(c["consent_required"]) else "no consent"
        rows.append(row)
    columns = ["cookie", "provider", "purposes", *REGIMES.values(), "recorded"]
    table = pd.DataFrame(rows, columns=columns)
    table.attrs["page"] = "wide"  # the reasons are long: a landscape page
    return table


def third_party_cookies(cookies: pd.DataFrame) -> pd.DataFrame:
    """Third-party cookies per provider, with their purposes."""
    third = cookies[cookies["party"] == "third"]
    grouped = third.groupby("provider", sort=True)
    return pd.DataFrame(
        {
            "cookies": grouped.size(),
            "purposes": grouped["purpose"].agg(lambda s: ", ".join(sorted(set(s)))),
        }
    ).reset_index()


def _where(judged: pd.DataFrame, name: str, needed: bool) -> tuple[str, str]:
    """For cookie ``name``, the laws and reasons of the regimes where its need for
    consent is ``needed``."""
    rows = judged[(judged["cookie_name"] == name) & (judged["needs_consent"] == needed)]
    laws = "; ".join(dict.fromkeys(rows["law"]))
    pairs = zip(rows["regime"], rows["reason"], strict=True)
    reasons = "; ".join(f"{regime}: {why}" for regime, why in pairs)
    return laws, reasons


def cookie_findings(
    cookies: pd.DataFrame,
    on: dt.date,
    *,
    max_months: int = 13,
    office_countries: Mapping[str, str] | None = None,
) -> list[Finding]:
    """The cookie findings of ``on`` (cookies are named: they are not personal data):

    - ``cookie_without_consent`` (high): needs consent where it is served, set before;
    - ``cookie_consent_contradicted``: the record says no consent where a regime needs
      it (medium), or consent where no regime does (low);
    - ``cookie_undisclosed`` (medium), ``cookie_too_long`` (low: the house limit),
      ``cookie_unclassified`` (low: judged as recorded until it is classified).
    """
    checked = cookie_checks(cookies, on, max_months=max_months, office_countries=office_countries)
    judged = judge_cookies(cookies, on, office_countries)
    found: list[Finding] = []
    for c in records(checked):
        name, subject = c["cookie_name"], f"cookie {c['cookie_name']} ({c['provider']})"
        needed_laws, needed_why = _where(judged, name, True)
        if c["set_without_consent"]:
            found.append(
                Finding(
                    TOPIC,
                    "cookie_without_consent",
                    "high",
                    needed_laws,
                    subject,
                    f"The {c['purpose']} cookie is set before consent is given, and needs "
                    f"consent ({needed_why}).",
                )
            )
        if c["understated"]:
            found.append(
                Finding(
                    TOPIC,
                    "cookie_consent_contradicted",
                    "medium",
                    needed_laws,
                    subject,
                    f"Recorded as needing no consent, but it does ({needed_why}).",
                )
            )
        if c["overstated"]:
            laws, why = _where(judged, name, False)
            found.append(
                Finding(
                    TOPIC,
                    "cookie_consent_contradicted",
                    "low",
                    laws,
                    subject,
                    f"Recorded as needing consent, but no regime it is served in asks for "
                    f"it ({why}): correct the record, or keep asking by choice.",
                )
            )
        if c["too_long"]:
            found.append(
                Finding(
                    TOPIC,
                    "cookie_too_long",
                    "low",
                    "house limit (workbook.yaml cookie_max_months)",
                    subject,
                    f"Lives {c['duration_days']} days, more than the house limit of "
                    f"{max_months} months ({max_cookie_days(max_months)} days). The CNIL's "
                    "13 months is a condition of its audience-measurement exemption, "
                    "counted from the first deposit, not a cap in law.",
                )
            )
        if c["undisclosed"]:
            found.append(
                Finding(
                    TOPIC,
                    "cookie_undisclosed",
                    "medium",
                    "PECR Sch. A1 para. 2(1)(a); ePrivacy Art. 5(3)",
                    subject,
                    "In use but not described in the privacy policy.",
                )
            )
        if c["unclassified"]:
            found.append(
                Finding(
                    TOPIC,
                    "cookie_unclassified",
                    "low",
                    "PECR reg. 6, Sch. A1; ePrivacy Art. 5(3)",
                    subject,
                    "No purpose_category recorded: judged by consent_required as recorded "
                    "until it is classified (docs/consent.md).",
                )
            )
    return found
