"""Writing the exports a DPO shares beside the reports: CSV, Excel and JSON files.

A topic's ``exports_for(wb, period)`` (its ``api`` module) says what each file holds, by
file name; :func:`write_exports` writes them: ``.csv`` and ``.xlsx`` from a frame,
``.json`` from a mapping. Two runs on the same workbook write the same bytes.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

#: What a topic's ``exports_for`` gives for one file: a frame (``.csv``, ``.xlsx``) or a
#: mapping (``.json``).
ExportContent = pd.DataFrame | Mapping[str, Any]

#: The sheet an ``.xlsx`` export's table is written to (default: the file's stem).
SHEET_NAMES = {"register.xlsx": "Art. 30 register"}

#: The date and time every part of an ``.xlsx`` file carries, so two runs match bytes.
PINNED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PINNED_XML_TIME = b"2000-01-01T00:00:00Z"


def write_exports(contents: Mapping[str, ExportContent], folder: Path) -> list[Path]:
    """Write each entry of ``contents`` (file name to content) into ``folder``, in order;
    the paths written. A content that does not fit its file's suffix is a ``TypeError``
    (a topic's ``exports_for`` is wrong), raised before that file is written."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_export(folder / name, content) for name, content in contents.items()]


def write_export(path: Path, content: ExportContent) -> Path:
    """Write one export: a frame as ``.csv`` (no index, ``\\n`` line ends) or ``.xlsx``,
    a mapping as ``.json`` (indented, ending in a newline)."""
    suffix = path.suffix
    if isinstance(content, pd.DataFrame) and suffix == ".csv":
        content.to_csv(path, index=False, lineterminator="\n")
    elif isinstance(content, pd.DataFrame) and suffix == ".xlsx":
        write_xlsx(content, path, sheet=SHEET_NAMES.get(path.name, path.stem[:31]))
    elif isinstance(content, Mapping) and suffix == ".json":
        path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    else:
        raise TypeError(
            f"export {path.name}: a {type(content).__name__} cannot be written as "
            f"{suffix or 'a file without suffix'} (.csv and .xlsx take a frame, .json a mapping)"
        )
    return path


def write_xlsx(frame: pd.DataFrame, path: Path, *, sheet: str) -> None:
    """``frame`` as one sheet of an Excel file, each column as wide as half its longest
    value plus a margin (12 to 60 characters), with the file's dates pinned."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet, index=False)
        cells = writer.sheets[sheet]
        for i, col in enumerate(frame.columns, start=1):
            longest = int(frame[col].astype(str).str.len().max()) if len(frame) else 0
            width = min(60, max(12, longest // 2 + 8))
            cells.column_dimensions[cells.cell(1, i).column_letter].width = width
    pin_xlsx_timestamps(path)


def pin_xlsx_timestamps(path: Path) -> None:
    """Pin the workbook's creation time and every zip entry's date, so two runs write
    the same bytes."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"<dcterms:(created|modified)([^>]*)>[^<]*</dcterms:\1>",
                    rb"<dcterms:\1\2>" + PINNED_XML_TIME + rb"</dcterms:\1>",
                    data,
                )
            out = zipfile.ZipInfo(info.filename, date_time=PINNED_ZIP_TIME)
            out.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(out, data)
    tmp.replace(path)
