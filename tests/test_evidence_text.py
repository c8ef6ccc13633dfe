"""The evidence as the sources state it, in the models' text, the explorers and the notebooks alike (issue 15, 6).

Each test reads the course's own words and checks them against the source's numbers (recomputed here with the
course's functions and the closed forms the notebooks teach) or against what the source did and did not measure.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

import course_utils as cu
from course_utils.explorers.vibration import VibrationExplorer, _verdict_html
from course_utils.models import bloodflow, nervous, pain, session, tissue

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _markdown(name: str) -> str:
    nb = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def _cells(name: str) -> str:
    nb = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", "\n\n".join("".join(c["source"]) for c in nb["cells"]))


def _details(**settings) -> str:
    s = session.vibration_session(**settings)
    short, details = _verdict_html(s)
    return re.sub(r"<[^>]+>", "", short + " " + details)


VIBRATION_TEXTS = {
    "bloodflow.py": " ".join([bloodflow.__doc__, bloodflow.skin_blood_flow.__doc__]),
    "explorer details": _details(frequency_hz=40, amplitude_mm=5, force_n=40, duration_min=5, site="forearm"),
    "notebook 06": _cells("06_vibration_physics.ipynb"),
    "notebook 07": _cells("07_vibration_effects.ipynb"),
    "notebook 10": _cells("10_review.ipynb"),
}


# ------------------------------------------------------------------------------------------------ the forearm
@pytest.mark.parametrize("where", list(VIBRATION_TEXTS))
def test_the_dilating_forearm_exposure_is_never_called_moderate(where):
    # "moderate pressure" is Lundeberg's (pain); a moderate VIBRATION is what the forearm study did not use
    assert not re.search(r"moderate\s+(\d|vibration|intensit)", re.sub(r"\s+", " ", VIBRATION_TEXTS[where]), re.I)


def test_by_acceleration_the_forearm_exposure_was_the_strong_one():
    """Maloney-Hinds 2008: 30 or 50 Hz at 5–6 mm. Even read as peak-to-peak, it beats Bovenzi's 22 m/s² r.m.s."""
    low = cu.peak_acceleration_m_s2(30, 2.5)     # 5 mm peak-to-peak at 30 Hz
    high = cu.peak_acceleration_m_s2(50, 3.0)    # 6 mm peak-to-peak at 50 Hz
    assert low == pytest.approx((2 * math.pi * 30) ** 2 * 0.0025)
    finger_peak = math.sqrt(2) * 22              # Bovenzi & Griffin's exposure that lowered finger flow
    assert low > 2.5 * finger_peak
    text = _cells("07_vibration_effects.ipynb")
    claimed = re.search(r"about (\d+)–(\d+) m/s² at its peak at 30 Hz and (\d+)–(\d+) m/s² at 50 Hz", text)
    assert claimed, "notebook 07 should give the forearm platform's acceleration"
    lo30, hi30, lo50, hi50 = map(float, claimed.groups())
    assert lo30 == pytest.approx(low, rel=0.02) and hi30 == pytest.approx(cu.peak_acceleration_m_s2(30, 3.0), rel=0.04)
    assert lo50 == pytest.approx(cu.peak_acceleration_m_s2(50, 2.5), rel=0.02) and hi50 == pytest.approx(high, rel=0.02)
    assert "31 m/s² peak (22 m/s² r.m.s.)" in text and round(finger_peak) == 31


@pytest.mark.parametrize("where", ["bloodflow.py", "explorer details", "notebook 07", "notebook 10"])
def test_site_not_intensity_is_taught_as_the_documented_difference(where):
    text = re.sub(r"\s+", " ", VIBRATION_TEXTS[where])
    assert re.search(r"site, not (the |a gentler )?intensity", text, re.I), where


def test_the_model_itself_needs_no_gentle_vibration_for_the_forearm_to_dilate():
    # at the platform's strong setting (50 Hz, 2.5 mm peak: about 250 m/s²) the forearm still dilates
    assert cu.vasomotor_verdict(50, 2.5, 10, site="forearm") == "dilation"
    assert cu.vasomotor_verdict(50, 2.5, 10, site="finger") == "constriction"


def test_egan_measured_finger_flow_during_vibration_and_the_course_says_so():
    text = _cells("07_vibration_effects.ipynb")
    sentence = text[text.index("Egan's group measured"):][:200]
    assert "*during*" in sentence
    assert "Those finger studies measured just *after*" not in text
    assert "DURING" in bloodflow.__doc__ and "egan1996" in bloodflow.__doc__
    assert "during vibration and after it" in VIBRATION_TEXTS["explorer details"]


# ------------------------------------------------------------------------------------------------ calm
CALMING_FOR_REFLEXES = ["exciting to calming", "long exposure calms", "long sessions calm", "calming side",
                        "Gentle calming", "− calms", "exciting and calming the nervous", "always calms",
                        "small vibration calms"]


@pytest.mark.parametrize("where", ["explorer details", "notebook 07", "notebook 10"])
def test_calming_is_not_used_for_reflex_depression(where):
    found = [p for p in CALMING_FOR_REFLEXES if p in VIBRATION_TEXTS[where]]
    assert not found, f"{where}: {found}"


def test_the_long_gentle_preset_is_named_for_its_settings_not_for_calm():
    assert "Gentle and long" in VibrationExplorer.presets
    assert not [name for name in VibrationExplorer.presets if "calm" in name.lower()]
    assert "calming, which reflex depression alone does not show" in re.sub(r"\s+", " ", _nervous_constant_doc())


def _nervous_constant_doc() -> str:
    source = Path(nervous.__file__).read_text(encoding="utf-8")
    start = source.index("DEPRESSION_AMPLITUDE_EXPONENT =")
    return source[start:start + 400]


# ------------------------------------------------------------------------------------------------ pain trials
def test_the_small_controlled_pain_trials_stand_beside_the_case_series():
    text = _markdown("07_vibration_effects.ipynb")
    box = text[text.index("**Evidence box · C24**"):].split("\n\n", 1)[0]
    assert "#ref-guieu1991" in box and "#ref-ekblom1985" in box and "#ref-lundeberg1983" in box
    assert "24 chronic-pain patients" in box and "35-minute" in box and "100 Hz" in box
    assert "**Verdict: supported, low-quality evidence.**" in box
    guieu = cu.get_reference("guieu1991")
    assert guieu.year == 1991 and guieu.doi == "10.1017/s0317167100031541"
    assert "Tardy-Gervet" in guieu.authors and "Roll" in guieu.authors
    assert cu.get_reference("ekblom1985").doi == "10.1016/0304-3959(85)90100-9"
    assert "[guieu1991]" in pain.__doc__ and "[ekblom1985]" in pain.__doc__


# ------------------------------------------------------------------------------------------------ notebook 01
def test_at_equal_force_a_small_contact_gives_more_stress_at_every_depth():
    depth = np.geomspace(*tissue.DEPTH_RANGE_MM, 400)
    radii = np.linspace(*tissue.RADIUS_RANGE_MM, 25)
    for force in (1.0, 10.0, 100.0):
        stress = np.array([cu.stress_on_axis_kpa(force, a, depth) for a in radii])
        assert np.all(np.diff(stress, axis=0) < 0), "a larger contact gave more stress somewhere"


def test_01_first_try_this_answer_agrees_with_the_model():
    text = re.sub(r"\s+", " ", _markdown("01_how_massage_works.ipynb"))
    answer = text[text.index("1. Half of the surface pressure is left at"):][:900]
    half_small, half_large = (float(x) for x in re.findall(r"at (\d+\.\d) mm", answer)[:2])
    assert half_small == round(cu.depth_for_fraction_mm(5, 0.5), 1)
    assert half_large == round(cu.depth_for_fraction_mm(40, 0.5), 1)
    share_large, share_small = (float(x) for x in re.search(r"(\d+) % against (\d+) %", answer).groups())
    assert share_large == round(100 * float(cu.stress_fraction(40, 30)))
    assert share_small == round(100 * float(cu.stress_fraction(5, 30)))
    p_large, p_small = (float(x) for x in re.search(r"\((\d+) kPa against (\d+) kPa\)", answer).groups())
    assert p_large == round(cu.mean_pressure_kpa(10, 40)) and p_small == round(cu.mean_pressure_kpa(10, 5))
    s_small, s_large = (float(x) for x in re.search(r"about (\d+\.\d) kPa against (\d+\.\d) kPa", answer).groups())
    assert s_small == round(float(cu.stress_on_axis_kpa(10, 5, 30)), 1)
    assert s_large == round(float(cu.stress_on_axis_kpa(10, 40, 30)), 1)
    assert s_small > s_large, "the answer must not teach that the broad contact presses harder deep down"
    palm = float(re.search(r"gives about (\d+\.\d) kPa at the spindles", answer).group(1))
    assert palm == round(float(cu.stress_on_axis_kpa(60, 40, 30)), 1)


@pytest.mark.parametrize("name", ["01_how_massage_works.ipynb", "10_review.ipynb"])
def test_no_text_says_a_broad_contact_simply_reaches_deeper(name):
    text = re.sub(r"\s+", " ", _cells(name)).lower()
    for phrase in ("reaches the muscle spindles better", "a wide contact reaches deep", "broad contact reaches deeper",
                   "matters more than the force"):
        assert phrase not in text, f"{name}: {phrase!r}"


# ------------------------------------------------------------------------------------------------ references
def test_verrillo_1966_is_a_complete_reference():
    ref = cu.get_reference("verrillo1966")
    text = cu.format_reference(ref, style="text")
    assert ref.doi == "10.1037/h0023321"
    for part in ("Verrillo RT", "1966", "Vibrotactile thresholds for hairy skin", "J Exp Psychol", "72(1):47–50"):
        assert part in text, part


def test_01_explorer_text_line_gives_the_stress_at_the_spindles_the_first_try_this_asks_for(new_explorer):
    """01's first Try this asks which contact puts more stress 30 mm down: the screen must show it, in kPa."""
    explorer = new_explorer(cu.PressureDepthExplorer)
    explorer.preset_buttons["Fingertip"].click()                       # 10 N over a radius of 5 mm
    small = re.search(r"a stress of <b>(\d+\.\d) kPa</b>", explorer.text.value)
    explorer.controls_by_name["radius_mm"].value = 40                   # the Whole palm's size, same 10 N
    large = re.search(r"a stress of <b>(\d+\.\d) kPa</b>", explorer.text.value)
    assert small and large, "the text line should give the stress at the spindles"
    s_small, s_large = float(small.group(1)), float(large.group(1))
    assert s_small == round(float(cu.stress_on_axis_kpa(10, 5, 30)), 1)
    assert s_large == round(float(cu.stress_on_axis_kpa(10, 40, 30)), 1)
    assert s_small > s_large                                           # at equal force the fingertip presses harder
    answer = re.sub(r"\s+", " ", _markdown("01_how_massage_works.ipynb"))
    assert f"about {s_small:.1f} kPa against {s_large:.1f} kPa" in answer    # the answer matches the screen
    assert "the stress in kPa" in answer                                # the question says where to read it



# ------------------------------------------------------------------------------------------------ cold readers
def test_10_switch_explanation_agrees_with_07_that_depression_appears_within_a_minute():
    text = _cells("10_review.ipynb").replace('" "', "")    # join the quiz's implicitly concatenated strings
    assert "Studies that showed excitation used seconds to a minute or two" not in text
    start = text.index("The tonic reflex builds in seconds.")
    explanation = text[start:start + 400]
    assert "Reflex depression also appears within a minute" in explanation
    assert "no study measured when it happens" in explanation
    # 07 says the same: depression during vibration and after a single minute
    assert "after a single minute of it" in _cells("07_vibration_effects.ipynb")


def test_lundeberg_30_to_45_minutes_is_tied_to_the_longest_lasting_relief_not_to_most_patients():
    """science.md §3: 1983, ~70% had less pain; 30–45 min and 25–45 min (1984a) gave the longest-lasting relief."""
    text = _cells("07_vibration_effects.ipynb")
    for wrong in ("for 30–45 min relieved pain in most patients", "best at 50–150 Hz over 30–45 min",
                  "His 30–45 minutes", "lasted best"):
        assert wrong not in text, wrong
    text = re.sub(r"\s*>\s+", " ", text)                       # lines of a quoted box start with ">"
    assert "Lundeberg's 25–45 minutes ([Lundeberg 1984a](#ref-lundeberg1984a)) describe the sessions after which " \
           "relief *lasted* longest" in text
    assert text.count("sessions of 30–45 min went with the longest-lasting relief") >= 3   # §4, box C24, §5


def test_the_forearm_platform_amplitude_is_not_claimed_to_be_a_peak_or_peak_to_peak():
    text = _cells("07_vibration_effects.ipynb")
    sentence = text[text.index("Maloney-Hinds and colleagues rested the forearm"):][:600]
    assert "does not say whether that is the peak or the [peak-to-peak](glossary.ipynb#g-peak) value" in sentence
    assert "Even taking the smaller reading (a peak of 2.5–3 mm)" in sentence
    glossary = _cells("glossary.ipynb")
    assert '<a id="g-peak"></a>' in glossary and "*Peak-to-peak* is the distance from one extreme to the other" \
        in glossary


def test_leg_skin_is_not_said_to_widen_at_30_to_50_hz():
    """Lohman 2007: frequency not retrieved (science.md §4); only the forearm study used 30–50 Hz."""
    for where in ("explorer details", "notebook 07", "notebook 10"):
        text = re.sub(r"\s+", " ", VIBRATION_TEXTS[where])
        assert not re.search(r"forearm and leg skin (vessels )?(widen|behave)", text, re.I), where
        assert not re.search(r"widens forearm and leg", text, re.I), where
    assert "leg skin too" in VIBRATION_TEXTS["explorer details"]


def test_guieu_sham_is_described_as_electrodes_without_current():
    text = _markdown("07_vibration_effects.ipynb")
    box = text[text.index("**Evidence box · C24**"):].split("\n\n", 1)[0]
    assert "TENS electrodes put on without any current" in box
    assert "without any current" in _cells("10_review.ipynb")
    assert "electrodes without current" in VIBRATION_TEXTS["explorer details"]


def test_unweighted_is_explained_before_notebook_08_names_the_weighting():
    text = _cells("07_vibration_effects.ipynb")
    assert "ISO Wh-weighted" not in text
    assert "unweighted: the raw value, before the hand-vibration weighting of notebook 08" in text


def test_07_gives_one_range_for_the_models_switch_time_and_the_model_holds_it():
    text = re.sub(r"\s*>\s*", " ", _cells("07_vibration_effects.ipynb"))
    ranges = re.findall(r"from under a second to about (\w+) minutes", text)
    assert len(ranges) >= 4 and set(ranges) == {"four"}
    assert round(nervous.NET_SWITCH_LATEST_MIN) == 4
    times = [nervous._switch_time_min(f, a) for f in (10.0, 50.0, 100.0, 200.0) for a in (0.05, 1.0, 5.0)]
    assert min(times) < 1 / 60                                       # under a second somewhere
    assert max(t for t in times if math.isfinite(t)) <= nervous.NET_SWITCH_LATEST_MIN
    assert "**roughly balanced**" in text                            # the verdict's third state is named in 07


def test_documented_site_difference_also_names_the_difference_in_method():
    for where in ("explorer details", "notebook 06", "notebook 07", "notebook 10"):
        text = re.sub(r"\s+", " ", VIBRATION_TEXTS[where])
        assert "also differed in method" in text, where
