"""The quarterly run: validate, execute the topic notebooks, render, export, swap into place.

Modules by job: ``orchestrate`` (the run's steps, in order), ``execute`` (papermill in a
process pool), ``render`` (HTML and PDF), ``exports`` (the files shared beside the
reports), ``index`` (the folder's front page), ``leaks`` (the identifier scan),
``manifest`` (hashes and versions), ``staging`` (the shareable folder and the owner-only
audit trail, each built beside its target and moved into place), ``reproducible`` and
``verify`` (a re-run gives the same bytes).
"""

from __future__ import annotations

from collections.abc import Callable

#: How the run tells a person what it is doing: one line at a time (the CLI prints them).
Progress = Callable[[str], None]
