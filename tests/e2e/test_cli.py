"""The CLI in-process (click's runner) and as a subprocess: exit codes, one-line errors,
no traceback."""

from __future__ import annotations

from click.testing import CliRunner

from juro_privacy.cli import main
from juro_privacy.workbook.schemas import TABLES
from tests.conftest import run_cli, set_cell


def test_validate_sample_in_process():
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_validate_broken_copy_exits_2_naming_file_row_column(workbook_copy):
    set_cell(workbook_copy / "requests.csv", 9, "received_at", "not a date")
    result = CliRunner().invoke(main, ["validate", str(workbook_copy)])
    assert result.exit_code == 2
    assert "requests.csv, row 9, column 'received_at'" in result.output
    assert "Traceback" not in result.output


def test_validate_broken_copy_as_subprocess(workbook_copy):
    set_cell(workbook_copy / "activities.csv", 4, "purpose", "world domination")
    proc = run_cli("validate", str(workbook_copy))
    assert proc.returncode == 2
    assert "activities.csv, row 4, column 'purpose'" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_run_with_bad_period_exits_2_and_writes_nothing(tmp_path):
    proc = run_cli("run", "--period", "2026-Q9", "--out", str(tmp_path / "reports"))
    assert proc.returncode == 2
    assert "2026-Q9" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


def test_run_unknown_topic_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["run", "--only", "astrology", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown topic astrology" in result.output


def test_init_writes_headers_and_config(tmp_path):
    folder = tmp_path / "new"
    result = CliRunner().invoke(main, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    for t in TABLES:
        header = (folder / f"{t.name}.csv").read_text().strip()
        assert header.split(",") == t.column_names
    assert "organisation:" in (folder / "workbook.yaml").read_text()
    # an empty workbook is not valid yet: it says what to fill in
    again = CliRunner().invoke(main, ["validate", str(folder)])
    assert again.exit_code == 2
    assert "workbook.yaml, column 'organisation': is required" in again.output


def test_init_refuses_a_non_empty_folder(workbook_copy):
    result = CliRunner().invoke(main, ["init", str(workbook_copy)])
    assert result.exit_code == 2
    assert "is not empty" in result.output


def test_sample_command_writes_a_valid_workbook(tmp_path):
    result = CliRunner().invoke(main, ["sample", str(tmp_path / "s"), "--accounts", "50"])
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(main, ["validate", str(tmp_path / "s")]).exit_code == 0


def test_run_with_a_bad_engine_url_exits_2_before_any_notebook(tmp_path):
    out = tmp_path / "reports"
    proc = run_cli(
        "run", "--no-pdf", "--out", str(out), "--engine", "nosuchengine://dpo:s3cret@db/privacy"
    )
    assert proc.returncode == 2, proc.stderr
    assert "cannot open the engine nosuchengine://dpo:***@db/privacy" in proc.stderr
    assert "s3cret" not in proc.stderr and "Traceback" not in proc.stderr
    assert "executing" not in proc.stderr
    assert not out.exists() or not any(out.iterdir())


def test_run_help_says_which_folder_may_be_shared():
    result = CliRunner().invoke(main, ["run", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "--out PATH Folder that receives <period>/, the shareable reports." in text
    assert (
        "--internal-out PATH Folder that receives <period>/ of the audit trail, the executed "
        "notebooks (owner-only, not for sharing; default: OUT/internal)." in text
    )


def test_pdf_without_pdftotext_is_refused_before_anything_runs(tmp_path, monkeypatch):
    monkeypatch.setattr("juro_privacy.run.orchestrate.find_chromium", lambda: "/usr/bin/chromium")
    monkeypatch.setattr("juro_privacy.run.orchestrate.find_pdftotext", lambda: None)
    result = CliRunner().invoke(main, ["run", "--pdf", "--out", str(tmp_path / "reports")])
    assert result.exit_code == 1
    assert result.output == (
        "error: --pdf needs pdftotext, with which the leak scan reads each PDF: install it "
        "(apt-get install poppler-utils), or pass --no-pdf\n"
    )
    assert not (tmp_path / "reports").exists()
