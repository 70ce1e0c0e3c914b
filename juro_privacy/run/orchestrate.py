"""The quarterly run: execute each topic notebook, render, export, write atomically.

``run_reports`` is what ``juro-privacy run`` calls. It validates the workbook
first (nothing runs on bad input), executes the topic notebooks with papermill
in a process pool, renders them in-process with nbconvert, prints PDFs with
headless Chromium, and writes ``reports/<period>/`` by building it beside the
target and moving it into place only when everything succeeded.

This module holds the order of the steps; each step's work is in the module named
by its job: ``execute``, ``render``, ``exports``, ``index``, ``leaks``, ``manifest``,
``staging``.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from juro_privacy import __version__, run_cache
from juro_privacy.errors import InputError, RunError
from juro_privacy.paths import sample_dir
from juro_privacy.periods import Period, parse_period
from juro_privacy.registry import BY_NAME, REPORTS
from juro_privacy.rules.retention.source import redact_url
from juro_privacy.run import Progress
from juro_privacy.run.execute import execute_all
from juro_privacy.run.exports import ExportContent, write_exports
from juro_privacy.run.index import index_html
from juro_privacy.run.leaks import scan_folder
from juro_privacy.run.manifest import build_manifest, input_hashes
from juro_privacy.run.render import find_chromium, notebook_to_html, print_all
from juro_privacy.run.reproducible import pin_pdf_dates
from juro_privacy.run.staging import prepare_staging, swap_into_place, write_text
from juro_privacy.topics import api_of
from juro_privacy.topics.accountability.analysis import Figures, area_rows
from juro_privacy.topics.accountability.api import figures_for
from juro_privacy.workbook.load import Workbook
from juro_privacy.workbook.validate import validate


@dataclass(frozen=True)
class RunOptions:
    """What ``juro-privacy run`` was asked to do."""

    data_dir: Path | None = None
    period: str | None = None
    out: Path = Path("reports")
    pdf: bool | None = None  # None: print PDFs when Chromium is found
    only: tuple[str, ...] = ()
    jobs: int = 2
    kernel_name: str = "python3"
    engine: str = ""  # Ibis URL holding the accounts table; "": the workbook's file


@dataclass
class RunResult:
    """A finished run: its report folder, period, files (``manifest.json`` aside) and notes."""

    folder: Path
    period: Period
    files: list[Path]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Plan:
    """A run whose inputs passed every check: what each step after them reads."""

    options: RunOptions
    wb: Workbook
    period: Period
    topics: tuple[str, ...]
    chromium: str | None  # prints the PDFs; None: this run prints none
    notes: list[str]  # for the manifest and the CLI; the leak scan adds its own
    staging: Path  # the folder being built beside the target (staging.py)
    started: dt.datetime  # UTC
    clock: float  # time.perf_counter() when the run started

    @property
    def data_dir(self) -> Path:
        """The workbook's folder: ``--data-dir``, else the bundled sample."""
        return Path(self.options.data_dir or sample_dir())


def run_reports(options: RunOptions, progress: Progress = lambda _msg: None) -> RunResult:
    """Produce ``<out>/<period>/`` for the workbook and period in ``options``."""
    with run_cache.using():
        return _run(options, progress)


def _run(options: RunOptions, progress: Progress) -> RunResult:
    """Check, then build the folder beside its target and swap it into place. A failure
    in any step, or SIGTERM, removes the staging folder and leaves the target as it was."""
    started, clock = dt.datetime.now(dt.UTC), time.perf_counter()
    topics = _check_topics(options.only)
    chromium, notes = _printer(options.pdf)
    wb, period = _validated(options)
    data_dir = options.data_dir or sample_dir()
    progress(f"workbook {data_dir} is valid; period {period} ({period.start} to {period.end})")
    staging = prepare_staging(options.out, period)
    plan = _Plan(
        options, wb, period, topics, chromium, [*wb.warnings, *notes], staging, started, clock
    )
    target = options.out / period.label
    try:
        files = _build(plan, progress)
        swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return RunResult(target, period, [target / p.relative_to(staging) for p in files], plan.notes)


def _build(plan: _Plan, progress: Progress) -> list[Path]:
    """Write the report folder into the staging folder, step by step: the files written,
    in that order (``manifest.json``, written last, aside)."""
    executed = _execute_and_render(plan, progress)
    files = [plan.staging / f"{t}.html" for t in plan.topics]
    files += _print_pdfs(plan, progress)
    exports = _write_exports(plan)
    internal = [executed[t] for t in plan.topics]
    files += [*exports, *internal]
    inputs = input_hashes(plan.wb)
    figures = figures_for(plan.wb, plan.period)
    files.append(_write_index(plan, exports, internal, inputs, figures))
    plan.notes.extend(_scan_for_leaks(plan.wb, plan.staging))  # raises before any move
    _write_manifest(plan, files, inputs, figures)
    return files


# --- the checks, before anything is written --------------------------------------------


def _check_topics(only: Sequence[str]) -> tuple[str, ...]:
    """The reports to run, in the registry's order: all of them, or those in ``only``."""
    unknown = [t for t in only if t not in REPORTS]
    if unknown:
        raise InputError(f"unknown topic {', '.join(unknown)}: choose from {', '.join(REPORTS)}")
    return tuple(t for t in REPORTS if not only or t in only)


def _printer(pdf: bool | None) -> tuple[str | None, list[str]]:
    """The Chromium that prints the PDFs (None: no PDFs), and a note when PDFs were not
    asked for either way and no Chromium was found. ``--pdf`` without one is a RunError."""
    chromium = find_chromium()
    if pdf and chromium is None:
        raise RunError(
            "--pdf needs Chromium: install it (apt-get install chromium) "
            "or set JURO_CHROMIUM, or pass --no-pdf"
        )
    if pdf is None and chromium is None:
        return None, ["Chromium not found: PDF reports were skipped (apt-get install chromium)"]
    return (None if pdf is False else chromium), []


def _validated(options: RunOptions) -> tuple[Workbook, Period]:
    """The workbook and the period, checked before any notebook runs: every problem of
    the workbook, its accounts and ``--engine`` at once (``WorkbookError``, exit 2)."""
    wb = validate(options.data_dir or sample_dir(), options.period, options.engine)
    return wb, parse_period(options.period or wb.config.default_period)


# --- the steps, each writing into the staging folder --------------------------------------


def _notebook_parameters(plan: _Plan) -> dict[str, Any]:
    """What every notebook's parameters cell receives; ``previous_dir`` is last
    period's report beside the target, when there is one."""
    previous = plan.options.out / plan.period.previous().label
    return {
        "data_dir": "" if plan.options.data_dir is None else str(plan.data_dir.resolve()),
        "period": plan.period.label,
        "previous_dir": str(previous.resolve()) if previous.is_dir() else "",
    }


def _execute_and_render(plan: _Plan, progress: Progress) -> dict[str, Path]:
    """Execute the notebooks into ``internal/``; each one's HTML page is written as soon
    as it has run, while the others still execute. The executed copies, by topic."""
    footer = (
        f"{plan.wb.config.organisation} · period {plan.period} · juro_privacy {__version__} · "
        "aggregates only: no personal identifiers"
    )

    def render(topic: str, executed: Path) -> None:
        nb = nbformat.read(executed, as_version=4)
        page = notebook_to_html(nb, title=BY_NAME[topic].title, footer=footer)
        write_text(plan.staging / f"{topic}.html", page)

    executed = execute_all(
        plan.topics,
        _notebook_parameters(plan),
        plan.staging / "internal",
        jobs=plan.options.jobs,
        kernel=plan.options.kernel_name,
        progress=progress,
        optional={"engine": plan.options.engine} if plan.options.engine else {},
        on_done=render,
    )
    progress(f"rendered {len(plan.topics)} HTML report(s)")
    return executed


def _print_pdfs(plan: _Plan, progress: Progress) -> list[Path]:
    """Each HTML page printed to PDF, its dates pinned to the period's end so that two
    runs give the same bytes; none when the run prints no PDF."""
    if plan.chromium is None:
        return []
    pdfs = print_all(plan.topics, plan.staging, chromium=plan.chromium, jobs=plan.options.jobs)
    pinned = pin_pdf_dates(pdfs, plan.period.end)
    progress(f"printed {len(plan.topics)} PDF report(s) with {Path(plan.chromium).name}")
    return pinned


def _write_exports(plan: _Plan) -> list[Path]:
    """The exports of each topic of the run that has some (``exports_for`` of its api),
    in the order of the topics and of each topic's ``Topic.exports``."""
    files: list[Path] = []
    for topic in plan.topics:
        if BY_NAME[topic].exports:
            contents = api_of(topic).exports_for(plan.wb, plan.period)
            files += write_exports(_as_declared(topic, contents), plan.staging)
    return files


def _as_declared(topic: str, contents: Mapping[str, ExportContent]) -> dict[str, ExportContent]:
    """``contents`` in the order of the registry's ``Topic.exports``, which must name the
    same files (the index and the manifest list them in that order)."""
    declared = BY_NAME[topic].exports
    if set(contents) != set(declared):
        raise RunError(
            f"topic {topic}: exports_for gives {', '.join(contents) or 'no file'}, "
            f"the registry lists {', '.join(declared)}"
        )
    return {name: contents[name] for name in declared}


def _write_index(
    plan: _Plan,
    exports: Sequence[Path],
    internal: Sequence[Path],
    inputs: Mapping[str, str],
    figures: Figures,
) -> Path:
    """``index.html``: the status by area, the reports, exports, notebooks and inputs."""
    page = plan.staging / "index.html"
    pdf = plan.chromium is not None
    html = index_html(
        plan.wb,
        plan.period,
        reports=[{"topic": t, "title": BY_NAME[t].title, "pdf": pdf} for t in plan.topics],
        exports=[p.name for p in exports],
        internal=[f"internal/{p.name}" for p in internal],
        inputs=inputs,
        status=area_rows(figures.areas, figures.claims, set(plan.topics)),
        started=plan.started,
    )
    write_text(page, html)
    return page


def _scan_for_leaks(wb: Workbook, staging: Path) -> list[str]:
    """The leak scan (``leaks.py``): raises ``LeakError`` before anything is moved; the
    notes it leaves for the manifest."""
    scan = scan_folder(wb, staging)
    return [
        *scan.notes,
        f"leak scan: {len(scan.files)} shareable file(s) checked against {scan.values:,} "
        f"identifier value(s) from {', '.join(scan.columns)}: none found",
    ]


def _write_manifest(
    plan: _Plan, files: Sequence[Path], inputs: Mapping[str, str], figures: Figures
) -> None:
    """``manifest.json``: the run's parameters, inputs, outputs, versions and notes."""
    parameters = {
        "data_dir": str(plan.data_dir.resolve()),
        "sample": plan.options.data_dir is None,
        "period": plan.period.label,
        "topics": list(plan.topics),
        "pdf": plan.chromium is not None,
        "jobs": plan.options.jobs,
        "engine": redact_url(plan.options.engine),
    }
    manifest = build_manifest(
        plan.wb,
        plan.period,
        parameters=parameters,
        inputs=inputs,
        outputs=files,
        folder=plan.staging,
        started=plan.started,
        clock=plan.clock,
        notes=plan.notes,
        accountability=figures.summary,
    )
    write_text(plan.staging / "manifest.json", json.dumps(manifest, indent=2) + "\n")
