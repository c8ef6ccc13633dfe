"""Kernel-side speed of each explorer: from a control's new value to the figure's new pixels, ready to send.

For every explorer and each of its controls this moves the real widget through a sweep of values (a Choice
steps through its options) and times each step: the model, the update of the artists, the redraw (blitting
only the moving artists) and the PNG of the changed pixels that ipympl sends to the browser. In the same run it
measures the baseline, a full redraw of the figure on every step, so the two numbers are comparable on this
machine. It also times ``import course_utils``.

    python benchmarks/kernel_update.py            # all explorers, 40 steps per control
    python benchmarks/kernel_update.py --steps 80
    python benchmarks/kernel_update.py --only VibrationExplorer --steps 20   # one explorer (e.g. 07)

Prints median and 95th percentile in milliseconds. No assertion: targets are judged by a person.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time

import matplotlib

matplotlib.use("module://ipympl.backend_nbagg")

import numpy as np

import course_utils.explorers as explorers
from course_utils.widgets import Slider


def _p95(xs: list[float]) -> float:
    return float(np.percentile(xs, 95))


def time_explorer(cls, steps: int, blit: bool) -> dict[str, list[float]]:
    """Time ``steps`` changes of each control; returns {control name: [ms per change]}."""
    variant = type(f"{cls.__name__}_{'blit' if blit else 'full'}", (cls,), {"blit": blit})
    ex = variant()
    canvas = ex.fig.canvas
    canvas.syncing_data_url = False  # as when a browser is connected (ipympl then sends only diffs)
    canvas.draw()  # the first full draw, as when the figure is first shown
    canvas.get_diff_image()
    out: dict[str, list[float]] = {}
    for spec in ex.controls:
        widget = ex.controls_by_name[spec.name]
        if isinstance(spec, Slider) and spec.log:
            # A log slider offers a list of round values: step through that list (back and forth), so that every
            # step is a real change; a sweep of arbitrary numbers would snap onto repeated grid values.
            grid = [float(value) for _label, value in widget.options]
            sweep = grid + grid[-2:0:-1] if len(grid) > 1 else grid
            values = [sweep[(i + 1) % len(sweep)] for i in range(steps)]
        elif isinstance(spec, Slider):
            values = [float(v) for v in np.linspace(spec.low, spec.high, steps)]
        else:  # a Choice: step through its options in turn
            values = [spec.options[(i + 1) % len(spec.options)] for i in range(steps)]
        times = []
        for v in values:
            t0 = time.perf_counter()
            widget.value = v
            if not blit:
                canvas.draw()  # what the browser's draw request makes the kernel do after draw_idle
            canvas.get_diff_image()  # PNG of the changed pixels, as sent to the browser
            times.append((time.perf_counter() - t0) * 1e3)
        out[spec.name] = times
        ex.reset()
    return out


def import_time_ms(reps: int = 5) -> list[float]:
    code = "import time; t=time.perf_counter(); import course_utils; print((time.perf_counter()-t)*1e3)"
    return [float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(reps)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40, help="changes per slider (default 40)")
    parser.add_argument("--only", choices=explorers.__all__, help="time this explorer only (e.g. VibrationExplorer)")
    args = parser.parse_args()
    gc.collect()
    print(f"{'explorer':28} {'control':14} {'blit median':>12} {'blit p95':>9} {'full median':>12} {'full p95':>9}")
    for name in [args.only] if args.only else explorers.__all__:
        cls = getattr(explorers, name)
        fast = time_explorer(cls, args.steps, blit=True)
        slow = time_explorer(cls, args.steps, blit=False)
        fast["all controls"] = [x for times in fast.values() for x in times]
        slow["all controls"] = [x for times in slow.values() for x in times]
        for slider in fast:
            f, s = fast[slider], slow[slider]
            print(f"{name:28} {slider:14} {statistics.median(f):10.1f}ms {_p95(f):7.1f}ms "
                  f"{statistics.median(s):10.1f}ms {_p95(s):7.1f}ms")
    imp = import_time_ms()
    print(f"import course_utils: median {statistics.median(imp):.0f} ms over {len(imp)} fresh interpreters")


if __name__ == "__main__":
    main()
