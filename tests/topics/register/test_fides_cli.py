"""``juro-privacy import-fides FILE DIR``: the round trip on the bundled sample (export,
import, export gives the same datamap), refusing to overwrite, and a datamap it cannot
map refused with exit 2, one line, no traceback and nothing written."""

from __future__ import annotations

import json

from click.testing import CliRunner

from juro_privacy.cli import main
from juro_privacy.paths import sample_dir
from juro_privacy.periods import parse_period
from juro_privacy.topics.register.api import exports_for
from juro_privacy.workbook.load import load_workbook
from tests.conftest import run_cli
from tests.topics.register.test_fides import FOREIGN

Q3 = parse_period("2026-Q3")
FOUR = ("activities", "processors", "systems", "categories")


def sample_export(tmp_path):
    datamap = exports_for(load_workbook(sample_dir()), Q3)["register.fides.json"]
    path = tmp_path / "register.fides.json"
    path.write_text(json.dumps(datamap, indent=2), encoding="utf-8")
    return datamap, path


def test_round_trip_export_import_export_gives_the_same_register(tmp_path, workbook_copy):
    first, path = sample_export(tmp_path)
    for table in FOUR:
        (workbook_copy / f"{table}.csv").unlink()
    result = CliRunner().invoke(main, ["import-fides", str(path), str(workbook_copy)])
    assert result.exit_code == 0, result.output
    assert "12 activities, 12 processors, 12 systems, 10 categories written" in result.output
    again = exports_for(load_workbook(workbook_copy), Q3)["register.fides.json"]
    assert again == first


def test_refuses_to_overwrite_the_workbooks_tables_unless_replace(tmp_path, workbook_copy):
    _, path = sample_export(tmp_path)
    before = {t: (workbook_copy / f"{t}.csv").read_bytes() for t in FOUR}
    refused = CliRunner().invoke(main, ["import-fides", str(path), str(workbook_copy)])
    assert refused.exit_code == 2
    assert "already has activities.csv, processors.csv, systems.csv, categories.csv" in (
        refused.output
    )
    assert "--replace" in refused.output
    assert {t: (workbook_copy / f"{t}.csv").read_bytes() for t in FOUR} == before
    replaced = CliRunner().invoke(
        main, ["import-fides", str(path), str(workbook_copy), "--replace"]
    )
    assert replaced.exit_code == 0, replaced.output
    # A12 ended before Q3, so the period's datamap has 12 of the sample's 13 activities
    rows = (workbook_copy / "activities.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 12 and not any(r.startswith("A12,") for r in rows)
    assert not list(workbook_copy.glob(".import-fides-*"))


def test_a_yaml_datamap_into_a_new_folder_says_what_to_fill_in(tmp_path):
    path = tmp_path / "map.yml"
    path.write_text(FOREIGN, encoding="utf-8")
    result = CliRunner().invoke(main, ["import-fides", str(path), str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == sorted(f"{t}.csv" for t in FOUR)
    assert "to fill in: activities.started_on: 1 of 1 rows empty" in result.output


def test_what_cannot_be_mapped_exits_2_with_one_line_and_writes_nothing(tmp_path):
    path = tmp_path / "map.yml"
    path.write_text(FOREIGN.replace("[customer]", "[patient]"), encoding="utf-8")
    proc = run_cli("import-fides", str(path), str(tmp_path / "out"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "error: map.yml: system 'helpdesk' (system[0]), privacy declaration 'Customer "
        "support' (privacy_declarations[0]), field 'data_subjects': data subject 'patient' "
        "has no equivalent among the register's data subjects"
    )
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (tmp_path / "out").exists()


def test_an_unreadable_file_exits_2(tmp_path):
    path = tmp_path / "map.json"
    path.write_bytes(b"\xff\xfe not utf-8")
    result = CliRunner().invoke(main, ["import-fides", str(path), str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "map.json: cannot be read (UnicodeDecodeError)" in result.output
    assert not (tmp_path / "out").exists()
