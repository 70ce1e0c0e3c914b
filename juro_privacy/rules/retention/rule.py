"""Retention of user accounts: archive 6 months and delete 6 years after last use.

The policy promises to "archive ... within 6 months" of an account's last use and
to "delete ... no later than 6 years" after it (GDPR Art. 5(1)(e), storage
limitation), unless a customer's contract sets another deletion period. This module
judges every account against that promise as of a date, and counts the results.

The rule is written once, as an Ibis expression (``retention_table``), and runs
where the data lives: DuckDB in process for a pandas frame or a Parquet/CSV file,
or any Ibis backend (PySpark, a warehouse) for an Ibis table. Only the small
aggregate of ``summarize_retention`` ever leaves the engine.

The rule, as of a date ``as_of`` (see ``docs/retention.md`` for worked examples):

1. Every timestamp becomes a date in the organisation's time zone (the workbook's
   ``timezone``, default Europe/London) before anything is compared, read as the
   workbook reads every other table (issue #12): a naive timestamp (no UTC offset)
   is local wall time there, so its local date is its calendar date; a date without
   a time is that local date; a timestamp with an offset is an instant, converted
   with the zone's UTC offsets. Whether a value has an offset is read from the
   column's type, or per value in a text column (a CSV file); stated in full in
   ``juro_privacy.rules.retention.zone_offsets``.
2. A due date is the last-use date plus N calendar months; when that month has no
   such day, its last day (last used 31 August: archive due 28 February, or 29 in
   a leap year). N is 6 for archiving, and for deletion 72 or the account's
   ``delete_after_months`` override.
3. An action dated after ``as_of`` has not happened yet as of ``as_of``.
4. Deleting satisfies archiving: the archiving date is the earlier of the archive
   and deletion dates, so an account deleted without an archive date (or archived
   after its deletion) counts as archived on its deletion date.
5. Status: ``on_time`` (done on or before the due date), ``late`` (done after it),
   ``pending`` (not done, due date not passed: the due date itself is in time),
   ``overdue`` (not done, due date passed). Days late: done date minus due date for
   ``late``, ``as_of`` minus due date for ``overdue``, null otherwise.
6. Bad input, judged on the whole table before any result: a missing last use, an
   archive or deletion dated before the last use (as dates in the time zone), a
   negative or fractional override. A ``RetentionError`` names each kind's column, its
   first row and how many more (``table_faults``), never an account id.

Where the accounts are read from (files, frames, Ibis URLs, and the one-line read
errors) lives in ``juro_privacy.rules.retention.source``, and the time-zone rule (rule 1) in
``juro_privacy.rules.retention.zone_offsets``; import them from there.
"""

from __future__ import annotations

import datetime
import functools
import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa

from juro_privacy.errors import RetentionError
from juro_privacy.rules.retention.source import (
    LOCATION_COLUMNS,
    TIMESTAMP_COLUMNS,
    Accounts,
    accounts_table,
    csv_lines,
    require_columns,
)
from juro_privacy.rules.retention.zone_offsets import with_local_dates
from juro_privacy.rules.retention_periods import MAX_MONTHS, months_problem

__all__ = [
    "MAX_MONTHS",
    "OBLIGATIONS",
    "STATUSES",
    "RetentionRules",
    "assess_retention",
    "months_problem",
    "retention_table",
    "summarize_retention",
    "summary_metrics",
    "tidy_summary",
]

OBLIGATIONS = ("archive", "delete")
STATUSES = ("pending", "on_time", "late", "overdue")


@dataclass(frozen=True)
class _Check:
    """One kind of bad accounts row: the flag column that marks it (``retention_table``'s,
    or one :func:`table_faults` computes), the accounts column it is about, its reason
    code (``errors.REASONS``) and what is wrong, said of the first such row (``{value}``:
    that row's value of the column, when the check shows one), and ``general``, said of
    rows that cannot be named (an engine's table; default: ``text``)."""

    flag: str
    column: str
    reason: str
    text: str
    general: str = ""


# The rule's bad input (rule 6): rows it cannot judge.
_PROBLEMS = (
    _Check("_missing_last_use", "last_used_at", "not_nullable", "is empty but required"),
    _Check(
        "_archived_before_last_use", "archived_at", "unjudgeable_accounts", "is before last_used_at"
    ),
    _Check(
        "_deleted_before_last_use", "deleted_at", "unjudgeable_accounts", "is before last_used_at"
    ),
    _Check(
        "_bad_override",
        "delete_after_months",
        "unjudgeable_accounts",
        f"is negative, over {MAX_MONTHS:,} or not a whole number",
    ),
)


@dataclass(frozen=True)
class RetentionRules:
    """Retention periods in calendar months after last use (policy: 6 months, 6 years)."""

    archive_after_months: int = 6
    delete_after_months: int = 72

    def __post_init__(self) -> None:
        for name in ("archive_after_months", "delete_after_months"):
            why = months_problem(getattr(self, name))
            if why is not None:
                raise RetentionError(
                    f"RetentionRules.{name} must be a whole number from 0 to {MAX_MONTHS:,}: "
                    f"{getattr(self, name)!r} {why}"
                )


# ------------------------------------------------------------------- the due dates


def _is_leap(year: ir.IntegerValue) -> ir.BooleanValue:
    """Gregorian leap year."""
    return ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)


def _with_due_dates(table: ir.Table, months: Mapping[str, ir.IntegerValue | int]) -> ir.Table:
    """Add, per ``{name: months}``, the last-use date plus that many calendar months.

    The day of month is kept, or clamped to the last day of a shorter month: last
    used 31 August, + 6 months = 28 February (29 in a leap year) (rule 2). Built
    from year/month/day arithmetic so that every engine clamps alike and the months
    may differ per row (a contract override). Needs columns ``_year``, ``_month``
    and ``_day`` of the last-use date.
    """
    step = table.mutate(
        **{
            f"_{name}_{part}": value
            for name, n in months.items()
            for part, value in zip(
                ("year", "month"),
                _year_month(table._year * 12 + (table._month - 1) + n),
                strict=True,
            )
        }
    )
    dues = {}
    for name in months:
        year, month = step[f"_{name}_year"], step[f"_{name}_month"]
        days_in_month = ibis.cases(
            (month == 2, ibis.ifelse(_is_leap(year), 29, 28)),
            (month.isin([4, 6, 9, 11]), 30),
            else_=31,
        )
        dues[name] = ibis.date(year, month, ibis.least(step._day, days_in_month))
    return step.mutate(**dues)


def _year_month(index: ir.IntegerValue) -> tuple[ir.IntegerValue, ir.IntegerValue]:
    """Year and month (1-12) of a month index (year * 12 + month - 1)."""
    return index // 12, index % 12 + 1


def _next_quarter(as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the calendar quarter after the one containing ``as_of``."""
    index = as_of.year * 4 + (as_of.month - 1) // 3 + 1
    start = datetime.date(index // 4, index % 4 * 3 + 1, 1)
    after = index + 1
    end = datetime.date(after // 4, after % 4 * 3 + 1, 1) - datetime.timedelta(days=1)
    return start, end


# ----------------------------------------------------------------------- the rule


def _override_months(column: ir.Value) -> tuple[ir.IntegerValue, ir.BooleanValue]:
    """The override as whole months, and whether it is bad (negative, fractional or over
    :data:`MAX_MONTHS`)."""
    kind = column.type()
    if kind.is_null():
        return ibis.null("int64"), ibis.literal(False)
    if kind.is_string():  # a Parquet file written as text: a number, or blank for none
        assert isinstance(column, ir.StringValue)
        number = column.strip().try_cast("float64")
        months, bad = _override_months(number)
        return months, (bad | (number.isnull() & (column.strip() != ""))).fill_null(False)
    if not kind.is_numeric():
        raise RetentionError(f"column 'delete_after_months' must be numeric, not {kind}")
    assert isinstance(column, ir.NumericValue)
    bad = (column < 0) | (column > MAX_MONTHS)
    if kind.is_floating() or kind.is_decimal():
        bad = bad | (column != column.floor())
    return column.cast("int64"), bad.fill_null(False)


def _status_code(done: ir.DateValue, due: ir.DateValue, as_of: ir.DateValue) -> ir.IntegerValue:
    """Status of one obligation (rule 5) as its index in STATUSES; ``done`` null if not done.

    A small integer is cheaper to count than a string; the string is derived from it.
    """
    return ibis.cases(
        (done <= due, STATUSES.index("on_time")),
        (done > due, STATUSES.index("late")),
        (due < as_of, STATUSES.index("overdue")),
        else_=STATUSES.index("pending"),
    ).cast("int8")


def _days_late(done: ir.DateValue, due: ir.DateValue, as_of: ir.DateValue) -> ir.IntegerValue:
    """Days past due: done - due if done late, as_of - due if overdue, else null."""
    return ibis.cases(
        (done > due, done.delta(due, unit="day")),
        (done.isnull() & (due < as_of), as_of.delta(due, unit="day")),
        else_=ibis.null("int64"),
    ).cast("int64")


def retention_table(
    accounts: ir.Table,
    as_of: datetime.date,
    *,
    rules: RetentionRules | None = None,
    timezone: str = "Europe/London",
) -> ir.Table:
    """The retention rule as an Ibis expression: one row per account, on any backend.

    Columns: ``account_id``, ``office``; per obligation ``o`` (``archive``,
    ``delete``): ``o_due`` (date), ``o_status``, ``o_days_late``,
    ``o_due_next_quarter`` (not done as of ``as_of``, due in the next calendar
    quarter) and ``_o_code`` (the status as its index in STATUSES); one boolean per
    bad-input check (``_missing_last_use``...); per timestamp column ``c`` its local
    date ``_c_date``; and the accounts' ``LOCATION_COLUMNS`` where they have them (the
    file and row of each account, for messages). Nothing is executed. The rule is
    stated in this module's docstring.
    """
    rules = rules or RetentionRules()
    require_columns(accounts, "accounts")
    for name in TIMESTAMP_COLUMNS:
        kind = accounts[name].type()
        if not (kind.is_timestamp() or kind.is_date() or kind.is_string() or kind.is_null()):
            raise RetentionError(f"column {name!r} must hold timestamps, not {kind}")
    as_of_ = ibis.date(as_of.isoformat())
    quarter_start, quarter_end = (ibis.date(d.isoformat()) for d in _next_quarter(as_of))
    override, bad_override = _override_months(accounts.delete_after_months)

    # 1. Dates in the organisation's time zone (rule 1).
    t = accounts.select(
        account_id=accounts.account_id.cast("string"),
        office=accounts.office.cast("string"),
        delete_months=override.fill_null(rules.delete_after_months),
        _bad_override=bad_override,
        **{f"_{name}": accounts[name] for name in TIMESTAMP_COLUMNS},
        **{name: accounts[name] for name in LOCATION_COLUMNS if name in accounts.columns},
    )
    t = with_local_dates(
        t,
        {"last_used": "_last_used_at", "archived": "_archived_at", "deleted": "_deleted_at"},
        timezone,
    )

    # 2. Actions after as_of have not happened; deletion also archives (rules 3, 4).
    archived = ibis.ifelse(t.archived <= as_of_, t.archived, ibis.null("date"))
    deleted = ibis.ifelse(t.deleted <= as_of_, t.deleted, ibis.null("date"))
    t = t.mutate(
        archive_done=ibis.cases(
            (archived.isnull(), deleted),
            (deleted.isnull(), archived),
            else_=ibis.least(archived, deleted),
        ),
        delete_done=deleted,
        _year=t.last_used.year().cast("int64"),
        _month=t.last_used.month().cast("int64"),
        _day=t.last_used.day().cast("int64"),
        _missing_last_use=t.last_used.isnull(),
        _archived_before_last_use=(t.archived < t.last_used).fill_null(False),
        _deleted_before_last_use=(t.deleted < t.last_used).fill_null(False),
    )

    # 3. Due dates: last use + N calendar months, clamped to the month's end (rule 2).
    t = _with_due_dates(
        t, {"archive_due": rules.archive_after_months, "delete_due": t.delete_months}
    )

    # 4. Statuses and days late (rule 5).
    columns: dict[str, ir.Value] = {"account_id": t.account_id, "office": t.office}
    for obligation in OBLIGATIONS:
        due, done = t[f"{obligation}_due"], t[f"{obligation}_done"]
        code = _status_code(done, due, as_of_)
        columns[f"{obligation}_due"] = due
        columns[f"{obligation}_status"] = code.cases(*enumerate(STATUSES))
        columns[f"{obligation}_days_late"] = _days_late(done, due, as_of_)
        columns[f"{obligation}_due_next_quarter"] = (
            done.isnull() & due.between(quarter_start, quarter_end)
        ).fill_null(False)
        columns[f"_{obligation}_code"] = code
    for check in _PROBLEMS:
        columns[check.flag] = t[check.flag]
    for name, local in zip(TIMESTAMP_COLUMNS, ("last_used", "archived", "deleted"), strict=True):
        columns[f"_{name}_date"] = t[local]
    columns.update({name: t[name] for name in LOCATION_COLUMNS if name in t.columns})
    return t.select(**columns)


# ------------------------------------------------------------------ bad input


@dataclass(frozen=True)
class AccountsContract:
    """What the data contract asks of the accounts beyond what the rule needs
    (``juro_privacy/workbook/schemas.py``, table ``accounts``; docs/data-contract.md):
    ``account_id`` and ``office`` present, ``account_id`` unique, ``office`` one of
    ``sites`` (the workbook's ``sites.site_id``; ``None``: not checked), and every
    timestamp's year within ``years`` (the workbook's ``earliest_year`` and
    ``latest_year``; the year of its date in the workbook's time zone)."""

    sites: frozenset[str] | None = None
    years: tuple[int, int] = (1900, 2100)


# The contract's rules for a row (``AccountsContract``), checked by ``table_faults``.
_MISSING_ID = _Check("_missing_id", "account_id", "not_nullable", "is empty but required")
_MISSING_OFFICE = _Check("_missing_office", "office", "not_nullable", "is empty but required")
_UNKNOWN_OFFICE = _Check(
    "_unknown_office",
    "office",
    "unknown_reference",
    "{value!r} is not a site_id in sites",
    "is not a site_id in sites",
)
_YEARS = tuple(
    _Check(
        f"_{name}_year",
        name,
        "year_out_of_range",
        "the year {value:04d} is out of range: the workbook accepts {low}-{high} "
        "(earliest_year and latest_year in workbook.yaml)",
        "has a year outside {low}-{high} (earliest_year and latest_year in workbook.yaml)",
    )
    for name in TIMESTAMP_COLUMNS
)
_DUPLICATE = _Check(
    "_duplicate_id",
    "account_id",
    "field_uniqueness",
    "duplicates the account_id of {value}",
    "repeats the account_id of an earlier row",
)


def any_problem(table: ir.Table) -> ir.BooleanValue:
    """Whether a row of ``retention_table`` has any kind of bad input."""
    flags: list[ir.BooleanValue] = [table[check.flag] for check in _PROBLEMS]
    return functools.reduce(operator.or_, flags)


def _row_checks(
    table: ir.Table, contract: AccountsContract | None
) -> list[tuple[_Check, ir.BooleanValue, ir.Value | None]]:
    """Each row check of a ``retention_table``: the check, which rows fail it, and the
    value its message shows of the first of them (or ``None``)."""
    checks: list[tuple[_Check, ir.BooleanValue, ir.Value | None]] = [
        (check, table[check.flag], None) for check in _PROBLEMS
    ]
    if contract is None:
        return checks
    office = table.office
    checks += [
        (_MISSING_ID, table.account_id.isnull(), None),
        (_MISSING_OFFICE, office.isnull(), None),
    ]
    if contract.sites is not None:
        known = office.isin(sorted(contract.sites)) if contract.sites else ibis.literal(False)
        checks.append((_UNKNOWN_OFFICE, office.notnull() & ~known, office))
    low, high = contract.years
    for check in _YEARS:
        year = table[f"_{check.column}_date"].year().cast("int64")
        checks.append((check, ((year < low) | (year > high)).fill_null(False), year))
    return checks


def table_faults(table: ir.Table, contract: AccountsContract | None = None) -> list[RetentionError]:
    """Every kind of bad row in a ``retention_table``, one ``RetentionError`` each: the
    rule's bad input (rule 6) and, given a ``contract``, the data contract's rules.

    Each names its column and reason and, where the accounts say where their rows are
    (``LOCATION_COLUMNS``: a file or a frame), the first bad row (a duplicate: the row
    that repeats an earlier one, and that one), the number of further rows in its
    message (``and 41 more rows``). Never an account id. One aggregate pass counts
    every kind in the engine (duplicate ids: the distinct hashes of the ids against the
    ids, then ``count - count distinct``, see ``_duplicate_count``); only for a kind
    that has rows is the first one looked up, and on a CSV file its line found.
    """
    checks = _row_checks(table, contract)
    metrics: dict[str, ir.Scalar] = {check.flag: failing.sum() for check, failing, _ in checks}
    if contract is not None:
        metrics["_ids"] = table.account_id.count()
        # DuckDB hashes a null to a value: only the ids present are counted.
        present = table.account_id.notnull()
        metrics["_distinct_hashes"] = table.account_id.hash().nunique(where=present)
    counts = table.aggregate(**metrics).to_pyarrow().to_pylist()[0]
    found: list[tuple[_Check, int, dict[str, Any] | None]] = []
    for check, failing, shown in checks:
        count = as_count(counts[check.flag])
        if count:
            found.append((check, count, _first_row(table, failing, shown)))
    if contract is not None and as_count(counts["_ids"]) > as_count(counts["_distinct_hashes"]):
        count = _duplicate_count(table)
        if count:
            found.append((_DUPLICATE, count, _first_duplicate(table)))
    lines = _csv_lines(record for _, _, first in found for record in _records(first))
    return [_fault(check, count, first, lines, contract) for check, count, first in found]


def _duplicate_count(table: ir.Table) -> int:
    """The rows whose account_id an earlier row has: ``count - count distinct``.

    Asked only when the one pass found fewer distinct hashes of the ids than ids: equal
    ids have equal hashes, so as many distinct hashes as ids proves them unique, and
    counting 8-byte hashes costs DuckDB a fifth less time and memory than the ids
    themselves (10M ids: 4.2 s CPU against 5.2 s, 570 MiB against 740 MiB). Fewer
    hashes are duplicates or, rarely, two ids with one hash (for 10M ids about one
    chance in 300,000 with DuckDB's 64-bit hash), which this exact count tells apart.
    """
    row = table.aggregate(_ids=table.account_id.count(), _distinct=table.account_id.nunique())
    counts = row.to_pyarrow().to_pylist()[0]
    return as_count(counts["_ids"]) - as_count(counts["_distinct"])


def _order(table: ir.Table) -> list[str]:
    """The columns that order a table's rows as its file does ([] if unknown)."""
    return [name for name in ("_file", "_row") if "_row" in table.columns and name in table.columns]


def _first_row(
    table: ir.Table, failing: ir.BooleanValue, shown: ir.Value | None
) -> dict[str, Any] | None:
    """Where the first row that fails a check is, and its value of ``shown``."""
    order = _order(table)
    if not order:
        return None
    place = [name for name in LOCATION_COLUMNS if name in table.columns]
    values = {"_value": shown} if shown is not None else {}
    first = table.filter(failing).order_by(order).limit(1).select(*place, **values)
    rows: list[dict[str, Any]] = first.to_pyarrow().to_pylist()
    return rows[0] if rows else None


def _first_duplicate(table: ir.Table) -> dict[str, Any] | None:
    """Where the first row is whose account_id an earlier row has, and that earlier row
    (as ``_value``). The id itself is only compared, in the engine; never shown."""
    order = _order(table)
    if not order:
        return None
    place = [name for name in LOCATION_COLUMNS if name in table.columns]
    ids = table.filter(table.account_id.notnull())
    nth = ibis.row_number().over(group_by=ids.account_id, order_by=[ids[c] for c in order])
    ranked = ids.mutate(_nth=nth)
    again = ranked.filter(ranked._nth > 0).order_by(order).limit(1)
    repeats: list[dict[str, Any]] = again.select("account_id", *place).to_pyarrow().to_pylist()
    if not repeats:
        return None
    repeat = repeats[0]
    earlier = table.filter(table.account_id == repeat.pop("account_id")).order_by(order).limit(1)
    repeat["_value"] = earlier.select(*place).to_pyarrow().to_pylist()[0]
    return repeat


def _records(first: dict[str, Any] | None) -> list[tuple[str, int]]:
    """The CSV records (file path, record) a found row names, to be turned into lines."""
    places = [first, first.get("_value") if first else None]
    return [
        (place["_lines"], place["_row"])
        for place in places
        if isinstance(place, dict) and place.get("_lines") and place.get("_row") is not None
    ]


def _csv_lines(records: Iterable[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """The line of each (CSV file, record): each file read once, as far as needed."""
    by_file: dict[str, set[int]] = {}
    for path, record in records:
        by_file.setdefault(path, set()).add(record)
    return {
        (path, record): line
        for path, wanted in by_file.items()
        for record, line in csv_lines(Path(path), wanted).items()
    }


def _place(place: dict[str, Any], lines: Mapping[tuple[str, int], int]) -> tuple[str | None, int]:
    """The file and row a found row names: a CSV record as its line in the file."""
    row = int(place["_row"])
    if place.get("_lines"):
        row = lines.get((place["_lines"], row), row + 1)
    return place.get("_file"), row


def _fault(
    check: _Check,
    count: int,
    first: dict[str, Any] | None,
    lines: Mapping[tuple[str, int], int],
    contract: AccountsContract | None,
) -> RetentionError:
    """One kind of bad row as an error: its first row, and how many more there are."""
    low, high = contract.years if contract is not None else (None, None)
    if first is None:  # an engine's table: no rows to name
        text = (check.general or check.text).format(low=low, high=high)
        rows = f"{count} row{'s' if count != 1 else ''}"
        return RetentionError(f"{text}, in {rows}", column=check.column, reason=check.reason)
    file, row = _place(first, lines)
    value = first.get("_value")
    if isinstance(value, dict):  # the earlier row of a duplicate
        earlier_file, earlier_row = _place(value, lines)
        value = f"row {earlier_row}"
        if earlier_file != file:
            value = f"{earlier_file}, {value}"
    text = check.text.format(value=value, low=low, high=high)
    more = f" (and {count - 1} more row{'s' if count != 2 else ''})" if count > 1 else ""
    return RetentionError(text + more, file=file, row=row, column=check.column, reason=check.reason)


def check_table(table: ir.Table, contract: AccountsContract | None = None) -> None:
    """Raise one RetentionError whose ``faults`` are those of :func:`table_faults`, if the
    table has any: the rule cannot judge it (or, with ``contract``, the contract refuses
    it). Its message names each kind, its first row and count, never an account id."""
    faults = table_faults(table, contract)
    if faults:
        listed = "; ".join(str(fault) for fault in faults)
        raise RetentionError(
            f"the retention rule cannot judge these accounts: {listed}", faults=faults
        )


# ------------------------------------------------------------------- public API


def assess_retention(
    accounts: Accounts,
    as_of: datetime.date,
    *,
    rules: RetentionRules | None = None,
    timezone: str = "Europe/London",
) -> pd.DataFrame:
    """Judge each account's archiving and deletion as of ``as_of`` (GDPR Art. 5(1)(e)).

    ``accounts``: a pandas frame, a Parquet/CSV path or a folder of Parquet files
    (read by DuckDB), or an Ibis table on any backend, with columns ``account_id``,
    ``office``, ``last_used_at``, ``archived_at``, ``deleted_at``,
    ``delete_after_months``. Rules (stated in full in the module docstring):
    timestamps become dates in ``timezone`` (naive = wall time there, a date = that
    local date, with an offset = an instant); due = last use + N calendar months,
    clamped to the month's last day; actions after ``as_of`` have not happened;
    deletion also archives (the earlier date counts); the override replaces the 72
    months; statuses ``pending``, ``on_time``, ``late``, ``overdue``.

    Returns one row per account, sorted by ``account_id``: ``account_id``,
    ``office``, ``archive_due``, ``archive_status``, ``delete_due``,
    ``delete_status``, ``archive_days_late``, ``delete_days_late`` (dates as
    ``datetime64[s]``, days as nullable ``Int64``).

    Raises RetentionError, and returns nothing, on missing columns or bad rows
    (missing last use, archive or deletion before last use, bad override).
    """
    as_of = as_date(as_of)
    table = retention_table(accounts_table(accounts), as_of, rules=rules, timezone=timezone)
    result = table.select(
        "account_id",
        "office",
        "archive_due",
        "archive_status",
        "delete_due",
        "delete_status",
        "archive_days_late",
        "delete_days_late",
        _bad=any_problem(table),
    ).order_by("account_id")
    # Through Arrow: Ibis' own to_pandas turns columns with nulls into Python objects.
    frame: pd.DataFrame = result.to_pyarrow().to_pandas(
        types_mapper={pa.int64(): pd.Int64Dtype()}.get, date_as_object=False
    )
    if frame["_bad"].any():
        check_table(table)
    frame = frame.drop(columns="_bad")
    for obligation in OBLIGATIONS:
        due = f"{obligation}_due"
        frame[due] = frame[due].astype("datetime64[s]")
        frame[f"{obligation}_days_late"] = frame[f"{obligation}_days_late"].astype("Int64")
    for name in ("account_id", "office", "archive_status", "delete_status"):
        frame[name] = frame[name].astype("str")
    return frame


def summarize_retention(
    accounts: Accounts,
    as_of: datetime.date,
    *,
    rules: RetentionRules | None = None,
    timezone: str = "Europe/London",
) -> pd.DataFrame:
    """Count accounts per office, obligation and status as of ``as_of``, in the engine.

    Same input and rules as ``assess_retention``; only one aggregate row per office
    leaves the engine. Returns a tidy frame, one row per office x obligation
    (``archive``, ``delete``) x status (``pending``, ``on_time``, ``late``,
    ``overdue``), zero counts included, sorted in that order:

    - ``office``, ``obligation``, ``status``;
    - ``accounts``: number of accounts;
    - ``median_days_late``, ``p90_days_late``: for ``late`` and ``overdue`` rows,
      the median and 90th percentile of days late, by linear interpolation between
      the nearest ranks (numpy's default, Excel's PERCENTILE.INC); null otherwise;
    - ``due_next_quarter``: accounts not done as of ``as_of`` whose due date falls in
      the next calendar quarter (only ``pending`` rows can count any).

    ``frame.attrs`` holds ``as_of`` and the next quarter's first and last day.
    """
    as_of = as_date(as_of)
    table = retention_table(accounts_table(accounts), as_of, rules=rules, timezone=timezone)
    wide = table.group_by("office").aggregate(**summary_metrics(table)).to_pandas()
    if as_count(wide["_bad"].sum()):
        check_table(table)
    return tidy_summary(wide, as_of)


def summary_metrics(table: ir.Table) -> dict[str, ir.Scalar]:
    """The engine aggregates behind :func:`summarize_retention`, for a ``group_by("office")``
    of a :func:`retention_table` (``_bad``: rows the rule cannot judge, see
    :func:`check_table`). A caller that needs more figures from the same pass adds its own
    aggregates beside these (``topics.retention.counts``)."""
    metrics: dict[str, ir.Scalar] = {}
    for obligation in OBLIGATIONS:
        code, days_late = table[f"_{obligation}_code"], table[f"{obligation}_days_late"]
        for index, name in enumerate(STATUSES):
            metrics[f"{obligation}:{name}:accounts"] = table.count(where=code == index)
        for name in ("late", "overdue"):
            where = code == STATUSES.index(name)
            metrics[f"{obligation}:{name}:quantiles"] = days_late.quantile([0.5, 0.9], where=where)
        metrics[f"{obligation}:pending:next_quarter"] = table.count(
            where=table[f"{obligation}_due_next_quarter"]
        )
    metrics["_bad"] = any_problem(table).sum()
    return metrics


def tidy_summary(wide: pd.DataFrame, as_of: datetime.date) -> pd.DataFrame:
    """:func:`summarize_retention`'s frame from the engine's one row per office of
    :func:`summary_metrics` (other columns are ignored), with its ``attrs``."""
    summary = _tidy(wide)
    start, end = _next_quarter(as_of)
    summary.attrs.update(as_of=as_of, next_quarter_start=start, next_quarter_end=end)
    return summary


def _tidy(wide: pd.DataFrame) -> pd.DataFrame:
    """Reshape the engine's one row per office into the long summary shape."""
    rows: list[dict[str, Any]] = []
    offices = sorted(wide["office"].dropna().astype(str)) + (
        [None] if wide["office"].isna().any() else []
    )
    by_office = {
        None if pd.isna(o) else str(o): r
        for o, r in zip(wide["office"], wide.to_dict("records"), strict=True)
    }
    for office in offices:
        record = by_office[office]
        for obligation in OBLIGATIONS:
            for status in STATUSES:
                key = f"{obligation}:{status}"
                rows.append(
                    {
                        "office": office,
                        "obligation": obligation,
                        "status": status,
                        "accounts": as_count(record.get(f"{key}:accounts")),
                        "median_days_late": _quantile(record.get(f"{key}:quantiles"), 0),
                        "p90_days_late": _quantile(record.get(f"{key}:quantiles"), 1),
                        "due_next_quarter": as_count(record.get(f"{key}:next_quarter")),
                    }
                )
    columns = [
        "office",
        "obligation",
        "status",
        "accounts",
        "median_days_late",
        "p90_days_late",
        "due_next_quarter",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(
        {
            "office": "str",
            "obligation": "str",
            "status": "str",
            "accounts": "int64",
            "median_days_late": "float64",
            "p90_days_late": "float64",
            "due_next_quarter": "int64",
        }
    )


def as_count(value: object) -> int:
    """An engine count as int (null when a group has no rows means 0)."""
    return 0 if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def _quantile(values: object, index: int) -> float:
    """One of the engine's [median, 90th percentile] pair, NaN when absent.

    Rounded to 0.1 day: interpolated percentiles of whole days are multiples of 0.1
    (0.5 for the median), and rounding removes the engines' floating-point noise.
    """
    if values is None or not isinstance(values, Sequence | np.ndarray) or len(values) <= index:
        return math.nan
    value = values[index]
    return math.nan if value is None else round(float(value), 1)


def as_date(as_of: object) -> datetime.date:
    """``as_of`` checked to be a date (a datetime is refused: it has a time zone question)."""
    if isinstance(as_of, datetime.datetime) or not isinstance(as_of, datetime.date):
        raise RetentionError(f"as_of must be a datetime.date, not {type(as_of).__name__}")
    return as_of
