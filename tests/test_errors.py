"""The reason codes: one table in errors.py, and every code the package writes is in it."""

from __future__ import annotations

import ast
from pathlib import Path

from juro_privacy.errors import REASONS, Problem
from juro_privacy.workbook.schemas import TABLES

PACKAGE = Path(__file__).resolve().parents[1] / "juro_privacy"
#: Functions whose second argument is a reason code: Problem itself and the small
#: helpers that build one (config's and dpia_yaml's ``bad``, validate's ``located``).
BUILDERS = {"Problem", "bad", "located"}


def written_codes() -> dict[str, str]:
    """Every reason code the package writes as a literal, with where it is written."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            code = node.args[1] if name in BUILDERS and len(node.args) > 1 else None
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                found.setdefault(code.value, f"{path.relative_to(PACKAGE)}:{node.lineno}")
            if name == "Check":  # pandera checks: their name is the reason
                for kw in node.keywords:
                    if kw.arg == "name" and isinstance(kw.value, ast.Constant):
                        found.setdefault(str(kw.value.value), f"{path.name}:{node.lineno}")
    for table in TABLES:
        for order in table.orders:
            found.setdefault(order.reason, f"schemas.py: {table.name}")
    return found


def test_every_reason_the_package_writes_is_in_the_table():
    unknown = {c: where for c, where in written_codes().items() if c not in REASONS}
    assert not unknown, f"add these to errors.REASONS: {unknown}"


def test_the_scan_finds_the_codes_it_should():
    codes = written_codes()
    # One of each way a code is written: a Problem, a helper, a pandera check, an Order.
    assert {"missing_file", "unknown_setting", "not_a_date", "ended_before_started"} <= set(codes)
    assert "unreachable_engine" in codes and "unjudgeable_accounts" in codes


def test_every_code_in_the_table_is_written_somewhere():
    stale = set(REASONS) - set(written_codes()) - {"not_nullable", "field_uniqueness"}
    assert not stale, f"reason codes nobody writes: {stale}"


def test_a_problem_prints_its_reason():
    assert str(Problem("a.csv", "not_a_date", "'x' is not a date", 3, "d")).endswith("[not_a_date]")
