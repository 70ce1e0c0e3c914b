"""One validation pass: every problem of a workbook, found before anything runs.

``juro-privacy validate`` and ``juro-privacy run`` call exactly :func:`validate`. It
reads every table against the data contract (``schemas.py``, pandera), then checks
what the tables cannot say alone: risks on the workbook's risk scale, ``dpia.yaml``,
the accounts file (read by DuckDB where it lies, at any size) and the ``--engine``
URL. Every problem of every step travels in one :class:`WorkbookError`, each with
its file, row and column, so that one run of ``validate`` names them all.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import duckdb

from juro_privacy.errors import InputError, Problem, RetentionError, WorkbookError
from juro_privacy.periods import Period, parse_period
from juro_privacy.rules.retention.rule import any_problem, check_table, retention_table
from juro_privacy.rules.retention.source import accounts_table, connect_engine, read_problem
from juro_privacy.rules.risk_scales import risk_problems, risk_scale
from juro_privacy.workbook.dpia_yaml import load_dpia
from juro_privacy.workbook.load import Loaded, Workbook, load_shared_workbook, read_workbook

ENGINE = "--engine"  # the "file" an engine URL's problem is reported against


def validate(
    folder: str | Path, period: Period | str | None = None, engine: str | None = None
) -> Workbook:
    """The workbook in ``folder``, checked whole for ``period`` (default: the workbook's
    ``default_period``) and, when given, the Ibis ``engine`` URL holding its accounts.

    Raises :class:`WorkbookError` with every problem found. Within a quarterly run the
    valid workbook is shared with the notebooks' kernels (``load_shared_workbook``).
    """
    loaded = read_workbook(Path(folder).resolve())
    problems = list(loaded.problems)
    problems += _risk_problems(loaded)
    problems += _dpia_problems(loaded)
    if loaded.config is not None:
        judged = (
            period
            if isinstance(period, Period)
            else parse_period(period or loaded.config.default_period)
        )
        problems += _accounts_problems(loaded, judged)
    problems += engine_problems(engine or "")
    if problems:
        raise WorkbookError(problems)
    return load_shared_workbook(loaded.root, loaded.workbook())


def _risk_problems(loaded: Loaded) -> list[Problem]:
    """Every likelihood or severity of ``risks`` that is not on the workbook's scale."""
    risks = loaded.tables.get("risks")
    if risks is None or loaded.config is None:
        return []
    try:
        scale = risk_scale(loaded.config.risk_scale)
    except InputError as exc:
        return [Problem("workbook.yaml", "unknown_value", str(exc), column="risk_scale")]
    return risk_problems(risks, scale, loaded.files["risks"].name, loaded.rows.get("risks"))


def _dpia_problems(loaded: Loaded) -> list[Problem]:
    """The problems of ``dpia.yaml`` (none when the workbook has none)."""
    activities = loaded.tables.get("activities")
    if activities is None:
        return []
    try:
        load_dpia(loaded.root, set(activities["activity_id"]))
    except WorkbookError as exc:
        return exc.problems
    return []


def _accounts_problems(loaded: Loaded, period: Period) -> list[Problem]:
    """The accounts file read by DuckDB where it lies: a malformed row, a value that is
    not a timestamp or a number, an action dated before the last use. One aggregate
    pass counts the bad rows; only when there are some are their first ids fetched."""
    path = loaded.files.get("accounts")
    if path is None or loaded.config is None:
        return []
    try:
        table = retention_table(accounts_table(path), period.end, timezone=loaded.config.timezone)
        if int(table.filter(any_problem(table)).count().execute()):
            check_table(table)
    except duckdb.Error as exc:  # the file itself is malformed (a ragged row)
        return [located(path.name, "unreadable", str(read_problem(path, exc)))]
    except RetentionError as exc:
        return [located(path.name, "unjudgeable_accounts", str(exc))]
    return []


_WHERE = re.compile(r"^(?P<file>[^,:]+)(?:, row (?P<row>\d+))?(?:, column '(?P<column>[^']+)')?: ")


def located(file: str, reason: str, message: str) -> Problem:
    """A problem from the one-line message of the accounts reader (``accounts.csv, row 7,
    column 'last_used_at': ...``), with its file, row and column as fields."""
    match = _WHERE.match(message)
    if match is None or match["file"] != file:
        return Problem(file, reason, message)
    row = int(match["row"]) if match["row"] else None
    return Problem(file, reason, message[match.end() :], row=row, column=match["column"])


def engine_problems(url: str) -> list[Problem]:
    """Open ``--engine`` and its ``accounts`` table: a bad URL is bad input. The
    connection is closed again so that a file database (DuckDB) is free for the
    notebook's kernel."""
    if not url:
        return []
    try:
        table = connect_engine(url)
    except RetentionError as exc:
        return [Problem(ENGINE, "unreachable_engine", str(exc))]
    # Some backends cannot disconnect; the check has passed anyway.
    with contextlib.suppress(Exception):
        table.get_backend().disconnect()
    return []
