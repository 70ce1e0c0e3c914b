"""Cookie and marketing-consent checks (PECR regs. 6 and 22; GDPR Arts. 7 and 21).

Pure functions: the ``cookies``, ``consents`` and ``marketing_sends`` tables in,
frames and findings out. A send is judged against the person's consent state at the
moment it was sent: the latest opt-in or opt-out event at or before ``sent_at``.
"""

from __future__ import annotations

import pandas as pd

from juro_privacy.findings import Finding, findings_frame, records
from juro_privacy.periods import Period
from juro_privacy.rules.disclosure import count_label

TOPIC = "consent"
DAYS_PER_MONTH = 365.25 / 12


def max_cookie_days(months: int) -> int:
    """The longest cookie lifetime, in days, allowed by a limit in months (CNIL's 13
    months is 396 days: months x 365.25 / 12, rounded)."""
    return round(months * DAYS_PER_MONTH)


def cookie_checks(cookies: pd.DataFrame, *, max_months: int = 13) -> pd.DataFrame:
    """One row per cookie with the three checks a DPO answers for.

    - ``set_without_consent``: a cookie that needs consent (not strictly necessary) was
      observed set before consent was given (PECR reg. 6; ICO cookie guidance);
    - ``too_long``: a persistent cookie living longer than ``max_months`` (CNIL
      recommends 13 months at most);
    - ``undisclosed``: in use but not described in the policy (PECR reg. 6(2)(a),
      clear and comprehensive information).
    """
    limit = max_cookie_days(max_months)
    out = cookies[["cookie_name", "provider", "party", "kind", "duration_days", "purpose"]].copy()
    out["set_without_consent"] = cookies["consent_required"].astype(bool) & cookies[
        "set_before_consent"
    ].astype(bool)
    out["too_long"] = (cookies["kind"] == "persistent") & (
        cookies["duration_days"].fillna(0).astype("int64") > limit
    )
    out["undisclosed"] = ~cookies["disclosed"].astype(bool)
    return out.reset_index(drop=True)


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


def judge_sends(
    consents: pd.DataFrame,
    sends: pd.DataFrame,
    period: Period,
    *,
    grace_days: int = 2,
    timezone: str = "Europe/London",
) -> pd.DataFrame:
    """Each marketing send of ``period`` judged against the consent state at send time.

    ``status`` is ``opted_in`` (the latest event before the send is an opt-in),
    ``no_opt_in`` (no opt-in on record at send time: PECR reg. 22(2)), ``after_opt_out``
    (sent more than ``grace_days`` after an opt-out: reg. 22 and Art. 21(3)), or
    ``in_grace`` (sent within the grace period after an opt-out, tolerated). The send's
    date in ``timezone`` decides which period it belongs to.
    """
    local = sends["sent_at"].dt.tz_convert(timezone).dt.date
    mask = local.map(period.contains).astype(bool)
    these = sends.loc[mask, ["send_id", "subject_id", "sent_at"]].copy()
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
    grace = pd.Timedelta(days=grace_days)
    status = pd.Series("opted_in", index=merged.index, dtype="object")
    status[merged["event"].isna()] = "no_opt_in"
    out_mask = merged["event"] == "opt_out"
    late = out_mask & (merged["sent_at"] - merged["event_at"] > grace)
    status[out_mask & ~late] = "in_grace"
    status[late] = "after_opt_out"
    merged["status"] = status
    return merged.drop(columns="_order").reset_index(drop=True)


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
) -> pd.DataFrame:
    """Findings from the cookie and consent checks. Cookies are named (they are not
    personal data); people are counted, never named, and counts below ``threshold``
    print as ``<threshold``."""
    found: list[Finding] = []
    checked = cookie_checks(cookies, max_months=max_months)
    for c in records(checked):
        name = f"cookie {c['cookie_name']} ({c['provider']})"
        if c["set_without_consent"]:
            found.append(
                Finding(
                    TOPIC,
                    "cookie_without_consent",
                    "high",
                    "PECR reg. 6",
                    name,
                    f"The {c['purpose']} cookie is set before consent is given.",
                )
            )
        if c["too_long"]:
            found.append(
                Finding(
                    TOPIC,
                    "cookie_too_long",
                    "medium",
                    "CNIL cookie recommendation",
                    name,
                    f"Lives {c['duration_days']} days, more than {max_months} months "
                    f"({max_cookie_days(max_months)} days).",
                )
            )
        if c["undisclosed"]:
            found.append(
                Finding(
                    TOPIC,
                    "cookie_undisclosed",
                    "medium",
                    "PECR reg. 6(2)",
                    name,
                    "In use but not described in the privacy policy.",
                )
            )
    judged = judge_sends(consents, sends, period, grace_days=grace_days, timezone=timezone)
    counts = judged["status"].value_counts()
    if counts.get("no_opt_in", 0):
        found.append(
            Finding(
                TOPIC,
                "send_without_opt_in",
                "high",
                "PECR reg. 22(2)",
                "marketing e-mails",
                f"{count_label(counts['no_opt_in'], threshold)} sends in {period} went to people "
                "with no opt-in on record at the time.",
            )
        )
    if counts.get("after_opt_out", 0):
        found.append(
            Finding(
                TOPIC,
                "send_after_opt_out",
                "high",
                "PECR reg. 22; Art. 21(3)",
                "marketing e-mails",
                f"{count_label(counts['after_opt_out'], threshold)} sends in {period} went "
                f"out more than {grace_days} days after the person opted out.",
            )
        )
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
) -> dict[str, float]:
    """The cookie and consent metrics the policy claims are checked against."""
    checked = cookie_checks(cookies, max_months=max_months)
    judged = judge_sends(consents, sends, period, grace_days=grace_days, timezone=timezone)
    status = judged["status"].value_counts()
    return {
        "cookies.without_consent_count": float(checked["set_without_consent"].sum()),
        "cookies.too_long_count": float(checked["too_long"].sum()),
        "cookies.undisclosed_count": float(checked["undisclosed"].sum()),
        "consent.sends_without_opt_in_count": float(status.get("no_opt_in", 0)),
        "consent.sends_after_opt_out_count": float(status.get("after_opt_out", 0)),
    }


# ---------------------------------------------------------------- workbook wrappers
