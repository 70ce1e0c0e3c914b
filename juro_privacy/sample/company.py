"""The bundled sample workbook: a fictional company built from the seed policy.

Larkspur Online Limited is invented: a contract-management SaaS with offices in
London and Riga, modelled on the seed privacy policy. Every person in it is
synthetic (``example.com`` addresses, sequential ids). Faults are planted on
purpose so that every report has findings; ``docs/sample-company.md`` lists them.
Generation is deterministic for a seed: the committed copy is byte-identical to
``juro-privacy sample DIR`` with the default seed (a test checks it).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from juro_privacy.sample.accounts import AccountsFormat, write_accounts
from juro_privacy.sample.breaches import BREACH_NOTICE_HOURS, BREACHES
from juro_privacy.sample.complaints import COMPLAINTS
from juro_privacy.sample.cookies import COOKIES
from juro_privacy.workbook.config import CONFIG_FILE
from juro_privacy.workbook.schemas import CHANNELS, REQUEST_TYPES, TABLES_BY_NAME, WP248_FLAGS

SAMPLE_AS_OF = dt.date(2026, 9, 30)
DEFAULT_ACCOUNTS = 2000
UTC = dt.UTC

CONFIG_TEXT = """\
# workbook.yaml: the organisation this workbook describes (synthetic sample).
organisation: Larkspur Online Limited
dpo: Data Protection Officer, Larkspur Online Limited
controller_contact: 20 Example Yard, London EC2A 4XX, United Kingdom
dpo_contact: the privacy request form at larkspur.example/privacy, or by post (address above)
complaint_routes: the complaint form at larkspur.example/complaints (online), e-mail, or post
timezone: Europe/London
default_period: 2026-Q3
small_count_threshold: 5
risk_scale: ico
forward_target_working_days: 5
large_scale_threshold: 1000
cookie_max_months: 13
opt_out_grace_days: 2
"""

DPIA_TEXT = """\
# dpia.yaml: the DPIA this workbook holds (synthetic sample). See docs/dpia.md.
title: Product analytics and machine learning on usage data
activities: [A05, A06]
nature: >-
  Usage and technical data (clickstreams, page timings, approximate location) are
  collected automatically from the web app and the website, pseudonymised, stored in
  the analytics warehouse, shown as heat maps, and used to train models that tailor
  e-mails and suggest contract clauses. Training runs in Riga and at InsightML in India.
scope: >-
  About 2,000 customer accounts and the website's visitors; rolling 6 months of events
  in the warehouse; training sets refreshed monthly; contract content joined to usage
  for clause suggestions.
context: >-
  Customers are businesses and their staff, who expect their use of the product to be
  measured but not their contracts to be read by models. The privacy policy mentions
  "profiling and the use of machine learning". No children; no special category data.
purposes: >-
  Improve the product (which features are used, where people get stuck), and
  tailor e-mails and clause suggestions to how each customer works.
consultation:
  - who: Customer advisory board (8 customers)
    how: Workshop and written survey
    when: 2026-07-14
    summary: Accept usage analytics; object to contract content in training sets.
  - who: Information security team
    how: Design review of the training pipeline
    when: 2026-08-02
    summary: Asked for field masking in session replay and an IDTA with InsightML.
sign_off:
  measures_approved_by: Head of Data
  residual_risks_approved_by: Chief Executive
  dpo_advice: >-
    Exclude contract content from training until R05 is reduced; consult the ICO
    under Art. 36 if it stays high.
  dpo_advice_accepted: false
  dpo_advice_reason: >-
    Clause suggestions need contract content; the board accepted the residual risk
    pending prior consultation.
  consultation_reviewed_by: Data Protection Officer
  next_review: 2027-03-31
"""

SITES = [
    ("site_id", "name", "kind", "country", "timezone", "jurisdiction", "disclosed"),
    ("london", "London office", "office", "GB", "Europe/London", "GB-ENG", "true"),
    ("riga", "Riga office", "office", "LV", "Europe/Riga", "LV", "true"),
    # planted: a support desk the policy never mentions
    ("lisbon", "Lisbon support contractor desk", "office", "PT", "Europe/Lisbon", "", "false"),
]

CATEGORIES = [
    ("category_id", "name", "group", "fides_key", "special", "description"),
    (
        "identity_contact",
        "Identity and contact",
        "identity_contact",
        "user.contact",
        "false",
        "Name, address, telephone number, email address",
    ),
    (
        "financial",
        "Financial",
        "financial",
        "user.financial",
        "false",
        "Bank account number, sort code, credit/debit card details",
    ),
    (
        "contract_content",
        "Contract content",
        "contract_content",
        "user.content.private",
        "false",
        "Contract templates, smart fields, integrated data, comments, activity on contracts",
    ),
    (
        "counterparty_contact",
        "Counterparty names and e-mails",
        "contract_content",
        "user.contact.email",
        "false",
        "Counterparty names and email addresses in contracts",
    ),
    (
        "signatures",
        "Signatures",
        "contract_content",
        "user.content.private",
        "false",
        "Signatures applied to contracts",
    ),
    (
        "technical",
        "Technical",
        "technical",
        "user.device",
        "false",
        "IP address, login information, browser type and version, time zone, plug-ins, OS",
    ),
    (
        "usage",
        "Usage",
        "usage",
        "user.behavior",
        "false",
        "URL clickstreams, products viewed, response times, time on pages, actions",
    ),
    (
        "approx_location",
        "Approximate location",
        "technical",
        "user.location.imprecise",
        "false",
        "Geolocation information about where you might be",
    ),
    # planted: special-category data one activity holds without an Art. 9 condition
    (
        "health",
        "Health (accessibility needs)",
        "identity_contact",
        "user.health_and_medical",
        "true",
        "Accessibility needs noted for demo and support calls",
    ),
    # planted: collected by a system, used by no purpose
    (
        "precise_location",
        "Precise location",
        "technical",
        "user.location.precise",
        "false",
        "GPS-level location captured by the mobile signing app",
    ),
]

PROCESSORS: list[tuple[str, ...]] = [
    (
        "processor_id",
        "name",
        "service",
        "country",
        "mechanism",
        "dpf_certified",
        "dpa_signed_on",
        "data_categories",
        "encrypted_in_transit",
        "listed_in_policy",
        "engaged_on",
        "dpf_certified_until",
        "dpf_certified_from",
        "dpf_scope",
        "uk_extension",
        "uk_extension_from",
        "uk_extension_until",
        "mechanism_signed_on",
    ),
    (
        "cloudhost",
        "CloudHost Europe Ltd",
        "Hosting and back-end infrastructure",
        "IE",
        "",
        "false",
        "2019-03-01",
        "identity_contact;financial;contract_content;counterparty_contact;signatures;technical;"
        "usage;approx_location;precise_location",
        "true",
        "true",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    (
        "payrail",
        "PayRail Ltd",
        "Card and direct-debit payments",
        "GB",
        "",
        "false",
        "2020-01-10",
        "identity_contact;financial",
        "true",
        "true",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    # planted: DPF certification (and its UK Extension) lapsed on 14 August 2026; the EU
    # SCCs take over from Lisbon, but SCCs alone do not safeguard London's transfer (status
    # changes in 2026-Q3)
    (
        "chatdesk",
        "ChatDesk Inc.",
        "Live chat support",
        "US",
        "sccs",
        "true",
        "2021-09-15",
        "identity_contact;technical",
        "true",
        "true",
        "",
        "2026-08-14",
        "2023-07-17",
        "non_hr",
        "true",
        "2023-10-12",
        "2026-08-14",
        "",
    ),
    # planted: US, not DPF-certified, EU SCCs only: fine from Riga, not from London
    (
        "mailpulse",
        "MailPulse Inc.",
        "E-mail delivery",
        "US",
        "sccs",
        "false",
        "2022-02-01",
        "identity_contact",
        "true",
        "true",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    # planted: US transfer not encrypted in transit; certified to the EU-US DPF only (no
    # UK Extension, SI 2023/1028): adequate from Riga, unsafeguarded from London
    (
        "statsbox",
        "StatsBox Inc.",
        "Product analytics",
        "US",
        "",
        "true",
        "2023-08-01",
        "technical;usage;approx_location",
        "false",
        "true",
        "2023-08-01",
        "",
        "2023-08-01",
        "non_hr",
        "false",
        "",
        "",
        "",
    ),
    # planted: DPA signed after the flow began
    (
        "heattrack",
        "HeatTrack Ltd",
        "Heat mapping and session replay",
        "IL",
        "",
        "false",
        "2025-02-01",
        "technical;usage;approx_location",
        "true",
        "true",
        "2023-06-01",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    # planted: no adequacy, no safeguard, no DPA, not in the policy
    (
        "insightml",
        "InsightML Pvt Ltd",
        "Machine-learning research on usage",
        "IN",
        "",
        "false",
        "",
        "usage;technical",
        "true",
        "false",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    (
        "signverify",
        "SignVerify Corp.",
        "Signer identity verification",
        "CA",
        "",
        "false",
        "2021-05-20",
        "counterparty_contact;contract_content;signatures",
        "true",
        "true",
        "2021-05-20",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    # planted: old 2010 clauses, expired for EU exporters end 2022 and UK exporters March 2024
    (
        "oldcrm",
        "OldCRM Inc.",
        "Sales CRM",
        "US",
        "sccs_2010",
        "false",
        "2019-06-01",
        "identity_contact;health",
        "true",
        "true",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    (
        "koreacdn",
        "Hanbit CDN Co.",
        "Content delivery for the web app",
        "KR",
        "",
        "false",
        "2021-03-01",
        "identity_contact;technical",
        "true",
        "true",
        "2021-03-01",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    (
        "backupvault",
        "BackupVault AG",
        "Encrypted off-site backups",
        "CH",
        "",
        "false",
        "2019-03-01",
        "identity_contact;financial;contract_content;counterparty_contact;"
        "signatures;technical;usage",
        "true",
        "true",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
]

# planted: transfer assessments (UK GDPR Art. 46(1A); Schrems II). MailPulse's, behind the
# EU SCCs from Riga, dates from March 2025: stale under the 12-month review policy. ChatDesk
# has none: from Lisbon it falls back on the EU SCCs when its DPF certification lapses on
# 14 August 2026, and nobody assessed them (no_transfer_assessment).
_TRANSFER_ASSESSMENTS = {"mailpulse": ("2025-03-10", "meets_test")}
PROCESSORS = [
    (*PROCESSORS[0], "transfer_assessment_on", "transfer_assessment_outcome"),
    *((*row, *_TRANSFER_ASSESSMENTS.get(str(row[0]), ("", ""))) for row in PROCESSORS[1:]),
]

# planted (issue 14): HMRC receives the payment records (A02) as a controller in its own
# right, under the tax law: a recipient with no Art. 28 contract, and rightly none.
PROCESSORS.append(
    (
        "hmrc",
        "HM Revenue & Customs",
        "Tax authority: VAT and corporation tax records",
        "GB",
        "",
        "false",
        "",
        "identity_contact;financial",
        "true",
        "true",
        "2020-01-10",
        *("",) * 9,
    )
)
PROCESSORS = [
    (*PROCESSORS[0], "relationship"),
    *(
        (*row, "independent_controller" if row[0] == "hmrc" else "processor")
        for row in PROCESSORS[1:]
    ),
]
# planted (issue 16): the breach-notice windows of three contracts (Art. 33(2)); MailPulse
# had 24 hours and took 66 (``sample/breaches.py``, BR-2026-06).
PROCESSORS = [
    (*PROCESSORS[0], "breach_notice_hours"),
    *((*row, BREACH_NOTICE_HOURS.get(str(row[0]), "")) for row in PROCESSORS[1:]),
]

SYSTEMS = [
    ("system_id", "name", "site_id", "processor_id", "data_categories", "retention_months"),
    (
        "app_db",
        "Product database",
        "",
        "cloudhost",
        "identity_contact;contract_content;counterparty_contact;signatures;technical",
        "72",
    ),
    ("auth", "Login and authentication", "", "cloudhost", "identity_contact;technical", "72"),
    (
        "doc_store",
        "Contract document store",
        "",
        "cloudhost",
        "contract_content;counterparty_contact;signatures",
        "72",
    ),
    ("payments", "Billing and payments", "", "payrail", "identity_contact;financial", "72"),
    # planted: keeps usage data longer than the register's rule allows
    (
        "analytics_wh",
        "Analytics warehouse",
        "",
        "statsbox",
        "technical;usage;approx_location",
        "96",
    ),
    ("support_chat", "Support chat", "", "chatdesk", "identity_contact;technical", "24"),
    ("crm", "Sales CRM", "", "oldcrm", "identity_contact;health", "36"),
    ("email_platform", "E-mail platform", "", "mailpulse", "identity_contact", "24"),
    (
        "integrations",
        "Integrations service (Slack, CRM connectors)",
        "london",
        "",
        "identity_contact;contract_content",
        "72",
    ),
    ("mobile_app", "Mobile signing app", "", "cloudhost", "precise_location;signatures", ""),
    (
        "backups",
        "Off-site backups",
        "",
        "backupvault",
        "identity_contact;financial;contract_content;counterparty_contact;signatures;technical;usage",
        "72",
    ),
    ("riga_ops", "Riga back-office tools", "riga", "", "identity_contact;technical", "72"),
]

RETENTION_RULES = [
    ("rule_id", "description", "archive_after_months", "delete_after_months", "source"),
    (
        "policy_default",
        "Archive within 6 months, delete within 6 years of last use",
        "6",
        "72",
        "Privacy policy: 'archive ... within 6 months ... delete ... no later than 6 years'",
    ),
    (
        "finance_6y",
        "Keep invoices 6 years for tax records",
        "",
        "72",
        "Companies Act 2006 s.388; HMRC record-keeping",
    ),
    (
        "customer_contract",
        "As agreed in the customer's contract (processor role)",
        "",
        "84",
        "Customer DPA, default clause",
    ),
    (
        "marketing_2y",
        "Delete marketing profiles 24 months after last engagement",
        "",
        "24",
        "Marketing retention standard",
    ),
]

_F = "false"
_T = "true"
ACTIVITIES = [
    (
        "activity_id",
        "name",
        "purpose",
        "role",
        "controller",
        "lawful_basis",
        "art9_condition",
        "data_subjects",
        "data_categories",
        "source",
        "systems",
        "recipients",
        "retention_rule",
        "security_measures",
        "started_on",
        "ended_on",
        "offices",
        *WP248_FLAGS,
    ),
    (
        "A01",
        "Accounts, login and settings",
        "service",
        "controller",
        "",
        "contract",
        "",
        "customers",
        "identity_contact;technical",
        "both",
        "app_db;auth;backups",
        "cloudhost;backupvault;koreacdn",
        "policy_default",
        "TLS 1.2+, encryption at rest, SSO and MFA",
        "2019-03-01",
        "",
        "london;riga",
        _F,
        _F,
        _F,
        _F,
        _F,
        _F,
    ),
    (
        "A02",
        "Processing payments",
        "service",
        "controller",
        "",
        "contract",
        "",
        "customers",
        "identity_contact;financial",
        "given",
        "payments",
        "payrail;hmrc",
        "finance_6y",
        "PCI DSS processor, tokenised cards",
        "2020-01-10",
        "",
        "london",
        _F,
        _F,
        _F,
        _F,
        _F,
        _F,
    ),
    (
        "A03",
        "Contracts signed through the product for customers",
        "service",
        "processor",
        "Each customer (per its DPA)",
        "",
        "",
        "counterparties",
        "counterparty_contact;contract_content;signatures",
        "given",
        "app_db;doc_store;backups",
        "cloudhost;signverify;backupvault",
        "customer_contract",
        "Encryption at rest, audit trail, customer-controlled access",
        "2019-03-01",
        "",
        "london;riga",
        _F,
        _F,
        _F,
        _F,
        _F,
        _F,
    ),
    (
        "A04",
        "Integrations with other services",
        "service",
        "controller",
        "",
        "contract",
        "",
        "customers",
        "identity_contact;contract_content",
        "given",
        "integrations",
        "cloudhost",
        "policy_default",
        "OAuth scopes, secrets vault",
        "2021-01-01",
        "",
        "london",
        _F,
        _F,
        _F,
        _F,
        _F,
        _F,
    ),
    (
        "A05",
        "Product analytics and heat mapping",
        "analytics",
        "controller",
        "",
        "legitimate_interests",
        "",
        "customers;website_visitors",
        "technical;usage;approx_location",
        "collected",
        "analytics_wh",
        "statsbox;heattrack",
        "policy_default",
        "Pseudonymised user ids, IP truncation",
        "2023-06-01",
        "",
        "london;riga",
        _T,
        _F,
        _T,
        _F,
        _F,
        _F,
    ),
    # planted: no lawful basis recorded
    (
        "A06",
        "Profiling and machine learning on usage data",
        "analytics",
        "controller",
        "",
        "",
        "",
        "customers",
        "usage;technical;contract_content",
        "collected",
        "analytics_wh;app_db",
        "insightml",
        "policy_default",
        "Pseudonymised training sets",
        "2024-02-01",
        "",
        "riga",
        _T,
        _F,
        _F,
        _F,
        _T,
        _F,
    ),
    (
        "A07",
        "Live chat support and bug fixing",
        "support",
        "controller",
        "",
        "contract",
        "",
        "customers",
        "identity_contact;technical",
        "both",
        "support_chat",
        "chatdesk",
        "policy_default",
        "Role-based access, chat transcripts redacted",
        "2021-09-15",
        "",
        "london;lisbon",
        _F,
        _F,
        _F,
        _F,
        _F,
        _F,
    ),
    (
        "A08",
        "Service notices by e-mail",
        "support",
        "controller",
        "",
        "contract",
        "",
        "customers",
        "identity_contact",
        "given",
        "email_platform",
        "mailpulse",
        "policy_default",
        "TLS for mail, DKIM",
        "2022-02-01",
        "",
        "london;riga",
        _F,
        _F,
        _F,
        _F,
        _F,
        _F,
    ),
    # planted: special-category data without an Art. 9 condition
    (
        "A09",
        "Accessibility adjustments for calls",
        "support",
        "controller",
        "",
        "consent",
        "",
        "customers;prospects",
        "identity_contact;health",
        "given",
        "crm",
        "oldcrm",
        "policy_default",
        "Restricted CRM field",
        "2022-05-01",
        "",
        "london",
        _F,
        _F,
        _F,
        _F,
        _F,
        _F,
    ),
    # planted: a recipient that is not a listed processor; no retention rule
    (
        "A10",
        "Marketing e-mails about features and content",
        "marketing",
        "controller",
        "",
        "consent",
        "",
        "customers;prospects",
        "identity_contact;usage",
        "both",
        "crm;email_platform",
        "mailpulse;eventco",
        "",
        "Consent records, unsubscribe links",
        "2022-02-01",
        "",
        "london;riga",
        _T,
        _F,
        _F,
        _F,
        _F,
        _F,
    ),
    # new this quarter: shows in the register diff
    (
        "A11",
        "Demo requests and sales calls",
        "marketing",
        "controller",
        "",
        "legitimate_interests",
        "",
        "prospects",
        "identity_contact",
        "given",
        "crm",
        "oldcrm",
        "marketing_2y",
        "Role-based CRM access",
        "2026-08-01",
        "",
        "london",
        _F,
        _F,
        _F,
        _F,
        _F,
        _F,
    ),
    # ended last quarter: shows as removed in the register diff
    (
        "A12",
        "Legacy webinar sign-ups",
        "marketing",
        "controller",
        "",
        "consent",
        "",
        "prospects;website_visitors",
        "identity_contact",
        "given",
        "crm",
        "oldcrm",
        "marketing_2y",
        "Role-based CRM access",
        "2021-03-01",
        "2026-05-31",
        "london",
        _F,
        _F,
        _F,
        _F,
        _F,
        _F,
    ),
]

# planted: A11 (demo requests, sent from London to OldCRM in the US, whose 2010 clauses no
# longer safeguard a UK export) relies on the prospects' explicit consent (Art. 49(1)(a)):
# status "derogation", and a finding because the activity is ongoing, so regular
_DEROGATIONS = {"A11": "explicit_consent"}
ACTIVITIES = [
    (*ACTIVITIES[0], "transfer_derogation"),
    *((*row, _DEROGATIONS.get(str(row[0]), "")) for row in ACTIVITIES[1:]),
]

# planted (issue 14): A13 screens sign-ups for fraud and abuse from London on a
# recognised legitimate interest (UK GDPR Art. 6(1)(ea), Annex 1 para 4, crime), in
# force since 5 February 2026; A05's legitimate interests assessment is on record,
# A11's is not (a good-practice finding, no_lia).
ACTIVITIES.append(
    (
        "A13",
        "Fraud and abuse checks on sign-ups",
        "service",
        "controller",
        "",
        "recognised_legitimate_interest",
        "",
        "customers",
        "identity_contact;technical",
        "collected",
        "app_db",
        "",
        "policy_default",
        "Automated checks, access limited to the trust and safety team",
        "2026-03-02",
        "",
        "london",
        *(_F,) * len(WP248_FLAGS),
        "",
    )
)
_BASES = {"A05": ("", "2025-11-20", "passed"), "A13": ("crime", "", "")}
ACTIVITIES = [
    (*ACTIVITIES[0], "annex1_condition", "lia_on", "lia_outcome"),
    *((*row, *_BASES.get(str(row[0]), ("", "", ""))) for row in ACTIVITIES[1:]),
]
# planted (WP248 criterion 6): A06 trains its models on the accounts' data (A01) and on
# the contracts signed for customers (A03, the customers' data): combining datasets of
# other purposes and another controller, beyond what people would expect.
_COMBINES = {"A06": "A01;A03"}
ACTIVITIES = [
    (*ACTIVITIES[0], "combines"),
    *((*row, _COMBINES.get(str(row[0]), "")) for row in ACTIVITIES[1:]),
]
# In the contract's column order, every optional column present (empty where unused).
_HEADER = ACTIVITIES[0]
ACTIVITIES = [
    tuple(TABLES_BY_NAME["activities"].column_names),
    *(
        tuple(
            row[_HEADER.index(name)] if name in _HEADER else ""
            for name in TABLES_BY_NAME["activities"].column_names
        )
        for row in ACTIVITIES[1:]
    ),
]

RISKS = [
    (
        "risk_id",
        "activity_id",
        "risk",
        "rights_affected",
        "likelihood",
        "severity",
        "measures",
        "measure_owner",
        "measure_due",
        "measure_status",
        "residual_likelihood",
        "residual_severity",
        "evidence_metric",
        "evidence_comparison",
        "evidence_threshold",
    ),
    (
        "R01",
        "A06",
        "Usage data sent to a country without adequacy or safeguards",
        "Art. 44-46 protection of transfers; confidentiality",
        "probable",
        "significant",
        "Sign IDTA and EU SCCs with InsightML or move training in-house",
        "Head of Data",
        "2026-12-31",
        "in_progress",
        "remote",
        "significant",
        "transfers.unsafeguarded_count",
        ">",
        "0",
    ),
    (
        "R02",
        "A05",
        "Heat maps capture contract text typed into forms",
        "Confidentiality; Art. 5(1)(c) minimisation",
        "possible",
        "significant",
        "Mask all form fields in session replay",
        "Product Security Lead",
        "2026-06-30",
        "done",
        "remote",
        "minimal",
        "",
        "",
        "",
    ),
    (
        "R03",
        "A06",
        "Profiling used to tailor e-mails without people expecting it",
        "Art. 21 right to object; transparency",
        "possible",
        "minimal",
        "Explain tailoring in the policy; honour objections",
        "Marketing Lead",
        "2026-10-31",
        "planned",
        "remote",
        "minimal",
        "requests.on_time_rate",
        "<",
        "0.95",
    ),
    (
        "R04",
        "A05",
        "Data kept after the retention period",
        "Art. 5(1)(e) storage limitation",
        "probable",
        "significant",
        "Automated archive and deletion jobs",
        "Platform Lead",
        "2026-09-30",
        "in_progress",
        "remote",
        "significant",
        "retention.delete_overdue_count",
        ">",
        "0",
    ),
    (
        "R05",
        "A06",
        "Model trained on contract content re-identifies signers",
        "Confidentiality; Art. 22",
        "possible",
        "severe",
        "Exclude contract content from training sets",
        "Head of Data",
        "2027-03-31",
        "planned",
        "possible",
        "severe",
        "",
        "",
        "",
    ),
]

# Who fixes which finding: some overdue at the end of 2026-Q3, and some findings left
# without an owner, so the accountability report has all three states to show.
ACTIONS = [
    ("topic", "code", "subject", "owner", "due_on", "note"),
    (
        "register",
        "no_lawful_basis",
        "A06 Profiling and machine learning on usage data",
        "Data Protection Officer",
        "2026-10-31",
        "Legitimate interests assessment drafted",
    ),
    (
        "flows",
        "unsafeguarded_transfer",
        "InsightML Pvt Ltd from Riga office",
        "Head of Data",
        "2026-12-31",
        "IDTA and EU SCCs under negotiation",
    ),
    (
        "flows",
        "us_unencrypted",
        "",
        "Platform Lead",
        "2026-08-31",
        "Encrypt the StatsBox export in transit",
    ),
    ("requests", "request_overdue", "", "Support Lead", "2026-10-15", "Clear the backlog"),
    ("requests", "request_late", "", "Support Lead", "2026-10-15", "Second reviewer on rota"),
    ("retention", "delete_overdue", "", "Platform Lead", "2026-09-15", "Nightly deletion job"),
    ("retention", "archive_overdue", "", "Platform Lead", "2026-12-31", ""),
    (
        "consent",
        "send_after_opt_out",
        "",
        "Marketing Lead",
        "2026-07-31",
        "Suppression list synced before each send",
    ),
]

CLAIMS = [
    ("claim_id", "quote", "metric", "comparison", "threshold"),
    (
        "C01",
        "We will provide you with the information within one month of your request",
        "requests.on_time_rate",
        ">=",
        "1",
    ),
    (
        "C02",
        "We will give you a copy of your data in CSV or JSON",
        "requests.portability_wrong_format_count",
        "==",
        "0",
    ),
    (
        "C03",
        "We will archive ... within 6 months from the last time you used Juro",
        "retention.archive_overdue_count",
        "==",
        "0",
    ),
    (
        "C04",
        "We will delete your personal data ... no later than 6 years",
        "retention.delete_overdue_count",
        "==",
        "0",
    ),
    (
        "C05",
        "processed at our offices in London and Riga and ... the third parties identified",
        "transfers.undisclosed_location_count",
        "==",
        "0",
    ),
    (
        "C06",
        "we take steps to ensure we agree the standard contractual clauses",
        "transfers.unsafeguarded_count",
        "==",
        "0",
    ),
    (
        "C07",
        "Any data transfers to the US are encrypted",
        "transfers.us_unencrypted_count",
        "==",
        "0",
    ),
    ("C08", "opt-in to marketing messages", "consent.sends_without_opt_in_count", "==", "0"),
    ("C09", "You can opt out from marketing", "consent.sends_after_opt_out_count", "==", "0"),
    (
        "C10",
        "we will pass the request on to our user",
        "requests.forwarding_on_time_rate",
        ">=",
        "1",
    ),
    (
        "C11",
        "These may be 'session' cookies ... or 'persistent' cookies",
        "cookies.undisclosed_count",
        "==",
        "0",
    ),
]

#: How often each request type and channel turns up, in the contract's order
#: (``juro_privacy.workbook.schemas``): a new type or channel needs a weight here.
REQUEST_TYPE_WEIGHTS = dict(
    zip(REQUEST_TYPES, [0.30, 0.25, 0.10, 0.10, 0.05, 0.05, 0.15], strict=True)
)
CHANNEL_WEIGHTS = dict(zip(CHANNELS, [0.55, 0.2, 0.15, 0.07, 0.03], strict=True))


def _iso(ts: dt.datetime | None) -> str:
    return "" if ts is None else ts.astimezone(UTC).isoformat(timespec="seconds")


def _requests(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """About 45 requests a quarter, 2024-Q1 to 2026-Q3, with planted faults."""
    header = (
        "request_id",
        "requester_email",
        "type",
        "channel",
        "office",
        "role",
        "received_at",
        "verified_at",
        "extended",
        "extension_notified_at",
        "completed_at",
        "outcome",
        "refusal_reason",
        "portability_format",
        "forwarded_at",
        "fee_paid_at",
        "clarification_requested_at",
        "clarification_received_at",
        "fee_or_refusal_ground",
    )
    rows: list[tuple[Any, ...]] = [header]
    start = dt.datetime(2024, 1, 2, tzinfo=UTC)
    span = (dt.datetime(2026, 9, 30, 17, tzinfo=UTC) - start).days
    n = 480
    days = np.sort(rng.integers(0, span, n))
    for i in range(n):
        received = start + dt.timedelta(
            days=int(days[i]), hours=int(rng.integers(7, 23)), minutes=int(rng.integers(0, 60))
        )
        rtype = str(rng.choice(list(REQUEST_TYPE_WEIGHTS), p=list(REQUEST_TYPE_WEIGHTS.values())))
        channel = str(rng.choice(list(CHANNEL_WEIGHTS), p=list(CHANNEL_WEIGHTS.values())))
        office = "london" if rng.random() < 0.7 else "riga"
        role = "processor" if rng.random() < 0.1 else "controller"
        verified = (
            received + dt.timedelta(days=int(rng.integers(1, 9))) if rng.random() < 0.3 else None
        )
        extended = rng.random() < 0.06
        notified = None
        if extended:
            notified = received + dt.timedelta(days=int(rng.integers(5, 45)))
        turnaround = int(rng.integers(2, 24))
        if rng.random() < 0.08:
            turnaround = int(rng.integers(33, 60))  # late
        if extended:
            turnaround = int(rng.integers(40, 80))
        clock = verified or received
        completed: dt.datetime | None = clock + dt.timedelta(days=turnaround, hours=3)
        outcome = "fulfilled"
        reason = ""
        fmt = ""
        forwarded = None
        if role == "processor":
            forwarded = received + dt.timedelta(days=int(rng.integers(0, 10)), hours=2)
            completed = forwarded
            outcome = "forwarded"
        elif rng.random() < 0.07:
            outcome = "refused"
            reason = "manifestly unfounded" if rng.random() < 0.5 else "others' rights"
        elif rng.random() < 0.04:
            outcome = "withdrawn"
        if rtype == "portability" and outcome == "fulfilled":
            fmt = "csv" if rng.random() < 0.6 else "json"
            if rng.random() < 0.12:
                fmt = "pdf"  # planted: the policy promises CSV or JSON
        assert completed is not None
        if completed > dt.datetime(2026, 9, 30, 23, tzinfo=UTC) or rng.random() < 0.015:
            completed, outcome, fmt = None, "", ""  # still open at the sample's end
        if completed is not None and notified is not None and notified > completed:
            notified = None
        rows.append(
            (
                f"REQ-{i + 1:05d}",
                f"requester{i + 1:05d}@example.com",
                rtype,
                channel,
                office,
                role,
                _iso(received),
                _iso(verified),
                "true" if extended else "false",
                _iso(notified),
                _iso(completed),
                outcome,
                reason,
                fmt,
                _iso(forwarded),
                "",
                "",
                "",
                # Art. 12(5)(b) is a ground; others' rights (Art. 15(4)) is a reason only
                "manifestly_unfounded" if reason == "manifestly unfounded" else "",
            )
        )

    # planted: 2026-Q3 meets every request rule (fixed rows, no random draw, so the rest
    # of the sample is unchanged; times UTC). docs/sample-company.md lists them.
    def at(text: str) -> str:
        return _iso(dt.datetime.fromisoformat(text).replace(tzinfo=UTC)) if text else ""

    planted = [
        # type, channel, office, role, received, verified, extended, told, completed,
        # outcome, refusal reason, portability format, forwarded[, fee paid,
        # clarification asked, clarification received, fee or refusal ground]
        # late: due Thursday 6 August, answered 14 August (8 days late)
        ("access", "email", "london", "controller", "2026-07-06 08:30", "", "false", "",
         "2026-08-14 14:00", "fulfilled", "", "", ""),
        # late, Riga: due 22 July, answered 29 July
        ("erasure", "web_form", "riga", "controller", "2026-06-22 07:00", "", "false", "",
         "2026-07-29 08:00", "fulfilled", "", "", ""),
        # identity verified nine days later: the clock starts 10 July, due 10 August; 10 late
        ("rectification", "email", "london", "controller", "2026-07-01 08:00",
         "2026-07-10 11:00", "false", "", "2026-08-20 15:00", "fulfilled", "", "", ""),
        # extended, requester never told: judged on 29 July, answered 25 August
        ("access", "email", "london", "controller", "2026-06-29 10:00", "", "true", "",
         "2026-08-25 09:00", "fulfilled", "", "", ""),
        # extended, told 10 August, after the one-month date (Monday 3 August)
        ("erasure", "chat", "london", "controller", "2026-07-02 13:00", "", "true",
         "2026-08-10 08:00", "2026-09-15 16:00", "fulfilled", "", "", ""),
        # extended and told in time: open, due Friday 20 November
        ("access", "email", "london", "controller", "2026-08-20 08:00", "", "true",
         "2026-09-01 09:00", "", "", "", "", ""),
        # portability answered in PDF (the policy promises CSV or JSON)
        ("portability", "email", "london", "controller", "2026-07-15 08:00", "", "false", "",
         "2026-07-30 11:00", "fulfilled", "", "pdf", ""),
        ("portability", "web_form", "riga", "controller", "2026-08-03 07:00", "", "false", "",
         "2026-08-19 09:00", "fulfilled", "", "pdf", ""),
        # open past its deadline (due 10 September)
        ("erasure", "email", "london", "controller", "2026-08-10 09:00", "", "false", "",
         "", "", "", "", ""),
        # processor role, passed on in 5 working days: Monday 31 August is a bank holiday
        ("access", "email", "london", "processor", "2026-08-27 09:00", "", "false", "",
         "2026-09-04 15:00", "forwarded", "", "", "2026-09-04 15:00"),
        # processor role, passed on after 9 working days
        ("erasure", "email", "london", "processor", "2026-07-13 08:00", "", "false", "",
         "2026-07-24 14:00", "forwarded", "", "", "2026-07-24 14:00"),
        # processor role, not passed on by the end of September (target 21 September)
        ("rectification", "email", "london", "processor", "2026-09-14 10:00", "", "false",
         "", "", "", "", "", ""),
        # clarification (UK GDPR Art. 12A): a London access request paused from Friday
        # 21 August to Tuesday 1 September (a weekend and the bank holiday of Monday 31
        # August; 12 days): due Friday 2 October, not Monday 21 September; answered 25th
        ("access", "email", "london", "controller", "2026-08-20 08:00", "", "false", "",
         "2026-09-25 10:00", "fulfilled", "", "", "", "", "2026-08-21 09:00",
         "2026-09-01 10:00"),
        # Riga: clarification does not stop the clock (EU GDPR): due Friday 7 August
        ("access", "web_form", "riga", "controller", "2026-07-07 07:00", "", "false", "",
         "2026-08-06 09:00", "fulfilled", "", "", "", "", "2026-07-08 08:00",
         "2026-07-20 08:00"),
        # an erasure request clarified: the clock runs on (Art. 12A is for access only)
        ("erasure", "email", "london", "controller", "2026-07-20 08:00", "", "false", "",
         "2026-08-14 09:00", "fulfilled", "", "", "", "", "2026-07-21 08:00",
         "2026-07-24 08:00"),
        # a fee (Art. 12(5)(a)): a London access request repeating one answered in June,
        # manifestly excessive, a reasonable fee paid Monday 20 July; the clock starts
        # then (UK GDPR Art. 12A(2)(c)): due Thursday 20 August, answered the 18th (from
        # receipt it would have been due 13 August, and late)
        ("access", "email", "london", "controller", "2026-07-13 09:00", "", "false", "",
         "2026-08-18 10:00", "fulfilled",
         "repeats the request answered on 9 June with nothing new: manifestly excessive, "
         "a fee for the administrative cost", "", "", "2026-07-20 12:00", "", "",
         "manifestly_excessive"),
        # refused with no reason and no ground recorded (Art. 12(4), 12(5))
        ("erasure", "web_form", "london", "controller", "2026-09-01 10:00", "", "false", "",
         "2026-09-10 15:00", "refused", "", "", ""),
    ]  # fmt: skip
    # received, verified, told, completed, forwarded, fee, clarification asked / received
    times = (4, 5, 7, 8, 12, 13, 14, 15)
    for k, row in enumerate(planted, start=n + 1):
        row = row + ("",) * (17 - len(row))
        cells = [at(v) if j in times else v for j, v in enumerate(row)]
        rows.append((f"REQ-{k:05d}", f"requester{k:05d}@example.com", *cells))
    return rows


def _subscriber_kind(p: int) -> str:
    """Who person ``p`` of the sample's marketing list is, by a fixed rule (no random
    draw, so the opt-in and opt-out dates stay those of the earlier samples): Riga's
    Baltic list (every 25th, opted in), individuals under a soft opt-in (5 and 8 in ten),
    individuals who opted in (9 in ten), and corporate subscribers (the rest: most)."""
    if p % 25 == 0:
        return "riga"
    return {5: "soft_opt_in", 8: "soft_opt_in", 9: "opt_in"}.get(p % 10, "corporate")


def _consents(rng: np.random.Generator) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Marketing opt-ins, soft opt-ins and opt-outs for 400 people, and the monthly
    campaign sends (most to corporate subscribers, judged under PECR reg. 22)."""
    events: list[tuple[Any, ...]] = [
        ("event_id", "subject_id", "email", "event", "at", "source", "wording_version")
    ]
    sends: list[tuple[Any, ...]] = [
        ("send_id", "subject_id", "sent_at", "campaign", "subscriber", "unsubscribe_link", "office")
    ]
    start = dt.datetime(2024, 1, 1, 10, tzinfo=UTC)
    opted: dict[str, tuple[dt.datetime, dt.datetime | None, str]] = {}
    e = 0
    for p in range(1, 401):
        subject = f"SUB-{p:05d}"
        email = f"subscriber{p:05d}@example.com"
        kind = _subscriber_kind(p)
        at = start + dt.timedelta(days=int(rng.integers(0, 960)), hours=int(rng.integers(0, 9)))
        source = str(rng.choice(["signup_form", "webinar", "product_banner"]))
        wording = str(rng.choice(["v3", "v4"]))
        if rng.random() < 0.02 or p == 109:
            source = ""  # planted: opt-in without its source
        if rng.random() < 0.02 or p == 219:
            wording = ""  # planted: opt-in without its wording version
        if kind in ("opt_in", "riga"):
            e += 1
            events.append((f"EV-{e:06d}", subject, email, "opt_in", _iso(at), source, wording))
        elif kind == "soft_opt_in":  # details given when buying, or negotiating to buy
            e += 1
            sale = "sale" if p % 10 == 5 else "negotiation"
            events.append((f"EV-{e:06d}", subject, email, "soft_opt_in", _iso(at), sale, ""))
        # a corporate subscriber (a company address) joins the list with no event
        out = None
        if rng.random() < 0.2:
            out = at + dt.timedelta(days=int(rng.integers(10, 400)))
            e += 1
            events.append((f"EV-{e:06d}", subject, email, "opt_out", _iso(out), "unsubscribe", ""))
        opted[subject] = (at, out, kind)
    # planted: an opt-out the day before the August 2026 campaign (sent in the grace period)
    in_grace = dt.datetime(2026, 8, 14, 12, tzinfo=UTC)
    for event, when in (
        ("opt_in", dt.datetime(2025, 1, 10, 10, tzinfo=UTC)),
        ("opt_out", in_grace),
    ):
        e += 1
        source = "signup_form" if event == "opt_in" else "unsubscribe"
        events.append(
            (f"EV-{e:06d}", "SUB-00401", "subscriber00401@example.com", event, _iso(when),
             source, "v4" if event == "opt_in" else "")
        )  # fmt: skip
    opted["SUB-00401"] = (dt.datetime(2025, 1, 10, 10, tzinfo=UTC), in_grace, "opt_in")
    s = 0

    def send(subject: str, sent: dt.datetime, campaign: str, kind: str, link: str = "true") -> None:
        nonlocal s
        s += 1
        subscriber = "corporate" if kind == "corporate" else "individual"
        office = "riga" if kind in ("riga", "riga_fair") else "london"
        if kind == "riga":
            subscriber = "corporate"  # the Baltic list: company addresses, opted in
        elif kind == "riga_fair":
            subscriber = "individual"  # people met at a fair: s. 9(1) needs their consent
        sends.append((f"SEND-{s:07d}", subject, _iso(sent), campaign, subscriber, link, office))

    for month in range(33):
        sent = dt.datetime(2024 + (month // 12), month % 12 + 1, 15, 9, tzinfo=UTC)
        campaign = f"Product news {sent:%Y-%m}"
        for subject, (at, out, kind) in opted.items():
            if at > sent:
                continue
            late = out is not None and sent > out + dt.timedelta(days=2)
            if late and not (month == 30 and subject.endswith("7")):
                continue  # honoured; planted: one campaign ignored some opt-outs
            send(subject, sent, campaign, kind)
        if month in (20, 27):  # planted: a bought list, sent to people who never opted in
            for k in range(3):
                send(f"SUB-9{month:02d}{k:02d}", sent, campaign, "individual")
        if month == 28:  # planted: Riga mails two people met at a fair (s. 9(1): consent)
            for k in range(2):
                send(f"SUB-8{month:02d}{k:02d}", sent, "Baltic partner webinar", "riga_fair")
        if month == 29:  # planted: a renewal offer to soft opt-ins, without unsubscribe link
            soft = [
                subj
                for subj, (at, out, kind) in opted.items()
                if kind == "soft_opt_in" and at <= sent and out is None
            ]
            for subject in soft[:2]:
                send(subject, sent + dt.timedelta(days=3), "Renewal offer", "soft_opt_in", "false")
    return events, sends


def _write_csv(path: Path, rows: Sequence[Sequence[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerows(rows)


def write_sample(
    folder: str | Path,
    *,
    seed: int = 0,
    accounts: int = DEFAULT_ACCOUNTS,
    accounts_format: AccountsFormat = "csv",
) -> Path:
    """Write the sample workbook into ``folder`` (created if needed) and return it."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    (root / CONFIG_FILE).write_text(CONFIG_TEXT, encoding="utf-8")
    (root / "dpia.yaml").write_text(DPIA_TEXT, encoding="utf-8")
    static: dict[str, Sequence[Sequence[Any]]] = {
        "sites": SITES,
        "categories": CATEGORIES,
        "processors": PROCESSORS,
        "systems": SYSTEMS,
        "retention_rules": RETENTION_RULES,
        "activities": ACTIVITIES,
        "cookies": COOKIES,
        "risks": RISKS,
        "policy_claims": CLAIMS,
        "actions": ACTIONS,
        "breaches": BREACHES,
        "complaints": COMPLAINTS,
    }
    for name, rows in static.items():
        _write_csv(root / f"{name}.csv", rows)
    _write_csv(root / "requests.csv", _requests(rng))
    events, sends = _consents(rng)
    _write_csv(root / "consents.csv", events)
    _write_csv(root / "marketing_sends.csv", sends)
    for stale in ("accounts.csv", "accounts.parquet"):
        (root / stale).unlink(missing_ok=True)
    write_accounts(root / f"accounts.{accounts_format}", accounts, seed=seed, fmt=accounts_format)
    return root
