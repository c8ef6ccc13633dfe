"""The explorers of notebooks 04 (friction heating) and 05 (metabolite wash-out), driven through their real controls.

Expected values are written out here from the formulas and the numbers of science.md (§7 and §9), not copied from
the course's own output.
"""

from __future__ import annotations

import math
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import course_utils as cu

from .textcheck import text_problems

# --- science.md §7: IT'IS skin (ρ 1109 kg/m³, c 3391 J/kg/K, k 0.37 W/m/K), skin perfusion ≈ 106 mL/min/kg; blood
# ρ 1050, c 3617 (IT'IS, as in the module). Heat share η = 0.5 (ours); μ dry 0.36 (Veijgen 2013), oil 0.1.
K, RHO, C = 0.37, 1109.0, 3391.0
W_PERF = 106e-6 / 60 * RHO * 1050.0 * 3617.0 / (RHO * C)  # Pennes rate w (1/s)
ALPHA = K / (RHO * C)
BASELINE, PAIN = 32.0, 43.0
RUB_START = {"force_n": 20.0, "area_cm2": 100.0, "speed_cm_s": 20.0, "duration_min": 2.0, "lubricant": "dry"}


def _flux(force_n, area_cm2, speed_cm_s, mu, eta=0.5):
    return eta * mu * (force_n / (area_cm2 * 1e-4)) * speed_cm_s * 1e-2


def _rise_no_perf(t_s, q):
    return 2 * q * np.sqrt(np.asarray(t_s) / (math.pi * K * RHO * C))


def _rise_perf(t_s, q):
    erf = np.vectorize(math.erf)
    return q / K * math.sqrt(ALPHA / W_PERF) * erf(np.sqrt(W_PERF * np.asarray(t_s, dtype=float)))




@pytest.fixture
def rub(new_explorer):
    return new_explorer(cu.RubbingHeatExplorer)


@pytest.fixture
def knead(new_explorer):
    return new_explorer(cu.KneadingWashoutExplorer)


def _rub_state(ex):
    return (ex.perf_line.get_ydata().copy(), ex.no_perf_line.get_ydata().copy(),
            np.array([b.get_height() for b in ex.bars]), ex.text.value)


def _t_s(ex):
    return ex.perf_line.get_xdata() * 60.0


# ============================================================================================ rubbing (notebook 04)


def test_rubbing_startup_matches_the_formulas(rub):
    assert rub.values == RUB_START
    q = _flux(20, 100, 20, 0.36)  # 72 W/m²
    t = _t_s(rub)
    np.testing.assert_allclose(rub.perf_line.get_ydata(), BASELINE + _rise_perf(t, q), rtol=1e-9)
    np.testing.assert_allclose(rub.no_perf_line.get_ydata(), BASELINE + _rise_no_perf(t, q), rtol=1e-9)
    assert "72 W/m²" in rub.text.value
    assert "⚠" not in rub.text.value
    assert rub.message.value == "" and rub.last_error is None
    dot = rub.end_marker.get_offsets()[0]
    assert dot[0] == pytest.approx(2.0)
    assert dot[1] == pytest.approx(BASELINE + float(_rise_perf(120.0, q)), rel=1e-9)


def test_every_rubbing_control_shows_its_unit(rub):
    for name, unit in [("force_n", "(N)"), ("area_cm2", "(cm²)"), ("speed_cm_s", "(cm/s)"), ("duration_min", "(min)")]:
        assert rub.controls_by_name[name].description.endswith(unit)
    assert tuple(rub.controls_by_name["lubricant"].options) == ("dry", "lotion", "oil")


def test_more_force_makes_the_skin_hotter(rub):
    perf0, noperf0, bars0, text0 = _rub_state(rub)
    dot0 = rub.end_marker.get_offsets()[0, 1]
    rub.controls_by_name["force_n"].value = 60
    perf1, noperf1, bars1, text1 = _rub_state(rub)
    assert np.all(perf1[1:] > perf0[1:]) and np.all(noperf1[1:] > noperf0[1:])
    # the rise above baseline is proportional to the flux, and the flux to the force: 60 N / 20 N = 3
    np.testing.assert_allclose((perf1[1:] - BASELINE) / (perf0[1:] - BASELINE), 3.0, rtol=1e-9)
    assert np.all(bars1 > bars0)
    assert rub.end_marker.get_offsets()[0, 1] > dot0
    assert text1 != text0 and "60 N" in text1 and "216 W/m²" in text1


def test_oil_is_cooler_than_dry_and_lotion_hotter(rub):
    dry_perf, _, bars, dry_text = _rub_state(rub)
    heights = dict(zip(("dry", "lotion", "oil"), bars, strict=True))
    assert heights["oil"] < heights["dry"] < heights["lotion"]   # μ 0.1 < 0.36 < 0.6
    rub.controls_by_name["lubricant"].value = "oil"
    oil_perf, _, bars_oil, oil_text = _rub_state(rub)
    assert np.all(oil_perf[1:] < dry_perf[1:])
    np.testing.assert_allclose((oil_perf[1:] - BASELINE) / (dry_perf[1:] - BASELINE), 0.1 / 0.36, rtol=1e-9)
    np.testing.assert_allclose(bars_oil, bars)                     # the comparison bars do not depend on the choice
    assert "oil" in oil_text and oil_text != dry_text
    assert rub.bars[2].get_linewidth() > rub.bars[0].get_linewidth()  # the chosen lubricant is highlighted
    rub.controls_by_name["lubricant"].value = "lotion"
    assert np.all(rub.perf_line.get_ydata()[1:] > dry_perf[1:])


def test_with_perfusion_the_curve_levels_off_below_the_no_perfusion_curve(rub):
    rub.set_values(force_n=40, area_cm2=50, speed_cm_s=30, duration_min=10)
    perf, noperf, _, _ = _rub_state(rub)
    t_min = rub.perf_line.get_xdata()
    assert np.all(perf[1:] < noperf[1:])
    assert np.allclose(perf[:2], noperf[:2], atol=0.05)             # the same at the very start
    first = np.interp(1.0, t_min, perf) - perf[0]
    last = perf[-1] - np.interp(9.0, t_min, perf)
    first_np = np.interp(1.0, t_min, noperf) - noperf[0]
    last_np = noperf[-1] - np.interp(9.0, t_min, noperf)
    assert last < 0.08 * first                                      # levels off (erf: ≈ 5 %)
    assert last_np > 0.12 * first_np                                # keeps rising (√t: 16 %)
    q = _flux(40, 50, 30, 0.36)
    plateau = BASELINE + q / K * math.sqrt(ALPHA / W_PERF)          # q·δ/k, δ ≈ 7 mm (science.md §7)
    assert perf[-1] < plateau and perf[-1] > BASELINE + 0.85 * (plateau - BASELINE)


def test_painful_preset_warns_and_says_when(rub):
    rub.preset_buttons["Hard fingertip friction"].click()
    text = rub.text.value
    assert "⚠" in text and "hurt" in text
    p = cu.RubbingHeatExplorer.presets["Hard fingertip friction"]
    q = _flux(p["force_n"], p["area_cm2"], p["speed_cm_s"], 0.36)
    t = np.linspace(0, 600, 60001)
    t_pain = t[np.argmax(BASELINE + _rise_perf(t, q) >= PAIN)]
    said = float(re.search(r"after about (\d+) s", text).group(1))
    assert said == pytest.approx(t_pain, abs=1.0)
    assert t_pain < p["duration_min"] * 60                          # it really is reached within the rub


def test_comfortable_settings_give_no_warning_but_a_temperature(rub):
    rub.preset_buttons["Oiled palm rub"].click()
    assert "⚠" not in rub.text.value
    p = cu.RubbingHeatExplorer.presets["Oiled palm rub"]
    q = _flux(p["force_n"], p["area_cm2"], p["speed_cm_s"], 0.1)
    end = BASELINE + float(_rise_perf(p["duration_min"] * 60, q))
    assert f"{end:.1f} °C" in rub.text.value


def test_off_the_scale_is_said_and_the_curve_is_clipped(rub):
    ylim = rub.axes[0].get_ylim()
    assert rub.off_scale.get_text() == ""
    rub.set_values(force_n=100, area_cm2=1, speed_cm_s=50, lubricant="lotion", duration_min=10)
    assert rub.axes[0].get_ylim() == ylim                          # fixed axis (blitting)
    assert rub.off_scale.get_text() != ""
    assert np.max(rub.perf_line.get_ydata()) <= ylim[1] + 1.0
    assert "beyond about 50 °C" in rub.text.value and "⚠" in rub.text.value
    assert rub.message.value == ""


def test_beyond_the_model_no_absurd_temperature_is_printed(rub):
    # q = 0.5 · 0.6 · (100 N / 1 cm²) · 0.5 m/s = 150 000 W/m²: the linear model would give thousands of °C.
    rub.set_values(force_n=100, area_cm2=1, speed_cm_s=50, lubricant="lotion", duration_min=10)
    text = re.sub(r"<[^>]+>", "", rub.text.value)
    assert "no longer applies" in text
    temperatures = [float(t.replace(",", "")) for t in re.findall(r"([\d,]+(?:\.\d+)?) ?°C", text)]
    assert temperatures and max(temperatures) <= 50.0, text
    assert all(label.get_text() in (">50",) for label in rub.bar_labels[:2])  # dry and lotion bars are off scale


def test_temperature_changes_are_spoken_in_degrees_celsius(rub):
    text = re.sub(r"<[^>]+>", "", rub.text.value)
    q = _flux(20, 100, 20, 0.36)
    rise = float(_rise_perf(120, q))
    assert f"{rise:.1f} °C warmer" in text
    assert not re.search(r"\d K\b", text)


@pytest.mark.parametrize("cls, preset", [pytest.param(c, p, id=f"{c}-{p or 'start-up'}")
                                         for c in ("RubbingHeatExplorer", "KneadingWashoutExplorer")
                                         for p in [None, *getattr(cu, c).presets]])
def test_no_clipped_or_overlapping_text(new_explorer, cls, preset):
    explorer = new_explorer(getattr(cu, cls))
    if preset is not None:
        explorer.apply_preset(preset)
    assert explorer.last_error is None
    assert text_problems(explorer.fig) == []


@pytest.mark.parametrize("preset", list(cu.RubbingHeatExplorer.presets))
def test_each_rubbing_preset_sets_controls_and_changes_plot(rub, preset):
    target = cu.RubbingHeatExplorer.presets[preset]
    rub.set_values(force_n=77, area_cm2=33, speed_cm_s=7, duration_min=7.7, lubricant="lotion")
    before = _rub_state(rub)
    rub.preset_buttons[preset].click()
    assert rub.values == {k: (v if isinstance(v, str) else float(v)) for k, v in target.items()}
    after = _rub_state(rub)
    assert not np.allclose(before[0], after[0])
    assert after[3] != before[3]
    mu = {"dry": 0.36, "lotion": 0.6, "oil": 0.1}[target["lubricant"]]
    q = _flux(target["force_n"], target["area_cm2"], target["speed_cm_s"], mu)
    expected = np.minimum(BASELINE + _rise_perf(_t_s(rub), q), rub.axes[0].get_ylim()[1] + 1.0)
    np.testing.assert_allclose(after[0], expected, rtol=1e-9)


def test_palm_presets_teach_the_lubricant_order(rub):
    ends = {}
    for name in ("Brisk dry palm rub", "Oiled palm rub", "Palm rub with lotion"):
        rub.apply_preset(name)
        ends[name] = rub.end_marker.get_offsets()[0, 1]
    assert ends["Oiled palm rub"] < ends["Brisk dry palm rub"] < ends["Palm rub with lotion"]


def test_rubbing_reset_restores_startup(rub):
    before = _rub_state(rub)
    rub.set_values(force_n=90, lubricant="oil", duration_min=9)
    assert rub.text.value != before[3]
    rub.reset_button.click()
    assert rub.values == RUB_START
    after = _rub_state(rub)
    assert after[3] == before[3]
    for a, b in zip(before[:3], after[:3], strict=True):
        np.testing.assert_array_equal(a, b)


def test_rubbing_out_of_range_is_clamped(rub):
    rub.set_values(force_n=1e6, area_cm2=0)
    assert rub.values["force_n"] == 100 and rub.values["area_cm2"] == 1
    assert rub.message.value == ""


# ============================================================================================ kneading (notebook 05)
# science.md §9 (Wiltshire 2010): forearm flow passive rest 766, active 614, massage 540 mL/min; lactate efflux
# 20.5 (rest) vs 14.7 mmol (massage). Model (ours): k = E·Q/V with E = 0.1, V = 1000 mL.

def _k(flow):
    return 0.1 * flow / 1000.0


def _left_pct(flow, t):
    return 100.0 * np.exp(-_k(flow) * np.asarray(t, dtype=float))


def _measured_state(ex):
    return ([line.get_ydata().copy() for line in (ex.rest_line, ex.massage_line)],
            [b.get_width() for b in ex.measured_bars],
            [t.get_text() for t in ex.measured_labels], ex.word_notes.get_text())


def test_kneading_startup_is_the_flush_story(knead):
    assert knead.values == {"flow_change_pct": 50.0, "time_min": 15.0}
    t = knead.story_line.get_xdata()
    np.testing.assert_allclose(knead.story_line.get_ydata(), _left_pct(766 * 1.5, t), rtol=1e-9)
    np.testing.assert_allclose(knead.rest_line.get_ydata(), _left_pct(766, t), rtol=1e-9)
    np.testing.assert_allclose(knead.massage_line.get_ydata(), _left_pct(540, t), rtol=1e-9)
    assert knead.story_bar.get_width() == pytest.approx(150.0)
    assert f"{math.log(2) / _k(766 * 1.5):.1f} min" in knead.text.value
    assert "faster" in knead.text.value
    assert knead.message.value == ""


def test_measured_data_are_the_published_numbers(knead):
    _, widths, labels, words = _measured_state(knead)
    assert widths == pytest.approx([100 * 540 / 766, 100 * 14.7 / 20.5])
    assert labels == ["540 vs 766 mL/min", "14.7 vs 20.5 mmol"]
    for study in ("Martin et al. 1998", "Hemmings et al. 2000", "Crane et al. 2012"):
        assert study in words
    assert "Wiltshire" not in words                                 # the study with numbers is drawn, not worded


def test_flow_up_washes_out_faster_and_flow_down_slower(knead):
    t = knead.story_line.get_xdata()
    rest = _left_pct(766, t)
    measured0 = _measured_state(knead)
    knead.controls_by_name["flow_change_pct"].value = 50
    up, text_up = knead.story_line.get_ydata().copy(), knead.text.value
    knead.controls_by_name["flow_change_pct"].value = -30
    down, text_down = knead.story_line.get_ydata().copy(), knead.text.value
    assert np.all(up[1:] < rest[1:]) and np.all(down[1:] > rest[1:])
    np.testing.assert_allclose(down, _left_pct(766 * 0.7, t), rtol=1e-9)
    assert "faster" in text_up and "more slowly" in text_down
    assert f"{math.log(2) / _k(766 * 0.7):.1f} min" in text_down
    assert knead.story_bar.get_width() == pytest.approx(70.0)
    measured1 = _measured_state(knead)                                # the measured data do not move
    for a, b in zip(measured0[0], measured1[0], strict=True):
        np.testing.assert_array_equal(a, b)
    assert measured0[1:] == measured1[1:]


def test_time_slider_moves_the_dots_to_the_curves(knead):
    knead.controls_by_name["time_min"].value = 30
    dots = knead.time_dots.get_offsets()
    np.testing.assert_allclose(dots[:, 0], 30.0)
    np.testing.assert_allclose(dots[:, 1], [_left_pct(766, 30), _left_pct(540, 30), _left_pct(766 * 1.5, 30)],
                               rtol=1e-9)
    assert "after 30 min" in knead.text.value
    assert f"{float(_left_pct(766 * 1.5, 30)):.0f} %" in knead.text.value


@pytest.mark.parametrize("preset", list(cu.KneadingWashoutExplorer.presets))
def test_each_kneading_preset_sets_flow_and_changes_plot(knead, preset):
    target = cu.KneadingWashoutExplorer.presets[preset]
    knead.set_values(flow_change_pct=200, time_min=15)
    before = (knead.story_line.get_ydata().copy(), knead.text.value)
    knead.preset_buttons[preset].click()
    assert knead.values["flow_change_pct"] == float(target["flow_change_pct"])
    after = knead.story_line.get_ydata()
    assert not np.allclose(before[0], after)
    assert knead.text.value != before[1]
    flow = 766 * (1 + target["flow_change_pct"] / 100)
    np.testing.assert_allclose(after, _left_pct(flow, knead.story_line.get_xdata()), rtol=1e-9)


def test_kneading_presets_are_what_they_say():
    presets = cu.KneadingWashoutExplorer.presets
    assert presets["Flush story (+50 %)"]["flow_change_pct"] == 50
    assert presets["No change (arm and leg flow, Shoemaker 1997)"]["flow_change_pct"] == 0
    assert presets["As measured (Wiltshire 2010)"]["flow_change_pct"] == pytest.approx(100 * (540 / 766 - 1), abs=2.5)


def test_kneading_reset_restores_startup(knead):
    before = (knead.story_line.get_ydata().copy(), knead.text.value)
    knead.set_values(flow_change_pct=-80, time_min=50)
    knead.reset_button.click()
    assert knead.values == {"flow_change_pct": 50.0, "time_min": 15.0}
    np.testing.assert_array_equal(knead.story_line.get_ydata(), before[0])
    assert knead.text.value == before[1]


def test_kneading_extremes_stay_on_the_fixed_axes(knead):
    ax, ax_bar, _ = knead.axes
    limits = (ax.get_xlim(), ax.get_ylim(), ax_bar.get_xlim())
    for change in (-90, 300):
        knead.controls_by_name["flow_change_pct"].value = change
        assert (ax.get_xlim(), ax.get_ylim(), ax_bar.get_xlim()) == limits
        assert 0 < knead.story_bar.get_width() < ax_bar.get_xlim()[1]
        assert np.all(knead.story_line.get_ydata() <= 100.0 + 1e-9)
        assert knead.message.value == ""


def test_measured_data_is_an_html_table():
    # Wiltshire 2010's abstract: flow 30 s after handgrip 766 / 614 / 540 mL/min; 10-min totals 4203 / 3178 mL;
    # 10-min lactate efflux 20.5 / 15.4 / 14.7 mmol.
    table = cu.measured_data_table()._repr_html_()
    assert table.startswith("<table") and table.count("<tr>") == 1 + 7  # header + one row per finding
    for number in ("766&nbsp;mL/min", "614&nbsp;mL/min", "540&nbsp;mL/min", "4203&nbsp;mL<", "3178&nbsp;mL<",
                   "20.5&nbsp;mmol", "15.4&nbsp;mmol", "14.7&nbsp;mmol"):
        assert number in table
    # Martin 1998, the 1993 study, Hemmings 2000, Crane 2012: no made-up numbers
    assert table.count("reported in words only") == 4
    assert 'href="#ref-massage_lactate1993"' in table
    assert 'href="#ref-wiltshire2010"' in table and 'href="#ref-martin1998"' in table
    one = cu.measured_data_table("martin1998")._repr_html_()
    assert one.count("<tr>") == 2 and "Martin" in one
    with pytest.raises(ValueError, match="study"):
        cu.measured_data_table("nobody2020")
