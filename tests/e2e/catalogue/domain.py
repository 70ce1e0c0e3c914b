"""Catalogue cases: see the package docstring."""

from __future__ import annotations

from tests.e2e.catalogue import Case, cell

CASES: list[Case] = []

CASES += [
    Case(
        "failing_site_country_not_two_letters",
        cell("sites.csv", 2, "country", "G1"),
        "sites.csv",
        2,
        "country",
        parquet="sites",
    ),
]
