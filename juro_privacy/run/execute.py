"""Executing the topic notebooks with papermill, in a pool of worker processes.

Each notebook runs in its own process and kernel; a failure comes back as data (the
failing cell, the error's name and value) and is raised in the run's process as a
:class:`~juro_privacy.errors.NotebookError`, once the notebooks already running have
finished. A run that stops (an error, Ctrl-C, SIGTERM) drops the notebooks still queued.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import random
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat

from juro_privacy.errors import NotebookError, RunError
from juro_privacy.paths import notebooks_dir
from juro_privacy.registry import execution_order
from juro_privacy.run import Progress

#: What :func:`execute_notebook` sends back when a notebook failed: the cell's 1-based
#: number (None when unknown), the error's name and its value.
Failure = dict[str, Any]

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


def execute_notebook(
    notebook: str, output: str, parameters: dict[str, Any], kernel: str, cwd: str
) -> tuple[float, Failure | None]:
    """Run one notebook with papermill (in a worker process): the seconds it took, and
    what failed (None: it ran). Errors come back as data, never raised."""
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
        failure = {
            "cell_index": source_cell_number(notebook, exc.source),
            "ename": exc.ename,
            "evalue": exc.evalue,
        }
        return time.perf_counter() - start, failure
    except Exception as exc:  # kernel died, notebook unreadable: reported, not raised
        failure = {"cell_index": None, "ename": type(exc).__name__, "evalue": str(exc)}
        return time.perf_counter() - start, failure
    return time.perf_counter() - start, None


def source_cell_number(notebook: str, source: str) -> int | None:
    """The 1-based number of the cell holding ``source`` in the notebook as written
    (papermill's own index counts the parameters cell it injects)."""
    nb = nbformat.read(notebook, as_version=4)
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code" and cell.source.strip() == source.strip():
            return i
    return None


def declared_parameters(notebook: Path, optional: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of ``optional`` that ``notebook``'s parameters cell declares."""
    if not optional:
        return {}
    import papermill as pm

    names = pm.inspect_notebook(str(notebook))
    return {k: v for k, v in optional.items() if k in names}


@contextlib.contextmanager
def process_pool(jobs: int) -> Iterator[cf.ProcessPoolExecutor]:
    """A process pool that, when the run stops (an error, Ctrl-C, SIGTERM), drops the
    notebooks still queued instead of running them, then waits for the busy workers.

    Workers start from a fresh ``forkserver`` process, not by forking this one: a process
    that already holds threads (a DuckDB connection's pool, a Spark gateway, a printer)
    may leave a forked child with a lock held forever or crash it ("A process in the
    process pool was terminated abruptly"), as the test suite showed after the lazy leak
    scan's tests. Python 3.14 makes ``forkserver`` the default on Linux for that reason.
    """
    context = multiprocessing.get_context("forkserver")
    pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def execute_all(
    topics: Sequence[str],
    params: dict[str, Any],
    folder: Path,
    *,
    jobs: int,
    kernel: str,
    progress: Progress,
    optional: Mapping[str, Any] | None = None,
    on_done: Callable[[str, Path], None] | None = None,
) -> dict[str, Path]:
    """Execute each topic's notebook into ``folder``, by :func:`registry.execution_order
    <juro_privacy.registry.execution_order>`, and return the executed copies by topic.

    ``optional`` parameters go only to the notebooks whose parameters cell declares them
    (papermill warns about the others). ``on_done(topic, executed)`` is called for each
    success as soon as it finishes, until one fails; the first failure is raised.
    """
    workers = max(1, min(jobs, len(topics)))
    with process_pool(workers) as pool:
        futures = submit_all(pool, topics, params, folder, kernel, optional or {})
        progress(f"executing {len(topics)} notebook(s) with {workers} worker(s)")
        failures = collect(futures, progress, on_done)
        if failures:
            raise failures[0]
    return dict(futures.values())


#: A notebook started in the pool: its outcome to come, and (topic, executed copy).
Started = dict[cf.Future[tuple[float, Failure | None]], tuple[str, Path]]


def submit_all(
    pool: cf.Executor,
    topics: Sequence[str],
    params: dict[str, Any],
    folder: Path,
    kernel: str,
    optional: Mapping[str, Any],
) -> Started:
    """Start each topic's notebook in ``pool``, the longest first, its executed copy to go
    into ``folder``. A notebook missing from the installation stops the run there."""
    source = notebooks_dir()
    started: Started = {}
    for topic in execution_order(list(topics)):
        nb_in = source / f"{topic}.ipynb"
        if not nb_in.is_file():
            raise RunError(f"notebook {nb_in} is missing from the installation")
        parameters = {**params, **declared_parameters(nb_in, optional)}
        nb_out = folder / f"{topic}.ipynb"
        future = pool.submit(
            execute_notebook, str(nb_in), str(nb_out), parameters, kernel, str(source)
        )
        started[future] = (topic, nb_out)
    return started


def collect(
    started: Started, progress: Progress, on_done: Callable[[str, Path], None] | None
) -> list[NotebookError]:
    """Wait for every notebook, saying each one's outcome as it comes; ``on_done(topic,
    executed)`` for each success while none has failed. The failures, in the order they
    came."""
    failures: list[NotebookError] = []
    for done, future in enumerate(cf.as_completed(started), start=1):
        topic, executed = started[future]
        seconds, error = future.result()
        if error:
            failures.append(
                NotebookError(
                    f"{topic}.ipynb", error["cell_index"], error["ename"], error["evalue"]
                )
            )
            progress(f"[{done}/{len(started)}] {topic}: FAILED after {seconds:.1f}s")
        else:
            progress(f"[{done}/{len(started)}] {topic}: executed in {seconds:.1f}s")
            if on_done and not failures:
                on_done(topic, executed)
    return failures
