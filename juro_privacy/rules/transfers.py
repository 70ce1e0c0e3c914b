"""International transfers: is a transfer of personal data on a given day restricted,
covered by adequacy, covered by an Art. 46 safeguard, or none of these?

The rules are EU GDPR and UK GDPR Chapter V (Arts. 44-46; for the UK, Arts. 44A-46 as
rewritten by the Data (Use and Access) Act 2025 s. 85 and Sch. 7 from 5 February 2026).
They live as data in ``juro_privacy/rules/data``, each row beside its legal source:

- ``eea.csv``: who is inside the EU regime's free-flow area on a date (EU and EEA
  states with their accession dates, EU bodies, and the UK until the TCA bridge ended);
- ``adequacy.csv``: adequacy decisions (EU) and adequacy regulations (UK), one row per
  regime, destination and instrument, with the days it is in force (both inclusive);
- ``mechanisms.csv``: one row per regime and Art. 46 mechanism, with the days it is valid
  and, where the law closed it to new contracts, the last day one may be concluded on it;
- ``transfer_assessments.csv``: which documented assessment an Art. 46 safeguard needs, per
  regime and day (Schrems II and EDPB Recommendations 01/2020; UK GDPR Art. 46(1A));
- ``derogations.csv``: the Art. 49(1) derogations, and which of them Recital 111 limits
  to occasional transfers.

The code here only reads those tables and applies them in the order Chapter V does:
inside the area, then adequacy (Art. 45), then appropriate safeguards (Art. 46).
:func:`transfer_status` itself knows no derogation: a transfer that needs one is
"unsafeguarded" there, and :func:`flow_status` adds the assessment's outcome and a recorded
Art. 49 derogation on top of it. See ``docs/transfers.md`` for each status in a DPO's words.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Final

import pandas as pd

from juro_privacy.errors import TransferError

STATUSES: Final[tuple[str, ...]] = ("not_restricted", "adequate", "safeguarded", "unsafeguarded")
"""Every value :func:`transfer_status` can return, from least to most worrying."""

FLOW_STATUSES: Final[tuple[str, ...]] = (
    "not_restricted",
    "adequate",
    "safeguarded",
    "derogation",
    "unsafeguarded",
)
"""Every value :func:`flow_status` can return, from least to most worrying: the
:data:`STATUSES` with ``derogation`` (Art. 49) between a safeguard and none."""

ASSESSMENT_OUTCOMES: Final[tuple[str, ...]] = ("meets_test", "does_not_meet")
"""The outcome of a transfer risk / impact assessment: the safeguard protects the data as
the regime requires (UK GDPR Art. 46(1A) "data protection test"; Schrems II "essentially
equivalent"), or it does not."""

DEROGATIONS: Final[tuple[str, ...]] = (
    "explicit_consent",
    "contract_necessity",
    "public_interest",
    "legal_claims",
    "vital_interests",
    "public_register",
)
"""The Art. 49(1)(a)-(g) derogations a flow may record (``derogations.csv``; the compelling
legitimate interests of Art. 49(1) second subparagraph are not offered). Declared here,
read by the data contract for ``activities.transfer_derogation``."""

MECHANISMS: Final[tuple[str, ...]] = ("sccs", "uk_addendum", "idta", "sccs_2010", "bcr")
"""The closed vocabulary of Art. 46 safeguards :func:`transfer_status` accepts. Declared
only here: the data contract (``juro_privacy.workbook.schemas``, a higher layer) reads it
for ``processors.mechanism``."""

REGIMES: Final[tuple[str, ...]] = ("EU", "UK")
"""EU GDPR (with Directive 95/46/EC before 25 May 2018) and UK GDPR."""

CONDITIONS: Final[tuple[str, ...]] = (
    "none",
    "commercial_recipient",
    "certified_recipient",
    "uk_extension_recipient",
)
"""How an adequacy row's scope is tested: not at all; assumed met by a commercial
recipient (partial decisions such as Canada/PIPEDA, Japan/APPI, Korea/PIPA); met only when
the caller says the recipient is certified (the EU's US frameworks: ``dpf_certified``); or
met only when the recipient also participates in the UK Extension to the EU-US DPF (the
UK's US regulations, SI 2023/1028 reg. 3(2)(a): ``uk_extension``)."""

AREA_STATUSES: Final[tuple[str, ...]] = (
    "eu_member",
    "eea_efta",
    "union_body",
    "withdrawal_transition",
    "tca_bridge",
)
"""Why a row of ``eea.csv`` sits inside the EU free-flow area on its dates."""

ALIASES: Final[dict[str, str]] = {"UK": "GB", "EL": "GR"}
"""Codes people use that ISO 3166-1 spells differently: the UK, and Greece as the EU writes it."""

_EXPORTER_STATUSES: Final = frozenset({"eu_member", "eea_efta", "withdrawal_transition"})
_CODE = re.compile(r"[A-Z]{2}")
# ISO 3166-1 user-assigned codes: never a country. XK (Kosovo, used by the EU) is let through.
_USER_ASSIGNED = re.compile(r"AA|Q[M-Z]|X[A-JL-Z]|ZZ")

_EEA_COLUMNS: Final = ("country", "name", "status", "member_from", "member_to", "source")
_ADEQUACY_COLUMNS: Final = (
    "regime",
    "country",
    "name",
    "scope",
    "condition",
    "in_force_from",
    "in_force_to",
    "source",
)
_ASSESSMENT_COLUMNS: Final = (
    "regime",
    "assessment",
    "in_force_from",
    "in_force_to",
    "citation",
    "requirement",
    "source",
)
_DEROGATION_COLUMNS: Final = ("derogation", "article", "name", "occasional_only", "source")
_MECHANISM_COLUMNS: Final = (
    "regime",
    "mechanism",
    "valid",
    "valid_from",
    "valid_to",
    "concluded_by",
    "source",
)


@dataclass(frozen=True)
class Window:
    """Days a rule holds, both ends inclusive; ``None`` is an open end."""

    start: date | None
    end: date | None

    def covers(self, on: date) -> bool:
        """True if ``on`` falls within the window."""
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class AreaRow:
    """One row of ``eea.csv``: a country (or EU bodies) inside the EU free-flow area."""

    country: str
    name: str
    status: str
    window: Window
    source: str


@dataclass(frozen=True)
class AdequacyRow:
    """One row of ``adequacy.csv``: an adequacy decision or regulation and its scope."""

    regime: str
    country: str
    name: str
    scope: str
    condition: str
    window: Window
    source: str


@dataclass(frozen=True)
class MechanismRow:
    """One row of ``mechanisms.csv``: whether a mechanism safeguards a regime's transfers."""

    regime: str
    mechanism: str
    valid: bool
    window: Window
    concluded_by: date | None  # last day a contract may be concluded on it; None: no cut-off
    source: str


@dataclass(frozen=True)
class AssessmentRule:
    """One row of ``transfer_assessments.csv``: the assessment a safeguard needs."""

    regime: str
    assessment: str  # transfer_impact_assessment, transfer_risk_assessment, data_protection_test
    window: Window
    citation: str  # the short rule a finding cites
    requirement: str  # what the exporter must do, in words
    source: str


@dataclass(frozen=True)
class Derogation:
    """One row of ``derogations.csv``: an Art. 49(1) derogation."""

    derogation: str
    article: str
    name: str
    occasional_only: bool  # Recital 111 limits it expressly to occasional transfers
    source: str


def transfer_status(
    origin: str,
    destination: str,
    on: date,
    *,
    mechanism: str | None = None,
    dpf_certified: bool = False,
    uk_extension: bool = False,
    mechanism_signed_on: date | None = None,
) -> str:
    """Judge a transfer of personal data from ``origin`` to ``destination`` on day ``on``.

    GDPR Arts. 44-46 and UK GDPR Arts. 44A-46 (as rewritten by DUAA 2025 s. 85 and Sch. 7
    from 5 February 2026; Arts. 44-45 before): a transfer out of the exporter's area needs
    adequacy (EU Art. 45; UK Art. 45A regulations) or a safeguard (Art. 46). ``origin``
    decides the regime: GB is UK GDPR from 1 January 2021 (EU GDPR before, the UK being a
    Member State or in the transition period); an EU or EEA state is EU GDPR. Codes are
    ISO 3166-1 alpha-2 in any case, with "UK" for GB and "EL" for GR; "EU" names the EU
    institutions and "EP" the European Patent Organisation.

    ``dpf_certified``: the US recipient is on the DPF List on ``on`` (EU-US Privacy Shield
    before 16 July 2020, EU-US DPF from 10 July 2023, Decision (EU) 2023/1795), enough for
    an EU exporter. ``uk_extension``: it also participates in the UK Extension, which a UK
    exporter needs (SI 2023/1028 reg. 3(2)(a), from 12 October 2023); it cannot without
    being in the EU-US DPF. Both are ignored for other destinations.

    ``mechanism_signed_on``: the day the safeguard was signed; it covers only transfers on
    or after it, and a mechanism with a conclusion cut-off (the 2010 SCCs) only contracts
    concluded by then (``mechanisms.csv``, ``concluded_by``). ``None``: the date is not
    known, and only the mechanism's own validity window is applied.

    Returns "not_restricted", "adequate", "safeguarded" or "unsafeguarded".
    Raises TransferError for an unknown origin, a malformed code or mechanism, or
    ``uk_extension`` without ``dpf_certified``.
    """
    day = _as_day(on)
    exporter = _normalise_code(origin, "origin")
    importer = _normalise_code(destination, "destination")
    tool = _check_mechanism(mechanism)
    signed = None if mechanism_signed_on is None else _as_day(mechanism_signed_on)
    if uk_extension and not dpf_certified:
        raise TransferError(
            "uk_extension=True needs dpf_certified=True: only an organisation in the EU-US "
            "Data Privacy Framework can participate in its UK Extension"
        )
    regime = regime_of(exporter, day)
    if _inside_area(regime, importer, day):
        return "not_restricted"
    if _adequate(regime, importer, day, dpf_certified=dpf_certified, uk_extension=uk_extension):
        return "adequate"
    if tool is not None and _mechanism_valid(regime, tool, day, signed):
        return "safeguarded"
    return "unsafeguarded"


def flow_status(
    status: str, *, assessment_outcome: str | None = None, derogation: str | None = None
) -> str:
    """A flow's status from its :func:`transfer_status`, the outcome of the assessment in
    force on the day and the Art. 49 derogation recorded for it.

    An assessment that finds the test not met means the safeguard does not make the
    transfer lawful (UK GDPR Art. 46(1A)(a)(ii); Schrems II, C-311/18): "safeguarded"
    becomes "unsafeguarded". A derogation applies only "in the absence of an adequacy
    decision ... or of appropriate safeguards" (Art. 49(1)): it turns "unsafeguarded"
    into "derogation" and leaves every other status as it is. Returns one of
    :data:`FLOW_STATUSES`; raises TransferError for an unknown status, outcome or
    derogation.
    """
    if status not in STATUSES:
        raise TransferError(
            f"unknown transfer status {status!r}; expected one of {', '.join(STATUSES)}"
        )
    if assessment_outcome is not None and assessment_outcome not in ASSESSMENT_OUTCOMES:
        raise TransferError(
            f"unknown assessment outcome {assessment_outcome!r}; expected one of "
            f"{', '.join(ASSESSMENT_OUTCOMES)}"
        )
    if derogation is not None and derogation not in DEROGATIONS:
        raise TransferError(
            f"unknown Art. 49 derogation {derogation!r}; expected one of {', '.join(DEROGATIONS)}"
        )
    if status == "safeguarded" and assessment_outcome == "does_not_meet":
        status = "unsafeguarded"
    if status == "unsafeguarded" and derogation is not None:
        return "derogation"
    return status


def assessment_rule(regime: str, on: date) -> AssessmentRule | None:
    """The assessment an Art. 46 safeguard of ``regime`` needs on ``on``, or None.

    EU: a transfer impact assessment since Schrems II (16 July 2020; EDPB Recommendations
    01/2020). UK: a transfer risk assessment (the ICO's TRA guidance) until 4 February
    2026, and from 5 February 2026 the exporter's reasonable and proportionate view that
    the data protection test is met (UK GDPR Art. 46(1A), DUAA 2025 Sch. 7 para. 6).
    """
    day = _as_day(on)
    if regime not in REGIMES:
        raise TransferError(f"unknown regime {regime!r}; expected one of {', '.join(REGIMES)}")
    for row in _assessment_rows():
        if row.regime == regime and row.window.covers(day):
            return row
    return None


def derogation_rule(derogation: str) -> Derogation:
    """The row of ``derogations.csv`` for one of :data:`DEROGATIONS` (GDPR Art. 49(1))."""
    for row in _derogation_rows():
        if row.derogation == derogation:
            return row
    raise TransferError(
        f"unknown Art. 49 derogation {derogation!r}; expected one of {', '.join(DEROGATIONS)}"
    )


def regime_of(origin: str, on: date) -> str:
    """The regime ("EU" or "UK") that governs a transfer exported from ``origin`` on ``on``.

    GDPR Art. 3(1) and UK GDPR Art. 3(1): the exporter's establishment decides. An EU or
    EEA state on that day exports under EU GDPR, and so does GB while a Member State or in
    the transition period (Withdrawal Agreement Art. 127); GB exports under UK GDPR after.
    """
    day = _as_day(on)
    code = _normalise_code(origin, "origin")
    rows = [row for row in _area_rows() if row.country == code and row.status in _EXPORTER_STATUSES]
    if any(row.window.covers(day) for row in rows):
        return "EU"
    if code == "GB" and _after_all(rows, day):
        return "UK"
    raise TransferError(
        f"origin {code!r} is neither GB nor an EU/EEA state on {day.isoformat()}: "
        "no transfer regime applies"
    )


def country_code(code: object, role: str = "country") -> str:
    """``code`` as the ISO 3166-1 alpha-2 code the transfer rules judge it by (any case;
    "UK" -> "GB", "EL" -> "GR"), or TransferError naming ``role`` for one they cannot
    judge: not two letters, or user-assigned (AA, QM-QZ, XA-XZ but XK, ZZ), no country
    (GDPR / UK GDPR Art. 44: a transfer is to a third country). The check
    :func:`transfer_status` applies to its ``origin`` and ``destination``."""
    return _normalise_code(code, role)


def eea_members(on: date) -> frozenset[str]:
    """The EU and EEA states on ``on`` (Agreement on the European Economic Area, Art. 2)."""
    day = _as_day(on)
    return frozenset(
        row.country
        for row in _area_rows()
        if row.status in {"eu_member", "eea_efta"} and row.window.covers(day)
    )


def adequacy_table() -> pd.DataFrame:
    """The adequacy rows for reports: one row per regime, destination and instrument.

    ``in_force_from``/``in_force_to`` are inclusive days as datetimes; NaT is an open end.
    """
    rows = _adequacy_rows()
    frame = pd.DataFrame(
        {
            "regime": [row.regime for row in rows],
            "country": [row.country for row in rows],
            "name": [row.name for row in rows],
            "scope": [row.scope for row in rows],
            "condition": [row.condition for row in rows],
            "in_force_from": [row.window.start for row in rows],
            "in_force_to": [row.window.end for row in rows],
            "source": [row.source for row in rows],
        }
    )
    for column in ("in_force_from", "in_force_to"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def mechanism_table() -> pd.DataFrame:
    """The mechanism rows for reports: validity window of each Art. 46 tool per regime."""
    rows = _mechanism_rows()
    frame = pd.DataFrame(
        {
            "regime": [row.regime for row in rows],
            "mechanism": [row.mechanism for row in rows],
            "valid": [row.valid for row in rows],
            "valid_from": [row.window.start for row in rows],
            "valid_to": [row.window.end for row in rows],
            "concluded_by": [row.concluded_by for row in rows],
            "source": [row.source for row in rows],
        }
    )
    for column in ("valid_from", "valid_to", "concluded_by"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _inside_area(regime: str, importer: str, day: date) -> bool:
    """GDPR Art. 44 / UK GDPR Art. 44: only data leaving the exporter's area is a transfer."""
    if regime == "UK":
        return importer == "GB"
    return any(row.country == importer and row.window.covers(day) for row in _area_rows())


def _adequate(
    regime: str, importer: str, day: date, *, dpf_certified: bool, uk_extension: bool
) -> bool:
    """GDPR Art. 45 / UK GDPR Art. 45A (DPA 2018 s. 17A before 5 February 2026): a row in
    force whose condition the recipient meets covers the transfer."""
    for row in _adequacy_rows():
        if row.regime != regime or row.country != importer or not row.window.covers(day):
            continue
        if row.condition == "certified_recipient" and not dpf_certified:
            continue
        if row.condition == "uk_extension_recipient" and not (dpf_certified and uk_extension):
            continue
        return True
    return False


def _mechanism_valid(regime: str, mechanism: str, day: date, signed: date | None) -> bool:
    """GDPR Art. 46 / UK GDPR Art. 46: a valid safeguard for the regime on that day, signed
    on or before it and, where the mechanism has a cut-off, concluded by the cut-off."""
    if signed is not None and day < signed:
        return False
    return any(
        row.regime == regime
        and row.mechanism == mechanism
        and row.valid
        and row.window.covers(day)
        and (signed is None or row.concluded_by is None or signed <= row.concluded_by)
        for row in _mechanism_rows()
    )


def _after_all(rows: Sequence[AreaRow], day: date) -> bool:
    """True if ``day`` is later than the end of every (closed) window in ``rows``."""
    ends = [row.window.end for row in rows]
    return bool(ends) and all(end is not None and day > end for end in ends)


def _as_day(on: object) -> date:
    """Accept a date (a datetime is cut to its date); anything else is a TransferError."""
    if isinstance(on, datetime):
        return on.date()
    if isinstance(on, date):
        return on
    raise TransferError(f"the transfer date must be a datetime.date, not {type(on).__name__}")


def _normalise_code(code: object, role: str) -> str:
    """ISO 3166-1 alpha-2 in any case; "UK" -> "GB", "EL" -> "GR"; user-assigned codes refused."""
    if not isinstance(code, str):
        raise TransferError(f"the {role} must be a two-letter country code, not {code!r}")
    upper = code.strip().upper()
    upper = ALIASES.get(upper, upper)
    if not _CODE.fullmatch(upper):
        raise TransferError(f"the {role} {code!r} is not a two-letter ISO 3166-1 country code")
    if _USER_ASSIGNED.fullmatch(upper):
        raise TransferError(f"the {role} {code!r} is a user-assigned code, not a country")
    return upper


def _check_mechanism(mechanism: object) -> str | None:
    """``None`` (no safeguard) or one of :data:`MECHANISMS`; anything else is refused."""
    if mechanism is None:
        return None
    if not isinstance(mechanism, str) or mechanism not in MECHANISMS:
        raise TransferError(
            f"unknown transfer mechanism {mechanism!r}; expected one of {', '.join(MECHANISMS)}"
        )
    return mechanism


# --- loading the rule tables (bundled with the package, read once) -------------------


def _read_table(file: str, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a bundled CSV with their spreadsheet line numbers (header is line 1)."""
    text = (resources.files("juro_privacy.rules") / "data" / file).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != tuple(columns):
        raise TransferError(f"{file}: expected columns {', '.join(columns)}")
    rows: list[tuple[int, dict[str, str]]] = []
    for line, record in enumerate(reader, start=2):
        if None in record or any(value is None for value in record.values()):
            raise TransferError(f"{file}, row {line}: wrong number of fields")
        rows.append((line, {key: value.strip() for key, value in record.items()}))
    return rows


def _field(
    file: str, line: int, record: dict[str, str], column: str, allowed: Sequence[str] = ()
) -> str:
    """A required, non-empty field, optionally from a closed vocabulary."""
    value = record[column]
    if not value:
        raise TransferError(f"{file}, row {line}, column '{column}': empty")
    if allowed and value not in allowed:
        raise TransferError(
            f"{file}, row {line}, column '{column}': {value!r} is not one of {', '.join(allowed)}"
        )
    return value


def _window(file: str, line: int, record: dict[str, str], start: str, end: str) -> Window:
    """Parse an inclusive date window; empty cells are open ends."""
    days: list[date | None] = []
    for column in (start, end):
        value = record[column]
        try:
            days.append(date.fromisoformat(value) if value else None)
        except ValueError:
            raise TransferError(
                f"{file}, row {line}, column '{column}': {value!r} is not a YYYY-MM-DD date"
            ) from None
    window = Window(days[0], days[1])
    if window.start is not None and window.end is not None and window.start > window.end:
        raise TransferError(f"{file}, row {line}: '{start}' is after '{end}'")
    return window


@cache
def _area_rows() -> tuple[AreaRow, ...]:
    """``eea.csv``, validated."""
    file = "eea.csv"
    return tuple(
        AreaRow(
            country=_normalise_code(_field(file, line, rec, "country"), "country"),
            name=_field(file, line, rec, "name"),
            status=_field(file, line, rec, "status", AREA_STATUSES),
            window=_window(file, line, rec, "member_from", "member_to"),
            source=_field(file, line, rec, "source"),
        )
        for line, rec in _read_table(file, _EEA_COLUMNS)
    )


@cache
def _adequacy_rows() -> tuple[AdequacyRow, ...]:
    """``adequacy.csv``, validated; every row must start on a known day."""
    file = "adequacy.csv"
    rows = []
    for line, rec in _read_table(file, _ADEQUACY_COLUMNS):
        window = _window(file, line, rec, "in_force_from", "in_force_to")
        if window.start is None:
            raise TransferError(f"{file}, row {line}, column 'in_force_from': empty")
        rows.append(
            AdequacyRow(
                regime=_field(file, line, rec, "regime", REGIMES),
                country=_normalise_code(_field(file, line, rec, "country"), "country"),
                name=_field(file, line, rec, "name"),
                scope=_field(file, line, rec, "scope"),
                condition=_field(file, line, rec, "condition", CONDITIONS),
                window=window,
                source=_field(file, line, rec, "source"),
            )
        )
    return tuple(rows)


@cache
def _mechanism_rows() -> tuple[MechanismRow, ...]:
    """``mechanisms.csv``, validated; exactly one row per regime and mechanism."""
    file = "mechanisms.csv"
    rows = tuple(
        MechanismRow(
            regime=_field(file, line, rec, "regime", REGIMES),
            mechanism=_field(file, line, rec, "mechanism", MECHANISMS),
            valid=_field(file, line, rec, "valid", ("yes", "no")) == "yes",
            window=_window(file, line, rec, "valid_from", "valid_to"),
            concluded_by=_window(file, line, rec, "concluded_by", "concluded_by").start,
            source=_field(file, line, rec, "source"),
        )
        for line, rec in _read_table(file, _MECHANISM_COLUMNS)
    )
    for row in rows:
        if not row.valid and (row.window.start is not None or row.window.end is not None):
            raise TransferError(
                f"{file}: {row.regime} {row.mechanism} is marked not valid but has dates"
            )
    pairs = [(row.regime, row.mechanism) for row in rows]
    expected = {(regime, tool) for regime in REGIMES for tool in MECHANISMS}
    if len(pairs) != len(set(pairs)) or set(pairs) != expected:
        raise TransferError(f"{file}: needs exactly one row per regime and mechanism")
    return rows


@cache
def _assessment_rows() -> tuple[AssessmentRule, ...]:
    """``transfer_assessments.csv``, validated; a regime's windows never overlap."""
    file = "transfer_assessments.csv"
    rows = tuple(
        AssessmentRule(
            regime=_field(file, line, rec, "regime", REGIMES),
            assessment=_field(file, line, rec, "assessment"),
            window=_window(file, line, rec, "in_force_from", "in_force_to"),
            citation=_field(file, line, rec, "citation"),
            requirement=_field(file, line, rec, "requirement"),
            source=_field(file, line, rec, "source"),
        )
        for line, rec in _read_table(file, _ASSESSMENT_COLUMNS)
    )
    for regime in REGIMES:
        own = sorted(
            (r.window for r in rows if r.regime == regime), key=lambda w: w.start or date.min
        )
        for before, after in pairwise(own):
            if before.end is None or (after.start is not None and after.start <= before.end):
                raise TransferError(f"{file}: {regime} rows overlap")
    return rows


@cache
def _derogation_rows() -> tuple[Derogation, ...]:
    """``derogations.csv``, validated; exactly one row per :data:`DEROGATIONS` value."""
    file = "derogations.csv"
    rows = tuple(
        Derogation(
            derogation=_field(file, line, rec, "derogation", DEROGATIONS),
            article=_field(file, line, rec, "article"),
            name=_field(file, line, rec, "name"),
            occasional_only=_field(file, line, rec, "occasional_only", ("yes", "no")) == "yes",
            source=_field(file, line, rec, "source"),
        )
        for line, rec in _read_table(file, _DEROGATION_COLUMNS)
    )
    if sorted(r.derogation for r in rows) != sorted(DEROGATIONS):
        raise TransferError(f"{file}: needs exactly one row per derogation")
    return rows
