"""Cookie and marketing-consent checks (PECR regs. 6, 22 and 23, Sch. A1; ePrivacy
Art. 5(3); GDPR Arts. 7 and 21).

Pure functions: the ``cookies``, ``consents`` and ``marketing_sends`` tables in,
frames and findings out. A send is judged against the person's consent state at the
moment it was sent: the latest opt-in or opt-out event at or before ``sent_at``. The
cookies are judged per regime in :mod:`juro_privacy.topics.consent.cookies`, whose
public names this module re-exports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from juro_privacy.findings import Finding, findings_frame, records
from juro_privacy.periods import Period
from juro_privacy.rules.disclosure import count_label
from juro_privacy.topics.consent.cookies import (
    cookie_checks,
    cookie_findings,
    cookie_verdicts,
    judge_cookies,
    max_cookie_days,
    third_party_cookies,
)

__all__ = [
    "cookie_checks",
    "cookie_verdicts",
    "judge_cookies",
    "max_cookie_days",
    "third_party_cookies",
]

TOPIC = "consent"


#: Send statuses, in the order the reports list them, and what each means.
SEND_STATUSES: dict[str, str] = {
    "opted_in": "opt-in on record",
    "soft_opt_in": "soft opt-in on record, unsubscribe link in the send",
    "corporate": "corporate subscriber (a legal person), no opt-out on record",
    "no_opt_in": "no basis on record at send time",
    "in_grace": "sent within the house grace period after an opt-out",
    "after_opt_out": "sent after an opt-out, past the grace period",
}


@dataclass(frozen=True)
class SendRegime:
    """The e-mail marketing rule of one sending office's country, with its source."""

    country: str
    corporate_exempt: bool  # a corporate subscriber needs no consent or soft opt-in
    law: str
    source: str
    #: The rule that every send, to any subscriber, names its sender and gives a valid
    #: address to ask for the mail to stop (the ``IDENTITY_COLUMNS``).
    identity_law: str


#: The regimes, one row per country of a sending office. A send from an office whose
#: country has no row is judged by the stricter rule (no corporate carve-out).
SEND_REGIMES: dict[str, SendRegime] = {
    "GB": SendRegime(
        "GB",
        True,
        "PECR reg. 22",
        # SI 2003/2426 reg. 22(1): "applies to ... electronic mail to individual
        # subscribers"; reg. 22(3) the soft opt-in; in force 11 December 2003, text read
        # 2026-12-01. ICO, "Guidance on direct marketing using electronic mail" (2022):
        # the rules for consent and the soft opt-in do not apply to corporate subscribers.
        "PECR (SI 2003/2426) reg. 22(1)-(3), in force 11 December 2003; ICO guidance on "
        "direct marketing using electronic mail (2022)",
        "PECR reg. 23(a)-(b)",
    ),
    "LV": SendRegime(
        "LV",
        True,
        "Latvian Law on Information Society Services s. 9",
        # s. 9(1): no e-mail commercial communication without the recipient's prior free
        # and unambiguous consent; s. 9(2): the existing-customer exception (similar goods
        # or services, no objection when the address was obtained, a free means to refuse
        # in every message); s. 9(4): never from an invalid address to which the
        # recipient could send a request to stop (text of 2010, interneta-vietnes.lv).
        # The Data State Inspectorate (DVI), "Komerciāls paziņojums katru dienu tavā
        # e-pastā un viedtālrunī" (dvi.gov.lv, read 2026-12-02): to a natural person's
        # address with consent or under all of s. 9(2); "to a legal person's e-mail
        # address it is permitted to send without prior consent", observing s. 9(4).
        # So Riga, like London, has a corporate carve-out: issue 15's review read s. 9
        # as requiring consent for legal persons too, and the regulator says otherwise.
        "Law on Information Society Services s. 9(1), (2) and (4) (Latvia); Data State "
        "Inspectorate (DVI): a legal person's address needs no prior consent, s. 9(4) "
        "still applies (dvi.gov.lv, read 2026-12-02)",
        # s. 8 (PTAC, "Komerciāls paziņojums": the person on whose behalf it is sent is
        # clearly identifiable) and s. 9(4) (a valid address to ask for it to stop)
        "Law on Information Society Services ss. 8 and 9(4)",
    ),
}
UK_REGIME = "GB"


def send_regimes(
    sends: pd.DataFrame,
    office_countries: Mapping[str, str] | None = None,
    *,
    default: str = UK_REGIME,
) -> pd.Series:
    """The regime (a country code) each send is judged under: its office's country, or
    ``default`` (the UK) for a send without an office or from an unknown one."""
    countries = dict(office_countries or {})
    if "office" not in sends.columns:
        return pd.Series(default, index=sends.index, dtype="object")
    office = sends["office"].astype("object")
    regime = office.map(lambda o: countries.get(str(o), default) if pd.notna(o) else default)
    return regime.astype("object")


def judge_sends(
    consents: pd.DataFrame,
    sends: pd.DataFrame,
    period: Period,
    *,
    grace_days: int = 2,
    timezone: str = "Europe/London",
    office_countries: Mapping[str, str] | None = None,
    default_regime: str = UK_REGIME,
) -> pd.DataFrame:
    """Each marketing send of ``period`` judged against the consent state at send time.

    The state is the latest ``consents`` event of the recipient at or before the send.
    ``status`` (see :data:`SEND_STATUSES`), first match wins:

    - ``after_opt_out`` / ``in_grace``: the latest event is an opt-out, and the send went
      more than ``grace_days`` after it, or within them. An opt-out binds for every
      subscriber type and regime (PECR reg. 22(2) "for the time being"; reg. 23 and
      UK GDPR / GDPR Art. 21(3)); the grace period is house tolerance, not law;
    - ``opted_in``: the latest event is an opt-in (PECR reg. 22(2); GDPR Art. 7);
    - ``soft_opt_in``: the latest event is a soft opt-in (details obtained in a sale or
      negotiations for a sale) and the send carries an unsubscribe link (PECR reg. 22(3),
      the simple means of refusing "at the time of each subsequent communication";
      ePrivacy Directive Art. 13(2) for Latvia); without the link it is ``no_opt_in``;
    - ``corporate``: a corporate subscriber of a send judged under a regime with the
      corporate carve-out (the UK: reg. 22(1) covers individual subscribers only), with
      no opt-out on record;
    - ``no_opt_in``: none of the above (reg. 22(2); for Riga, Law on Information
      Society Services s. 9, which by issue 15's reading, not verified, covers legal
      persons too).

    Optional ``sends`` columns: ``subscriber`` (empty: ``individual``),
    ``unsubscribe_link`` (empty: true) and ``office``; ``office_countries`` maps an
    office to its country, whose row of :data:`SEND_REGIMES` judges the send (a send
    without an office: ``default_regime``). The send's date in ``timezone`` decides
    which period it belongs to.
    """
    local = sends["sent_at"].dt.tz_convert(timezone).dt.date
    mask = local.map(period.contains).astype(bool)
    these = sends.loc[mask, ["send_id", "subject_id", "sent_at"]].copy()
    subscriber = sends["subscriber"] if "subscriber" in sends.columns else None
    link = sends["unsubscribe_link"] if "unsubscribe_link" in sends.columns else None
    office = sends["office"] if "office" in sends.columns else None
    these["subscriber"] = (
        "individual"
        if subscriber is None
        else subscriber[mask].astype("object").fillna("individual")
    )
    these["unsubscribe_link"] = (
        True if link is None else link[mask].astype("object").fillna(True).astype(bool)
    )
    these["office"] = None if office is None else office[mask].astype("object")
    for column in IDENTITY_COLUMNS:  # PECR reg. 23, where the workbook records it
        these[column] = sends[column][mask].astype("object") if column in sends else None
    these["regime"] = send_regimes(
        sends.loc[mask], office_countries, default=default_regime
    ).to_numpy()
    these["_order"] = range(len(these))
    events = consents[["subject_id", "event", "at"]].rename(columns={"at": "event_at"})
    merged = pd.merge_asof(
        these.sort_values("sent_at"),
        events.sort_values("event_at"),
        left_on="sent_at",
        right_on="event_at",
        by="subject_id",
        direction="backward",
    ).sort_values("_order")
    event = merged["event"].astype("object")
    exempt = merged["regime"].map(
        lambda r: SEND_REGIMES[r].corporate_exempt if r in SEND_REGIMES else False
    )
    opted_out = event == "opt_out"
    late = opted_out & (merged["sent_at"] - merged["event_at"] > pd.Timedelta(days=grace_days))
    soft = (event == "soft_opt_in") & merged["unsubscribe_link"].astype(bool)
    corporate = (merged["subscriber"] == "corporate") & exempt.astype(bool)
    conditions = [late, opted_out, event == "opt_in", soft, corporate]
    choices = ["after_opt_out", "in_grace", "opted_in", "soft_opt_in", "corporate"]
    merged["status"] = np.select(conditions, choices, default="no_opt_in").astype("object")
    return merged.drop(columns="_order").reset_index(drop=True)


#: The optional send columns PECR reg. 23 (and the Latvian law's ss. 8 and 9(4)) read:
#: who sent it, and where to say stop.
IDENTITY_COLUMNS = ("sender_identified", "stop_address")


def send_findings(
    judged: pd.DataFrame, period: Period, *, grace_days: int = 2, threshold: int = 5
) -> list[Finding]:
    """Findings from :func:`judge_sends`: sends without a basis, one finding per regime
    with that regime's law (PECR reg. 22(2) for the UK, s. 9 for Latvia), and sends
    after an opt-out. People are counted, never named."""
    found: list[Finding] = []
    none = judged[judged["status"] == "no_opt_in"]
    for regime, rows in none.groupby("regime", sort=True):
        rule = SEND_REGIMES.get(str(regime))
        law = rule.law if rule else f"e-mail marketing law ({regime}), judged strictly"
        soft = int((rows["event"] == "soft_opt_in").sum())
        where = "" if regime == UK_REGIME else f" under {law}"
        detail = (
            f"{count_label(len(rows), threshold)} sends in {period}{where} went to people "
            "with no opt-in on record at the time"
        )
        if rule is None or not rule.corporate_exempt:
            detail += ", corporate subscribers included"
        if soft:
            detail += (
                f"; {count_label(soft, threshold)} of them relied on a soft opt-in but "
                "carried no unsubscribe link (reg. 22(3)(c))"
            )
        subject = "marketing e-mails" if regime == UK_REGIME else f"marketing e-mails ({regime})"
        found.append(Finding(TOPIC, "send_without_opt_in", "high", law, subject, detail + "."))
    late = judged[judged["status"] == "after_opt_out"]
    if len(late):
        corporate = int((late["subscriber"] == "corporate").sum())
        detail = (
            f"{count_label(len(late), threshold)} sends in {period} went out more than "
            f"{grace_days} days after the person opted out"
        )
        if corporate:
            detail += (
                f" ({count_label(corporate, threshold)} to corporate subscribers: an opt-out "
                "binds them too)"
            )
        found.append(
            Finding(
                TOPIC,
                "send_after_opt_out",
                "high",
                "PECR reg. 22; Art. 21(3)",
                "marketing e-mails",
                detail + ". The grace period is house tolerance: the law has none.",
            )
        )
    found.extend(_identity_findings(judged, period, threshold))
    return found


def _identity_findings(judged: pd.DataFrame, period: Period, threshold: int) -> list[Finding]:
    """Sends recorded without the sender's identity or without a valid address to ask for
    the mail to stop, one finding per regime with its rule (``SendRegime.identity_law``:
    PECR reg. 23(a) and (b) in the UK, the Latvian law's ss. 8 and 9(4)), which protect
    every subscriber, corporate ones included. Sends that record neither are not judged,
    nor are sends of a country without a row."""
    found: list[Finding] = []
    for regime, rule in SEND_REGIMES.items():
        rows = judged[judged["regime"] == regime]
        missing = pd.Series(False, index=rows.index)
        for column in IDENTITY_COLUMNS:
            if column in rows:
                missing |= rows[column].map(lambda v: v is not None and not pd.isna(v) and not v)
        if not missing.any():
            continue
        subject = "marketing e-mails" if regime == UK_REGIME else f"marketing e-mails ({regime})"
        found.append(
            Finding(
                TOPIC,
                "send_without_sender_identity",
                "medium",
                rule.identity_law,
                subject,
                f"{count_label(int(missing.sum()), threshold)} sends in {period} concealed "
                "who sent them or gave no valid address to ask for the mail to stop: "
                f"{rule.identity_law} forbid both, to every subscriber, corporate ones "
                "included.",
            )
        )
    return found


def incomplete_opt_ins(consents: pd.DataFrame) -> pd.DataFrame:
    """Opt-in records without the source or the wording version: consent the controller
    cannot demonstrate (Art. 7(1))."""
    opt_ins = consents[consents["event"] == "opt_in"]
    return pd.DataFrame(
        {
            "missing": ["source", "wording_version"],
            "opt_ins": [
                int(opt_ins["source"].isna().sum()),
                int(opt_ins["wording_version"].isna().sum()),
            ],
        }
    )


def consent_findings(
    cookies: pd.DataFrame,
    consents: pd.DataFrame,
    sends: pd.DataFrame,
    period: Period,
    *,
    max_months: int = 13,
    grace_days: int = 2,
    timezone: str = "Europe/London",
    threshold: int = 5,
    office_countries: Mapping[str, str] | None = None,
    cookie_offices: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Findings from the cookie and consent checks. Cookies are named (they are not
    personal data) and judged on the period's last day under the regimes of the offices
    in ``cookie_offices`` (office -> country; see :func:`cookie_checks`); people are
    counted, never named, and counts below ``threshold`` print as ``<threshold``.
    ``office_countries`` as for :func:`judge_sends`."""
    found = cookie_findings(
        cookies, period.end, max_months=max_months, office_countries=cookie_offices
    )
    judged = judge_sends(
        consents,
        sends,
        period,
        grace_days=grace_days,
        timezone=timezone,
        office_countries=office_countries,
    )
    found.extend(send_findings(judged, period, grace_days=grace_days, threshold=threshold))
    for row in records(incomplete_opt_ins(consents)):
        if row["opt_ins"]:
            found.append(
                Finding(
                    TOPIC,
                    "opt_in_incomplete",
                    "medium",
                    "Art. 7(1)",
                    "consent records",
                    f"{count_label(row['opt_ins'], threshold)} opt-ins have no "
                    f"{row['missing'].replace('_', ' ')}: the consent cannot be demonstrated.",
                )
            )
    return findings_frame(found)


def metrics(
    cookies: pd.DataFrame,
    consents: pd.DataFrame,
    sends: pd.DataFrame,
    period: Period,
    *,
    max_months: int = 13,
    grace_days: int = 2,
    timezone: str = "Europe/London",
    office_countries: Mapping[str, str] | None = None,
    cookie_offices: Mapping[str, str] | None = None,
) -> dict[str, float]:
    """The cookie and consent metrics the policy claims are checked against. A send to a
    corporate subscriber or under a soft opt-in is not "without opt-in"; a cookie is
    "without consent" when it needs consent in a regime it is served in, judged on the
    period's last day, and was set before consent."""
    checked = cookie_checks(
        cookies, period.end, max_months=max_months, office_countries=cookie_offices
    )
    judged = judge_sends(
        consents,
        sends,
        period,
        grace_days=grace_days,
        timezone=timezone,
        office_countries=office_countries,
    )
    status = judged["status"].value_counts()
    return {
        "cookies.without_consent_count": float(checked["set_without_consent"].sum()),
        "cookies.too_long_count": float(checked["too_long"].sum()),
        "cookies.undisclosed_count": float(checked["undisclosed"].sum()),
        "consent.sends_without_opt_in_count": float(status.get("no_opt_in", 0)),
        "consent.sends_after_opt_out_count": float(status.get("after_opt_out", 0)),
    }
