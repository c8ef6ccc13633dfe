"""The browser build (JupyterLite) as a learner feels it: its size, how long it takes to open, and 07's slider.

Builds the site if needed (``lite/build.py``; or ``--site DIR``), serves it on 127.0.0.1 and opens it in headless
Chromium, as ``tests/lite_harness.py`` does. Prints, in seconds or milliseconds, median and 95th percentile:

* site size in MB (what a learner's browser loads at the first visit);
* page open → kernel idle, **cold** (a new browser profile: nothing cached) and **warm** (a second visit in the
  same profile), twice: with the harness's request route on (which turns Chrome's HTTP cache off: every file is
  downloaded again) and as a learner's browser does it, cache on (``benchmarks/lite_phases.py`` splits it into
  phases);
* page open → 07's explorer drawn (warm: the setup and explorer cells run, the figure's first frame on screen);
* 07's frequency slider → new pixels: a click on the slider's track (the value jumps to a new step) to the first
  new picture drawn onto the figure's canvas, in the browser build and, as the baseline in the same run, in
  JupyterLab (the course as installed), alternating left and right positions.

    python benchmarks/lite.py                       # 20 warm, 5 cold, 30 slider steps each
    python benchmarks/lite.py --cold 20 --warm 20 --steps 40

Asserts nothing. Where the start-up time goes, step by step: ``benchmarks/lite_phases.py``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.lab_harness import Lab, is_offsite  # noqa: E402
from tests.lite_harness import Lite  # noqa: E402

NOTEBOOK = "07_vibration_effects.ipynb"
SLIDER = "Frequency (Hz)"

HOOK_JS = """() => {
  window.__draws = [];
  window.__down = null;
  const orig = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const r = orig.apply(this, args);
    const c = this.canvas;
    if (c && c.isConnected && c.closest && c.closest('.jupyter-matplotlib-canvas-div')) {
      window.__draws.push(performance.now());
    }
    return r;
  };
  document.addEventListener('pointerdown', () => { window.__down = performance.now(); }, true);
}"""

EXPLORER_DRAWN_JS = ("() => { const c = document.querySelector('.jupyter-matplotlib-canvas-div canvas');"
                     " return c && c.width > 0 && c.offsetParent !== null; }")


def summary(name: str, values: list[float], unit: str) -> str:
    if not values:
        return f"{name:<46} no values"
    p95 = float(np.percentile(values, 95))
    return f"{name:<46} median {statistics.median(values):8.1f} {unit}   p95 {p95:8.1f} {unit}   (n={len(values)})"


def track_click_latencies(page, steps: int, pause_s: float) -> list[float]:
    """Click the first slider labelled SLIDER at alternating points of its track; ms from the press to the first
    new picture on an explorer canvas."""
    box = page.locator(".widget-slider", has=page.locator(".widget-label", has_text=SLIDER)).first
    box.scroll_into_view_if_needed()
    track = box.locator(".noUi-target").bounding_box()
    y = track["y"] + track["height"] / 2
    out = []
    for i in range(steps):
        frac = 0.35 if i % 2 == 0 else 0.65
        page.evaluate("() => { window.__draws = []; }")
        page.mouse.click(track["x"] + frac * track["width"], y)
        time.sleep(pause_s)  # wait without polling, so the measurement does not compete for the 2 cores
        lat = page.evaluate("() => { const d = window.__draws.filter(t => t > window.__down);"
                            " return d.length ? d[0] - window.__down : null; }")
        if lat is not None:
            out.append(lat)
    return out


def site_size_mb(site: Path) -> float:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, help="a site built before (default: build/lite, built if missing)")
    ap.add_argument("--cold", type=int, default=5, help="cold opens (each a new browser profile)")
    ap.add_argument("--warm", type=int, default=20, help="warm opens (same profile)")
    ap.add_argument("--drawn", type=int, default=5, help="page open -> 07 explorer drawn, warm")
    ap.add_argument("--steps", type=int, default=30, help="slider clicks in each of the two builds")
    ap.add_argument("--pause", type=float, default=0.6, help="seconds between slider clicks")
    args = ap.parse_args()

    site = args.site or ROOT / "build" / "lite"
    if not (site / "jupyter-lite.json").exists():
        subprocess.run([sys.executable, str(ROOT / "lite" / "build.py"), "--output", str(site)], check=True)
    print(f"load average at start: {open('/proc/loadavg').read().split()[:3]}")
    print(f"{'site size':<46} {site_size_mb(site):8.1f} MB")

    cold = []
    for _ in range(args.cold):
        with Lite(site, profile=Path(tempfile.mkdtemp(prefix="lite-cold-"))) as lite:
            cold.append(lite.open_notebook(NOTEBOOK))
    print(summary("page open -> kernel idle, cold", cold, "s"))

    with Lite(site) as lite:
        lite.open_notebook(NOTEBOOK)  # fills the browser's cache
        warm = [lite.open_notebook(NOTEBOOK) for _ in range(args.warm)]
        print(summary("page open -> kernel idle, warm (route on)", warm, "s"))
        # The harness's Playwright route (it counts off-machine requests) also turns Chrome's HTTP cache off, so the
        # visits above download every file again. A learner's second visit has the cache: measured without the
        # route (off-machine requests are still counted from the page's request events, and this machine has no
        # way out to the internet anyway).
        lite.context.unroute("**/*")
        lite.page.on("request", lambda r: lite.offsite.urls.append(r.url) if is_offsite(r.url) else None)
        lite.open_notebook(NOTEBOOK)  # fills the HTTP cache, which the routed visits bypassed
        learner = [lite.open_notebook(NOTEBOOK) for _ in range(args.warm)]
        print(summary("page open -> kernel idle, warm (learner: cache on)", learner, "s"))
        drawn = []
        for _ in range(args.drawn):
            t0 = time.perf_counter()
            lite.open_notebook(NOTEBOOK)
            lite.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            lite.page.wait_for_function(EXPLORER_DRAWN_JS, timeout=300_000)
            drawn.append(time.perf_counter() - t0)
        print(summary("page open -> 07 explorer drawn, warm", drawn, "s"))
        lite.run_all(timeout_ms=420_000)
        lite.page.evaluate(HOOK_JS)
        lite_steps = track_click_latencies(lite.page, args.steps, args.pause)
        lite.offsite.assert_none("the browser build")

    with Lab([NOTEBOOK], viewport=(1280, 900)) as lab:
        lab.open_notebook(NOTEBOOK)
        lab.run_all()
        lab.page.evaluate(HOOK_JS)
        lab_steps = track_click_latencies(lab.page, args.steps, args.pause)

    print(summary("07 slider -> new pixels, browser build", lite_steps, "ms"))
    print(summary("07 slider -> new pixels, JupyterLab (baseline)", lab_steps, "ms"))
    if lite_steps and lab_steps:
        print(f"{'ratio of medians (browser build / JupyterLab)':<46} "
              f"{statistics.median(lite_steps) / statistics.median(lab_steps):8.2f}")
    print(f"load average at end: {open('/proc/loadavg').read().split()[:3]}")


if __name__ == "__main__":
    main()
