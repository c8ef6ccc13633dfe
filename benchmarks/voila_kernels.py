"""Kernels Voila leaves running after a learner's tour of ten pages, with the course's settings and without them.

Voila starts a kernel (about 100 MB) for every page it shows. This script starts two Voila servers on 127.0.0.1
from a copy of the course, side by side:

* **course**: the course's ``voila.json`` (its template, which gets Voila's ``_xsrf`` cookie for every page so that
  leaving a page shuts its kernel down, and the culling of kernels idle and unconnected for the window);
* **stock**: the same, but with Voila's own "lab" template and no culling (the baseline, as before issue 16).

In each it takes two tours of ten pages in one browser tab, as a learner clicks through them:

* **from home**: the server's root address first (the front door; stock: Voila's file list), then nine pages;
* **direct**: ten pages opened by their address (bookmarks, links from the instructor), in a new browser profile.

It counts the kernel processes (and their memory, PSS) right after each tour, with the tour's last page still
open; then closes the browsers without a word to Voila (as a laptop lid closing would), and counts again at once
and after the cull window (``cull_idle_timeout`` + ``cull_interval`` + 15 s). Also prints how long each page took
to show (median, p95, over the 20 page loads per server) and the off-site requests the pages made.

    python benchmarks/voila_kernels.py               # the course's window (voila.json: 180 s + 30 s): ~8 min
    python benchmarks/voila_kernels.py --window 20   # a short window, to try it quickly

Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.lab_harness import REPO, OffsiteRequests, Voila

PAGES = [
    "workshop_apps/index.ipynb",
    "notebooks/00_start_here.ipynb",
    "notebooks/01_how_massage_works.ipynb",
    "notebooks/02_kinds_of_massage.ipynb",
    "notebooks/03_stroking.ipynb",
    "notebooks/07_vibration_effects.ipynb",
    "notebooks/08_devices_and_safety.ipynb",
    "workshop_apps/explorer.ipynb",
    "workshop_apps/explorer.ipynb?explorer=VibrationExplorer",
    "workshop_apps/explorer.ipynb?explorer=WaveformExplorer",
]


def kernels(app: Voila) -> tuple[int, float]:
    """(number of kernel processes, their total PSS in MiB) of one Voila server."""
    procs = app.kernel_processes()
    pss = 0.0
    for p in procs:
        try:
            pss += p.memory_full_info().pss / 2**20
        except Exception:  # gone meanwhile, or no PSS on this system
            continue
    return len(procs), pss


def visit(app: Voila, page, where: str, loads: list[float]) -> None:
    """Open ``where`` (a page path with its query, or "/") in ``page`` and wait until Voila has shown it."""
    start = time.monotonic()
    if where == "/":
        page.goto(f"{app.url}/", timeout=300_000)
        page.wait_for_load_state("load", timeout=300_000)
        page.wait_for_function("() => document.querySelector('#rendered_cells, .jp-DirListing, #cu-door')",
                               timeout=300_000)
    else:
        page.goto(f"{app.url}/voila/render/{where}", wait_until="commit", timeout=300_000)
        page.wait_for_function(
            "() => { const l = document.querySelector('#loading');"
            " return document.readyState === 'complete' && document.querySelector('#rendered_cells')"
            " && (!l || l.offsetParent === null); }", timeout=300_000)
    loads.append(time.monotonic() - start)
    page.wait_for_timeout(1000)  # a learner glances at it


def tour(app: Voila, context, pages: list[str], loads: list[float]):
    page = context.pages[0] if context.pages else context.new_page()
    for where in pages:
        visit(app, page, where, loads)
    return page


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--window", type=int, default=None,
                        help="cull_idle_timeout in s for the course server (default: voila.json's)")
    args = parser.parse_args()
    course_cfg = json.loads((REPO / "voila.json").read_text())["MappingKernelManager"]
    window = args.window if args.window is not None else course_cfg["cull_idle_timeout"]
    interval = min(course_cfg["cull_interval"], max(2, window // 5))
    setups = {
        "course": [f"--MappingKernelManager.cull_idle_timeout={window}",
                   f"--MappingKernelManager.cull_interval={interval}"],
        "stock": ["--VoilaConfiguration.template=lab", "--MappingKernelManager.cull_idle_timeout=0"],
    }
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"course window {window} s, checked every {interval} s; {len(PAGES)} pages per tour")
    servers: dict[str, Voila] = {}
    results: dict[str, dict] = {name: {"loads": []} for name in setups}
    try:
        for name, cfg in setups.items():  # one after the other: one Playwright at a time; the servers stay up
            app = servers[name] = Voila(".", viewport=(1280, 720), config=cfg)
            r = results[name]
            tour(app, app.context, ["/", *PAGES[1:]], r["loads"])
            time.sleep(3)  # let the last shutdowns land
            r["after home tour"] = kernels(app)
            direct = app.browser.new_context(viewport={"width": 1280, "height": 720})
            offsite = OffsiteRequests(direct)
            tour(app, direct, PAGES, r["loads"])
            time.sleep(3)
            r["after direct tour"] = kernels(app)
            r["offsite"] = len(app.offsite.urls) + len(offsite.urls)
            app.offsite.urls.clear()  # counted here; not a test failure
            app._close_browser()  # the browser goes without a word to Voila (no beforeunload)
            time.sleep(3)
            r["browsers closed"] = kernels(app)
            r["closed at"] = time.monotonic()
        wait = window + interval + 15
        print(f"waiting {wait} s (the cull window) after the course server's browser closed ...", flush=True)
        time.sleep(max(0.0, results["course"]["closed at"] + wait - time.monotonic()))
        for name, app in servers.items():
            results[name]["after the window"] = kernels(app)
    finally:
        for app in servers.values():
            try:
                app.close()
            except Exception:
                pass
    print(f"\n{'':<20}" + "".join(f"{name:>22}" for name in servers))
    for key in ("after home tour", "after direct tour", "browsers closed", "after the window"):
        cells = (f"{results[n][key][0]} kernels, {results[n][key][1]:4.0f} MiB" for n in servers)
        print(f"{key:<20}" + "".join(f"{c:>22}" for c in cells))
    cells = (f"median {statistics.median(results[n]['loads']):.1f}, p95 {p95(results[n]['loads']):.1f}"
             for n in servers)
    print(f"{'page shown (s)':<20}" + "".join(f"{c:>22}" for c in cells))
    print(f"{'off-site requests':<20}" + "".join(f"{results[n]['offsite']:>22}" for n in servers))
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("kernels counted: ipykernel processes under each Voila server; the home tour's kernels still count in "
          "the direct tour's row (same server)")
    subprocess.run(["uptime"], check=False)


if __name__ == "__main__":
    main()
