"""The run's two folders: the shareable report and the owner-only audit trail, built
beside their targets and moved into place together, or not at all."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from juro_privacy.errors import InputError, OutputError
from juro_privacy.periods import parse_period
from juro_privacy.run.staging import (
    Staging,
    check_apart,
    discard,
    owner_only,
    prepare_staging,
    publish,
)

Q3 = parse_period("2026-Q3")


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _fill(staging: Staging, text: str) -> None:
    (staging.report / "index.html").write_text(text)
    (staging.internal / "register.ipynb").write_text(text)
    owner_only(staging.internal)


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()
    }


def test_the_audit_trail_is_built_apart_and_owner_only(tmp_path):
    out = tmp_path / "reports"
    staging = prepare_staging(out, Q3)
    assert staging.report == out / f".2026-Q3.partial-{os.getpid()}"
    assert staging.internal == out / "internal" / f".2026-Q3.partial-{os.getpid()}"
    assert staging.report_target == out / "2026-Q3"
    assert staging.internal_target == out / "internal" / "2026-Q3"
    assert _mode(out / "internal") == 0o700
    assert _mode(staging.internal) == 0o700
    _fill(staging, "first")
    assert _mode(staging.internal / "register.ipynb") == 0o600


def test_publish_moves_both_folders_and_a_re_run_replaces_both(tmp_path):
    out = tmp_path / "reports"
    for text in ("first", "second"):
        staging = prepare_staging(out, Q3)
        _fill(staging, text)
        (staging.internal / text).write_text(text)  # a file only this run wrote
        owner_only(staging.internal)
        publish(staging)
    assert _tree(out / "2026-Q3") == {"index.html": "second"}
    assert _tree(out / "internal" / "2026-Q3") == {"register.ipynb": "second", "second": "second"}
    assert sorted(p.name for p in out.iterdir()) == ["2026-Q3", "internal"]
    assert [p.name for p in (out / "internal").iterdir()] == ["2026-Q3"]  # no .old left
    assert _mode(out / "internal" / "2026-Q3") == 0o700
    assert _mode(out / "internal" / "2026-Q3" / "register.ipynb") == 0o600


def test_a_failure_while_publishing_puts_back_both_previous_folders(tmp_path, monkeypatch):
    out = tmp_path / "reports"
    first = prepare_staging(out, Q3)
    _fill(first, "first")
    publish(first)
    second = prepare_staging(out, Q3)
    _fill(second, "second")
    real = Path.rename

    def rename(self: Path, target: Path) -> Path:  # the report's move fails (a full disk)
        if self == second.report:
            raise OSError(28, "No space left on device")
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError):
        publish(second)
    monkeypatch.undo()
    discard(second)
    assert _tree(out / "2026-Q3") == {"index.html": "first"}
    assert _tree(out / "internal" / "2026-Q3") == {"register.ipynb": "first"}
    assert sorted(p.name for p in out.iterdir()) == ["2026-Q3", "internal"]
    assert [p.name for p in (out / "internal").iterdir()] == ["2026-Q3"]


def test_a_failed_first_run_leaves_nothing_behind(tmp_path):
    out = tmp_path / "reports"
    staging = prepare_staging(out, Q3)
    _fill(staging, "never published")
    discard(staging)
    assert list(out.iterdir()) == []  # the internal/ folder it made is gone too


def test_an_internal_out_elsewhere_is_used_and_made_owner_only(tmp_path):
    out, audit = tmp_path / "reports", tmp_path / "secure" / "audit"
    staging = prepare_staging(out, Q3, audit)
    assert staging.internal_target == audit / "2026-Q3"
    _fill(staging, "first")
    publish(staging)
    assert _tree(out) == {"2026-Q3/index.html": "first"}
    assert _tree(audit) == {"2026-Q3/register.ipynb": "first"}
    assert _mode(audit) == 0o700
    assert _mode(audit / "2026-Q3") == 0o700


def test_an_audit_trail_folder_that_cannot_be_written_is_bad_input(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match=r"the audit-trail folder .*file/audit cannot be"):
        prepare_staging(tmp_path / "reports", Q3, blocker / "audit")
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize(
    "internal_out",
    [
        "reports",  # reports/2026-Q3 for both
        "reports/2026-Q3",  # inside the report
        "reports/2026-Q2/audit",  # inside another period's report, which is shared too
        "reports/2026",  # a year's report folder
        "reports/.2026-Q3.partial-1",  # a staging folder, which becomes a report
    ],
)
def test_an_audit_trail_inside_a_shareable_folder_is_refused(tmp_path, internal_out):
    with pytest.raises(InputError, match=r"--internal-out .*choose a folder outside"):
        check_apart(tmp_path / "reports", tmp_path / internal_out, Q3)


def test_an_audit_trail_that_would_hold_the_report_is_refused(tmp_path):
    out = tmp_path / "audit" / "2026-Q3" / "reports"  # reports/2026-Q3 inside audit/2026-Q3
    with pytest.raises(InputError, match="in one folder"):
        check_apart(out, tmp_path / "audit", Q3)


@pytest.mark.parametrize("internal_out", ["reports/internal", "reports/audit", "audit", "."])
def test_an_audit_trail_apart_from_every_report_is_accepted(tmp_path, internal_out):
    check_apart(tmp_path / "reports", tmp_path / internal_out, Q3)
