"""The topic notebooks as an analyst meets them: committed clean, thin, and running top
to bottom on the sample with no setup."""

from __future__ import annotations

import re

import nbformat
import pytest

from juro_privacy.paths import notebooks_dir
from juro_privacy.registry import BY_NAME, REPORTS, TOPICS

NOTEBOOKS = [notebooks_dir() / f"{t}.ipynb" for t in REPORTS]
LOGIC = re.compile(r"^\s*(def |class |for |while |lambda\b)|\blambda\b", re.MULTILINE)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.id


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_and_no_logic(path):
    nb = nbformat.read(path, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assert 'data_dir = ""' in params[0].source and 'period = ""' in params[0].source
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not LOGIC.search(cell.source), f"logic in {path.name} cell {cell.id}"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert len({c.id for c in nb.cells}) == len(nb.cells)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_top_to_bottom_as_in_jupyterlab(path, tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []


def test_every_topic_has_a_notebook_and_a_title():
    for t in TOPICS:
        assert (notebooks_dir() / f"{t.name}.ipynb").is_file() == t.notebook, t.name
        assert BY_NAME[t.report].notebook, f"{t.name} shows in {t.report}, which has no report"
