"""Does showing an explorer again (07 shows its explorer beside the Try this of Sections 2-4) slow it down?

JupyterLab in headless Chromium opens a small notebook with two VibrationExplorers: the baseline shown once, and
one shown four times, as notebook 07 does (four views of the same widgets and the same figure; the kernel draws
once per change). For each, the arrow key steps the Frequency slider ``--reps`` times and the script measures key
step → new pixels (as ``browser_latency.py`` does): for the baseline in its only view, for the repeated one in the
copy whose slider was pressed and in the last copy. Prints median and 95th percentile in ms and the load average;
asserts nothing.

    python benchmarks/repeated_view_latency.py --reps 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

import nbformat
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.browser_latency import HOOK_JS, step_latencies
from tests.lab_harness import Lab

NAME = "repeated_views.ipynb"


def _report(label: str, values: list[float]) -> None:
    if not values:
        print(f"{label:48s} no frame seen")
        return
    print(f"{label:48s} median {statistics.median(values):6.1f} ms   p95 {np.percentile(values, 95):6.1f} ms"
          f"   (n = {len(values)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--pause", type=float, default=0.6, help="seconds between key presses")
    args = parser.parse_args()

    lab = Lab([])
    try:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("%matplotlib widget\nimport course_utils as cu\ncu.use_course_style()"),
                    nbformat.v4.new_code_cell("once = cu.VibrationExplorer()\nonce"),
                    nbformat.v4.new_code_cell("again = cu.VibrationExplorer()\nagain")]
        nb.cells += [nbformat.v4.new_code_cell("again") for _ in range(3)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        (lab.notebook_dir / NAME).write_text(nbformat.writes(nb))
        lab.open_notebook(NAME)
        lab.run_all()
        for i in range(5):
            lab.figure_canvas(i)
        lab.page.evaluate(HOOK_JS)
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        _report("shown once (baseline)", step_latencies(lab, 0, "Frequency (Hz)", args.reps, args.pause, 0))
        _report("shown 4 times: the copy whose slider moved",
                step_latencies(lab, 2, "Frequency (Hz)", args.reps, args.pause, 2))
        _report("shown 4 times: the last copy", step_latencies(lab, 4, "Frequency (Hz)", args.reps, args.pause, 2))
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        lab.close()


if __name__ == "__main__":
    main()
