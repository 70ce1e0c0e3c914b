"""The per-run cache: figures computed once per run, never a different figure."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from juro_privacy import run_cache
from juro_privacy.paths import sample_dir
from juro_privacy.periods import parse_period
from juro_privacy.workbook.load import load_shared_workbook, load_workbook


@dataclass(frozen=True)
class FakeWorkbook:
    root: Path


CALLS: list[tuple[str, str]] = []


@run_cache.shared
def figure_for(workbook: FakeWorkbook, period: object, engine: str = "") -> pd.DataFrame:
    CALLS.append((str(period), engine))
    frame = pd.DataFrame({"n": [len(CALLS)]})
    frame.attrs["as_of"] = "2026-09-30"
    return frame


@pytest.fixture(autouse=True)
def _no_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(run_cache.ENV, raising=False)
    CALLS.clear()


def test_outside_a_run_every_call_computes(tmp_path: Path) -> None:
    wb = FakeWorkbook(tmp_path)
    assert figure_for(wb, "2026-Q3")["n"].tolist() == [1]
    assert figure_for(wb, "2026-Q3")["n"].tolist() == [2]
    assert run_cache.folder() is None


def test_within_a_run_a_call_is_computed_once(tmp_path: Path) -> None:
    wb = FakeWorkbook(tmp_path)
    with run_cache.using() as folder:
        first = figure_for(wb, "2026-Q3")
        again = figure_for(wb, "2026-Q3", engine="")  # the default spelled out: same call
        other = figure_for(wb, "2026-Q2")
        assert len(list(folder.glob("*.pickle"))) == 2
    assert CALLS == [("2026-Q3", ""), ("2026-Q2", "")]
    assert again["n"].tolist() == first["n"].tolist() == [1]
    assert again.attrs == {"as_of": "2026-09-30"}  # attrs survive the pickle
    assert other["n"].tolist() == [2]


SLOW_FIGURE = """
import sys, time
from pathlib import Path
from juro_privacy import run_cache

log = Path(sys.argv[1])

def compute():
    with log.open("a") as f:
        f.write("computed\\n")
    time.sleep(1.0)  # long enough for the other process to ask meanwhile
    return 42

print(run_cache.fetch("slow", ("wb",), compute))
"""


def test_two_processes_asking_at_once_compute_once_and_both_read_it(tmp_path: Path) -> None:
    script = tmp_path / "slow.py"
    script.write_text(SLOW_FIGURE, encoding="utf-8")
    log = tmp_path / "computed.log"
    with run_cache.using():
        procs = [
            subprocess.Popen(
                [sys.executable, str(script), str(log)], stdout=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=60)[0].strip() for p in procs]
    assert outputs == ["42", "42"]
    assert log.read_text().splitlines() == ["computed"]


def test_a_stored_value_is_a_copy_the_caller_may_change(tmp_path: Path) -> None:
    wb = FakeWorkbook(tmp_path)
    with run_cache.using():
        first = figure_for(wb, "2026-Q3")
        first.loc[0, "n"] = 99
        assert figure_for(wb, "2026-Q3")["n"].tolist() == [1]


def test_another_workbook_folder_is_another_entry(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with run_cache.using():
        figure_for(FakeWorkbook(tmp_path / "a"), "2026-Q3")
        figure_for(FakeWorkbook(tmp_path / "b"), "2026-Q3")
    assert len(CALLS) == 2


def test_the_folder_is_removed_and_the_variable_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(run_cache.ENV, "/somewhere/else")
    with run_cache.using() as folder:
        assert os.environ[run_cache.ENV] == str(folder)
        assert folder.is_dir()
        assert oct(folder.stat().st_mode & 0o777) == "0o700"  # private to this user
    assert os.environ[run_cache.ENV] == "/somewhere/else"
    assert not folder.exists()


def test_functions_are_keyed_by_name_not_address() -> None:
    # A tuple of default collectors must give the same key in every kernel.
    assert run_cache.key("f", (figure_for,)) == run_cache.key("f", (figure_for,))
    assert "0x" not in run_cache._stable((figure_for, len))
    assert run_cache.key("f", 1) != run_cache.key("f", 2)


def test_the_shared_workbook_equals_a_fresh_load() -> None:
    fresh = load_workbook(sample_dir())
    with run_cache.using() as folder:
        load_shared_workbook(sample_dir())
        assert len(list(folder.glob("workbook-*.pickle"))) == 1
        shared = load_shared_workbook(sample_dir())
    assert shared.config == fresh.config
    assert sorted(shared.tables) == sorted(fresh.tables)
    for name, frame in fresh.tables.items():
        pd.testing.assert_frame_equal(shared.tables[name], frame)


def test_metrics_from_the_cache_equal_computed_ones() -> None:
    from juro_privacy.topics.metrics import compute_metrics

    wb = load_workbook(sample_dir())
    period = parse_period("2026-Q3")
    computed = compute_metrics(wb, period)
    with run_cache.using() as folder:
        compute_metrics(wb, period)
        names = {p.name.split("-")[0] for p in folder.glob("*.pickle")}
        cached = compute_metrics(wb, period)
    assert "juro_privacy.topics.metrics.compute_metrics" in names
    assert cached == computed


def test_a_kernel_reading_the_cache_never_imports_pandera() -> None:
    code = "import sys, juro_privacy.display; print('pandera' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
