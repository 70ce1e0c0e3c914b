"""The sample company's year of personal data breaches (issue 16), listed in
docs/sample-company.md with the finding each one plants.

Five breaches from November 2025 to August 2026, each written with the offset of its
office's clock at the time:

- ``BR-2025-07`` (London, UK GDPR): a misdirected e-mail, notified to the ICO in time
  (42.5 hours after awareness);
- ``BR-2026-02`` (Riga, GDPR): a faulty migration, known on Friday 27 March 2026 at
  10:00 EET, the clocks going forward on Sunday the 29th; notified to the DVI on Monday
  30 March at 10:30 EEST: 71.5 elapsed hours, in time, though 72 hours on the wall
  clock would have ended at 10:00;
- ``BR-2026-04`` (London, UK GDPR): a stolen laptop, notified to the ICO 102 hours after
  awareness with no reasons for the delay, and its record has no remedial action
  (Art. 33(1), 33(5));
- ``BR-2026-06`` (Riga, GDPR): MailPulse's breach, reported by MailPulse 66 hours after it
  found it, against the 24 hours of its contract (Art. 33(2)); notified to the DVI in time;
- ``BR-2026-07`` (London, both regimes): credential stuffing on customers of both offices,
  assessed a high risk, notified to the ICO and the DVI in time, the people never told and
  no Art. 34(3) exception recorded.
"""

from __future__ import annotations

from typing import Any

from juro_privacy.workbook.schemas import TABLES_BY_NAME

#: The processors' contractual windows for reporting a breach (``processors``), hours.
BREACH_NOTICE_HOURS: dict[str, str] = {"cloudhost": "24", "mailpulse": "24", "chatdesk": "48"}

_COLUMNS = tuple(TABLES_BY_NAME["breaches"].column_names)


def _row(**cells: str) -> tuple[str, ...]:
    """One ``breaches`` row in the contract's column order; a column not given is empty."""
    unknown = set(cells) - set(_COLUMNS)
    if unknown:
        raise KeyError(f"not breaches columns: {sorted(unknown)}")
    return tuple(cells.get(c, "") for c in _COLUMNS)


BREACHES: list[tuple[Any, ...]] = [
    _COLUMNS,
    _row(
        breach_id="BR-2025-07",
        office="london",
        regimes="uk_gdpr",
        discovered_at="2025-11-12T10:05:00+00:00",
        aware_at="2025-11-12T16:30:00+00:00",
        contained_at="2025-11-12T17:10:00+00:00",
        nature="confidentiality",
        description="A support agent attached one customer's invoice export to a reply "
        "sent to another customer.",
        data_categories="identity_contact;financial",
        data_subjects="customers",
        people_count="38",
        records_count="212",
        consequences="Names, billing addresses and invoice amounts seen by one other "
        "business customer.",
        risk="risk",
        notified_uk_at="2025-11-14T11:00:00+00:00",
        measures="Recipient confirmed deletion in writing; attachment checks added to the "
        "support desk.",
    ),
    _row(
        breach_id="BR-2026-02",
        office="riga",
        regimes="eu_gdpr",
        discovered_at="2026-03-27T08:20:00+02:00",
        aware_at="2026-03-27T10:00:00+02:00",
        contained_at="2026-03-27T15:45:00+02:00",
        nature="integrity;confidentiality",
        description="A database migration run from Riga swapped signer names between "
        "contracts, showing each counterparty another signer's name.",
        data_categories="counterparty_contact;signatures",
        data_subjects="counterparties",
        people_count="140",
        records_count="140",
        consequences="Contracts showing the wrong signer; signers' names seen by other "
        "counterparties.",
        risk="risk",
        notified_eu_at="2026-03-30T10:30:00+03:00",
        measures="Migration rolled back from the backup; migrations now dry-run on a copy.",
    ),
    _row(
        breach_id="BR-2026-04",
        office="london",
        regimes="uk_gdpr",
        discovered_at="2026-05-14T19:20:00+01:00",
        aware_at="2026-05-15T09:00:00+01:00",
        contained_at="2026-05-15T11:30:00+01:00",
        nature="confidentiality;availability",
        description="A sales laptop holding an unencrypted export of prospect contacts "
        "was stolen from a parked car.",
        data_categories="identity_contact",
        data_subjects="prospects;customers",
        people_count="1250",
        records_count="1250",
        consequences="Names, work e-mail addresses and phone numbers open to phishing.",
        risk="risk",
        notified_uk_at="2026-05-19T15:00:00+01:00",
    ),
    _row(
        breach_id="BR-2026-06",
        office="riga",
        regimes="eu_gdpr",
        discovered_at="2026-07-20T14:00:00+00:00",
        aware_at="2026-07-23T11:00:00+03:00",
        contained_at="2026-07-20T18:30:00+00:00",
        nature="confidentiality",
        description="MailPulse left a storage bucket of e-mail delivery logs readable "
        "from the internet.",
        data_categories="identity_contact",
        data_subjects="customers;prospects",
        people_count="3400",
        records_count="9800",
        consequences="Recipient addresses and subject lines of service e-mails exposed.",
        risk="risk",
        notified_eu_at="2026-07-24T15:00:00+03:00",
        processor_id="mailpulse",
        processor_told_at="2026-07-23T11:00:00+03:00",
        measures="Bucket closed; MailPulse's access logs reviewed; contract review opened.",
    ),
    _row(
        breach_id="BR-2026-07",
        office="london",
        regimes="uk_gdpr;eu_gdpr",
        discovered_at="2026-08-03T08:40:00+01:00",
        aware_at="2026-08-03T13:00:00+01:00",
        contained_at="2026-08-04T18:00:00+01:00",
        nature="confidentiality",
        description="Credential stuffing on the web app opened customer accounts in "
        "London and Riga and their signed contracts.",
        data_categories="identity_contact;contract_content",
        data_subjects="customers;counterparties",
        people_count="61",
        records_count="420",
        consequences="Contract terms, salaries in employment contracts and signatures "
        "read by an attacker.",
        risk="high_risk",
        notified_uk_at="2026-08-05T10:00:00+01:00",
        notified_eu_at="2026-08-06T14:30:00+03:00",
        measures="Passwords reset, two-factor sign-in made mandatory, login rate limits.",
    ),
]
