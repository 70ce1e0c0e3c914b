"""Every column reaches the page: each printed report of a sample run, laid out in
Chromium as it prints (print media, the page less the template's ``@page`` margins,
landscape for the sections on a named ``wide`` page), has no table or output wider than
its page, and every table header of the HTML is in the PDF's text.

The checks read the rendered reports only, so any future table is held to them."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from juro_privacy.run.render import find_chromium
from tests.conftest import SampleRun

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.slow

#: CSS px per mm at 96 dpi, as Chromium prints.
PX_PER_MM = 96 / 25.4
#: Page sizes in mm, portrait (width, height).
SIZES_MM = {"a4": (210.0, 297.0), "a5": (148.0, 210.0), "letter": (215.9, 279.4)}
PAGE_RULE = re.compile(r"@page\s*([\w-]*)\s*\{([^}]*)\}")
#: Each table and output area: the named page it prints on and how wide it lays out.
BOXES = """() => Array.from(document.querySelectorAll('table, .jp-OutputArea-output')).map(e => {
    let page = 'auto';
    for (let a = e; a && a !== document.documentElement; a = a.parentElement) {
        const p = getComputedStyle(a).page;
        if (p && p !== 'auto') { page = p; break; }
    }
    const rect = e.getBoundingClientRect();
    return {
        page: page,
        width: Math.max(e.scrollWidth, Math.ceil(rect.right)),
        what: e.tagName.toLowerCase() + ' ' + (Array.from(e.querySelectorAll('th'))
            .map(t => t.textContent.trim()).slice(0, 4).join(' | ') || e.className),
    };
})"""
HEADERS = """() => Array.from(document.querySelectorAll('table th'))
    .map(t => t.textContent.trim()).filter(t => t.length > 0)"""


def _mm(length: str) -> float:
    value = re.fullmatch(r"([\d.]+)(mm|cm|in|px)", length.strip())
    assert value, f"unsupported @page length {length!r}"
    number, unit = float(value.group(1)), value.group(2)
    return {"mm": number, "cm": number * 10, "in": number * 25.4, "px": number / PX_PER_MM}[unit]


def printable_widths(html: str) -> dict[str, float]:
    """CSS px across each kind of page, less its left and right margins: the default
    page as ``"auto"``, named pages by name. As in the CSS cascade, every ``@page`` rule
    of the document counts, a later one over an earlier, a named one over an unnamed
    one (nbconvert's lab theme brings a ``@page`` rule of its own)."""
    rules = [(name, _declarations(body)) for name, body in PAGE_RULE.findall(html)]
    assert rules, "the report has no @page rule"
    widths = {}
    for kind in ["auto", *sorted({name for name, _ in rules if name})]:
        found: dict[str, str] = {}
        for name, declared in sorted(rules, key=lambda rule: bool(rule[0])):
            if name in ("", kind):
                found.update(declared)
        assert not {"margin-left", "margin-right"} & set(found), "longhand @page margins"
        words = found.get("size", "a4").split()
        width, height = SIZES_MM[words[0]]
        if "landscape" in words:
            width, height = height, width
        sides = [_mm(m) for m in found.get("margin", "0mm").split()]  # top, right, bottom, left
        right = sides[1 % len(sides)]
        left = sides[3] if len(sides) == 4 else right
        widths[kind] = (width - left - right) * PX_PER_MM
    return widths


def _declarations(body: str) -> dict[str, str]:
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.DOTALL)
    pairs = (d.split(":", 1) for d in body.split(";") if ":" in d)
    return {k.strip().lower(): v.strip().lower() for k, v in pairs}


def too_wide(browser, html_path: Path) -> list[str]:
    """What lays out wider than the page it prints on, laid out once per page kind at
    that page's printable width."""
    widths = printable_widths(html_path.read_text(encoding="utf-8"))
    problems = []
    for name, width in widths.items():
        page = browser.new_page(viewport={"width": int(width), "height": 1000})
        try:
            page.emulate_media(media="print")
            page.goto(html_path.as_uri(), wait_until="load")
            boxes = page.evaluate(BOXES)
        finally:
            page.close()
        unknown = {b["page"] for b in boxes} - set(widths)
        assert not unknown, f"{html_path.name}: no @page rule for {unknown}"
        problems += [
            f"{html_path.name}: {b['what']} is {b['width']}px on a {name} page of {int(width)}px"
            for b in boxes
            if b["page"] == name and b["width"] > width + 1
        ]
    return problems


def _squeezed(text: str) -> str:
    """Text without whitespace, compatibility forms folded (ligatures such as "ﬁ")."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def headers_not_printed(browser, html_path: Path, pdf_path: Path) -> list[str]:
    """The table headers of the HTML that the PDF's text lacks."""
    page = browser.new_page()
    try:
        page.goto(html_path.as_uri(), wait_until="load")
        headers = page.evaluate(HEADERS)
    finally:
        page.close()
    text = subprocess.run(
        # -raw: in drawing order, so a header wrapped in its cell stays in one piece
        ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf_path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    printed = _squeezed(text)
    return [f"{pdf_path.name}: {h!r}" for h in headers if _squeezed(h) not in printed]


@pytest.fixture(scope="module")
def folder(sample_run: SampleRun) -> Path:
    """The sample's reports, printed once (the session's run, ``tests/conftest.py``)."""
    if find_chromium() is None:
        pytest.skip("Chromium is not installed")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return sample_run.q3


@pytest.fixture(scope="module")
def browser():
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("Chromium is not installed")
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def _reports(folder: Path) -> list[Path]:
    pdfs = sorted(folder.glob("*.pdf"))
    assert {p.stem for p in pdfs} >= {"register", "flows", "requests", "retention"}
    return pdfs


def test_printable_widths_follow_the_page_rules():
    html = (
        "<style>@page wide { size: A4 landscape; } @page { margin: 0.5in; }"
        "@page { size: A4; margin: 14mm 12mm; }</style>"
    )
    widths = printable_widths(html)
    assert round(widths["auto"]) == round(186 * PX_PER_MM) == 703
    assert round(widths["wide"]) == round(273 * PX_PER_MM) == 1032
    assert round(printable_widths("@page { margin: 0.5in /* lab */ }")["auto"]) == 698


def test_no_table_or_output_is_wider_than_its_page(folder, browser):
    problems = [p for pdf in _reports(folder) for p in too_wide(browser, pdf.with_suffix(".html"))]
    assert problems == []


def test_every_table_header_is_in_the_pdf(folder, browser):
    problems = [
        p
        for pdf in _reports(folder)
        for p in headers_not_printed(browser, pdf.with_suffix(".html"), pdf)
    ]
    assert problems == []
