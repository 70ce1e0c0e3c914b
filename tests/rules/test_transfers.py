"""Tests for juro_privacy.rules.transfers: real instruments, real days.

The parametrized tests read the bundled CSV files directly (not through the module), so
every row of the rule tables is probed at its own boundaries through the public function.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from juro_privacy.errors import InputError, TransferError
from juro_privacy.rules.transfers import (
    ASSESSMENT_OUTCOMES,
    DEROGATIONS,
    FLOW_STATUSES,
    MECHANISMS,
    STATUSES,
    adequacy_table,
    assessment_rule,
    derogation_rule,
    eea_members,
    flow_status,
    mechanism_table,
    regime_of,
    transfer_status,
)

# 1 January 2021: the first day after IP completion day, when UK GDPR began (SI 2019/419).
UK_GDPR_STARTS = date(2021, 1, 1)
TODAY = date(2026, 11, 25)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "transfers.md"
# Exporters used for each regime: Germany (a founding Member State, so an EU exporter on
# every date in the tables) and Great Britain.
EXPORTER = {"EU": "DE", "UK": "GB"}
# A destination no regime has found adequate: India.
NOWHERE = "IN"

EU_27 = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"}
EU_27 |= {"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
EEA_TODAY = EU_27 | {"IS", "LI", "NO"}


def _rows(file: str) -> list[dict[str, str]]:
    text = (resources.files("juro_privacy.rules") / "data" / file).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


ADEQUACY = _rows("adequacy.csv")
MECHANISM_ROWS = _rows("mechanisms.csv")
AREA = _rows("eea.csv")


def _row_id(row: dict[str, str]) -> str:
    return f"{row['regime']}-{row['country']}-{row['in_force_from']}"


def _recipient(row: dict[str, str]) -> dict[str, bool]:
    """The recipient flags a row's condition asks for (the UK Extension needs the DPF too)."""
    extension = row["condition"] == "uk_extension_recipient"
    return {
        "dpf_certified": extension or row["condition"] == "certified_recipient",
        "uk_extension": extension,
    }


def _other_row_covers(row: dict[str, str], day: date) -> bool:
    """Another adequacy row of the same regime and destination in force on ``day``."""
    for other in ADEQUACY:
        if other is row or (other["regime"], other["country"]) != (row["regime"], row["country"]):
            continue
        start, end = _day(other["in_force_from"]), _day(other["in_force_to"])
        if (start is None or start <= day) and (end is None or day <= end):
            return True
    return False


# --- every adequacy row at its boundaries ---------------------------------------------


@pytest.mark.parametrize("row", ADEQUACY, ids=_row_id)
def test_adequacy_row_applies_on_its_first_day(row: dict[str, str]) -> None:
    start = date.fromisoformat(row["in_force_from"])
    status = transfer_status(EXPORTER[row["regime"]], row["country"], start, **_recipient(row))
    assert status == "adequate"


@pytest.mark.parametrize("row", ADEQUACY, ids=_row_id)
def test_adequacy_row_applies_on_a_later_day(row: dict[str, str]) -> None:
    start = date.fromisoformat(row["in_force_from"])
    later = start + timedelta(days=100)
    end = _day(row["in_force_to"])
    if end is not None:
        later = min(later, end)
    status = transfer_status(EXPORTER[row["regime"]], row["country"], later, **_recipient(row))
    assert status == "adequate"


@pytest.mark.parametrize("row", ADEQUACY, ids=_row_id)
def test_adequacy_row_does_not_apply_the_day_before(row: dict[str, str]) -> None:
    before = date.fromisoformat(row["in_force_from"]) - timedelta(days=1)
    exporter = EXPORTER[row["regime"]]
    status = transfer_status(exporter, row["country"], before, **_recipient(row))
    if row["regime"] == "UK" and before < UK_GDPR_STARTS:
        # Before UK GDPR existed a British exporter was an EU exporter: same answer as Ireland.
        assert status == transfer_status("IE", row["country"], before, **_recipient(row))
    elif _other_row_covers(row, before):
        assert status == "adequate"  # an earlier instrument (e.g. UK 2021 -> extension)
    else:
        assert status != "adequate"


@pytest.mark.parametrize("row", [r for r in ADEQUACY if r["in_force_to"]], ids=_row_id)
def test_adequacy_row_does_not_apply_after_it_ends(row: dict[str, str]) -> None:
    after = date.fromisoformat(row["in_force_to"]) + timedelta(days=1)
    status = transfer_status(EXPORTER[row["regime"]], row["country"], after, **_recipient(row))
    assert status == ("adequate" if _other_row_covers(row, after) else "unsafeguarded")


# --- the worked examples of the brief -------------------------------------------------


def test_korea_one_destination_one_date_two_origins_two_answers() -> None:
    on = date(2022, 6, 1)
    assert transfer_status("LV", "KR", on) == "adequate"  # EU decision (EU) 2022/254
    assert transfer_status("GB", "KR", on) == "unsafeguarded"  # UK regulations from 19.12.2022


@pytest.mark.parametrize(
    ("origin", "on", "expected"),
    [
        ("LV", date(2021, 12, 16), "unsafeguarded"),
        ("LV", date(2021, 12, 17), "adequate"),
        ("GB", date(2022, 12, 18), "unsafeguarded"),
        ("GB", date(2022, 12, 19), "adequate"),
    ],
)
def test_korea_first_days(origin: str, on: date, expected: str) -> None:
    assert transfer_status(origin, "KR", on) == expected


@pytest.mark.parametrize(
    ("origin", "on", "certified", "mechanism", "expected"),
    [
        # EU-US Data Privacy Framework, Implementing Decision (EU) 2023/1795 of 10 July 2023
        ("LV", date(2023, 7, 9), True, None, "unsafeguarded"),
        ("LV", date(2023, 7, 10), True, None, "adequate"),
        ("LV", date(2023, 7, 10), False, None, "unsafeguarded"),
        ("LV", date(2023, 7, 10), False, "sccs", "safeguarded"),
        ("LV", TODAY, True, None, "adequate"),
        ("LV", TODAY, False, None, "unsafeguarded"),
        # UK exporter on the EU-US DPF only (no UK Extension): never adequate
        ("GB", date(2023, 7, 10), True, None, "unsafeguarded"),
        ("GB", date(2023, 10, 12), True, None, "unsafeguarded"),
        ("GB", date(2023, 10, 12), False, None, "unsafeguarded"),
        ("GB", date(2023, 10, 12), False, "idta", "safeguarded"),
        ("GB", TODAY, True, None, "unsafeguarded"),
        # EU-US Privacy Shield, (EU) 2016/1250, invalid from Schrems II (16 July 2020)
        ("LV", date(2016, 7, 11), True, None, "unsafeguarded"),
        ("LV", date(2016, 7, 12), True, None, "adequate"),
        ("LV", date(2020, 7, 15), True, None, "adequate"),
        ("LV", date(2020, 7, 16), True, None, "unsafeguarded"),
        ("LV", date(2020, 7, 16), True, "sccs_2010", "safeguarded"),
        ("LV", date(2022, 1, 1), True, None, "unsafeguarded"),
        # A British exporter in 2020 was still an EU exporter
        ("GB", date(2020, 7, 15), True, None, "adequate"),
        ("GB", date(2021, 1, 1), True, None, "unsafeguarded"),
    ],
)
def test_united_states(
    origin: str, on: date, certified: bool, mechanism: str | None, expected: str
) -> None:
    status = transfer_status(origin, "US", on, mechanism=mechanism, dpf_certified=certified)
    assert status == expected


@pytest.mark.parametrize(
    ("origin", "on", "dpf", "extension", "expected"),
    [
        # UK Extension, SI 2023/1028 reg. 1(2): in force 12 October 2023
        ("GB", date(2023, 10, 11), True, True, "unsafeguarded"),
        ("GB", date(2023, 10, 12), True, True, "adequate"),
        ("GB", date(2023, 10, 13), True, True, "adequate"),
        ("GB", TODAY, True, True, "adequate"),
        ("GB", TODAY, True, False, "unsafeguarded"),
        # An EU exporter needs only the EU-US DPF (Decision (EU) 2023/1795, 10 July 2023)
        ("LV", date(2023, 7, 9), True, False, "unsafeguarded"),
        ("LV", date(2023, 7, 10), True, False, "adequate"),
        ("LV", date(2023, 7, 11), True, False, "adequate"),
        ("LV", TODAY, True, True, "adequate"),
    ],
)
def test_uk_extension(origin: str, on: date, dpf: bool, extension: bool, expected: str) -> None:
    status = transfer_status(origin, "US", on, dpf_certified=dpf, uk_extension=extension)
    assert status == expected


def test_uk_extension_without_the_dpf_is_refused() -> None:
    for origin in ("GB", "LV"):
        with pytest.raises(TransferError, match="uk_extension"):
            transfer_status(origin, "US", TODAY, uk_extension=True)


def test_eu_dpf_only_recipient_from_london_and_riga() -> None:
    on = date(2026, 9, 30)
    assert transfer_status("GB", "US", on, dpf_certified=True) == "unsafeguarded"
    assert transfer_status("LV", "US", on, dpf_certified=True) == "adequate"
    assert transfer_status("GB", "US", on, dpf_certified=True, mechanism="idta") == "safeguarded"


def test_dpf_certified_is_ignored_for_other_destinations() -> None:
    assert transfer_status("LV", NOWHERE, TODAY, dpf_certified=True) == "unsafeguarded"
    assert transfer_status("GB", "CA", TODAY, dpf_certified=True) == "adequate"
    assert transfer_status("GB", "CA", TODAY, dpf_certified=True, uk_extension=True) == "adequate"


# --- signature dates: a safeguard covers transfers from the day it was signed ----------


@pytest.mark.parametrize(
    ("origin", "mechanism", "signed", "on", "expected"),
    [
        ("LV", "sccs", date(2024, 5, 1), date(2024, 4, 30), "unsafeguarded"),
        ("LV", "sccs", date(2024, 5, 1), date(2024, 5, 1), "safeguarded"),
        ("LV", "sccs", date(2024, 5, 1), date(2024, 5, 2), "safeguarded"),
        ("GB", "idta", date(2024, 5, 1), date(2024, 4, 30), "unsafeguarded"),
        ("GB", "idta", date(2024, 5, 1), date(2024, 5, 1), "safeguarded"),
        ("GB", "uk_addendum", date(2024, 5, 1), date(2024, 5, 2), "safeguarded"),
        ("GB", "bcr", date(2024, 5, 1), date(2024, 4, 30), "unsafeguarded"),
        ("GB", "bcr", date(2024, 5, 1), date(2024, 5, 1), "safeguarded"),
    ],
)
def test_a_safeguard_covers_only_transfers_after_its_signature(
    origin: str, mechanism: str, signed: date, on: date, expected: str
) -> None:
    status = transfer_status(origin, NOWHERE, on, mechanism=mechanism, mechanism_signed_on=signed)
    assert status == expected


@pytest.mark.parametrize(
    ("signed", "on", "expected"),
    [
        # Implementing Decision (EU) 2021/914 Art. 4(4): concluded before 27 September 2021
        (date(2021, 9, 26), date(2021, 9, 26), "safeguarded"),
        (date(2021, 9, 26), date(2022, 12, 27), "safeguarded"),
        (date(2021, 9, 26), date(2022, 12, 28), "unsafeguarded"),  # end date as before
        (date(2021, 9, 27), date(2021, 9, 27), "unsafeguarded"),
        (date(2021, 9, 28), date(2022, 6, 1), "unsafeguarded"),
        (date(2019, 6, 1), date(2022, 6, 1), "safeguarded"),
    ],
)
def test_old_sccs_eu_contract_cut_off(signed: date, on: date, expected: str) -> None:
    status = transfer_status("LV", NOWHERE, on, mechanism="sccs_2010", mechanism_signed_on=signed)
    assert status == expected


@pytest.mark.parametrize(
    ("signed", "on", "expected"),
    [
        # ICO transitional provisions: concluded on or before 21 September 2022
        (date(2022, 9, 20), date(2023, 1, 1), "safeguarded"),
        (date(2022, 9, 21), date(2022, 9, 21), "safeguarded"),
        (date(2022, 9, 21), date(2024, 3, 20), "safeguarded"),
        (date(2022, 9, 21), date(2024, 3, 21), "unsafeguarded"),  # end date as before
        (date(2022, 9, 22), date(2022, 9, 22), "unsafeguarded"),
        (date(2022, 9, 22), date(2023, 6, 1), "unsafeguarded"),
        # a UK contract signed after the EU cut-off is still in time for the UK
        (date(2021, 10, 1), date(2023, 6, 1), "safeguarded"),
    ],
)
def test_old_sccs_uk_contract_cut_off(signed: date, on: date, expected: str) -> None:
    status = transfer_status("GB", NOWHERE, on, mechanism="sccs_2010", mechanism_signed_on=signed)
    assert status == expected


def test_a_signature_date_must_be_a_date() -> None:
    with pytest.raises(TransferError, match=r"datetime\.date"):
        transfer_status("LV", NOWHERE, TODAY, mechanism="sccs", mechanism_signed_on="2024-01-01")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2021, 6, 27), "not_restricted"),  # last day of the TCA bridge
        (date(2021, 6, 28), "adequate"),  # Implementing Decision (EU) 2021/1772
        (date(2025, 6, 27), "adequate"),  # original sunset day
        (date(2025, 6, 28), "adequate"),  # six-month extension
        (date(2025, 12, 27), "adequate"),  # end of the extension
        (date(2025, 12, 28), "adequate"),  # renewal to 27 December 2031
        (TODAY, "adequate"),
        (date(2031, 12, 27), "adequate"),
        (date(2031, 12, 28), "unsafeguarded"),  # nothing after the renewal, as things stand
    ],
)
def test_eu_to_uk_adequacy_chain(on: date, expected: str) -> None:
    assert transfer_status("LV", "GB", on) == expected


def test_sccs_alone_from_gb_are_not_a_safeguard() -> None:
    on = date(2024, 6, 1)
    assert transfer_status("GB", NOWHERE, on, mechanism="sccs") == "unsafeguarded"
    assert transfer_status("GB", NOWHERE, on, mechanism="uk_addendum") == "safeguarded"
    assert transfer_status("LV", NOWHERE, on, mechanism="sccs") == "safeguarded"


# --- mechanisms: literal dates for both regimes ----------------------------------------


@pytest.mark.parametrize(
    ("origin", "mechanism", "on", "expected"),
    [
        # EU exporter (Riga)
        ("LV", "sccs", date(2021, 6, 26), "unsafeguarded"),
        ("LV", "sccs", date(2021, 6, 27), "safeguarded"),
        ("LV", "sccs", TODAY, "safeguarded"),
        ("LV", "sccs_2010", date(2010, 5, 14), "unsafeguarded"),
        ("LV", "sccs_2010", date(2010, 5, 15), "safeguarded"),
        ("LV", "sccs_2010", date(2022, 12, 27), "safeguarded"),
        ("LV", "sccs_2010", date(2022, 12, 28), "unsafeguarded"),
        ("LV", "bcr", date(2015, 1, 1), "safeguarded"),
        ("LV", "bcr", date(2018, 5, 25), "safeguarded"),
        ("LV", "bcr", TODAY, "safeguarded"),
        ("LV", "uk_addendum", date(2022, 3, 20), "unsafeguarded"),
        ("LV", "uk_addendum", date(2022, 3, 21), "unsafeguarded"),
        ("LV", "uk_addendum", TODAY, "unsafeguarded"),
        ("LV", "idta", date(2022, 3, 21), "unsafeguarded"),
        ("LV", "idta", TODAY, "unsafeguarded"),
        # UK exporter (London)
        ("GB", "sccs", date(2021, 6, 27), "unsafeguarded"),
        ("GB", "sccs", date(2022, 3, 21), "unsafeguarded"),
        ("GB", "sccs", TODAY, "unsafeguarded"),
        ("GB", "uk_addendum", date(2022, 3, 20), "unsafeguarded"),
        ("GB", "uk_addendum", date(2022, 3, 21), "safeguarded"),
        ("GB", "uk_addendum", TODAY, "safeguarded"),
        ("GB", "idta", date(2022, 3, 20), "unsafeguarded"),
        ("GB", "idta", date(2022, 3, 21), "safeguarded"),
        ("GB", "idta", TODAY, "safeguarded"),
        ("GB", "sccs_2010", date(2021, 1, 1), "safeguarded"),
        ("GB", "sccs_2010", date(2022, 12, 28), "safeguarded"),  # UK outlived the EU
        ("GB", "sccs_2010", date(2024, 3, 20), "safeguarded"),
        ("GB", "sccs_2010", date(2024, 3, 21), "unsafeguarded"),
        ("GB", "bcr", date(2021, 1, 1), "safeguarded"),
        ("GB", "bcr", TODAY, "safeguarded"),
        # 31 December 2020: a British exporter still exported under EU law
        ("GB", "sccs_2010", date(2020, 12, 31), "safeguarded"),
        ("GB", "bcr", date(2020, 12, 31), "safeguarded"),
        ("GB", "sccs", date(2020, 12, 31), "unsafeguarded"),  # EU 2021 SCCs not yet adopted
        ("GB", "idta", date(2020, 12, 31), "unsafeguarded"),
    ],
)
def test_mechanism_windows(origin: str, mechanism: str, on: date, expected: str) -> None:
    assert transfer_status(origin, NOWHERE, on, mechanism=mechanism) == expected


@pytest.mark.parametrize(
    "row",
    [r for r in MECHANISM_ROWS if r["valid"] == "yes"],
    ids=lambda r: f"{r['regime']}-{r['mechanism']}",
)
def test_mechanism_row_boundaries(row: dict[str, str]) -> None:
    exporter = {"EU": "LV", "UK": "GB"}[row["regime"]]
    start, end = _day(row["valid_from"]), _day(row["valid_to"])
    first = start or date(2018, 5, 25)
    assert transfer_status(exporter, NOWHERE, first, mechanism=row["mechanism"]) == "safeguarded"
    if start is not None and not (row["regime"] == "UK" and start <= UK_GDPR_STARTS):
        before = start - timedelta(days=1)
        status = transfer_status(exporter, NOWHERE, before, mechanism=row["mechanism"])
        assert status == "unsafeguarded"
    if end is not None:
        assert transfer_status(exporter, NOWHERE, end, mechanism=row["mechanism"]) == "safeguarded"
        after = end + timedelta(days=1)
        status = transfer_status(exporter, NOWHERE, after, mechanism=row["mechanism"])
        assert status == "unsafeguarded"


@pytest.mark.parametrize(
    "row",
    [r for r in MECHANISM_ROWS if r["valid"] == "no"],
    ids=lambda r: f"{r['regime']}-{r['mechanism']}",
)
def test_mechanism_never_valid_for_its_regime(row: dict[str, str]) -> None:
    exporter = {"EU": "LV", "UK": "GB"}[row["regime"]]
    for on in (date(2021, 1, 1), date(2022, 3, 21), date(2024, 3, 21), TODAY):
        assert transfer_status(exporter, NOWHERE, on, mechanism=row["mechanism"]) == (
            "unsafeguarded"
        )


def test_adequacy_beats_a_mechanism() -> None:
    assert transfer_status("GB", "JP", TODAY, mechanism="idta") == "adequate"
    assert transfer_status("LV", "CH", TODAY, mechanism="sccs") == "adequate"


# --- not restricted --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "destination", "on"),
    [
        ("GB", "GB", TODAY),
        ("UK", "gb", TODAY),
        ("LV", "LV", TODAY),
        ("LV", "DE", TODAY),
        ("NO", "LV", TODAY),
        ("LI", "IS", TODAY),
        ("LV", "EU", TODAY),  # EU institutions are inside the Union
        ("LV", "EL", TODAY),  # Greece by its EU code
        ("GB", "LV", date(2020, 6, 1)),  # transition period
        ("LV", "GB", date(2020, 6, 1)),  # transition period
        ("LV", "GB", date(2021, 3, 1)),  # TCA bridge
        ("LV", "HR", date(2013, 7, 1)),  # Croatia's accession
    ],
)
def test_not_restricted(origin: str, destination: str, on: date) -> None:
    assert transfer_status(origin, destination, on) == "not_restricted"


def test_gb_to_the_eea_is_adequacy_not_free_flow() -> None:
    assert transfer_status("GB", "LV", date(2021, 1, 1)) == "adequate"  # DPA 2018 Sch. 21
    assert transfer_status("GB", "EU", TODAY) == "adequate"
    assert transfer_status("GB", "GI", TODAY) == "adequate"


def test_croatia_before_accession_was_a_third_country() -> None:
    assert transfer_status("LV", "HR", date(2013, 6, 30)) == "unsafeguarded"
    with pytest.raises(TransferError, match="origin 'HR'"):
        transfer_status("HR", "LV", date(2013, 6, 30))


def test_recently_adopted_eu_decisions() -> None:
    assert transfer_status("LV", "EP", date(2025, 7, 14)) == "unsafeguarded"
    assert transfer_status("LV", "EP", date(2025, 7, 15)) == "adequate"
    assert transfer_status("LV", "BR", date(2026, 1, 25)) == "unsafeguarded"
    assert transfer_status("LV", "BR", date(2026, 1, 26)) == "adequate"
    assert transfer_status("GB", "BR", TODAY) == "unsafeguarded"  # no UK regulations


def test_faroe_islands_are_on_the_uk_list() -> None:
    # DPA 2018 Sch. 21 para. 5 carried over the EU decisions in force on 31 December 2020,
    # Commission Decision 2010/146/EU (Faroe Islands) among them.
    assert transfer_status("GB", "FO", date(2020, 12, 31)) == "adequate"  # EU law, as LV
    assert transfer_status("GB", "FO", date(2021, 1, 1)) == "adequate"
    assert transfer_status("GB", "FO", TODAY) == "adequate"
    assert transfer_status("LV", "FO", TODAY) == "adequate"


def test_the_uk_list_matches_the_eu_list_of_31_december_2020() -> None:
    eu_then = {
        r["country"]
        for r in ADEQUACY
        if r["regime"] == "EU"
        and _day(r["in_force_from"]) <= date(2020, 12, 31)  # type: ignore[operator]
        and (not r["in_force_to"] or date(2020, 12, 31) <= date.fromisoformat(r["in_force_to"]))
        and r["country"] != "US"  # Privacy Shield had already fallen (Schrems II)
    }
    uk_first = {
        r["country"] for r in ADEQUACY if r["regime"] == "UK" and r["in_force_from"] == "2021-01-01"
    }
    assert eu_then <= uk_first
    later = {
        r["country"]: r["in_force_from"]
        for r in ADEQUACY
        if r["regime"] == "UK" and r["in_force_from"] != "2021-01-01"
    }
    assert later == {"KR": "2022-12-19", "US": "2023-10-12"}


def test_partial_scopes_are_adequate_for_a_commercial_recipient() -> None:
    for origin in ("LV", "GB"):
        assert transfer_status(origin, "CA", TODAY) == "adequate"
        assert transfer_status(origin, "JP", TODAY) == "adequate"
        assert transfer_status(origin, "KR", TODAY) == "adequate"


# --- normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["GB", "gb", "Gb", "UK", "uk", " gb "])
def test_gb_spellings(spelling: str) -> None:
    assert transfer_status(spelling, NOWHERE, TODAY, mechanism="idta") == "safeguarded"
    assert transfer_status("LV", spelling, TODAY) == "adequate"
    assert regime_of(spelling, TODAY) == "UK"


def test_greece_by_either_code() -> None:
    assert transfer_status("el", "LV", TODAY) == "not_restricted"
    assert transfer_status("GB", "el", TODAY) == transfer_status("GB", "GR", TODAY) == "adequate"


def test_a_datetime_is_judged_on_its_date() -> None:
    assert transfer_status("GB", "KR", datetime(2022, 12, 19, 0, 1)) == "adequate"
    assert transfer_status("GB", "KR", datetime(2022, 12, 18, 23, 59)) == "unsafeguarded"


def test_regime_of() -> None:
    assert regime_of("GB", date(2020, 12, 31)) == "EU"
    assert regime_of("GB", UK_GDPR_STARTS) == "UK"
    assert regime_of("lv", TODAY) == "EU"
    assert regime_of("NO", TODAY) == "EU"


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("origin", ["US", "CH", "JP", "GI", "EU", "XK"])
def test_unknown_origin(origin: str) -> None:
    with pytest.raises(TransferError, match="no transfer regime applies"):
        transfer_status(origin, "LV", TODAY)


@pytest.mark.parametrize("mechanism", ["SCCs", "model_clauses", "", "dpf", "IDTA", 3])
def test_unknown_mechanism(mechanism: object) -> None:
    with pytest.raises(TransferError, match="unknown transfer mechanism"):
        transfer_status("GB", NOWHERE, TODAY, mechanism=mechanism)  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["USA", "", "G", "1A", "G B", "É", None, 12])
def test_bad_destination_code(code: object) -> None:
    with pytest.raises(TransferError, match="destination"):
        transfer_status("GB", code, TODAY)  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["XX", "zz", "AA", "QZ"])
def test_user_assigned_codes_are_not_countries(code: str) -> None:
    with pytest.raises(TransferError, match="user-assigned"):
        transfer_status("GB", code, TODAY)


def test_kosovo_code_is_accepted() -> None:
    assert transfer_status("LV", "XK", TODAY) == "unsafeguarded"


def test_bad_origin_code() -> None:
    with pytest.raises(TransferError, match="origin"):
        transfer_status("GBR", "LV", TODAY)


def test_date_must_be_a_date() -> None:
    with pytest.raises(TransferError, match=r"datetime\.date"):
        transfer_status("GB", "LV", "2024-01-01")  # type: ignore[arg-type]


def test_transfer_error_is_bad_input() -> None:
    with pytest.raises(InputError) as caught:
        transfer_status("US", "GB", TODAY)
    assert caught.value.exit_code == 2


# --- the data files --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "rows"),
    [("adequacy.csv", ADEQUACY), ("mechanisms.csv", MECHANISM_ROWS), ("eea.csv", AREA)],
)
def test_every_row_has_a_source(file: str, rows: list[dict[str, str]]) -> None:
    assert rows, file
    missing = [i + 2 for i, row in enumerate(rows) if not (row.get("source") or "").strip()]
    assert missing == [], f"{file}: rows without a source: {missing}"


def test_eea_file_lists_the_eu_27_and_iceland_liechtenstein_norway() -> None:
    current = {
        r["country"]
        for r in AREA
        if r["status"] in {"eu_member", "eea_efta"} and not r["member_to"]
    }
    assert current == EEA_TODAY
    assert eea_members(TODAY) == EEA_TODAY
    assert "HR" not in eea_members(date(2013, 6, 30))
    assert "GB" in eea_members(date(2020, 1, 31))
    assert "GB" not in eea_members(date(2020, 2, 1))


def test_mechanisms_constant_and_file_agree() -> None:
    assert MECHANISMS == ("sccs", "uk_addendum", "idta", "sccs_2010", "bcr")
    pairs = sorted((r["regime"], r["mechanism"]) for r in MECHANISM_ROWS)
    assert pairs == sorted((regime, m) for regime in ("EU", "UK") for m in MECHANISMS)


def test_adequacy_table() -> None:
    table = adequacy_table()
    assert isinstance(table, pd.DataFrame)
    assert len(table) == len(ADEQUACY)
    assert list(table.columns) == [
        "regime",
        "country",
        "name",
        "scope",
        "condition",
        "in_force_from",
        "in_force_to",
        "source",
    ]
    assert pd.api.types.is_datetime64_any_dtype(table["in_force_from"])
    assert table["in_force_from"].notna().all()
    uk = table[(table["regime"] == "EU") & (table["country"] == "GB")]
    assert uk["in_force_to"].max() == pd.Timestamp("2031-12-27")
    table.loc[:, "country"] = "ZZ"  # the caller's copy, not the cached rules
    assert (adequacy_table()["country"] != "ZZ").all()


def test_mechanism_table() -> None:
    table = mechanism_table()
    assert len(table) == len(MECHANISM_ROWS) == 2 * len(MECHANISMS)
    eu_old = table[(table["regime"] == "EU") & (table["mechanism"] == "sccs_2010")]
    assert eu_old["valid_to"].iloc[0] == pd.Timestamp("2022-12-27")
    assert eu_old["concluded_by"].iloc[0] == pd.Timestamp("2021-09-26")
    uk_old = table[(table["regime"] == "UK") & (table["mechanism"] == "sccs_2010")]
    assert uk_old["concluded_by"].iloc[0] == pd.Timestamp("2022-09-21")
    assert table["concluded_by"].notna().sum() == 2


def test_docs_table_lists_every_adequacy_row() -> None:
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    for row in ADEQUACY:
        prefix = f"| {row['regime']} | {row['country']} | "
        to = row["in_force_to"] or "—"
        assert any(
            line.startswith(prefix) and f"| {row['in_force_from']} | {to} |" in line
            for line in lines
        ), f"docs/transfers.md lacks the row {_row_id(row)}"


# --- properties ------------------------------------------------------------------------

ORIGINS = sorted(EEA_TODAY | {"GB"})
DESTINATIONS = sorted({r["country"] for r in ADEQUACY} | EEA_TODAY | {"GB", "EU", "IN", "CN"})


@settings(max_examples=300, deadline=None)
@given(
    origin=st.sampled_from(ORIGINS),
    destination=st.sampled_from(DESTINATIONS),
    on=st.dates(min_value=date(2016, 1, 1), max_value=date(2032, 12, 31)),
    mechanism=st.sampled_from([None, *MECHANISMS]),
    certified=st.booleans(),
)
def test_properties(
    origin: str, destination: str, on: date, mechanism: str | None, certified: bool
) -> None:
    status = transfer_status(origin, destination, on, mechanism=mechanism, dpf_certified=certified)
    assert status in STATUSES
    # Case does not matter.
    lower = transfer_status(
        origin.lower(), destination.lower(), on, mechanism=mechanism, dpf_certified=certified
    )
    assert lower == status
    # A safeguard never changes a free-flow or adequacy answer, and never makes one worse.
    bare = transfer_status(origin, destination, on, dpf_certified=certified)
    if bare in {"not_restricted", "adequate"}:
        assert status == bare
    else:
        assert status in {"safeguarded", "unsafeguarded"}
    # Certification can only help.
    uncertified = transfer_status(origin, destination, on, mechanism=mechanism)
    assert STATUSES.index(status) <= STATUSES.index(uncertified)


# ---------------------------------------------------------------- assessments, derogations

ASSESSMENT_ROWS = _rows("transfer_assessments.csv")
DEROGATION_ROWS = _rows("derogations.csv")


@pytest.mark.parametrize(
    "regime,on,expected",
    [
        ("EU", date(2020, 7, 15), None),  # the day before Schrems II
        ("EU", date(2020, 7, 16), "transfer_impact_assessment"),
        ("EU", date(2026, 9, 30), "transfer_impact_assessment"),
        ("UK", date(2020, 12, 31), None),  # London exported under EU GDPR then
        ("UK", date(2021, 1, 1), "transfer_risk_assessment"),
        ("UK", date(2026, 2, 4), "transfer_risk_assessment"),
        ("UK", date(2026, 2, 5), "data_protection_test"),  # UK GDPR Art. 46(1A), SI 2026/82
        ("UK", date(2026, 9, 30), "data_protection_test"),
    ],
)
def test_assessment_rule_by_regime_and_day(regime: str, on: date, expected: str | None) -> None:
    rule = assessment_rule(regime, on)
    assert (rule.assessment if rule else None) == expected


def test_the_data_protection_test_cites_article_46_1a() -> None:
    rule = assessment_rule("UK", date(2026, 2, 5))
    assert rule is not None
    assert "46(1A)" in rule.citation
    assert "acting reasonably and proportionately" in rule.requirement


def test_assessment_rule_refuses_an_unknown_regime() -> None:
    with pytest.raises(TransferError):
        assessment_rule("US", date(2026, 1, 1))


@pytest.mark.parametrize(
    "status,outcome,derogation,expected",
    [
        ("safeguarded", None, None, "safeguarded"),
        ("safeguarded", "meets_test", None, "safeguarded"),
        ("safeguarded", "does_not_meet", None, "unsafeguarded"),
        ("safeguarded", "does_not_meet", "explicit_consent", "derogation"),
        ("unsafeguarded", None, "legal_claims", "derogation"),
        ("unsafeguarded", None, None, "unsafeguarded"),
        ("adequate", "does_not_meet", "explicit_consent", "adequate"),
        ("not_restricted", None, "explicit_consent", "not_restricted"),
    ],
)
def test_flow_status(
    status: str, outcome: str | None, derogation: str | None, expected: str
) -> None:
    assert flow_status(status, assessment_outcome=outcome, derogation=derogation) == expected
    assert expected in FLOW_STATUSES


@pytest.mark.parametrize(
    "kw", [{"status": "derogation"}, {"assessment_outcome": "maybe"}, {"derogation": "habit"}]
)
def test_flow_status_refuses_unknown_values(kw: dict[str, str]) -> None:
    args = {"status": "safeguarded", **kw}
    status = args.pop("status")
    with pytest.raises(TransferError):
        flow_status(status, **args)


def test_flow_statuses_extend_the_transfer_statuses_in_order() -> None:
    assert [s for s in FLOW_STATUSES if s != "derogation"] == list(STATUSES)
    assert FLOW_STATUSES.index("safeguarded") < FLOW_STATUSES.index("derogation")


def test_derogations_constant_and_file_agree() -> None:
    assert [r["derogation"] for r in DEROGATION_ROWS] == list(DEROGATIONS)
    assert all(r["source"] and r["article"].startswith("49(1)") for r in DEROGATION_ROWS)
    # Recital 111: the contract and legal-claims derogations are for occasional transfers
    occasional = {r.derogation for r in map(derogation_rule, DEROGATIONS) if r.occasional_only}
    assert occasional == {"contract_necessity", "legal_claims"}
    assert ASSESSMENT_OUTCOMES == ("meets_test", "does_not_meet")


def test_every_assessment_row_has_a_source() -> None:
    assert ASSESSMENT_ROWS and all(r["source"] and r["citation"] for r in ASSESSMENT_ROWS)


# --- the rule tables pinned by hand ------------------------------------------------------
# The tests above probe every row of the CSV files at its own boundaries, so a row deleted
# or shifted in a file moves its tests with it. These are written out from
# docs/transfers.md and the instruments it cites (EUR-Lex; DPA 2018 Sch. 21 para. 5 as
# inserted by SI 2019/419; SI 2022/1213; SI 2023/1028; the Treaties of Accession and the
# EEA Agreement), not read from the files: a deleted, added or shifted row fails here.

# (regime, code, condition, in force from, in force to); "" is an open end.
EXPECTED_EU_ADEQUACY = [
    ("EU", "AD", "none", "2010-10-19", ""),  # Decision 2010/625/EU
    ("EU", "AR", "none", "2003-06-30", ""),  # Decision 2003/490/EC
    ("EU", "CA", "commercial_recipient", "2001-12-20", ""),  # Decision 2002/2/EC (PIPEDA)
    ("EU", "FO", "none", "2010-03-05", ""),  # Decision 2010/146/EU
    ("EU", "GG", "none", "2003-11-21", ""),  # Decision 2003/821/EC
    ("EU", "IL", "none", "2011-01-31", ""),  # Decision 2011/61/EU
    ("EU", "IM", "none", "2004-04-28", ""),  # Decision 2004/411/EC
    ("EU", "JP", "commercial_recipient", "2019-01-23", ""),  # (EU) 2019/419
    ("EU", "JE", "none", "2008-05-08", ""),  # Decision 2008/393/EC
    ("EU", "NZ", "none", "2012-12-19", ""),  # Decision 2013/65/EU
    ("EU", "KR", "commercial_recipient", "2021-12-17", ""),  # (EU) 2022/254
    ("EU", "CH", "none", "2000-07-26", ""),  # Decision 2000/518/EC
    ("EU", "GB", "none", "2021-06-28", "2025-06-27"),  # (EU) 2021/1772, Art. 4 sunset
    ("EU", "GB", "none", "2025-06-28", "2025-12-27"),  # six-month technical extension
    ("EU", "GB", "none", "2025-12-28", "2031-12-27"),  # renewal of 19 December 2025
    ("EU", "UY", "none", "2012-08-21", ""),  # Decision 2012/484/EU
    ("EU", "US", "certified_recipient", "2016-07-12", "2020-07-15"),  # Privacy Shield
    ("EU", "US", "certified_recipient", "2023-07-10", ""),  # (EU) 2023/1795, the DPF
    ("EU", "EP", "none", "2025-07-15", ""),  # (EU) 2025/1382, European Patent Organisation
    ("EU", "BR", "none", "2026-01-26", ""),  # (EU) 2026/179
]
# DPA 2018 Sch. 21 para. 5, from 1 January 2021: the EEA states, Gibraltar, the EU/EEA
# institutions and the countries of the EU decisions in force on 31 December 2020.
SCH_21_EEA = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
]  # fmt: skip
SCH_21_OTHERS = {
    "EU": "none", "GI": "none", "CH": "none", "CA": "commercial_recipient", "AR": "none",
    "FO": "none", "GG": "none", "IM": "none", "JE": "none", "AD": "none", "IL": "none",
    "UY": "none", "NZ": "none", "JP": "commercial_recipient",
}  # fmt: skip
EXPECTED_UK_ADEQUACY = [
    *(("UK", c, "none", "2021-01-01", "") for c in SCH_21_EEA),
    *(("UK", c, cond, "2021-01-01", "") for c, cond in SCH_21_OTHERS.items()),
    ("UK", "KR", "commercial_recipient", "2022-12-19", ""),  # SI 2022/1213 reg. 1(2)
    ("UK", "US", "uk_extension_recipient", "2023-10-12", ""),  # SI 2023/1028 reg. 1(2)
]
# (code, status, member from, member to): who is inside the EU's free-flow area.
EXPECTED_AREA = [
    *((c, "eu_member", "1958-01-01", "") for c in ("BE", "FR", "DE", "IT", "LU", "NL")),
    *((c, "eu_member", "1973-01-01", "") for c in ("DK", "IE")),
    ("GR", "eu_member", "1981-01-01", ""),
    *((c, "eu_member", "1986-01-01", "") for c in ("ES", "PT")),
    *((c, "eu_member", "1995-01-01", "") for c in ("AT", "FI", "SE")),
    *(
        (c, "eu_member", "2004-05-01", "")
        for c in ("CY", "CZ", "EE", "HU", "LV", "LT", "MT", "PL", "SK", "SI")
    ),
    *((c, "eu_member", "2007-01-01", "") for c in ("BG", "RO")),
    ("HR", "eu_member", "2013-07-01", ""),
    ("IS", "eea_efta", "1994-01-01", ""),  # EEA Agreement in force 1 January 1994
    ("NO", "eea_efta", "1994-01-01", ""),
    ("LI", "eea_efta", "1995-05-01", ""),  # in force for Liechtenstein 1 May 1995
    ("EU", "union_body", "", ""),
    ("GB", "eu_member", "1973-01-01", "2020-01-31"),  # left 31 January 2020, 23:00 GMT
    ("GB", "withdrawal_transition", "2020-02-01", "2020-12-31"),  # Withdrawal Agreement
    ("GB", "tca_bridge", "2021-01-01", "2021-06-27"),  # TCA Art. FINPROV.10A
]


def _iso(value: object) -> str:
    """A table's date as ISO text; an open end (NaT) as ""."""
    return value.date().isoformat() if isinstance(value, pd.Timestamp) else ""


def _judge(origin: str, destination: str, on: date, flags: dict[str, bool]) -> str:
    """transfer_status with the recipient flags a row asks for (empty: none)."""
    return transfer_status(
        origin,
        destination,
        on,
        dpf_certified=flags.get("dpf_certified", False),
        uk_extension=flags.get("uk_extension", False),
    )


def test_the_adequacy_rows_written_out_by_hand() -> None:
    table = adequacy_table()
    got = sorted(
        (r.regime, r.country, r.condition, _iso(r.in_force_from), _iso(r.in_force_to))
        for r in table.itertuples()
    )
    assert got == sorted(EXPECTED_EU_ADEQUACY + EXPECTED_UK_ADEQUACY)


def test_the_adequacy_rows_per_regime() -> None:
    assert len(EXPECTED_EU_ADEQUACY) == 20 and len(EXPECTED_UK_ADEQUACY) == 46
    assert adequacy_table()["regime"].value_counts().to_dict() == {"UK": 46, "EU": 20}
    eu_destinations = set(adequacy_table().query("regime == 'EU'")["country"])
    assert len(eu_destinations) == 17  # GB has three rows, US two


def test_the_area_rows_written_out_by_hand() -> None:
    got = sorted((r["country"], r["status"], r["member_from"], r["member_to"]) for r in AREA)
    assert got == sorted(EXPECTED_AREA)
    statuses = pd.Series([r["status"] for r in AREA]).value_counts().to_dict()
    assert statuses == {
        "eu_member": 28,  # the 27 and the UK until it left
        "eea_efta": 3,
        "union_body": 1,
        "withdrawal_transition": 1,
        "tca_bridge": 1,
    }


# Accession: (destination, the day before, the day of accession); exporter Germany, a
# founding Member State. The day before, the destination was a third country.
ACCESSIONS = [
    ("DK", date(1972, 12, 31), date(1973, 1, 1)),  # 1972 Treaty of Accession
    ("IE", date(1972, 12, 31), date(1973, 1, 1)),
    ("GB", date(1972, 12, 31), date(1973, 1, 1)),
    ("GR", date(1980, 12, 31), date(1981, 1, 1)),  # 1979 Treaty of Accession
    ("ES", date(1985, 12, 31), date(1986, 1, 1)),  # 1985 Act of Accession
    ("PT", date(1985, 12, 31), date(1986, 1, 1)),
    ("IS", date(1993, 12, 31), date(1994, 1, 1)),  # EEA Agreement
    ("NO", date(1993, 12, 31), date(1994, 1, 1)),
    ("LI", date(1995, 4, 30), date(1995, 5, 1)),
    *((c, date(2004, 4, 30), date(2004, 5, 1)) for c in ("CY", "CZ", "EE", "HU", "LV")),
    *((c, date(2004, 4, 30), date(2004, 5, 1)) for c in ("LT", "MT", "PL", "SK", "SI")),
    ("BG", date(2006, 12, 31), date(2007, 1, 1)),  # 2005 Treaty of Accession
    ("RO", date(2006, 12, 31), date(2007, 1, 1)),
    ("HR", date(2013, 6, 30), date(2013, 7, 1)),  # 2012 Treaty of Accession
]


@pytest.mark.parametrize(("country", "before", "on"), ACCESSIONS, ids=lambda v: str(v))
def test_accession_day_from_a_member_state(country: str, before: date, on: date) -> None:
    assert transfer_status("DE", country, before) == "unsafeguarded"
    assert transfer_status("DE", country, on) == "not_restricted"
    assert transfer_status("DE", country, on + timedelta(days=1)) == "not_restricted"


@pytest.mark.parametrize(("country", "before", "on"), ACCESSIONS, ids=lambda v: str(v))
def test_accession_day_as_an_exporter(country: str, before: date, on: date) -> None:
    with pytest.raises(TransferError, match="no transfer regime applies"):
        transfer_status(country, "DE", before)
    assert transfer_status(country, "DE", on) == "not_restricted"
    assert regime_of(country, on) == "EU"


@pytest.mark.parametrize("country", ["AT", "FI", "SE"])
def test_the_1995_enlargement(country: str) -> None:
    # 1994 Act of Accession, in force 1 January 1995. (They were EEA states in 1994, which
    # eea.csv does not record: no EU transfer rule existed before Directive 95/46/EC.)
    assert transfer_status("DE", country, date(1995, 1, 1)) == "not_restricted"
    assert regime_of(country, date(1995, 1, 1)) == "EU"


@pytest.mark.parametrize("country", ["BE", "FR", "DE", "IT", "LU", "NL"])
def test_the_founding_member_states(country: str) -> None:
    # Treaty of Rome, in force 1 January 1958.
    with pytest.raises(TransferError, match="no transfer regime applies"):
        transfer_status(country, "LV", date(1957, 12, 31))
    assert regime_of(country, date(1958, 1, 1)) == "EU"


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2020, 1, 31), "not_restricted"),  # last day as a Member State
        (date(2020, 2, 1), "not_restricted"),  # transition period (WA Arts. 126-127)
        (date(2020, 12, 31), "not_restricted"),  # last day of the transition period
        (date(2021, 1, 1), "not_restricted"),  # TCA bridge
        (date(2021, 6, 27), "not_restricted"),  # last day of the bridge
        (date(2021, 6, 28), "adequate"),  # Implementing Decision (EU) 2021/1772
    ],
)
def test_the_uk_leaves_the_area(on: date, expected: str) -> None:
    assert transfer_status("DE", "GB", on) == expected


def test_the_uk_as_an_exporter_around_ip_completion_day() -> None:
    assert regime_of("GB", date(2020, 1, 31)) == "EU"  # a Member State
    assert regime_of("GB", date(2020, 12, 31)) == "EU"  # the transition period
    assert regime_of("GB", date(2021, 1, 1)) == "UK"


def test_eea_members_on_the_accession_days() -> None:
    assert len(eea_members(date(2013, 6, 30))) == 28 + 3 - 1  # the UK in, Croatia not yet
    assert "HR" not in eea_members(date(2013, 6, 30))
    assert "HR" in eea_members(date(2013, 7, 1))
    assert len(eea_members(date(2013, 7, 1))) == 31
    assert len(eea_members(date(2020, 2, 1))) == 30
    assert eea_members(date(1995, 4, 30)) >= {"IS", "NO"}
    assert "LI" not in eea_members(date(1995, 4, 30))
    assert "LI" in eea_members(date(1995, 5, 1))


# Each EU adequacy start: (destination, first day, status the day before, recipient flags).
EU_STARTS = [
    ("CH", date(2000, 7, 26), "unsafeguarded", {}),
    ("CA", date(2001, 12, 20), "unsafeguarded", {}),
    ("AR", date(2003, 6, 30), "unsafeguarded", {}),
    ("GG", date(2003, 11, 21), "unsafeguarded", {}),
    ("IM", date(2004, 4, 28), "unsafeguarded", {}),
    ("JE", date(2008, 5, 8), "unsafeguarded", {}),
    ("FO", date(2010, 3, 5), "unsafeguarded", {}),
    ("AD", date(2010, 10, 19), "unsafeguarded", {}),
    ("IL", date(2011, 1, 31), "unsafeguarded", {}),
    ("UY", date(2012, 8, 21), "unsafeguarded", {}),
    ("NZ", date(2012, 12, 19), "unsafeguarded", {}),
    ("US", date(2016, 7, 12), "unsafeguarded", {"dpf_certified": True}),  # Privacy Shield
    ("JP", date(2019, 1, 23), "unsafeguarded", {}),
    ("GB", date(2021, 6, 28), "not_restricted", {}),  # the day before: the TCA bridge
    ("KR", date(2021, 12, 17), "unsafeguarded", {}),
    ("US", date(2023, 7, 10), "unsafeguarded", {"dpf_certified": True}),  # the DPF
    ("GB", date(2025, 6, 28), "adequate", {}),  # the extension follows 2021/1772
    ("EP", date(2025, 7, 15), "unsafeguarded", {}),
    ("GB", date(2025, 12, 28), "adequate", {}),  # the renewal follows the extension
    ("BR", date(2026, 1, 26), "unsafeguarded", {}),
]


@pytest.mark.parametrize(
    ("country", "start", "before", "flags"), EU_STARTS, ids=lambda v: str(v) if v else ""
)
def test_each_eu_adequacy_start(
    country: str, start: date, before: str, flags: dict[str, bool]
) -> None:
    day_before = start - timedelta(days=1)
    assert _judge("DE", country, day_before, flags) == before
    assert _judge("DE", country, start, flags) == "adequate"


def test_the_eu_adequacy_starts_cover_every_eu_row() -> None:
    starts = sorted((c, s.isoformat()) for c, s, _, _ in EU_STARTS)
    assert starts == sorted((r[1], r[3]) for r in EXPECTED_EU_ADEQUACY)


@pytest.mark.parametrize(
    ("country", "last", "flags"),
    [
        ("US", date(2020, 7, 15), {"dpf_certified": True}),  # Schrems II, 16 July 2020
        ("GB", date(2031, 12, 27), {}),  # the renewal's end, as things stand
    ],
)
def test_each_eu_adequacy_end(country: str, last: date, flags: dict[str, bool]) -> None:
    assert _judge("DE", country, last, flags) == "adequate"
    assert _judge("DE", country, last + timedelta(days=1), flags) == "unsafeguarded"


@pytest.mark.parametrize("country", [*SCH_21_EEA, *SCH_21_OTHERS])
def test_the_uk_list_from_its_first_day(country: str) -> None:
    assert transfer_status("GB", country, date(2021, 1, 1)) == "adequate"
    assert transfer_status("GB", country, TODAY) == "adequate"


@pytest.mark.parametrize(
    ("country", "before", "flags"),
    [
        # the day before, a London exporter was still under EU law
        ("LV", "not_restricted", {}),  # the transition period
        ("NO", "not_restricted", {}),
        ("EU", "not_restricted", {}),
        ("JP", "adequate", {}),  # the EU decision (EU) 2019/419
        ("CH", "adequate", {}),
        ("FO", "adequate", {}),
    ],
)
def test_the_uk_list_the_day_before(country: str, before: str, flags: dict[str, bool]) -> None:
    assert _judge("GB", country, date(2020, 12, 31), flags) == before


@pytest.mark.parametrize(
    ("country", "start", "flags"),
    [
        ("KR", date(2022, 12, 19), {}),  # SI 2022/1213
        ("US", date(2023, 10, 12), {"dpf_certified": True, "uk_extension": True}),  # SI 2023/1028
    ],
)
def test_each_later_uk_adequacy_start(country: str, start: date, flags: dict[str, bool]) -> None:
    assert _judge("GB", country, start - timedelta(days=1), flags) == "unsafeguarded"
    assert _judge("GB", country, start, flags) == "adequate"
