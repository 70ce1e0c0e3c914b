"""When storing or reading a cookie needs the user's consent: one dated row per purpose
and regime, each citing its source.

A cookie (or any storage of, or access to, information on the user's device) needs prior
consent after clear and comprehensive information, unless an exception covers its
purpose. The two regimes the offices' users fall under list different exceptions:

- **UK** (users of the London office), from 5 February 2026: PECR (SI 2003/2426)
  reg. 6(1) as substituted by the Data (Use and Access) Act 2025 s. 112, "Subject to
  Schedule A1, a person must not store information, or gain access to information
  stored, in the terminal equipment of a subscriber or user", and the new Sch. A1
  (inserted by DUAA 2025 Sch. 12; both in force 5 February 2026, SI 2026/82
  reg. 2(w) and (z13); legislation.gov.uk annotation: "Sch. A1 inserted (5.2.2026)").
  Sch. A1 para. 2 is consent; the exceptions are para. 3 (the sole purpose of
  transmitting a communication), para. 4 (strictly necessary for the service the user
  requested; para. 4(2) names protecting information and the device's security,
  preventing or detecting fraud and technical faults, authenticating the user and
  recording the user's selections), para. 5 (statistics about how the organisation's
  own service is used, with a view to improving it: the information "is not shared with
  any other person except for the purpose of enabling that other person to assist with
  making improvements", and the user is given clear and comprehensive information and
  "a simple means of objecting, free of charge"), para. 6 (adapting the way the service
  appears or functions to the user's preferences, on the same two conditions) and
  para. 7 (locating the device to give emergency assistance). Each exception holds only
  for its sole purpose (ICO, "What are the exceptions?", guidance on storage and access
  technologies: "Do you only use the storage and access technology for this
  purpose?"). The ICO reads para. 5 narrowly: aggregate statistics about the
  organisation's own service, a third-party provider acting as its processor, not a
  vendor's own use of the data.
- **UK before 5 February 2026**: PECR reg. 6(4) as amended by SI 2011/1208 (in force
  26 May 2011), the two exceptions of the Directive, read as the EU rows below.
- **EU** (users of the Riga office, and of any other office outside the UK): Directive
  2002/58/EC Art. 5(3) as replaced by Directive 2009/136/EC Art. 2(5) (transposition by
  25 May 2011): no consent is needed only for "technical storage or access for the sole
  purpose of carrying out the transmission of a communication over an electronic
  communications network, or as strictly necessary in order for the provider of an
  information society service explicitly requested by the subscriber or user to provide
  the service". Latvia implements it in the Law on Information Society Services
  s. 7.1 ("Informācijas uzglabāšana galiekārtā", storage of information in terminal
  equipment; likumi.lv consolidated text in force from 21 June 2024: the section's
  heading was read, its wording was not). How far "strictly necessary" reaches is the
  Article 29 Working Party's Opinion 04/2012 on Cookie Consent Exemption (WP194,
  adopted 7 June 2012): user-input cookies (3.1) and authentication cookies (3.2) for
  the session only ("persistent login cookies which store an authentication token
  across browser sessions are not exempted"), user-centric security cookies (3.3),
  load balancing under the communication exception (3.5), user-interface customisation
  for the session (3.6); first-party analytics (4.3) and third-party advertising (4.2)
  are not exempt. The EU has no statistical, appearance or emergency exception.

A cookie with several purposes is exempt only if every purpose is (WP194 s. 2); in the
UK, only if they all fall under one exception (each paragraph is for its sole purpose).
The CNIL's 13 months is not here: it is a condition of the CNIL's own exemption of
audience measurement (France), counted from the first deposit, and this tool keeps it
as the workbook's house limit (``cookie_max_months``), not as law.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final, Literal, NamedTuple

__all__ = [
    "COOKIE_PURPOSES",
    "COOKIE_RULES",
    "REGIMES",
    "CookieRule",
    "CookieVerdict",
    "judge_cookie",
    "law_of",
    "regime_of",
    "rule_for",
]

#: The purposes a cookie is recorded with (``cookies.purpose_category``), designed from
#: PECR Sch. A1 and WP194, and what each means.
COOKIE_PURPOSES: Final[dict[str, str]] = {
    "communication": "only to carry a communication over the network (e.g. load balancing)",
    "strictly_necessary": "strictly necessary for the service the user asked for",
    "security": "protecting the user's information or device, or the login (user-centric)",
    "fraud_prevention": "preventing or detecting fraud in providing the service",
    "fault_detection": "preventing or detecting technical faults in the service",
    "authentication": "authenticating the user (a login)",
    "user_choice": "recording the choices or input the user makes on the site",
    "statistics_own": "aggregate statistics on how our own service is used, to improve it",
    "statistics_vendor": "analytics whose vendor also uses the data for its own purposes",
    "appearance": "adapting how the site looks or works to the user's preferences",
    "emergency": "locating the device to give emergency assistance",
    "advertising": "advertising, marketing attribution or tracking across sites",
    "personalisation": "profiling or tailoring content beyond the user's own settings",
}

#: The regimes a cookie is judged under: the UK's PECR, or the EU's ePrivacy Directive.
REGIMES: Final[dict[str, str]] = {
    "UK": "PECR (UK)",
    "EU": "ePrivacy Directive (EU)",
}

Exempt = Literal["always", "session", "conditions", "never"]


class CookieRule(NamedTuple):
    """Whether a cookie of ``category`` is exempt from consent under ``regime`` for the
    days ``since`` to ``until`` (inclusive; ``None``: still in force): ``always``,
    ``session`` (a session cookie only), ``conditions`` (clear information and a simple,
    free means of objecting) or ``never``; ``exception`` names the exception."""

    regime: str
    since: dt.date
    until: dt.date | None
    category: str
    exempt: Exempt
    exception: str
    source: str


class CookieVerdict(NamedTuple):
    """A cookie judged under one regime: whether it needs consent, the exception that
    spares it (empty when none does) and why, in a DPO's words."""

    needs_consent: bool
    exception: str
    reason: str


UK_FROM = dt.date(2026, 2, 5)  # DUAA 2025 s. 112 and Sch. 12: SI 2026/82 reg. 2(w), (z13)
UK_2011 = dt.date(2011, 5, 26)  # SI 2011/1208 (PECR reg. 6 as amended)
EU_FROM = dt.date(2011, 5, 25)  # Directive 2009/136/EC Art. 4: transposed by this day

_A1 = "PECR reg. 6, Sch. A1 (DUAA 2025 s. 112, Sch. 12; in force 5 February 2026)"
_A53 = "ePrivacy Directive 2002/58/EC Art. 5(3) (Directive 2009/136/EC)"

# (category, UK from 2026: exempt, exception, source; EU: exempt, exception, source)
_TABLE: tuple[tuple[str, Exempt, str, Exempt, str], ...] = (
    ("communication", "always", "Sch. A1 para. 3", "always", "Art. 5(3), communication"),
    ("strictly_necessary", "always", "Sch. A1 para. 4", "always", "Art. 5(3), strictly necessary"),
    ("security", "always", "Sch. A1 para. 4(2)", "always", "WP194 3.3, user-centric security"),
    ("fraud_prevention", "always", "Sch. A1 para. 4(2)", "never", ""),
    ("fault_detection", "always", "Sch. A1 para. 4(2)", "never", ""),
    ("authentication", "always", "Sch. A1 para. 4(2)", "session", "WP194 3.2, session login"),
    ("user_choice", "always", "Sch. A1 para. 4(2)", "session", "WP194 3.1, session user input"),
    ("statistics_own", "conditions", "Sch. A1 para. 5", "never", ""),
    ("statistics_vendor", "never", "", "never", ""),
    ("appearance", "conditions", "Sch. A1 para. 6", "session", "WP194 3.6, session UI setting"),
    ("emergency", "always", "Sch. A1 para. 7", "never", ""),
    ("advertising", "never", "", "never", ""),
    ("personalisation", "never", "", "never", ""),
)


def _rows() -> tuple[CookieRule, ...]:
    rows: list[CookieRule] = []
    for category, uk, uk_exception, eu, eu_exception in _TABLE:
        uk_source = f"{_A1}; ICO guidance on storage and access technologies (2026)"
        eu_source = f"{_A53}; WP29 Opinion 04/2012 (WP194); Latvia: ISS Law s. 7.1"
        rows.append(CookieRule("UK", UK_FROM, None, category, uk, uk_exception, uk_source))
        old = "PECR reg. 6(4) (SI 2011/1208, in force 26 May 2011), read as WP194 reads Art. 5(3)"
        rows.append(
            CookieRule(
                "UK",
                UK_2011,
                UK_FROM - dt.timedelta(days=1),
                category,
                eu,
                eu_exception.replace("Art. 5(3)", "reg. 6(4)"),
                old,
            )
        )
        rows.append(CookieRule("EU", EU_FROM, None, category, eu, eu_exception, eu_source))
    return tuple(rows)


#: Every rule, one row per regime, period and purpose.
COOKIE_RULES: Final[tuple[CookieRule, ...]] = _rows()

_LAWS: Final[dict[tuple[str, bool], str]] = {
    ("UK", True): "PECR reg. 6, Sch. A1",
    ("UK", False): "PECR reg. 6(4)",
    ("EU", True): "ePrivacy Art. 5(3); Latvia ISS Law s. 7.1",
    ("EU", False): "ePrivacy Art. 5(3); Latvia ISS Law s. 7.1",
}


def regime_of(country: str) -> str:
    """The regime a user in ``country`` (ISO 3166 alpha-2) is judged under: ``UK`` for
    GB, ``EU`` for everyone else (an EEA country by its implementation of Art. 5(3); a
    country outside both by the same strict rule, the strictest this tool knows)."""
    return "UK" if str(country).upper() == "GB" else "EU"


def law_of(regime: str, on: dt.date) -> str:
    """The short citation of ``regime``'s cookie rule in force ``on``."""
    return _LAWS[(regime, on >= UK_FROM)]


def rule_for(category: str, regime: str, on: dt.date) -> CookieRule:
    """The row of :data:`COOKIE_RULES` for ``category`` under ``regime`` on ``on``.

    Raises ``KeyError`` for an unknown category or regime, or a day before the rule."""
    for row in COOKIE_RULES:
        current = row.since <= on and (row.until is None or on <= row.until)
        if (row.regime, row.category) == (regime, category) and current:
            return row
    raise KeyError(f"no cookie rule for {category!r} under {regime!r} on {on.isoformat()}")


def _exempt(row: CookieRule, session: bool, informed: bool, objectable: bool) -> str | None:
    """Why ``row`` does not spare the cookie, or ``None`` when it does."""
    if row.exempt == "always":
        return None
    if row.exempt == "session":
        return None if session else f"{row.exception}: a session cookie only, this one persists"
    if row.exempt == "conditions":
        missing = [
            what
            for what, met in (
                ("clear information", informed),
                ("a simple, free means of objecting", objectable),
            )
            if not met
        ]
        return None if not missing else f"{row.exception} needs {' and '.join(missing)}"
    return f"no exception for {row.category} under {law_of(row.regime, row.since)}"


def judge_cookie(
    categories: Iterable[str],
    regime: str,
    on: dt.date,
    *,
    session: bool,
    clear_information: bool = False,
    objection_means: bool = False,
) -> CookieVerdict:
    """Whether a cookie of ``categories`` (its purposes) needs consent under ``regime``
    on ``on`` (see the module's sources, :data:`COOKIE_RULES`).

    ``session``: a session cookie (gone when the browser closes); ``clear_information``
    and ``objection_means``: the user is given clear and comprehensive information and
    a simple, free means of objecting (the conditions of PECR Sch. A1 paras. 5 and 6).
    A cookie is exempt only if every purpose is (WP194 s. 2), and in the UK only if all
    fall under one exception, each being for its sole purpose (Sch. A1; ICO flowchart,
    question 7). Raises ``ValueError`` for no purpose, ``KeyError`` for an unknown one.
    """
    purposes = tuple(dict.fromkeys(categories))
    if not purposes:
        raise ValueError("a cookie needs at least one purpose category to be judged")
    rows = [rule_for(c, regime, on) for c in purposes]
    for row in rows:
        why = _exempt(row, session, clear_information, objection_means)
        if why is not None:
            return CookieVerdict(True, "", why)
    paragraphs = {r.exception.split("(")[0].strip() for r in rows}
    if regime == "UK" and on >= UK_FROM and len(paragraphs) > 1:
        listed = ", ".join(sorted(paragraphs))
        return CookieVerdict(True, "", f"each exception is for its sole purpose: {listed}")
    exception = "; ".join(dict.fromkeys(r.exception for r in rows))
    return CookieVerdict(False, exception, f"exempt: {exception}")
