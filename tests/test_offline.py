"""Nothing asks another machine: Voila's home, file list, notebook and app pages, and JupyterLab opening a notebook.

A workshop room's network may drop traffic without answering; a page that waits for a CDN then shows nothing for a
minute or more. The harness (``tests/lab_harness.py``, :class:`OffsiteRequests`) counts every request the browser
makes to a host other than this machine; each test fails on the first one, naming it. The last test leaves such
requests unanswered (as that network would) and checks that 07's explorer is drawn in about the time it takes when
they are refused at once.
"""

from __future__ import annotations

import time

import pytest

from .conftest import require_browser

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

NB_07 = "notebooks/07_vibration_effects.ipynb"
APP_07 = "workshop_apps/explorer.ipynb"
FIGURE_DRAWN = ("() => { const c = document.querySelector('.jupyter-matplotlib-canvas-div canvas');"
                " const l = document.querySelector('#loading');"
                " return c && c.width > 0 && (!l || l.offsetParent === null); }")


def test_voila_home_file_list_notebook_and_app_pages_ask_nothing_off_the_machine():
    require_browser()
    from .lab_harness import Voila

    with Voila(".") as app:
        app.page.goto(f"{app.url}/", timeout=240_000)  # the home page opens the course's front door
        app.page.wait_for_selector("#cu-door-switch", timeout=240_000)
        app.page.wait_for_load_state("load")
        app.offsite.assert_none("Voila's home page (the course's front door)")

        app.page.goto(f"{app.url}/voila/tree", timeout=120_000)  # Voila's own file list
        app.page.wait_for_selector("text=workshop_apps", timeout=120_000)
        app.page.wait_for_load_state("load")
        app.offsite.assert_none("Voila's file list")

        app.open(path=NB_07, timeout_s=240)
        app.page.wait_for_load_state("load")
        app.offsite.assert_none(f"Voila's page of {NB_07}")

        app.open(path=APP_07, query="explorer=VibrationExplorer", timeout_s=240)
        app.page.wait_for_load_state("load")
        app.offsite.assert_none("the single-explorer app")
        assert app.page.locator(".cu-projector").count() == 1, "the app did not show its explorer"


def test_jupyterlab_opening_and_running_a_notebook_asks_nothing_off_the_machine():
    require_browser()
    from .lab_harness import Lab

    with Lab(["07_vibration_effects.ipynb"]) as lab:
        lab.open_notebook("07_vibration_effects.ipynb")
        lab.offsite.assert_none("JupyterLab opening 07")
        lab.run_all()
        lab.figure_canvas(0)
        lab.page.wait_for_timeout(2000)
        lab.offsite.assert_none("JupyterLab running 07")


def _time_to_explorer(app, context, url: str, timeout_s: float = 240) -> float:
    """Seconds from asking for ``url`` in a new page of ``context`` until its first figure is drawn."""
    page = context.new_page()
    try:
        start = time.monotonic()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1e3)
        try:
            page.wait_for_function(FIGURE_DRAWN, timeout=timeout_s * 1e3)
        except Exception as exc:
            shown = page.evaluate("() => document.body ? document.body.innerText.slice(0, 300) : ''")
            raise AssertionError(f"no explorer within {timeout_s:.0f} s at {url}; the page shows {shown!r}") from exc
        return time.monotonic() - start
    finally:
        page.close()


def test_07_explorer_is_drawn_in_normal_time_when_offsite_requests_hang_unanswered():
    """Two browser contexts on one Voila: one refuses off-site requests at once (the normal time), one leaves them
    hanging. The hanging one must draw 07's explorer (notebook page, then the single-explorer app) within twice the
    normal time plus 10 s, and no off-site request may have been made at all."""
    require_browser()
    from .lab_harness import OffsiteRequests, Voila

    with Voila(".", offsite="abort") as app:
        hanging = app.browser.new_context(viewport={"width": 1280, "height": 720}, device_scale_factor=1)
        waits = OffsiteRequests(hanging, answer="hang")
        try:
            for where in (f"voila/render/{NB_07}", f"voila/render/{APP_07}?explorer=VibrationExplorer"):
                url = f"{app.url}/{where}"
                normal = _time_to_explorer(app, app.context, url)
                slow_network = _time_to_explorer(app, hanging, url)
                print(f"{where}: drawn after {normal:.1f} s (off-site refused), {slow_network:.1f} s (off-site hang)")
                waits.assert_none(f"{where} with a network that drops traffic")
                assert slow_network <= 2 * normal + 10, (
                    f"{where}: the explorer took {slow_network:.1f} s with off-site requests hanging, against "
                    f"{normal:.1f} s when they are refused")
        finally:
            hanging.close()
