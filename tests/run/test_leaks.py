"""The leak scan: identifier values planted in every identifier column never reach a
shareable report, and a notebook that shows one fails the run, naming file and column."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import nbformat
import pyarrow as pa
import pytest

from juro_privacy.errors import Leak, LeakError
from juro_privacy.paths import notebooks_dir
from juro_privacy.run.leaks import file_text, find_leaks, shareable_files, tokens
from juro_privacy.run.orchestrate import RunOptions, run_reports
from juro_privacy.workbook.schemas import identifier_columns
from tests.conftest import read_rows, set_cell


def _ids(column: str, *values: str) -> tuple[str, pa.Array]:
    return column, pa.array(list(values), type=pa.string())


def test_a_value_is_found_whatever_punctuation_surrounds_it():
    texts = {
        "a.html": "<td>REQ-00001</td>",
        "b.csv": "x,(anna@example.com).\n",
        "c.json": '{"id": "acc-0000007"}',
    }
    leaks = find_leaks(
        texts,
        [
            _ids("requests.request_id", "REQ-00001", "REQ-00002"),
            _ids("consents.email", "anna@example.com"),
            _ids("accounts.account_id", "acc-0000007"),
        ],
    )
    assert leaks == [
        Leak("a.html", "requests.request_id", "REQ-00001"),
        Leak("b.csv", "consents.email", "anna@example.com"),
        Leak("c.json", "accounts.account_id", "acc-0000007"),
    ]


def test_a_longer_token_is_not_its_prefix_and_short_values_are_not_looked_for():
    texts = {"a.html": "REQ-000011 and a count of 7"}
    assert find_leaks(texts, [_ids("requests.request_id", "REQ-00001", "7")]) == []


def test_a_value_with_spaces_or_accents_is_found_as_a_substring():
    texts = {"a.html": "Seen: Zoë Ådler, twice"}
    leaks = find_leaks(texts, [_ids("people.name", "Zoë Ådler")])
    assert leaks == [Leak("a.html", "people.name", "Zoë Ådler")]


def test_html_entities_and_json_escapes_are_undone(tmp_path):
    page = tmp_path / "a.html"
    page.write_text('<p>anna&#64;example.com</p><script>{"t": "REQ\\u002d00001"}</script>')
    text = file_text(page, None)
    assert text is not None
    assert {"anna@example.com", "REQ-00001"} <= tokens(text)


def test_xlsx_cells_are_read(tmp_path):
    book = tmp_path / "a.xlsx"
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("xl/sharedStrings.xml", "<sst><si><t>acc-0000007</t></si></sst>")
    assert "acc-0000007" in tokens(file_text(book, None) or "")


def test_internal_notebooks_are_not_shareable(tmp_path):
    (tmp_path / "internal").mkdir()
    for name in ("internal/requests.ipynb", "requests.html", "register.csv", "x.png"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in shareable_files(tmp_path)] == ["register.csv", "requests.html"]


def test_leak_error_names_file_and_column_and_masks_the_value():
    err = LeakError([Leak("requests.html", "requests.request_id", "REQ-00001")])
    assert "requests.html shows requests.request_id" in str(err)
    assert "REQ-00001" not in str(err)
    assert err.exit_code == 1


# ---------------------------------------------------------------- end to end (slow)


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.slow
def test_canaries_in_every_identifier_column_never_reach_a_shareable_file(workbook_copy, tmp_path):
    canaries: dict[str, str] = {}
    for table, columns in identifier_columns().items():
        path = workbook_copy / f"{table}.csv"
        rows = read_rows(path)
        for column in columns:
            for row in (2, len(rows)):  # the first and the last record
                value = f"canary-{table[:4]}-{column[:4]}-{row}-7f3a"
                if "email" in column:
                    value += "@example.org"
                set_cell(path, row, column, value)
                canaries[value] = f"{table}.{column}"
    out = tmp_path / "out"
    result = run_reports(RunOptions(data_dir=workbook_copy, out=out, pdf=True))
    folder = result.folder
    shared = shareable_files(folder)
    assert {p.suffix for p in shared} >= {".html", ".pdf", ".csv", ".xlsx", ".json"}
    for path in shared:
        text = file_text(path, shutil.which("pdftotext")) or ""
        found = [c for c in canaries if c in text]
        assert not found, f"{path.name} shows {found[:3]}"
    notes = json.loads((folder / "manifest.json").read_text())["notes"]
    scan = [n for n in notes if n.startswith("leak scan:")]
    assert scan and "none found" in scan[-1]
    assert all(column in scan[-1] for column in set(canaries.values()))


@pytest.mark.slow
def test_a_notebook_that_shows_request_ids_fails_the_run(tmp_path, monkeypatch):
    out = tmp_path / "out"
    previous = out / "2026-Q3"
    previous.mkdir(parents=True)
    (previous / "requests.html").write_text("the report filed last time\n")
    before = _tree(out)

    folder = tmp_path / "notebooks"
    shutil.copytree(notebooks_dir(), folder)
    nb = nbformat.read(folder / "requests.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("wb.requests.request_id.head()", id="planted"))
    nbformat.write(nb, folder / "requests.ipynb")
    monkeypatch.setattr("juro_privacy.run.execute.notebooks_dir", lambda: folder)

    with pytest.raises(LeakError) as info:
        run_reports(RunOptions(period="2026-Q3", out=out, pdf=False, only=("requests",)))
    assert "requests.html shows requests.request_id" in str(info.value)
    assert {(x.file, x.column) for x in info.value.leaks} == {
        ("requests.html", "requests.request_id")
    }
    assert _tree(out) == before
    assert [p.name for p in out.iterdir()] == ["2026-Q3"]  # no staging folder left
