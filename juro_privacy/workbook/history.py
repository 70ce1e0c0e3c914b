"""What earlier quarterly runs left in the reports folder, read back for comparison.

A run writes ``reports/<period>/`` (``juro_privacy.run``); the next quarter's register
diff, findings diff and eight-quarter trend read the previous runs' ``register.csv``,
``findings.csv`` and the ``accountability`` summary of their ``manifest.json``. Each
reader returns ``None`` when there is no such run or file: the reports then say so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

FINDINGS_FILE = "findings.csv"
MANIFEST_FILE = "manifest.json"
REGISTER_FILE = "register.csv"
SEVERITIES = ("high", "medium", "low")


def _csv(folder: str | Path | None, name: str) -> pd.DataFrame | None:
    if not folder:
        return None
    path = Path(folder) / name
    if not path.is_file():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def read_register_at(folder: str | Path | None) -> pd.DataFrame | None:
    """The register a previous run exported into ``folder`` (a notebook parameter:
    empty means no previous run), or ``None``."""
    return _csv(folder, REGISTER_FILE)


def read_findings(folder: str | Path | None) -> pd.DataFrame | None:
    """The findings a previous run exported into ``folder``, or ``None``."""
    return _csv(folder, FINDINGS_FILE)


def read_summary(folder: str | Path | None) -> dict[str, Any] | None:
    """The ``accountability`` summary an earlier run kept in its ``manifest.json``."""
    if not folder:
        return None
    path = Path(folder) / MANIFEST_FILE
    try:
        summary = json.loads(path.read_text(encoding="utf-8")).get("accountability")
    except (OSError, ValueError, AttributeError):
        return None
    return summary if isinstance(summary, dict) else None


def earlier_summary(folder: str | Path | None) -> dict[str, Any] | None:
    """An earlier run's summary: from its manifest, or, for a run made before manifests
    kept one, the severity counts of its ``findings.csv``; ``None`` without a run."""
    summary = read_summary(folder)
    if summary is not None:
        return summary
    earlier = read_findings(folder)
    if earlier is None:
        return None
    return {"findings": {s: int((earlier["severity"] == s).sum()) for s in SEVERITIES}}
