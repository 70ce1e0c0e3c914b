"""The quarterly run end to end on the sample: the shareable folder and the owner-only
audit trail apart, the manifest, offline reports, charts in the PDF, no identifiers,
nbval, and atomic replacement of both folders."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from juro_privacy.errors import RenderError
from juro_privacy.paths import sample_dir
from juro_privacy.registry import REPORTS
from juro_privacy.run.orchestrate import RunOptions, run_reports
from juro_privacy.run.render import NETWORK_REFERENCE
from tests.conftest import SampleRun, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reports(sample_run: SampleRun) -> Path:
    """Q2 in-process without PDF, then Q3 through the CLI as a user types it (the
    session's one run of the sample, ``tests/conftest.py``)."""
    return sample_run.out


def test_the_cli_shows_progress_and_says_where_it_wrote(sample_run: SampleRun):
    out = sample_run.out
    assert "[1/" in sample_run.cli.stderr  # progress per notebook
    assert sample_run.cli.stdout == (
        f"reports for 2026-Q3 written to {out}/2026-Q3/ (open {out}/2026-Q3/index.html); "
        f"the audit trail, not for sharing, to {out}/internal/2026-Q3/\n"
    )


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: The reports a run writes: the registry's (tests/test_registry.py holds its list).
TOPICS = list(REPORTS)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_shareable_folder_holds_reports_and_exports_only(reports):
    q3 = reports / "2026-Q3"
    assert sorted(p.relative_to(q3).as_posix() for p in q3.rglob("*")) == sorted(
        [
            "index.html",
            "manifest.json",
            *(f"{t}.html" for t in TOPICS),
            *(f"{t}.pdf" for t in TOPICS),
            "register.csv",
            "register.xlsx",
            "register.fides.json",
            "flows.csv",
            "dpia.pia.json",
            "findings.csv",
        ]
    )
    assert sorted(p.name for p in reports.iterdir()) == ["2026-Q2", "2026-Q3", "internal"]


def test_the_audit_trail_is_apart_and_owner_only(reports):
    internal = reports / "internal"
    assert sorted(p.relative_to(internal).as_posix() for p in internal.rglob("*")) == sorted(
        ["2026-Q2", "2026-Q3"]
        + [f"2026-Q2/{t}.ipynb" for t in TOPICS]
        + [f"2026-Q3/{t}.ipynb" for t in TOPICS]
    )
    assert _mode(internal) == 0o700
    for period in ("2026-Q2", "2026-Q3"):
        assert _mode(internal / period) == 0o700
        for t in TOPICS:
            assert _mode(internal / period / f"{t}.ipynb") == 0o600
    # the request ids the DPO follows up are there, and only there
    assert "REQ-00" in (internal / "2026-Q3" / "requests.ipynb").read_text(encoding="utf-8")


def test_the_index_names_the_audit_trail_by_path_only(reports):
    index = (reports / "2026-Q3" / "index.html").read_text(encoding="utf-8")
    assert '<code class="internal-path">../internal/2026-Q3/</code>' in index
    assert (
        ": register.ipynb, flows.ipynb, requests.ipynb, retention.ipynb, dpia.ipynb, "
        "breaches.ipynb, complaints.ipynb, accountability.ipynb." in index.replace("\n", " ")
    )
    assert '.ipynb"' not in index  # no link to a notebook
    assert "internal/" not in re.sub(r'<code class="internal-path">[^<]*</code>', "", index)
    manifest = json.loads((reports / "2026-Q3" / "manifest.json").read_text())
    assert manifest["internal"]["folder"] == "../internal/2026-Q3/"
    assert sorted(manifest["internal"]["files"]) == sorted(f"{t}.ipynb" for t in TOPICS)
    for name, digest in manifest["internal"]["files"].items():
        assert _sha(reports / "internal" / "2026-Q3" / name) == digest
    assert not [k for k in manifest["outputs"] if "internal" in k or k.endswith(".ipynb")]


def test_no_staging_folder_is_left(reports):
    assert not [p for p in reports.iterdir() if p.name.startswith(".")]
    assert not [p for p in (reports / "internal").iterdir() if p.name.startswith(".")]


def test_manifest_hashes_every_input_and_output(reports):
    q3 = reports / "2026-Q3"
    manifest = json.loads((q3 / "manifest.json").read_text())
    assert manifest["period"] == {"label": "2026-Q3", "start": "2026-07-01", "end": "2026-09-30"}
    assert manifest["inputs"]["workbook.yaml"] == _sha(sample_dir() / "workbook.yaml")
    assert manifest["inputs"]["requests.csv"] == _sha(sample_dir() / "requests.csv")
    for rel, digest in manifest["outputs"].items():
        assert _sha(q3 / rel) == digest, rel
    assert "register.pdf" in manifest["outputs"]
    assert manifest["versions"]["pandas"] == pd.__version__
    assert manifest["parameters"]["pdf"] is True


def test_reports_reference_nothing_on_the_network(reports):
    for page in (reports / "2026-Q3").glob("*.html"):
        assert NETWORK_REFERENCE.search(page.read_text(encoding="utf-8")) is None, page.name


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_has_the_report_and_its_charts(reports):
    text = _pdf_text(reports / "2026-Q3" / "register.pdf")
    assert "Register of processing activities" in text
    # chart titles and axis labels are drawn by plotly.js: present only if the chart drew
    assert "Data categories by purpose (number of activities)" in text
    assert "Where the data comes from (activities)" in text
    assert "Data we collect" in text


def test_no_identifier_in_any_shareable_file(reports):
    """Every identifier of the sample has a recognisable shape (REQ-00001,
    requester00001@example.com, SUB-00001, acc-0000001): none may appear anywhere in a
    shareable file, whatever its value. Independent of the run's own leak scan."""
    shapes = re.compile(r"REQ-\d{5}|SUB-\d{5}|acc-\d{7}|[\w.+-]+@example\.com")
    requests = pd.read_csv(sample_dir() / "requests.csv", dtype=str)
    assert shapes.fullmatch(requests.loc[0, "request_id"])
    assert shapes.fullmatch(requests.loc[0, "requester_email"])
    q3 = reports / "2026-Q3"
    shareable: dict[str, str] = {}
    for path in q3.rglob("*"):  # every file of the folder, whatever its kind
        if path.suffix == ".pdf":
            shareable[path.name] = _pdf_text(path)
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                shareable[path.name] = "".join(z.read(n).decode() for n in z.namelist())
        else:
            shareable[path.name] = path.read_text(encoding="utf-8")
    assert len(shareable) == 24  # 8 reports as HTML and PDF, 6 exports, index, manifest
    for name, text in shareable.items():
        leaked = shapes.findall(text)
        assert not leaked, f"{name} shows {leaked[:3]}"


def test_q3_register_shows_changes_since_q2(reports):
    html = (reports / "2026-Q3" / "register.html").read_text(encoding="utf-8")
    section = html.split("Changes since the previous period")[1].split("The register")[0]
    assert "added" in section and "A11" in section
    assert "removed" in section and "A12" in section


def test_executed_notebooks_pass_nbval(reports):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "-q",
            "-p",
            "no:cacheprovider",
            str(reports / "internal" / "2026-Q3" / "register.ipynb"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "passed" in proc.stdout


def test_a_failed_run_leaves_the_previous_report_untouched(reports, tmp_path, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(reports / "2026-Q3", out / "2026-Q3")
    shutil.copytree(reports / "internal" / "2026-Q3", out / "internal" / "2026-Q3")
    before = {p.relative_to(out): _sha(p) for p in out.rglob("*") if p.is_file()}

    def broken(*_a, **_k):
        raise RenderError("simulated failure while rendering")

    monkeypatch.setattr("juro_privacy.run.orchestrate.notebook_to_html", broken)
    with pytest.raises(RenderError, match="simulated"):
        run_reports(RunOptions(period="2026-Q3", out=out, pdf=False))
    after = {p.relative_to(out): _sha(p) for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in out.iterdir()) == ["2026-Q3", "internal"]
    assert [p.name for p in (out / "internal").iterdir()] == ["2026-Q3"]  # no staging left


def test_internal_out_keeps_the_audit_trail_elsewhere(tmp_path):
    out, audit = tmp_path / "reports", tmp_path / "secure" / "audit"
    proc = run_cli(
        "run", "--only", "register", "--no-pdf", "--out", str(out), "--internal-out", str(audit)
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "2026-Q3",
        "2026-Q3/index.html",
        "2026-Q3/manifest.json",
        "2026-Q3/register.csv",
        "2026-Q3/register.fides.json",
        "2026-Q3/register.html",
        "2026-Q3/register.xlsx",
    ]
    assert sorted(p.relative_to(audit).as_posix() for p in audit.rglob("*")) == [
        "2026-Q3",
        "2026-Q3/register.ipynb",
    ]
    assert (_mode(audit), _mode(audit / "2026-Q3")) == (0o700, 0o700)
    assert _mode(audit / "2026-Q3" / "register.ipynb") == 0o600
    index = (out / "2026-Q3" / "index.html").read_text(encoding="utf-8")
    assert f'<code class="internal-path">{audit}/2026-Q3/</code>' in index


def test_an_audit_trail_inside_the_report_folder_is_refused(tmp_path):
    out = tmp_path / "reports"
    proc = run_cli("run", "--no-pdf", "--out", str(out), "--internal-out", str(out / "2026-Q3"))
    assert proc.returncode == 2, proc.stderr
    assert f"error: --internal-out {out}/2026-Q3 puts the audit trail" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_unwritable_output_folder_is_bad_input(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    proc = run_cli("run", "--no-pdf", "--out", str(blocker / "reports"))
    assert proc.returncode == 2
    assert "cannot be written" in proc.stderr and "Traceback" not in proc.stderr


def test_a_failing_notebook_is_named_with_its_cell(tmp_path, monkeypatch):
    import nbformat

    from juro_privacy.errors import NotebookError

    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1", id="ok"),
        nbformat.v4.new_code_cell("raise ValueError('planted')", id="bad"),
    ]
    nbformat.write(nb, folder / "register.ipynb")
    monkeypatch.setattr("juro_privacy.run.execute.notebooks_dir", lambda: folder)
    with pytest.raises(NotebookError) as info:
        run_reports(RunOptions(out=tmp_path / "out", pdf=False, only=("register",)))
    assert str(info.value) == "notebook register.ipynb cell 2 failed: ValueError: planted"
    assert info.value.exit_code == 1
    assert list((tmp_path / "out").iterdir()) == []
