"""Browser tests: JupyterLab in headless Chromium, used as a learner would use it."""

from __future__ import annotations

import time

import pytest

from .conftest import require_browser

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def _wait_for_change(read, before, timeout_s: float = 15.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        now = read()
        if now != before:
            return now
        time.sleep(0.1)
    return read()


def test_01_explorer_slider_redraws_figure_without_errors(tmp_path):
    require_browser()
    from .lab_harness import Lab

    with Lab(["01_how_massage_works.ipynb"]) as lab:
        lab.open_notebook("01_how_massage_works.ipynb")
        lab.run_all()
        canvas = lab.figure_canvas(0)
        text = lab.page.locator(".widget-html", has_text="presses the skin with").first
        # the first full frame arrives after the canvas appears: wait until it has pixels
        blank = lab.canvas_hash(canvas)
        before_hash = _wait_for_change(lambda: lab.canvas_hash(canvas), blank, 10) if blank == 0 else blank
        before_text = text.inner_text()

        lab.drag_slider("Contact radius (mm)", 90)

        after_hash = _wait_for_change(lambda: lab.canvas_hash(canvas), before_hash)
        after_text = _wait_for_change(text.inner_text, before_text)
        lab.page.screenshot(path=str(tmp_path / "01_after_drag.png"))
        assert after_hash != before_hash, "the figure's pixels did not change after dragging the slider"
        assert after_text != before_text, "the explorer's text line did not change after dragging the slider"
        assert lab.errors_shown() == [], f"error output in the notebook: {lab.errors_shown()}"
        page_text = lab.page.locator(".jp-Notebook").inner_text()
        assert "Traceback" not in page_text
        assert "could not be shown" not in page_text
