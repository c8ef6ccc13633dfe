"""Drive the browser build of the course (JupyterLite, built by ``lite/build.py``) in headless Chromium.

:func:`build_site` builds the site once per test session (or takes ``$COURSE_LITE_SITE``, a site built before).
:class:`Lite` serves it with ``python -m http.server`` on 127.0.0.1, as an instructor would from a laptop, and
opens it in the system's Chromium through Playwright, with the same notebook helpers as JupyterLab's harness.
The browser keeps its storage in a profile folder, so a reload and a browser restart are what a learner's are.
Every request to another machine is counted in :attr:`Lite.offsite` (an ``OffsiteRequests``, kept across browser
restarts) and failed at once; leaving the ``with`` block after one fails the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .lab_harness import CHROMIUM, CHROMIUM_ARGS, REPO, Lab, OffsiteRequests, _free_port, wait_for_server

START_PAGE = "lab/index.html?path=notebooks/{name}"


def build_site(dest: Path) -> Path:
    """The browser build of the course: ``$COURSE_LITE_SITE`` if set, else built into ``dest`` now."""
    given = os.environ.get("COURSE_LITE_SITE")
    if given:
        site = Path(given)
        if not (site / "jupyter-lite.json").exists():
            raise FileNotFoundError(f"COURSE_LITE_SITE={given} is not a built site (no jupyter-lite.json); "
                                    "unset it or run python3 lite/build.py --output DIR")
        return site
    out = subprocess.run([sys.executable, str(REPO / "lite" / "build.py"), "--output", str(dest)],
                         capture_output=True, text=True, timeout=1500)
    if out.returncode != 0:
        raise RuntimeError(f"lite/build.py failed (exit {out.returncode}):\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    return dest


class Lite(Lab):
    """A static server of the built site plus a headless Chromium with a profile of its own. Use as a context
    manager. The notebook helpers (``run_all``, ``errors_shown``, ``slider`` …) are JupyterLab's: the page is
    JupyterLab, running in the browser."""

    def __init__(self, site: Path, viewport: tuple[int, int] = (1280, 900), profile: Path | None = None) -> None:
        self.site = Path(site)
        self.workdir = Path(tempfile.mkdtemp(prefix="course-lite-"))
        self.profile = profile or self.workdir / "profile"
        self.viewport = viewport
        self.port = _free_port()
        self.log = open(self.workdir / "http.log", "w")
        self.server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1", "--directory", str(site)],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_for_server(self, f"{self.url}/jupyter-lite.json", 30, "the static server did not start")
        self._pw = None
        try:
            self._start_browser(viewport)
        except Exception:
            self.close()
            raise

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _start_browser(self, viewport: tuple[int, int]) -> None:
        from playwright.sync_api import sync_playwright

        if self._pw is None:
            self._pw = sync_playwright().start()
        # A persistent profile: JupyterLite keeps the learner's files (and so their progress) in its storage.
        self.context = self._pw.chromium.launch_persistent_context(
            str(self.profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            viewport={"width": viewport[0], "height": viewport[1]}, device_scale_factor=1)
        self.browser = self.context
        before = self.offsite.urls if hasattr(self, "offsite") else []
        self.offsite = OffsiteRequests(self.context, answer=self.offsite_mode)
        self.offsite.urls = before  # one count across restarts of the browser
        self.page = self.context.pages[0] if self.context.pages else self.context.new_page()

    def restart_browser(self) -> None:
        """Close the browser and start it again on the same profile (as a learner quitting and coming back)."""
        self.context.close()
        self._start_browser(self.viewport)

    def _close_browser(self) -> None:
        for step in (lambda: self.context.close(), lambda: self._pw and self._pw.stop()):
            try:
                step()
            except Exception:
                pass

    def close(self) -> None:
        super().close()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def open_notebook(self, name: str, timeout_ms: float = 180_000) -> float:
        """Open ``name`` (e.g. ``07_vibration_effects.ipynb``) and wait until its kernel is idle; return the
        seconds from the page's start to an idle kernel."""
        t0 = time.perf_counter()
        self.page.goto(f"{self.url}/{START_PAGE.format(name=name)}", timeout=timeout_ms)
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout_ms)
        self.page.wait_for_function(
            "() => { const p = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " return p && p.sessionContext && p.sessionContext.session && p.sessionContext.session.kernel &&"
            " p.sessionContext.session.kernel.status === 'idle'; }", timeout=timeout_ms)
        return time.perf_counter() - t0

    def run_python(self, code: str) -> str:
        """Run ``code`` in the current notebook's kernel (not in a cell) and return what it printed."""
        return self.page.evaluate(
            """async (code) => {
                const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
                const future = kernel.requestExecute({code, silent: false, store_history: false});
                let text = '';
                future.onIOPub = (msg) => {
                    if (msg.header.msg_type === 'stream') { text += msg.content.text; }
                    if (msg.header.msg_type === 'error') {
                        text += 'ERROR ' + msg.content.ename + ': ' + msg.content.evalue;
                    }
                };
                await future.done;
                return text;
            }""", code)
