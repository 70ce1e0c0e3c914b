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
    """Accounts that the retention rule cannot judge (missing or impossible dates)."""


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


def _mask(value: str) -> str:
    return value[:3] + "…" if len(value) > 3 else "…"


def first_ids(ids: Sequence[object], limit: int = 5) -> str:
    """Format a count and the first few ids of offending rows for a message."""
    shown = ", ".join(str(i) for i in ids[:limit])
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return f"{len(ids)} row{'s' if len(ids) != 1 else ''} ({shown}{more})"
