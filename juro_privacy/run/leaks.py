"""The leak scan: no identifier value from the inputs may appear in a shareable report.

At the end of every run, before the finished folder replaces the previous one, every
file of the shareable folder is read, with no exception (the audit trail is kept in
another folder, ``staging.py``): HTML, the text of each PDF (through ``pdftotext``), CSV,
the cells and parts of each XLSX, JSON, plain text, ``manifest.json`` included. A file
the scan cannot read (a PDF without ``pdftotext``, a damaged workbook, a type it does
not know) fails the scan (:class:`~juro_privacy.errors.LeakScanError`): what was not read
is never reported as free of identifiers. Each text is cut into candidate tokens (runs
of letters, digits and ``_ . @ + % -``, each also without the punctuation at its ends,
so that an id ending a sentence, ``REQ-00001.``, is found). The
values of every identifier column of the data contract (``Col.identifier``) are then
looked up among those tokens with a hash lookup (pyarrow ``is_in``): the cost is one
pass over each identifier column, whatever the size of the reports, so 10 million
account ids take well under a second. An identifier with a character outside the
token alphabet (a space, a letter with an accent) is searched for as a substring.

Identifier values shorter than :data:`MIN_LENGTH` characters are not looked for: a
subject id ``7`` would match every count of 7; a value of exactly four characters is.
Values are looked up without the whitespace around them.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from juro_privacy.errors import Leak, LeakError, LeakScanError, RunError
from juro_privacy.run.render import plotly_js
from juro_privacy.workbook.load import Workbook
from juro_privacy.workbook.schemas import identifier_columns

MIN_LENGTH = 4
#: The kinds of file the scan reads; any other file in the shareable folder fails it.
SHAREABLE_SUFFIXES = (".html", ".pdf", ".csv", ".xlsx", ".json", ".txt", ".md")
#: The parts of an XLSX (a zip) that hold its text; any other part fails the scan.
XLSX_TEXT_PARTS = (".xml", ".rels", ".vml")
TOKEN = re.compile(r"[A-Za-z0-9_.@+%-]+")
_TOKEN_ARROW = r"^[A-Za-z0-9_.@+%-]+$"
_EDGE = "._@+%-"
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


@dataclass(frozen=True)
class ScanResult:
    """What a scan read: each file (its path in the folder), the identifier columns
    looked up and the number of distinct values."""

    files: tuple[str, ...]
    columns: tuple[str, ...]
    values: int


def find_pdftotext() -> str | None:
    """The ``pdftotext`` (poppler-utils) that reads the PDFs' text, or ``None``."""
    return shutil.which("pdftotext")


def shareable_files(folder: Path) -> list[Path]:
    """Every file of a shareable report folder, at any depth, whatever its name or kind:
    all of it may leave the DPO's desk, so the scan reads all of it."""
    return sorted(p for p in folder.rglob("*") if p.is_symlink() or not p.is_dir())


def file_text(path: Path, pdftotext: str | None) -> str:
    """The text a reader of ``path`` can see; :class:`LeakScanError` when it cannot be
    read (a PDF without ``pdftotext`` or without text, a damaged XLSX, a file of a kind
    the scan does not read, a file that is not a regular file)."""
    suffix = path.suffix.lower()
    if not path.is_file() or path.is_symlink():
        raise LeakScanError(path.name, "not a regular file")
    if suffix not in SHAREABLE_SUFFIXES:
        raise LeakScanError(path.name, f"the scan reads {', '.join(SHAREABLE_SUFFIXES)} files")
    try:
        if suffix == ".pdf":
            return _pdf_text(path, pdftotext)
        if suffix == ".xlsx":
            return _xlsx_text(path)
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise LeakScanError(path.name, exc.strerror or type(exc).__name__) from exc
    if suffix == ".html":
        text = _without_libraries(text)
        text = html.unescape(text)
    if suffix in (".html", ".json"):
        # a value written inside a JSON string may have its characters escaped
        text += "\n" + _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def _pdf_text(path: Path, pdftotext: str | None) -> str:
    """The text of a PDF, as ``pdftotext`` extracts it; a PDF it cannot read, or in
    which it finds no text at all (its words drawn as shapes), fails the scan."""
    if pdftotext is None:
        raise LeakScanError(path.name, "pdftotext not found: apt-get install poppler-utils")
    try:
        proc = subprocess.run(
            [pdftotext, "-q", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise LeakScanError(path.name, "pdftotext took over 120 s") from exc
    if proc.returncode != 0:
        raise LeakScanError(path.name, f"pdftotext failed with exit code {proc.returncode}")
    text = proc.stdout.decode("utf-8", errors="replace")
    if not text.strip():
        raise LeakScanError(path.name, "pdftotext found no text in it")
    return text


def _xlsx_text(path: Path) -> str:
    """The text of every part of an XLSX (cells, shared strings, sheet names, links)."""
    try:
        with zipfile.ZipFile(path) as z:
            parts = []
            for name in z.namelist():
                if name.endswith("/"):
                    continue
                if not name.lower().endswith(XLSX_TEXT_PARTS):
                    raise LeakScanError(path.name, f"its part {name} is not text")
                parts.append(z.read(name).decode("utf-8", "replace"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise LeakScanError(path.name, f"not a readable XLSX: {exc}") from exc
    return html.unescape("\n".join(parts))


def _without_libraries(page: str) -> str:
    """A page without the JavaScript libraries it embeds (fixed code, not data)."""
    return page.replace(plotly_js(), "")


def tokens(text: str) -> set[str]:
    """Candidate tokens of ``text``, each also without punctuation at its ends."""
    found = set(TOKEN.findall(text))
    return found | {t.strip(_EDGE) for t in found}


def identifier_arrays(wb: Workbook) -> Iterator[tuple[str, pa.Array]]:
    """Per identifier column (``"table.column"``), its distinct values as strings.

    Tables loaded by the loader are read from their frames; a lazy table (``accounts``,
    possibly millions of rows) has only its identifier columns read from its file.
    """
    for table, columns in identifier_columns().items():
        frame = wb.tables.get(table)
        if frame is not None:
            for column in columns:
                values = frame[column].dropna().astype(str).unique().tolist()
                yield f"{table}.{column}", pa.array(values, type=pa.string())
        elif table in wb.files:
            read = _read_columns(wb.files[table], columns)
            for column in columns:
                yield f"{table}.{column}", pc.unique(read[column].drop_null())


def _read_columns(path: Path, columns: list[str]) -> dict[str, pa.Array]:
    try:
        if path.suffix == ".csv":
            import pyarrow.csv as pcsv

            table = pcsv.read_csv(
                path,
                read_options=pcsv.ReadOptions(use_threads=True),
                convert_options=pcsv.ConvertOptions(
                    include_columns=columns, column_types={c: pa.string() for c in columns}
                ),
            )
        else:
            import pyarrow.dataset as ds

            table = ds.dataset(path, format="parquet").to_table(columns=columns)
    except (OSError, pa.ArrowException) as exc:
        raise RunError(f"the leak scan could not read {path.name}: {exc}") from exc
    return {c: table[c].combine_chunks().cast(pa.string()) for c in columns}


def find_leaks(texts: dict[str, str], identifiers: Iterable[tuple[str, pa.Array]]) -> list[Leak]:
    """Every identifier value that appears in one of ``texts`` (file name to text)."""
    by_token: dict[str, set[str]] = {}
    for name, text in texts.items():
        for token in tokens(text):
            if len(token) >= MIN_LENGTH:
                by_token.setdefault(token, set()).add(name)
    token_set = pa.array(sorted(by_token), type=pa.string())
    leaks: list[Leak] = []
    for column, raw in identifiers:
        values = pc.utf8_trim_whitespace(raw)
        values = values.filter(pc.greater_equal(pc.utf8_length(values), MIN_LENGTH))
        if len(values) == 0:
            continue
        for value in values.filter(pc.is_in(values, value_set=token_set)).to_pylist():
            leaks += [Leak(f, column, value) for f in sorted(by_token[value])]
        plain = pc.match_substring_regex(values, _TOKEN_ARROW)
        for value in values.filter(pc.invert(plain)).to_pylist():
            leaks += [Leak(f, column, value) for f, text in texts.items() if value in text]
    return sorted(set(leaks), key=lambda x: (x.file, x.column, x.value))


def scan_folder(wb: Workbook, folder: Path, *, pdftotext: str | None) -> ScanResult:
    """Read every file of the shareable ``folder`` (PDFs with ``pdftotext``; ``None``:
    not installed); raise :class:`LeakError` on any leak, :class:`LeakScanError` on a
    file that cannot be read. Returns what was scanned."""
    texts: dict[str, str] = {}
    for path in shareable_files(folder):
        name = path.relative_to(folder).as_posix()
        try:
            texts[name] = file_text(path, pdftotext)
        except LeakScanError as exc:
            raise LeakScanError(name, exc.reason) from exc
    columns: list[str] = []
    count = 0

    def counted() -> Iterator[tuple[str, pa.Array]]:
        nonlocal count
        for column, values in identifier_arrays(wb):
            columns.append(column)
            count += len(values)
            yield column, values

    leaks = find_leaks(texts, counted())
    if leaks:
        raise LeakError(leaks)
    return ScanResult(tuple(texts), tuple(columns), count)
