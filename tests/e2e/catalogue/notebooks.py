"""Catalogue cases: see the package docstring."""

from __future__ import annotations

from tests.e2e.catalogue import Case

CASES: list[Case] = []
