"""What is wrong with a file as a file (``workbook/files.py`` and the loader's use of it):
text read whole in bounded memory, CSV records and their lines, duplicate header names,
links out of the folder, folders and empty files, Parquet dates beyond any reader."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from juro_privacy.errors import Problem, WorkbookError
from juro_privacy.rules.retention.source import accounts_table
from juro_privacy.workbook import files
from juro_privacy.workbook.files import (
    UNCLOSED_QUOTE,
    Record,
    csv_records,
    date_out_of_range,
    duplicate_names,
    file_text_fault,
    outside_link,
    parquet_date_out_of_range,
    text_fault,
)
from juro_privacy.workbook.load import load_workbook, read_workbook
from juro_privacy.workbook.validate import validate
from tests.conftest import read_rows, set_cell, write_rows

NOT_UTF8 = "is not UTF-8 (Latin-1 or Windows-1252?); save it as CSV UTF-8"
NUL = "is not a text CSV file (it holds a NUL byte)"
NUL_TAIL = (
    "ends in NUL bytes from this row on: a copy cut short, or a file never fully "
    "written; copy or export it again"
)


def _fault(data: bytes, *, chunk: int | None = None) -> Problem | None:
    parts = [data] if chunk is None else [data[i : i + chunk] for i in range(0, len(data), chunk)]
    return text_fault(lambda: parts, "t.csv", ends_in_nul=data.endswith(b"\x00"))


def _problems(root: Path) -> list[Problem]:
    with pytest.raises(WorkbookError) as caught:
        validate(root)
    return caught.value.problems


def _only(root: Path) -> Problem:
    problems = _problems(root)
    assert len(problems) == 1, problems
    return problems[0]


# ---------------------------------------------------------------- text, whole


def test_plain_utf8_text_has_no_fault():
    assert _fault("a,b\nLärkspur Café,2\n".encode()) is None
    assert _fault(b"\xef\xbb\xbfa,b\n1,2\n") is None  # a byte-order mark is fine


def test_a_nul_byte_is_found_on_its_line():
    assert _fault(b"a,b\n1,2\n3,\x004\n5,6\n") == Problem("t.csv", "not_text", NUL, row=3)


def test_invalid_utf8_is_found_on_its_line():
    assert _fault(b"a,b\n1,2\n3,4\nCaf\xe9,6\n") == Problem(
        "t.csv", "wrong_encoding", NOT_UTF8, row=4
    )


def test_whichever_comes_first_is_named():
    assert _fault(b"a\n\xff\n\x00\n") == Problem("t.csv", "wrong_encoding", NOT_UTF8, row=2)
    assert _fault(b"a\n\x00\n\xff\n") == Problem("t.csv", "not_text", NUL, row=2)


def test_a_file_ending_in_nul_bytes_is_called_cut_short():
    assert _fault(b"a,b\n1,2\n\x00\x00\x00") == Problem("t.csv", "not_text", NUL_TAIL, row=3)
    # A NUL byte inside the text, however the file ends, is a NUL byte.
    assert _fault(b"a\n\x00b\n\x00") == Problem("t.csv", "not_text", NUL, row=2)


def test_utf16_is_named():
    problem = _fault("a,b\n".encode("utf-16"))
    assert problem == Problem("t.csv", "wrong_encoding", "is UTF-16; save it as UTF-8 (CSV UTF-8)")


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7])
def test_chunks_of_any_size_give_the_same_answer(chunk):
    text = "id,name\n1,Café\n2,Zoë ☃\n".encode()
    assert _fault(text, chunk=chunk) is None  # characters split between chunks are whole
    assert _fault(text + b"3,\xc3(\n", chunk=chunk) == Problem(
        "t.csv", "wrong_encoding", NOT_UTF8, row=4
    )
    assert _fault(text + b"3,x\x00\n", chunk=chunk) == Problem("t.csv", "not_text", NUL, row=4)
    assert _fault(text + b"3,\xc3", chunk=chunk) == Problem(  # ends inside a character
        "t.csv", "wrong_encoding", NOT_UTF8, row=4
    )


def test_a_file_is_read_whole_in_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "CHUNK_BYTES", 64)
    path = tmp_path / "accounts.csv"
    lines = [b"account_id,office"] + [b"acc-%07d,london" % i for i in range(1, 400)]
    lines[299] = b"acc-0000299,l\x00ndon"  # line 300, some 6 KB in
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert file_text_fault(path, "accounts.csv") == Problem(
        "accounts.csv", "not_text", NUL, row=300
    )


def test_a_sparse_file_of_2_gib_is_refused_at_once(workbook_copy):
    with (workbook_copy / "accounts.csv").open("r+b") as fh:
        fh.truncate(0)
        fh.truncate(2 << 30)  # sparse: costs no disk
    started = time.monotonic()
    problem = _only(workbook_copy)
    assert time.monotonic() - started < 20  # the whole validation; the scan stops at byte 0
    assert problem == Problem("accounts.csv", "not_text", NUL_TAIL, row=1)


def test_a_nul_byte_past_64_kib_of_a_small_table(workbook_copy):
    path = workbook_copy / "marketing_sends.csv"
    lines = path.read_bytes().split(b"\n")
    lines[4999] = lines[4999].replace(b",", b",\x00", 1)  # row 5000, ~460 KB in
    path.write_bytes(b"\n".join(lines))
    assert _only(workbook_copy) == Problem("marketing_sends.csv", "not_text", NUL, row=5000)


def test_a_small_table_over_the_cap_is_refused_for_its_size_not_its_bytes(workbook_copy):
    with (workbook_copy / "consents.csv").open("r+b") as fh:
        fh.truncate(0)
        fh.truncate(300 * 1024 * 1024)  # all NUL bytes, sparse
    problem = _only(workbook_copy)
    assert (problem.file, problem.reason) == ("consents.csv", "too_large")
    assert problem.message == (
        "is not a workbook table: it is 314,572,800 B, over 209,715,200 B "
        "(only accounts may be larger)"
    )


# ---------------------------------------------------------------- CSV records


def test_records_carry_the_line_they_start_on():
    text = 'a,b\n1,"two\nlines"\n\n3,4'
    assert list(csv_records(text)) == [
        Record(1, 1, ["a", "b"]),
        Record(2, 3, ["1", "two\nlines"]),
        Record(4, 4, []),
        Record(5, 5, ["3", "4"]),
    ]


def test_a_quote_that_never_closes_is_marked_where_it_opens():
    text = 'a,b,c\n1,2,3\n4,"five,6\n7,8,9\n10,11,12\n'
    assert list(csv_records(text))[-1] == Record(
        3, 5, ["4", "five,6\n7,8,9\n10,11,12\n"], UNCLOSED_QUOTE
    )


def test_a_closed_quote_at_the_end_of_the_file_is_fine():
    assert list(csv_records('a\n"x"')) == [Record(1, 1, ["a"]), Record(2, 2, ["x"])]


def test_an_unclosed_quote_in_a_small_table_names_its_row_and_column(workbook_copy):
    path = workbook_copy / "processors.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[4] = lines[4].replace(",", ',"', 1)  # row 5: the quote opens the name
    path.write_text("\n".join(lines), encoding="utf-8")
    assert _only(workbook_copy) == Problem(
        "processors.csv",
        "bad_csv",
        'a quote opens here and is never closed: add the closing quote (")',
        row=5,
        column="name",
    )


def test_a_record_over_two_lines_is_named_by_its_first(workbook_copy):
    rows = read_rows(workbook_copy / "sites.csv")
    rows[2][1] = "Riga\noffice"  # row 3 now spans lines 3 and 4
    rows[3][3] = "G1"  # the next record, on line 5
    write_rows(workbook_copy / "sites.csv", rows)
    problem = _only(workbook_copy)
    assert (problem.file, problem.row, problem.column) == ("sites.csv", 5, "country")


def test_a_ragged_record_over_several_lines_says_where_it_ends(workbook_copy):
    path = workbook_copy / "sites.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace(",", ',"', 1)  # opens in row 2...
    lines[2] = lines[2].replace(",", '",', 1)  # ...and closes in row 3
    path.write_text("\n".join(lines), encoding="utf-8")
    problem = _only(workbook_copy)
    # the quote opened in row 2's second field, which now holds the line break
    assert (problem.reason, problem.row, problem.column) == ("bad_csv", 2, "name")
    assert problem.message == (
        "a quote opens here and runs on to row 3, where a later quote closes it "
        '(has 8 fields where the header has 7): add the closing quote (")'
    )


def test_a_ragged_record_on_one_line_names_no_column(workbook_copy):
    path = workbook_copy / "sites.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] += ",extra"
    path.write_text("\n".join(lines), encoding="utf-8")
    problem = _only(workbook_copy)
    assert (problem.reason, problem.row, problem.column) == ("ragged_row", 2, None)
    assert problem.message == "has 8 fields where the header has 7"


# ---------------------------------------------------------------- header names


def test_duplicate_names():
    assert duplicate_names(["a", "b", "a", "", "", "b", "a"]) == ["a", "b"]
    assert duplicate_names(["a", "A", " a"]) == []


def test_a_csv_header_naming_a_column_twice(workbook_copy):
    rows = read_rows(workbook_copy / "systems.csv")
    write_rows(workbook_copy / "systems.csv", [[*r, r[0]] for r in rows])
    problem = _only(workbook_copy)
    assert (problem.file, problem.reason, problem.row, problem.column) == (
        "systems.csv",
        "duplicate_column",
        1,
        "system_id",
    )


def test_a_parquet_table_naming_a_column_twice(workbook_copy):
    rows = read_rows(workbook_copy / "sites.csv")
    columns = [pa.array([r[i] for r in rows[1:]]) for i in range(len(rows[0]))]
    table = pa.Table.from_arrays([*columns, columns[3]], names=[*rows[0], "country"])
    (workbook_copy / "sites.csv").unlink()
    pq.write_table(table, workbook_copy / "sites.parquet")  # Parquet allows it
    assert _only(workbook_copy) == Problem(
        "sites.parquet",
        "duplicate_column",
        "is the name of more than one column (4 and 8); rename or remove one",
        column="country",
    )


def test_a_parquet_accounts_file_naming_a_column_twice(workbook_copy):
    rows = read_rows(workbook_copy / "accounts.csv")
    columns = [pa.array([r[i] or None for r in rows[1:]], pa.string()) for i in range(6)]
    table = pa.Table.from_arrays([*columns, columns[0]], names=[*rows[0], "account_id"])
    (workbook_copy / "accounts.csv").unlink()
    pq.write_table(table, workbook_copy / "accounts.parquet")
    problem = _only(workbook_copy)
    assert (problem.file, problem.reason, problem.row, problem.column) == (
        "accounts.parquet",
        "duplicate_column",
        None,
        "account_id",
    )


# ---------------------------------------------------------------- the BOM


def test_a_byte_order_mark_on_accounts_is_accepted(workbook_copy):
    path = workbook_copy / "accounts.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # Excel's "CSV UTF-8"
    validate(workbook_copy)
    first = accounts_table(path).limit(1).execute()
    assert list(first.columns[:2]) == ["account_id", "office"]
    assert (first.loc[0, "account_id"], first.loc[0, "office"]) == ("acc-0000001", "riga")
    assert int(accounts_table(path).count().execute()) == 2000


def test_a_bad_timestamp_in_accounts_with_a_byte_order_mark_names_its_row(workbook_copy):
    path = workbook_copy / "accounts.csv"
    set_cell(path, 5, "last_used_at", "not-a-time")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    problem = _only(workbook_copy)
    assert (problem.file, problem.row, problem.column) == ("accounts.csv", 5, "last_used_at")
    assert problem.message == "'not-a-time' is not a timestamp"


def test_a_byte_order_mark_on_a_small_table_is_accepted(workbook_copy):
    path = workbook_copy / "sites.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert list(load_workbook(workbook_copy).sites["site_id"][:1]) == ["london"]


# ---------------------------------------------------------------- folders, empty files


def test_a_small_table_given_as_a_folder(workbook_copy):
    (workbook_copy / "risks.csv").unlink()
    (workbook_copy / "risks.csv").mkdir()
    problem = _only(workbook_copy)
    assert (problem.file, problem.reason) == ("risks.csv", "not_a_file")
    assert problem.message == (
        "is a folder where a file was expected: give risks as one file, risks.csv or "
        "risks.parquet (only accounts may be a folder of Parquet files)"
    )


def test_a_pipe_is_not_read(workbook_copy):
    (workbook_copy / "cookies.csv").unlink()
    os.mkfifo(workbook_copy / "cookies.csv")  # reading it would wait for ever
    problem = _only(workbook_copy)
    assert (problem.file, problem.reason) == ("cookies.csv", "not_a_file")


def test_an_empty_accounts_file_is_one_problem(workbook_copy):
    (workbook_copy / "accounts.csv").write_bytes(b"")
    assert _only(workbook_copy) == Problem(
        "accounts.csv", "empty_file", "is empty: it needs at least a header row"
    )


def test_an_accounts_file_of_a_blank_line_has_no_header(workbook_copy):
    (workbook_copy / "accounts.csv").write_bytes(b"\xef\xbb\xbf\r\n")
    assert _only(workbook_copy).reason == "empty_file"


def test_an_empty_parquet_table(workbook_copy):
    (workbook_copy / "cookies.csv").unlink()
    (workbook_copy / "cookies.parquet").write_bytes(b"")
    assert _only(workbook_copy) == Problem(
        "cookies.parquet", "empty_file", "is empty (0 bytes): it holds no table"
    )


def _accounts_as_parquet_folder(root: Path, parts: dict[str, slice]) -> Path:
    """Replace accounts.csv by a folder ``accounts/`` of Parquet files (text columns)."""
    rows = read_rows(root / "accounts.csv")
    header, records = rows[0], rows[1:]
    folder = root / "accounts"
    for relative, which in parts.items():
        chosen = records[which]
        arrays = [pa.array([r[i] or None for r in chosen], pa.string()) for i in range(6)]
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_arrays(arrays, names=header), folder / relative)
    (root / "accounts.csv").unlink()
    return folder


def test_a_folder_of_parquet_accounts_in_sub_folders_is_read(workbook_copy):
    _accounts_as_parquet_folder(
        workbook_copy,
        {"office=a/part-0.parquet": slice(0, 1000), "part-1.parquet": slice(1000, None)},
    )
    loaded = read_workbook(workbook_copy)
    assert loaded.problems == []
    assert loaded.files["accounts"] == workbook_copy / "accounts"


# ---------------------------------------------------------------- links


def test_outside_link(tmp_path):
    root = tmp_path / "wb"
    (root / "inner").mkdir(parents=True)
    (tmp_path / "away.csv").write_text("x\n")
    (root / "in.csv").write_text("x\n")
    (root / "here.csv").symlink_to(root / "in.csv")
    (root / "gone.csv").symlink_to(tmp_path / "away.csv")
    (root / "inner" / "gone.parquet").symlink_to(tmp_path / "away.csv")
    assert outside_link(root, root / "in.csv") is None
    assert outside_link(root, root / "here.csv") is None
    assert outside_link(root, root / "gone.csv") == root / "gone.csv"
    assert outside_link(root, root / "inner") == root / "inner" / "gone.parquet"


def test_a_table_linked_from_outside_the_folder_is_refused(workbook_copy, tmp_path):
    away = tmp_path / "elsewhere.csv"
    shutil.move(workbook_copy / "accounts.csv", away)
    (workbook_copy / "accounts.csv").symlink_to(away)
    assert _only(workbook_copy) == Problem(
        "accounts.csv",
        "outside_workbook",
        "is a symbolic link to a file outside the workbook folder, which is not read: "
        "copy the file into the workbook folder instead",
    )


def test_a_link_inside_the_folder_is_fine(workbook_copy):
    (workbook_copy / "originals").mkdir()
    shutil.move(workbook_copy / "sites.csv", workbook_copy / "originals" / "sites.csv")
    (workbook_copy / "sites.csv").symlink_to(Path("originals") / "sites.csv")
    validate(workbook_copy)


def test_a_parquet_folder_holding_a_link_out_of_the_workbook(workbook_copy, tmp_path):
    folder = _accounts_as_parquet_folder(
        workbook_copy, {"part-0.parquet": slice(0, 1000), "part-1.parquet": slice(1000, None)}
    )
    shutil.move(folder / "part-1.parquet", tmp_path / "part-1.parquet")
    (folder / "part-1.parquet").symlink_to(tmp_path / "part-1.parquet")
    assert _only(workbook_copy) == Problem(
        "accounts",
        "outside_workbook",
        "holds part-1.parquet, a symbolic link to a file outside the workbook folder, "
        "which is not read: copy the file into the workbook folder instead",
    )


# ---------------------------------------------------------------- Parquet dates


def _ms(year: int) -> int:
    return int((dt.datetime(year, 1, 1) - dt.datetime(1970, 1, 1)).total_seconds() * 1000)


def test_date_out_of_range():
    big = 2**52  # milliseconds: the year 142,710
    table = pa.table(
        {
            "text": pa.array(["a", "b", "c"]),
            "stamp": pa.array([0, None, big], pa.timestamp("ms")),
            "day": pa.array([0, 1, 2], pa.date32()),
        }
    )
    assert date_out_of_range(table) == (3, "stamp")
    assert date_out_of_range(table.select(["text", "day"])) is None
    edges = pa.array([_ms(1), _ms(9999) + 364 * 86_400_000], pa.timestamp("ms"))  # naive
    assert date_out_of_range(pa.table({"t": edges})) is None
    aware = pa.array([_ms(9999) + 364 * 86_400_000], pa.timestamp("ms", tz="UTC"))
    assert date_out_of_range(pa.table({"t": aware})) == (1, "t")  # shown a day later: 10000
    days = pa.array([0, -719_163], pa.date32())  # 0000-12-31
    assert date_out_of_range(pa.table({"d": days})) == (2, "d")


@pytest.mark.parametrize("statistics", [True, False])
def test_parquet_date_out_of_range_reads_only_what_it_must(tmp_path, statistics):
    stamps = [_ms(2024)] * 25
    stamps[17] = 2**52
    path = tmp_path / "a.parquet"
    table = pa.table({"id": [str(i) for i in range(25)], "t": pa.array(stamps, pa.timestamp("ms"))})
    pq.write_table(table, path, row_group_size=10, write_statistics=statistics)
    assert parquet_date_out_of_range(path, ["t", "id", "absent"]) == (18, "t")
    pq.write_table(table.slice(0, 10), path, row_group_size=4, write_statistics=statistics)
    assert parquet_date_out_of_range(path, ["t"]) is None


def test_a_typed_parquet_timestamp_beyond_9999_in_a_small_table(workbook_copy):
    rows = read_rows(workbook_copy / "risks.csv")
    header = rows[0]
    arrays = [pa.array([r[i] or None for r in rows[1:]], pa.string()) for i in range(len(header))]
    column = header.index("measure_due")
    days = [19_000] * (len(rows) - 1)
    days[2] = 3_000_000  # the year 10183
    arrays[column] = pa.array(days, pa.date32())
    (workbook_copy / "risks.csv").unlink()
    pq.write_table(pa.Table.from_arrays(arrays, names=header), workbook_copy / "risks.parquet")
    problems = read_workbook(workbook_copy).problems
    assert problems == [
        Problem(
            "risks.parquet",
            "bad_parquet",
            "holds a date outside the years 1 to 9999 (a typing slip?)",
            row=3,
            column=header[column],
        )
    ]


def test_a_typed_parquet_timestamp_beyond_9999_in_accounts(workbook_copy):
    rows = read_rows(workbook_copy / "accounts.csv")
    records = rows[1:]
    arrays = [pa.array([r[i] or None for r in records], pa.string()) for i in range(6)]
    stamps = [_ms(2024)] * len(records)
    stamps[41] = 2**55  # beyond even DuckDB's timestamps
    arrays[2] = pa.array(stamps, pa.timestamp("ms", tz="UTC"))
    (workbook_copy / "accounts.csv").unlink()
    table = pa.Table.from_arrays(arrays, names=rows[0])
    pq.write_table(table, workbook_copy / "accounts.parquet", row_group_size=500)
    assert _only(workbook_copy) == Problem(
        "accounts.parquet",
        "bad_parquet",
        "holds a date outside the years 1 to 9999 (a typing slip?)",
        row=42,
        column="last_used_at",
    )
