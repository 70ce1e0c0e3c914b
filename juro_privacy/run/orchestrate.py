"""The quarterly run: execute each topic notebook, render, export, write atomically.

``run_reports`` is what ``juro-privacy run`` calls. It validates the workbook
first (nothing runs on bad input), executes the topic notebooks with papermill
in a process pool, renders them in-process with nbconvert, prints PDFs with
headless Chromium, and writes two folders, each built beside its target and moved into
place only when everything succeeded: the shareable ``reports/<period>/`` and the
owner-only audit trail ``reports/internal/<period>/`` (``--internal-out``), apart so
that the folder a DPO sends holds nothing internal.

This module holds the order of the steps; each step's work is in the module named
by its job: ``execute``, ``render``, ``exports``, ``index``, ``leaks``, ``manifest``,
``staging``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
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
from juro_privacy.run.leaks import find_pdftotext, scan_folder
from juro_privacy.run.manifest import build_manifest, input_hashes, sha256
from juro_privacy.run.render import Printer, find_chromium, notebook_to_html
from juro_privacy.run.reproducible import pin_pdfs
from juro_privacy.run.staging import (
    Staging,
    check_apart,
    discard,
    internal_root,
    owner_only,
    prepare_staging,
    publish,
    write_text,
)
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
    internal_out: Path | None = None  # receives <period>/ of the audit trail; None: <out>/internal
    pdf: bool | None = None  # None: print PDFs when Chromium is found
    only: tuple[str, ...] = ()
    jobs: int = 2
    kernel_name: str = "python3"
    engine: str = ""  # Ibis URL holding the accounts table; "": the workbook's file


@dataclass
class RunResult:
    """A finished run: its shareable report folder, period, files (``manifest.json``
    aside), notes, and the audit trail's folder (the executed notebooks)."""

    folder: Path
    period: Period
    files: list[Path]
    notes: list[str] = field(default_factory=list)
    internal: Path | None = None


@dataclass(frozen=True)
class _Plan:
    """A run whose inputs passed every check: what each step after them reads."""

    options: RunOptions
    wb: Workbook
    period: Period
    topics: tuple[str, ...]
    chromium: str | None  # prints the PDFs; None: this run prints none
    notes: list[str]  # for the manifest and the CLI; the leak scan adds its own
    staging: Staging  # the two folders being built beside their targets (staging.py)
    started: dt.datetime  # UTC
    clock: float  # time.perf_counter() when the run started

    @property
    def data_dir(self) -> Path:
        """The workbook's folder: ``--data-dir``, else the bundled sample."""
        return Path(self.options.data_dir or sample_dir())


def run_reports(options: RunOptions, progress: Progress = lambda _msg: None) -> RunResult:
    """Produce ``<out>/<period>/`` and its audit trail for the workbook and period in
    ``options``."""
    with run_cache.using():
        return _run(options, progress)


def _run(options: RunOptions, progress: Progress) -> RunResult:
    """Check, then build both folders beside their targets and move them into place. A
    failure in any step, or SIGTERM, removes the staging folders and leaves the targets
    as they were."""
    started, clock = dt.datetime.now(dt.UTC), time.perf_counter()
    topics = _check_topics(options.only)
    chromium, notes = _printer(options.pdf)
    wb, period = _validated(options)
    check_apart(options.out, internal_root(options.out, options.internal_out), period)
    data_dir = options.data_dir or sample_dir()
    progress(f"workbook {data_dir} is valid; period {period} ({period.start} to {period.end})")
    staging = prepare_staging(options.out, period, options.internal_out)
    plan = _Plan(
        options, wb, period, topics, chromium, [*wb.warnings, *notes], staging, started, clock
    )
    try:
        files = _build(plan, progress)
        publish(staging)
    except BaseException:
        discard(staging)
        raise
    target = staging.report_target
    shared = [target / p.relative_to(staging.report) for p in files]
    return RunResult(target, period, shared, plan.notes, staging.internal_target)


def _build(plan: _Plan, progress: Progress) -> list[Path]:
    """Write both folders into their staging folders, step by step: the shareable files
    written, in that order (``manifest.json``, written last, aside). The executed
    notebooks go to the audit trail alone; every file of the shareable folder, the
    manifest included, passes the leak scan before anything is moved."""
    with _pdf_printer(plan) as printer:
        executed = _execute_and_render(plan, progress, printer)
        exports = _write_exports(plan)  # while the last reports print
        files = [plan.staging.report / f"{t}.html" for t in plan.topics]
        files += _print_pdfs(plan, progress, printer)
    internal = [executed[t] for t in plan.topics]
    owner_only(plan.staging.internal)
    files += exports
    inputs = input_hashes(plan.wb)
    figures = figures_for(plan.wb, plan.period)
    files.append(_write_index(plan, exports, internal, inputs, figures))
    manifest = _manifest(plan, files, internal, inputs, figures)
    _write_manifest(plan, manifest)
    scan = _scan_for_leaks(plan)  # the whole folder; raises before any move
    plan.notes.extend(scan)
    _write_manifest(plan, {**manifest, "notes": [*manifest["notes"], *scan]})
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
    asked for either way and cannot be printed or read back. ``--pdf`` without Chromium,
    or without ``pdftotext`` (the leak scan reads every PDF it shares), is a RunError."""
    if pdf is False:
        return None, []
    chromium, pdftotext = find_chromium(), find_pdftotext()
    if pdf and chromium is None:
        raise RunError(
            "--pdf needs Chromium: install it (apt-get install chromium) "
            "or set JURO_CHROMIUM, or pass --no-pdf"
        )
    if pdf and pdftotext is None:
        raise RunError(
            "--pdf needs pdftotext, with which the leak scan reads each PDF: install it "
            "(apt-get install poppler-utils), or pass --no-pdf"
        )
    if chromium is None:
        return None, ["Chromium not found: PDF reports were skipped (apt-get install chromium)"]
    if pdftotext is None:
        return None, [
            "pdftotext not found: PDF reports were skipped, as the leak scan could not read "
            "them (apt-get install poppler-utils)"
        ]
    return chromium, []


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


def _pdf_printer(plan: _Plan) -> contextlib.AbstractContextManager[Printer | None]:
    """The background printer of the run's PDFs (``render.Printer``), or none."""
    if plan.chromium is None:
        return contextlib.nullcontext()
    return Printer(chromium=plan.chromium, jobs=plan.options.jobs)


def _execute_and_render(
    plan: _Plan, progress: Progress, printer: Printer | None
) -> dict[str, Path]:
    """Execute the notebooks into the audit trail's staging folder; each one's HTML page
    is written into the report's as soon as it has run, and queued for printing, while
    the others still execute. The executed copies, by topic."""
    footer = (
        f"{plan.wb.config.organisation} · period {plan.period} · juro_privacy {__version__} · "
        "aggregates only: no personal identifiers"
    )

    def render(topic: str, executed: Path) -> None:
        nb = nbformat.read(executed, as_version=4)
        page = notebook_to_html(nb, title=BY_NAME[topic].title, footer=footer)
        write_text(plan.staging.report / f"{topic}.html", page)
        if printer is not None:
            printer.add(plan.staging.report / f"{topic}.html")

    executed = execute_all(
        plan.topics,
        _notebook_parameters(plan),
        plan.staging.internal,
        jobs=plan.options.jobs,
        kernel=plan.options.kernel_name,
        progress=progress,
        optional={"engine": plan.options.engine} if plan.options.engine else {},
        on_done=render,
    )
    progress(f"rendered {len(plan.topics)} HTML report(s)")
    return executed


def _print_pdfs(plan: _Plan, progress: Progress, printer: Printer | None) -> list[Path]:
    """Each HTML page printed to PDF (queued as it was rendered), in the order of the
    topics, its dates pinned to the period's end so that two runs give the same bytes;
    none when the run prints no PDF."""
    if printer is None:
        return []
    printed = {p.stem: p for p in printer.finish()}
    pinned = pin_pdfs([printed[t] for t in plan.topics], plan.period.end)
    progress(f"printed {len(plan.topics)} PDF report(s) with {Path(printer.chromium).name}")
    return pinned


def _write_exports(plan: _Plan) -> list[Path]:
    """The exports of each topic of the run that has some (``exports_for`` of its api),
    in the order of the topics and of each topic's ``Topic.exports``."""
    files: list[Path] = []
    for topic in plan.topics:
        if BY_NAME[topic].exports:
            contents = api_of(topic).exports_for(plan.wb, plan.period)
            files += write_exports(_as_declared(topic, contents), plan.staging.report)
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
    """``index.html``: the status by area, the reports, exports, inputs, and where the
    audit trail is kept (its path and file names as text: no link, no content)."""
    page = plan.staging.report / "index.html"
    pdf = plan.chromium is not None
    html = index_html(
        plan.wb,
        plan.period,
        reports=[{"topic": t, "title": BY_NAME[t].title, "pdf": pdf} for t in plan.topics],
        exports=[p.name for p in exports],
        internal_folder=_internal_location(plan),
        internal=[p.name for p in internal],
        inputs=inputs,
        status=area_rows(figures.areas, figures.claims, set(plan.topics)),
        started=plan.started,
    )
    write_text(page, html)
    return page


def _internal_location(plan: _Plan) -> str:
    """Where the audit trail is, as the index and the manifest name it: relative to the
    report folder (``../internal/2026-Q3/`` by default), absolute when it is elsewhere."""
    target = plan.staging.internal_target.resolve()
    parent = plan.staging.report_target.resolve().parent
    if parent in target.parents:
        return f"../{target.relative_to(parent).as_posix()}/"
    return f"{target.as_posix()}/"


def _scan_for_leaks(plan: _Plan) -> list[str]:
    """The leak scan (``leaks.py``) of every file of the shareable folder: raises
    ``LeakError`` (or ``LeakScanError`` for a file it cannot read) before anything is
    moved; the note it leaves for the manifest."""
    scan = scan_folder(
        plan.wb, plan.staging.report, pdftotext=find_pdftotext(), engine=plan.options.engine
    )
    pdfs = sum(1 for f in scan.files if f.lower().endswith(".pdf"))
    return [
        f"leak scan: {len(scan.files)} shareable file(s), {pdfs} PDF(s) read with pdftotext, "
        f"checked against {scan.values:,} identifier value(s) from {', '.join(scan.columns)}: "
        "none found",
    ]


def _manifest(
    plan: _Plan,
    files: Sequence[Path],
    internal: Sequence[Path],
    inputs: Mapping[str, str],
    figures: Figures,
) -> dict[str, Any]:
    """``manifest.json``: the run's parameters, inputs, outputs, versions and notes; the
    audit trail by location and SHA-256 (the notebooks themselves stay in it)."""
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
        folder=plan.staging.report,
        started=plan.started,
        clock=plan.clock,
        notes=list(plan.notes),
        accountability=figures.summary,
    )
    manifest["internal"] = {
        "folder": _internal_location(plan),
        "files": {p.name: sha256(p) for p in sorted(internal)},
    }
    return manifest


def _write_manifest(plan: _Plan, manifest: Mapping[str, Any]) -> None:
    write_text(plan.staging.report / "manifest.json", json.dumps(manifest, indent=2) + "\n")
