"""Figures computed once per quarterly run and shared by its notebooks and exports.

Several reports need the same figures: the retention summary feeds the retention
report, the metric registry (DPIA, accountability) and the findings export; the
flow table feeds the flows, DPIA and register reports. Each topic notebook runs in
its own kernel, so without help each kernel would load the workbook and compute
them again (the run was twice the benchmark floor before this module; issue 2).

During a run, :func:`juro_privacy.run.orchestrate.run_reports` points ``JURO_PRIVACY_RUN_CACHE``
at a private folder of its own (:func:`using`); its worker processes and their
kernels inherit it. A function decorated with :func:`shared` then stores its result
there the first time it is called with given arguments and reads it back after.
Outside a run (an analyst in JupyterLab, a test) the variable is unset and every
call computes, so the cache can never change a figure, only skip recomputing it.

The folder is created by the run with ``tempfile.mkdtemp`` (private to the user),
holds pickles only that run wrote, and is removed when the run ends; it is never
part of the report folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import inspect
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ParamSpec, TypeVar

ENV = "JURO_PRIVACY_RUN_CACHE"

P = ParamSpec("P")
R = TypeVar("R")


def folder() -> Path | None:
    """The current run's cache folder, or ``None`` outside a run."""
    value = os.environ.get(ENV, "")
    return Path(value) if value and Path(value).is_dir() else None


@contextlib.contextmanager
def using() -> Iterator[Path]:
    """A fresh cache folder for one run, exported in ``JURO_PRIVACY_RUN_CACHE`` to this
    process and the processes it starts; removed, and the variable restored, after."""
    before = os.environ.get(ENV)
    path = Path(tempfile.mkdtemp(prefix="juro-privacy-run-"))
    os.environ[ENV] = str(path)
    try:
        yield path
    finally:
        if before is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = before
        shutil.rmtree(path, ignore_errors=True)


def key(name: str, *parts: object) -> str:
    """A file name for ``name`` called on ``parts`` (their stable ``repr``, hashed)."""
    digest = hashlib.sha256(_stable((name, *parts)).encode()).hexdigest()[:24]
    return f"{name}-{digest}.pickle"


def _stable(value: object) -> str:
    """``repr``, with functions named instead of located (their address differs from one
    process to the next, so a tuple of default collectors would never match)."""
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_stable(v) for v in value) + ")"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return repr(value)


def fetch(name: str, parts: tuple[object, ...], compute: Callable[[], R]) -> R:
    """``compute()``, read from the run's cache when an earlier call stored it.

    Computed once per run: a kernel that asks while another computes the same figure
    waits for it (an exclusive ``flock`` on the entry's lock file) and reads what it
    stored, instead of doing the same work twice in parallel (issue 13: at 100 million
    accounts the retention and DPIA notebooks each scanned the accounts for one summary).
    The pickle is written to a temporary file and renamed into place, so a reader sees a
    whole pickle or none.
    """
    root = folder()
    if root is None:
        return compute()
    path = root / key(name, *parts)
    with path.with_suffix(".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if path.is_file():
            with path.open("rb") as handle:
                stored: R = pickle.load(handle)
            return stored
        value = compute()
        partial = path.with_suffix(f".{os.getpid()}.partial")
        with partial.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
        return value


def shared(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorate a ``*_for(workbook, period, ...)`` function whose result depends only on
    the workbook's folder and its arguments: within a run it is computed once.

    The key is the function's name, the workbook's folder (``workbook.root``) and where
    it counts its accounts (``workbook.engine``), and the ``repr`` of the other
    arguments, so a call with other arguments (another period, another engine) is
    computed and stored on its own.
    """
    name = f"{fn.__module__}.{fn.__qualname__}"
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if folder() is None:
            return fn(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()  # f(wb, p) and f(wb, p, engine="") are one call
        workbook, *rest = bound.arguments.values()
        parts = (str(Path(workbook.root).resolve()), getattr(workbook, "engine", ""), *rest)
        return fetch(name, parts, lambda: fn(*args, **kwargs))

    return wrapper
