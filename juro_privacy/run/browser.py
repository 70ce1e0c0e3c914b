"""One headless Chromium for every page a run prints, over the DevTools protocol.

Starting Chromium is about a third of one report's print, and ``--print-to-pdf`` starts
one browser per page: a run of eight reports started eight (issue 13: the run with PDFs
cost 1.34 times the run without). :class:`Browser` starts the same Debian Chromium once,
with ``--remote-debugging-pipe``, and prints each page in its own tab with the
protocol's ``Page.printToPDF``
(https://chromedevtools.github.io/devtools-protocol/tot/Page/#method-printToPDF),
several tabs at a time from several threads.

The pipe is the protocol's own transport: Chromium reads JSON messages, each ended by a
NUL byte, from file descriptor 3 and writes its answers and events to descriptor 4. A
small ``sh`` line maps the child's stdin and stdout onto those two, so no file
descriptor juggling runs between ``fork`` and ``exec`` in a process that has threads.
The print settings are those of ``--print-to-pdf``: the page's own CSS ``@page`` size,
no header or footer, no background graphics; the PDFs are the same bytes as
``--print-to-pdf`` writes, once ``reproducible.pin_pdfs`` has pinned their dates and
element ids (tests/run/test_print.py).
"""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import IO, Any

from juro_privacy.errors import RenderError

#: Maps the child's stdin/stdout to the pipe descriptors 3 and 4 Chromium expects.
_PIPE_SHIM = 'exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null'
#: Resolves once the page's fonts are loaded and two frames have been drawn after the
#: load event: plotly has laid out every figure by then.
_SETTLED = (
    "document.fonts.ready.then(() => new Promise("
    "r => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))"
)


class Browser:
    """A headless Chromium started once; :meth:`print_pdf` prints a page in a new tab.

    Thread-safe: one reader thread hands each answer to the call that waits for it.
    Used as a context manager, or :meth:`close` it; a browser that dies fails every
    pending and later call with a :class:`RenderError`."""

    def __init__(self, chromium: str, flags: Sequence[str], *, start_timeout: float = 60) -> None:
        self.chromium = chromium
        self._profile = tempfile.mkdtemp(prefix="juro-chromium-")
        cmd = [
            "sh",
            "-c",
            _PIPE_SHIM,
            chromium,
            *flags,
            f"--user-data-dir={self._profile}",
            "--remote-debugging-pipe",
            "--run-all-compositor-stages-before-draw",
            "about:blank",
        ]
        self._log = tempfile.TemporaryFile(prefix="juro-chromium-log-")  # noqa: SIM115
        try:
            self._proc = subprocess.Popen(
                cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log
            )
        except OSError as exc:
            self._log.close()
            shutil.rmtree(self._profile, ignore_errors=True)
            raise RenderError(f"could not start Chromium ({chromium}): {exc}") from exc
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._out: IO[bytes] = self._proc.stdin
        self._lock = threading.Lock()
        self._next_id = 0
        self._calls: dict[int, Future[dict[str, Any]]] = {}
        self._waits: dict[tuple[str, str], Future[dict[str, Any]]] = {}
        self._dead: str | None = None
        self._reader = threading.Thread(
            target=self._read, args=(self._proc.stdout,), name="chromium-pipe", daemon=True
        )
        self._reader.start()
        try:
            self.call("Browser.getVersion", timeout=start_timeout)  # started and listening
        except RenderError:
            self.close(force=True)
            raise

    # -- the protocol ---------------------------------------------------------------

    def _read(self, pipe: IO[bytes]) -> None:
        buffer = b""
        while True:
            chunk = pipe.read1(1 << 16)  # type: ignore[attr-defined]
            if not chunk:
                break
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                self._dispatch(json.loads(raw))
        self._fail_all(f"Chromium exited{self._last_words()}")

    def _last_words(self) -> str:
        """': ' and the last line Chromium wrote to stderr, or nothing."""
        try:
            self._log.seek(0)
            lines = self._log.read().decode(errors="replace").strip().splitlines()
        except (OSError, ValueError):
            return ""
        return f": {lines[-1]}" if lines else ""

    def _dispatch(self, message: dict[str, Any]) -> None:
        with self._lock:
            if "id" in message:
                future = self._calls.pop(message["id"], None)
            else:
                future = self._waits.pop((message.get("sessionId", ""), message["method"]), None)
        if future is None:
            return
        if "error" in message:
            future.set_exception(RenderError(f"Chromium: {message['error'].get('message')}"))
        else:
            future.set_result(message.get("result", message.get("params", {})))

    def _fail_all(self, why: str) -> None:
        with self._lock:
            self._dead = why
            pending = [*self._calls.values(), *self._waits.values()]
            self._calls.clear()
            self._waits.clear()
        for future in pending:
            if not future.done():
                future.set_exception(RenderError(why))

    def _expect(self, session: str, event: str) -> Future[dict[str, Any]]:
        """A future of the next ``event`` in ``session``: ask for it before causing it."""
        future: Future[dict[str, Any]] = Future()
        with self._lock:
            self._waits[(session, event)] = future
        return future

    def call(
        self, method: str, *, session: str = "", timeout: float = 120, **params: Any
    ) -> dict[str, Any]:
        """Send one protocol command and wait for its result."""
        future: Future[dict[str, Any]] = Future()
        message: dict[str, Any] = {"method": method, "params": params}
        if session:
            message["sessionId"] = session
        with self._lock:
            if self._dead is not None:
                raise RenderError(self._dead)
            self._next_id += 1
            message["id"] = self._next_id
            self._calls[self._next_id] = future
            try:
                self._out.write(json.dumps(message).encode() + b"\0")
                self._out.flush()
            except OSError as exc:  # the pipe is broken: Chromium has exited
                self._calls.pop(self._next_id, None)
                raise RenderError(f"Chromium exited{self._last_words()}") from exc
        return _wait(future, timeout, f"Chromium did not answer {method} in {timeout:.0f} s")

    # -- printing ----------------------------------------------------------------------

    def print_pdf(self, html_path: Path, pdf_path: Path, *, timeout: float = 120) -> None:
        """Print ``html_path`` to ``pdf_path`` (the page's ``@page`` size, no header or
        footer), in a tab of a browser context of its own, both closed afterwards."""
        name = html_path.name
        try:
            # a browser context of its own gives the page a renderer process of its own:
            # two pages in one renderer share its node counter, and the tagged PDF's
            # element ids (``/ID (node…)``) would then depend on what printed before
            context = self.call("Target.createBrowserContext")["browserContextId"]
            target = self.call("Target.createTarget", url="about:blank", browserContextId=context)[
                "targetId"
            ]
            session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            try:
                self.call("Page.enable", session=session)
                loaded = self._expect(session, "Page.loadEventFired")
                nav = self.call("Page.navigate", session=session, url=html_path.resolve().as_uri())
                if nav.get("errorText"):
                    raise RenderError(f"Chromium could not open {name}: {nav['errorText']}")
                _wait(loaded, timeout, f"{name} did not load in {timeout:.0f} s")
                self.call(
                    "Runtime.evaluate",
                    session=session,
                    timeout=timeout,
                    expression=_SETTLED,
                    awaitPromise=True,
                )
                data = self.call(
                    "Page.printToPDF",
                    session=session,
                    timeout=timeout,
                    preferCSSPageSize=True,
                    printBackground=False,
                    displayHeaderFooter=False,
                )["data"]
            finally:
                with contextlib.suppress(RenderError):
                    self.call("Target.closeTarget", targetId=target, timeout=10)
                    self.call("Target.disposeBrowserContext", browserContextId=context, timeout=10)
        except RenderError as exc:
            raise RenderError(f"Chromium could not print {name}: {exc}") from exc
        pdf = base64.b64decode(data)
        if not pdf.startswith(b"%PDF"):
            raise RenderError(f"Chromium could not print {name}: not a PDF")
        pdf_path.write_bytes(pdf)

    def close(self, *, force: bool = False) -> None:
        """Close the browser (politely unless ``force``, then by force) and remove its
        profile."""
        if not force and self._dead is None:
            with contextlib.suppress(RenderError):
                self.call("Browser.close", timeout=10)
        try:
            self._proc.wait(timeout=0 if force else 10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stdin is not None:
            with contextlib.suppress(OSError):  # a browser that died leaves a broken pipe
                self._proc.stdin.close()
        self._reader.join(timeout=10)
        self._log.close()
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _wait(future: Future[dict[str, Any]], timeout: float, why: str) -> dict[str, Any]:
    try:
        return future.result(timeout=timeout)
    except FutureTimeout:
        raise RenderError(why) from None
