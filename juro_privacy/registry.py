"""The report topics: each has a notebook in ``notebooks/``, a title, and the exports
the quarterly run writes beside its report. Adding a topic is one entry here, its
notebook, and its name in :data:`juro_privacy.paths.TOPICS`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from juro_privacy.periods import Period
from juro_privacy.workbook.load import Workbook

Exporter = Callable[[Workbook, Period, Path], list[Path]]


def _register_exports(wb: Workbook, period: Period, folder: Path) -> list[Path]:
    """``register.csv``, ``register.xlsx`` (Art. 30(1) columns) and ``register.fides.json``."""
    from juro_privacy.run.exports import write_register_exports
    from juro_privacy.topics.register.analysis import active_in, register_for
    from juro_privacy.topics.register.taxonomy import fides_system

    fides = fides_system(
        active_in(wb.activities, period), wb.categories, organisation=wb.config.organisation
    )
    return write_register_exports(register_for(wb, period), fides, folder)


def _flows_exports(wb: Workbook, period: Period, folder: Path) -> list[Path]:
    """``flows.csv``: the flow table with every column, for filtering in a spreadsheet."""
    from juro_privacy.topics.flows.analysis import flows_for

    path = folder / "flows.csv"
    flows_for(wb, period).to_csv(path, index=False, lineterminator="\n")
    return [path]


def _accountability_exports(wb: Workbook, period: Period, folder: Path) -> list[Path]:
    """``findings.csv``: every topic's findings, for next quarter's comparison and trend."""
    from juro_privacy.topics.accountability.analysis import collect_findings, write_findings

    return write_findings(collect_findings(wb, period), folder)


@dataclass(frozen=True)
class Topic:
    name: str
    title: str
    export: Exporter | None = None


TOPIC_INFO: dict[str, Topic] = {
    t.name: t
    for t in (
        Topic("register", "Register of processing activities", _register_exports),
        Topic("flows", "Data flows and international transfers", _flows_exports),
        Topic("requests", "Data-subject requests"),
        Topic("retention", "Retention of user accounts"),
        Topic("dpia", "Data protection impact assessment"),
        Topic("accountability", "Accountability report", _accountability_exports),
    )
}

#: The order the run starts the notebooks in: the longest first, so that the workers
#: finish together (a short notebook last fills the gap), and the accountability
#: report after the topics whose figures it collects from the run's cache.
EXECUTION_ORDER: tuple[str, ...] = (
    "dpia",
    "retention",
    "requests",
    "accountability",
    "flows",
    "register",
)
