"""Two runs of the same workbook and period give the same bytes, and ``juro-privacy
verify`` says so (or names what differs)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from juro_privacy.paths import sample_dir
from juro_privacy.run.orchestrate import RunOptions, RunResult, run_reports
from juro_privacy.run.render import find_chromium
from juro_privacy.run.reproducible import comparable, pdf_date, pin_pdfs
from juro_privacy.run.verify import verify_report
from tests.conftest import run_cli, set_cell

VARYING = {"started_at", "finished_at", "duration_seconds", "internal"}


def test_the_index_is_compared_without_its_run_time():
    a = b'<p>Run on <span class="run-time">2026-11-25 20:42 UTC</span> by x</p>'
    b = b'<p>Run on <span class="run-time">2026-12-01 09:00 UTC</span> by x</p>'
    assert comparable("index.html", a) == comparable("2026-Q3/index.html", b)
    assert comparable("index.html", a) != comparable("index.html", a.replace(b"by x", b"by y"))
    assert comparable("register.html", a) == a


def test_the_index_is_compared_without_where_the_audit_trail_is():
    a = b'<p>kept in <code class="internal-path">../internal/2026-Q3/</code>: a.ipynb</p>'
    b = b'<p>kept in <code class="internal-path">/srv/audit/2026-Q3/</code>: a.ipynb</p>'
    assert comparable("index.html", a) == comparable("index.html", b)
    assert comparable("index.html", a) != comparable("index.html", a.replace(b"a.ipynb", b"b"))


def test_pdf_dates_are_pinned_in_place(tmp_path):
    import datetime as dt

    pdf = tmp_path / "a.pdf"
    body = (
        b"%PDF-1.4\n<</CreationDate (D:20261125183157+00'00')\n/ModDate (D:20261125183157+00'00')>>"
    )
    pdf.write_bytes(body)
    pin_pdfs([pdf], dt.date(2026, 9, 30))
    pinned = pdf.read_bytes()
    assert len(pinned) == len(body)
    assert pinned.count(pdf_date(dt.date(2026, 9, 30))) == 2
    assert b"20261125" not in pinned


@pytest.fixture(scope="module")
def audit(tmp_path_factory) -> Path:
    """Where the first run keeps its audit trail (``--internal-out``); the second keeps
    it in ``<out>/internal``, as verify's re-run does."""
    return tmp_path_factory.mktemp("audit")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, audit) -> tuple[Path, Path]:
    pdf = find_chromium() is not None
    folders = []
    for name, internal_out in (("first", audit), ("second", None)):
        out = tmp_path_factory.mktemp(name)
        options = RunOptions(out=out, internal_out=internal_out, pdf=pdf, only=("register",))
        folders.append(run_reports(options).folder)
    return folders[0], folders[1]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): comparable(p.name, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_the_index_links_only_the_reports_of_the_run(two_runs):
    page = (two_runs[0] / "index.html").read_text()  # a run of the register only
    assert '<a href="register.html">register</a>' in page
    assert "Requests" in page  # its area is on the board, judged from the workbook
    assert 'href="requests.html"' not in page  # but its report was not run: no link


@pytest.mark.slow
def test_two_runs_give_the_same_bytes_but_the_run_times(two_runs, audit):
    first, second = (_files(f) for f in two_runs)
    assert set(first) == set(second)
    assert not [k for k in first if k.endswith(".ipynb")]  # the audit trail is apart
    assert {Path(k).suffix for k in first} >= {".html", ".csv", ".xlsx", ".json"}
    if find_chromium():
        assert "register.pdf" in first
    differ = sorted(k for k in first if first[k] != second[k])
    assert differ == ["manifest.json"]
    a, b = (json.loads(first["manifest.json"]), json.loads(second["manifest.json"]))
    for manifest in (a, b):
        del manifest["outputs"]["index.html"]  # its run time
    assert {k for k in a if a[k] != b[k]} == VARYING
    # the executed notebooks carry papermill's timestamps: the same names, other hashes
    assert a["internal"]["folder"] == f"{audit.resolve().as_posix()}/2026-Q3/"
    assert b["internal"]["folder"] == "../internal/2026-Q3/"
    assert list(a["internal"]["files"]) == list(b["internal"]["files"]) == ["register.ipynb"]


@pytest.mark.slow
def test_verify_re_runs_and_finds_the_same_bytes(two_runs):
    proc = run_cli("verify", str(two_runs[0]))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "identical" in proc.stdout


@pytest.mark.slow
def test_verify_names_a_changed_report_file(two_runs, tmp_path, monkeypatch):
    folder = tmp_path / "2026-Q3"
    shutil.copytree(two_runs[0], folder)
    (folder / "register.csv").write_text("edited by hand\n")

    def rerun(options: RunOptions, progress=None) -> RunResult:  # the second run, no wait
        return RunResult(two_runs[1], None, [])  # type: ignore[arg-type]

    monkeypatch.setattr("juro_privacy.run.verify.run_reports", rerun)
    result = verify_report(folder)
    assert result.differences == ["register.csv: changed since the run"]


def test_verify_stops_when_an_input_changed(tmp_path):
    workbook = tmp_path / "workbook"
    shutil.copytree(sample_dir(), workbook)
    folder = tmp_path / "reports" / "2026-Q3"
    folder.mkdir(parents=True)
    manifest = {
        "parameters": {"data_dir": str(workbook), "sample": False, "period": "2026-Q3"},
        "inputs": {"requests.csv": "0" * 64},
        "outputs": {},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    set_cell(workbook / "requests.csv", 2, "channel", "post")
    proc = run_cli("verify", str(folder))
    assert proc.returncode == 1
    assert "differs: input requests.csv: changed since the run" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_verify_a_folder_without_manifest_is_bad_input(tmp_path):
    proc = run_cli("verify", str(tmp_path))
    assert proc.returncode == 2
    assert "manifest.json is missing" in proc.stderr
