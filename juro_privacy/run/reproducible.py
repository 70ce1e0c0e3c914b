"""Reproducible reports: the same workbook and period give the same bytes.

HTML, CSV, Excel and JSON exports come out identical by construction (the Excel
export pins its own timestamps, ``exports.py``). Chromium stamps each PDF with the
moment it printed it (``/CreationDate`` and ``/ModDate``); :func:`pin_pdf_dates`
replaces both with the end of the reporting period, the date the report speaks as
of, in place and at the same length, so the PDF's byte offsets stay valid. What
still differs between two runs is listed in :data:`VARYING`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

#: What legitimately differs between two runs of the same workbook and period.
VARYING = (
    "manifest.json: started_at, finished_at, duration_seconds, and index.html's hash",
    "index.html: the run time it shows (compared without it: :func:`comparable`)",
    "internal/*.ipynb: papermill's execution timestamps and durations",
)
#: The run time on the index page, the one part of a report page two runs differ in.
RUN_TIME = re.compile(rb'<span class="run-time">[^<]*</span>')


def comparable(name: str, data: bytes) -> bytes:
    """The bytes of output ``name`` that two runs of one workbook and period share:
    all of them, except the index page's run time."""
    if Path(name).name == "index.html":
        return RUN_TIME.sub(b'<span class="run-time"></span>', data)
    return data


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) ?\((D:[0-9]{14}[^)]*)\)")


def pdf_date(when: dt.date) -> bytes:
    """A PDF date string (PDF 32000-1, 7.9.4) for midnight UTC of ``when``."""
    return f"D:{when:%Y%m%d}000000+00'00'".encode()


def pin_pdf_dates(paths: Sequence[Path], when: dt.date) -> list[Path]:
    """Set the creation and modification dates of each PDF to ``when``; returns ``paths``.

    A date whose replacement would change the file's length is left as it is.
    """
    stamp = pdf_date(when)
    for path in paths:
        data = path.read_bytes()

        def pin(m: re.Match[bytes]) -> bytes:
            return (
                m.group(0)
                if len(m.group(2)) != len(stamp)
                else m.group(0).replace(m.group(2), stamp)
            )

        pinned = _PDF_DATE.sub(pin, data)
        if pinned != data:
            path.write_bytes(pinned)
    return list(paths)
