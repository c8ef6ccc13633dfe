"""Drive JupyterLab in headless Chromium as a learner would (used by browser tests and benchmarks).

:class:`Lab` starts a JupyterLab server on 127.0.0.1 with a copy of the notebooks, and opens pages in the
system's Chromium through Playwright. Requests to any host other than 127.0.0.1 fail at once, so nothing waits
for the network (there is none in CI).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]

# JavaScript: a cheap fingerprint of a canvas's pixels (sampled), to see whether the figure changed.
CANVAS_HASH_JS = """(canvas) => {
    const ctx = canvas.getContext('2d');
    const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 7) { h = (h * 31 + d[i]) | 0; }
    return h;
}"""


def wait_until(read, done, timeout_s: float = 15.0):
    """Call ``read()`` every 0.1 s until ``done(value)`` is true or the time is up; return the last value."""
    deadline = time.monotonic() + timeout_s
    value = read()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(0.1)
        value = read()
    return value


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server plus a headless Chromium page. Use as a context manager."""

    def __init__(self, notebooks: list[str], startup_timeout_s: float = 90) -> None:
        # A copy laid out like the repository (notebooks/ beside images/), so images show and nothing is saved here.
        self.workdir = Path(tempfile.mkdtemp(prefix="course-lab-"))
        self.notebook_dir = self.workdir / "notebooks"
        self.notebook_dir.mkdir()
        shutil.copytree(REPO / "images", self.workdir / "images")
        for name in notebooks:
            shutil.copy(REPO / "notebooks" / name, self.notebook_dir / name)
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.log = open(self.workdir / "server.log", "w")
        settings = self.workdir / ".settings" / "@jupyterlab" / "apputils-extension"
        settings.mkdir(parents=True)
        (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false", "checkForUpdates": false}')
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(self.workdir / ".jupyter"),
                   JUPYTERLAB_SETTINGS_DIR=str(self.workdir / ".settings"))
        self.server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={self.port}", f"--IdentityProvider.token={self.token}",
             f"--ServerApp.root_dir={self.workdir}", "--LabApp.expose_app_in_browser=True",
             "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
             "--ServerApp.open_browser=False", "--ServerApp.allow_root=True"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=self.workdir)
        deadline = time.monotonic() + startup_timeout_s
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2)
                break
            except OSError as exc:
                if self.server.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    raise RuntimeError(f"JupyterLab did not start ({exc}); see {self.workdir / 'server.log'}") from exc
                time.sleep(0.3)
        from playwright.sync_api import sync_playwright

        try:
            self._pw = sync_playwright().start()
            self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            self.context = self.browser.new_context(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
            self.context.route("**/*", self._only_local)
            self.page = self.context.new_page()
        except Exception:
            self.close()  # do not leave the JupyterLab server running when the browser cannot start
            raise

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @staticmethod
    def _only_local(route) -> None:
        host = route.request.url.split("/")[2] if "://" in route.request.url else ""
        if host.startswith("127.0.0.1") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            route.abort("addressunreachable")

    def open_notebook(self, name: str, timeout_ms: float = 60_000) -> None:
        """Open ``name`` in JupyterLab and wait until its kernel is idle."""
        self.page.goto(f"{self.url}/lab/tree/notebooks/{name}?token={self.token}", timeout=timeout_ms)
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout_ms)
        self.page.wait_for_function(
            "() => { const p = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " return p && p.sessionContext && p.sessionContext.session && p.sessionContext.session.kernel &&"
            " p.sessionContext.session.kernel.status === 'idle'; }", timeout=timeout_ms)

    def run_all(self, timeout_ms: float = 180_000) -> None:
        """Run every cell (as the menu Run → Run All Cells does) and wait until the kernel is idle again."""
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        self.page.wait_for_function(
            "() => { const p = window.jupyterapp.shell.currentWidget;"
            " const cells = p.content.widgets.filter(c => c.model.type === 'code');"
            " return cells.length > 0 && cells.every(c => c.model.executionCount !== null"
            " && !c.promptNode.textContent.includes('*')) && p.sessionContext.session.kernel.status === 'idle'; }",
            timeout=timeout_ms)

    def errors_shown(self) -> list[str]:
        """Texts of error outputs or tracebacks visible in the notebook."""
        return self.page.evaluate(
            "() => Array.from(document.querySelectorAll("
            "'.jp-OutputArea-output[data-mime-type=\"application/vnd.jupyter.stderr\"], "
            ".jp-RenderedText[data-mime-type=\"application/vnd.jupyter.error\"]'"
            ")).map(e => e.textContent.slice(0, 500))")

    def figure_canvas(self, index: int = 0):
        """The ``index``-th interactive (ipympl) figure canvas on the page, scrolled into view."""
        canvas = self.page.locator(".jupyter-matplotlib-canvas-div canvas").nth(2 * index)
        canvas.wait_for(state="visible", timeout=60_000)
        canvas.scroll_into_view_if_needed()
        return canvas

    def canvas_hash(self, canvas) -> int:
        return canvas.evaluate(CANVAS_HASH_JS)

    def canvas_region_hashes(self, canvas, rows: int, cols: int) -> list[int]:
        """Fingerprints of a ``rows`` × ``cols`` grid of regions of the canvas (one per panel of a grid figure)."""
        return canvas.evaluate(
            """(canvas, [rows, cols]) => {
                const ctx = canvas.getContext('2d');
                const out = [];
                const w = Math.floor(canvas.width / cols), h = Math.floor(canvas.height / rows);
                for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
                    const d = ctx.getImageData(c * w, r * h, w, h).data;
                    let x = 0;
                    for (let i = 0; i < d.length; i += 7) { x = (x * 31 + d[i]) | 0; }
                    out.push(x);
                }
                return out;
            }""", [rows, cols])

    def canvas_fingerprint(self, canvas) -> int:
        """An exact fingerprint of every pixel on the canvas: Σ byte[i]·(i mod 251 + 1)."""
        return int(canvas.evaluate(
            """(canvas) => {
                const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let s = 0;
                for (let i = 0; i < d.length; i++) { s += d[i] * ((i % 251) + 1); }
                return s;
            }"""))

    def kernel_figure_fingerprint(self, index: int = 0) -> int:
        """The same fingerprint of what the kernel last drew for its ``index``-th figure (its Agg buffer)."""
        # Read under the explorer's lock: a widget message handled in another thread may be drawing right now.
        code = ("import gc as _gc, numpy as _np, matplotlib.pyplot as _plt, course_utils as _cu\n"
                f"_f = _plt.figure(_plt.get_fignums()[{index}])\n"
                "_e = next(o for o in _gc.get_objects() if isinstance(o, _cu.Explorer) and o.fig is _f)\n"
                "with _e._lock:\n"
                "    _b = _np.asarray(_f.canvas.buffer_rgba()).ravel().copy()\n"
                "print(int((_b.astype(_np.int64) * (_np.arange(_b.size) % 251 + 1)).sum()))")
        out = self.page.evaluate(
            """async (code) => {
                const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
                const future = kernel.requestExecute({code, silent: false, store_history: false});
                let text = '';
                future.onIOPub = (msg) => { if (msg.header.msg_type === 'stream') { text += msg.content.text; } };
                await future.done;
                return text;
            }""", code)
        return int(out.strip())

    def slider(self, description: str):
        """The slider widget whose label starts with ``description`` (e.g. ``"Force (N)"``)."""
        box = self.page.locator(".widget-slider", has=self.page.locator(".widget-label", has_text=description))
        box.first.wait_for(state="visible", timeout=60_000)
        return box.first

    def drag_slider(self, description: str, dx: float, steps: int = 8) -> None:
        """Drag the slider's handle by ``dx`` pixels with the mouse, as a person would."""
        handle = self.slider(description).locator(".noUi-handle")
        handle.scroll_into_view_if_needed()
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        self.page.mouse.move(x, y)
        self.page.mouse.down()
        self.page.mouse.move(x + dx, y, steps=steps)
        self.page.mouse.up()

    def assert_no_errors(self) -> None:
        """Fail if the notebook shows an error output, a traceback, or an explorer's failure message."""
        assert self.errors_shown() == [], f"error output in the notebook: {self.errors_shown()}"
        page_text = self.page.locator(".jp-Notebook").inner_text()
        assert "Traceback" not in page_text
        assert "could not be shown" not in page_text

    def close(self) -> None:
        for step in (lambda: self.browser.close(), lambda: self._pw.stop()):
            try:
                step()
            except Exception:
                pass
        if self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.server.kill()
        self.log.close()

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
