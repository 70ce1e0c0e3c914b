"""One exception hierarchy for the whole package.

Modelled on papermill's ``exceptions.py`` and pandera's ``SchemaErrors``: a base
error, subclasses that carry structured fields and format their own one-line
message, and a list of problems that travels as one error.

Each error carries an ``exit_code`` the CLI maps to the process exit status:
2 for bad input (the user can fix the workbook or the arguments), 1 for anything
else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class JuroPrivacyError(Exception):
    """Base class of every error the package raises on purpose."""

    exit_code: int = 1


class InputError(JuroPrivacyError):
    """Bad input: a workbook, an argument or a value the user can correct (exit 2)."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One fault found in a workbook: where it is and why it is wrong.

    ``row`` is the 1-based line number in the file as a spreadsheet shows it
    (the header is line 1, the first record line 2), or ``None`` when the
    fault concerns the whole file or column.
    """

    file: str
    reason: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message} [{self.reason}]"


#: Every reason code a :class:`Problem` may carry, with what it means: one table, listed
#: in docs/data-contract.md (``juro-privacy contract``) and checked by tests/test_errors.py
#: against every code the package writes.
REASONS: dict[str, str] = {
    # the folder and its files
    "not_a_folder": "the workbook path is not a folder",
    "missing_file": "a required table or workbook.yaml is missing",
    "ambiguous_table": "a table is given twice (CSV and Parquet, or a folder)",
    "too_large": "a small table is larger than a workbook table can be",
    "not_a_file": "a table is a folder (only accounts may be one) or not a regular file",
    "outside_workbook": "a table is a symbolic link leading out of the workbook folder",
    "empty_file": "a file is empty: a CSV file has no header row",
    "wrong_encoding": "a file is not UTF-8",
    "not_text": "a CSV file holds binary data (NUL bytes), or ends in them (cut short)",
    "bad_csv": "a CSV file cannot be parsed (a quote never closed)",
    "bad_parquet": "a Parquet file cannot be read, or holds a date beyond the year 9999",
    "bad_yaml": "a YAML file is not valid YAML",
    "unreadable": "a file cannot be read by its reader",
    "ragged_row": "a CSV row has more or fewer fields than the header",
    # columns and cells
    "missing_column": "a required column is missing",
    "duplicate_column": "a header names a column twice",
    "empty_table": "a table needs at least one row",
    "not_nullable": "a required cell is empty",
    "field_uniqueness": "a value that must be unique repeats an earlier row",
    "not_a_whole_number": "a cell is not a whole number",
    "not_a_number": "a cell is not a number",
    "not_true_or_false": "a cell or setting is not true or false",
    "not_a_date": "a cell or setting is not a date (YYYY-MM-DD)",
    "not_a_timestamp": "a cell is not an ISO timestamp",
    "not_a_country_code": "a cell is not a two-letter country code",
    # values the types admit but the domain does not (docs/data-contract.md, Domain rules)
    "below_minimum": "a number is below the least its column allows (a negative count)",
    "above_maximum": "a number is above the most its column or setting allows (a retention "
    "period over 1,200 months, a forwarding target over 260 working days)",
    "outside_calendar": "a request's date is outside the years the deadline rules date "
    "(1900-2199) on its office's calendar",
    "year_out_of_range": "a date's year is outside workbook.yaml's earliest_year..latest_year",
    "unknown_country": "a two-letter code is not an ISO 3166-1 country (XX, or UK for GB)",
    "ambiguous_time": "a time without an offset falls in the hour repeated when clocks go back",
    "unknown_value": "a value is not one the contract allows",
    "unknown_metric": "a claim or risk cites a metric no topic publishes",
    "unknown_reference": "a value does not exist in the table it refers to",
    "missing_value": "a value needed with another one is missing",
    # rules between cells
    "ended_before_started": "an activity ends before it starts",
    "verified_before_received": "a request is verified before it was received",
    "fee_paid_before_received": "a request's fee is paid before it was received",
    "clarification_before_received": "clarification is asked before the request was received",
    "clarification_answered_before_asked": "clarification arrives before it was asked for",
    "completed_before_received": "a request is completed before it was received",
    "forwarded_before_received": "a request is passed on before it was received",
    "aware_before_discovered": "a breach is known of before it was discovered",
    "notified_before_aware": "a breach is notified before the organisation was aware of it",
    "contained_before_discovered": "a breach is contained before it was discovered",
    "told_before_discovered": "people are told of a breach before it was discovered",
    "processor_told_before_discovered": "a processor reports a breach before it was discovered",
    "acknowledged_before_received": "a complaint is acknowledged before it was received",
    "outcome_before_received": "a complaint's outcome is told before it was received",
    "not_on_scale": "a risk's likelihood or severity is not on the workbook's scale",
    "unjudgeable_accounts": "accounts the retention rule cannot judge (dates out of order, "
    "bad overrides)",
    # workbook.yaml and dpia.yaml
    "not_a_mapping": "a YAML file or key is not a mapping",
    "not_a_list": "a YAML key is not a list",
    "unknown_setting": "workbook.yaml has a setting the tool does not know",
    "missing_setting": "workbook.yaml lacks a required setting",
    "not_a_count": "a setting is not a whole number >= 0",
    "not_a_text_setting": "a setting that holds text (a contact) is a number, list or mapping",
    "unknown_timezone": "a time zone is not an IANA zone",
    "bad_year_range": "earliest_year and latest_year do not make a range of years",
    "bad_period": "a period is not a quarter (2026-Q3) or a year (2026)",
    "unknown_key": "dpia.yaml has a key the tool does not know",
    "missing_text": "dpia.yaml lacks a text it needs",
    "missing_list": "dpia.yaml lacks the activities it covers",
    "missing_key": "a dpia.yaml consultation entry lacks a key",
    "missing_mapping": "dpia.yaml lacks its sign-off mapping",
    # beyond the workbook
    "unreachable_engine": "the --engine URL or its accounts table cannot be opened",
}


class WorkbookError(InputError):
    """Every problem found while loading a workbook, gathered into one error."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self._format())

    def _format(self) -> str:
        n = len(self.problems)
        head = f"the workbook has {n} problem{'s' if n != 1 else ''}:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class PeriodError(InputError):
    """A reporting period that does not parse (``2026-Q3`` or ``2026`` expected)."""


class DeadlineError(InputError):
    """Dates given to the deadline engine that cannot be judged."""


class TransferError(InputError):
    """A country, regime or transfer mechanism the transfer rules do not know."""


class RetentionError(InputError):
    """Accounts that the retention rule cannot judge, or that break the data contract.

    Where known, ``file``, ``row`` (a CSV's line, the header being row 1; a Parquet
    file's or a frame's 1-based record) and ``column`` say where the fault is, and
    ``reason`` gives its code in :data:`REASONS`; the message is then the text after
    the place, as a :class:`Problem`'s is. A check of a whole table raises one error
    whose ``faults`` hold one such error per kind of fault. No message shows an
    account id: ids are identifiers, and messages reach logs.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        reason: str | None = None,
        faults: Sequence[RetentionError] = (),
    ) -> None:
        self.message = message
        self.file, self.row, self.column, self.reason = file, row, column, reason
        self.faults: tuple[RetentionError, ...] = tuple(faults)
        parts = [file] if file is not None else []
        parts += [f"row {row}"] if row is not None else []
        parts += [f"column '{column}'"] if column is not None else []
        super().__init__(f"{', '.join(parts)}: {message}" if parts else message)


class OutputError(InputError):
    """The report folder cannot be written (not writable, disk full)."""


class RunError(JuroPrivacyError):
    """A quarterly run that could not complete for a reason other than bad input."""


class NotebookError(RunError):
    """A topic notebook failed while papermill executed it."""

    def __init__(
        self,
        notebook: str,
        cell_index: int | None,
        ename: str,
        evalue: str,
    ) -> None:
        self.notebook = notebook
        self.cell_index = cell_index
        self.ename = ename
        self.evalue = evalue
        cell = f" cell {cell_index}" if cell_index is not None else ""
        super().__init__(f"notebook {notebook}{cell} failed: {ename}: {evalue}")


class RenderError(RunError):
    """A report could not be rendered to HTML or PDF."""


@dataclass(frozen=True)
class Leak:
    """One identifier value found in one shareable report file."""

    file: str
    column: str  # "table.column" the value came from
    value: str


class LeakError(RunError):
    """A shareable report shows an identifier value from the inputs: nothing is written.

    The message names each file and the ``table.column`` the value came from; the
    value itself is masked (the message may end up in a scheduler's log).
    """

    def __init__(self, leaks: Sequence[Leak]) -> None:
        self.leaks: list[Leak] = list(leaks)
        first = self.leaks[0]
        pairs = sorted({(x.file, x.column) for x in self.leaks})
        where = "; ".join(f"{f} shows {c}" for f, c in pairs[:5])
        more = f" and {len(pairs) - 5} more" if len(pairs) > 5 else ""
        n = len({x.value for x in self.leaks})
        super().__init__(
            f"personal identifiers in a shareable report: {where}{more} "
            f"({n} value{'s' if n != 1 else ''}, e.g. {_mask(first.value)}); "
            "the previous report was left in place"
        )


class LeakScanError(RunError):
    """The leak scan could not read a file of the shareable folder: a file it has not
    read cannot be called free of identifiers, so nothing is published."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(
            f"the leak scan could not read {file} ({reason}): nothing was published, "
            "the previous report was left in place"
        )


def _mask(value: str) -> str:
    return value[:3] + "…" if len(value) > 3 else "…"


def first_ids(ids: Sequence[object], limit: int = 5) -> str:
    """Format a count and the first few ids of offending rows for a message."""
    shown = ", ".join(str(i) for i in ids[:limit])
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return f"{len(ids)} row{'s' if len(ids) != 1 else ''} ({shown}{more})"
