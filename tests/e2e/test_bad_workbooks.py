"""The bad-workbook catalogue (issue 18), through ``validate`` and ``run``.

Every case of ``tests/e2e/catalogue`` must be refused by ``juro-privacy validate`` and
``juro-privacy run`` alike: exit code 2, one problem line, naming the case's file, row
and column, no traceback, and for ``run`` the previous report folder byte for byte
intact. Cases with a Parquet variant run again with their table as Parquet.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from juro_privacy.cli import main
from tests.e2e.catalogue import Case, accounts, as_parquet, domain, files, notebooks

CASES: list[Case] = [*domain.CASES, *files.CASES, *accounts.CASES, *notebooks.CASES]


def _variants() -> list[object]:
    out: list[object] = []
    for case in CASES:
        out.append(pytest.param(case, False, id=case.name))
        if case.parquet:
            out.append(pytest.param(case, True, id=f"{case.name}-parquet"))
    return out


def _planted(case: Case, root: Path, parquet: bool) -> tuple[str, int | None]:
    """Plant the fault; the file and row the refusal must name."""
    case.fault(root)
    if not parquet:
        return case.file, case.row
    assert case.parquet is not None
    as_parquet(root, case.parquet)
    file = case.file.replace(".csv", ".parquet")
    return file, None if case.row is None else case.row - 1


def _problem_lines(output: str) -> list[str]:
    """The problem lines of a refusal: the indented lines of a WorkbookError, or the
    one ``error:`` line of any other error."""
    lines = output.splitlines()
    listed = [line.strip() for line in lines if line.startswith("  ")]
    return listed or [line.removeprefix("error: ") for line in lines if line.startswith("error:")]


def _check_refusal(case: Case, output: str, exit_code: int, file: str, row: int | None) -> None:
    assert exit_code == 2, output
    assert "Traceback" not in output
    problems = _problem_lines(output)
    assert len(problems) == 1, output
    line = problems[0]
    assert line.startswith(file), output
    if row is not None:
        assert f"row {row}" in line, output
    if case.column is not None:
        assert f"column '{case.column}'" in line, output
    for text in case.says:
        assert text in line, output
    for text in case.never:
        assert text not in output, output


def test_the_catalogue_has_unique_names():
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    assert all(name.startswith("failing_") for name in names)


@pytest.mark.parametrize(("case", "parquet"), _variants())
def test_validate_refuses(workbook_copy: Path, case: Case, parquet: bool) -> None:
    file, row = _planted(case, workbook_copy, parquet)
    result = CliRunner().invoke(main, ["validate", str(workbook_copy)])
    _check_refusal(case, result.output, result.exit_code, file, row)


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize(("case", "parquet"), _variants())
def test_run_refuses_and_keeps_the_previous_report(
    workbook_copy: Path, tmp_path: Path, case: Case, parquet: bool
) -> None:
    file, row = _planted(case, workbook_copy, parquet)
    out = tmp_path / "reports"
    (out / "2026-Q3").mkdir(parents=True)
    (out / "2026-Q3" / "index.html").write_text("<p>the report filed last time</p>\n")
    before = _tree(out)
    result = CliRunner().invoke(
        main, ["run", "--data", str(workbook_copy), "--out", str(out), "--no-pdf"]
    )
    _check_refusal(case, result.output, result.exit_code, file, row)
    assert _tree(out) == before
    assert [p.name for p in out.iterdir()] == ["2026-Q3"]
