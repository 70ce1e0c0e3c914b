"""The run's two folders: built beside their targets, moved into place only when complete.

A run writes two folders, kept apart so that the one a DPO sends never holds the other:

- the shareable report, ``<out>/<period>/``: what may leave the DPO's desk (every file
  in it passes the leak scan);
- the audit trail, ``<internal out>/<period>/`` (by default ``<out>/internal/<period>/``):
  the executed notebooks, which may show request ids for the DPO's own follow-up. It is
  owner-only: folders ``0700``, files ``0600``.

Each is built as ``.<period>.partial-<pid>/`` in its parent (so that its move is a rename
on one file system); when every step has succeeded both are renamed into place, the
audit trail first, and the folders they replace are removed only after. A run that fails
or is stopped removes its staging folders (and an ``internal`` folder it created and left
empty) and leaves the previous report and audit trail as they were.
"""

from __future__ import annotations

import errno
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from juro_privacy.errors import InputError, OutputError, PeriodError
from juro_privacy.periods import Period, parse_period

#: The folder of ``--out`` that holds the audit trails when ``--internal-out`` is not given.
INTERNAL = "internal"
#: Owner-only modes of the audit trail (read and written by the DPO's account alone).
OWNER_ONLY_DIR = 0o700
OWNER_ONLY_FILE = 0o600


@dataclass(frozen=True)
class Staging:
    """The folders a run builds (``report``, ``internal``) and where each goes."""

    report: Path  # <out>/.<period>.partial-<pid>/
    internal: Path  # <internal out>/.<period>.partial-<pid>/, owner-only
    report_target: Path  # <out>/<period>/
    internal_target: Path  # <internal out>/<period>/
    created: tuple[Path, ...] = ()  # folders made for the audit trail, removed if left empty


def internal_root(out: Path, internal_out: Path | None) -> Path:
    """The folder that receives ``<period>/`` of the audit trail: ``--internal-out``, else
    ``<out>/internal``."""
    return internal_out if internal_out is not None else out / INTERNAL


def check_apart(out: Path, internal_out: Path, period: Period) -> None:
    """Refuse an audit-trail folder that would sit inside a shareable report (or hold it):
    ``<internal out>/<period>/`` must lie neither in ``<out>/<period>/`` nor in any other
    period's report folder of ``out``, and must not contain ``<out>/<period>/``
    (``InputError``, exit 2, before anything is written)."""
    report = (out / period.label).resolve()
    internal = (internal_out / period.label).resolve()
    if internal == report or report in internal.parents or internal in report.parents:
        raise InputError(
            f"--internal-out {internal_out} puts the audit trail {internal} and the report "
            f"{report} in one folder: choose a folder outside {report}"
        )
    if out.resolve() in internal.parents:
        first = internal.relative_to(out.resolve()).parts[0]
        if first.startswith(".") or _is_period(first):
            raise InputError(
                f"--internal-out {internal_out} lies inside the report folder "
                f"{out / first}, which is shared: choose a folder outside it"
            )


def _is_period(name: str) -> bool:
    try:
        parse_period(name)
    except PeriodError:
        return False
    return True


def prepare_staging(out: Path, period: Period, internal_out: Path | None = None) -> Staging:
    """Fresh, empty staging folders for ``period``: the report's in ``out``, the audit
    trail's (owner-only) in its root; ``OutputError`` (bad input, exit 2) when either
    folder cannot be written."""
    root = internal_root(out, internal_out)
    _probe(out, period, "report folder")
    created = _make_owner_only(root)
    try:
        _probe(root, period, "audit-trail folder")
    except OutputError:
        _remove_if_empty(created)
        raise
    pid = os.getpid()
    report = out / f".{period.label}.partial-{pid}"
    internal = root / f".{period.label}.partial-{pid}"
    for folder in (report, internal):
        shutil.rmtree(folder, ignore_errors=True)
    report.mkdir()
    internal.mkdir(mode=OWNER_ONLY_DIR)
    internal.chmod(OWNER_ONLY_DIR)
    return Staging(report, internal, out / period.label, root / period.label, created)


def _probe(folder: Path, period: Period, what: str) -> None:
    """Create ``folder`` if needed and check that a file can be written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".{period.label}.probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"the {what} {folder} cannot be written: {exc.strerror}") from exc


def _make_owner_only(root: Path) -> tuple[Path, ...]:
    """Create ``root`` and its missing parents, ``root`` itself owner-only; the folders
    created, deepest first (an existing ``root`` keeps its mode: its period folders are
    owner-only)."""
    missing = [p for p in (root, *root.parents) if not p.exists()]
    try:
        root.mkdir(mode=OWNER_ONLY_DIR, parents=True, exist_ok=True)
        if root in missing:
            root.chmod(OWNER_ONLY_DIR)
    except OSError as exc:
        _remove_if_empty(tuple(missing))
        raise OutputError(
            f"the audit-trail folder {root} cannot be written: {exc.strerror}"
        ) from exc
    return tuple(missing)


def owner_only(folder: Path) -> None:
    """Make ``folder`` and everything in it readable by its owner alone (0700 folders,
    0600 files)."""
    folder.chmod(OWNER_ONLY_DIR)
    for path in folder.rglob("*"):
        path.chmod(OWNER_ONLY_DIR if path.is_dir() else OWNER_ONLY_FILE)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``; a full disk or a refused write is an
    ``OutputError`` naming the file."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise OutputError(f"the disk is full: {path.name} could not be written") from exc
        raise OutputError(f"{path.name} could not be written: {exc.strerror}") from exc


def publish(staging: Staging) -> None:
    """Move both finished folders into place, the audit trail first, then the report; the
    folders they replace are removed only after. A failure part way (or SIGTERM, Ctrl-C)
    moves back what was moved, so that :func:`discard` finds the staging folders and the
    previous report and audit trail are in place again."""
    moves = ((staging.internal, staging.internal_target), (staging.report, staging.report_target))
    done: list[tuple[Path, Path, Path]] = []
    try:
        for new, target in moves:
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            done.append((new, target, old))
            if target.exists():
                target.rename(old)
            new.rename(target)
    except BaseException:
        for new, target, old in reversed(done):
            if target.exists() and not new.exists():
                target.rename(new)
            if old.exists() and not target.exists():
                old.rename(target)
        raise
    for _, _, old in done:
        shutil.rmtree(old, ignore_errors=True)


def discard(staging: Staging) -> None:
    """Remove the staging folders, and the audit-trail folders this run created if they
    are left empty: a failed run leaves nothing behind."""
    shutil.rmtree(staging.report, ignore_errors=True)
    shutil.rmtree(staging.internal, ignore_errors=True)
    _remove_if_empty(staging.created)


def _remove_if_empty(folders: tuple[Path, ...]) -> None:
    for folder in folders:  # deepest first
        try:
            folder.rmdir()
        except OSError:
            return
