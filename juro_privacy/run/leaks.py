"""The leak scan: no identifier value from the inputs may appear in a shareable report.

At the end of every run, before the finished folder replaces the previous one, every
shareable file (HTML, PDF text, CSV, XLSX, JSON; never ``internal/``) is read and its
text cut into candidate tokens (runs of letters, digits and ``_ . @ + % -``). The
values of every identifier column of the data contract (``Col.identifier``) are then
looked up among those tokens with a hash lookup (pyarrow ``is_in``): the cost is one
pass over each identifier column, whatever the size of the reports, so 10 million
account ids take well under a second. An identifier with a character outside the
token alphabet (a space, a letter with an accent) is searched for as a substring.

Identifier values shorter than :data:`MIN_LENGTH` characters are not looked for: a
subject id ``7`` would match every count of 7.
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

from juro_privacy.errors import Leak, LeakError, RunError
from juro_privacy.run.render import plotly_js
from juro_privacy.workbook.load import Workbook
from juro_privacy.workbook.schemas import identifier_columns

MIN_LENGTH = 4
SHAREABLE_SUFFIXES = (".html", ".pdf", ".csv", ".xlsx", ".json", ".txt", ".md")
TOKEN = re.compile(r"[A-Za-z0-9_.@+%-]+")
_TOKEN_ARROW = r"^[A-Za-z0-9_.@+%-]+$"
_EDGE = "._@+%-"
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


@dataclass(frozen=True)
class ScanResult:
    files: tuple[str, ...]
    columns: tuple[str, ...]
    values: int
    notes: tuple[str, ...]


def shareable_files(folder: Path) -> list[Path]:
    """Every file of a report folder that may leave the DPO's desk (not ``internal/``)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and "internal" not in p.relative_to(folder).parts[:-1]
        and p.suffix.lower() in SHAREABLE_SUFFIXES
    )


def file_text(path: Path, pdftotext: str | None) -> str | None:
    """The text a reader of ``path`` can see (``None``: a PDF with no ``pdftotext``)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        if pdftotext is None:
            return None
        proc = subprocess.run(
            [pdftotext, "-q", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            timeout=120,
            check=False,
        )
        if proc.returncode != 0:
            raise RunError(f"the leak scan could not read {path.name} (pdftotext failed)")
        return proc.stdout.decode("utf-8", errors="replace")
    if suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            parts = [
                z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")
            ]
        return html.unescape("\n".join(parts))
    text = path.read_text(encoding="utf-8", errors="replace")
    if suffix == ".html":
        text = _without_libraries(text)
        text = html.unescape(text)
    if suffix in (".html", ".json"):
        # a value written inside a JSON string may have its characters escaped
        text += "\n" + _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


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
    for column, values in identifiers:
        values = values.filter(pc.greater_equal(pc.utf8_length(values), MIN_LENGTH))
        if len(values) == 0:
            continue
        for value in values.filter(pc.is_in(values, value_set=token_set)).to_pylist():
            leaks += [Leak(f, column, value) for f in sorted(by_token[value])]
        plain = pc.match_substring_regex(values, _TOKEN_ARROW)
        for value in values.filter(pc.invert(plain)).to_pylist():
            leaks += [Leak(f, column, value) for f, text in texts.items() if value in text]
    return sorted(set(leaks), key=lambda x: (x.file, x.column, x.value))


def scan_folder(wb: Workbook, folder: Path) -> ScanResult:
    """Read every shareable file of ``folder``; raise :class:`LeakError` on any leak.

    Returns what was scanned, with notes for the manifest (a PDF not read).
    """
    pdftotext = shutil.which("pdftotext")
    notes: list[str] = []
    texts: dict[str, str] = {}
    for path in shareable_files(folder):
        name = str(path.relative_to(folder))
        text = file_text(path, pdftotext)
        if text is None:
            notes.append(
                f"leak scan: {name} was not read "
                "(pdftotext not found: apt-get install poppler-utils)"
            )
            continue
        texts[name] = text
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
    return ScanResult(tuple(texts), tuple(columns), count, tuple(notes))
