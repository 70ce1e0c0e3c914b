"""A run stopped by the scheduler (SIGTERM) leaves the previous report as it was and no
half-written folder behind."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from juro_privacy.run.render import find_chromium

pytestmark = pytest.mark.slow


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_sigterm_while_rendering_keeps_the_previous_report(tmp_path):
    out = tmp_path / "reports"
    (out / "2026-Q3").mkdir(parents=True)
    (out / "2026-Q3" / "index.html").write_text("<p>the report filed last time</p>\n")
    before = _tree(out)
    pdf = "--pdf" if find_chromium() else "--no-pdf"
    proc = subprocess.Popen(
        [sys.executable, "-m", "juro_privacy", "run", "--out", str(out), pdf, "--only", "register"],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    seen: list[str] = []
    deadline = time.monotonic() + 300
    for line in proc.stderr:  # progress lines; "rendered" starts the PDF printing
        seen.append(line)
        if line.startswith("rendered "):
            staging = [p for p in out.iterdir() if p.name.startswith(".2026-Q3.partial-")]
            assert staging, "the run builds its folder beside the target"
            proc.send_signal(signal.SIGTERM)
            break
        assert time.monotonic() < deadline, "".join(seen)
    else:
        pytest.fail("the run ended before rendering:\n" + "".join(seen))
    _, rest = proc.communicate(timeout=120)
    stderr = "".join(seen) + rest
    assert proc.returncode == 130, stderr
    assert "interrupted: no report was changed" in stderr
    assert "Traceback" not in stderr
    assert _tree(out) == before
    assert [p.name for p in out.iterdir()] == ["2026-Q3"]  # staging removed, nothing half-done
