"""The topics: one folder per topic of :data:`juro_privacy.registry.TOPICS`.

Each folder holds its analysis (pure: frames in, frames out), its report tables and
wording, its charts, and ``api.py``: the ``*_for(workbook, period)`` wrappers, the only
modules of a topic that touch a :class:`~juro_privacy.workbook.load.Workbook` or the
run's cache. A topic imports another only downward (the order is in docs/architecture.md,
checked by tests/test_layers.py) and only through that topic's ``api``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from juro_privacy.registry import TOPICS


def api_of(name: str) -> ModuleType:
    """The ``api`` module of topic ``name`` (``juro_privacy.topics.<name>.api``)."""
    return importlib.import_module(f"juro_privacy.topics.{name}.api")


def hooks(hook: str, *, below: str | None = None) -> Iterator[tuple[str, Callable[..., Any]]]:
    """``(topic, function)`` for every topic whose ``api`` defines ``hook``
    (``findings_for``, ``metrics_for``, ``exports_for``), in the registry's order;
    ``below`` leaves out that topic and every topic after it (a topic collects only
    from the topics beneath it)."""
    for topic in TOPICS:
        if topic.name == below:
            return
        function = getattr(api_of(topic.name), hook, None)
        if function is not None:
            yield topic.name, function
