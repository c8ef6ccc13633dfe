"""Where the browser build's start-up time goes: page open -> kernel idle, split into phases, warm and cold.

Makes a copy of the site (``--site``, default build/lite) whose kernel worker logs a timestamp at each step of its
start (the copy is only for measuring; the site itself is untouched), opens notebook 07 in headless Chromium as
``tests/lite_harness.py`` does, and prints the median of each phase's end, in ms from the page's navigation start,
and of each phase's length. It also counts what the static server was asked for during each visit (200 = sent in
full, 304 = "not modified", the browser had it) and the bytes it sent.

    python benchmarks/lite_phases.py --warm 10
    python benchmarks/lite_phases.py --site A --site B --warm 10     # A and B alternating, same run

``--no-route`` opens the pages without the harness's off-site request check (a Playwright route on every
request, which turns the browser's HTTP cache off): what a learner's browser does. Asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.lite_harness import Lite  # noqa: E402

NOTEBOOK = "07_vibration_effects.ipynb"
_PW = []


class SharedLite(Lite):
    """A Lite whose browsers share one Playwright, so that two sites can be open at once (alternating A/B)."""

    def _start_browser(self, viewport):
        if not _PW:
            from playwright.sync_api import sync_playwright
            _PW.append(sync_playwright().start())
        self._pw = _PW[0]
        super()._start_browser(viewport)

    def _close_browser(self):
        try:
            self.context.close()
        except Exception:
            pass

T = "(performance.timeOrigin + performance.now())"
WORKER_PRELUDE = ("self.__T = (n) => console.log('@@T ' + n + ' ' + " + T + ");"
                  "__T('worker script');"
                  "(() => { const W = WebAssembly, is = W.instantiateStreaming, i = W.instantiate;"
                  " if (is) W.instantiateStreaming = async function (...a) { __T('wasm streaming start');"
                  "   const r = await is.apply(this, a); __T('wasm streaming done'); return r; };"
                  " W.instantiate = async function (...a) { const r = await i.apply(this, a); return r; };"
                  " })();\n")
# page: navigation start is performance.timeOrigin; marks when the app, the kernel and idle appear
PAGE_INIT = """(() => {
  if (window.top !== window) return;
  const T = () => performance.timeOrigin + performance.now();
  window.__marks = {};
  const mark = (n) => { if (!(n in window.__marks)) window.__marks[n] = T(); };
  const W = window.Worker;
  window.Worker = function (...a) { mark('worker created'); return new W(...a); };
  window.Worker.prototype = W.prototype;
  document.addEventListener('DOMContentLoaded', () => mark('DOMContentLoaded'));
  const poll = setInterval(() => {
    const app = window.jupyterapp;
    if (app) mark('jupyterapp');
    if (app && app.restored && !window.__r) { window.__r = 1; app.restored.then(() => mark('app restored')); }
    const w = app && app.shell.currentWidget;
    if (w && w.content && w.content.widgets && w.content.widgets.length) mark('notebook shown');
    const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
    if (k) mark('kernel object');
    if (k && k.status === 'idle') { mark('kernel idle'); clearInterval(poll); }
  }, 10);
})();"""


def instrument(site: Path, dest: Path) -> Path:
    """A copy of ``site`` (hard links, except the patched worker scripts) that logs the kernel's start steps."""
    shutil.copytree(site, dest, copy_function=lambda s, d: Path(d).hardlink_to(s))
    static = dest / "extensions" / "@jupyterlite" / "pyodide-kernel-extension" / "static"
    patched = 0
    for js in static.glob("*.js"):
        text = js.read_text()
        if "async initRuntime(" not in text or "importScripts(n)" not in text:
            continue
        new = text
        for step in ("initRuntime", "initFilesystem", "initPackageManager", "initKernel", "initGlobals"):
            new = new.replace(f"await this.{step}(e)",
                              f"(__T('{step} start'),await this.{step}(e),__T('{step} done'))", 1)
        new = new.replace("(importScripts(n),t=self.loadPyodide)",
                          "(__T('importScripts pyodide.js'),importScripts(n),__T('pyodide.js run'),"
                          "t=self.loadPyodide)", 1)
        new = new.replace("this._pyodide=await t({indexURL:i,...e.loadPyodideOptions})",
                          "this._pyodide=await t({indexURL:i,...e.loadPyodideOptions}),__T('loadPyodide done')", 1)
        py_mark = ("__import__('js').__T(\"{name}\")")
        new = new.replace("await micropip.install('${t}', keep_going=True)",
                          "await micropip.install('${t}', keep_going=True)\\n      "
                          + py_mark.format(name="piplite installed"), 1)
        new = new.replace("i.push(`await piplite.install('${e}', keep_going=True)`)",
                          "i.push(`await piplite.install('${e}', keep_going=True)`,"
                          "`" + py_mark.format(name="piplite.install ${e}") + "`)", 1)
        new = new.replace('i.push("import pyodide_kernel")',
                          'i.push("' + py_mark.format(name="import pyodide_kernel start").replace('"', '\\"')
                          + '","import pyodide_kernel")', 1)
        if new == text:
            raise SystemExit(f"{js}: found nothing to instrument (another pyodide-kernel version?)")
        js.unlink()
        js.write_text(WORKER_PRELUDE + new)
        patched += 1
    if not patched:
        raise SystemExit(f"no kernel worker script in {static}")
    return dest


REQ = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d{3})')


def server_stats(site: Path, log_text: str) -> dict:
    n200 = n304 = other = 0
    sent = 0
    for path, code in REQ.findall(log_text):
        if code == "200":
            n200 += 1
            f = site / path.split("?")[0].lstrip("/")
            if f.is_dir():
                f = f / "index.html"
            sent += f.stat().st_size if f.exists() else 0
        elif code == "304":
            n304 += 1
        else:
            other += 1
    return {"requests": n200 + n304 + other, "200": n200, "304": n304, "other": other, "MB sent": sent / 1e6}


def visit(lite: Lite, log_path: Path) -> dict:
    """One page open -> kernel idle; the phase marks in ms from navigation start, and the server's work."""
    start = log_path.stat().st_size
    worker = {}

    def on_console(msg):
        text = msg.text
        if text.startswith("@@T "):
            name, _, t = text[4:].rpartition(" ")
            worker.setdefault(name, float(t))
        elif text.startswith(("Loading ", "Loaded ")):
            worker.setdefault("pyodide: " + text[:60], None)

    lite.page.on("console", on_console)
    try:
        seconds = lite.open_notebook(NOTEBOOK)
        lite.page.wait_for_function("() => window.__marks && 'kernel idle' in window.__marks", timeout=30_000)
        origin = lite.page.evaluate("() => performance.timeOrigin")
        page_marks = lite.page.evaluate("() => window.__marks")
    finally:
        lite.page.remove_listener("console", on_console)
    marks = {k: v - origin for k, v in page_marks.items()}
    marks.update({f"worker: {k}": v - origin for k, v in worker.items() if v is not None})
    log_path_text = log_path.read_text()[start:]
    return {"marks": marks, "server": server_stats(lite.site, log_path_text), "seconds": seconds}


def pct(values, q):
    return float(np.percentile(values, q)) if values else float("nan")


def report(label: str, runs: list[dict]) -> None:
    names: dict[str, list[float]] = {}
    for r in runs:
        for k, v in r["marks"].items():
            names.setdefault(k, []).append(v)
    order = sorted(names, key=lambda k: statistics.median(names[k]))
    print(f"\n== {label}: n={len(runs)}; open_notebook() median {statistics.median(r['seconds'] for r in runs):.2f} s,"
          f" p95 {pct([r['seconds'] for r in runs], 95):.2f} s")
    print(f"  {'mark (ms from navigation start)':<52} {'median':>8} {'p95':>8}  {'step':>7}  n")
    prev = 0.0
    for k in order:
        med = statistics.median(names[k])
        print(f"  {k:<52} {med:8.0f} {pct(names[k], 95):8.0f}  {med - prev:+7.0f}  {len(names[k])}")
        prev = med
    keys = runs[0]["server"].keys()
    print("  server per visit (median): " + ", ".join(
        f"{k} {statistics.median(r['server'][k] for r in runs):.1f}" for k in keys))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, action="append", help="site(s) to compare (default build/lite)")
    ap.add_argument("--warm", type=int, default=10, help="warm opens of each site (same profile)")
    ap.add_argument("--cold", type=int, default=0, help="cold opens of each site (new profile each)")
    ap.add_argument("--no-route", action="store_true", help="no Playwright route (browser HTTP cache on)")
    ap.add_argument("--raw", action="store_true", help="measure the sites as they are (no instrumented copy)")
    args = ap.parse_args()
    sites = args.site or [ROOT / "build" / "lite"]
    tmp = Path(tempfile.mkdtemp(prefix="lite-phases-"))
    try:
        copies = sites if args.raw else [instrument(s, tmp / f"site{i}") for i, s in enumerate(sites)]
        print(f"load average at start: {open('/proc/loadavg').read().split()[:3]}")
        if args.no_route:
            Lite.offsite_mode = "abort"
        results = {i: {"warm": [], "cold": []} for i in range(len(sites))}
        lites = []
        for site in copies:
            lite = SharedLite(site)
            if args.no_route:
                lite.context.unroute("**/*")
            lites.append(lite)
            lite.open_notebook(NOTEBOOK)  # the first visit fills the cache
        for _ in range(args.warm):
            for i, lite in enumerate(lites):  # alternating A/B
                lite.page.add_init_script(PAGE_INIT) if not getattr(lite, "_init", False) else None
                lite._init = True
                results[i]["warm"].append(visit(lite, lite.workdir / "http.log"))
        for lite in lites:
            lite.offsite.assert_none("the browser build")
            lite.close()
        for _ in range(args.cold):
            for i, site in enumerate(copies):
                with SharedLite(site, profile=tmp / f"cold{i}-{_}") as lite:
                    if args.no_route:
                        lite.context.unroute("**/*")
                    lite.page.add_init_script(PAGE_INIT)
                    results[i]["cold"].append(visit(lite, lite.workdir / "http.log"))
        for i, site in enumerate(sites):
            for kind in ("warm", "cold"):
                if results[i][kind]:
                    report(f"{site} {kind}" + (" (no route)" if args.no_route else ""), results[i][kind])
        print(f"\nload average at end: {open('/proc/loadavg').read().split()[:3]}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
