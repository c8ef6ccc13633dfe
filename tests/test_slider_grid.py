"""Every value an explorer means to show lies exactly on its slider's grid (issue 8, item 1).

In the browser a slider snaps to its grid and sends the snapped value back: a FloatLogSlider with a step of
0.01 decades turned the preset 40 Hz into 39.8 Hz and the start-up 50 Hz into 50.1 Hz. A kernel-side test sees
the exact value, so these tests check the grid itself: the options of a list slider, or min + k·step.
"""

from __future__ import annotations

import itertools
import math
import time

import ipywidgets as w
import pytest

import course_utils.explorers as explorers
from course_utils.widgets import Explorer, Slider, nice_log_grid

EXPLORERS = [getattr(explorers, name) for name in explorers.__all__]


def _on_widget_grid(widget: w.Widget, value: float) -> bool:
    """Whether ``value`` is one the widget itself can hold after the browser snaps it."""
    if isinstance(widget, w.SelectionSlider):
        return any(option == value for _label, option in widget.options)  # exactly, not approximately
    assert isinstance(widget, w.FloatSlider), type(widget)
    k = (value - widget.min) / widget.step
    return widget.min <= value <= widget.max and abs(k - round(k)) <= 1e-9


def _slider_values(cls) -> list[tuple[str, str, float]]:
    """(where, control, value) for every start-up and preset value of every slider of ``cls``."""
    out = [("start-up", c.name, c.value) for c in cls.controls if isinstance(c, Slider)]
    sliders = {c.name for c in cls.controls if isinstance(c, Slider)}
    for preset, values in cls.presets.items():
        out += [(preset, name, v) for name, v in values.items() if name in sliders]
    return out


def test_every_explorer_is_checked():
    assert len(EXPLORERS) >= 10 and all(issubclass(cls, Explorer) for cls in EXPLORERS)


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_every_start_up_and_preset_value_lies_on_its_slider_grid(cls, new_explorer):
    ex = new_explorer(cls)
    off = [(where, name, v) for where, name, v in _slider_values(cls)
           if not _on_widget_grid(ex.controls_by_name[name], v)]
    assert not off, f"{cls.__name__}: values the browser would move: {off}"


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_after_each_preset_every_control_holds_the_preset_value_exactly(cls, new_explorer):
    ex = new_explorer(cls)
    for preset, values in cls.presets.items():
        ex.apply_preset(preset)
        for name, v in values.items():
            assert ex.controls_by_name[name].value == v, (preset, name)
            assert ex.values[name] == v, (preset, name)
            if isinstance(v, (int, float)):
                assert type(ex.values[name]) is float, (preset, name)
        assert ex.last_error is None, ex.last_error
    ex.reset()
    for c in cls.controls:
        assert ex.controls_by_name[c.name].value == c.value


def _preset_with(cls, **values) -> str:
    """The name of the preset of ``cls`` that sets these values (names may change; the values are the point)."""
    names = [n for n, p in cls.presets.items() if all(p.get(k) == v for k, v in values.items())]
    assert names, f"{cls.__name__} has no preset with {values}"
    return names[0]


def test_massage_gun_preset_shows_40_hz_in_the_readout_and_the_text():
    ex = explorers.VibrationExplorer()
    try:
        ex.apply_preset(_preset_with(explorers.VibrationExplorer, frequency_hz=40))  # the massage gun (issue 8)
        freq = ex.controls_by_name["frequency_hz"]
        assert freq.label == "40" and freq.value == 40.0
        assert ex.controls_by_name["amplitude_mm"].label == "5"
        assert "40 Hz" in ex.text.value and "39.8" not in ex.text.value
        tool = _preset_with(explorers.VibrationExplorer, frequency_hz=125)  # the power tool
        ex.apply_preset(tool)
        amplitude = explorers.VibrationExplorer.presets[tool]["amplitude_mm"]
        assert freq.label == "125" and ex.controls_by_name["amplitude_mm"].label == f"{amplitude:g}"
        ex.reset()
        assert freq.label == "50" and "50.1" not in ex.text.value
    finally:
        import matplotlib.pyplot as plt

        plt.close(ex.fig)


@pytest.mark.parametrize("low, high", [(1, 300), (0.01, 10), (0.05, 2), (0.3, 30), (5, 100), (1, 200)])
def test_nice_log_grid_holds_round_values_and_both_ends(low, high):
    grid = nice_log_grid(low, high)
    assert grid[0] == low and grid[-1] == high and list(grid) == sorted(set(grid))
    for v in grid[1:-1]:
        mantissa = v / 10 ** math.floor(math.log10(v) + 1e-12)
        assert any(abs(mantissa - m) < 1e-9 for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8)), v
    # about ten values a decade: a learner can reach a value near any other
    assert max(b / a for a, b in itertools.pairwise(grid)) <= 1.34


def test_log_grid_values_are_the_numbers_authors_type():
    grid = nice_log_grid(0.01, 10)
    for typed in (0.01, 0.012, 0.015, 0.12, 0.3, 0.6, 1.2, 2.5):
        assert typed in grid  # exact float equality: 0.12 is not 1.2 × 0.1 = 0.12000000000000001


@pytest.mark.parametrize("low, high, exc", [(0, 10, ValueError), (-1, 10, ValueError), (10, 10, ValueError),
                                            (1, 1e20, ValueError), ("1", 10, TypeError), (1, math.nan, ValueError)])
def test_nice_log_grid_refuses_bad_ranges(low, high, exc):
    with pytest.raises(exc, match=r"low|high"):
        nice_log_grid(low, high)


# ------------------------------------------------------------------------------------------------ in the browser


def _kernel_print(lab, code: str) -> str:
    """Run ``code`` in the notebook's kernel and return what it printed."""
    return lab.page.evaluate(
        """async (code) => {
            const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
            const future = kernel.requestExecute({code, silent: false, store_history: false});
            let text = '';
            future.onIOPub = (msg) => { if (msg.header.msg_type === 'stream') { text += msg.content.text; } };
            await future.done;
            return text;
        }""", code).strip()


@pytest.mark.browser
@pytest.mark.timeout(300)
def test_browser_shows_the_massage_gun_preset_as_exactly_40_hz(tmp_path):
    # The bug of issue 8 lived only in the browser: the slider snapped 40 to 39.8 and sent it back to the kernel.
    from .conftest import require_browser

    require_browser()
    from .lab_harness import Lab, wait_until

    preset = _preset_with(explorers.VibrationExplorer, frequency_hz=40)
    lab = Lab(["07_vibration_effects.ipynb"])
    try:
        lab.open_notebook("07_vibration_effects.ipynb")
        lab.run_all()
        freq = lab.slider("Frequency (Hz)")
        readout = freq.locator(".widget-readout")
        assert wait_until(readout.inner_text, lambda t: t == "50") == "50"          # start-up, not 50.1
        lab.page.get_by_role("button", name=preset, exact=True).first.click()
        assert wait_until(readout.inner_text, lambda t: t == "40") == "40"          # not 39.8
        verdict = lab.page.locator(".widget-html", has_text="40 Hz").first
        verdict.wait_for(state="visible", timeout=20_000)
        time.sleep(1.0)  # give a snapped echo from the browser time to arrive, had there been one
        code = ("import gc, course_utils as cu\n"
                "ex = next(o for o in gc.get_objects() if isinstance(o, cu.VibrationExplorer))\n"
                "print(repr(ex.values['frequency_hz']), repr(ex.values['amplitude_mm']), '39.8' in ex.text.value)")
        assert _kernel_print(lab, code) == "40.0 5.0 False"
        lab.page.screenshot(path=str(tmp_path / "07_massage_gun_preset.png"))
        # the keyboard still works: the right arrow moves to the next round value
        freq.locator(".noUi-handle").focus()
        lab.page.keyboard.press("ArrowRight")
        assert wait_until(readout.inner_text, lambda t: t == "50") == "50"
        lab.assert_no_errors()
    finally:
        lab.close()
