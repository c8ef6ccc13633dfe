"""Drive JupyterLab in headless Chromium as a learner would (used by browser tests and benchmarks).

:class:`Lab` starts a JupyterLab server on 127.0.0.1 with a copy of the notebooks, and opens pages in the
system's Chromium through Playwright. Every request to a host other than this machine is counted
(:class:`OffsiteRequests`) and, by default, failed at once, so nothing waits for the network (there is none in CI);
leaving a ``with Lab(...)`` / ``with Voila(...)`` block that made any such request fails the test, naming the first.
``offsite="hang"`` leaves them unanswered instead, as a room's network that silently drops traffic would.
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
import urllib.error
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


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


def is_offsite(url: str) -> bool:
    """Whether a request for ``url`` would leave this machine (not loopback, not data:/blob:/about:)."""
    if not url.startswith(("http://", "https://", "ws://", "wss://")):
        return False
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host not in LOOPBACK_HOSTS and not host.startswith("127.")


class OffsiteRequests:
    """Count every request a Playwright browser context makes to another machine (HTTP(S) through a route on
    ``**/*``, websockets through each page's ``websocket`` event), and answer them as ``answer`` says:

    - ``"abort"``: fail each at once (the page sees an unreachable address, nothing waits);
    - ``"hang"``: never answer (a network that silently drops traffic); the page must not wait for them.

    Requests to this machine go on untouched. Use ``assert_none(where)`` after loading a page: it fails on the first
    off-site request, with the URL. Reusable by any browser test: ``OffsiteRequests(context)`` before opening pages.
    """

    def __init__(self, context, answer: str = "abort") -> None:
        if answer not in ("abort", "hang"):
            raise ValueError(f"answer must be 'abort' or 'hang', not {answer!r}")
        self.answer = answer
        self.urls: list[str] = []  # in the order the browser asked for them
        context.route("**/*", self._route)
        context.on("page", self._watch_page)
        for page in context.pages:
            self._watch_page(page)

    def _watch_page(self, page) -> None:
        page.on("websocket", lambda ws: self.urls.append(ws.url) if is_offsite(ws.url) else None)

    def _route(self, route) -> None:
        url = route.request.url
        if not is_offsite(url):
            route.continue_()
            return
        self.urls.append(url)
        if self.answer == "abort":
            route.abort("addressunreachable")
        # "hang": neither continue, fulfil nor abort: the request stays pending for as long as the page lives

    def __len__(self) -> int:
        return len(self.urls)

    def assert_none(self, where: str = "") -> None:
        """Fail if any off-site request was made so far, naming the first (and how many in all)."""
        assert not self.urls, (f"{where or 'the page'} asked another machine for {len(self.urls)} resource(s); "
                               f"the first: {self.urls[0]}")


def wait_for_server(owner, url: str, timeout_s: float, failure: str) -> None:
    """Wait until ``url`` answers; if ``owner.server`` (a process) ends or ``timeout_s`` passes first, close
    ``owner`` and raise RuntimeError(``failure``)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError as exc:
            if owner.server.poll() is not None or time.monotonic() > deadline:
                owner.close()
                raise RuntimeError(f"{failure} ({exc})") from exc
            time.sleep(0.3)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _BrowserPage:
    """Headless Chromium through Playwright; every request to another machine is counted in ``self.offsite`` (an
    :class:`OffsiteRequests`) and answered as ``offsite`` says ("abort" or "hang")."""

    offsite_mode = "abort"

    def _start_browser(self, viewport: tuple[int, int]) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        self.context = self.browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                                device_scale_factor=1)
        self.offsite = OffsiteRequests(self.context, answer=self.offsite_mode)
        self.page = self.context.new_page()

    @property
    def blocked(self) -> list[str]:
        """Off-site requests so far (URLs, first first)."""
        return self.offsite.urls

    def _close_browser(self) -> None:
        for step in (lambda: self.browser.close(), lambda: self._pw.stop()):
            try:
                step()
            except Exception:
                pass

    def close(self) -> None:
        """Close the browser, then stop the server (terminate, kill after 15 s) and close its log."""
        self._close_browser()
        if self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.server.kill()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc) -> None:
        offsite = list(self.offsite.urls) if hasattr(self, "offsite") else []
        self.close()
        if exc_type is None and offsite:  # the test passed otherwise: fail it on its first off-site request
            raise AssertionError(f"the browser asked another machine for {len(offsite)} resource(s) during this "
                                 f"test; the first: {offsite[0]}")

    def canvas_hash(self, canvas) -> int:
        return canvas.evaluate(CANVAS_HASH_JS)

    def axe_violations(self, include: list[str], impacts=("serious", "critical")) -> list[dict]:
        """Run axe-core (from tests/node_modules, installed by `npm install axe-core`) on the elements matching the
        CSS selectors ``include``; return the violations of the given impacts as {id, impact, help, targets}."""
        axe = REPO / "tests" / "node_modules" / "axe-core" / "axe.min.js"
        if not axe.exists():
            raise FileNotFoundError(f"{axe} is missing: run `npm install --prefix tests axe-core` (as .ci/run does)")
        self.page.add_script_tag(path=str(axe))
        result = self.page.evaluate(
            """async (include) => {
                const r = await axe.run({include: include.map(s => [s])}, {resultTypes: ['violations']});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.html.slice(0, 160))}));
            }""", include)
        return [v for v in result if v["impact"] in impacts]


class Lab(_BrowserPage):
    """A JupyterLab server plus a headless Chromium page. Use as a context manager.

    Args:
        notebooks: Notebook file names to copy into the server's ``notebooks/`` folder.
        launch_args: Command-line arguments of JupyterLab as a learner types them (e.g. the README's, run from the
            copy's root); default: serve the copy's root directly.
        viewport: Browser window (width, height) in CSS pixels.
        env: Extra environment variables for the server and its kernels (e.g. MASSAGE_COURSE_PROJECTOR=1).
        offsite: How requests to other machines are answered, "abort" (at once) or "hang" (never); either way they
            are counted in ``self.offsite`` and fail the test at the end of the ``with`` block.
    """

    def __init__(self, notebooks: list[str], startup_timeout_s: float = 90, launch_args: list[str] | None = None,
                 viewport: tuple[int, int] = (1280, 1000), env: dict[str, str] | None = None,
                 offsite: str = "abort") -> None:
        self.offsite_mode = offsite
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
        settings = self.workdir / ".settings" / "@jupyterlab"
        (settings / "apputils-extension").mkdir(parents=True)
        (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
            '{"fetchNews": "false", "checkForUpdates": false}')
        # Render every cell (not only those in view), so that tests see every output and image of a notebook.
        (settings / "notebook-extension").mkdir(parents=True)
        (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
        server_env = dict(os.environ, JUPYTER_CONFIG_DIR=str(self.workdir / ".jupyter"),
                          JUPYTERLAB_SETTINGS_DIR=str(self.workdir / ".settings"), **(env or {}))
        where = [f"--ServerApp.root_dir={self.workdir}"] if launch_args is None else list(launch_args)
        self.server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", *where, "--no-browser", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={self.port}", f"--IdentityProvider.token={self.token}",
             "--LabApp.expose_app_in_browser=True",
             "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
             "--ServerApp.open_browser=False", "--ServerApp.allow_root=True"],
            stdout=self.log, stderr=subprocess.STDOUT, env=server_env, cwd=self.workdir)
        wait_for_server(self, f"{self.url}/api/status?token={self.token}", startup_timeout_s,
                        f"JupyterLab did not start; see {self.workdir / 'server.log'}")
        try:
            self._start_browser(viewport)
        except Exception:
            self.close()  # do not leave the JupyterLab server running when the browser cannot start
            raise

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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



class Voila(_BrowserPage):
    """Voila serving one notebook of a copy of the course (with the course's ``voila.json``) plus a headless
    Chromium page. Use as a context manager.

    Args:
        notebook: Path of the notebook relative to the repository (e.g. ``notebooks/07_vibration_effects.ipynb``),
            or ``"."`` to serve the whole course as the README's workshop command does (open pages with ``path``).
        viewport: Browser window (width, height) in CSS pixels; a projector is often 1280 × 720.
        env: Extra environment variables for Voila and its kernels (e.g. MASSAGE_COURSE_PROJECTOR=1).
        offsite: How requests to other machines are answered, "abort" (at once) or "hang" (never); either way they
            are counted in ``self.offsite`` and fail the test at the end of the ``with`` block.
        config: Extra Voila command-line options (e.g. ``--MappingKernelManager.cull_idle_timeout=20``).
    """

    def __init__(self, notebook: str, viewport: tuple[int, int] = (1280, 720), env: dict[str, str] | None = None,
                 startup_timeout_s: float = 90, offsite: str = "abort", config: list[str] | None = None) -> None:
        self.offsite_mode = offsite
        self.workdir = Path(tempfile.mkdtemp(prefix="course-voila-"))
        for folder in ("notebooks", "images", "workshop_apps"):
            if (REPO / folder).is_dir():
                shutil.copytree(REPO / folder, self.workdir / folder,
                                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        shutil.copy(REPO / "voila.json", self.workdir / "voila.json")  # Voila reads it from where it starts
        shutil.copy(REPO / "README.md", self.workdir / "README.md")  # the front door takes its list from it
        self.notebook = notebook
        self.port = _free_port()
        self.log = open(self.workdir / "voila.log", "w")
        self.server = subprocess.Popen(
            [sys.executable, "-m", "voila", notebook, "--no-browser", f"--port={self.port}", "--Voila.ip=127.0.0.1",
             *(config or [])],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=self.workdir,
            env=dict(os.environ, JUPYTER_CONFIG_DIR=str(self.workdir / ".jupyter"), **(env or {})))
        deadline = time.monotonic() + startup_timeout_s
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError as exc:
                if self.server.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    raise RuntimeError(f"Voila did not start ({exc}); see {self.workdir / 'voila.log'}") from exc
                time.sleep(0.3)
        try:
            self._start_browser(viewport)
        except Exception:
            self.close()
            raise

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def open(self, query: str = "", path: str = "", timeout_s: float = 240, figure: bool = True) -> None:
        """Open the app (or, when serving ".", the notebook at ``path``, e.g. ``notebooks/07_….ipynb``) and wait
        until its first interactive figure is drawn (the notebook ran and its widgets rendered) or, with
        ``figure=False``, until the page finished loading; on time-out, fail with what the page shows (e.g. Voila's
        "Executing 5 of 12")."""
        where = f"voila/render/{path}" if path else ""
        self.page.goto(f"{self.url}/{where}{'?' + query if query else ''}", wait_until="commit",
                       timeout=timeout_s * 1e3)
        condition = ("() => { const c = document.querySelector('.jupyter-matplotlib-canvas-div canvas');"
                     " const l = document.querySelector('#loading');"
                     " return c && c.width > 0 && (!l || l.offsetParent === null); }") if figure else (
                     "() => { const l = document.querySelector('#loading');"
                     " return document.readyState === 'complete' && document.querySelector('#rendered_cells')"
                     " && (!l || l.offsetParent === null); }")
        try:
            self.page.wait_for_function(condition, timeout=timeout_s * 1e3)
        except Exception as exc:
            shown = self.page.evaluate("() => document.body ? document.body.innerText.slice(0, 400) : ''")
            raise AssertionError(f"Voila did not show an explorer within {timeout_s:.0f} s; the page shows: "
                                 f"{shown!r}; log: {self.workdir / 'voila.log'}") from exc

    def errors_shown(self) -> list[str]:
        """Texts of error outputs, tracebacks or explorer failure messages on the page."""
        return self.page.evaluate(
            "() => Array.from(document.querySelectorAll("
            "'.jp-OutputArea-output[data-mime-type=\"application/vnd.jupyter.stderr\"], "
            ".jp-RenderedText[data-mime-type=\"application/vnd.jupyter.error\"], [role=alert]'"
            ")).map(e => e.textContent.trim()).filter(t => t).map(t => t.slice(0, 300))")


    def kernel_id(self, page=None) -> str:
        """The id of the kernel Voila started for the page shown (from the page's Jupyter config)."""
        return (page or self.page).evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")

    def kernel_running(self, kernel_id: str) -> bool:
        """Whether Voila still runs kernel ``kernel_id`` (asked from this process, not the page)."""
        try:
            with urllib.request.urlopen(f"{self.url}/api/kernels/{kernel_id}", timeout=10) as reply:
                return reply.status == 200
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return False
            raise

    def kernel_processes(self) -> list:
        """The kernel processes Voila runs now (psutil.Process objects, children of the server)."""
        import psutil

        try:
            children = psutil.Process(self.server.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        found = []
        for p in children:
            try:
                if "ipykernel" in " ".join(p.cmdline()):
                    found.append(p)
            except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
                continue
        return found
