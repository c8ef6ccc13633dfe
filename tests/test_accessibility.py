"""Accessibility: axe-core finds no serious or critical problem in any explorer notebook's widgets, every slider
handle has a name a screen reader can say, and the 07 explorer works with the keyboard alone.

axe-core (the npm package, installed into tests/node_modules by `.ci/run`) is injected into the page and run on the
notebook's outputs. The checks run in Voila (every notebook with an explorer: quick, no need to run cells by hand)
and in JupyterLab (07), where the slider names come from the same page helper.
"""

from __future__ import annotations

import pytest

from .conftest import require_browser
from .test_voila import notebooks_with_explorers

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

OUTPUTS = ".jp-OutputArea-output"


def _format(violations: list[dict]) -> str:
    return "; ".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['targets'][:3]}" for v in violations)


def _named_handles(page) -> tuple[int, list[str]]:
    """(number of slider handles, the handles without an accessible name)."""
    return page.evaluate(
        "() => { const h = Array.from(document.querySelectorAll('.widget-slider .noUi-handle'));"
        " return [h.length, h.filter(e => !(e.getAttribute('aria-label') || '').trim())"
        ".map(e => e.closest('.widget-slider').innerText.slice(0, 40))]; }")


def test_every_explorer_notebook_passes_axe_in_voila():
    require_browser()
    from .lab_harness import Voila, wait_until

    problems = {}
    with Voila(".") as app:
        for name in notebooks_with_explorers():
            app.open(path=name, timeout_s=240)
            _count, unnamed = wait_until(lambda: _named_handles(app.page), lambda r: not r[1], 10)
            assert not unnamed, f"{name}: slider handles without a name: {unnamed}"
            violations = app.axe_violations([OUTPUTS])
            if violations:
                problems[name] = _format(violations)
    assert not problems, f"axe-core: serious or critical problems: {problems}"


def test_07_in_projector_mode_passes_axe_in_voila():
    """Projector mode restyles the controls (larger, side by side): the room's view must pass axe too."""
    require_browser()
    from .lab_harness import Voila, wait_until

    with Voila(".") as app:
        app.open(path="notebooks/07_vibration_effects.ipynb", query="projector=1", timeout_s=240)
        _count, unnamed = wait_until(lambda: _named_handles(app.page), lambda r: not r[1], 10)
        assert not unnamed, f"slider handles without a name: {unnamed}"
        violations = app.axe_violations([OUTPUTS])
        assert not violations, f"axe-core, 07 in projector mode: {_format(violations)}"


def _focus_path(page, presses: int) -> list[tuple[str, int]]:
    """Press Tab ``presses`` times; return (description, element number) of each element that got the focus."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(tuple(page.evaluate(
            "() => { const e = document.activeElement; if (!e) return ['', 0];"
            " if (!e.__cuFocusId) { window.__cuFocusN = (window.__cuFocusN || 0) + 1;"
            " e.__cuFocusId = window.__cuFocusN; }"
            " let d = e.tagName.toLowerCase() + ':' + (e.className || '').toString().slice(0, 40);"
            " if (e.classList.contains('noUi-handle')) d = 'slider:' + (e.getAttribute('aria-label') || '?');"
            " if (e.tagName === 'BUTTON') d = 'button:' + e.innerText.trim();"
            " return [d, e.__cuFocusId]; }")))
    return seen


def test_07_explorer_works_with_the_keyboard_alone_in_jupyterlab(tmp_path):
    require_browser()
    from .lab_harness import Lab, wait_until

    with Lab(["07_vibration_effects.ipynb"]) as lab:
        lab.open_notebook("07_vibration_effects.ipynb")
        lab.run_all()
        canvas = lab.figure_canvas(0)
        count, unnamed = wait_until(lambda: _named_handles(lab.page), lambda r: r[0] > 0 and not r[1], 20)
        assert count >= 4 and not unnamed, f"slider handles without a name in JupyterLab: {unnamed}"

        # Start just above the explorer's controls, then use only the keyboard.
        title = lab.page.locator(".widget-vbox h3").first
        title.scroll_into_view_if_needed()
        title.click()
        labels = lab.page.evaluate(
            "() => Array.from(document.querySelectorAll('.widget-slider .widget-label')).map(e => e.innerText.trim())")
        buttons = lab.page.evaluate(
            "() => Array.from(document.querySelector('.widget-vbox').querySelectorAll('button'))"
            ".filter(e => e.offsetParent !== null && e.innerText.trim()).map(e => e.innerText.trim())")
        focused = _focus_path(lab.page, 3 * (len(labels) + len(buttons)) + 5)
        path = [d for d, _n in focused]
        missing = [f"slider:{s}" for s in labels if f"slider:{s}" not in path]
        missing += [f"button:{b}" for b in buttons if f"button:{b}" not in path]
        assert not missing, f"not reachable with Tab: {missing}; focus went: {path}"
        ids = [n for _d, n in focused]
        runs = [i for i in range(2, len(ids)) if ids[i] == ids[i - 1] == ids[i - 2]]
        assert not runs, f"Tab keeps the focus on one element (a keyboard trap): {path}"

        # Arrow keys move a focused slider; the figure and the verdict follow.
        text = lab.page.locator(".widget-html", has=lab.page.locator("[aria-live=polite]")).first  # the text line
        before_text, before_fig = text.inner_text(), lab.canvas_region_hashes(canvas, 2, 2)
        handle = lab.page.locator(".noUi-handle[aria-label='Frequency (Hz)']").first
        handle.focus()
        readout = lab.slider("Frequency (Hz)").locator(".widget-readout")
        value_before = readout.inner_text()
        for _ in range(3):
            lab.page.keyboard.press("ArrowRight")
        assert wait_until(readout.inner_text, lambda v: v != value_before, 10) != value_before
        assert wait_until(text.inner_text, lambda t: t != before_text, 15) != before_text
        assert wait_until(lambda: lab.canvas_region_hashes(canvas, 2, 2), lambda h: h != before_fig, 15) != before_fig

        # Enter presses a focused preset button, Space the Reset button.
        from course_utils import VibrationExplorer

        start = next(c.value for c in VibrationExplorer.controls if c.name == "frequency_hz")
        preset = next(name for name, values in VibrationExplorer.presets.items()
                      if values.get("frequency_hz", start) != start)
        lab.page.get_by_role("button", name=preset, exact=True).first.focus()  # 07 shows the explorer 4 times
        lab.page.keyboard.press("Enter")
        assert wait_until(readout.inner_text, lambda v: v != value_before, 15) != value_before, \
            f"Enter on the preset {preset!r} did not change the frequency"
        lab.page.get_by_role("button", name="Reset").first.focus()
        lab.page.keyboard.press(" ")
        assert wait_until(readout.inner_text, lambda v: v == value_before, 15) == value_before
        lab.page.screenshot(path=str(tmp_path / "07_keyboard.png"))

        violations = lab.axe_violations([OUTPUTS])
        assert not violations, f"axe-core in JupyterLab: {_format(violations)}"
        lab.assert_no_errors()
