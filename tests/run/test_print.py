"""PDFs printed in tabs of one Chromium over the DevTools pipe (``run/browser.py``,
``render.Printer``): the same bytes as ``--print-to-pdf`` writes, whatever printed before
in the same browser, and one clear error when the browser cannot print."""

from __future__ import annotations

import datetime as dt
import stat
import subprocess
from pathlib import Path

import pytest

from juro_privacy.errors import RenderError
from juro_privacy.run.browser import Browser
from juro_privacy.run.render import CHROMIUM_FLAGS, Printer, find_chromium, html_to_pdf
from juro_privacy.run.reproducible import pin_pdfs

PERIOD_END = dt.date(2026, 9, 30)


@pytest.fixture(scope="module")
def chromium() -> str:
    """The Chromium the run prints with: missing, it is a missing install step (the
    README's test command installs it), not a reason to skip."""
    found = find_chromium()
    if found is None:
        pytest.fail("Chromium is not installed: apt-get install chromium (see the README)")
    return found


def _page(folder: Path, name: str, rows: int) -> Path:
    body = "".join(f"<tr><td>activity {i}</td><td>{i * 7}</td></tr>" for i in range(rows))
    page = folder / f"{name}.html"
    page.write_text(
        "<!doctype html><html><head><title>t</title><style>@page { size: A4; margin: 15mm }"
        "</style></head><body><h1>Register</h1><table><thead><tr><th>Activity</th>"
        f"<th>Records</th></tr></thead><tbody>{body}</tbody></table></body></html>",
        encoding="utf-8",
    )
    return page


def _print_to_pdf_flag(chromium: str, page: Path, pdf: Path, profile: Path) -> None:
    """What the run did before issue 13: one Chromium per page, ``--print-to-pdf``."""
    subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.slow
def test_tabs_of_one_browser_print_the_bytes_print_to_pdf_writes(chromium, tmp_path):
    pages = [_page(tmp_path, name, rows) for name, rows in (("a", 3), ("b", 80), ("c", 12))]
    reference = []
    for page in pages:
        pdf = tmp_path / f"{page.stem}.reference.pdf"
        _print_to_pdf_flag(chromium, page, pdf, tmp_path / f"profile-{page.stem}")
        reference.append(pdf)
    pin_pdfs(reference, PERIOD_END)

    with Printer(chromium=chromium, jobs=2) as printer:
        for page in pages:  # two at a time in one browser, a third after them
            printer.add(page)
        printed = pin_pdfs(printer.finish(), PERIOD_END)

    assert [p.name for p in printed] == ["a.pdf", "b.pdf", "c.pdf"]
    for pdf, ref in zip(printed, reference, strict=True):
        assert pdf.read_bytes() == ref.read_bytes(), pdf.name
    assert b"/ID (node00000000)" in printed[1].read_bytes()  # tagged, ids from 0


def test_element_ids_are_renumbered_in_order_at_the_same_width(tmp_path):
    pdf = tmp_path / "a.pdf"
    body = (
        b"%PDF-1.7\n<</S /TH /ID (node00000076)>>\n<</S /TD /ID (node00000081)>>\n"
        b"<</IDTree <</Names [(node00000076) 9 0 R (node00000081) 10 0 R]>>>>\n"
        b"<</CreationDate (D:20261202144952+00'00')>>"
    )
    pdf.write_bytes(body)
    pin_pdfs([pdf], PERIOD_END)
    assert pdf.read_bytes() == (
        b"%PDF-1.7\n<</S /TH /ID (node00000000)>>\n<</S /TD /ID (node00000001)>>\n"
        b"<</IDTree <</Names [(node00000000) 9 0 R (node00000001) 10 0 R]>>>>\n"
        b"<</CreationDate (D:20260930000000+00'00')>>"
    )


@pytest.mark.slow
def test_a_page_that_cannot_be_opened_is_one_render_error_and_the_browser_prints_on(
    chromium, tmp_path
):
    page = _page(tmp_path, "ok", 2)
    with Browser(chromium, CHROMIUM_FLAGS) as browser:
        with pytest.raises(RenderError, match=r"could not print gone\.html: .*ERR_FILE_NOT_FOUND"):
            browser.print_pdf(tmp_path / "gone.html", tmp_path / "gone.pdf")
        browser.print_pdf(page, tmp_path / "ok.pdf")
    assert not (tmp_path / "gone.pdf").exists()
    assert (tmp_path / "ok.pdf").read_bytes().startswith(b"%PDF")


def _fake_chromium(tmp_path: Path, script: str) -> str:
    exe = tmp_path / "chromium"
    exe.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return str(exe)


@pytest.mark.parametrize(
    "how",
    [
        'echo "cannot open display" >&2; exit 1',  # gone before or after the first call
        'sleep 0.5; echo "cannot open display" >&2; exit 1',  # gone while it is waited for
        'echo "cannot open display" >&2; exec 3<&-; sleep 1; exit 1',  # the pipe broken first
    ],
)
def test_a_browser_that_exits_at_once_is_a_render_error_with_its_last_words(tmp_path, how):
    fake = _fake_chromium(tmp_path, how)
    with pytest.raises(RenderError, match="Chromium exited: cannot open display"):
        html_to_pdf(_page(tmp_path, "a", 1), tmp_path / "a.pdf", chromium=fake)
    assert not (tmp_path / "a.pdf").exists()


def test_a_browser_that_never_answers_is_a_render_error_and_is_stopped(tmp_path):
    fake = _fake_chromium(tmp_path, "while :; do sleep 0.1; done")  # never answers
    with pytest.raises(RenderError, match=r"did not answer Browser\.getVersion in 1 s"):
        Browser(fake, CHROMIUM_FLAGS, start_timeout=1)
    alive = subprocess.run(["pgrep", "-f", f"{tmp_path}/chromium"], capture_output=True)
    assert alive.stdout == b""
