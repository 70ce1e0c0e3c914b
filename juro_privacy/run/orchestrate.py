"""The quarterly run: execute each topic notebook, render, export, write atomically.

``run_reports`` is what ``juro-privacy run`` calls. It validates the workbook
first (nothing runs on bad input), executes the topic notebooks with papermill
in a process pool, renders them in-process with nbconvert, prints PDFs with
headless Chromium, and writes ``reports/<period>/`` by building it beside the
target and moving it into place only when everything succeeded.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import errno
import hashlib
import importlib.metadata as md
import json
import os
import random
import shutil
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from juro_privacy import __version__, run_cache
from juro_privacy.errors import InputError, NotebookError, OutputError, RenderError, RunError
from juro_privacy.paths import TOPICS, notebooks_dir, sample_dir
from juro_privacy.periods import Period, parse_period
from juro_privacy.registry import EXECUTION_ORDER, TOPIC_INFO
from juro_privacy.rules.retention.rule import _redact
from juro_privacy.run.render import find_chromium, html_to_pdf, notebook_to_html
from juro_privacy.run.reproducible import pin_pdf_dates
from juro_privacy.topics.accountability.analysis import area_rows, figures_for
from juro_privacy.topics.dpia.document import validate as validate_dpia_inputs
from juro_privacy.topics.retention.report import check_accounts
from juro_privacy.workbook.load import Workbook, load_shared_workbook

Progress = Callable[[str], None]
LIBRARIES = ("pandas", "plotly", "papermill", "nbconvert", "pandera", "holidays", "duckdb")


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
    folder: Path
    period: Period
    files: list[Path]
    notes: list[str] = field(default_factory=list)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _execute(
    notebook: str, output: str, parameters: dict[str, Any], kernel: str, cwd: str
) -> tuple[float, dict[str, Any] | None]:
    """Run one notebook with papermill (in a worker process); errors come back as data."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    # The kernel inherits this worker's stderr and chats there (transport warnings);
    # failures come back through papermill's exception, so silence it.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            retry_kernel_start(
                lambda: pm.execute_notebook(
                    notebook,
                    output,
                    parameters=parameters,
                    kernel_name=kernel,
                    progress_bar=False,
                    log_output=False,
                    cwd=cwd,
                )
            )
    except PapermillExecutionError as exc:
        return time.perf_counter() - start, {
            "cell_index": _source_cell_number(notebook, exc.source),
            "ename": exc.ename,
            "evalue": exc.evalue,
        }
    except Exception as exc:  # kernel died, notebook unreadable: reported, not raised
        return time.perf_counter() - start, {
            "cell_index": None,
            "ename": type(exc).__name__,
            "evalue": str(exc),
        }
    return time.perf_counter() - start, None


#: What jupyter_client says when a kernel could not start. Kernels started at the same
#: moment in parallel processes can pick the same free port (papermill issue #511,
#: "ZMQError: Address already in use"); nothing has run yet, so starting again is safe.
KERNEL_START_FAILURES = (
    "Kernel died before replying to kernel_info",
    "Kernel didn't respond in",
)


def retry_kernel_start(
    run: Callable[[], object],
    attempts: int = 3,
    pause: Callable[[int], None] = lambda n: time.sleep(0.2 + random.random() * n),
) -> None:
    """``run()``, started again (up to ``attempts`` times in all) when the kernel failed
    to start; any other error, or a failure once cells ran, is raised at once."""
    for attempt in range(1, attempts + 1):
        try:
            run()
            return
        except RuntimeError as exc:
            if attempt == attempts or not any(m in str(exc) for m in KERNEL_START_FAILURES):
                raise
            pause(attempt)


def _source_cell_number(notebook: str, source: str) -> int | None:
    """The 1-based number of the cell holding ``source`` in the notebook as written
    (papermill's own index counts the parameters cell it injects)."""
    nb = nbformat.read(notebook, as_version=4)
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code" and cell.source.strip() == source.strip():
            return i
    return None


def _check_topics(only: Sequence[str]) -> tuple[str, ...]:
    unknown = [t for t in only if t not in TOPICS]
    if unknown:
        raise InputError(f"unknown topic {', '.join(unknown)}: choose from {', '.join(TOPICS)}")
    return tuple(t for t in TOPICS if not only or t in only)


def _prepare_out(out: Path, period: Period) -> Path:
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".{period.label}.probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"the report folder {out} cannot be written: {exc.strerror}") from exc
    staging = out / f".{period.label}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "internal").mkdir(parents=True)
    return staging


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise OutputError(f"the disk is full: {path.name} could not be written") from exc
        raise OutputError(f"{path.name} could not be written: {exc.strerror}") from exc


def _versions() -> dict[str, str]:
    out = {"python": sys.version.split()[0], "juro_privacy": __version__}
    for lib in LIBRARIES:
        try:
            out[lib] = md.version(lib)
        except md.PackageNotFoundError:
            out[lib] = "not installed"
    return out


def _index_html(
    wb: Workbook,
    period: Period,
    reports: list[dict[str, Any]],
    exports: list[str],
    internal: list[str],
    inputs: dict[str, str],
    status: list[dict[str, str]],
    started: dt.datetime,
) -> str:
    import jinja2

    from juro_privacy.paths import templates_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()), autoescape=True, keep_trailing_newline=True
    )
    return env.get_template("index.html.j2").render(
        organisation=wb.config.organisation,
        dpo=wb.config.dpo,
        period=period,
        reports=reports,
        exports=exports,
        internal=internal,
        inputs=inputs,
        status=status,
        started=started.strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
    )


def run_reports(options: RunOptions, progress: Progress = lambda _msg: None) -> RunResult:
    """Produce ``<out>/<period>/`` for the workbook and period in ``options``."""
    with run_cache.using():
        return _run(options, progress)


def _run(options: RunOptions, progress: Progress) -> RunResult:
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    data_dir = options.data_dir or sample_dir()
    wb = load_shared_workbook(data_dir)
    validate_dpia_inputs(wb)  # metric names, risk scale, dpia.yaml: bad input, exit 2
    period = parse_period(options.period or wb.config.default_period)
    topics = _check_topics(options.only)
    notes = list(wb.warnings)
    chromium = find_chromium()
    pdf = options.pdf if options.pdf is not None else chromium is not None
    if pdf and chromium is None:
        raise RunError(
            "--pdf needs Chromium: install it (apt-get install chromium) "
            "or set JURO_CHROMIUM, or pass --no-pdf"
        )
    if options.pdf is None and chromium is None:
        notes.append("Chromium not found: PDF reports were skipped (apt-get install chromium)")
    check_accounts(wb, period)  # the summary it computes stays in the run's cache
    _check_engine(options.engine)
    progress(f"workbook {data_dir} is valid; period {period} ({period.start} to {period.end})")

    out = options.out
    target = out / period.label
    staging = _prepare_out(out, period)
    try:
        previous = out / period.previous().label
        params = {
            "data_dir": "" if options.data_dir is None else str(Path(data_dir).resolve()),
            "period": period.label,
            "previous_dir": str(previous.resolve()) if previous.is_dir() else "",
        }
        optional = {"engine": options.engine} if options.engine else {}
        files: list[Path] = []
        footer = (
            f"{wb.config.organisation} · period {period} · juro_privacy {__version__} · "
            "aggregates only: no personal identifiers"
        )

        def render(topic: str, executed: Path) -> None:
            """HTML for one notebook, while the others are still executing."""
            nb = nbformat.read(executed, as_version=4)
            page = staging / f"{topic}.html"
            _write(page, notebook_to_html(nb, title=TOPIC_INFO[topic].title, footer=footer))

        executed = _execute_all(
            topics,
            params,
            staging / "internal",
            options,
            progress,
            optional,
            on_done=render,
        )
        files += [staging / f"{topic}.html" for topic in topics]
        progress(f"rendered {len(topics)} HTML report(s)")
        if pdf:
            assert chromium is not None
            files += pin_pdf_dates(_print_all(topics, staging, chromium, options.jobs), period.end)
            progress(f"printed {len(topics)} PDF report(s) with {Path(chromium).name}")
        exports: list[str] = []
        for topic in topics:
            exporter = TOPIC_INFO[topic].export
            for path in exporter(wb, period, staging) if exporter else []:
                exports.append(path.name)
                files.append(path)
        internal = [f"internal/{executed[t].name}" for t in topics]
        files += [executed[t] for t in topics]
        inputs = {_rel(p, wb.root): sha256(p) for p in wb.input_files()}
        index = staging / "index.html"
        reports = [{"topic": t, "title": TOPIC_INFO[t].title, "pdf": pdf} for t in topics]
        figures = figures_for(wb, period)
        status = area_rows(figures.areas, figures.claims, set(topics))
        _write(
            index,
            _index_html(wb, period, reports, exports, internal, inputs, status, started),
        )
        files.append(index)
        notes += _scan_for_leaks(wb, staging)
        finished = dt.datetime.now(dt.UTC)
        manifest = {
            "tool": "juro_privacy",
            "period": {"label": period.label, "start": str(period.start), "end": str(period.end)},
            "organisation": wb.config.organisation,
            "parameters": {
                "data_dir": str(Path(data_dir).resolve()),
                "sample": options.data_dir is None,
                "period": period.label,
                "topics": list(topics),
                "pdf": pdf,
                "jobs": options.jobs,
                "engine": _redact(options.engine),
            },
            "versions": _versions(),
            "inputs": inputs,
            "outputs": {str(p.relative_to(staging)): sha256(p) for p in sorted(files)},
            "started_at": started.isoformat(timespec="seconds"),
            "finished_at": finished.isoformat(timespec="seconds"),
            "duration_seconds": round(time.perf_counter() - t0, 2),
            "notes": notes,
            "accountability": figures.summary,
        }
        _write(staging / "manifest.json", json.dumps(manifest, indent=2) + "\n")
        _swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return RunResult(target, period, [target / p.relative_to(staging) for p in files], notes)


def _check_engine(url: str) -> None:
    """Open ``--engine`` and its ``accounts`` table before any notebook runs: a bad URL
    is bad input (``RetentionError``, exit 2). The connection is closed again so that a
    file database (DuckDB) is free for the notebook's kernel."""
    if not url:
        return
    from juro_privacy.rules.retention.rule import connect_engine

    table = connect_engine(url)
    # Some backends cannot disconnect; the check has passed anyway.
    with contextlib.suppress(Exception):
        table.get_backend().disconnect()


def _declared(notebook: Path, optional: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``optional`` that ``notebook``'s parameters cell declares."""
    if not optional:
        return {}
    import papermill as pm

    names = pm.inspect_notebook(str(notebook))
    return {k: v for k, v in optional.items() if k in names}


def _scan_for_leaks(wb: Workbook, staging: Path) -> list[str]:
    """The leak scan (``leaks.py``): raises ``LeakError`` before anything is moved."""
    from juro_privacy.run.leaks import scan_folder

    scan = scan_folder(wb, staging)
    return [
        *scan.notes,
        f"leak scan: {len(scan.files)} shareable file(s) checked against {scan.values:,} "
        f"identifier value(s) from {', '.join(scan.columns)}: none found",
    ]


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _execute_all(
    topics: Sequence[str],
    params: dict[str, Any],
    folder: Path,
    options: RunOptions,
    progress: Progress,
    optional: dict[str, Any] | None = None,
    on_done: Callable[[str, Path], None] | None = None,
) -> dict[str, Path]:
    """Execute each topic's notebook; ``optional`` parameters go only to the notebooks
    whose parameters cell declares them (papermill warns about the others).
    ``on_done(topic, executed)`` is called for each success as soon as it finishes."""
    source = notebooks_dir()
    out: dict[str, Path] = {}
    jobs = max(1, min(options.jobs, len(topics)))
    with _process_pool(jobs) as pool:
        futures = {}
        for topic in sorted(topics, key=_start_rank):
            nb_in = source / f"{topic}.ipynb"
            if not nb_in.is_file():
                raise RunError(f"notebook {nb_in} is missing from the installation")
            out[topic] = folder / f"{topic}.ipynb"
            futures[
                pool.submit(
                    _execute,
                    str(nb_in),
                    str(out[topic]),
                    {**params, **_declared(nb_in, optional or {})},
                    options.kernel_name,
                    str(source),
                )
            ] = topic
        progress(f"executing {len(topics)} notebook(s) with {jobs} worker(s)")
        failures: list[NotebookError] = []
        for done, future in enumerate(cf.as_completed(futures), start=1):
            topic = futures[future]
            seconds, error = future.result()
            if error:
                failures.append(
                    NotebookError(
                        f"{topic}.ipynb", error["cell_index"], error["ename"], error["evalue"]
                    )
                )
                progress(f"[{done}/{len(topics)}] {topic}: FAILED after {seconds:.1f}s")
            else:
                progress(f"[{done}/{len(topics)}] {topic}: executed in {seconds:.1f}s")
                if on_done and not failures:
                    on_done(topic, out[topic])
        if failures:
            raise failures[0]
    return out


def _start_rank(topic: str) -> int:
    """Where ``topic`` comes in :data:`~juro_privacy.registry.EXECUTION_ORDER` (unknown: last)."""
    return EXECUTION_ORDER.index(topic) if topic in EXECUTION_ORDER else len(EXECUTION_ORDER)


@contextlib.contextmanager
def _process_pool(jobs: int) -> Iterator[cf.ProcessPoolExecutor]:
    """A process pool that, when the run stops (an error, Ctrl-C, SIGTERM), drops the
    notebooks still queued instead of running them, then waits for the busy workers."""
    pool = cf.ProcessPoolExecutor(max_workers=jobs)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _print_all(topics: Sequence[str], folder: Path, chromium: str, jobs: int) -> list[Path]:
    pdfs = [folder / f"{t}.pdf" for t in topics]
    with cf.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(
            pool.map(
                lambda t: html_to_pdf(folder / f"{t}.html", folder / f"{t}.pdf", chromium=chromium),
                topics,
            )
        )
    missing = [p.name for p in pdfs if not p.is_file()]
    if missing:
        raise RenderError(f"PDF not written: {', '.join(missing)}")
    return pdfs


def _swap_into_place(staging: Path, target: Path) -> None:
    """Move the finished folder into place; the previous one is removed only after."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    try:
        staging.rename(target)
    except BaseException:  # OSError, or SIGTERM/Ctrl-C between the two renames
        if old.exists() and not target.exists():
            old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
