"""The Explorer base and the pressure-into-depth explorer, driven through their real controls."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest

import course_utils as cu
from course_utils.widgets import Explorer, Slider

START = {"force_n": 20.0, "radius_mm": 10.0}


def _fraction(a_mm, z_mm):
    """σz/p on the axis of a uniform circular load (Boussinesq; Johnson 1985 §3.4), written out independently."""
    z = np.asarray(z_mm, dtype=float)
    return 1.0 - z**3 / (a_mm**2 + z**2) ** 1.5


def _half_depth(a_mm):
    c = 0.5 ** (1 / 3)
    return a_mm * c / math.sqrt(1 - c * c)


def _pressure_kpa(force_n, a_mm):
    return force_n / (math.pi * (a_mm / 1000) ** 2) / 1000




@pytest.fixture
def explorer(new_explorer):
    return new_explorer(cu.PressureDepthExplorer)


def _state(ex):
    return (ex.frac_line.get_xdata().copy(), ex.kpa_line.get_xdata().copy(), ex.markers.get_offsets().copy(),
            ex.text.value)


# ------------------------------------------------------------------------------------------------ start-up


def test_startup_state_matches_the_model(explorer):
    assert explorer.values == START
    z = explorer.frac_line.get_ydata()
    np.testing.assert_allclose(explorer.frac_line.get_xdata(), 100 * _fraction(10, z), rtol=1e-12)
    np.testing.assert_allclose(explorer.kpa_line.get_xdata(), _pressure_kpa(20, 10) * _fraction(10, z), rtol=1e-12)
    half = explorer.half_line.get_ydata()[0]
    assert half == pytest.approx(_half_depth(10), rel=1e-12)
    assert "20 N" in explorer.text.value
    assert "64 kPa" in explorer.text.value            # 20 N / (π · (10 mm)²) = 63.7 kPa
    assert f"{_half_depth(10):.1f} mm" in explorer.text.value
    assert explorer.message.value == ""
    assert explorer.last_error is None


def test_every_control_shows_its_unit(explorer):
    assert explorer.controls_by_name["force_n"].description.endswith("(N)")
    assert explorer.controls_by_name["radius_mm"].description.endswith("(mm)")


# ------------------------------------------------------------------------------------------------ controls


def test_moving_the_radius_control_changes_plot_and_text(explorer):
    frac0, kpa0, markers0, text0 = _state(explorer)
    explorer.controls_by_name["radius_mm"].value = 30
    frac1, kpa1, markers1, text1 = _state(explorer)
    assert not np.allclose(frac0, frac1)
    assert not np.allclose(kpa0, kpa1)
    assert not np.allclose(markers0, markers1)
    assert text1 != text0
    z = explorer.frac_line.get_ydata()
    np.testing.assert_allclose(frac1, 100 * _fraction(30, z), rtol=1e-12)
    np.testing.assert_allclose(markers1[:, 0], 100 * _fraction(30, markers1[:, 1]), rtol=1e-12)
    assert "60 mm" in text1                                    # the text gives the contact's width: 2 × 30 mm
    assert f"{_half_depth(30):.1f} mm" in text1                # half depth ≈ 1.305 × 30 mm = 39.1 mm
    assert explorer.half_line.get_ydata()[0] == pytest.approx(_half_depth(30), rel=1e-12)


def test_force_changes_the_stress_but_not_the_share(explorer):
    frac0, kpa0, markers0, text0 = _state(explorer)
    explorer.controls_by_name["force_n"].value = 80
    frac1, kpa1, markers1, text1 = _state(explorer)
    np.testing.assert_allclose(frac1, frac0, rtol=1e-12)       # σz/p does not depend on force
    np.testing.assert_allclose(markers1, markers0, rtol=1e-12)
    np.testing.assert_allclose(kpa1 / kpa0, 4.0, rtol=1e-12)   # σz scales with force: 80 N / 20 N
    assert "80 N" in text1 and text1 != text0


@pytest.mark.parametrize("preset", list(cu.PressureDepthExplorer.presets))
def test_each_preset_sets_controls_and_changes_plot(explorer, preset):
    target = cu.PressureDepthExplorer.presets[preset]
    explorer.set_values(force_n=77, radius_mm=33)  # a state that no preset uses
    before = _state(explorer)
    explorer.preset_buttons[preset].click()
    assert explorer.values == {k: float(v) for k, v in target.items()}
    after = _state(explorer)
    assert not np.allclose(before[0], after[0])
    assert after[3] != before[3]
    z = explorer.frac_line.get_ydata()
    np.testing.assert_allclose(after[0], 100 * _fraction(target["radius_mm"], z), rtol=1e-12)
    np.testing.assert_allclose(after[1], _pressure_kpa(target["force_n"], target["radius_mm"])
                               * _fraction(target["radius_mm"], z), rtol=1e-12)


def test_apply_preset_unknown_name(explorer):
    with pytest.raises(ValueError, match="preset"):
        explorer.apply_preset("Elbow")


def test_reset_returns_to_startup(explorer):
    frac0, kpa0, markers0, text0 = _state(explorer)
    explorer.set_values(force_n=90, radius_mm=45)
    assert explorer.text.value != text0
    explorer.reset_button.click()
    assert explorer.values == START
    frac1, kpa1, markers1, text1 = _state(explorer)
    assert text1 == text0
    np.testing.assert_array_equal(frac1, frac0)
    np.testing.assert_array_equal(kpa1, kpa0)
    np.testing.assert_array_equal(markers1, markers0)


@pytest.mark.parametrize("values, expected", [
    ({"force_n": 500}, {"force_n": 100.0}),
    ({"force_n": -3}, {"force_n": 1.0}),
    ({"radius_mm": 0.1}, {"radius_mm": 2.0}),
    ({"radius_mm": 1e9, "force_n": 0}, {"radius_mm": 50.0, "force_n": 1.0}),
])
def test_out_of_range_values_are_clamped(explorer, values, expected):
    explorer.set_values(**values)
    for name, value in expected.items():
        assert explorer.values[name] == value
    assert explorer.message.value == ""
    assert f"{expected.get('force_n', 20):.0f} N" in explorer.text.value


def test_value_typed_into_widget_is_clamped(explorer):
    explorer.controls_by_name["force_n"].value = 500
    assert explorer.values["force_n"] == 100
    assert "100 N" in explorer.text.value
    assert explorer.message.value == ""


def test_set_values_unknown_name(explorer):
    with pytest.raises(ValueError, match="pressure_kpa"):
        explorer.set_values(pressure_kpa=3)


@pytest.mark.parametrize("bad", [math.nan, "abc", None])
def test_set_values_non_number_is_refused(explorer, bad):
    with pytest.raises((ValueError, TypeError), match="force_n"):
        explorer.set_values(force_n=bad)
    assert explorer.values == START


# ------------------------------------------------------------------------------------------------ failures


class _Failing(Explorer):
    title = "Failing"
    controls = (Slider("x", "X", "mm", 0, 10, 5, 1),)
    presets = {"Bad": {"x": 9}, "Boom": {"x": 10}}
    figsize = (3, 2)

    def build(self, fig):
        (self.line,) = fig.add_subplot().plot([0, 1], [0, 1])
        return [self.line]

    def update(self, values):
        x = values["x"]
        if x == 10:
            raise RuntimeError("secret internal state 0xdeadbeef")
        if x > 8:
            raise ValueError("x must be at most 8 mm; got 9 mm.")
        self.line.set_ydata([0, x])
        return f"x is {x:g} mm"


@pytest.fixture
def failing():
    ex = _Failing()
    yield ex
    plt.close(ex.fig)


def test_model_error_shows_short_message_without_traceback(failing):
    assert failing.text.value.endswith("x is 5 mm</div>")
    failing.controls_by_name["x"].value = 9          # must not raise
    msg = failing.message.value
    assert "x must be at most 8 mm" in msg
    assert "Traceback" not in msg and "File " not in msg
    assert "Reset" in msg
    assert "x is 5 mm" in failing.text.value          # the last good description stays
    assert failing.last_error is not None and "ValueError" in failing.last_error
    failing.controls_by_name["x"].value = 3
    assert failing.message.value == ""
    assert "x is 3 mm" in failing.text.value


def test_unexpected_error_gets_generic_friendly_message(failing):
    failing.apply_preset("Boom")                      # must not raise
    msg = failing.message.value
    assert "unexpected problem" in msg and "RuntimeError" in msg
    assert "secret internal state" not in msg and "Traceback" not in msg
    failing.reset()
    assert failing.message.value == "" and failing.values == {"x": 5.0}


def test_explorer_without_controls_is_refused():
    class Empty(Explorer):
        pass

    with pytest.raises(TypeError, match="controls"):
        Empty()


def test_preset_with_unknown_control_is_refused_when_the_class_is_defined():
    with pytest.raises(ValueError, match=r"BadPreset: preset 'Oops' sets unknown control\(s\) \['y'\]"):
        class BadPreset(_Failing):
            presets = {"Oops": {"y": 1}}


def test_friendly_error_wording():
    assert "force_n must be" in cu.friendly_error(ValueError("force_n must be between 1 and 100 N."))
    generic = cu.friendly_error(KeyError("internal"))
    assert "unexpected problem" in generic and "internal" not in generic


# ------------------------------------------------------------------------------------------------ style


def test_projector_mode_enlarges_and_restores():
    cu.projector_mode(False)
    normal = (mpl.rcParams["font.size"], mpl.rcParams["lines.linewidth"])
    assert not cu.is_projector_mode()
    cu.projector_mode(True)
    assert cu.is_projector_mode()
    assert mpl.rcParams["font.size"] > normal[0]
    assert mpl.rcParams["lines.linewidth"] > normal[1]
    cu.projector_mode(False)
    assert (mpl.rcParams["font.size"], mpl.rcParams["lines.linewidth"]) == normal
    assert not cu.is_projector_mode()


def test_projector_mode_widens_new_explorers():
    cu.projector_mode(True)
    ex = cu.PressureDepthExplorer()
    try:
        assert ex.controls_by_name["force_n"].layout.width == "100%"
    finally:
        plt.close(ex.fig)


def test_axis_label():
    assert cu.axis_label("Depth", "mm") == "Depth (mm)"
    for bad in ("", "  "):
        with pytest.raises(ValueError, match="unit"):
            cu.axis_label("Depth", bad)
    with pytest.raises(TypeError, match="quantity"):
        cu.axis_label("", "mm")


def test_plot_axes_carry_units(explorer):
    ax_frac, ax_kpa = explorer.axes
    assert ax_frac.get_xlabel().endswith("(%)")
    assert ax_frac.get_ylabel().endswith("(mm)")
    assert ax_kpa.get_xlabel().endswith("(kPa)")


# ------------------------------------------------------------------------------------------------ rendering


def test_full_draw_then_blit_updates_pixels(explorer, monkeypatch):
    canvas = explorer.fig.canvas
    explorer._background = None   # (Agg's draw_idle already drew in full at start-up; start from scratch)
    canvas.draw()
    assert explorer._background is not None
    before = np.asarray(canvas.buffer_rgba()).copy()

    calls = {"blit": 0, "draw": 0}
    original_blit = canvas.blit
    monkeypatch.setattr(canvas, "blit", lambda *a, **k: (calls.__setitem__("blit", calls["blit"] + 1),
                                                          original_blit(*a, **k)))
    monkeypatch.setattr(canvas, "draw_idle", lambda *a, **k: calls.__setitem__("draw", calls["draw"] + 1))
    explorer.controls_by_name["radius_mm"].value = 40
    after = np.asarray(canvas.buffer_rgba()).copy()

    assert calls == {"blit": 1, "draw": 0}       # the fast path, not a full redraw
    assert before.shape == after.shape
    assert np.any(before != after)
    assert explorer.last_update_ms >= 0


def test_blit_result_equals_a_full_redraw(explorer):
    canvas = explorer.fig.canvas
    canvas.draw()
    explorer.set_values(force_n=60, radius_mm=40)
    blitted = np.asarray(canvas.buffer_rgba()).copy()
    canvas.draw()
    full = np.asarray(canvas.buffer_rgba()).copy()
    height = full.shape[0]
    for ax in explorer.axes:  # the plotting areas, where the moving artists are (the legend is static)
        x0, y0, x1, y1 = (round(v) for v in ax.bbox.extents)
        region = (slice(height - y1, height - y0), slice(x0, x1))
        assert np.mean(np.any(blitted[region] != full[region], axis=-1)) < 0.001


# ------------------------------------------------------------------------------------------------ slider grid


class _Grid(Explorer):
    title = "Grid"
    controls = (Slider("f", "Frequency", "Hz", 1, 300, 50, log=True),
                Slider("d", "Duration", "min", 0, 45, 10, 0.5, fmt=".1f"))
    presets = {"Odd": {"f": 125, "d": 2.5}}
    figsize = (3, 2)

    def build(self, fig):
        (self.line,) = fig.add_subplot().plot([0, 1], [0, 1])
        return [self.line]

    def update(self, values):
        self.line.set_ydata([0, values["f"]])
        return f"{values['f']:g} Hz for {values['d']:g} min"


@pytest.fixture
def grid():
    ex = _Grid()
    yield ex
    plt.close(ex.fig)


def test_log_slider_offers_round_values_and_the_presets(grid):
    options = [v for _label, v in grid.controls_by_name["f"].options]
    assert {1, 1.2, 1.5, 40, 50, 100, 120, 125, 150, 300} <= set(options)
    assert 39.8 not in options and 50.1 not in options
    assert grid.controls_by_name["f"].label == "50"


@pytest.mark.parametrize("typed, shown", [(37, 40), (39.8, 40), (50.1, 50), (123, 125), (1e6, 300), (-5, 1),
                                          (0.2, 1), (301, 300)])
def test_set_values_off_the_log_grid_picks_the_nearest_grid_value(grid, typed, shown):
    grid.set_values(f=typed)
    assert grid.values["f"] == shown and grid.controls_by_name["f"].value == shown
    assert grid.text.value.endswith(f"{shown:g} Hz for 10 min</div>")
    assert grid.message.value == ""


@pytest.mark.parametrize("typed, shown", [(2.3, 2.5), (2.2, 2.0), (0.1, 0.0), (44.9, 45.0), (99, 45.0), (-1, 0.0)])
def test_set_values_off_the_linear_grid_picks_the_nearest_grid_value(grid, typed, shown):
    grid.set_values(d=typed)
    assert grid.values["d"] == shown and grid.controls_by_name["d"].value == shown


def test_moving_the_log_widget_itself_to_an_off_grid_number_snaps_instead_of_failing(grid):
    grid.controls_by_name["f"].value = 39.8        # what an old FloatLogSlider would have sent
    assert grid.values["f"] == 40.0 and grid.message.value == ""
    assert "40 Hz" in grid.text.value
    grid.controls_by_name["f"].index = 0           # the keyboard's Home key / the left end
    assert grid.values["f"] == 1.0


def test_values_are_floats(grid):
    grid.apply_preset("Odd")
    assert grid.values == {"f": 125.0, "d": 2.5}
    assert all(type(v) is float for v in grid.values.values())


def test_linear_preset_off_the_grid_is_refused_when_the_class_is_defined():
    with pytest.raises(ValueError, match=r"OffGrid preset 'Bad': d must lie on the slider's grid 0 \+ k × 0.5 min"):
        class OffGrid(_Grid):
            presets = {"Bad": {"d": 2.3}}


def test_preset_out_of_range_is_refused_when_the_class_is_defined():
    with pytest.raises(ValueError, match=r"preset 'Far': f must be between 1 and 300 Hz"):
        class FarPreset(_Grid):
            presets = {"Far": {"f": 1000}}


def test_linear_start_up_value_off_the_grid_is_refused():
    with pytest.raises(ValueError, match=r"d.value must lie on the slider's grid"):
        Slider("d", "Duration", "min", 0, 45, 10.2, 0.5)
    assert Slider("d", "Duration", "min", 0, 45, 10.5, 0.5).value == 10.5


def test_readout_keeps_digits_the_format_would_hide():
    ex_slider = Slider("area", "Area", "cm²", 1, 200, 100, log=True, fmt=".0f")
    labels = [label for label, _v in ex_slider.make_widget("90%").options]
    assert "1.2" in labels and "1.5" in labels and len(set(labels)) == len(labels)
    assert ex_slider.make_widget("90%").description == "Area (cm²)"
