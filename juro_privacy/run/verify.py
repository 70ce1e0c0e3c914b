"""``juro-privacy verify``: check a report folder against its manifest and a fresh run.

Three checks, in order:

1. every input the manifest names still has the hash it had (else: stop, the
   workbook changed and a re-run could not match);
2. every output file in the folder still has the hash the manifest gave it;
3. the same workbook, period and topics, run again into a temporary folder (the
   previous period's report, if beside the folder, is seen by the re-run as by the
   original one), gives byte-identical files.

Executed notebooks under ``internal/`` carry papermill's timestamps and are not
compared (:data:`juro_privacy.run.reproducible.VARYING`); nor is ``manifest.json``; the
index page is compared without the run time it shows.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from juro_privacy.errors import InputError
from juro_privacy.periods import parse_period
from juro_privacy.run.orchestrate import RunOptions, run_reports, sha256
from juro_privacy.run.reproducible import comparable

Progress = Callable[[str], None]


@dataclass
class Verification:
    folder: Path
    compared: int = 0
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path} is missing: is {folder} a report folder?") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path} cannot be read: {exc}") from exc
    for key in ("parameters", "inputs", "outputs"):
        if not isinstance(data.get(key), dict):
            raise InputError(f"{path} has no {key!r}: it is not a juro_privacy manifest")
    return data


def _compared(outputs: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in outputs.items() if not k.startswith("internal/")}


def verify_report(folder: Path, progress: Progress = lambda _msg: None) -> Verification:
    """Check ``folder`` (a ``reports/<period>/``) as the module docstring says."""
    folder = Path(folder)
    manifest = _manifest(folder)
    params = manifest["parameters"]
    result = Verification(folder)
    data_dir = Path(params["data_dir"])
    for rel, digest in manifest["inputs"].items():
        path = Path(rel) if Path(rel).is_absolute() else data_dir / rel
        if not path.is_file():
            result.differences.append(f"input {rel}: missing from {data_dir}")
        elif sha256(path) != digest:
            result.differences.append(f"input {rel}: changed since the run")
    if result.differences:
        result.notes.append("the workbook changed: not re-run")
        return result
    progress(f"inputs: {len(manifest['inputs'])} file(s) unchanged")
    outputs = _compared(manifest["outputs"])
    for rel, digest in outputs.items():
        path = folder / rel
        if not path.is_file():
            result.differences.append(f"{rel}: missing from the folder")
        elif sha256(path) != digest:
            result.differences.append(f"{rel}: changed since the run")
    if params.get("engine"):
        raise InputError(
            "verify re-runs from the workbook's files: a run that read --engine "
            "cannot be re-run (its credentials are not stored)"
        )
    period = parse_period(params["period"])
    with tempfile.TemporaryDirectory(prefix="juro-verify-") as tmp:
        out = Path(tmp)
        previous = folder.parent / period.previous().label
        if previous.is_dir():  # the original run compared with it: so does the re-run
            (out / previous.name).symlink_to(previous.resolve(), target_is_directory=True)
        progress(f"re-running {period} into a temporary folder")
        rerun = run_reports(
            RunOptions(
                data_dir=None if params.get("sample") else data_dir,
                period=period.label,
                out=out,
                pdf=bool(params.get("pdf")),
                only=tuple(params.get("topics") or ()),
                jobs=int(params.get("jobs") or 2),
            ),
            progress=progress,
        )
        fresh = _compared(json.loads((rerun.folder / "manifest.json").read_text())["outputs"])
        for rel in sorted(outputs.keys() & fresh.keys()):
            ours, theirs = folder / rel, rerun.folder / rel
            if (  # bytes that differ only in what two runs may differ in: the run time
                fresh[rel] != outputs[rel]
                and ours.is_file()
                and comparable(rel, ours.read_bytes()) == comparable(rel, theirs.read_bytes())
            ):
                fresh[rel] = outputs[rel]
    for rel in sorted(set(outputs) | set(fresh)):
        if rel not in fresh:
            result.differences.append(f"{rel}: not produced by the re-run")
        elif rel not in outputs:
            result.differences.append(f"{rel}: produced by the re-run only")
        elif fresh[rel] != outputs[rel]:
            result.differences.append(f"{rel}: the re-run gives different bytes")
    result.compared = len(outputs)
    versions = manifest.get("versions", {})
    now = _current_versions()
    changed = sorted(k for k in versions if versions.get(k) != now.get(k))
    if changed:
        result.notes.append(f"library versions differ from the run's: {', '.join(changed)}")
    return result


def _current_versions() -> dict[str, str]:
    from juro_privacy.run.orchestrate import _versions

    return _versions()
