"""The report folder's life: built beside its target, moved into place only when complete.

A run writes ``<out>/.<period>.partial-<pid>/``; when every step has succeeded it is
renamed to ``<out>/<period>/``, and the folder it replaces is removed only after. A run
that fails or is stopped removes its staging folder and leaves the previous report as it
was.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from juro_privacy.errors import OutputError
from juro_privacy.periods import Period


def prepare_staging(out: Path, period: Period) -> Path:
    """A fresh, empty staging folder for ``period`` in ``out`` (with ``internal/``);
    ``OutputError`` (bad input, exit 2) when ``out`` cannot be written."""
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


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``; a full disk or a refused write is an
    ``OutputError`` naming the file."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise OutputError(f"the disk is full: {path.name} could not be written") from exc
        raise OutputError(f"{path.name} could not be written: {exc.strerror}") from exc


def swap_into_place(staging: Path, target: Path) -> None:
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
