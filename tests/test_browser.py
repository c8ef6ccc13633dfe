"""Browser tests: JupyterLab in headless Chromium, used as a learner would use it.

Each test starts JupyterLab on 127.0.0.1 with a copy of the course, opens a notebook, runs all cells, moves an
explorer's control with the mouse, and checks the figure's pixels, the explorer's text line and that no error
or traceback appears. Screenshots go to the test's temporary folder.
"""

from __future__ import annotations

import pytest

from .conftest import require_browser

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def _open(name: str):
    require_browser()
    from .lab_harness import Lab

    lab = Lab([name])
    try:
        lab.open_notebook(name)
        lab.run_all()
    except Exception:
        lab.close()
        raise
    return lab


def _first_frame(lab, canvas, rows: int = 1, cols: int = 1) -> list[int]:
    """Wait until the first frame is complete (the browser shows exactly the kernel's picture); return the
    fingerprints of its ``rows`` × ``cols`` regions."""
    _assert_browser_shows_kernel_figure(lab, canvas, timeout_s=20)
    return lab.canvas_region_hashes(canvas, rows, cols)


def _text_line(lab, words: str):
    from .lab_harness import wait_until

    locator = lab.page.locator(".widget-html", has_text=words).first
    wait_until(locator.count, lambda n: n > 0, 20)
    return locator


def _assert_browser_shows_kernel_figure(lab, canvas, timeout_s: float = 5) -> None:
    """Once the learner pauses, the browser shows exactly the picture the kernel drew, pixel for pixel."""
    from .lab_harness import wait_until

    kernel, shown = wait_until(lambda: (lab.kernel_figure_fingerprint(0), lab.canvas_fingerprint(canvas)),
                               lambda pair: pair[0] == pair[1], timeout_s)
    assert shown == kernel, "the browser's figure differs from the kernel's (a frame was lost)"


def test_01_explorer_slider_and_preset_redraw_figure_without_errors(tmp_path):
    from .lab_harness import wait_until

    with _open("01_how_massage_works.ipynb") as lab:
        canvas = lab.figure_canvas(0)
        text = _text_line(lab, "presses the skin with")
        before = _first_frame(lab, canvas)
        before_text = text.inner_text()

        lab.drag_slider("Contact radius (mm)", 90)
        after = wait_until(lambda: lab.canvas_region_hashes(canvas, 1, 1), lambda h: h != before)
        after_text = wait_until(text.inner_text, lambda t: t != before_text)
        lab.page.screenshot(path=str(tmp_path / "01_after_drag.png"))
        assert after != before, "the figure's pixels did not change after dragging the slider"
        assert after_text != before_text, "the explorer's text line did not change after dragging the slider"

        # A preset changes two sliders at once, and the browser must end up showing exactly what the kernel drew
        # (a change once stayed unseen until the next one, when two images arrived almost together).
        for preset, force in (("Whole palm", "60 N"), ("Fingertip", "10 N"), ("Thumb", "20 N")):
            lab.page.get_by_role("button", name=preset).click()
            assert force in wait_until(text.inner_text, lambda t, force=force: force in t)
            _assert_browser_shows_kernel_figure(lab, canvas)
        lab.assert_no_errors()


def test_04_rubbing_force_slider_redraws_figure_and_text_without_errors(tmp_path):
    from .lab_harness import wait_until

    with _open("04_rubbing.ipynb") as lab:
        canvas = lab.figure_canvas(0)
        text = _text_line(lab, "of heat into the skin")
        before = _first_frame(lab, canvas)
        before_text = wait_until(text.inner_text, lambda t: t != "")  # the widget can render before its text
        assert "20 N" in before_text, before_text

        lab.drag_slider("Force (N)", 120)
        after = wait_until(lambda: lab.canvas_region_hashes(canvas, 1, 1), lambda h: h != before)
        after_text = wait_until(text.inner_text, lambda t: t != before_text)
        lab.page.screenshot(path=str(tmp_path / "04_after_drag.png"))
        assert after != before, "the figure's pixels did not change after dragging the Force slider"
        assert after_text != before_text and "20 N" not in after_text
        _assert_browser_shows_kernel_figure(lab, canvas)
        lab.assert_no_errors()


def test_07_frequency_drag_redraws_all_four_panels_without_errors(tmp_path):
    from .lab_harness import wait_until

    with _open("07_vibration_effects.ipynb") as lab:
        canvas = lab.figure_canvas(0)
        text = _text_line(lab, "Verdict after")
        before = _first_frame(lab, canvas, 2, 2)
        before_text = text.inner_text()

        lab.drag_slider("Frequency (Hz)", 120)
        after = wait_until(lambda: lab.canvas_region_hashes(canvas, 2, 2),
                           lambda h: all(a != b for a, b in zip(h, before, strict=True)))
        after_text = wait_until(text.inner_text, lambda t: t != before_text)
        lab.page.screenshot(path=str(tmp_path / "07_after_drag.png"))
        panels = ["waveform (top left)", "nervous system (top right)", "vessels (bottom left)", "pain (bottom right)"]
        unchanged = [p for p, a, b in zip(panels, after, before, strict=True) if a == b]
        assert not unchanged, f"these panels did not redraw after dragging the frequency slider: {unchanged}"
        assert after_text != before_text, "the verdict line did not change after dragging the slider"
        _assert_browser_shows_kernel_figure(lab, canvas)
        lab.assert_no_errors()
