"""The leak scan of a lazily read table (``accounts``): its ids are looked up where they
lie (a CSV, a Parquet file, a folder of Parquet files, an ``--engine`` warehouse), with
the same answer as the in-memory lookup, and only the values found come back."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from juro_privacy.errors import Leak, LeakError, RunError
from juro_privacy.run import leaks
from juro_privacy.run.leaks import find_leaks, lazy_leaks, lazy_table, scan_folder, token_index
from juro_privacy.workbook.load import Workbook

IDS = ["acc-0000001", "acc-0000002", " acc-0000003 ", "acc x 0004", "abc", None]
TEXTS = {
    "a.html": "<p>acc-0000002, and acc-0000003.</p>",
    "b.csv": "note\nthe account acc x 0004 closed\n",
    "c.json": '{"n": "abc"}',  # shorter than MIN_LENGTH: never looked up
}
#: Written out by hand from IDS and TEXTS: 0002 and 0003 (trimmed) as tokens, the id with
#: spaces as a substring; 0001 is nowhere, ``abc`` is too short.
EXPECTED = [
    Leak("a.html", "accounts.account_id", "acc-0000002"),
    Leak("a.html", "accounts.account_id", "acc-0000003"),
    Leak("b.csv", "accounts.account_id", "acc x 0004"),
]


def _sorted(found: list[Leak]) -> list[Leak]:
    return sorted(set(found), key=lambda x: (x.file, x.column, x.value))


def _write(kind: str, folder: Path) -> Path:
    frame = pd.DataFrame({"account_id": IDS, "office": ["london"] * len(IDS)})
    if kind == "csv":
        path = folder / "accounts.csv"
        path.write_text("account_id,office\n" + "".join(f'"{i or ""}",london\n' for i in IDS))
        return path
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if kind == "parquet":
        path = folder / "accounts.parquet"
        pq.write_table(table, path)
        return path
    path = folder / "accounts"
    (path / "year=2026").mkdir(parents=True)
    pq.write_table(table.slice(0, 3), path / "part-0.parquet")
    pq.write_table(table.slice(3), path / "year=2026" / "part-1.parquet")
    return path


@pytest.mark.parametrize("kind", ["csv", "parquet", "folder"])
def test_a_lazy_table_gives_the_in_memory_answer(tmp_path, kind):
    source = lazy_table(_write(kind, tmp_path))
    found, n = lazy_leaks(TEXTS, token_index(TEXTS), "accounts.account_id", source)
    assert _sorted(found) == EXPECTED
    assert n == 5  # the empty CSV cell, like Parquet's null, is no value
    in_memory = find_leaks(TEXTS, [("accounts.account_id", pa.array([i for i in IDS if i]))])
    assert in_memory == EXPECTED


def test_values_outside_the_token_alphabet_are_streamed_in_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(leaks, "BATCH_ROWS", 2)
    ids = [f"acc {i:04d}" for i in range(7)]
    path = tmp_path / "accounts.parquet"
    pq.write_table(pa.table({"account_id": ids}), path)
    texts = {"a.txt": "acc 0001 and acc 0006"}
    found, n = lazy_leaks(texts, token_index(texts), "accounts.account_id", lazy_table(path))
    assert n == 7
    assert _sorted(found) == [
        Leak("a.txt", "accounts.account_id", "acc 0001"),
        Leak("a.txt", "accounts.account_id", "acc 0006"),
    ]


def _engine(tmp_path: Path) -> str:
    db = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE OR REPLACE TABLE accounts (account_id VARCHAR, office VARCHAR)")
    con.execute("INSERT INTO accounts VALUES ('wh-0000042', 'riga'), ('wh-0000043', 'riga')")
    con.close()
    return f"duckdb://{db}"


def test_with_an_engine_the_accounts_ids_are_looked_up_in_the_warehouse(tmp_path):
    # The workbook's own accounts file holds other ids: the engine's are the ones the
    # reports were computed from, and the ones looked for.
    wb = Workbook(tmp_path, None, {}, {"accounts": _write("parquet", tmp_path)})  # type: ignore[arg-type]
    folder = tmp_path / "report"
    folder.mkdir()
    (folder / "a.html").write_text("<p>wh-0000043 acc-0000002</p>")
    with pytest.raises(LeakError) as info:
        scan_folder(wb, folder, pdftotext=None, engine=_engine(tmp_path))
    assert info.value.leaks == [Leak("a.html", "accounts.account_id", "wh-0000043")]
    (folder / "a.html").write_text("<p>42 accounts</p>")
    result = scan_folder(wb, folder, pdftotext=None, engine=_engine(tmp_path))
    assert result.columns == ("accounts.account_id",) and result.values == 2


def test_an_unreadable_lazy_table_fails_the_scan_with_its_name(tmp_path):
    bad = tmp_path / "accounts.parquet"
    bad.write_bytes(b"not parquet")
    with pytest.raises(RunError, match=r"accounts\.parquet"):
        lazy_table(bad)
    wb = Workbook(tmp_path, None, {}, {})  # type: ignore[arg-type]
    folder = tmp_path / "report"
    folder.mkdir()
    with pytest.raises(RunError, match="engine"):
        scan_folder(wb, folder, pdftotext=None, engine=f"duckdb://{tmp_path}/none.duckdb")
