"""Slider-to-pixels latency of an explorer as a learner feels it: JupyterLab in headless Chromium.

The script starts JupyterLab on 127.0.0.1, opens a small notebook that shows the explorer twice (once as the
course ships it, with blitting, once redrawing the whole figure on each change: the baseline, measured in the
same run), and then, for each:

* **step latency**: focuses the slider's handle and presses the arrow key, N times with a pause between presses;
  each time it measures from the key-down event to the moment new pixels are drawn onto the figure's canvas
  (hooked on the canvas's ``drawImage``; the screen shows them at the next frame, ≤ 17 ms later);
* **drag settle**: drags the slider with the mouse for 3 s, and measures from the release to the moment the
  canvas first shows exactly the picture the kernel drew for the final value (pixel fingerprints compared; "inf"
  if it never does). This is the backlog a drag leaves behind.

    python benchmarks/browser_latency.py                                  # the 01 explorer
    python benchmarks/browser_latency.py --explorer VibrationExplorer --slider "Frequency (Hz)"

**Rooms** (``--rooms``): the explorer's key step → new pixels in JupyterLab and in Voila, in normal and in projector
mode, each against an ``interact`` + inline-figure baseline of the same panels (the explorer's own drawing code,
drawn as a new PNG image on every change, as a notebook without ipympl would) measured in the same run:

    python benchmarks/browser_latency.py --rooms --explorer VibrationExplorer --slider "Frequency (Hz)" --reps 20

Prints median and 95th percentile in milliseconds; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import nbformat
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.lab_harness import Lab, Voila

HOOK_JS = """() => {
  window.__draws = [];
  window.__keydown = null;
  const orig = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const r = orig.apply(this, args);
    const c = this.canvas;
    if (c && c.isConnected && c.closest && c.closest('.jupyter-matplotlib-canvas-div')) {
      const all = Array.from(document.querySelectorAll('.jupyter-matplotlib-canvas-div'));
      const idx = all.indexOf(c.closest('.jupyter-matplotlib-canvas-div'));
      const now = performance.now();
      window.__draws.push([now, idx]);
      if (window.__track === idx) {  // after a drag: fingerprint each new picture (the same sum as the tests)
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let s = 0;
        for (let i = 0; i < d.length; i++) { s += d[i] * ((i % 251) + 1); }
        window.__tracked.push([now, s]);
      }
    }
    return r;
  };
  document.addEventListener('keydown', () => { window.__keydown = performance.now(); }, true);
  // The interact baseline: a new <img> in its output is its new picture (index -1), when it has loaded.
  new MutationObserver((records) => {
    for (const r of records) {
      const nodes = r.type === 'attributes' ? [r.target] : Array.from(r.addedNodes);
      const imgs = nodes.flatMap(n => n.tagName === 'IMG' ? [n]
                                      : (n.querySelectorAll ? Array.from(n.querySelectorAll('img')) : []));
      for (const img of imgs) {
        if (!img.closest('.widget-interact')) continue;
        const done = () => window.__draws.push([performance.now(), -1]);
        if (img.complete) { done(); } else { img.addEventListener('load', done, {once: true}); }
      }
    }
  }).observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ['src']});
}"""


def make_notebook(path: Path, explorer: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("%matplotlib widget\nimport course_utils as cu\ncu.use_course_style()"),
        nbformat.v4.new_code_cell(f"fast = cu.{explorer}()\nfast"),
        nbformat.v4.new_code_cell(f"class Baseline(cu.{explorer}):\n    blit = False\n\nslow = Baseline()\nslow"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.write_text(nbformat.writes(nb))


def make_rooms_notebook(path: Path, explorer: str) -> None:
    """The explorer as the course shows it, then an interact + inline-image baseline of the same panels."""
    nb = nbformat.v4.new_notebook()
    baseline = f"""import io
import ipywidgets as w
from IPython.display import Image, display
from matplotlib.figure import Figure

helper = cu.{explorer}()  # its build/update draw the same panels; never shown itself


def draw(**values):
    fig = Figure(figsize=helper.figsize, dpi=helper.fig.dpi, layout="constrained")
    helper.build(fig)
    helper.update({{name: helper._specs[name].clamp(v) for name, v in values.items()}})
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    display(Image(buf.getvalue()))


w.interact(draw, **{{c.name: c.make_widget("95%") for c in helper.controls}});"""
    nb.cells = [
        nbformat.v4.new_code_cell("%matplotlib widget\nimport course_utils as cu\ncu.use_course_style()"),
        nbformat.v4.new_code_cell(f"fast = cu.{explorer}()\nfast"),
        nbformat.v4.new_code_cell(baseline),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.write_text(nbformat.writes(nb))


def step_latencies(lab, index: int, slider: str, reps: int, pause_s: float, box_index: int | None = None
                   ) -> list[float]:
    """Key step → first new pixels of figure ``index`` (-1: the baseline's inline image), ``reps`` times, using the
    ``box_index``-th slider labelled ``slider`` (default: ``index``)."""
    nth = index if box_index is None else box_index
    box = lab.page.locator(".widget-slider", has=lab.page.locator(".widget-label", has_text=slider)).nth(nth)
    box.scroll_into_view_if_needed()
    handle = box.locator(".noUi-handle")
    handle.click()
    out = []
    for i in range(reps):
        lab.page.evaluate("() => { window.__draws = []; }")
        handle.press("ArrowRight" if (i // 10) % 2 == 0 else "ArrowLeft")
        time.sleep(pause_s)  # wait without polling, so the measurement does not compete for the 2 cores
        lat = lab.page.evaluate(
            f"() => {{ const d = window.__draws.filter(x => x[1] === {index} && x[0] > window.__keydown);"
            " return d.length ? d[0][0] - window.__keydown : null; }")
        if lat is not None:
            out.append(lat)
    return out


def drag_settle(lab: Lab, index: int, slider: str, seconds: float) -> float:
    box = lab.page.locator(".widget-slider", has=lab.page.locator(".widget-label", has_text=slider)).nth(index)
    box.scroll_into_view_if_needed()
    handle = box.locator(".noUi-handle")
    track = box.locator(".noUi-target").bounding_box()
    hb = handle.bounding_box()
    y = hb["y"] + hb["height"] / 2
    x0 = track["x"] + 2
    lab.page.mouse.move(hb["x"] + hb["width"] / 2, y)
    lab.page.mouse.down()
    n = int(seconds * 60)
    for k in range(n):  # sweep right and back once, one move per display frame
        frac = k / n
        pos = 2 * frac if frac < 0.5 else 2 - 2 * frac
        lab.page.mouse.move(x0 + pos * (track["width"] * 0.8), y)
        time.sleep(1 / 60)
    lab.page.evaluate(f"() => {{ window.__tracked = []; window.__track = {index}; }}")
    lab.page.mouse.up()
    release = lab.page.evaluate("() => performance.now()")
    time.sleep(3)
    lab.page.evaluate("() => { window.__track = null; }")
    final = lab.kernel_figure_fingerprint(index)  # the picture for the slider's final value
    tracked = lab.page.evaluate("() => window.__tracked")
    shown = [t for t, fp in tracked if fp == final]
    if not shown:
        # the final picture was already on screen when the mouse was released
        canvas = lab.page.locator(".jupyter-matplotlib-canvas-div canvas").nth(2 * index)
        return 0.0 if lab.canvas_fingerprint(canvas) == final else float("inf")
    return max(0.0, min(shown) - release)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--explorer", default="PressureDepthExplorer")
    parser.add_argument("--slider", default="Contact radius (mm)")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between key presses")
    parser.add_argument("--rooms", action="store_true",
                        help="JupyterLab and Voila, normal and projector mode, against an interact baseline")
    args = parser.parse_args()
    if args.rooms:
        rooms(args)
        return

    with Lab([]) as lab:
        make_notebook(lab.notebook_dir / "bench.ipynb", args.explorer)
        lab.open_notebook("bench.ipynb")
        lab.page.evaluate(HOOK_JS)
        lab.run_all()
        lab.figure_canvas(1)
        time.sleep(2)
        print(f"{args.explorer}, slider {args.slider!r}, {args.reps} key steps each")
        for index, name in ((0, "course (blit)"), (1, "baseline (full redraw)")):
            lats = step_latencies(lab, index, args.slider, args.reps, args.pause)
            settle = [drag_settle(lab, index, args.slider, 3.0) for _ in range(5)]
            print(f"  {name:24} step→pixels median {statistics.median(lats):6.1f} ms, "
                  f"p95 {np.percentile(lats, 95):6.1f} ms (n={len(lats)}); "
                  f"3-s drag: final picture {statistics.median(settle):6.0f} ms after release "
                  f"(median of {len(settle)}, max {max(settle):.0f})")
        errors = lab.errors_shown()
        if errors:
            print("errors shown in the notebook:", errors)


def _summary(lats: list[float]) -> str:
    if not lats:
        return "no new pixels seen"
    return f"median {statistics.median(lats):6.1f} ms, p95 {np.percentile(lats, 95):6.1f} ms (n={len(lats)})"


def rooms(args) -> None:
    """Step → pixels of the explorer and of its interact baseline, in JupyterLab and Voila, normal and projector."""
    print(f"{args.explorer}, slider {args.slider!r}, {args.reps} arrow-key steps each, {args.pause} s apart")
    for app in ("JupyterLab", "Voila"):
        for projector in (False, True):
            env = {"MASSAGE_COURSE_PROJECTOR": "1" if projector else "0"}
            mode = "projector" if projector else "normal"
            if app == "JupyterLab":
                session = Lab([], viewport=(1280, 720), env=env)
            else:
                session = Voila(".", viewport=(1280, 720), env=env)
            with session:
                if app == "JupyterLab":
                    make_rooms_notebook(session.notebook_dir / "bench.ipynb", args.explorer)
                    session.open_notebook("bench.ipynb")
                    session.page.evaluate(HOOK_JS)
                    session.run_all()
                else:
                    make_rooms_notebook(session.workdir / "bench.ipynb", args.explorer)
                    session.context.add_init_script(script=f"({HOOK_JS})()")
                    session.open(path="bench.ipynb", timeout_s=240)
                session.page.locator(".widget-interact img").first.wait_for(state="attached", timeout=120_000)
                time.sleep(3)
                fast = step_latencies(session, 0, args.slider, args.reps, args.pause, box_index=0)
                # the baseline can take longer than a pause: wait long enough that no step is missed
                slow = step_latencies(session, -1, args.slider, args.reps, max(args.pause, 1.5), box_index=1)
                ratio = statistics.median(slow) / statistics.median(fast) if fast and slow else float("nan")
                print(f"  {app:10} {mode:9} explorer {_summary(fast)} | interact baseline {_summary(slow)} "
                      f"| {ratio:.1f}x faster")
                errors = session.errors_shown()
                if errors:
                    print("    errors shown:", errors)


if __name__ == "__main__":
    main()
