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
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from juro_privacy.errors import InputError, Problem, RetentionError, TransferError, WorkbookError
from juro_privacy.periods import Period, parse_period
from juro_privacy.rules.deadlines import JURISDICTIONS, YEARS
from juro_privacy.rules.deadlines.local_dates import outside_years
from juro_privacy.rules.retention.rule import (
    AccountsContract,
    months_problem,
    retention_table,
    table_faults,
)
from juro_privacy.rules.retention.source import accounts_table, connect_engine, read_problem
from juro_privacy.rules.risk_scales import risk_problems, risk_scale
from juro_privacy.rules.transfers import country_code
from juro_privacy.workbook.config import CONFIG_FILE, SETTING_MAXIMA
from juro_privacy.workbook.dpia_yaml import load_dpia
from juro_privacy.workbook.load import (
    Loaded,
    Workbook,
    load_shared_workbook,
    read_workbook,
    year_range,
)

ENGINE = "--engine"  # the "file" an engine URL's problem is reported against


def validate(
    folder: str | Path, period: Period | str | None = None, engine: str | None = None
) -> Workbook:
    """The workbook in ``folder``, checked whole for ``period`` (default: the workbook's
    ``default_period``) and, when given, the Ibis ``engine`` URL holding its accounts.

    Raises :class:`WorkbookError` with every problem found. The workbook returned
    counts its accounts at ``engine`` (``Workbook.engine``). Within a quarterly run the
    valid workbook is shared with the notebooks' kernels (``load_shared_workbook``).
    """
    loaded = read_workbook(Path(folder).resolve())
    problems = list(loaded.problems)
    problems += _risk_problems(loaded)
    problems += _dpia_problems(loaded)
    problems += notebook_problems(loaded)
    if loaded.config is not None:
        judged = (
            period
            if isinstance(period, Period)
            else parse_period(period or loaded.config.default_period)
        )
        problems += _accounts_problems(loaded, judged)
        problems += engine_problems(
            engine or "",
            contract=_contract(loaded),
            period=judged,
            timezone=loaded.config.timezone,
        )
    else:
        problems += engine_problems(engine or "")
    if problems:
        raise WorkbookError(problems)
    return load_shared_workbook(loaded.root, loaded.workbook(), engine or "")


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


def notebook_problems(loaded: Loaded) -> list[Problem]:
    """What a topic's rules would refuse inside a notebook about the tables and settings
    the contract accepted, refused here first with file, row and column (issue 18: a
    workbook ``validate`` accepts is one every notebook can judge). Each check asks the
    rule itself (its vocabulary, its limits); it sees only the tables that passed the
    contract, so no cell is refused twice. The accounts are checked apart
    (``_accounts_problems``)."""
    return [
        *_transfer_problems(loaded),
        *_retention_rule_problems(loaded),
        *_request_problems(loaded),
        *_setting_problems(loaded),
        *_complaint_problems(loaded),
    ]


def _transfer_problems(loaded: Loaded) -> list[Problem]:
    """Each processor whose country the transfer rules cannot judge
    (:func:`~juro_privacy.rules.transfers.country_code`, GDPR / UK GDPR Art. 44): the
    flows, register and DPIA reports judge every transfer to it."""
    processors = loaded.tables.get("processors")
    if processors is None:
        return []
    file, rows = loaded.files["processors"].name, loaded.rows["processors"]
    problems = []
    for i, code in enumerate(processors["country"]):
        try:
            country_code(code, "processing country")
        except TransferError as exc:
            message = f"{exc}: the transfer rules cannot judge a transfer there"
            problems.append(
                Problem(file, "unknown_country", message, row=rows[i], column="country")
            )
    return problems


#: The columns of ``retention_rules`` the retention rule takes as months after last use.
RETENTION_MONTHS = ("archive_after_months", "delete_after_months")


def _retention_rule_problems(loaded: Loaded) -> list[Problem]:
    """Each period of ``retention_rules`` the retention rule cannot apply
    (:func:`~juro_privacy.rules.retention.rule.months_problem`: 0 to ``MAX_MONTHS``);
    the retention report judges every account by the policy's rule."""
    rules = loaded.tables.get("retention_rules")
    if rules is None:
        return []
    file, rows = loaded.files["retention_rules"].name, loaded.rows["retention_rules"]
    problems = []
    for i, record in enumerate(rules[list(RETENTION_MONTHS)].itertuples(index=False)):
        for column, value in zip(RETENTION_MONTHS, record, strict=True):
            if pd.isna(value):
                continue
            months = int(value)
            why = months_problem(months)
            if why is not None:
                reason = "below_minimum" if months < 0 else "above_maximum"
                problems.append(
                    Problem(file, reason, f"{months} {why}", row=rows[i], column=column)
                )
    return problems


def _request_problems(loaded: Loaded) -> list[Problem]:
    """What the deadline rules cannot date in ``requests``: an office without a
    jurisdiction (its deadlines and holidays are unknown; one problem on its ``sites``
    row) and a date outside the years of the rules' calendars (``YEARS``) on its office's
    calendar (UK GDPR / GDPR Art. 12(3))."""
    requests, sites = loaded.tables.get("requests"), loaded.tables.get("sites")
    if requests is None or sites is None or requests.empty:
        return []
    file, rows = loaded.files["requests"].name, loaded.rows["requests"]
    requests = requests.reset_index(drop=True)
    offices = requests["office"].astype(str)
    known: dict[str, str] = {}
    problems = []
    for i, (site, code) in enumerate(
        zip(sites["site_id"].astype(str), sites["jurisdiction"], strict=True)
    ):
        if pd.notna(code):
            known[site] = str(code)
            continue
        handled = np.flatnonzero((offices == site).to_numpy())
        if handled.size:
            count = f"{handled.size} request{'s' if handled.size != 1 else ''}"
            problems.append(
                Problem(
                    loaded.files["sites"].name,
                    "missing_value",
                    f"site {site} handles {count} ({file} from row {rows[int(handled[0])]}) but "
                    f"has no jurisdiction: set one of {', '.join(JURISDICTIONS)} so that their "
                    "deadlines can be dated",
                    row=loaded.rows["sites"][i],
                    column="jurisdiction",
                )
            )
    judged = offices.isin(known).to_numpy()
    if not judged.any():
        return problems
    positions = np.flatnonzero(judged)
    codes = offices[judged].map(known).reset_index(drop=True)
    dated = requests.loc[judged].reset_index(drop=True)
    stamps = [c for c in dated.columns if isinstance(dated[c].dtype, pd.DatetimeTZDtype)]
    found = []
    for column in stamps:
        for k in np.flatnonzero(outside_years(dated[column], codes)):
            code = codes.iloc[k]
            local = dated[column].iloc[k].tz_convert(JURISDICTIONS[code].timezone).date()
            found.append(
                Problem(
                    file,
                    "outside_calendar",
                    f"falls on {local.isoformat()} at its office ({code}), outside "
                    f"{YEARS[0]}-{YEARS[-1]}, the years the deadline rules date",
                    row=rows[int(positions[k])],
                    column=column,
                )
            )
    return problems + sorted(found, key=lambda p: (p.row or 0, stamps.index(str(p.column))))


def _complaint_problems(loaded: Loaded) -> list[Problem]:
    """Each site whose processing is complained of (``complaints.processing_office``) but
    that has no ``jurisdiction``: the regime that times the complaint's acknowledgement
    (DPA 2018 s. 164A(3), UK only) is unknown. One problem on its ``sites`` row."""
    complaints, sites = loaded.tables.get("complaints"), loaded.tables.get("sites")
    if complaints is None or sites is None or complaints.empty:
        return []
    file, rows = loaded.files["complaints"].name, loaded.rows["complaints"]
    about = complaints["processing_office"].astype(str).reset_index(drop=True)
    problems = []
    for i, (site, code) in enumerate(
        zip(sites["site_id"].astype(str), sites["jurisdiction"], strict=True)
    ):
        hit = np.flatnonzero((about == site).to_numpy())
        if pd.notna(code) or not hit.size:
            continue
        count = f"{hit.size} complaint{'s' if hit.size != 1 else ''}"
        problems.append(
            Problem(
                loaded.files["sites"].name,
                "missing_value",
                f"site {site} is the processing office of {count} ({file} from row "
                f"{rows[int(hit[0])]}) but has no jurisdiction: set one of "
                f"{', '.join(JURISDICTIONS)} so that their regime is known",
                row=loaded.rows["sites"][i],
                column="jurisdiction",
            )
        )
    return problems


def _setting_problems(loaded: Loaded) -> list[Problem]:
    """Each setting of ``workbook.yaml`` over its largest value (:data:`SETTING_MAXIMA`)."""
    if loaded.config is None:
        return []
    problems = []
    for key, (most, unit) in SETTING_MAXIMA.items():
        value = getattr(loaded.config, key)
        if value > most:
            message = f"{value:,} is over {most} {unit}"
            problems.append(Problem(CONFIG_FILE, "above_maximum", message, column=key))
    return problems


def _accounts_problems(loaded: Loaded, period: Period) -> list[Problem]:
    """The accounts file read by DuckDB where it lies, held to its whole contract
    (``schemas.py``, ``accounts``): a malformed row, a value that is not a timestamp or
    a number, what the retention rule cannot judge (a missing last use, an action dated
    before it, a bad override), an empty or repeated ``account_id``, an empty ``office``
    or one that is not a site of ``sites``, a year outside ``earliest_year`` ..
    ``latest_year``. One problem per kind, naming its first row and how many more (never
    an account id: ids are identifiers). One aggregate pass counts every kind; only a
    kind that has rows is looked for (``table_faults``)."""
    path = loaded.files.get("accounts")
    if path is None or loaded.config is None:
        return []
    config = loaded.config
    contract = _contract(loaded)
    try:
        table = retention_table(accounts_table(path), period.end, timezone=config.timezone)
        faults = table_faults(table, contract)
    except duckdb.Error as exc:  # the file itself is malformed (a ragged row)
        return [located(path.name, "unreadable", read_problem(path, exc))]
    except RetentionError as exc:
        return [located(path.name, "unjudgeable_accounts", exc)]
    return [located(path.name, "unjudgeable_accounts", fault) for fault in faults]


def _contract(loaded: Loaded) -> AccountsContract:
    """What the data contract asks of the accounts of this workbook: its sites, its years."""
    sites = loaded.tables.get("sites")
    return AccountsContract(
        sites=None if sites is None else frozenset(sites["site_id"].dropna().astype(str)),
        years=year_range(loaded.config),
    )


def located(file: str, reason: str, error: RetentionError) -> Problem:
    """The problem an accounts error names: its own file, row, column and reason where
    it has them, else ``file`` and ``reason``."""
    where = error.file or file
    return Problem(where, error.reason or reason, error.message, error.row, error.column)


def engine_problems(
    url: str,
    *,
    contract: AccountsContract | None = None,
    period: Period | None = None,
    timezone: str = "Europe/London",
) -> list[Problem]:
    """Open ``--engine`` and its ``accounts`` table: a bad URL is bad input. Given the
    workbook's ``contract`` and ``period``, the table is then held to the same contract
    as an accounts file (``table_faults``: one aggregate query in the engine), each
    fault counted (an engine table has no rows to name). The connection is closed again
    so that a file database (DuckDB) is free for the notebook's kernel."""
    if not url:
        return []
    try:
        table = connect_engine(url)
    except RetentionError as exc:
        return [Problem(ENGINE, "unreachable_engine", str(exc))]
    problems: list[Problem] = []
    if contract is not None and period is not None:
        try:
            judged = retention_table(table, period.end, timezone=timezone)
            faults = table_faults(judged, contract)
        except RetentionError as exc:
            faults = [exc]
        problems = [located(ENGINE, "unjudgeable_accounts", fault) for fault in faults]
    # Some backends cannot disconnect; the check has passed anyway.
    with contextlib.suppress(Exception):
        table.get_backend().disconnect()
    return problems
