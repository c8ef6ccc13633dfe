"""How long the whole course takes to run headless: each notebook top to bottom in a fresh kernel.

    python benchmarks/course_execution.py            # every notebook once
    python benchmarks/course_execution.py --reps 3   # median of 3 runs each

Prints seconds per notebook and the total. Uses nbclient with a 120 s cell timeout, like the tests.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def run_once(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1)
    args = parser.parse_args()
    total = 0.0
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        times = [run_once(path) for _ in range(args.reps)]
        med = statistics.median(times)
        total += med
        print(f"{path.name:34} {med:6.1f} s (median of {len(times)}; kernel start included)")
    print(f"{'whole course':34} {total:6.1f} s")


if __name__ == "__main__":
    main()
