"""The leak scan: identifier values planted in every identifier column never reach a
shareable report, and a notebook that shows one fails the run, naming file and column.
The scan reads every file of the shareable folder, PDFs' text included; a file it cannot
read fails it."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import nbformat
import pandas as pd
import pyarrow as pa
import pytest

from juro_privacy.errors import Leak, LeakError, LeakScanError
from juro_privacy.paths import notebooks_dir
from juro_privacy.run.leaks import (
    file_text,
    find_leaks,
    find_pdftotext,
    scan_folder,
    shareable_files,
    tokens,
)
from juro_privacy.run.orchestrate import RunOptions, run_reports
from juro_privacy.run.render import find_chromium, html_to_pdf
from juro_privacy.workbook.load import Workbook
from juro_privacy.workbook.schemas import identifier_columns
from tests.conftest import read_rows, set_cell

#: Every column the data contract flags ``identifier=True`` (juro_privacy/workbook/
#: schemas.py), written out by hand: a flag removed or added fails a test below.
IDENTIFIER_COLUMNS = {
    "requests": ["request_id", "requester_email"],
    "accounts": ["account_id"],
    "consents": ["subject_id", "email"],
    "marketing_sends": ["subject_id"],
    "breaches": ["breach_id", "description"],  # issue 16
    "complaints": ["complaint_id"],  # issue 16; its request_id is a requests.request_id
}


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


def test_an_id_ending_a_sentence_is_found():
    texts = {"a.html": "<p>Follow up REQ-00001. Then REQ-00002, and (REQ-00003).</p>"}
    leaks = find_leaks(texts, [_ids("requests.request_id", "REQ-00001", "REQ-00002", "REQ-00003")])
    assert leaks == [
        Leak("a.html", "requests.request_id", "REQ-00001"),
        Leak("a.html", "requests.request_id", "REQ-00002"),
        Leak("a.html", "requests.request_id", "REQ-00003"),
    ]
    assert "REQ-00001" in tokens("Follow up REQ-00001.")


def test_an_id_of_exactly_four_characters_is_found_and_of_three_is_not():
    texts = {"a.csv": "subject,S001.\nother,S02\n", "b.html": "<td>S-01</td>"}
    leaks = find_leaks(texts, [_ids("consents.subject_id", "S001", "S-01", "S02")])
    assert leaks == [
        Leak("a.csv", "consents.subject_id", "S001"),
        Leak("b.html", "consents.subject_id", "S-01"),
    ]


def test_an_id_with_whitespace_around_it_in_the_workbook_is_found():
    texts = {"a.html": "<td>REQ-00001</td>"}
    leaks = find_leaks(texts, [_ids("requests.request_id", " REQ-00001 ")])
    assert leaks == [Leak("a.html", "requests.request_id", "REQ-00001")]


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


def test_every_file_of_the_shareable_folder_is_scanned_at_any_depth(tmp_path):
    (tmp_path / "internal").mkdir()
    for name in ("internal/requests.ipynb", "requests.html", "register.csv", "x.png", ".a"):
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in shareable_files(tmp_path)] == [
        ".a",
        "internal/requests.ipynb",
        "register.csv",
        "requests.html",
        "x.png",
    ]


# ------------------------------------------------- the columns looked up, and scan_folder


def test_the_identifier_columns_are_the_ones_written_out_here():
    assert identifier_columns() == IDENTIFIER_COLUMNS


def _workbook(tmp_path: Path) -> Workbook:
    """A workbook with one hand-written value in each identifier column: the small
    tables as frames, ``accounts`` as a file (read lazily, as a large one is)."""
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("account_id,office\nacc-0000042,london\n")
    tables = {
        "requests": pd.DataFrame(
            {
                "request_id": ["REQ-00042"],
                "requester_email": ["anna@example.org"],
                "type": ["xyzzy"],
            }
        ),
        "consents": pd.DataFrame({"subject_id": ["SUB-00042"], "email": ["ben@example.org"]}),
        "marketing_sends": pd.DataFrame({"subject_id": ["SUB-00043"], "campaign": ["plugh"]}),
    }
    return Workbook(tmp_path, None, tables, {"accounts": accounts})  # type: ignore[arg-type]


def test_a_value_of_every_identifier_column_fails_the_scan(tmp_path):
    wb = _workbook(tmp_path)
    folder = tmp_path / "report"
    folder.mkdir()
    (folder / "a.html").write_text(
        "<p>REQ-00042 anna@example.org acc-0000042 SUB-00042 ben@example.org SUB-00043</p>"
        "<p>xyzzy plugh</p>"  # values of columns that are not identifiers
    )
    with pytest.raises(LeakError) as info:
        scan_folder(wb, folder, pdftotext=find_pdftotext())
    assert info.value.leaks == [
        Leak("a.html", "accounts.account_id", "acc-0000042"),
        Leak("a.html", "consents.email", "ben@example.org"),
        Leak("a.html", "consents.subject_id", "SUB-00042"),
        Leak("a.html", "marketing_sends.subject_id", "SUB-00043"),
        Leak("a.html", "requests.request_id", "REQ-00042"),
        Leak("a.html", "requests.requester_email", "anna@example.org"),
    ]


def test_a_clean_folder_passes_and_every_file_is_listed(tmp_path):
    wb = _workbook(tmp_path)
    folder = tmp_path / "report"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.html").write_text("<p>42 requests</p>")
    (folder / "sub" / "b.json").write_text('{"n": 42}')
    result = scan_folder(wb, folder, pdftotext=None)
    assert result.files == ("a.html", "sub/b.json")
    assert result.columns == (
        "requests.request_id",
        "requests.requester_email",
        "accounts.account_id",
        "consents.subject_id",
        "consents.email",
        "marketing_sends.subject_id",
    )
    assert result.values == 6


def _pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` in Helvetica, its cross-reference table exact."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


needs_pdftotext = pytest.mark.skipif(
    find_pdftotext() is None, reason="pdftotext (poppler-utils) is part of the toolchain"
)


@needs_pdftotext
def test_an_id_only_in_a_pdfs_text_fails_the_scan(tmp_path):
    wb = _workbook(tmp_path)
    folder = tmp_path / "report"
    folder.mkdir()
    (folder / "a.html").write_text("<p>nothing to see</p>")
    (folder / "a.pdf").write_bytes(_pdf("Follow up REQ-00042."))
    assert b"REQ-00042" in (folder / "a.pdf").read_bytes()  # as text, not compressed
    with pytest.raises(LeakError) as info:
        scan_folder(wb, folder, pdftotext=find_pdftotext())
    assert info.value.leaks == [Leak("a.pdf", "requests.request_id", "REQ-00042")]


@pytest.mark.slow
@pytest.mark.skipif(find_chromium() is None, reason="Chromium prints the reports")
@needs_pdftotext
def test_an_id_in_a_pdf_printed_by_chromium_fails_the_scan(tmp_path):
    wb = _workbook(tmp_path)
    folder = tmp_path / "report"
    folder.mkdir()
    page = tmp_path / "page.html"
    page.write_text("<html><body><table><tr><td>acc-0000042</td></tr></table></body></html>")
    html_to_pdf(page, folder / "retention.pdf", chromium=find_chromium() or "")
    assert b"acc-0000042" not in (folder / "retention.pdf").read_bytes()  # compressed
    with pytest.raises(LeakError) as info:
        scan_folder(wb, folder, pdftotext=find_pdftotext())
    assert info.value.leaks == [Leak("retention.pdf", "accounts.account_id", "acc-0000042")]


def test_a_pdf_without_pdftotext_fails_the_scan_instead_of_passing(tmp_path):
    wb = _workbook(tmp_path)
    folder = tmp_path / "report"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(_pdf("Follow up REQ-00042."))
    with pytest.raises(LeakScanError) as info:
        scan_folder(wb, folder, pdftotext=None)
    assert str(info.value) == (
        "the leak scan could not read a.pdf (pdftotext not found: apt-get install "
        "poppler-utils): nothing was published, the previous report was left in place"
    )
    assert info.value.exit_code == 1


@needs_pdftotext
@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.pdf", b"%PDF-1.4\nnot really a PDF\n", "pdftotext failed with exit code 1"),
        ("a.pdf", _pdf(""), "pdftotext found no text in it"),
        ("a.xlsx", b"PK\x03\x04 a damaged zip", "not a readable XLSX: File is not a zip file"),
        (
            "chart.png",
            b"\x89PNG\r\n",
            "the scan reads .html, .pdf, .csv, .xlsx, .json, .txt, .md files",
        ),
    ],
    ids=["damaged-pdf", "pdf-without-text", "damaged-xlsx", "unknown-kind"],
)
def test_a_file_the_scan_cannot_read_fails_it(tmp_path, name, data, reason):
    wb = _workbook(tmp_path)
    folder = tmp_path / "report"
    (folder / "sub").mkdir(parents=True)
    (folder / "index.html").write_text("<p>fine</p>")
    (folder / "sub" / name).write_bytes(data)
    with pytest.raises(LeakScanError) as info:
        scan_folder(wb, folder, pdftotext=find_pdftotext())
    assert (info.value.file, info.value.reason) == (f"sub/{name}", reason)


def test_an_xlsx_part_that_is_not_text_fails_the_scan(tmp_path):
    book = tmp_path / "a.xlsx"
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("xl/sharedStrings.xml", "<sst><si><t>fine</t></si></sst>")
        z.writestr("xl/media/image1.png", b"\x89PNG")
    with pytest.raises(LeakScanError, match=r"its part xl/media/image1.png is not text"):
        file_text(book, None)


def test_without_pdftotext_a_run_prints_no_pdf_and_says_why(monkeypatch):
    from juro_privacy.run.orchestrate import _printer

    monkeypatch.setattr("juro_privacy.run.orchestrate.find_chromium", lambda: "/usr/bin/chromium")
    monkeypatch.setattr("juro_privacy.run.orchestrate.find_pdftotext", lambda: None)
    assert _printer(None) == (
        None,
        [
            "pdftotext not found: PDF reports were skipped, as the leak scan could not read "
            "them (apt-get install poppler-utils)"
        ],
    )
    assert _printer(False) == (None, [])


def test_a_link_to_an_xlsx_relationship_is_read(tmp_path):
    book = tmp_path / "a.xlsx"
    with zipfile.ZipFile(book, "w") as z:
        z.writestr(
            "xl/worksheets/_rels/sheet1.xml.rels",
            '<Relationships><Relationship Target="mailto:anna@example.org"/></Relationships>',
        )
    assert "anna@example.org" in tokens(file_text(book, None))


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
    for table, columns in IDENTIFIER_COLUMNS.items():
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
    assert not [p for p in shared if p.suffix == ".ipynb"]  # the audit trail is apart
    for path in shared:
        text = file_text(path, shutil.which("pdftotext"))
        found = [c for c in canaries if c in text]
        assert not found, f"{path.name} shows {found[:3]}"
    notes = json.loads((folder / "manifest.json").read_text())["notes"]
    scan = [n for n in notes if n.startswith("leak scan:")]
    pdfs = len([p for p in shared if p.suffix == ".pdf"])
    assert pdfs == 8  # one per report (breaches and complaints since issue 16)
    # the scan itself read every file of the folder, the manifest and each PDF included
    assert scan == [
        f"leak scan: {len(shared)} shareable file(s), {pdfs} PDF(s) read with pdftotext, "
        "checked against "
        f"{len(canaries) + _distinct_ids(workbook_copy):,} identifier value(s) from "
        "requests.request_id, requests.requester_email, accounts.account_id, "
        "consents.subject_id, consents.email, marketing_sends.subject_id, "
        "breaches.breach_id, breaches.description, complaints.complaint_id: none found"
    ]


def _distinct_ids(workbook: Path) -> int:
    """The distinct values of the identifier columns of ``workbook``, counted with pandas
    (the canaries replaced one value each, so they are counted apart)."""
    total = 0
    for table, columns in IDENTIFIER_COLUMNS.items():
        frame = pd.read_csv(workbook / f"{table}.csv", dtype=str)
        for column in columns:
            values = frame[column].dropna()
            total += values[~values.str.startswith("canary-")].nunique()
    return total


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
