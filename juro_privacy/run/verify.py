"""``juro-privacy verify``: check a report folder against its manifest and a fresh run.

Three checks, in order:

1. every input the manifest names still has the hash it had (else: stop, the
   workbook changed and a re-run could not match);
2. every output file in the folder still has the hash the manifest gave it;
3. the same workbook, period and topics, run again into a temporary folder (the
   previous period's report, if beside the folder, is seen by the re-run as by the
   original one), gives byte-identical files.

Only the shareable folder is checked: the files the manifest lists under ``outputs``.
The audit trail (the executed notebooks, kept apart in ``internal/<period>/``) is not
part of it and is not compared: the notebooks carry papermill's timestamps
(:data:`juro_privacy.run.reproducible.VARYING`), and a shared copy of the folder, the one
a recipient verifies, does not have them. Nor is ``manifest.json`` compared; the index
page is compared without the run time and the audit trail's location it shows.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from juro_privacy.errors import InputError
from juro_privacy.periods import Period, parse_period
from juro_privacy.run import Progress
from juro_privacy.run.manifest import library_versions, sha256
from juro_privacy.run.orchestrate import RunOptions, run_reports
from juro_privacy.run.reproducible import comparable


@dataclass
class Verification:
    """What ``verify`` found: the outputs compared, each difference, and notes."""

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
    """The shareable outputs of a manifest (a run made before the audit trail was kept
    apart listed its notebooks as ``internal/...``: they are left out)."""
    return {k: v for k, v in outputs.items() if not k.startswith("internal/")}


def verify_report(folder: Path, progress: Progress = lambda _msg: None) -> Verification:
    """Check ``folder`` (a ``reports/<period>/``) as the module docstring says."""
    folder = Path(folder)
    manifest = _manifest(folder)
    params = manifest["parameters"]
    result = Verification(folder)
    result.differences += _changed_inputs(manifest["inputs"], Path(params["data_dir"]))
    if result.differences:
        result.notes.append("the workbook changed: not re-run")
        return result
    progress(f"inputs: {len(manifest['inputs'])} file(s) unchanged")
    outputs = _compared(manifest["outputs"])
    result.differences += _changed_outputs(folder, outputs)
    if params.get("engine"):
        raise InputError(
            "verify re-runs from the workbook's files: a run that read --engine "
            "cannot be re-run (its credentials are not stored)"
        )
    fresh = _rerun(folder, params, outputs, progress)
    result.differences += _differences(outputs, fresh)
    result.compared = len(outputs)
    result.notes += _version_notes(manifest.get("versions", {}))
    return result


def _changed_inputs(inputs: dict[str, str], data_dir: Path) -> list[str]:
    """Each input of the manifest that is missing from ``data_dir`` or has changed."""
    changed = []
    for rel, digest in inputs.items():
        path = Path(rel) if Path(rel).is_absolute() else data_dir / rel
        if not path.is_file():
            changed.append(f"input {rel}: missing from {data_dir}")
        elif sha256(path) != digest:
            changed.append(f"input {rel}: changed since the run")
    return changed


def _changed_outputs(folder: Path, outputs: dict[str, str]) -> list[str]:
    """Each output of the manifest that is missing from ``folder`` or has changed."""
    changed = []
    for rel, digest in outputs.items():
        path = folder / rel
        if not path.is_file():
            changed.append(f"{rel}: missing from the folder")
        elif sha256(path) != digest:
            changed.append(f"{rel}: changed since the run")
    return changed


def _rerun(
    folder: Path, params: dict[str, Any], outputs: dict[str, str], progress: Progress
) -> dict[str, str]:
    """The outputs of the same run made again in a temporary folder, by hash; a file whose
    bytes differ only in what two runs may differ in (the run time) counts as the same."""
    period = parse_period(params["period"])
    with tempfile.TemporaryDirectory(prefix="juro-verify-") as tmp:
        out = Path(tmp)
        previous = folder.parent / period.previous().label
        if previous.is_dir():  # the original run compared with it: so does the re-run
            (out / previous.name).symlink_to(previous.resolve(), target_is_directory=True)
        progress(f"re-running {period} into a temporary folder")
        rerun = run_reports(_options(params, period, out), progress=progress)
        fresh = _compared(json.loads((rerun.folder / "manifest.json").read_text())["outputs"])
        for rel in sorted(outputs.keys() & fresh.keys()):
            ours, theirs = folder / rel, rerun.folder / rel
            if (
                fresh[rel] != outputs[rel]
                and ours.is_file()
                and comparable(rel, ours.read_bytes()) == comparable(rel, theirs.read_bytes())
            ):
                fresh[rel] = outputs[rel]
    return fresh


def _options(params: dict[str, Any], period: Period, out: Path) -> RunOptions:
    """The options of the run the manifest's ``parameters`` describe, into ``out``."""
    return RunOptions(
        data_dir=None if params.get("sample") else Path(params["data_dir"]),
        period=period.label,
        out=out,
        pdf=bool(params.get("pdf")),
        only=tuple(params.get("topics") or ()),
        jobs=int(params.get("jobs") or 2),
    )


def _differences(outputs: dict[str, str], fresh: dict[str, str]) -> list[str]:
    """Each file the run and the re-run do not agree on."""
    differences = []
    for rel in sorted(set(outputs) | set(fresh)):
        if rel not in fresh:
            differences.append(f"{rel}: not produced by the re-run")
        elif rel not in outputs:
            differences.append(f"{rel}: produced by the re-run only")
        elif fresh[rel] != outputs[rel]:
            differences.append(f"{rel}: the re-run gives different bytes")
    return differences


def _version_notes(versions: dict[str, str]) -> list[str]:
    """A note naming the libraries whose versions differ from the run's, if any."""
    now = library_versions()
    changed = sorted(k for k in versions if versions.get(k) != now.get(k))
    return [f"library versions differ from the run's: {', '.join(changed)}"] if changed else []
