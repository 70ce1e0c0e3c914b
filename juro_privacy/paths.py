"""Where the package finds its notebooks, sample workbook and templates.

Notebooks live at the top of the repository (``notebooks/``) where analysts edit
them; a wheel carries a copy as ``juro_privacy/_notebooks``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def notebooks_dir() -> Path:
    """The topic notebooks: the wheel's copy, else the repository's folder."""
    bundled = PACKAGE / "_notebooks"
    if bundled.is_dir():
        return bundled
    return PACKAGE.parent / "notebooks"


def sample_dir() -> Path:
    """The bundled sample workbook."""
    return PACKAGE / "sample" / "workbook"


def templates_dir() -> Path:
    return PACKAGE / "run" / "templates"
