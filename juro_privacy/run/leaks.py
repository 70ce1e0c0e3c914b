"""The leak scan: no identifier value from the inputs may appear in a shareable report.

At the end of every run, before the finished folder replaces the previous one, every
file of the shareable folder is read, with no exception (the audit trail is kept in
another folder, ``staging.py``): HTML, the text of each PDF (through ``pdftotext``), CSV,
the cells and parts of each XLSX, JSON, plain text, ``manifest.json`` included. A file
the scan cannot read (a PDF without ``pdftotext``, a damaged workbook, a type it does
not know) fails the scan (:class:`~juro_privacy.errors.LeakScanError`): what was not read
is never reported as free of identifiers. Each text is cut into candidate tokens (runs
of letters, digits and ``_ . @ + % -``, each also without the punctuation at its ends,
so that an id ending a sentence, ``REQ-00001.``, is found). The values of every
identifier column of the data contract (``Col.identifier``) are then looked up among
those tokens, in two ways that give the same answer:

- the small tables, loaded as frames, with a hash lookup (pyarrow ``is_in``);
- a table read lazily (``accounts``: a file, a folder of Parquet, or the ``--engine``
  warehouse, at any size) where it lies: the tokens, a few thousand, are sent to the
  engine as a table and joined with the identifier column in one pass, so that only
  the values found come back. The identifier values never enter Python, and the scan's
  memory does not grow with the number of accounts (``benchmarks/leaks.py``).

An identifier with a character outside the token alphabet (a space, a letter with an
accent) is searched for as a substring; a lazy table's such values are streamed in
batches.

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

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from juro_privacy.errors import Leak, LeakError, LeakScanError, RetentionError, RunError
from juro_privacy.rules.retention.source import connect_engine, limit_memory
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
_OUTSIDE_TOKEN = r"[^A-Za-z0-9_.@+%-]"  # one character outside the token alphabet
_EDGE = "._@+%-"
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
#: Values streamed per batch from a lazy table (those searched as substrings).
BATCH_ROWS = 65_536


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


def token_index(texts: dict[str, str]) -> dict[str, set[str]]:
    """Every candidate token of ``texts`` (file name to text) long enough to be looked
    up, with the files it is in."""
    by_token: dict[str, set[str]] = {}
    for name, text in texts.items():
        for token in tokens(text):
            if len(token) >= MIN_LENGTH:
                by_token.setdefault(token, set()).add(name)
    return by_token


def find_leaks(
    texts: dict[str, str],
    identifiers: Iterable[tuple[str, pa.Array]],
    by_token: dict[str, set[str]] | None = None,
) -> list[Leak]:
    """Every identifier value that appears in one of ``texts`` (file name to text);
    ``by_token``: their :func:`token_index`, when already made."""
    by_token = token_index(texts) if by_token is None else by_token
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
        leaks += _substring_leaks(texts, column, values.filter(pc.invert(plain)).to_pylist())
    return sorted(set(leaks), key=lambda x: (x.file, x.column, x.value))


def _substring_leaks(texts: dict[str, str], column: str, values: Iterable[str]) -> list[Leak]:
    """The values (outside the token alphabet) found in a text as substrings."""
    return [Leak(f, column, v) for v in values for f, text in texts.items() if v in text]


def lazy_table(path: Path) -> ir.Table:
    """A lazily read table's file (``.csv``, ``.parquet``, or a folder of Parquet files)
    as an Ibis table of a new in-memory DuckDB held to ``source.DUCKDB_MEMORY``; CSV
    columns as text, as the workbook's values are written."""
    con = ibis.duckdb.connect()
    limit_memory(con)
    con.raw_sql("SET enable_progress_bar = false")
    try:
        if path.is_dir():
            return con.read_parquet(f"{path}/**/*.parquet", union_by_name=True)
        if path.suffix.lower() == ".csv":
            return con.read_csv(path, all_varchar=True)
        return con.read_parquet(path)
    except Exception as exc:  # duckdb's IOException, InvalidInputException...
        raise RunError(f"the leak scan could not read {path.name}: {exc}") from exc


def lazy_leaks(
    texts: dict[str, str], by_token: dict[str, set[str]], column: str, table: ir.Table
) -> tuple[list[Leak], int]:
    """The leaks of one identifier column of a lazy ``table`` (``column`` is
    ``"table.column"``) and the number of its values, looked up in the engine: the
    tokens go to it as a table, joined to the ids in one pass that brings back only the
    values found and two counts, and the
    values outside the token alphabet are streamed in batches of :data:`BATCH_ROWS`
    (a second pass, only when there are some)."""
    name = column.split(".", 1)[1]
    try:
        values = table.select(v=table[name].cast("string").strip())
        tokens_table = ibis.memtable(pa.table({"token": pa.array(sorted(by_token), pa.string())}))
        # One pass over the ids: the tokens (a small table) joined to them, counting the
        # values and those to search for as substrings, collecting the tokens matched.
        joined = values.left_join(tokens_table, values.v == tokens_table.token)
        is_odd = (joined.v.length() >= MIN_LENGTH) & joined.v.re_search(_OUTSIDE_TOKEN)
        counts = joined.aggregate(
            n=joined.v.count(),
            odd=is_odd.cast("int64").sum(),
            found=joined.token.collect(distinct=True),
        ).to_pyarrow()
        total = counts["n"][0].as_py()
        leaks = [
            Leak(f, column, v)
            for v in sorted(counts["found"][0].as_py() or [])
            for f in sorted(by_token[v])
        ]
        if (counts["odd"][0].as_py() or 0) > 0:
            long = values.filter(values.v.length() >= MIN_LENGTH)
            for batch in _batches(long.filter(long.v.re_search(_OUTSIDE_TOKEN)).select("v")):
                leaks += _substring_leaks(texts, column, set(batch.column(0).to_pylist()))
    except (RunError, LeakScanError):
        raise
    except Exception as exc:  # the engine's own errors: a missing column, a lost connection
        raise RunError(f"the leak scan could not read {column}: {exc}") from exc
    return leaks, int(total or 0)


def _batches(expr: ir.Table) -> Iterator[pa.RecordBatch]:
    """``expr``'s rows in record batches of :data:`BATCH_ROWS`. On DuckDB through its own
    Arrow reader: Ibis 12's ``to_pyarrow_batches`` calls ``fetch_record_batch``, which
    DuckDB 2 no longer has."""
    backend = ibis.get_backend(expr)
    if backend.name == "duckdb":
        cursor = backend.con.execute(ibis.to_sql(expr, dialect="duckdb"))
        yield from cursor.to_arrow_reader(BATCH_ROWS)
    else:
        yield from expr.to_pyarrow_batches(chunk_size=BATCH_ROWS)


def lazy_tables(wb: Workbook, engine: str = "") -> Iterator[tuple[str, list[str], ir.Table]]:
    """The identifier columns of the tables not loaded as frames, each table where it
    lies: ``accounts`` behind ``engine`` when one is given (the table the reports were
    computed from), otherwise the workbook's file."""
    for table, columns in identifier_columns().items():
        if table in wb.tables:
            continue
        if table == "accounts" and engine:
            try:
                yield table, columns, connect_engine(engine)
            except RetentionError as exc:
                raise RunError(f"the leak scan could not open the engine: {exc}") from exc
        elif table in wb.files:
            yield table, columns, lazy_table(wb.files[table])


def scan_folder(
    wb: Workbook, folder: Path, *, pdftotext: str | None, engine: str = ""
) -> ScanResult:
    """Read every file of the shareable ``folder`` (PDFs with ``pdftotext``; ``None``:
    not installed); raise :class:`LeakError` on any leak, :class:`LeakScanError` on a
    file that cannot be read. ``engine``: the Ibis URL the accounts were read from
    (``--engine``), where their ids are looked up. Returns what was scanned."""
    texts: dict[str, str] = {}
    for path in shareable_files(folder):
        name = path.relative_to(folder).as_posix()
        try:
            texts[name] = file_text(path, pdftotext)
        except LeakScanError as exc:
            raise LeakScanError(name, exc.reason) from exc
    by_token = token_index(texts)
    lazy = {table: source for table, _, source in lazy_tables(wb, engine)}
    columns: list[str] = []
    count = 0
    leaks: list[Leak] = []
    for table, names in identifier_columns().items():
        for name in names:
            column = f"{table}.{name}"
            if table in wb.tables:
                values = wb.tables[table][name].dropna().astype(str).unique().tolist()
                leaks += find_leaks(texts, [(column, pa.array(values, pa.string()))], by_token)
                n = len(values)
            elif table in lazy:
                found, n = lazy_leaks(texts, by_token, column, lazy[table])
                leaks += found
            else:
                continue
            columns.append(column)
            count += n
    if leaks:
        raise LeakError(sorted(set(leaks), key=lambda x: (x.file, x.column, x.value)))
    return ScanResult(tuple(texts), tuple(columns), count)
