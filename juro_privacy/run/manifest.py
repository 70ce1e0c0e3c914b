"""``manifest.json``: what a report folder was made from and what it holds.

The inputs and outputs by SHA-256, the run's parameters, the library versions, the
notes and the accountability summary (next quarter's trend reads it). The executed
notebooks are not in the folder: the run adds the audit trail's location and their
SHA-256 under ``internal``. ``verify`` checks a folder against it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata as md
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from juro_privacy import __version__
from juro_privacy.periods import Period
from juro_privacy.workbook.load import Workbook

#: The libraries whose versions the manifest records (``verify`` compares them).
LIBRARIES = ("pandas", "plotly", "papermill", "nbconvert", "pandera", "holidays", "duckdb")


def sha256(path: Path) -> str:
    """The hex SHA-256 of a file's bytes, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    """Python's, the package's and each of :data:`LIBRARIES`' version."""
    out = {"python": sys.version.split()[0], "juro_privacy": __version__}
    for lib in LIBRARIES:
        try:
            out[lib] = md.version(lib)
        except md.PackageNotFoundError:
            out[lib] = "not installed"
    return out


def input_hashes(wb: Workbook) -> dict[str, str]:
    """Every file the workbook was read from, by its path in the workbook's folder
    (absolute when outside it), with its SHA-256."""
    return {relative_name(p, wb.root): sha256(p) for p in wb.input_files()}


def relative_name(path: Path, root: Path) -> str:
    """``path`` relative to ``root``, or as it is when it lies outside ``root``."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def build_manifest(
    wb: Workbook,
    period: Period,
    *,
    parameters: Mapping[str, Any],
    inputs: Mapping[str, str],
    outputs: Iterable[Path],
    folder: Path,
    started: dt.datetime,
    clock: float,
    notes: list[str],
    accountability: Mapping[str, Any],
) -> dict[str, Any]:
    """The manifest of a run: ``outputs`` (files in ``folder``) hashed by their path in it,
    sorted; the run's times: ``started`` (UTC), finished now, and its duration from
    ``clock`` (the :func:`time.perf_counter` when it started)."""
    finished = dt.datetime.now(dt.UTC)
    return {
        "tool": "juro_privacy",
        "period": {"label": period.label, "start": str(period.start), "end": str(period.end)},
        "organisation": wb.config.organisation,
        "parameters": dict(parameters),
        "versions": library_versions(),
        "inputs": dict(inputs),
        "outputs": {str(p.relative_to(folder)): sha256(p) for p in sorted(outputs)},
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": finished.isoformat(timespec="seconds"),
        "duration_seconds": round(time.perf_counter() - clock, 2),
        "notes": notes,
        "accountability": accountability,
    }
