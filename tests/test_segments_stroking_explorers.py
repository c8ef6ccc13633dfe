"""The explorers of notebooks 02 (segmental zones) and 03 (stroking), driven through their real controls."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.font_manager import FontProperties

import course_utils as cu
from course_utils.explorers import pressure

from .textcheck import text_problems

# Segment order written out from anatomy (8 cervical, 12 thoracic, 5 lumbar, 5 sacral), independent of the code.
ORDER = [f"C{i}" for i in range(1, 9)] + [f"T{i}" for i in range(1, 13)] + [f"L{i}" for i in range(1, 6)] + \
        [f"S{i}" for i in range(1, 6)]


def _span(first: str, last: str) -> set[str]:
    return set(ORDER[ORDER.index(first):ORDER.index(last) + 1])


# science.md §10, written out by hand: (Western, Russian or None).
TABLE = {
    "Heart": (_span("T1", "T5"), _span("C3", "C4") | _span("T1", "T8")),
    "Lungs": (_span("T2", "T5"), _span("C3", "C4") | _span("T3", "T9")),
    "Stomach": (_span("T6", "T9"), _span("C3", "C4") | _span("T5", "T9")),
    "Liver / gallbladder": (_span("T6", "T9") | _span("C3", "C5"), _span("C3", "C4") | _span("T6", "T10")),
    "Pancreas": (_span("T6", "T10"), _span("T7", "T9")),
    "Appendix": ({"T10"}, None),
    "Colon": (_span("T10", "L2") | _span("S2", "S4"), None),
    "Bladder": (_span("T11", "L2") | _span("S2", "S4"), None),
}




def _close(ex):
    plt.close(ex.fig)


# ================================================================================================ segments (02)
@pytest.fixture
def zones(new_explorer):
    return new_explorer(cu.SegmentZonesExplorer)


def _lit(ex, school: str) -> set[str]:
    """Segments whose band is drawn highlighted (filled with the school's colour and hatched)."""
    colour = cu.PALETTE["blue"] if school == "western" else cu.PALETTE["orange"]
    return {seg for seg, rect in zip(ORDER, ex.bands[school], strict=True)
            if rect.get_hatch() and to_hex(rect.get_facecolor()) == colour.lower()}


def test_zones_startup_heart_highlights_t1_t5_western(zones):
    assert zones.values == {"organ": "Heart"}
    assert _lit(zones, "western") == _span("T1", "T5")
    assert _lit(zones, "russian") == TABLE["Heart"][1]
    assert "T1–T5" in zones.text.value and "C3–C4, T1–T8" in zones.text.value
    assert "only the Russian texts include C3, C4, T6, T7, T8" in zones.text.value
    assert zones.last_error is None and zones.message.value == ""


def test_zones_map_has_one_band_per_segment_in_two_columns(zones):
    for school in ("western", "russian"):
        rects = zones.bands[school]
        assert len(rects) == 30
        ys = [r.get_y() for r in rects]
        assert ys == sorted(ys, reverse=True), "C1 must be at the top, S5 at the bottom"
    west_x = zones.bands["western"][0].get_x()
    russ_x = zones.bands["russian"][0].get_x()
    assert west_x + zones.bands["western"][0].get_width() <= russ_x, "columns overlap"


def test_zones_schools_differ_by_hatch_not_only_colour(zones):
    west = {r.get_hatch() for r in zones.bands["western"] if r.get_hatch()}
    russ = {r.get_hatch() for r in zones.bands["russian"] if r.get_hatch()}
    assert len(west) == 1 and len(russ) == 1 and west != russ


@pytest.mark.parametrize("organ", list(TABLE))
def test_zones_choosing_an_organ_lights_its_segments(zones, organ):
    zones.controls_by_name["organ"].value = "Uterus"   # an organ not in TABLE, so every case is a change
    before = zones.text.value
    zones.controls_by_name["organ"].value = organ
    western, russian = TABLE[organ]
    assert _lit(zones, "western") == western
    assert _lit(zones, "russian") == (russian or set())
    assert zones.text.value != before
    assert organ in zones.text.value
    if russian is None:
        assert zones.none_text.get_text() == "no zone given"
        assert "give no zone" in zones.text.value
    else:
        assert zones.none_text.get_text() == ""
        only_w, only_r = western - russian, russian - western
        for seg in only_w | only_r:
            assert seg in zones.text.value


def test_zones_every_organ_of_the_table_is_offered(zones):
    options = zones.controls_by_name["organ"].options
    assert len(options) == 11
    for organ in ("Heart", "Lungs", "Stomach", "Liver / gallbladder", "Pancreas", "Small intestine", "Appendix",
                  "Colon", "Kidney / ureter", "Bladder", "Uterus"):
        assert organ in options


@pytest.mark.parametrize("preset", list(cu.SegmentZonesExplorer.presets))
def test_zones_each_preset_shows_its_organ(zones, preset):
    organ = cu.SegmentZonesExplorer.presets[preset]["organ"]
    before_w = _lit(zones, "western")
    zones.apply_preset(preset)
    assert zones.values["organ"] == organ
    assert _lit(zones, "western") != before_w
    assert organ in zones.text.value
    if preset.startswith("Pancreas"):
        assert _lit(zones, "russian") < _lit(zones, "western")     # Russian zone narrower
    if preset.startswith("Colon"):
        assert _lit(zones, "russian") == set()
    if preset.startswith("Liver"):
        assert {"C3", "C4", "C5"} <= _lit(zones, "western")
        assert "shoulder" in zones.text.value
    if preset.startswith("Lungs"):
        assert _lit(zones, "western") & _lit(zones, "russian") == _span("T3", "T5")


def test_zones_reset_restores_heart(zones):
    start = zones.text.value
    zones.apply_preset("Colon: no Russian zone")
    zones.reset()
    assert zones.values == {"organ": "Heart"}
    assert _lit(zones, "western") == _span("T1", "T5")
    assert zones.text.value == start


def test_zones_unknown_organ_is_refused_not_drawn(zones):
    with pytest.raises(ValueError):
        zones.set_values(organ="Spleen")
    assert zones.values == {"organ": "Heart"}


# ================================================================================================ CT stroking (03)
@pytest.fixture
def ct(new_explorer):
    return new_explorer(cu.CTStrokingExplorer)


def _ct_now(ex) -> float:
    """The plotted response of the current stroke (marker height), checked against the bar."""
    y = float(ex.marker.get_offsets()[0][1])
    assert ex.bar.get_height() == pytest.approx(y)
    return y


def test_ct_startup_state(ct):
    assert ct.values == {"speed_cm_s": 10.0, "temperature": "32 °C"}
    assert float(ct.marker.get_offsets()[0][0]) == pytest.approx(10.0)
    assert "10 cm/s" in ct.text.value and "32 °C" in ct.text.value
    assert ct.controls_by_name["speed_cm_s"].description.endswith("(cm/s)")
    assert ct.last_error is None


def test_ct_three_cm_s_beats_thirty_and_point_three(ct):
    ct.controls_by_name["speed_cm_s"].value = 30.0
    fast, fast_text = _ct_now(ct), ct.text.value
    ct.controls_by_name["speed_cm_s"].value = 3.0
    best, best_text = _ct_now(ct), ct.text.value
    ct.controls_by_name["speed_cm_s"].value = 0.3
    slow = _ct_now(ct)
    assert best > fast and best > slow           # inverted U (Löken 2009)
    assert best == pytest.approx(1.0, abs=1e-6)  # normalised: best stroke at 32 °C is 1
    assert fast_text != best_text
    assert "faster than" in fast_text and "inside" in best_text
    assert float(ct.speed_line.get_xdata()[0]) == pytest.approx(0.3)


def test_ct_peak_of_the_drawn_curve_lies_in_1_to_10_cm_s(ct):
    x, y = ct.current.get_data()
    assert 1.0 <= x[np.argmax(y)] <= 10.0


def test_ct_skin_temperature_beats_cold(ct):
    ct.controls_by_name["speed_cm_s"].value = 3.0
    warm, warm_text = _ct_now(ct), ct.text.value
    warm_curve = ct.current.get_ydata().copy()
    ct.controls_by_name["temperature"].value = "18 °C"
    cold = _ct_now(ct)
    assert cold < warm
    assert np.all(ct.current.get_ydata() <= warm_curve + 1e-12)
    assert "no longer tracks" in ct.text.value and "no longer tracks" not in warm_text
    assert ct.link_text.get_text().endswith("no")


@pytest.mark.parametrize("preset", list(cu.CTStrokingExplorer.presets))
def test_ct_each_preset(ct, preset):
    before = (tuple(ct.marker.get_offsets()[0]), ct.text.value)
    ct.apply_preset(preset)
    after = (tuple(ct.marker.get_offsets()[0]), ct.text.value)
    assert after != before
    response = _ct_now(ct)
    if preset == "Slow caress":
        assert response == pytest.approx(1.0, abs=1e-6)
        assert "most pleasant" in ct.text.value
    elif preset == "Brisk stroke":
        assert response < 0.5
        assert "faster than" in ct.text.value
    elif preset == "Cold hand":
        assert response < 1.0 and "cool" in ct.text.value
    elif preset == "Hot hand":
        assert response < 1.0 and "warm" in ct.text.value
    else:  # pragma: no cover - a new preset needs its own expectation here
        pytest.fail(f"no expectation written for preset {preset!r}")


def test_ct_reset_restores_startup(ct):
    start = (tuple(ct.marker.get_offsets()[0]), ct.text.value)
    ct.apply_preset("Cold hand")
    ct.reset()
    assert (tuple(ct.marker.get_offsets()[0]), ct.text.value) == start


def test_ct_typed_speed_outside_range_is_clamped(ct):
    ct.set_values(speed_cm_s=100)
    assert ct.values["speed_cm_s"] == pytest.approx(30.0)
    assert ct.last_error is None


# ================================================================================================ stroke depth (03)
def _fraction(a_mm, z_mm):
    """σz/p on the axis of a uniform circular load (Boussinesq; Johnson 1985 §3.4), written out independently."""
    z = np.asarray(z_mm, dtype=float)
    return 1.0 - z**3 / (a_mm**2 + z**2) ** 1.5


def _pressure_kpa(force_n, a_mm):
    return force_n / (math.pi * (a_mm / 1000) ** 2) / 1000


@pytest.fixture
def depth(new_explorer):
    return new_explorer(cu.StrokeDepthExplorer)


def _bar_kpa(ex) -> np.ndarray:
    return np.array([b.get_y() + b.get_height() for b in ex.bars])


def test_depth_startup_matches_boussinesq(depth):
    assert depth.values == {"force_n": 20.0, "radius_mm": 20.0}
    expected = _pressure_kpa(20, 20) * _fraction(20, [0.1, 15.0, 30.0])
    np.testing.assert_allclose(_bar_kpa(depth), expected, rtol=1e-9)
    x, z = depth.line.get_data()
    np.testing.assert_allclose(x, _pressure_kpa(20, 20) * _fraction(20, z), rtol=1e-9)


def test_depth_force_scales_every_depth_alike(depth):
    before, text = _bar_kpa(depth), depth.text.value
    depth.controls_by_name["force_n"].value = 40
    np.testing.assert_allclose(_bar_kpa(depth), 2 * before, rtol=1e-9)
    assert depth.text.value != text and "40 N" in depth.text.value


def test_depth_wider_contact_sends_a_bigger_share_to_the_muscle(depth):
    depth.controls_by_name["radius_mm"].value = 5
    narrow = _bar_kpa(depth)
    depth.controls_by_name["radius_mm"].value = 40
    wide = _bar_kpa(depth)
    assert wide[1] / wide[0] > narrow[1] / narrow[0]
    assert narrow[0] == pytest.approx(_pressure_kpa(20, 5), rel=1e-3)   # CT layer gets ~all of the push


@pytest.mark.parametrize("preset", list(cu.StrokeDepthExplorer.presets))
def test_depth_each_preset_matches_the_model(depth, preset):
    before = (_bar_kpa(depth).tolist(), depth.text.value)
    depth.apply_preset(preset)
    f, a = cu.StrokeDepthExplorer.presets[preset]["force_n"], cu.StrokeDepthExplorer.presets[preset]["radius_mm"]
    np.testing.assert_allclose(_bar_kpa(depth), _pressure_kpa(f, a) * _fraction(a, [0.1, 15.0, 30.0]), rtol=1e-9)
    assert (_bar_kpa(depth).tolist(), depth.text.value) != before
    assert f"{f:.0f} N" in depth.text.value


def test_depth_deep_stroke_reaches_the_muscle_far_harder_than_superficial(depth):
    depth.apply_preset("Superficial stroke (palm)")
    light = _bar_kpa(depth)
    depth.apply_preset("Deep stroke (heel of hand)")
    deep = _bar_kpa(depth)
    assert deep[1] > 10 * light[1]


def test_depth_reset_restores_startup(depth):
    start = (_bar_kpa(depth).tolist(), depth.text.value)
    depth.apply_preset("Deep stroke (thumb)")
    depth.reset()
    assert (_bar_kpa(depth).tolist(), depth.text.value) == start


# ================================================================================ readable figures (issue 8, item 3)
READABLE_EXPLORERS = ("PressureDepthExplorer", "SegmentZonesExplorer", "CTStrokingExplorer", "StrokeDepthExplorer")


def _states(names):
    return [pytest.param(n, p, id=f"{n}-{p or 'start-up'}") for n in names
            for p in [None, *getattr(cu, n).presets]]


@pytest.mark.parametrize("name, preset", _states(READABLE_EXPLORERS))
def test_no_clipped_or_overlapping_text(new_explorer, name, preset):
    explorer = new_explorer(getattr(cu, name))
    if preset is not None:
        explorer.apply_preset(preset)
    assert explorer.last_error is None
    assert text_problems(explorer.fig) == []


def test_pressure_depth_axis_is_labelled_between_decades(new_explorer):
    explorer = new_explorer(cu.PressureDepthExplorer)
    explorer.fig.canvas.draw()
    ax = explorer.axes[0]
    shown = {t.get_text() for t in ax.get_yticklabels() if t.get_visible()}
    assert {"0.3", "3", "30"} <= shown and {"0.1", "1", "10"} <= shown


def test_pressure_half_depth_is_written_on_its_line(new_explorer):
    explorer = new_explorer(cu.PressureDepthExplorer)
    for preset, target in explorer.presets.items():
        explorer.apply_preset(preset)
        a = target["radius_mm"]
        half = a * 0.5 ** (1 / 3) / math.sqrt(1 - 0.5 ** (2 / 3))  # σz/p = 1/2 solved by hand (≈ 1.305·a)
        assert explorer.half_line.get_ydata()[0] == pytest.approx(half)
        assert explorer.half_text.get_position()[1] == pytest.approx(half)
        assert explorer.half_text.get_text() == f"half left at {half:.1f} mm"


def test_pressure_surface_value_is_not_drawn_over_the_curve(new_explorer):
    explorer = new_explorer(cu.PressureDepthExplorer)
    explorer.apply_preset("Fingertip")  # 10 N over a radius of 5 mm: 10 / (π · 0.005²) = 127 kPa
    ax_kpa = explorer.axes[1]
    assert ax_kpa.get_title() == "Stress at depth (surface 127 kPa)"
    assert not [t for t in ax_kpa.texts if "surface" in t.get_text()]  # no label inside the plot area


def test_shade_tissue_layers_refuses_what_is_not_axes():
    for bad in (None, "ax", 3.0, plt.figure()):
        with pytest.raises(TypeError, match="ax"):
            pressure.shade_tissue_layers(bad)
    plt.close("all")
    fig, ax = plt.subplots()
    assert isinstance(ax, Axes)
    pressure.shade_tissue_layers(ax)
    assert len(ax.patches) == 4  # one band per tissue layer
    plt.close(fig)


def test_segment_labels_are_readable(new_explorer):
    zones = new_explorer(cu.SegmentZonesExplorer)
    labels = [t for t in zones.ax.texts if t.get_text() in ORDER]
    assert sorted(t.get_text() for t in labels) == sorted(ORDER)
    small = FontProperties(size="small").get_size_in_points()
    assert all(t.get_fontsize() >= small - 1e-9 for t in labels)


def test_ct_legend_lists_only_curves_a_learner_can_see(new_explorer):
    ct = new_explorer(cu.CTStrokingExplorer)
    legend = ct.fig.legends[0]
    handles = legend.legend_handles
    curves = [h for h in handles if hasattr(h, "get_ydata")]
    for temperature in ("18 °C", "32 °C", "42 °C"):
        ct.controls_by_name["temperature"].value = temperature
        drawn = [line for line in ct.axes[0].get_lines() if line.get_label() in legend_labels(legend)]
        assert len(drawn) == len(curves)
        for line in drawn:
            assert line.get_visible() and line.get_alpha() in (None, 0.6, 1.0) and len(line.get_xdata()) > 0
        ys = [tuple(np.round(line.get_ydata(), 9)) for line in drawn]
        assert len(set(ys)) == len(ys), "two legend entries name the same curve: one hides the other"
        # the chosen temperature's curve is the thick one, and it is the curve the marker sits on
        thick = max(drawn, key=lambda line: line.get_linewidth())
        speed, response = ct.marker.get_offsets()[0]
        assert np.interp(np.log(speed), np.log(thick.get_xdata()), thick.get_ydata()) == pytest.approx(response,
                                                                                                     abs=1e-3)


def legend_labels(legend) -> set[str]:
    return {t.get_text() for t in legend.get_texts()}
