"""The report template: plotly drawn from its JSON mimetype, offline, deterministic."""

from __future__ import annotations

import nbformat
import plotly.graph_objects as go
import pytest

from juro_privacy.errors import RenderError
from juro_privacy.run.render import NETWORK_REFERENCE, notebook_to_html, plotly_js


def _notebook(n_figures: int = 2) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Title\n\nSome words.", id="md"))
    for i in range(n_figures):
        fig = go.Figure(go.Bar(x=["a", "b"], y=[i, i + 1]))
        cell = nbformat.v4.new_code_cell("fig", id=f"fig-{i}")
        cell.outputs = [
            nbformat.v4.new_output(
                "display_data", data={"application/vnd.plotly.v1+json": fig.to_plotly_json()}
            )
        ]
        nb.cells.append(cell)
    code = nbformat.v4.new_code_cell("secret_code_line = 1", id="code")
    code.outputs = [nbformat.v4.new_output("stream", name="stderr", text="a warning\n")]
    nb.cells.append(code)
    return nb


def test_figures_drawn_with_plotly_embedded_once():
    html = notebook_to_html(_notebook(2), title="T", footer="foot")
    assert html.count("Plotly.newPlot(") == 2
    assert html.count(plotly_js()[:200]) == 1
    assert 'id="plotly-fig-0-1"' in html and 'id="plotly-fig-1-1"' in html
    assert "secret_code_line" not in html  # code cells are hidden
    assert "a warning" not in html  # stderr is for the executed notebook only
    assert "foot" in html


def test_no_network_reference():
    html = notebook_to_html(_notebook(1), title="T")
    assert NETWORK_REFERENCE.search(html) is None
    assert "require.js" not in html and "mathjax" not in html.lower().split("plotly")[0]


def test_page_without_figures_does_not_carry_plotly():
    html = notebook_to_html(_notebook(0), title="T")
    assert "Plotly.newPlot" not in html
    assert len(html) < 500_000


def test_rendering_is_deterministic():
    assert notebook_to_html(_notebook(), title="T") == notebook_to_html(_notebook(), title="T")


def test_a_network_reference_is_refused():
    nb = _notebook(0)
    cell = nbformat.v4.new_code_cell("x", id="leak")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": '<script src="https://cdn.example/x.js"></script>'}
        )
    ]
    nb.cells.append(cell)
    with pytest.raises(RenderError, match="references the network"):
        notebook_to_html(nb, title="T")


def test_output_of_a_cell_tagged_internal_is_left_out_of_the_report():
    nb = _notebook(0)
    shown = nbformat.v4.new_code_cell("jp.table(summary)", id="shown")
    shown.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<p>3 requests late</p>"})
    ]
    internal = nbformat.v4.new_code_cell("jp.table(rq.follow_up(handled))", id="ids")
    internal.metadata["tags"] = ["internal"]
    internal.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<td>REQ-00042</td>"}),
        nbformat.v4.new_output("stream", name="stdout", text="requester00042@example.com\n"),
    ]
    nb.cells += [shown, internal]
    html = notebook_to_html(nb, title="T")
    assert "3 requests late" in html
    assert "REQ-00042" not in html and "requester00042" not in html
    assert internal.outputs  # the executed notebook itself keeps them
