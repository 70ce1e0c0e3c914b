"""The sample company's cookies (issue 15), listed in docs/sample-company.md with what
each one exercises. Every cookie is served to the users of every office (London: the
UK regime; Riga and Lisbon: the EU regime) unless ``served_to`` names some.

Each purpose category is judged in both regimes, except ``emergency``, which a contract
management site has no use for (its rule is tested in tests/rules/test_cookies.py):

- exempt in both: ``session_id`` (session authentication), ``csrf_token`` (security),
  ``lb_route`` (communication: load balancing), ``form_draft`` (the user's input, for
  the session);
- exempt in the UK only, and held back for consent, as recorded: ``locale``
  (appearance, information and a free way to object given: Sch. A1 para. 6; persistent,
  so not WP194 3.6), ``fraud_sig`` (fraud prevention, Sch. A1 para. 4(2)), ``err_trace``
  (fault detection) and ``_sb_ses`` (StatsBox statistics for us, with both conditions
  met: Sch. A1 para. 5);
- exempt in the EU: ``ui_theme`` (a session setting, served to Riga's users only);
- consent in both: ``_ht_user`` (HeatTrack uses the data itself), ``mp_campaign``
  (advertising), ``_iml_probe`` (personalisation).

Planted faults:

- ``remember_me``, a persistent login, recorded as needing no consent and set before it:
  the UK exempts authentication (Sch. A1 para. 4(2)); the EU does not exempt a persistent
  login (WP194 3.2). A contradicted record (medium) and a cookie set without consent
  under the EU regime (high);
- ``_sb_id``, StatsBox statistics with no means of objecting, set before consent: the
  UK's para. 5 condition fails, and the EU has no such exception (high);
- ``chat_session``, strictly necessary for the support chat a user opens, recorded as
  needing consent: no regime asks for it, a contradicted record (low);
- ``_ht_user`` lives 730 days, past the house limit of 13 months (low);
- ``_iml_probe`` is in use but not described in the policy (medium).
"""

from __future__ import annotations

from typing import Any

from juro_privacy.workbook.schemas import TABLES_BY_NAME

_T, _F = "true", "false"

_ROWS: list[dict[str, str]] = [
    # exempt in both regimes
    {"cookie_name": "session_id", "kind": "session", "purpose": "strictly_necessary",
     "consent_required": _F, "set_before_consent": _T, "purpose_category": "authentication"},
    {"cookie_name": "csrf_token", "kind": "session", "purpose": "strictly_necessary",
     "consent_required": _F, "set_before_consent": _T, "purpose_category": "security"},
    {"cookie_name": "lb_route", "kind": "session", "purpose": "strictly_necessary",
     "consent_required": _F, "set_before_consent": _T, "purpose_category": "communication"},
    {"cookie_name": "form_draft", "kind": "session", "purpose": "functional",
     "consent_required": _F, "set_before_consent": _T, "purpose_category": "user_choice"},
    # planted: a persistent login, exempt in the UK, not in the EU (WP194 3.2)
    {"cookie_name": "remember_me", "kind": "persistent", "duration_days": "30",
     "purpose": "functional", "consent_required": _F, "set_before_consent": _T,
     "purpose_category": "authentication"},
    {"cookie_name": "locale", "kind": "persistent", "duration_days": "365",
     "purpose": "functional", "consent_required": _T, "set_before_consent": _F,
     "purpose_category": "appearance", "clear_information": _T, "objection_means": _T},
    {"cookie_name": "ui_theme", "kind": "session", "purpose": "functional",
     "consent_required": _F, "set_before_consent": _T, "purpose_category": "appearance",
     "served_to": "riga"},
    # planted: strictly necessary, recorded as needing consent
    {"cookie_name": "chat_session", "provider": "ChatDesk", "party": "third",
     "kind": "persistent", "duration_days": "270", "purpose": "functional",
     "consent_required": _T, "set_before_consent": _F,
     "purpose_category": "strictly_necessary"},
    {"cookie_name": "fraud_sig", "kind": "persistent", "duration_days": "30",
     "purpose": "strictly_necessary", "consent_required": _T, "set_before_consent": _F,
     "purpose_category": "fraud_prevention"},
    {"cookie_name": "err_trace", "kind": "session", "purpose": "functional",
     "consent_required": _T, "set_before_consent": _F, "purpose_category": "fault_detection"},
    # planted: statistics with no means of objecting, set before consent
    {"cookie_name": "_sb_id", "provider": "StatsBox", "party": "third",
     "kind": "persistent", "duration_days": "390", "purpose": "analytics",
     "consent_required": _T, "set_before_consent": _T,
     "purpose_category": "statistics_own", "clear_information": _T},
    {"cookie_name": "_sb_ses", "provider": "StatsBox", "party": "third", "kind": "session",
     "purpose": "analytics", "consent_required": _T, "set_before_consent": _F,
     "purpose_category": "statistics_own", "clear_information": _T, "objection_means": _T},
    # planted: lifetime over the house limit of 13 months
    {"cookie_name": "_ht_user", "provider": "HeatTrack", "party": "third",
     "kind": "persistent", "duration_days": "730", "purpose": "analytics",
     "consent_required": _T, "set_before_consent": _F,
     "purpose_category": "statistics_vendor"},
    {"cookie_name": "mp_campaign", "provider": "MailPulse", "party": "third",
     "kind": "persistent", "duration_days": "90", "purpose": "marketing",
     "consent_required": _T, "set_before_consent": _F, "purpose_category": "advertising"},
    # planted: in use, not disclosed
    {"cookie_name": "_iml_probe", "provider": "InsightML", "party": "third",
     "kind": "persistent", "duration_days": "180", "purpose": "analytics",
     "consent_required": _T, "set_before_consent": _F, "disclosed": _F,
     "purpose_category": "personalisation"},
]  # fmt: skip

_DEFAULTS = {"provider": "Larkspur", "party": "first", "disclosed": _T}

#: ``cookies.csv``: the contract's columns in its order, every optional one present.
COOKIES: list[tuple[Any, ...]] = [
    tuple(TABLES_BY_NAME["cookies"].column_names),
    *(
        tuple({**_DEFAULTS, **row}.get(c, "") for c in TABLES_BY_NAME["cookies"].column_names)
        for row in _ROWS
    ),
]
