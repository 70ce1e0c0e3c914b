"""Risk scales and scoring: likelihood x severity, before and after measures.

The assessment of the risks to the rights and freedoms of data subjects (UK GDPR
Art. 35(7)(c)) on the workbook's scale: the ICO's DPIA guidance risk matrix
(``data/risk_scale_ico.csv``) or the CNIL's PIA methodology risk map
(``data/risk_scale_cnil.csv``), each row citing its source. Pure functions over
small frames; the DPIA topic's ``api`` applies them to a workbook.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from juro_privacy.errors import InputError, Problem, WorkbookError
from juro_privacy.findings import records
from juro_privacy.paths import PACKAGE


@dataclass(frozen=True)
class RiskScale:
    """A likelihood x severity matrix: levels low to high on each axis, cell -> level."""

    name: str
    likelihoods: tuple[str, ...]
    severities: tuple[str, ...]
    levels: dict[tuple[str, str], str]
    sources: dict[tuple[str, str], str]

    def level(self, likelihood: str, severity: str) -> str:
        return self.levels[(likelihood, severity)]


@functools.lru_cache(maxsize=4)
def risk_scale(name: str) -> RiskScale:
    """The ``ico`` or ``cnil`` scale from ``data/risk_scale_<name>.csv``."""
    path = PACKAGE / "rules" / "data" / f"risk_scale_{name}.csv"
    if not path.is_file():
        raise InputError(f"unknown risk scale {name!r}: choose ico or cnil")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    likelihoods = tuple(dict.fromkeys(r["likelihood"] for r in rows))
    severities = tuple(dict.fromkeys(r["severity"] for r in rows))
    return RiskScale(
        name,
        likelihoods,
        severities,
        {(r["likelihood"], r["severity"]): r["level"] for r in rows},
        {(r["likelihood"], r["severity"]): r["source"] for r in rows},
    )


def scale_table(scale: RiskScale) -> pd.DataFrame:
    """The matrix as a table: likelihood down, severity across, the level in each cell."""
    return pd.DataFrame(
        [[scale.level(lk, sv) for sv in scale.severities] for lk in scale.likelihoods],
        index=pd.Index(scale.likelihoods, name="likelihood \\ severity"),
        columns=list(scale.severities),
    ).reset_index()


def risk_problems(
    risks: pd.DataFrame,
    scale: RiskScale,
    file: str = "risks.csv",
    rows: Sequence[int] | None = None,
) -> list[Problem]:
    """Every likelihood or severity that is not a level of the workbook's scale.

    ``rows`` are the file rows of the records (:meth:`Workbook.row_of`); by default a
    CSV's: the header is row 1."""
    problems: list[Problem] = []
    for i, r in enumerate(records(risks)):
        row = rows[i] if rows is not None else i + 2
        for col, allowed in (
            ("likelihood", scale.likelihoods),
            ("severity", scale.severities),
            ("residual_likelihood", scale.likelihoods),
            ("residual_severity", scale.severities),
        ):
            if r[col] not in allowed:
                problems.append(
                    Problem(
                        file,
                        "not_on_scale",
                        f"{r[col]!r} is not on the {scale.name} scale ({', '.join(allowed)})",
                        row=row,
                        column=col,
                    )
                )
        metric = r["evidence_metric"]
        if metric is not None and pd.notna(metric):  # its name: the data contract checks it
            for col in ("evidence_comparison", "evidence_threshold"):
                if r[col] is None or pd.isna(r[col]):
                    problems.append(
                        Problem(file, "missing_value", "is needed with evidence_metric", row, col)
                    )
    return problems


def score_risks(risks: pd.DataFrame, scale: RiskScale) -> pd.DataFrame:
    """Each risk with its level before and after measures on ``scale``.

    Raises :class:`WorkbookError` naming ``risks.csv``, row and column for a value
    off the scale or an evidence metric without its comparison.
    """
    problems = risk_problems(risks, scale)
    if problems:
        raise WorkbookError(problems)
    out = risks.copy()
    for level, likelihood, severity in (
        ("level", "likelihood", "severity"),
        ("residual_level", "residual_likelihood", "residual_severity"),
    ):
        # A Series of str even when there is no risk (an empty list would be float64).
        out[level] = pd.Series(
            [scale.level(lk, sv) for lk, sv in zip(out[likelihood], out[severity], strict=True)],
            index=out.index,
            dtype="str",
        )
    return out


def heatmap_cells(scored: pd.DataFrame, scale: RiskScale) -> pd.DataFrame:
    """Risk ids per cell of the matrix, before and after measures, for the heat map."""
    rows = []
    for when, lk_col, sv_col in (
        ("before measures", "likelihood", "severity"),
        ("after measures", "residual_likelihood", "residual_severity"),
    ):
        for lk in scale.likelihoods:
            for sv in scale.severities:
                ids = scored.loc[(scored[lk_col] == lk) & (scored[sv_col] == sv), "risk_id"]
                rows.append(
                    {
                        "when": when,
                        "likelihood": lk,
                        "severity": sv,
                        "level": scale.level(lk, sv),
                        "risks": ", ".join(ids),
                        "count": len(ids),
                    }
                )
    frame = pd.DataFrame(rows)
    frame.attrs.update(likelihoods=scale.likelihoods, severities=scale.severities)
    return frame
