"""The vibration explorers of notebooks 06 and 07, driven through their real controls (Agg backend)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import course_utils as cu
from course_utils.explorers.vibration import _verdict_html, tone
from tests.textcheck import text_problems


def _close(ex):
    plt.close(ex.fig)


@pytest.fixture
def vib(new_explorer):
    return new_explorer(cu.VibrationExplorer)


def _panels(ex):
    """Copies of the data every panel draws, and the waveform's readout."""
    return {
        "waveform": (ex.disp_line.get_ydata().copy(), ex.acc_line.get_ydata().copy(), ex.wave_text.get_text()),
        "nervous": (ex.tvr_line.get_ydata().copy(), ex.phasic_line.get_ydata().copy(),
                    ex.net_line.get_ydata().copy(), ex.net_dot.get_offsets().copy(),
                    ex.dur_lines[0].get_xdata()[0]),
        "vessels": (ex.flow_line.get_ydata().copy(), ex.flow_dot.get_offsets().copy(),
                    ex.dur_lines[1].get_xdata()[0]),
        "pain": (ex.relief_line.get_ydata().copy(), ex.gate_line.get_ydata().copy(),
                 ex.relief_dot.get_offsets().copy(), ex.dur_lines[2].get_xdata()[0]),
    }


def _same(a, b) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return a.shape == b.shape and np.allclose(a, b, equal_nan=True)
    return a == b


def _plain(html: str) -> str:
    return html.replace("<b>", "").replace("</b>", "").replace("<i>", "").replace("</i>", "").lower()


def _all_text(ex) -> str:
    """The verdict line and its details (shown on demand), as plain lower-case text."""
    return _plain(ex.text.value + " " + ex.details.value)


# ------------------------------------------------------------------------------------------------ 07 explorer
def test_controls_units_and_ranges(vib):
    names = {c.name: c for c in vib.controls}
    assert (names["frequency_hz"].low, names["frequency_hz"].high, names["frequency_hz"].log) == (1, 300, True)
    assert (names["amplitude_mm"].low, names["amplitude_mm"].high, names["amplitude_mm"].log) == (0.01, 10, True)
    assert (names["force_n"].low, names["force_n"].high) == (1, 100)
    assert (names["duration_min"].low, names["duration_min"].high) == (0, 45)
    assert vib.controls_by_name["frequency_hz"].description == "Frequency (Hz)"
    assert names["site"].options == ("forearm", "finger") and names["site"].value == "forearm"
    assert len(vib.fig.axes) == 4


@pytest.mark.parametrize("preset", list(cu.VibrationExplorer.presets))
def test_each_preset_changes_every_panel_and_the_verdict(vib, preset):
    before, text_before = _panels(vib), vib.text.value
    vib.apply_preset(preset)
    after = _panels(vib)
    assert vib.last_error is None
    for panel in before:
        assert not _same(before[panel], after[panel]), f"{preset}: panel {panel!r} did not change"
    assert vib.text.value != text_before


def _verdict_for(vib, preset):
    vib.apply_preset(preset)
    return _plain(vib.text.value)


def test_pain_relief_preset_says_pain_relief_and_inhibition(vib):
    text = _verdict_for(vib, "Pain relief")
    assert "pain relief" in text and "net inhibition" in text
    # relief builds over the session: the end of the curve lies well above its start (slow component)
    start = vib.relief_line.get_ydata()[0]
    at_end = vib.relief_dot.get_offsets()[0, 1]
    assert at_end > start + 20


def test_power_tool_preset_says_finger_constriction(vib):
    text = _verdict_for(vib, "Power tool")
    assert "finger constriction" in text and "dilation" not in text
    assert vib.flow_dot.get_offsets()[0, 1] < 0.9
    assert vib.site_text.get_text() == "finger"


def test_power_tool_amplitude_is_87_m_s2_rms_at_125_hz_as_a_peak():
    # Bovenzi & Griffin 1997: 87 m/s² r.m.s. (unweighted) at 125 Hz; a sine's peak is √2 × r.m.s., and the explorer
    # takes the peak displacement A = a_peak / (2πf)².
    preset = cu.VibrationExplorer.presets["Power tool"]
    assert preset["frequency_hz"] == 125 and preset["site"] == "finger" and preset["duration_min"] == 30
    a_peak = math.sqrt(2.0) * 87.0
    amplitude_mm = a_peak / (2.0 * math.pi * 125.0) ** 2 * 1000.0
    assert round(amplitude_mm, 2) == preset["amplitude_mm"] == 0.2
    assert preset["amplitude_mm"] == pytest.approx(amplitude_mm, rel=0.01)


def test_site_choice_moves_only_the_blood_flow_panel(vib):
    vib.set_values(frequency_hz=31.5 if 31.5 in vib.controls_by_name["frequency_hz"].options else 30,
                   amplitude_mm=0.8, duration_min=30)
    before = _panels(vib)
    forearm = vib.flow_dot.get_offsets()[0, 1]
    vib.controls_by_name["site"].value = "finger"
    after = _panels(vib)
    finger = vib.flow_dot.get_offsets()[0, 1]
    assert forearm > 1.1 and finger < 1.0  # ~30 Hz: forearm skin widens, finger vessels narrow (Bovenzi 1997)
    for panel in before:
        assert _same(before[panel], after[panel]) == (panel != "vessels"), panel
    assert "finger constriction" in _plain(vib.text.value)


def test_stimulating_and_tendon_presets_say_excitation(vib):
    for preset in ("Short and strong", "Tendon reflex"):
        text = _verdict_for(vib, preset)
        assert "net excitation" in text, preset
        assert vib.net_dot.get_offsets()[0, 1] > 0


def test_tendon_preset_says_the_reflex_is_depressed_not_restored(vib):
    _verdict_for(vib, "Tendon reflex")
    text = _all_text(vib)
    assert "depressed" in text and "not restored" in text
    assert vib.phasic_line.get_ydata()[-1] < 1.0  # the phasic reflex falls below its pre-vibration level


def test_gentle_and_long_dilates_and_inhibits(vib):
    text = _verdict_for(vib, "Gentle and long")
    assert "forearm skin dilation" in text and "net inhibition" in text
    assert vib.flow_dot.get_offsets()[0, 1] > 1.1


def test_duration_is_the_switch_from_excitation_to_inhibition(vib):
    vib.set_values(frequency_hz=100, amplitude_mm=1.5, force_n=30, duration_min=1)
    assert "net excitation" in _plain(vib.text.value)
    vib.controls_by_name["duration_min"].value = 30
    assert "net inhibition" in _plain(vib.text.value)


def test_125_hz_constricts_the_finger_more_than_30_hz_at_similar_acceleration(vib):
    flows, accs = {}, {}
    for f, a_mm in ((30, 1.2), (125, 0.08)):  # on the sliders' grids; about 43 and 49 m/s² peak
        vib.set_values(frequency_hz=f, amplitude_mm=a_mm, duration_min=30, site="finger")
        flows[f] = vib.flow_dot.get_offsets()[0, 1]
        accs[f] = (2 * math.pi * vib.values["frequency_hz"]) ** 2 * vib.values["amplitude_mm"] / 1000
    assert accs[125] == pytest.approx(accs[30], rel=0.2)
    assert flows[125] < flows[30] < 1.0  # Bovenzi & Griffin 1997


@pytest.mark.parametrize("control,value,panels", [
    ("frequency_hz", 200, ["waveform", "nervous", "vessels", "pain"]),
    ("amplitude_mm", 3.0, ["waveform", "nervous", "vessels", "pain"]),
    ("duration_min", 30, ["nervous", "vessels", "pain"]),
    ("force_n", 80, ["pain"]),
    ("site", "finger", ["vessels"]),
])
def test_each_control_moves_the_panels_the_models_say_it_should(vib, control, value, panels):
    before = _panels(vib)
    vib.controls_by_name[control].value = value
    after = _panels(vib)
    for panel in before:
        changed = not _same(before[panel], after[panel])
        assert changed == (panel in panels), f"{control}: panel {panel!r} changed={changed}"


def test_text_says_why_force_cannot_move_nerve_and_vessel_panels(vib):
    assert "force moves only the pain panel" in _all_text(vib)


def test_verdict_is_short_and_names_the_evidence_and_the_illustrative_switch(vib):
    for preset in vib.presets:
        vib.apply_preset(preset)
        text = _plain(vib.text.value)
        assert "switch time illustrative" in text
        for words in cu.vibration_session(**vib.values).evidence:
            assert words[1] in text
        visible = re.sub(r"<[^>]+>", "", text)
        assert len(visible) < 320, preset  # two lines of verdict and two small lines of evidence at 1280 × 900
        assert "illustrative" in _all_text(vib)


def test_extreme_settings_warn_in_the_text_line(vib):
    assert "physically extreme" not in _plain(vib.text.value)
    vib.set_values(frequency_hz=300, amplitude_mm=10)
    corner = (2 * math.pi * 300) ** 2 * 0.010  # m/s², ≈ 35 500
    assert "physically extreme" in _plain(vib.text.value) and f"{corner:,.0f} m/s²" in _plain(vib.text.value)
    for preset in vib.presets:
        vib.apply_preset(preset)
        assert "physically extreme" not in _plain(vib.text.value), preset
    # above the ≈ 890 m/s² free-air upper estimate for massage guns (53 Hz, 8 mm peak; science.md §6) it warns
    vib.set_values(frequency_hz=100, amplitude_mm=3)  # (2π·100)²·0.003 m ≈ 1 184 m/s²
    assert "physically extreme" in _plain(vib.text.value)
    vib.set_values(frequency_hz=50, amplitude_mm=8)  # (2π·50)²·0.008 m ≈ 790 m/s²: a massage gun's range
    assert "physically extreme" not in _plain(vib.text.value)


def test_explorer_draws_exactly_what_vibration_session_returns(vib):
    vib.apply_preset("Power tool")
    s = cu.vibration_session(**vib.values)
    assert np.allclose(vib.flow_line.get_ydata(), s.blood_flow[s.during])
    assert np.allclose(vib.net_line.get_ydata(), s.net_index[s.during])
    assert np.allclose(vib.relief_line.get_ydata(), s.relief_pct)
    assert vib.net_dot.get_offsets()[0, 1] == pytest.approx(s.net_index_end)
    assert vib.relief_dot.get_offsets()[0, 1] == pytest.approx(s.relief_end_pct)
    assert vib.drive_line.get_ydata()[0] == pytest.approx(s.tvr_drive)


def test_details_on_demand_sit_under_the_text_line(vib):
    box = vib.widget()
    children = list(box.children)
    assert children.index(vib.details_box) == children.index(vib.text) + 1
    assert vib.details_box.selected_index is None  # closed until the learner opens it
    before = vib.details.value
    vib.controls_by_name["duration_min"].value = 30
    assert vib.details.value != before


def test_verdict_helper_checks_its_argument():
    with pytest.raises(TypeError, match="VibrationSession"):
        _verdict_html({"duration_min": 10})


def test_waveform_matches_the_sine_and_its_acceleration(vib):
    vib.set_values(frequency_hz=40, amplitude_mm=2.0)
    t_ms = vib.disp_line.get_xdata()
    assert np.allclose(vib.disp_line.get_ydata(), np.sin(2 * math.pi * 40 * t_ms / 1000), atol=1e-9)
    assert np.allclose(vib.acc_line.get_ydata(), -np.sin(2 * math.pi * 40 * t_ms / 1000), atol=1e-9)
    peak = (2 * math.pi * 40) ** 2 * 0.002  # (2πf)²A, written out
    assert f"{peak:.3g}" in vib.wave_text.get_text()


def test_pressing_very_hard_gives_more_pain_in_the_model(vib):
    vib.set_values(frequency_hz=5, amplitude_mm=0.01, force_n=100, duration_min=20)
    assert "more pain" in _plain(vib.text.value)
    assert vib.relief_dot.get_offsets()[0, 1] < 0


def test_more_pain_verdict_still_shows_the_3_hour_value(vib):
    # notebook 07 Try this 3 asks what is left 3 hours later at 100 N
    vib.set_values(frequency_hz=100, amplitude_mm=1.0, force_n=100, duration_min=30)
    s = cu.vibration_session(**vib.values)
    assert s.pain_verdict == "more pain"
    assert f"more pain ({-s.relief_end_pct:.0f}% worse); {s.relief_later_pct:.0f}% relief after 3 h" in (
        _plain(vib.text.value))


def test_duration_zero_says_nothing_happened_yet(vib):
    vib.controls_by_name["duration_min"].value = 0
    assert "nothing has happened yet" in _plain(vib.text.value)
    assert "net excitation" not in _plain(vib.text.value) and "net inhibition" not in _plain(vib.text.value)
    assert vib.last_error is None


def test_axis_limits_hold_the_data_over_the_whole_control_range(vib):
    limits = [ax.get_ylim() for ax in vib.fig.axes]
    for f in (1, 300):
        for a in (0.01, 10):
            for force in (1, 100):
                for site in ("forearm", "finger"):
                    vib.set_values(frequency_hz=f, amplitude_mm=a, force_n=force, duration_min=45, site=site)
                    assert [ax.get_ylim() for ax in vib.fig.axes] == limits
                    for line, ax in [(vib.net_line, "nervous"), (vib.tvr_line, "nervous"),
                                     (vib.flow_line, "vessels"), (vib.relief_line, "pain"),
                                     (vib.phasic_line, "nervous")]:
                        lo, hi = vib.axes[ax].get_ylim()
                        y = np.asarray(line.get_ydata())
                        assert y.min() >= lo and y.max() <= hi, (f, a, force, site, line.get_label())


def test_reset_restores_the_start(vib):
    start = _panels(vib), vib.text.value
    vib.apply_preset("Power tool")
    vib.reset()
    assert _same(_panels(vib), start[0]) and vib.text.value == start[1]


def test_update_is_fast_enough_on_the_kernel_side(vib):
    times = []
    for f in np.geomspace(1, 300, 15):
        vib.controls_by_name["frequency_hz"].value = float(f)
        times.append(vib.last_update_ms)
    assert np.median(times) < 100  # generous: the benchmark holds the real target (30 ms)


# ------------------------------------------------------------------------------------------------ 06 explorers
def test_waveform_explorer_point_and_numbers():
    ex = cu.WaveformExplorer()
    try:
        ex.set_values(frequency_hz=100, amplitude_mm=1.0)
        f, acc = ex.point.get_offsets()[0]
        assert f == pytest.approx(100)
        assert acc == pytest.approx((2 * math.pi * 100) ** 2 * 0.001)  # ≈ 394.8 m/s²
        g = acc / 9.80665
        assert f"{g:.3g} g" in _plain(ex.text.value)
        before = ex.text.value
        ex.controls_by_name["frequency_hz"].value = 200  # double f → four times the acceleration
        assert ex.point.get_offsets()[0, 1] == pytest.approx(4 * acc)
        assert ex.text.value != before
        assert "r.m.s." in _plain(ex.text.value)
    finally:
        _close(ex)


def test_waveform_sound_only_where_audible():
    ex = cu.WaveformExplorer()
    try:
        ex.controls_by_name["frequency_hz"].value = 5
        assert isinstance(ex.sound(), str) and "below" in ex.sound()
        ex.controls_by_name["frequency_hz"].value = 100
        audio = ex.sound()
        assert type(audio).__name__ == "Audio"
    finally:
        _close(ex)
    assert type(tone(440, seconds=0.5)).__name__ == "Audio"
    with pytest.raises(ValueError):
        tone(440, seconds=10)


def test_tissue_explorer_resonance_and_filtering():
    ex = cu.TissueResponseExplorer()
    try:
        ex.set_values(frequency_hz=20, natural_hz=20, damping=0.1)
        peak_low_damping = ex.point.get_offsets()[0, 1]
        assert peak_low_damping == pytest.approx(math.sqrt(1 + 0.04) / 0.2, rel=1e-6)  # sqrt(1+(2ζ)²)/(2ζ) at r=1
        assert "more" in _plain(ex.text.value)
        ex.controls_by_name["damping"].value = 0.5
        assert ex.point.get_offsets()[0, 1] < peak_low_damping
        ex.controls_by_name["frequency_hz"].value = 150
        assert ex.point.get_offsets()[0, 1] < 1 and "less" in _plain(ex.text.value)
        ex.controls_by_name["natural_hz"].value = 50
        assert ex.fn_line.get_xdata()[0] == pytest.approx(50)
    finally:
        _close(ex)


def test_receptor_explorer_levels_and_spindle_following():
    ex = cu.ReceptorChannelsExplorer()
    try:
        ex.set_values(frequency_hz=250, amplitude_mm=0.01)
        assert ex.point.get_offsets()[0, 1] == pytest.approx(20.0)  # 10 µm = 20 dB re 1 µm
        assert "P" in ex.levels.get_text()
        text = _plain(ex.text.value)
        # 0.01 mm is far below the 0.2–0.5 mm at which Roll et al. saw endings follow: no spindle claim at all
        assert "every" not in text.split("tendon vibration at this size")[1] and "does not apply" in text
        ex.controls_by_name["amplitude_mm"].value = 0.5
        text = _plain(ex.text.value)
        assert "every 4th cycle" in text  # 250 Hz on an ending that follows 1:1 up to 80 Hz: ceil(250/80) = 4
        assert "extrapolation" in text  # Roll saw only every 2nd or 3rd cycle
        assert "spikes" not in text and "1:1" not in text  # plain words for the learner
        ex.controls_by_name["frequency_hz"].value = 200
        assert "every 3rd cycle" in _plain(ex.text.value) and "extrapolation" not in _plain(ex.text.value)
        ex.controls_by_name["frequency_hz"].value = 50
        assert "once per cycle" in _plain(ex.text.value)
        rates = ex.spindle_points.get_offsets()[:, 1]
        assert rates == pytest.approx([50, 50])
        before = ex.levels.get_text()
        ex.controls_by_name["amplitude_mm"].value = 1.0
        assert ex.levels.get_text() != before
    finally:
        _close(ex)


def test_faint_buzz_answer_in_06_matches_the_channel_and_level_on_screen():
    """06 Try this 1 asks which channel feels the faint buzz most and by how many dB: the screen must say both."""
    from course_utils.models import receptors
    ex = cu.ReceptorChannelsExplorer()
    try:
        ex.preset_buttons["Faint buzz (250 Hz, 0.01 mm)"].click()
        text = re.sub(r"<[^>]+>", "", ex.text.value)
        above = receptors.db_above_threshold(0.01, 250)
        most = max(above, key=above.get)
        shown = f"most: {most}, {above[most]:.0f} dB above its threshold"
        assert shown in text
        felt = [ch for ch in receptors.CHANNELS if above[ch] > 0]
        assert len(felt) > 1 and f"above the threshold of {', '.join(felt)}" in text   # more than one channel
        nb = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / "06_vibration_physics.ipynb")
                        .read_text(encoding="utf-8"))
        cells = re.sub(r"\s+", " ", " ".join("".join(c["source"]) for c in nb["cells"]))
        assert "Which channel feels it most, and by how many dB above its threshold?" in cells
        assert f"*{shown}*" in cells and f"about {above[most]:.0f} dB above its threshold" in cells
    finally:
        _close(ex)


@pytest.mark.parametrize("cls", [cu.WaveformExplorer, cu.TissueResponseExplorer, cu.ReceptorChannelsExplorer])
def test_06_presets_run_and_change_the_text(cls):
    ex = cls()
    try:
        texts = {ex.text.value}
        for name in ex.presets:
            ex.apply_preset(name)
            assert ex.last_error is None
            texts.add(ex.text.value)
        assert len(texts) == len(ex.presets) + 1
    finally:
        _close(ex)


@pytest.mark.parametrize("cls", [cu.VibrationExplorer, cu.WaveformExplorer, cu.TissueResponseExplorer,
                                 cu.ReceptorChannelsExplorer])
def test_log_slider_at_its_top_end_is_not_an_error(cls):
    # FloatLogSlider reports 10**log10(high), which can exceed `high` by one binary digit: found in the browser
    ex = cls()
    try:
        for spec in ex.controls:
            if not isinstance(spec, cu.Slider):
                continue
            ex.controls_by_name[spec.name].value = float(10 ** math.log10(spec.high)) * (1 + 1e-15)
            assert ex.last_error is None, ex.last_error
    finally:
        _close(ex)


# ------------------------------------------------------------------------------------------------ readable figures
@pytest.mark.parametrize("cls", [cu.VibrationExplorer, cu.WaveformExplorer, cu.TissueResponseExplorer,
                                 cu.ReceptorChannelsExplorer])
@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_no_clipped_or_overlapping_text_at_start_up_and_every_preset(cls, projector, new_explorer):
    cu.use_course_style(projector=projector)
    ex = new_explorer(cls)
    problems = [f"start-up: {p}" for p in text_problems(ex.fig)]
    for preset in cls.presets:
        ex.apply_preset(preset)
        assert ex.last_error is None, ex.last_error
        problems += [f"{preset}: {p}" for p in text_problems(ex.fig)]
    if cls is cu.VibrationExplorer:  # and at the extreme corner, where the waveform note is longest
        ex.set_values(frequency_hz=300, amplitude_mm=10, site="finger")
        problems += [f"corner: {p}" for p in text_problems(ex.fig)]
    assert not problems, f"{cls.__name__}: {problems}"


def test_one_update_checks_each_setting_once(vib, monkeypatch):
    # Issue 7 item 9: a slider tick climbed into validation 49 times (frequency 8 times); now once per argument.
    import course_utils.models.session as session_module

    calls = []
    for fn in ("check_number", "check_choice"):
        real = getattr(session_module, fn)
        monkeypatch.setattr(session_module, fn,
                            lambda name, *a, _real=real, **k: calls.append(name) or _real(name, *a, **k))
    vib.update(vib.values)
    assert sorted(calls) == sorted(["frequency_hz", "amplitude_mm", "force_n", "duration_min", "site"])
