"""Reproducible reports: the same workbook and period give the same bytes.

HTML, CSV, Excel and JSON exports come out identical by construction (the Excel
export pins its own timestamps, ``exports.py``). Chromium stamps each PDF with the
moment it printed it (``/CreationDate`` and ``/ModDate``) and numbers a tagged PDF's
elements after the renderer's DOM nodes; :func:`pin_pdfs` replaces both dates with the
end of the reporting period, the date the report speaks as of, and renumbers the
elements from 0, in place and at the same length, so the PDF's byte offsets stay valid. What
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
    "manifest.json: the audit trail's SHA-256 (the executed notebooks')",
    "index.html: the run time it shows, and where the audit trail is kept (compared "
    "without them: :func:`comparable`)",
    "internal/<period>/*.ipynb (the audit trail, not shareable): papermill's execution "
    "timestamps and durations",
)
#: The run time on the index page, one part of a report page two runs differ in.
RUN_TIME = re.compile(rb'<span class="run-time">[^<]*</span>')
#: Where the index says the audit trail is: another place when a run was given
#: ``--internal-out``, and verify's re-run keeps it in its temporary folder.
INTERNAL_PATH = re.compile(rb'<code class="internal-path">[^<]*</code>')


def comparable(name: str, data: bytes) -> bytes:
    """The bytes of output ``name`` that two runs of one workbook and period share:
    all of them, except the index page's run time and audit-trail location."""
    if Path(name).name == "index.html":
        data = RUN_TIME.sub(b'<span class="run-time"></span>', data)
        return INTERNAL_PATH.sub(b'<code class="internal-path"></code>', data)
    return data


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) ?\((D:[0-9]{14}[^)]*)\)")


def pdf_date(when: dt.date) -> bytes:
    """A PDF date string (PDF 32000-1, 7.9.4) for midnight UTC of ``when``."""
    return f"D:{when:%Y%m%d}000000+00'00'".encode()


#: A tagged PDF's element ids (PDF 32000-1, 14.7.2: a structure element's ``/ID``, and
#: the keys of the structure tree's ``/IDTree``): Chromium names them after DOM node
#: numbers, which count on from whatever the tab's renderer drew before.
_PDF_NODE_ID = re.compile(rb"\(node([0-9]{8})\)")


def _pin_dates(data: bytes, stamp: bytes) -> bytes:
    def pin(m: re.Match[bytes]) -> bytes:
        return (
            m.group(0) if len(m.group(2)) != len(stamp) else m.group(0).replace(m.group(2), stamp)
        )

    return _PDF_DATE.sub(pin, data)


def _pin_node_ids(data: bytes) -> bytes:
    """Each element id renumbered by its rank among the file's ids, at the same width: the
    order is kept, so the ``/IDTree``'s sorted keys stay sorted and the offsets valid."""
    ranks = {n: i for i, n in enumerate(sorted({int(d) for d in _PDF_NODE_ID.findall(data)}))}
    return _PDF_NODE_ID.sub(lambda m: b"(node%08d)" % ranks[int(m.group(1))], data)


def pin_pdfs(paths: Sequence[Path], when: dt.date) -> list[Path]:
    """Make each PDF the same bytes whenever it is printed; returns ``paths``.

    In place and at the same length: the creation and modification dates become
    ``when`` (a date whose replacement would change the file's length is left as it
    is), and the element ids of the tagged PDF are numbered from 0 in their order.
    """
    stamp = pdf_date(when)
    for path in paths:
        data = path.read_bytes()
        pinned = _pin_node_ids(_pin_dates(data, stamp))
        if pinned != data:
            path.write_bytes(pinned)
    return list(paths)
