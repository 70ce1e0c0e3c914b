"""Writing the register exports a DPO shares: CSV, Excel and fideslang JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd


def write_register_exports(
    register: pd.DataFrame, fides: dict[str, Any], folder: Path
) -> list[Path]:
    """Write ``register.csv``, ``register.xlsx`` and ``register.fides.json`` into ``folder``.

    The CSV and Excel files hold one row per activity with the Art. 30(1) columns in
    order; the JSON holds the same activities as a fideslang ``System``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / "register.csv"
    register.to_csv(csv_path, index=False, lineterminator="\n")
    xlsx_path = folder / "register.xlsx"
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
        register.to_excel(writer, sheet_name="Art. 30 register", index=False)
        sheet = writer.sheets["Art. 30 register"]
        for i, col in enumerate(register.columns, start=1):
            width = min(60, max(12, int(register[col].str.len().max() or 0) // 2 + 8))
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = width
    _fix_xlsx_timestamps(xlsx_path)
    json_path = folder / "register.fides.json"
    json_path.write_text(json.dumps({"system": [fides]}, indent=2) + "\n", encoding="utf-8")
    return [csv_path, xlsx_path, json_path]


def read_register(folder: Path) -> pd.DataFrame | None:
    """The register a previous run exported into ``folder``, or ``None``."""
    path = folder / "register.csv"
    if not path.is_file():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _fix_xlsx_timestamps(path: Path) -> None:
    """Pin the workbook's creation time so two runs write the same bytes."""
    import zipfile

    fixed = (1980, 1, 1, 0, 0, 0)
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                data = re.sub(
                    rb"<dcterms:(created|modified)([^>]*)>[^<]*</dcterms:\1>",
                    rb"<dcterms:\1\2>2000-01-01T00:00:00Z</dcterms:\1>",
                    data,
                )
            out = zipfile.ZipInfo(info.filename, date_time=fixed)
            out.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(out, data)
    tmp.replace(path)


def read_register_at(folder: str | Path | None) -> pd.DataFrame | None:
    """:func:`read_register` for a notebook parameter: empty means no previous run."""
    return read_register(Path(folder)) if folder else None
