"""The data contract: every workbook table and column, declared once.

Each table is a :class:`Table` of :class:`Col` declarations. The loader builds
its pandera schema from them (:func:`pandera_schema`), the data contract in
``docs/data-contract.md`` is generated from them (:func:`contract_markdown`),
and the leak checks read the ``identifier`` flag from them. Columns marked
``identifier`` hold personal identifiers (ids, e-mail addresses, names, IPs)
and must never appear in a shareable report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pycountry

from juro_privacy.errors import REASONS
from juro_privacy.registry import FINDING_TOPICS
from juro_privacy.rules.cookies import COOKIE_PURPOSES
from juro_privacy.rules.lawful_bases import ANNEX_1
from juro_privacy.rules.retention_periods import MAX_MONTHS

# The Art. 46 safeguards are the law's vocabulary: declared once, beside the rules that
# judge them (rules sit below the workbook, so they cannot read this module; this module
# reads theirs).
from juro_privacy.rules.transfers import ASSESSMENT_OUTCOMES as ASSESSMENT_OUTCOMES
from juro_privacy.rules.transfers import DEROGATIONS as DEROGATIONS
from juro_privacy.rules.transfers import MECHANISMS as MECHANISMS
from juro_privacy.workbook.config import SETTING_MAXIMA, WorkbookConfig

Kind = Literal[
    "text",
    "int",
    "float",
    "bool",
    "date",
    "datetime",
    "enum",
    "list",
    "country",
    "timezone",
    "metric",
]

#: The codes a ``country`` column accepts: the countries of ISO 3166-1 alpha-2 (pycountry's
#: copy of the standard), and XK for Kosovo, as the EU writes it (user-assigned in ISO 3166;
#: ``rules.transfers`` lets it through too). Every one is a code the transfer rules judge.
COUNTRIES: frozenset[str] = frozenset(c.alpha_2 for c in pycountry.countries) | {"XK"}
#: Two-letter codes people write for a country that ISO 3166-1 spells otherwise, and what
#: to write instead (the EU's own codes; ``rules.transfers.ALIASES`` knows the same two).
COUNTRY_HINTS: dict[str, str] = {
    "UK": "use GB (ISO 3166) for the United Kingdom",
    "EL": "use GR (ISO 3166) for Greece",
}

LAWFUL_BASES = (
    "consent",
    "contract",
    "legal_obligation",
    "vital_interests",
    "public_task",
    "legitimate_interests",
    "recognised_legitimate_interest",  # UK GDPR Art. 6(1)(ea), from 5 February 2026
)
CATEGORY_GROUPS = ("identity_contact", "financial", "contract_content", "technical", "usage")
DATA_SUBJECTS = ("customers", "prospects", "website_visitors", "counterparties", "employees")

# The vocabularies the reports name, each declared once here as ``value -> label``, in the
# order the reports list them; ``tuple(VOCABULARY)`` is the column's allowed values. Every
# other module (the reports' labels, the taxonomy, the DPIA screening, the sample) reads
# them from here.

#: The policy's four purposes (``activities.purpose``) and how the register names them.
PURPOSES: dict[str, str] = {
    "service": "Providing the service",
    "analytics": "Analytics and improvement",
    "support": "Support and service notices",
    "marketing": "Marketing",
}
#: Kinds of data-subject request (``requests.type``) and how the requests report names them.
REQUEST_TYPES: dict[str, str] = {
    "access": "Access",
    "erasure": "Erasure",
    "portability": "Portability",
    "rectification": "Rectification",
    "objection": "Objection",
    "restriction": "Restriction",
    "marketing_opt_out": "Marketing opt-out",
}
#: How a request arrives (``requests.channel``) and how the requests report names it.
CHANNELS: dict[str, str] = {
    "email": "E-mail",
    "chat": "Chat",
    "web_form": "Web form",
    "phone": "Phone",
    "post": "Post",
}
#: How a complaint to the controller ended (``complaints.outcome``: DPA 2018 s. 164A(4)(b),
#: the outcome the complainant is told) and how the complaints report names it.
COMPLAINT_OUTCOMES: dict[str, str] = {
    "upheld": "Upheld",
    "partly_upheld": "Partly upheld",
    "not_upheld": "Not upheld",
    "withdrawn": "Withdrawn",
}
#: The nine criteria of the WP29 *Guidelines on DPIA* (WP248 rev.01, section III.B.a),
#: in its order, and how the DPIA screening names them (number first).
WP248_CRITERIA: dict[str, str] = {
    "profiling": "1 Evaluation or scoring, including profiling",
    "automated_decisions": "2 Automated decision with legal or similar effect",
    "systematic_monitoring": "3 Systematic monitoring",
    "sensitive_data": "4 Sensitive or highly personal data",
    "large_scale": "5 Large scale",
    "combining": "6 Matching or combining datasets",
    "vulnerable_subjects": "7 Vulnerable data subjects",
    "innovative_technology": "8 Innovative technology",
    "prevents_rights": "9 Prevents exercising a right or using a service",
}
#: The WP248 criteria only a person can judge, in WP248's order: the register's flag
#: columns (``activities.<criterion>``) and their descriptions. The other criteria are
#: worked out from the data by the DPIA screening.
WP248_FLAGS: dict[str, str] = {
    "profiling": "evaluation or scoring, including profiling (WP248 criterion 1)",
    "automated_decisions": "automated decisions with legal or similar effect (criterion 2)",
    "systematic_monitoring": "systematic monitoring (criterion 3)",
    "vulnerable_subjects": "data about vulnerable data subjects (criterion 7)",
    "innovative_technology": "innovative technology, e.g. machine learning (criterion 8)",
    "prevents_rights": "prevents people exercising a right or using a service (criterion 9)",
}
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
#: The three kinds of personal data breach (``breaches.nature``; EDPB Guidelines 9/2022
#: section I.B.2, after GDPR Art. 4(12)) and how the breaches report names them.
BREACH_NATURES: dict[str, str] = {
    "confidentiality": "Confidentiality (unauthorised or accidental disclosure or access)",
    "integrity": "Integrity (unauthorised or accidental alteration)",
    "availability": "Availability (accidental or unauthorised loss of access or destruction)",
}
#: The outcome of a breach's risk assessment (``breaches.risk``; Art. 33(1), 34(1)).
BREACH_RISKS: dict[str, str] = {
    "none": "Unlikely to result in a risk: not notifiable, documented only",
    "risk": "A risk: notify the authority",
    "high_risk": "A high risk: notify the authority and tell the people",
}
#: The regimes a breached processing falls under (``breaches.regimes``): each is
#: notified to its own authority (``rules.regulators``).
BREACH_REGIMES: dict[str, str] = {
    "uk_gdpr": "UK GDPR: the Information Commissioner",
    "eu_gdpr": "GDPR: the lead supervisory authority (Art. 56)",
}
#: The Art. 34(3) conditions under which people need not be told of a high-risk breach.
ART34_EXCEPTIONS: dict[str, str] = {
    "protected": "Art. 34(3)(a): the data was unintelligible to others (e.g. encrypted)",
    "risk_removed": "Art. 34(3)(b): later measures make the high risk no longer likely",
    "disproportionate_effort": "Art. 34(3)(c): a public communication instead",
}


@dataclass(frozen=True)
class Metric:
    """One figure a claim or risk may cite: ``topic.name``, what it counts, its unit."""

    name: str
    description: str
    unit: str  # "count" or "rate"
    source: str = ""  # the workbook table whose rows are the evidence; empty: no evidence

    @property
    def topic(self) -> str:
        return self.name.split(".", 1)[0]


_METRIC_LIST = (
    Metric("transfers.unsafeguarded_count", "restricted transfers without a safeguard", "count"),
    Metric(
        "transfers.undisclosed_location_count",
        "places of processing the policy does not disclose",
        "count",
    ),
    Metric("transfers.us_unencrypted_count", "transfers to the US not encrypted", "count"),
    Metric("transfers.no_dpa_count", "processors without an Art. 28 contract", "count"),
    Metric(
        "requests.on_time_rate",
        "requests answered on time over requests judged",
        "rate",
        "requests",
    ),
    Metric(
        "requests.portability_wrong_format_count",
        "portability answers not in CSV or JSON",
        "count",
        "requests",
    ),
    Metric(
        "requests.forwarding_on_time_rate",
        "requests for a customer passed on within the target",
        "rate",
        "requests",
    ),
    Metric(
        "retention.archive_overdue_count",
        "accounts past their archiving date, not archived",
        "count",
    ),
    Metric(
        "retention.delete_overdue_count", "accounts past their deletion date, not deleted", "count"
    ),
    Metric(
        "consent.sends_without_opt_in_count",
        "marketing sends without an opt-in",
        "count",
        "marketing_sends",
    ),
    Metric(
        "consent.sends_after_opt_out_count",
        "marketing sends after an opt-out",
        "count",
        "marketing_sends",
    ),
    Metric("cookies.undisclosed_count", "cookies the policy does not describe", "count", "cookies"),
    Metric("cookies.without_consent_count", "cookies set before consent", "count", "cookies"),
    Metric("cookies.too_long_count", "persistent cookies living too long", "count", "cookies"),
    Metric(
        "complaints.ack_late_count",
        "complaints acknowledged after the 30 days of DPA 2018 s. 164A(3)",
        "count",
        "complaints",
    ),
    Metric(
        "complaints.ack_overdue_count",
        "complaints not yet acknowledged, past the 30 days",
        "count",
        "complaints",
    ),
    Metric(
        "complaints.open_count",
        "complaints with no outcome told at the period's end",
        "count",
        "complaints",
    ),
    Metric(
        "complaints.escalated_count",
        "complaints the complainant took on to the regulator",
        "count",
        "complaints",
    ),
    Metric(
        "breaches.late_notification_count",
        "breaches notified to a supervisory authority after the 72 hours (Art. 33(1))",
        "count",
        "breaches",
    ),
    Metric(
        "breaches.late_without_reasons_count",
        "breaches notified late without the reasons for the delay (Art. 33(1))",
        "count",
        "breaches",
    ),
    Metric(
        "breaches.unnotified_risk_count",
        "breaches assessed as a risk, not notified by the deadline (Art. 33(1))",
        "count",
        "breaches",
    ),
    Metric(
        "breaches.high_risk_untold_count",
        "high-risk breaches not communicated to people, no Art. 34(3) exception",
        "count",
        "breaches",
    ),
    Metric(
        "breaches.processor_late_count",
        "breaches a processor reported after its contract's window (Art. 33(2))",
        "count",
        "breaches",
    ),
    Metric(
        "breaches.undocumented_count",
        "breach records missing their facts, effects or remedial action (Art. 33(5))",
        "count",
        "breaches",
    ),
)

#: Every metric a claim or risk may cite, by name: the allowed values of
#: ``policy_claims.metric`` and ``risks.evidence_metric``. The topic that publishes a
#: metric is its prefix (``juro_privacy.registry``, ``Topic.metrics``).
METRICS: dict[str, Metric] = {m.name: m for m in _METRIC_LIST}


@dataclass(frozen=True)
class Col:
    """One column of the data contract."""

    name: str
    kind: Kind
    description: str
    required: bool = True
    values: tuple[str, ...] = ()
    unique: bool = False
    identifier: bool = False
    ref: str | None = None  # "table.column" the values must exist in
    minimum: int | None = None  # least value of an int/float column (0: never negative)

    @property
    def nullable(self) -> bool:
        return not self.required


@dataclass(frozen=True)
class Order:
    """A date-order rule between two columns of one row: ``earlier <= later``."""

    earlier: str
    later: str
    reason: str


@dataclass(frozen=True)
class Table:
    """One table of the workbook: a CSV or Parquet file named after it."""

    name: str
    description: str
    columns: tuple[Col, ...]
    required: bool = True
    min_rows: int = 0
    orders: tuple[Order, ...] = ()
    lazy: bool = False  # large table: checked by its engine, not loaded into pandas

    def col(self, name: str) -> Col:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _flags() -> tuple[Col, ...]:
    """The EDPB WP248 screening criteria only a person can judge, as register flags."""
    return tuple(Col(k, "bool", v) for k, v in WP248_FLAGS.items())


TABLES: tuple[Table, ...] = (
    Table(
        "sites",
        "Offices and places where the organisation processes personal data.",
        (
            Col("site_id", "text", "Short id, e.g. `london`.", unique=True),
            Col("name", "text", "Name a DPO recognises."),
            Col("kind", "enum", "Office or data centre.", values=("office", "data_centre")),
            Col("country", "country", "ISO 3166 alpha-2 code of the country."),
            Col("timezone", "timezone", "IANA time zone, e.g. `Europe/London`."),
            Col(
                "jurisdiction",
                "enum",
                "Whose deadline rules and holidays apply (offices that answer requests).",
                required=False,
                values=("GB-ENG", "GB-SCT", "GB-NIR", "LV"),
            ),
            Col("disclosed", "bool", "Named in the privacy policy as a place of processing."),
        ),
        min_rows=1,
    ),
    Table(
        "categories",
        "The categories of personal data the organisation collects (Art. 30(1)(c)).",
        (
            Col("category_id", "text", "Short id, e.g. `identity_contact`.", unique=True),
            Col("name", "text", "Name as the policy words it."),
            Col("group", "enum", "The policy's five groups.", values=CATEGORY_GROUPS),
            Col("fides_key", "text", "The fideslang data category key it maps to."),
            Col("special", "bool", "Special category data (Art. 9)."),
            Col("description", "text", "What it holds, in the policy's words."),
            Col(
                "criminal",
                "bool",
                "Personal data relating to criminal convictions and offences (Art. 10); "
                "empty: not.",
                required=False,
            ),
        ),
        min_rows=1,
    ),
    Table(
        "processors",
        "Third parties that receive personal data: processors acting for the organisation "
        "(Art. 28) and recipients that are controllers in their own right.",
        (
            Col("processor_id", "text", "Short id, e.g. `intercom`.", unique=True),
            Col("name", "text", "Company name."),
            Col("service", "text", "What it does for the organisation."),
            Col(
                "relationship",
                "enum",
                "`processor` (acts on the organisation's instructions: needs an Art. 28 "
                "contract) or `independent_controller` (a recipient deciding its own "
                "purposes, e.g. HMRC, an auditor, a bank: no Art. 28 contract). Empty: "
                "`processor`.",
                required=False,
                values=("processor", "independent_controller"),
            ),
            Col("country", "country", "ISO 3166 alpha-2 country where it processes the data."),
            Col(
                "mechanism",
                "enum",
                "Art. 46 transfer safeguard, if any.",
                required=False,
                values=MECHANISMS,
            ),
            Col(
                "dpf_certified",
                "bool",
                "On the DPF List for the EU-US Data Privacy Framework (Decision (EU) 2023/1795).",
            ),
            Col("dpa_signed_on", "date", "Date the Art. 28 contract was signed.", required=False),
            Col(
                "data_categories",
                "list",
                "Categories its contract lists, `;`-separated.",
                ref="categories.category_id",
            ),
            Col("encrypted_in_transit", "bool", "Data sent to it is encrypted in transit."),
            Col("listed_in_policy", "bool", "Named among the policy's third parties."),
            Col(
                "engaged_on",
                "date",
                "Date it began receiving personal data; empty: when each activity naming it "
                "started.",
                required=False,
            ),
            Col(
                "dpf_certified_until",
                "date",
                "Last day on the DPF List, if its certification lapsed; empty: still certified.",
                required=False,
            ),
            Col(
                "dpf_certified_from",
                "date",
                "First day on the DPF List; a flow before it is not covered. Empty: certified "
                "since before any flow.",
                required=False,
            ),
            Col(
                "dpf_scope",
                "enum",
                "Data the DPF certification covers: `hr` (employees' data), `non_hr`, or "
                "`both`. Empty: `both`.",
                required=False,
                values=("hr", "non_hr", "both"),
            ),
            Col(
                "uk_extension",
                "bool",
                "Participates in the UK Extension to the EU-US DPF (SI 2023/1028), needed for "
                "a UK exporter; only with `dpf_certified`. Empty: false.",
                required=False,
            ),
            Col(
                "uk_extension_from",
                "date",
                "First day in the UK Extension. Empty: from the DPF certification.",
                required=False,
            ),
            Col(
                "uk_extension_until",
                "date",
                "Last day in the UK Extension, if it lapsed. Empty: as the DPF certification.",
                required=False,
            ),
            Col(
                "mechanism_signed_on",
                "date",
                "Date the transfer clauses (`mechanism`) were signed; the safeguard covers "
                "transfers from that day. Empty: `dpa_signed_on`.",
                required=False,
            ),
            Col(
                "operations_changed_on",
                "date",
                "For old 2010 SCCs (`sccs_2010`): the day the processing operations under "
                "the contract changed. From that day the old clauses no longer safeguard "
                "the transfers (Decision (EU) 2021/914 Art. 4(4); the ICO's transitional "
                "provisions: only while the operations remain unchanged). Empty: unchanged.",
                required=False,
            ),
            Col(
                "transfer_assessment_on",
                "date",
                "Date of the transfer risk / impact assessment of the transfers to it that rely "
                "on `mechanism` (UK GDPR Art. 46(1A); Schrems II). Empty: none on file.",
                required=False,
            ),
            Col(
                "transfer_assessment_outcome",
                "enum",
                "What that assessment concluded: `meets_test` (the safeguard protects the data "
                "as the law requires) or `does_not_meet` (it does not: the safeguard does not "
                "make the transfer lawful).",
                required=False,
                values=ASSESSMENT_OUTCOMES,
            ),
            Col(
                "breach_notice_hours",
                "int",
                "Hours its Art. 28 contract gives it to tell the organisation of a personal "
                "data breach (Art. 33(2): without undue delay; Art. 28(3)(f)). Empty: no "
                "window agreed, so the breaches report cannot judge it.",
                required=False,
                minimum=0,
            ),
        ),
    ),
    Table(
        "systems",
        "Internal systems and stores, where they run, and what they hold.",
        (
            Col("system_id", "text", "Short id, e.g. `app_db`.", unique=True),
            Col("name", "text", "Name a DPO recognises."),
            Col("site_id", "text", "Site it runs at.", required=False, ref="sites.site_id"),
            Col(
                "processor_id",
                "text",
                "Processor that hosts it.",
                required=False,
                ref="processors.processor_id",
            ),
            Col(
                "data_categories",
                "list",
                "Categories it holds, `;`-separated.",
                ref="categories.category_id",
            ),
            Col(
                "retention_months",
                "int",
                "Configured deletion period.",
                required=False,
                minimum=0,
            ),
        ),
        min_rows=1,
    ),
    Table(
        "retention_rules",
        "Retention rules: when data is archived and deleted after last use (Art. 5(1)(e)).",
        (
            Col("rule_id", "text", "Short id, e.g. `policy_default`.", unique=True),
            Col("description", "text", "The rule in words."),
            Col(
                "archive_after_months",
                "int",
                "Months after last use.",
                required=False,
                minimum=0,
            ),
            Col("delete_after_months", "int", "Months after last use.", minimum=0),
            Col("source", "text", "Where the rule comes from (policy sentence, contract)."),
        ),
        min_rows=1,
    ),
    Table(
        "activities",
        "The register of processing activities (GDPR Art. 30(1) and 30(2)).",
        (
            Col("activity_id", "text", "Short id, e.g. `A01`.", unique=True),
            Col("name", "text", "Name of the processing activity."),
            Col("purpose", "enum", "One of the policy's four purposes.", values=tuple(PURPOSES)),
            Col(
                "role",
                "enum",
                "Controller, or processor for a customer.",
                values=("controller", "processor"),
            ),
            Col("controller", "text", "Controller for processor activities.", required=False),
            Col(
                "lawful_basis",
                "enum",
                "Art. 6(1) lawful basis.",
                required=False,
                values=LAWFUL_BASES,
            ),
            Col(
                "annex1_condition",
                "enum",
                "For a recognised legitimate interest (UK GDPR Art. 6(1)(ea)), the Annex 1 "
                "condition the processing is necessary for.",
                required=False,
                values=tuple(ANNEX_1),
            ),
            Col(
                "lia_on",
                "date",
                "Date of the legitimate interests assessment (the balancing test of "
                "Art. 6(1)(f)), for an activity on legitimate interests.",
                required=False,
            ),
            Col(
                "lia_outcome",
                "enum",
                "What the assessment concluded: `passed` (the interest is not overridden) "
                "or `failed`.",
                required=False,
                values=("passed", "failed"),
            ),
            Col(
                "combines",
                "list",
                "The activities whose data it combines beyond what people would expect "
                "(WP248 criterion 6: other purposes or other controllers), `;`-separated.",
                required=False,
                ref="activities.activity_id",
            ),
            Col(
                "matches_sources",
                "bool",
                "Combines, compares or matches personal data obtained from multiple sources "
                "(the ICO's Art. 35(4) list, for UK activities).",
                required=False,
            ),
            Col(
                "art14_exemption",
                "bool",
                "Data not obtained from the person, who is not told because informing "
                "them would be impossible or disproportionate (Art. 14(5)(b)): the ICO's "
                "'invisible processing'.",
                required=False,
            ),
            Col(
                "children_online_service",
                "bool",
                "Offers an online service directly to children (the ICO's Art. 35(4) "
                "list; UK GDPR Art. 8).",
                required=False,
            ),
            Col(
                "breach_endangers_safety",
                "bool",
                "A personal data breach of its data could jeopardise people's physical "
                "health or safety (the ICO's Art. 35(4) list).",
                required=False,
            ),
            Col("art9_condition", "text", "Art. 9(2) condition if special.", required=False),
            Col(
                "art10_condition",
                "text",
                "The basis for criminal offence data (Art. 10): for the UK the DPA 2018 "
                "Sch. 1 condition (e.g. `Sch. 1 para 10`), for the EU the law authorising it.",
                required=False,
            ),
            Col(
                "policy_document",
                "bool",
                "An appropriate policy document is in place (DPA 2018 Sch. 1 Part 4), for a "
                "Sch. 1 condition that requires one; empty: not recorded.",
                required=False,
            ),
            Col("data_subjects", "list", "Categories of data subjects.", values=DATA_SUBJECTS),
            Col(
                "data_categories",
                "list",
                "Categories of personal data.",
                ref="categories.category_id",
            ),
            Col(
                "source",
                "enum",
                "Given by the person or collected automatically.",
                values=("given", "collected", "both"),
            ),
            Col("systems", "list", "Systems used, `;`-separated.", ref="systems.system_id"),
            Col(
                "recipients",
                "list",
                "Recipients: processor ids or other recipients.",
                required=False,
            ),
            Col(
                "retention_rule",
                "text",
                "Retention rule applied.",
                required=False,
                ref="retention_rules.rule_id",
            ),
            Col("security_measures", "text", "Art. 32 measures in outline (Art. 30(1)(g))."),
            Col("started_on", "date", "Date the activity started."),
            Col("ended_on", "date", "Date it stopped, if it has.", required=False),
            Col("offices", "list", "Sites that carry it out, `;`-separated.", ref="sites.site_id"),
            *_flags(),
            Col(
                "transfer_derogation",
                "enum",
                "The Art. 49(1) derogation its transfers rely on where no adequacy or "
                "safeguard covers them: `explicit_consent`, `contract_necessity`, "
                "`public_interest`, `legal_claims`, `vital_interests` or `public_register`. "
                "Empty: none.",
                required=False,
                values=DEROGATIONS,
            ),
        ),
        min_rows=1,
        orders=(Order("started_on", "ended_on", "ended_before_started"),),
    ),
    Table(
        "requests",
        "Data-subject requests (Arts. 12-22) and their handling.",
        (
            Col("request_id", "text", "Request id.", unique=True, identifier=True),
            Col("requester_email", "text", "Requester's e-mail.", identifier=True),
            Col("type", "enum", "Kind of request.", values=tuple(REQUEST_TYPES)),
            Col("channel", "enum", "How it arrived.", values=tuple(CHANNELS)),
            Col("office", "text", "Office handling it.", ref="sites.site_id"),
            Col(
                "role",
                "enum",
                "Controller, or processor (signed through the product).",
                values=("controller", "processor"),
            ),
            Col("received_at", "datetime", "When it arrived."),
            Col(
                "verified_at",
                "datetime",
                "When the identity information asked for arrived (starts the clock).",
                False,
            ),
            Col(
                "fee_paid_at",
                "datetime",
                "When a fee charged was paid (starts the clock; UK GDPR Art. 12A).",
                False,
            ),
            Col(
                "clarification_requested_at",
                "datetime",
                "When the requester was asked to clarify the request.",
                False,
            ),
            Col(
                "clarification_received_at",
                "datetime",
                "When the clarification arrived (a UK access request's clock stops "
                "from asking to this day; UK GDPR Art. 12A).",
                False,
            ),
            Col("extended", "bool", "Deadline extended by two months (Art. 12(3))."),
            Col("extension_notified_at", "datetime", "When the requester was told.", False),
            Col("completed_at", "datetime", "When it was answered.", required=False),
            Col(
                "outcome",
                "enum",
                "How it ended.",
                required=False,
                values=("fulfilled", "refused", "withdrawn", "forwarded"),
            ),
            Col(
                "refusal_reason",
                "text",
                "Why it was refused, or why a fee was charged (Art. 12(4), 12(5)).",
                required=False,
            ),
            Col(
                "fee_or_refusal_ground",
                "enum",
                "The ground for a refusal or a fee: manifestly unfounded or excessive "
                "(Art. 12(5)), or further copies (Art. 15(3), a fee only).",
                required=False,
                values=("manifestly_unfounded", "manifestly_excessive", "further_copies"),
            ),
            Col(
                "portability_format",
                "enum",
                "Format of a portability answer.",
                required=False,
                values=("csv", "json", "pdf", "xml"),
            ),
            Col("forwarded_at", "datetime", "When passed to the customer.", required=False),
        ),
        orders=(
            Order("received_at", "verified_at", "verified_before_received"),
            Order("received_at", "fee_paid_at", "fee_paid_before_received"),
            Order("received_at", "clarification_requested_at", "clarification_before_received"),
            Order(
                "clarification_requested_at",
                "clarification_received_at",
                "clarification_answered_before_asked",
            ),
            Order("received_at", "completed_at", "completed_before_received"),
            Order("received_at", "forwarded_at", "forwarded_before_received"),
        ),
    ),
    Table(
        "accounts",
        "User accounts and their retention dates (large: checked by the retention engine).",
        (
            Col("account_id", "text", "Account id.", unique=True, identifier=True),
            Col("office", "text", "Office that serves the account.", ref="sites.site_id"),
            Col("last_used_at", "datetime", "Last time the user used the product."),
            Col("archived_at", "datetime", "When archived.", required=False),
            Col("deleted_at", "datetime", "When deleted.", required=False),
            Col("delete_after_months", "int", "Contract override.", required=False, minimum=0),
        ),
        lazy=True,
    ),
    Table(
        "cookies",
        "Cookies set by the website and product.",
        (
            Col("cookie_name", "text", "Cookie name.", unique=True),
            Col("provider", "text", "Who sets it."),
            Col("party", "enum", "First or third party.", values=("first", "third")),
            Col("kind", "enum", "Session or persistent.", values=("session", "persistent")),
            Col(
                "duration_days",
                "int",
                "Lifetime of a persistent cookie.",
                required=False,
                minimum=0,
            ),
            Col(
                "purpose",
                "enum",
                "Why it is set, in the privacy policy's broad terms.",
                values=("strictly_necessary", "functional", "analytics", "marketing"),
            ),
            Col(
                "consent_required",
                "bool",
                "Recorded as needing consent (how the consent tool treats it). The report "
                "derives the answer per regime from `purpose_category` and finds a record "
                "that contradicts it (docs/consent.md).",
            ),
            Col("set_before_consent", "bool", "Observed set before consent was given."),
            Col("disclosed", "bool", "Described in the policy."),
            Col(
                "purpose_category",
                "list",
                "What it is for, `;`-separated if several (PECR Sch. A1, ePrivacy "
                "Art. 5(3); docs/consent.md). Empty: not classified, judged by "
                "`consent_required` as recorded, and a finding.",
                required=False,
                values=tuple(COOKIE_PURPOSES),
            ),
            Col(
                "served_to",
                "list",
                "The offices whose users it is set for, `;`-separated (a GB office: the UK "
                "regime; any other: the EU regime). Empty: the users of every office.",
                required=False,
                ref="sites.site_id",
            ),
            Col(
                "clear_information",
                "bool",
                "The user is given clear and comprehensive information about its purpose "
                "(a condition of the UK statistics and appearance exceptions, Sch. A1 "
                "paras. 5-6). Empty: not shown, so not met.",
                required=False,
            ),
            Col(
                "objection_means",
                "bool",
                "The user is given a simple means of objecting to it, free of charge "
                "(Sch. A1 paras. 5-6). Empty: not shown, so not met.",
                required=False,
            ),
        ),
    ),
    Table(
        "consents",
        "Marketing opt-in and opt-out events (Art. 7, PECR reg. 22).",
        (
            Col("event_id", "text", "Event id.", unique=True),
            Col("subject_id", "text", "Person's id.", identifier=True),
            Col("email", "text", "Person's e-mail.", identifier=True),
            Col(
                "event",
                "enum",
                "`opt_in` (consent), `soft_opt_in` (details obtained in a sale or negotiation "
                "for a sale, with a chance to refuse: PECR reg. 22(3)) or `opt_out`.",
                values=("opt_in", "soft_opt_in", "opt_out"),
            ),
            Col("at", "datetime", "When."),
            Col(
                "source",
                "text",
                "Where the consent was given; for a `soft_opt_in`, `sale` or `negotiation`.",
                required=False,
            ),
            Col("wording_version", "text", "Version of the consent wording.", required=False),
        ),
    ),
    Table(
        "marketing_sends",
        "Marketing e-mails sent.",
        (
            Col("send_id", "text", "Send id.", unique=True),
            Col("subject_id", "text", "Recipient's id.", identifier=True),
            Col("sent_at", "datetime", "When sent."),
            Col("campaign", "text", "Campaign name."),
            Col(
                "subscriber",
                "enum",
                "`individual` or `corporate` subscriber (PECR reg. 22 protects individuals "
                "only); empty: `individual`.",
                required=False,
                values=("individual", "corporate"),
            ),
            Col(
                "unsubscribe_link",
                "bool",
                "The send carried a simple means of refusing (PECR reg. 22(3)(c)); empty: true.",
                required=False,
            ),
            Col(
                "sender_identified",
                "bool",
                "The sender on whose behalf it went out was named, not disguised or "
                "concealed (PECR reg. 23(a)); empty: not recorded.",
                required=False,
            ),
            Col(
                "stop_address",
                "bool",
                "A valid address to ask for such mail to stop was given (PECR reg. 23(b)); "
                "empty: not recorded.",
                required=False,
            ),
            Col(
                "office",
                "text",
                "The sending office, whose regime judges the send; empty: the UK regime.",
                required=False,
                ref="sites.site_id",
            ),
        ),
    ),
    Table(
        "risks",
        "DPIA risk register (Art. 35(7)(c)-(d)).",
        (
            Col("risk_id", "text", "Risk id.", unique=True),
            Col("activity_id", "text", "Activity.", ref="activities.activity_id"),
            Col("risk", "text", "The risk to individuals."),
            Col("rights_affected", "text", "Rights and freedoms affected."),
            Col("likelihood", "text", "Likelihood before measures (workbook's scale)."),
            Col("severity", "text", "Severity before measures (workbook's scale)."),
            Col("measures", "text", "Measures to reduce the risk."),
            Col("measure_owner", "text", "Who owns the measures (a role)."),
            Col("measure_due", "date", "When they are due.", required=False),
            Col(
                "measure_status",
                "enum",
                "Progress.",
                values=("planned", "in_progress", "done"),
            ),
            Col("residual_likelihood", "text", "Likelihood after measures."),
            Col("residual_severity", "text", "Severity after measures."),
            Col(
                "evidence_metric",
                "metric",
                "Metric that evidences the risk (docs/claims.md lists them).",
                required=False,
            ),
            Col("evidence_comparison", "enum", "Comparison.", False, values=COMPARISONS),
            Col("evidence_threshold", "float", "Threshold.", required=False, minimum=0),
        ),
    ),
    Table(
        "breaches",
        "Personal data breaches, notified or not (Art. 33(5): every breach is documented): "
        "how each was found, assessed, notified to the supervisory authority (Art. 33) "
        "and told to the people it concerns (Art. 34). Read by the breaches report.",
        (
            Col("breach_id", "text", "Breach id, e.g. `BR-2026-01`.", unique=True, identifier=True),
            Col(
                "office",
                "text",
                "The office whose processing was breached (its clock dates the breach).",
                ref="sites.site_id",
            ),
            Col(
                "regimes",
                "list",
                "The regimes of the processing breached, `;`-separated: `uk_gdpr` (notified "
                "to the ICO), `eu_gdpr` (notified to the lead authority, for Riga the Latvian "
                "DVI); both when it touches both. This is the processing's regime, not the "
                "office that handles the breach.",
                values=tuple(BREACH_REGIMES),
            ),
            Col(
                "discovered_at",
                "datetime",
                "When the incident was first detected, by the organisation or its processor.",
            ),
            Col(
                "aware_at",
                "datetime",
                "When the organisation became aware, with a reasonable degree of certainty, "
                "that personal data was compromised (EDPB Guidelines 9/2022): the 72 hours "
                "of Art. 33(1) run from it.",
            ),
            Col("contained_at", "datetime", "When the breach was contained.", required=False),
            Col(
                "nature",
                "list",
                "What kind of breach, `;`-separated (a breach can be more than one).",
                required=False,
                values=tuple(BREACH_NATURES),
            ),
            Col(
                "description",
                "text",
                "What happened (the facts, Art. 33(5)); read, never shown in a report.",
                required=False,
                identifier=True,
            ),
            Col(
                "data_categories",
                "list",
                "Categories of personal data concerned, `;`-separated (Art. 33(3)(a)).",
                required=False,
                ref="categories.category_id",
            ),
            Col(
                "data_subjects",
                "list",
                "Categories of people concerned, `;`-separated (Art. 33(3)(a)).",
                required=False,
                values=DATA_SUBJECTS,
            ),
            Col(
                "people_count",
                "int",
                "Approximate number of people concerned (Art. 33(3)(a)).",
                required=False,
                minimum=0,
            ),
            Col(
                "records_count",
                "int",
                "Approximate number of personal data records concerned (Art. 33(3)(a)).",
                required=False,
                minimum=0,
            ),
            Col(
                "consequences",
                "text",
                "Its likely consequences (its effects, Art. 33(3)(c) and 33(5)).",
                required=False,
            ),
            Col(
                "risk",
                "enum",
                "The risk assessment: `none` (unlikely to result in a risk: not notified), "
                "`risk` (notified to the authority) or `high_risk` (also told to the people, "
                "Art. 34(1)). Empty: not assessed.",
                required=False,
                values=tuple(BREACH_RISKS),
            ),
            Col(
                "notified_uk_at",
                "datetime",
                "When the ICO was notified (UK GDPR Art. 33(1)).",
                required=False,
            ),
            Col(
                "notified_eu_at",
                "datetime",
                "When the EU lead supervisory authority was notified (GDPR Art. 33(1), 56).",
                required=False,
            ),
            Col(
                "delay_reasons",
                "text",
                "The reasons for the delay sent with a notification made after 72 hours "
                "(Art. 33(1)).",
                required=False,
            ),
            Col(
                "people_told_at",
                "datetime",
                "When the people concerned were told (Art. 34(1)).",
                required=False,
            ),
            Col(
                "art34_exception",
                "enum",
                "The Art. 34(3) condition relied on not to tell people of a high-risk breach: "
                "`protected` (a), `risk_removed` (b) or `disproportionate_effort` (c).",
                required=False,
                values=tuple(ART34_EXCEPTIONS),
            ),
            Col(
                "processor_id",
                "text",
                "The processor whose breach it was, if any.",
                required=False,
                ref="processors.processor_id",
            ),
            Col(
                "processor_told_at",
                "datetime",
                "When that processor told the organisation (Art. 33(2)); the organisation is "
                "aware from then at the latest.",
                required=False,
            ),
            Col(
                "measures",
                "text",
                "The remedial action taken or proposed (Art. 33(3)(d) and 33(5)).",
                required=False,
            ),
        ),
        required=False,
        orders=(
            Order("discovered_at", "aware_at", "aware_before_discovered"),
            Order("aware_at", "notified_uk_at", "notified_before_aware"),
            Order("aware_at", "notified_eu_at", "notified_before_aware"),
            Order("discovered_at", "contained_at", "contained_before_discovered"),
            Order("discovered_at", "people_told_at", "told_before_discovered"),
            Order("discovered_at", "processor_told_at", "processor_told_before_discovered"),
        ),
    ),
    Table(
        "policy_claims",
        "The privacy policy's promises as checkable statements.",
        (
            Col("claim_id", "text", "Claim id.", unique=True),
            Col("quote", "text", "The policy sentence."),
            Col("metric", "metric", "Metric name, e.g. `requests.on_time_rate` (docs/claims.md)."),
            Col("comparison", "enum", "How the metric is compared.", values=COMPARISONS),
            Col("threshold", "float", "Threshold the metric is compared with.", minimum=0),
        ),
    ),
    Table(
        "complaints",
        "Complaints made to the organisation as controller (DPA 2018 s. 164A, in force "
        "19 June 2026): acknowledged within 30 days, answered without undue delay.",
        (
            Col("complaint_id", "text", "Complaint id.", unique=True, identifier=True),
            Col("office", "text", "Office handling it.", ref="sites.site_id"),
            Col(
                "processing_office",
                "text",
                "Office whose processing is complained of: its site's `jurisdiction` is the "
                "regime the complaint is judged by (a UK one: DPA 2018 s. 164A; an EU one: "
                "the GDPR, no duty to acknowledge), whichever office handles it.",
                ref="sites.site_id",
            ),
            Col(
                "activity_id",
                "text",
                "The processing activity complained of, if known.",
                required=False,
                ref="activities.activity_id",
            ),
            Col("received_at", "datetime", "When it arrived (starts the 30 days)."),
            Col("channel", "enum", "How it arrived.", values=tuple(CHANNELS)),
            Col(
                "acknowledged_at",
                "datetime",
                "When its receipt was acknowledged (s. 164A(3)).",
                required=False,
            ),
            Col(
                "outcome_told_at",
                "datetime",
                "When the complainant was told the outcome (s. 164A(4)(b)).",
                required=False,
            ),
            Col(
                "outcome",
                "enum",
                "The outcome told.",
                required=False,
                values=tuple(COMPLAINT_OUTCOMES),
            ),
            Col(
                "escalated_to_regulator",
                "bool",
                "The complainant went on to the regulator (the ICO, the DVI); empty: not known.",
                required=False,
            ),
            Col(
                "request_id",
                "text",
                "The data-subject request it is about, if any (a request id, so the leak "
                "scan looks for it as `requests.request_id`).",
                required=False,
                ref="requests.request_id",
            ),
        ),
        required=False,
        orders=(
            Order("received_at", "acknowledged_at", "acknowledged_before_received"),
            Order("received_at", "outcome_told_at", "outcome_before_received"),
        ),
    ),
    Table(
        "actions",
        "Who fixes a finding and by when (Art. 5(2), Art. 24: accountability). Matches "
        "findings by topic and code, and by subject when one is given (figures in it "
        "are ignored, so `12 requests answered late` matches `<5 requests ...`). "
        "DPIA findings also take the owner and due date of their risk's measures.",
        (
            Col("topic", "enum", "The finding's topic.", values=FINDING_TOPICS),
            Col("code", "text", "The finding's code, e.g. `request_late`."),
            Col(
                "subject",
                "text",
                "The finding's subject; empty: every finding with this topic and code.",
                required=False,
            ),
            Col("owner", "text", "Who owns the fix: a role, not a person's name."),
            Col("due_on", "date", "When the fix is due."),
            Col("note", "text", "What is being done.", required=False),
        ),
        required=False,
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def identifier_columns() -> dict[str, list[str]]:
    """Per table, the columns that hold personal identifiers."""
    return {
        t.name: [c.name for c in t.columns if c.identifier]
        for t in TABLES
        if any(c.identifier for c in t.columns)
    }


def _columns(*kinds: str) -> str:
    """The ``table.column`` names of every column of one of ``kinds``, as Markdown code."""
    return ", ".join(f"`{t.name}.{c.name}`" for t in TABLES for c in t.columns if c.kind in kinds)


def domain_rules_markdown() -> list[str]:
    """The section of the data contract that lists the domain rules: what the column types
    admit but the domain does not (issue 18), each with the reason code it is refused with."""
    ranges = ", ".join(
        f"`{t.name}.{c.name}` >= {c.minimum}"
        for t in TABLES
        for c in t.columns
        if c.minimum is not None
    )
    first, last = WorkbookConfig.earliest_year, WorkbookConfig.latest_year
    hints = "; ".join(f"`{code}`: {hint}" for code, hint in COUNTRY_HINTS.items())
    return [
        "## Domain rules",
        "",
        "Values the column types admit but the domain does not. `juro-privacy validate` "
        "refuses each one with its file, row and column and the reason code in brackets.",
        "",
        "- **Ranges** (`below_minimum`): a count, a duration or a metric's threshold (a "
        f"count or a rate) is never negative: {ranges}. A number is finite (`inf` and `nan` "
        "are `not_a_number`).",
        f"- **Years** (`year_out_of_range`): every date and timestamp is written with a year "
        f"from `earliest_year` to `latest_year` of `workbook.yaml` (default {first} to {last}), "
        "so that a typing slip such as `0001-01-01` or `9999-12-31` is refused; a workbook "
        "with older or later real dates widens the range (within 1678 to 2261, the years a "
        "timestamp can hold). The year is the one written, before any offset is applied. "
        f"Columns: {_columns('date', 'datetime')} (the accounts table's by its engine).",
        f"- **Time zones** (`unknown_timezone`): {_columns('timezone')} is an IANA time zone "
        "name (`Europe/London`, `Europe/Riga`), as the `timezone` setting of `workbook.yaml`.",
        f"- **Countries** (`not_a_country_code`, `unknown_country`): each of "
        f"{_columns('country')} is the ISO 3166-1 alpha-2 code of a country, in any case "
        "(`GB`, `lv`), or `XK` for "
        "Kosovo as the EU writes it; user-assigned codes (`XX`, `ZZ`, `AA`) are refused, and "
        f"so are the EU's own spellings ({hints}). Every code accepted is one the transfer "
        "rules judge (UK, EU/EEA or third country).",
        "- **Clock changes** (`ambiguous_time`): a timestamp without an offset is local "
        "time in the workbook's `timezone`. One inside the hour that happens twice when "
        "the clocks go back (`2026-10-25T01:30:00` in Europe/London) could be either of two "
        "instants and is refused: write it with its offset, `2026-10-25T01:30:00+01:00` for "
        "the first (summer time) or `2026-10-25T01:30:00+00:00` for the second. One inside "
        "the hour skipped when the clocks go forward (`2026-03-29T01:30:00` in Europe/London) "
        "names no "
        "instant of its own: it is read as the first instant after the change (02:00 BST, "
        "01:00 UTC), on the same local date, as the accounts table reads it.",
        "- **The accounts table, whole** (read by DuckDB where it lies, at any size): "
        "`account_id` unique (`field_uniqueness`, naming the earlier row) and never empty, "
        "`office` a `site_id` of `sites` (`unknown_reference`), `last_used_at` never empty, "
        "the years of `last_used_at`, `archived_at` and `deleted_at` within the range above "
        "(read as the local date the retention rule reads, in the workbook's time zone), "
        "the dates in order and `delete_after_months` a whole number from 0 to "
        f"{MAX_MONTHS:,}. A message names the first bad row (a CSV's line, a Parquet file's "
        "record) and counts the rest; it never names an account id. The accounts table "
        "of an `--engine` is held to the same contract in one query there, each fault "
        "counted (an engine table has no rows to name).",
        "- **What the rules can judge** (checked after the tables load, so that no notebook "
        "refuses what `validate` accepted): every retention period (`retention_rules`, "
        f"`systems`, accounts' overrides) at most {MAX_MONTHS:,} months (`above_maximum`); "
        + "; ".join(
            f"`{key}` in `workbook.yaml` at most {most:,} {unit.split(':')[0]}"
            for key, (most, unit) in SETTING_MAXIMA.items()
        )
        + " (`above_maximum`); every site that handles requests has a `jurisdiction` "
        "(`missing_value`); every request date falls, at its office, within the years the "
        "deadline rules date (`outside_calendar`); every processor country is one the "
        "transfer rules judge (`unknown_country`).",
        "",
    ]


def contract_markdown() -> str:
    """The data contract as Markdown, generated from :data:`TABLES`."""
    lines = [
        "# The workbook data contract",
        "",
        "Generated from `juro_privacy/workbook/schemas.py` by `juro-privacy contract`; a test "
        "checks this file matches. One CSV (UTF-8, header row) or Parquet file per table, "
        "named after the table, plus `workbook.yaml`. Lists are `;`-separated. Dates are "
        "ISO 8601 (`2026-07-01`); timestamps carry an offset (`2026-07-01T09:30:00+01:00`) "
        "or are read in the workbook's time zone. Booleans are `true`/`false`.",
        "",
        "Columns marked **identifier** hold personal identifiers: they are read, "
        "never shown in a shareable report.",
        "",
    ]
    for t in TABLES:
        need = "required" if t.required else "optional"
        lines += [f"## `{t.name}` ({need})", "", t.description, ""]
        if t.lazy:
            lines += [
                "Large table: only its columns are checked at load; its rows are "
                "checked by the engine that reads it.",
                "",
            ]
        lines += ["| column | type | required | description |", "|---|---|---|---|"]
        for c in t.columns:
            kind: str = c.kind
            if c.kind == "metric":
                kind += ": one of the metrics in [claims.md](claims.md)"
            if c.values:
                kind += ": " + ", ".join(f"`{v}`" for v in c.values)
            notes = c.description
            if c.unique:
                notes += " Unique."
            if c.ref:
                notes += f" Must exist in `{c.ref}`."
            if c.minimum is not None:
                notes += f" At least {c.minimum}."
            if c.identifier:
                notes += " **identifier**."
            lines.append(f"| `{c.name}` | {kind} | {'yes' if c.required else 'no'} | {notes} |")
        if t.orders:
            lines.append("")
            for o in t.orders:
                lines.append(f"Rule: `{o.earlier}` must not be after `{o.later}`.")
        lines.append("")
    lines += domain_rules_markdown()
    lines += [
        "## Reason codes",
        "",
        "`juro-privacy validate` names each problem's file, row and column and ends the line "
        "with one of these codes in brackets (`errors.REASONS`).",
        "",
        "| code | meaning |",
        "|---|---|",
        *(f"| `{code}` | {meaning} |" for code, meaning in REASONS.items()),
        "",
    ]
    return "\n".join(lines)
