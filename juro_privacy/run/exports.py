"""Writing the exports a DPO shares beside the reports: CSV, Excel and JSON files.

A topic's ``exports_for(wb, period)`` (its ``api`` module) says what each file holds, by
file name; :func:`write_exports` writes them: ``.csv`` and ``.xlsx`` from a frame,
``.json`` from a mapping. Two runs on the same workbook write the same bytes.
"""

from __future__ import annotations

import datetime
import json
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeGuard

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

#: What a topic's ``exports_for`` gives for one file: a frame (``.csv``, ``.xlsx``), a
#: mapping of sheet name to frame (``.xlsx`` with several sheets) or a mapping (``.json``).
ExportContent = pd.DataFrame | Mapping[str, Any]

#: The sheet an ``.xlsx`` export's single frame is written to (default: the file's stem).
SHEET_NAMES = {"register.xlsx": "Art. 30 register"}

#: The date and time every part of an ``.xlsx`` file carries, so two runs match bytes.
PINNED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PINNED_XML_TIME = b"2000-01-01T00:00:00Z"

#: The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
#: Injection"): ``=``, ``+``, ``-``, ``@``, and tab and carriage return, which some
#: spreadsheets strip before reading the rest.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: The widest a column grows (characters) before its text wraps, and the height of one
#: line of text (points, Calibri 11).
MAX_WIDTH = 40
LINE_HEIGHT = 15

_HEADER_FILL = PatternFill("solid", start_color="1F3A5F", end_color="1F3A5F")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_exports(contents: Mapping[str, ExportContent], folder: Path) -> list[Path]:
    """Write each entry of ``contents`` (file name to content) into ``folder``, in order;
    the paths written. A content that does not fit its file's suffix is a ``TypeError``
    (a topic's ``exports_for`` is wrong), raised before that file is written."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_export(folder / name, content) for name, content in contents.items()]


def write_export(path: Path, content: ExportContent) -> Path:
    """Write one export: a frame as ``.csv`` (no index, ``\\n`` line ends, text that a
    spreadsheet would run as a formula escaped by :func:`csv_safe`) or ``.xlsx``, a
    mapping of sheet names to frames as ``.xlsx``, a mapping as ``.json`` (indented,
    ending in a newline)."""
    suffix = path.suffix
    if isinstance(content, pd.DataFrame) and suffix == ".csv":
        content.map(csv_safe).to_csv(path, index=False, lineterminator="\n")
    elif isinstance(content, pd.DataFrame) and suffix == ".xlsx":
        write_xlsx({SHEET_NAMES.get(path.name, path.stem[:31]): content}, path)
    elif _is_sheets(content) and suffix == ".xlsx":
        write_xlsx(content, path)
    elif isinstance(content, Mapping) and not _is_sheets(content) and suffix == ".json":
        path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    else:
        raise TypeError(
            f"export {path.name}: a {type(content).__name__} cannot be written as "
            f"{suffix or 'a file without suffix'} (.csv takes a frame, .xlsx a frame or a "
            "mapping of sheet names to frames, .json a mapping)"
        )
    return path


def _is_sheets(content: object) -> TypeGuard[Mapping[str, pd.DataFrame]]:
    return (
        isinstance(content, Mapping)
        and bool(content)
        and all(isinstance(v, pd.DataFrame) for v in content.values())
    )


def csv_safe(value: object) -> object:
    """``value`` as a CSV cell that no spreadsheet runs as a formula: text beginning with
    one of :data:`FORMULA_STARTS` gets a leading apostrophe (OWASP's advice for CSV
    injection; ``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``). Numbers, dates and
    other text are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: Path) -> None:
    """Each frame of ``sheets`` as a sheet of an Excel file, laid out for reading and
    printing: a bold header row on a dark fill, frozen, with a filter on every column;
    columns as wide as half their longest value plus a margin (12 to 40 characters),
    rows as tall as their wrapped text,
    wrapped; landscape pages one sheet wide with the header repeated on each. Every
    text cell is text, never a formula, whatever it begins with (a processor named
    ``=HYPERLINK(...)`` stays that name). The file's dates are pinned."""
    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        _write_sheet(book.create_sheet(name[:31]), frame)
    book.save(path)
    pin_xlsx_timestamps(path)


def _write_sheet(sheet: Any, frame: pd.DataFrame) -> None:
    columns = [str(c) for c in frame.columns]
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
    for row in frame.itertuples(index=False):
        sheet.append([_xlsx_value(v) for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = _WRAP
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl reads "=..." as a formula otherwise
                cell.quotePrefix = cell.value.startswith(FORMULA_STARTS)
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    widths = []
    for i, column in enumerate(columns, start=1):
        values = frame.iloc[:, i - 1].astype(str) if len(frame) else pd.Series([], dtype=str)
        longest = max([len(column), *values.str.len().tolist()])
        widths.append(min(MAX_WIDTH, max(12, longest // 2 + 8)))
        sheet.column_dimensions[get_column_letter(i)].width = widths[-1]
    for row in sheet.iter_rows():
        # Spreadsheets do not all grow a row to its wrapped text when they open a file
        # (LibreOffice does not): each row is given the height of its longest cell.
        lines = max((_lines(c.value, w) for c, w in zip(row, widths, strict=True)), default=1)
        sheet.row_dimensions[row[0].row].height = LINE_HEIGHT * lines
    last = f"{get_column_letter(max(1, len(columns)))}{max(1, len(frame) + 1)}"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _lines(value: object, width: int) -> int:
    """How many lines ``value`` wraps to in a column ``width`` characters wide."""
    if value is None:
        return 1
    text = str(value.date() if isinstance(value, datetime.datetime) else value)
    return sum(max(1, -(-len(part) // max(1, width - 2))) for part in text.split("\n"))


def _xlsx_value(value: object) -> object:
    """A cell's value as openpyxl writes it: missing values empty, tuples as ``a; b``,
    time-zone-aware timestamps as ISO text (Excel has no time zones)."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):  # type: ignore[call-overload]
        return None
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat() if value.tzinfo is not None else value.to_pydatetime()
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.isoformat()
    if isinstance(value, (bool, int, float, str, datetime.date)):
        return value
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    return str(value)


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
