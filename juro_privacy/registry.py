"""The one table of topics: everything the run, the board and the workbook know of a topic.

A topic is a folder ``juro_privacy/topics/<name>/`` whose ``api.py`` holds the
``*_for(workbook, period)`` wrappers, and (when it has a report) a notebook
``notebooks/<name>.ipynb``. Adding a topic is one entry here, one folder and one
notebook (docs/adding-a-topic.md). The hooks an ``api`` module may define, found by
name (:func:`juro_privacy.topics.api_of`), are:

- ``findings_for(wb, period) -> DataFrame``: its findings (``findings.FINDING_COLUMNS``),
  collected by the accountability report;
- ``metrics_for(wb, period) -> dict[str, float | None]``: the figures it publishes under
  :attr:`Topic.metrics` (the names are declared in ``workbook/schemas.py``);
- ``exports_for(wb, period) -> dict[str, DataFrame | dict]``: the files the run writes
  beside its report, by file name (``.csv`` and ``.xlsx`` from a frame, ``.json`` from a
  mapping), listed in :attr:`Topic.exports`.

This module is data only: it imports nothing of the package, so every layer may read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """One topic of the workbook and of the quarterly run."""

    name: str  # folder under topics/, the `topic` of its findings, its notebook's name
    title: str  # the report's title
    area: str  # the board's name for it (accountability report, index)
    report: str  # the report that shows its detail (its own, or another topic's)
    notebook: bool = True  # False: no report of its own (shown in ``report``)
    also_finds: tuple[str, ...] = ()  # other `topic` values its findings carry
    metrics: tuple[str, ...] = ()  # prefixes of the metric names it publishes
    exports: tuple[str, ...] = ()  # files the run writes beside the report
    #: What the area is judged by, for its "no evidence" status: tables (evidence when
    #: one has a record) or a metric (``topic.name``: evidence when it has a value).
    #: Empty: judged on records that always exist (the register, the activities).
    evidence: tuple[str, ...] = ()
    rank: int = 99  # the run starts notebooks by rank: the longest first

    @property
    def finding_topics(self) -> tuple[str, ...]:
        """Every value the ``topic`` column of its findings may take."""
        return (self.name, *self.also_finds)


#: Every topic, in the order the board reads them and the index lists the reports.
TOPICS: tuple[Topic, ...] = (
    Topic(
        "register",
        "Register of processing activities",
        "Register of processing",
        "register",
        exports=("register.csv", "register.xlsx", "register.fides.json"),
        rank=6,
    ),
    Topic(
        "flows",
        "Data flows and international transfers",
        "Transfers",
        "flows",
        also_finds=("transfers",),
        metrics=("transfers",),
        exports=("flows.csv",),
        rank=5,
    ),
    Topic(
        "requests",
        "Data-subject requests",
        "Requests",
        "requests",
        metrics=("requests",),
        rank=3,
        evidence=("requests",),
    ),
    Topic(
        "retention",
        "Retention of user accounts",
        "Retention",
        "retention",
        metrics=("retention",),
        rank=2,
        evidence=("retention.delete_overdue_count",),
    ),
    Topic(
        "dpia",
        "Data protection impact assessment",
        "DPIA",
        "dpia",
        exports=("dpia.pia.json",),
        rank=1,
        evidence=("risks",),
    ),
    Topic(
        "consent",
        "Cookies and marketing consent",
        "Cookies and consent",
        "accountability",
        notebook=False,
        metrics=("consent", "cookies"),
        evidence=("cookies", "consents", "marketing_sends"),
    ),
    # No export: the breaches table holds breach ids and descriptions (identifiers).
    Topic(
        "breaches",
        "Personal data breaches",
        "Breaches",
        "breaches",
        metrics=("breaches",),
        rank=7,
        evidence=("breaches",),
    ),
    # No export: the complaints table holds complaint and request ids (identifiers).
    Topic(
        "complaints",
        "Complaints to the controller",
        "Complaints",
        "complaints",
        metrics=("complaints",),
        rank=8,
        evidence=("complaints",),
    ),
    # The accountability report collects every other topic's findings and metrics
    # (from the run's cache), so it starts after the topics it reads.
    Topic(
        "accountability",
        "Accountability report",
        "Policy claims",
        "accountability",
        exports=("findings.csv",),
        rank=4,
    ),
)

BY_NAME: dict[str, Topic] = {t.name: t for t in TOPICS}

#: The topics with a notebook and a report of their own, in the index's order.
REPORTS: tuple[str, ...] = tuple(t.name for t in TOPICS if t.notebook)

#: Every value a finding's ``topic`` may take (the ``actions`` table refers to them).
FINDING_TOPICS: tuple[str, ...] = tuple(f for t in TOPICS for f in t.finding_topics)

#: The areas the board judges by findings, with the finding topics that feed each
#: (the policy claims are judged on their own: ``accountability``).
AREAS: dict[str, tuple[str, ...]] = {
    t.area: t.finding_topics for t in TOPICS if t.name != "accountability"
}


def execution_order(names: tuple[str, ...] | list[str]) -> list[str]:
    """``names`` in the order the run starts their notebooks (by :attr:`Topic.rank`)."""
    return sorted(names, key=lambda n: BY_NAME[n].rank if n in BY_NAME else 99)


def report_of_area(area: str) -> str:
    """The report that holds an area's detail (the index links to it)."""
    return next((t.report for t in TOPICS if t.area == area), "")
