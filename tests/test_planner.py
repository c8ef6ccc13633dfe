"""Notebook 09's session planner: the plan model, its warnings, the Markdown export and the widget.

Each warning rule is tested both ways (fires / stays silent) at settings placed either side of the threshold that
the course's own models or the literature give (the rubbing heat model's time to 43 °C, the A(8) definition and
the EU values, the warm-up durations of Konrad 2020 and Ekblom 2011, Lundeberg's 25–45 min, the 1–10 cm/s C-tactile
band, the massage-gun stroke), never at numbers copied from the planner's output. Widget tests press the real buttons
and move the real controls.
"""

from __future__ import annotations

import base64
import math
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import course_utils as cu
from course_utils.explorers.planner import DEFAULT_FILE_NAME, START_UP_PLAN, STYLE, SessionPlanner
from course_utils.models import contraindications as ci
from course_utils.models import exposure, pain, rubbing, stroking
from course_utils.models import planner as pm

from .textcheck import text_problems

S, R, K, V = cu.StrokingStep, cu.RubbingStep, cu.KneadingStep, cu.VibrationStep


def plan(goal, *steps, sessions=1):
    return cu.SessionPlan(goal, steps, sessions_per_day=sessions)


def kinds(warnings, kind):
    return [w for w in warnings if w.kind == kind]


def half_grid_below(x):
    """The largest multiple of 0.5 min strictly below x."""
    return math.ceil(x * 2 - 1) / 2


def half_grid_above(x):
    return math.floor(x * 2 + 1) / 2


# ============================================================================================== literature anchors
def test_the_planners_constants_are_the_literatures():
    assert cu.GOALS == ("calming", "warming up", "recovery", "pain relief")
    assert cu.TECHNIQUES == ("stroking", "rubbing", "kneading", "vibration")  # C13
    assert pm.PAIN_RELIEF_BEST_MIN == (25.0, 45.0)  # Lundeberg 1984a, science.md §3: relief lasted longest
    assert pm.PAIN_RELIEF_BEST_MIN is pain.LASTING_RELIEF_BEST_MIN  # one source of truth
    assert pm.WARM_UP_TESTED_MIN == 5.0  # Konrad 2020: 5 min of percussion, strength unchanged
    assert pm.WHOLE_BODY_TESTED_MIN == 1.0  # Hum Mov Sci 2018: 1 min of whole-body vibration
    assert pm.STRENGTH_LOSS_REPORTED_MIN == (20.0, 30.0)  # science.md §12: ~20–30 min (Ekblom 2011 intro); Fry: none
    assert pm.PERCUSSION_AMPLITUDE_MM == 10.0 / 2  # the shortest massage-gun stroke, 10 mm, is twice the peak
    assert pm.LIGHT_PRESSURE_MAX_N <= 10.0  # ours (about 1 kg): a looser line would relax the bleeding-risk rule
    assert stroking.CT_PREFERRED_BAND_CM_S == (1.0, 10.0)  # Löken 2009
    assert (exposure.EU_ACTION_VALUE_M_S2, exposure.EU_LIMIT_VALUE_M_S2) == (2.5, 5.0)  # Directive 2002/44/EC


# ============================================================================================== heat
RUB = {"force_n": 30.0, "area_cm2": 20.0, "speed_cm_s": 30.0, "lubricant": "dry"}


def _minutes_to_pain(force_n, area_cm2, speed_cm_s, lubricant):
    q = float(rubbing.heat_flux_w_m2(force_n, area_cm2, speed_cm_s, rubbing.friction_coefficient(lubricant)))
    rise = rubbing.HEAT_PAIN_THRESHOLD_C["trpv1"] - rubbing.BASELINE_SKIN_TEMPERATURE_C
    return rubbing.time_to_temperature_rise_s(rise, q) / 60.0


def test_heat_warning_fires_after_the_time_to_pain_and_not_before():
    t = _minutes_to_pain(**RUB)
    assert 1.0 < t < 9.0  # the setting puts the threshold inside the rubbing range
    before = cu.plan_warnings(plan("warming up", R(minutes=half_grid_below(t), **RUB)))
    after = cu.plan_warnings(plan("warming up", R(minutes=half_grid_above(t), **RUB)))
    assert kinds(before, "heat") == []
    [w] = kinds(after, "heat")
    assert w.severity == "stop" and w.step == 1 and w.notebook.startswith("04_rubbing")
    assert "43 °C" in w.message and f"{t:.1f} min" in w.message


def test_heat_warning_silent_with_oil_where_dry_hurts():
    assert math.isinf(_minutes_to_pain(**{**RUB, "lubricant": "oil"}))  # oil's plateau stays below 43 °C
    assert kinds(cu.plan_warnings(plan("warming up", R(minutes=10, **{**RUB, "lubricant": "oil"}))), "heat") == []


def test_heat_warning_beyond_the_model_gives_no_temperature_but_the_limit():
    w = cu.plan_warnings(plan("warming up", R(minutes=10, force_n=100, area_cm2=1, speed_cm_s=50, lubricant="lotion")))
    [heat] = kinds(w, "heat")
    assert f"{rubbing.MODEL_LIMIT_C:g} °C" in heat.message and "burns" in heat.message


# ============================================================================================== exposure
def test_exposure_warning_at_the_action_value_and_not_below():
    a, n = 5.0, 4
    per_session = exposure.minutes_to_reach_a8(a, exposure.EU_ACTION_VALUE_M_S2) / n  # 480·(2.5/5)²/4 = 30 min
    assert per_session == pytest.approx(30.0)
    below = plan("pain relief", V(minutes=per_session - 1, handle_vibration_m_s2=a), sessions=n)
    above = plan("pain relief", V(minutes=per_session + 1, handle_vibration_m_s2=a), sessions=n)
    assert kinds(cu.plan_warnings(below), "exposure") == []
    [w] = kinds(cu.plan_warnings(above), "exposure")
    assert w.severity == "caution" and "action value" in w.message and "what-if" in w.message
    # A(8) = 5·√(31·4/480), worked from the definition
    assert f"{5 * math.sqrt(31 * 4 / 480):.2f} m/s²" in w.message
    assert w.notebook.startswith("08_devices_and_safety")


def test_exposure_warning_at_the_limit_value_is_a_stop():
    a, n = 10.0, 4
    per_session = exposure.minutes_to_reach_a8(a, exposure.EU_LIMIT_VALUE_M_S2) / n  # 480·(5/10)²/4 = 30 min
    [w] = kinds(cu.plan_warnings(plan("pain relief", V(minutes=per_session + 1, handle_vibration_m_s2=a),
                                      sessions=n)), "exposure")
    assert w.severity == "stop" and "limit value" in w.message


def test_exposure_adds_vibration_steps_in_squares_and_scales_with_sessions():
    # two steps of 15 min at 5 m/s² are one step of 30 min; four sessions: A(8) = 5·√(120/480) = 2.5 exactly
    steps = (V(minutes=15, handle_vibration_m_s2=5.0), S(minutes=2), V(minutes=15, handle_vibration_m_s2=5.0))
    assert kinds(cu.plan_warnings(cu.SessionPlan("pain relief", steps, sessions_per_day=3)), "exposure") == []
    assert kinds(cu.plan_warnings(cu.SessionPlan("pain relief", steps, sessions_per_day=4)), "exposure")


def test_an_unset_handle_gives_the_range_of_handle_values_not_a_dose():
    # 4 sessions × 30 min = 120 min: the action value at 2.5·√(480/120) = 5.0 m/s², the limit at 10.0 m/s²
    assert V().handle_vibration_m_s2 is None  # no number is assumed for an unmeasured value
    [w] = kinds(cu.plan_warnings(plan("pain relief", V(minutes=30), sessions=4)), "exposure")
    assert w.severity == "note" and "120 min" in w.message and "measured" in w.message
    assert "5.0 m/s² or more would reach the EU action value" in w.message
    assert "10.0 m/s² or more the limit value" in w.message and "A(8) of" not in w.message
    # the advice for hands that already have symptoms is on the unset note too, and does not contradict itself
    assert "until a doctor (occupational health if you have one) has assessed you" in w.message
    assert "keep your hands warm" in w.message and "feel clumsy" in w.message
    # one step set, one unset: the set one already counts (3 m/s² for 60 min a day, A(8)² = 9·60/480)
    mixed = plan("pain relief", V(minutes=15, handle_vibration_m_s2=3.0), V(minutes=15), sessions=4)
    [w] = kinds(cu.plan_warnings(mixed), "exposure")
    action = math.sqrt((2.5**2 * 480 - 9 * 60) / 60)
    assert f"{action:.1f} m/s² or more would reach the EU action value" in w.message


def test_a_handle_that_does_not_vibrate_gives_no_exposure_warning():
    assert kinds(cu.plan_warnings(plan("pain relief", V(minutes=45, handle_vibration_m_s2=0.0), sessions=12)),
                 "exposure") == []


# ============================================================================================== contraindications
def _scope_keys(scope):
    return [k for k, c in ci.CONTRAINDICATIONS.items() if scope in c.scopes]


@pytest.mark.parametrize("key", _scope_keys(ci.NO_MASSAGE))
def test_a_no_massage_item_stops_every_plan(key):
    [w] = kinds(cu.plan_warnings(plan("calming", S()), [key]), "contraindication")
    assert w.severity == "stop" and "no massage for this person until a health professional says it is safe" in (
        w.message) and "#contraindications" in w.notebook
    # a stop takes the whole plan out: no caution about its steps beside it
    assert kinds(cu.plan_warnings(plan("pain relief", S(), K(), V(minutes=30)), [key]), "contraindication") == [w]


def test_ask_first_is_a_caution_and_no_vibration_stops_only_a_plan_with_vibration():
    with_vibration = plan("pain relief", S(), V(minutes=30))
    without = plan("calming", S())
    assert kinds(cu.plan_warnings(without, ["epilepsy"]), "contraindication") == []
    [w] = kinds(cu.plan_warnings(with_vibration, ["epilepsy"]), "contraindication")
    assert w.severity == "stop" and "no vibration" in w.message and "step(s) 2" in w.message
    # pregnancy: NCCIH says consult first (a caution, not a stop); the makers' lists rule out their devices
    found = kinds(cu.plan_warnings(with_vibration, ["pregnancy"]), "contraindication")
    assert {(w.severity, "health professional" in w.message, "no vibration" in w.message) for w in found} == {
        ("caution", True, False), ("stop", False, True)}
    [w] = kinds(cu.plan_warnings(without, ["pregnancy"]), "contraindication")
    assert w.severity == "caution" and "health professional" in w.message


def test_bleeding_asks_first_and_allows_only_light_pressure():
    # NCCIH 2019: no forceful or deep massage with bleeding disorders, low platelets or blood thinners
    found = kinds(cu.plan_warnings(plan("calming", S()), ["bleeding"]), "contraindication")
    assert all(w.severity == "caution" for w in found)
    assert any("health professional" in w.message for w in found)
    assert any("no deep or forceful" in w.message and "no percussion" in w.message for w in found)
    assert any("assumes stroking is light" in w.message for w in found)  # stroking has no force setting
    assert not any("no massage" in w.message.lower() for w in found)


def test_weak_bone_stops_the_plan_until_a_health_professional_clears_massage():
    # NCCIH's earlier wording: avoid massage with weakened bone; the stricter source governs
    for steps in ((S(),), (S(), K(), V(minutes=30))):
        [w] = kinds(cu.plan_warnings(plan("pain relief", *steps), ["weak_bone"]), "contraindication")
        assert w.severity == "stop" and "Because of bone weakened" in w.message
        assert "until a health professional says it is safe" in w.message


FIRM = pm.LIGHT_PRESSURE_MAX_N
GUN = pm.PERCUSSION_AMPLITUDE_MM
# (step, flagged with a bleeding risk?): light stroking and light rubbing are what NCCIH leaves allowed; every
# vibration step is flagged (the stricter reading: no source gives the shaking a bleeding risk tolerates)
STEPS_AND_FLAGS = [
    (S(), False),
    (K(), True),  # kneading squeezes the muscle; the planner cannot see how hard
    (R(force_n=FIRM), False), (R(force_n=FIRM + 1), True),
    (V(force_n=FIRM, amplitude_mm=1.0), True), (V(force_n=FIRM + 1, amplitude_mm=1.0), True),
    (V(force_n=5.0, amplitude_mm=GUN - 0.1), True), (V(force_n=5.0, amplitude_mm=GUN), True),  # percussion
    (V(force_n=FIRM, frequency_hz=50.0, amplitude_mm=4.5), True),  # about 440 m/s² peak, below 5 mm and 10 N
    (V(force_n=1.0, frequency_hz=20.0, amplitude_mm=0.01), True),  # the lightest, smallest vibration too
]


def test_bleeding_risk_flags_every_deep_forceful_step_and_every_vibration_step_by_its_own_settings():
    p = plan("pain relief", *(step for step, _ in STEPS_AND_FLAGS))
    found = kinds(cu.plan_warnings(p, ["bleeding"]), "contraindication")
    flagged = {w.step: w.message for w in found if w.step}
    assert set(flagged) == {i for i, (_, flag) in enumerate(STEPS_AND_FLAGS, 1) if flag}
    assert f"{FIRM + 1:g} N is firmer than light pressure" in flagged[4]  # the step's own force
    assert f"{GUN:g} mm is percussion" in flagged[8] and "do not percuss" in flagged[8]  # the step's own amplitude
    for i in (5, 7, 9, 10):  # below 5 mm: no "do not percuss", but check with a health professional first
        assert "do not percuss" not in flagged[i] and "check with the person's health professional first" in (
            flagged[i]), i
    assert "50 Hz, 4.5 mm, 10 N" in flagged[9]
    assert all(w.severity == "caution" for w in found if w.step)
    # the cause is named once, in the light-pressure warning, not in every step's
    assert sum("Because of bleeding disorder" in w.message for w in found) == 1  # ask first + light pressure, once
    assert not any("because of" in m.lower() for m in flagged.values())
    # the same plan without the risk ticked: no step is flagged
    assert [w for w in cu.plan_warnings(p, ["wound"]) if w.kind == "contraindication" and w.step] == []


def test_a_step_taken_out_by_a_stop_gets_no_caution_and_light_pressure_is_only_elsewhere_with_an_area():
    p = plan("pain relief", S(), K(), V(minutes=30))
    found = kinds(cu.plan_warnings(p, ["bleeding", "pregnancy"]), "contraindication")
    assert any(w.severity == "stop" and "take out step(s) 3" in w.message for w in found)
    assert {w.step for w in found if w.step} == {2}  # kneading only: the vibration step is already out
    found = kinds(cu.plan_warnings(p, ["bleeding", "wound"]), "contraindication")
    assert any("light pressure only elsewhere" in w.message.lower() for w in found)
    assert not any("light pressure only elsewhere" in w.message.lower()
                   for w in kinds(cu.plan_warnings(p, ["bleeding"]), "contraindication"))


@pytest.mark.parametrize("key", ["raynaud", "pvd", "neuropathy"])
def test_vessel_and_nerve_conditions_ask_for_care_only_with_vibration(key):
    found = kinds(cu.plan_warnings(plan("pain relief", S(), V(minutes=30)), [key]), "contraindication")
    [w] = [w for w in found if "with care" in w.message]
    assert w.severity == "caution" and "step(s) 2" in w.message and "course's own reading" in w.message
    assert "lowest setting" in w.message and "short and gentle" not in w.message
    assert not any("with care" in w.message for w in kinds(cu.plan_warnings(plan("calming", S(), K()), [key]),
                                                           "contraindication"))


def test_the_care_warning_gives_each_conditions_own_reason():
    p = plan("pain relief", S(), V(minutes=30))
    [raynaud] = [w for w in cu.plan_warnings(p, ["raynaud"]) if "with care" in w.message]
    [nerve] = [w for w in cu.plan_warnings(p, ["neuropathy"]) if "with care" in w.message]
    assert "vessels of the fingers" in raynaud.message and "vessels of the fingers" not in nerve.message
    assert "numb area cannot warn" in nerve.message


@pytest.mark.parametrize("key", ["raynaud", "pvd", "neuropathy"])
def test_a_vibration_step_on_the_finger_is_named_with_a_vessel_or_nerve_condition(key):
    p = plan("calming", S(), V(minutes=5, site="finger"), V(minutes=5, site="forearm"))
    steps = {w.step for w in kinds(cu.plan_warnings(p, [key]), "contraindication") if w.step}
    assert steps == {2}
    assert not [w for w in kinds(cu.plan_warnings(p, ["wound"]), "contraindication") if w.step]


def test_neuropathy_keeps_rubbing_and_kneading_off_numb_areas():
    # NCCIH: not over damaged nerves; a numb foot cannot feel the skin pass the heat-pain line
    found = kinds(cu.plan_warnings(plan("warming up", R(), K()), ["neuropathy"]), "contraindication")
    [w] = found
    assert w.severity == "caution" and "affected area" in w.message and "heat" in w.message


def test_peripheral_vascular_disease_asks_a_health_professional_first_even_without_vibration():
    found = kinds(cu.plan_warnings(plan("calming", S(), K()), ["pvd"]), "contraindication")
    assert {w.severity for w in found} == {"caution"}
    assert any("ask a health professional before giving this plan" in w.message for w in found)
    assert any("affected area" in w.message for w in found)


def test_recent_surgery_asks_first_and_keeps_off_the_area():
    found = kinds(cu.plan_warnings(plan("calming", S()), ["surgery"]), "contraindication")
    assert any("health professional" in w.message for w in found) and any("affected area" in w.message
                                                                           for w in found)


@pytest.mark.parametrize("key", ["raynaud", "pvd", "neuropathy"])
def test_no_goal_note_asks_for_more_vibration_when_a_care_condition_is_ticked(key):
    p = plan("pain relief", V(minutes=10, frequency_hz=100))
    assert any("Lundeberg" in w.message for w in cu.plan_warnings(p, []))  # the note, without the condition
    assert not any(w.kind == "goal" for w in cu.plan_warnings(p, [key]))


def test_avoid_the_area_is_a_caution_and_nothing_ticked_is_silent():
    [w] = kinds(cu.plan_warnings(plan("calming", S()), ["wound"]), "contraindication")
    assert w.severity == "caution" and "affected area" in w.message and "wound" in w.message
    assert cu.plan_warnings(plan("calming", S()), []) == []


# ============================================================================================== goal
LOSS_REPORTED = "strength losses have been reported after about 20–30 min of prolonged tendon vibration"


def _first_minute_with(verdict, frequency_hz=100.0, amplitude_mm=1.0):
    """First minute on the 0.5-min grid at which vibration_session gives ``verdict`` (the model's threshold)."""
    for k in range(1, 91):
        if cu.vibration_session(frequency_hz, amplitude_mm, 20.0, k / 2).nervous_verdict == verdict:
            return k / 2
    raise AssertionError(f"{verdict} never reached")


# A massage gun's warm-up of 1–5 min (and 1 min of whole-body vibration) left strength unchanged: no note, whatever
# the settings, even where the course's illustrative nervous-system model has already turned to inhibition.
@pytest.mark.parametrize("minutes", [0.5, 1.0, 2.0, 3.0, 4.0, 5.0])
@pytest.mark.parametrize("frequency_hz, amplitude_mm", [(20.0, 5.0), (40.0, 1.0), (53.0, 8.0), (100.0, 1.0)])
def test_a_standard_warm_up_of_up_to_5_min_gets_no_note(minutes, frequency_hz, amplitude_mm):
    step = V(minutes=minutes, frequency_hz=frequency_hz, amplitude_mm=amplitude_mm)
    assert kinds(cu.plan_warnings(plan("warming up", step)), "goal") == []


def test_the_warm_up_rule_does_not_rest_on_the_models_net_index():
    # at 40 Hz, 1 mm the model is net inhibiting after 5 min, yet 5 min is what Konrad 2020 tested without loss
    assert cu.net_excitation_index(5.0, 40.0, 1.0) < 0
    assert kinds(cu.plan_warnings(plan("warming up", V(minutes=5.0, frequency_hz=40.0))), "goal") == []


@pytest.mark.parametrize("minutes", [20.0, 30.0, 45.0])
def test_warm_up_note_fires_at_the_prolonged_vibration_whose_results_are_mixed(minutes):
    [w] = kinds(cu.plan_warnings(plan("warming up", V(minutes=minutes, frequency_hz=100))), "goal")
    assert w.severity == "note" and w.step == 1 and LOSS_REPORTED in w.message
    assert "one 30-min study found none (Fry 2014)" in w.message and "keep to about 5 min" in w.message
    assert "the 20-min figure could not be checked against a study" in w.message and "some studies" not in w.message
    assert "Bongiovanni 1990" in w.message and "science.md" not in w.message
    assert "the longest massage-gun time before sport in the course's sources (strength was unchanged)" in w.message
    assert "without a loss of strength" not in w.message  # Fry 2014 found none after 30 min of tendon vibration
    # what the model does and does not show
    assert "illustrative" in w.message and "nothing about strength" in w.message
    assert kinds(cu.plan_warnings(plan("recovery", V(minutes=minutes, frequency_hz=100))), "goal") == []


@pytest.mark.parametrize("minutes", [5.5, 10.0, 19.5])
def test_warm_up_note_between_the_tested_5_min_and_20_min_names_the_reported_losses(minutes):
    [w] = kinds(cu.plan_warnings(plan("warming up", V(minutes=minutes, frequency_hz=100))), "goal")
    assert "were not tested" not in w.message  # science.md §12 reports losses after ~20–30 min
    assert "strength was unchanged" in w.message and LOSS_REPORTED in w.message


@pytest.mark.parametrize("verdict", ["net excitation", "net inhibition"])
def test_any_vibration_step_works_against_calming(verdict):
    # 09 §1: no study shows that vibration calms a person, so the note does not depend on the model's verdict
    t = _first_minute_with(verdict)
    [w] = kinds(cu.plan_warnings(plan("calming", S(), V(minutes=t, frequency_hz=100))), "goal")
    assert w.step == 2 and w.message == ("Step 2: no study shows that vibration calms a person (a depressed reflex "
                                         "is not a calmer person); for a calming session consider leaving it out.")
    assert "longer" not in w.message  # never sends the therapist to more vibration on an illustrative model
    assert kinds(cu.plan_warnings(plan("recovery", V(minutes=t, frequency_hz=100))), "goal") == []


@pytest.mark.parametrize("key", ["pregnancy", "epilepsy", "weak_bone", "bleeding", "raynaud", "pvd", "neuropathy",
                                 "dvt"])
def test_no_pain_length_note_asks_for_more_vibration_next_to_a_stop_or_a_caution(key):
    short = plan("pain relief", V(minutes=10, frequency_hz=100))
    assert kinds(cu.plan_warnings(short), "goal")  # without the item the note is there
    assert kinds(cu.plan_warnings(short, [key]), "goal") == []
    assert kinds(cu.plan_warnings(short, ["wound"]), "goal")  # "avoid the area" alone keeps it


def test_weak_bone_stop_says_what_holds_after_clearance():
    [w] = kinds(cu.plan_warnings(plan("pain relief", S(), K()), ["weak_bone"]), "contraindication")
    assert w.severity == "stop" and "once cleared: nothing over the fracture or the weakened bone" in w.message
    # the limits hold for every weak bone (fracture and cancer too), not only for osteoporosis
    assert "light pressure only everywhere else and no vibration device" in w.message
    assert "weakened in one place" not in w.message
    [d] = kinds(cu.plan_warnings(plan("pain relief", S(), K()), ["dvt"]), "contraindication")
    assert "once cleared" not in d.message


def test_peripheral_vascular_disease_asks_a_health_professional_once():
    found = kinds(cu.plan_warnings(plan("pain relief", S(), V(minutes=30)), ["pvd"]), "contraindication")
    text = " ".join(w.message for w in found)
    assert text.count("ask a health professional") == 1 and "only with care" in text


def test_short_vibration_for_pain_relief_gets_a_note_and_25_min_does_not():
    best = pm.PAIN_RELIEF_BEST_MIN[0]
    [w] = kinds(cu.plan_warnings(plan("pain relief", V(minutes=best - 0.5, frequency_hz=100))), "goal")
    assert "Lundeberg" in w.message and "25–45 min" in w.message and "lasted longest" in w.message
    assert kinds(cu.plan_warnings(plan("pain relief", V(minutes=best, frequency_hz=100))), "goal") == []


@pytest.mark.parametrize("speed, fires", [(0.5, True), (1.0, False), (3.0, False), (10.0, False), (15.0, True)])
def test_calming_stroking_outside_the_ct_band_gets_a_note(speed, fires):
    w = kinds(cu.plan_warnings(plan("calming", S(speed_cm_s=speed))), "goal")
    assert bool(w) is fires
    if fires:
        assert "1–10 cm/s" in w[0].message and w[0].notebook.startswith("03_")
    assert kinds(cu.plan_warnings(plan("warming up", S(speed_cm_s=speed))), "goal") == []  # only for calming


@pytest.mark.parametrize("temperature, fires", [(18.0, True), (32.0, False), (42.0, True)])
def test_calming_stroking_with_a_cold_or_hot_hand_gets_a_note(temperature, fires):
    assert stroking.pleasantness_link(temperature)["tracks_ct"] is not fires  # Ackerley 2014: only at 32 °C
    found = kinds(cu.plan_warnings(plan("calming", S(hand_temperature_c=temperature))), "goal")
    assert bool(found) is fires
    if fires:  # warm a cold hand, cool a hot one
        assert ("warm your hands" in found[0].message) is (temperature < 32.0)
        assert ("cool" in found[0].message) is (temperature > 32.0)


def test_kneading_to_flush_lactate_gets_what_the_evidence_says():
    [w] = cu.plan_warnings(plan("recovery", K(aim="flush lactate")))
    assert w.kind == "goal" and "lactate" in w.message and "active recovery" in w.message
    assert w.notebook.startswith("05_kneading")
    assert cu.plan_warnings(plan("recovery", K(aim="comfort"))) == []


def test_warnings_are_sorted_most_serious_first():
    p = plan("warming up", S(speed_cm_s=0.5), R(minutes=10, **RUB), V(minutes=30, handle_vibration_m_s2=10))
    w = cu.plan_warnings(p, ["wound"])
    order = [cu.SEVERITIES.index(x.severity) for x in w]
    assert order == sorted(order) and {"heat", "contraindication", "goal"} <= {x.kind for x in w}


# ============================================================================================== examples, timeline
def test_safe_example_plans_give_no_warning_but_the_unmeasured_handle_range():
    assert cu.plan_warnings(cu.EXAMPLE_PLANS["Calming evening"]) == []
    for name in ("Warm-up before sport", "Pain relief (example)"):
        found = cu.plan_warnings(cu.EXAMPLE_PLANS[name])
        assert [(w.kind, w.severity) for w in found] == [("exposure", "note")], name
        assert all(s.handle_vibration_m_s2 is None for s in cu.EXAMPLE_PLANS[name].steps
                   if isinstance(s, V)), "an example must not assume an unmeasured handle value"


def test_recovery_example_keeps_the_flush_story_on_purpose():
    assert [w.kind for w in cu.plan_warnings(cu.EXAMPLE_PLANS["Recovery after training"])] == ["goal"]
    assert {p.goal for p in cu.EXAMPLE_PLANS.values()} == set(cu.GOALS)


def test_timeline_runs_the_steps_one_after_the_other():
    p = plan("calming", S(minutes=10), K(minutes=15), S(minutes=7.5))
    t = cu.plan_timeline(p)
    assert [(e.step, e.technique, e.start_min, e.end_min) for e in t] == [
        (1, "stroking", 0, 10), (2, "kneading", 10, 25), (3, "stroking", 25, 32.5)]
    assert t[-1].end_min == p.total_minutes == 32.5


# ============================================================================================== markdown
def test_markdown_has_goal_every_step_warnings_and_disclaimer(tmp_path):
    p = cu.SessionPlan("warming up", (S(minutes=2, speed_cm_s=10), R(minutes=10, **RUB),
                                      V(minutes=20, frequency_hz=100, amplitude_mm=1.0, handle_vibration_m_s2=4.5)),
                       title="Test plan")
    path = cu.save_plan_markdown(p, tmp_path / "plan.md", ["wound"])
    text = path.read_text(encoding="utf-8")
    assert path == (tmp_path / "plan.md").resolve()
    assert text.startswith("# Test plan") and "**Goal:** warming up" in text
    for piece in ("10 cm/s", "30 N over 20 cm², 30 cm/s, dry", "100 Hz, 1 mm, 20 N", "4.5 m/s² (what-if, not measured)",
                  "| 1 | 0–2 |", "| 2 | 2–12 |", "| 3 | 12–32 |", "Open or healing wound"):
        assert piece in text, piece
    for w in cu.plan_warnings(p, ["wound"]):
        assert w.message in text
    assert "**STOP:**" in text and "**CAUTION:**" in text and "**NOTE:**" in text
    assert text.rstrip().endswith(cu.DISCLAIMER)


def test_markdown_of_a_safe_plan_says_no_warning_and_export_replaces_the_earlier_file(tmp_path):
    target = tmp_path / "again.md"
    target.write_text("old", encoding="utf-8")
    cu.save_plan_markdown(cu.EXAMPLE_PLANS["Calming evening"], str(target))
    text = target.read_text(encoding="utf-8")
    assert "old" not in text and "None: the course's models raise no warning" in text and "None ticked" in text


@pytest.mark.parametrize("bad, error", [("plan.txt", ValueError), ("", ValueError), (".md", ValueError),
                                        ("no_such_folder_zz/plan.md", ValueError), (3, TypeError)])
def test_save_refuses_paths_that_are_not_a_md_file(bad, error, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error, match="path"):
        cu.save_plan_markdown(cu.EXAMPLE_PLANS["Calming evening"], bad)
    with pytest.raises(ValueError, match="path"):
        cu.save_plan_markdown(cu.EXAMPLE_PLANS["Calming evening"], tmp_path)  # a folder


# ============================================================================================== validation
@pytest.mark.parametrize("make, field, words", [
    (lambda: S(speed_cm_s=100), "speed_cm_s", "cm/s"),
    (lambda: S(hand_temperature_c=50), "hand_temperature_c", "°C"),
    (lambda: S(minutes=0), "minutes", "min"),
    (lambda: R(minutes=20), "minutes", "10 min"),
    (lambda: R(force_n=500), "force_n", "N"),
    (lambda: R(area_cm2=0.1), "area_cm2", "cm²"),
    (lambda: R(lubricant="butter"), "lubricant", "oil"),
    (lambda: K(aim="detox"), "aim", "flush lactate"),
    (lambda: V(minutes=60), "minutes", "45 min"),
    (lambda: V(frequency_hz=1000), "frequency_hz", "Hz"),
    (lambda: V(amplitude_mm=0), "amplitude_mm", "mm"),
    (lambda: V(site="neck"), "site", "forearm"),
    (lambda: V(handle_vibration_m_s2=-1), "handle_vibration_m_s2", "m/s²"),
    (lambda: V(handle_vibration_m_s2="3"), "handle_vibration_m_s2", "m/s²"),
    (lambda: cu.SessionPlan("sleep", (S(),)), "goal", "calming"),
    (lambda: cu.SessionPlan("calming", ()), "steps", "between 1 and 10"),
    (lambda: cu.SessionPlan("calming", (S(),) * 11), "steps", "between 1 and 10"),
    (lambda: cu.SessionPlan("calming", ("stroking",)), "steps", "StrokingStep"),
    (lambda: cu.SessionPlan("calming", S()), "steps", "list"),
    (lambda: cu.SessionPlan("calming", (S(),), sessions_per_day=0), "sessions_per_day", "between 1 and 12"),
    (lambda: cu.SessionPlan("calming", (S(),), sessions_per_day=2.5), "sessions_per_day", "whole number"),
    (lambda: cu.SessionPlan("calming", (S(minutes=60),) * 3, sessions_per_day=12), "sessions_per_day", "24 h"),
    (lambda: cu.SessionPlan("calming", (S(),), title="  "), "title", "non-empty"),
    (lambda: cu.plan_warnings("plan"), "plan", "SessionPlan"),
    (lambda: cu.plan_warnings(cu.EXAMPLE_PLANS["Calming evening"], "wound"), "contraindications", "list"),
    (lambda: cu.plan_markdown(cu.EXAMPLE_PLANS["Calming evening"], ["flu"]), "contraindications", "pregnancy"),
])
def test_validation_errors_name_the_field_its_range_and_unit(make, field, words):
    with pytest.raises((ValueError, TypeError)) as info:
        make()
    assert field in str(info.value) and words in str(info.value)


def test_steps_are_frozen():
    with pytest.raises(AttributeError):
        S().minutes = 3


# ============================================================================================== widget
@pytest.fixture
def planner():
    made = SessionPlanner()
    yield made
    plt.close(made.fig)


def _plain(html):
    return re.sub(r"<[^>]+>", "", html)


def _visible_bars(p):
    return [b for b in p.bars if b.get_visible()]


def _ticks(p):
    return [t.get_text() for t in p.ax.get_yticklabels()]


def test_planner_starts_with_the_start_up_plan_and_readable_figure(planner):
    start = cu.EXAMPLE_PLANS[START_UP_PLAN]
    assert planner.goal.value == start.goal
    assert len(_visible_bars(planner)) == len(start.steps)
    assert _ticks(planner) == [f"{i} {s.technique}" for i, s in enumerate(start.steps, 1)]
    assert planner.ax.get_xlabel() == "Time into the session (min)"
    assert "No warnings" in _plain(planner.text.value) and "none" in _plain(planner.warnings_html.value)
    assert text_problems(planner.fig) == []


def test_bars_lie_on_the_timeline_coloured_and_hatched_by_technique(planner):
    for bar, entry in zip(_visible_bars(planner), cu.plan_timeline(planner.plan), strict=False):
        assert bar.get_x() == entry.start_min and bar.get_x() + bar.get_width() == entry.end_min
        colour, hatch = STYLE[entry.technique]
        assert matplotlib.colors.to_hex(bar.get_facecolor()) == colour.lower() and bar.get_hatch() == hatch
    assert len({h for _, h in STYLE.values()}) == 4  # hatches tell every technique apart without colour


@pytest.mark.parametrize("name", list(cu.EXAMPLE_PLANS))
def test_each_example_button_loads_its_plan(planner, name):
    planner.preset_buttons[name].click()
    example = cu.EXAMPLE_PLANS[name]
    assert planner.goal.value == example.goal and tuple(planner.steps) == example.steps
    assert len(_visible_bars(planner)) == len(example.steps)
    assert planner.ax.get_xlim()[1] > example.total_minutes
    assert [_plain(planner.warnings_html.value).count(w.message) for w in cu.plan_warnings(example)] == \
        [1] * len(cu.plan_warnings(example))
    assert "An example to explore, not a treatment plan." in _plain(planner.text.value)
    assert planner.message.value == "" and text_problems(planner.fig) == []


def test_add_edit_move_and_remove_steps(planner):
    n = len(planner.steps)
    planner.add_technique.value = "rubbing"
    planner.add_button.click()
    assert len(_visible_bars(planner)) == n + 1 and _ticks(planner)[-1] == f"{n + 1} rubbing"
    assert "not a treatment plan" not in _plain(planner.text.value)  # no longer the example plan
    assert planner.selected == n and set(planner.editor_controls) == {"minutes", "force_n", "area_cm2",
                                                                       "speed_cm_s", "lubricant"}
    # make the new rubbing step hot: the heat warning appears under the timeline and on its bar
    for name, value in {**RUB, "minutes": 10.0}.items():
        planner.editor_controls[name].value = value
    assert planner.steps[n] == R(minutes=10, **RUB)
    assert "STOP:" in _plain(planner.warnings_html.value) and "43 °C" in _plain(planner.warnings_html.value)
    assert "see warning" in planner.bar_labels[n].get_text()
    assert _visible_bars(planner)[n].get_width() == 10
    assert text_problems(planner.fig) == []
    # move it to the front, then remove it
    for _ in range(n):
        planner.up_button.click()
    assert _ticks(planner)[0] == "1 rubbing" and planner.selected == 0
    planner.remove_button.click()
    assert len(_visible_bars(planner)) == n and "STOP" not in planner.warnings_html.value


def test_goal_and_checkboxes_change_the_warnings(planner):
    planner.preset_buttons["Pain relief (example)"].click()
    assert "1 warning (1 note)" in _plain(planner.text.value)  # the unset handle's range only
    planner.checkboxes["epilepsy"].value = True
    text = _plain(planner.warnings_html.value)
    assert "no vibration device" in text and "explained in 08" in text
    assert "1 ticked" in planner.contraindications_box.get_title(0)
    planner.checkboxes["epilepsy"].value = False
    planner.goal.value = "warming up"  # 30 min of vibration: strength losses reported after about 20–30 min
    assert "strength losses have been reported" in _plain(planner.warnings_html.value)
    planner.checkboxes["bleeding"].value = True  # step 2 presses with 30 N
    assert "Step 2 (vibration, 100 Hz, 1 mm, 30 N): a vibration device" in _plain(planner.warnings_html.value)
    assert "30 N is firmer than light pressure" in _plain(planner.warnings_html.value)


def test_sessions_per_day_drives_the_exposure_warning(planner):
    planner.preset_buttons["Pain relief (example)"].click()  # 30 min, handle not set
    assert "would reach the EU action value" in _plain(planner.warnings_html.value)
    planner.step_list.value = 1
    assert planner.editor_controls["handle_vibration_m_s2"].disabled  # off until the what-if is switched on
    planner.editor_controls["handle_what_if"].value = True
    planner.editor_controls["handle_vibration_m_s2"].value = 3.0
    assert planner.steps[1].handle_vibration_m_s2 == 3.0
    minimum = math.ceil(exposure.minutes_to_reach_a8(3.0, exposure.EU_ACTION_VALUE_M_S2) / 30)
    planner.sessions_per_day.value = minimum - 1
    assert "A(8)" not in planner.warnings_html.value
    planner.sessions_per_day.value = minimum
    assert "CAUTION:" in _plain(planner.warnings_html.value) and "A(8)" in planner.warnings_html.value


def test_the_handle_what_if_switches_off_again_to_unset(planner):
    planner.preset_buttons["Pain relief (example)"].click()
    planner.step_list.value = 1
    planner.editor_controls["handle_vibration_m_s2"].value = 9.0  # ignored while the what-if is off
    assert planner.steps[1].handle_vibration_m_s2 is None
    assert "not measured" in planner.editor_controls["handle_what_if"].description
    assert "cu-wrap-labels" in planner.editor.children[1]._dom_classes  # its label wraps, never cut with "…"
    planner.editor_controls["handle_what_if"].value = True
    assert planner.steps[1].handle_vibration_m_s2 == planner.editor_controls["handle_vibration_m_s2"].value
    planner.editor_controls["handle_what_if"].value = False
    assert planner.steps[1].handle_vibration_m_s2 is None and "not set" in planner.steps[1].settings_text()


def test_checklist_title_says_what_a_click_does(planner):
    box = planner.contraindications_box
    box.selected_index = None
    assert "click to open" in box.get_title(0) and "0 ticked" in box.get_title(0)
    box.selected_index = 0
    assert "click to close" in box.get_title(0) and "open" not in box.get_title(0)
    planner.checkboxes["wound"].value = True
    assert "1 ticked" in box.get_title(0) and "click to close" in box.get_title(0)


def test_refusals_show_a_short_message_never_a_traceback(planner):
    while len(planner.steps) > 1:
        planner.remove_button.click()
    planner.remove_button.click()  # the last step cannot go
    assert "at least one step" in _plain(planner.message.value) and "Traceback" not in planner.message.value
    for _ in range(cu.MAX_STEPS + 1):
        planner.add_button.click()
    assert len(planner.steps) == cu.MAX_STEPS and "at most 10 steps" in _plain(planner.message.value)
    assert text_problems(planner.fig) == []  # ten steps still readable


def test_reset_returns_to_the_start_up_state(planner):
    planner.preset_buttons["Recovery after training"].click()
    planner.checkboxes["wound"].value = True
    planner.file_name.value = "other.md"
    planner.reset_button.click()
    assert tuple(planner.steps) == cu.EXAMPLE_PLANS[START_UP_PLAN].steps
    assert planner.ticked == [] and planner.file_name.value == DEFAULT_FILE_NAME


def test_export_button_writes_the_plan_and_says_where(planner, tmp_path):
    planner.preset_buttons["Recovery after training"].click()
    planner.checkboxes["wound"].value = True
    planner.file_name.value = str(tmp_path / "my_plan.md")
    planner.export_button.click()
    path = tmp_path / "my_plan.md"
    text = path.read_text(encoding="utf-8")
    assert str(path.resolve()) in planner.export_message.value
    link = re.search(r'<a download="my_plan\.md" href="data:text/markdown;charset=utf-8;base64,([^"]+)"',
                     planner.export_message.value)
    assert link and base64.b64decode(link.group(1)).decode("utf-8") == text  # the download is the saved plan
    assert "# Recovery after training" in text and "Open or healing wound" in text and "flush lactate" in text
    assert text.rstrip().endswith(cu.DISCLAIMER)
    planner.export_button.click()
    assert "replaced your earlier export" in planner.export_message.value
    planner.file_name.value = str(tmp_path / "plan.txt")
    planner.export_button.click()
    message = _plain(planner.export_message.value)
    assert ".md" in message and "Traceback" not in planner.export_message.value
    assert "not saved" in message and "Export as Markdown again" in message and "kept" in message
    assert "Reset" not in message and "shown" not in message  # Reset would throw the plan away
    assert not (tmp_path / "plan.txt").exists()
    assert tuple(planner.steps) == cu.EXAMPLE_PLANS["Recovery after training"].steps  # the plan is kept


def test_default_export_lands_next_to_the_notebook(planner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the kernel's folder is the notebook's folder
    planner.export_button.click()
    assert (tmp_path / DEFAULT_FILE_NAME).is_file()


def test_widget_assembles(planner):
    box = planner.widget()
    assert planner.text in box.children and planner.export_button in box.children[-3].children


def test_figure_is_built_once_and_readable_in_projector_mode():
    cu.use_course_style(projector=True)
    p = SessionPlanner()
    try:
        fig, bars = p.fig, list(p.bars)
        for name in cu.EXAMPLE_PLANS:
            p.preset_buttons[name].click()
            assert text_problems(p.fig) == [], name
        for _ in range(cu.MAX_STEPS - len(p.steps)):
            p.add_button.click()
        assert p.fig is fig and p.bars == bars and len(_visible_bars(p)) == cu.MAX_STEPS
        assert text_problems(p.fig) == []
    finally:
        plt.close(p.fig)


def test_no_notes_on_steps_that_a_stop_takes_out():
    # epilepsy rules out vibration: the stop takes the vibration step out, so no hand-dose or goal note counts it
    p = plan("warming up", S(), V(minutes=30.0, frequency_hz=100))
    assert kinds(cu.plan_warnings(p), "exposure") and kinds(cu.plan_warnings(p), "goal")  # without the stop: both
    found = cu.plan_warnings(p, ["epilepsy"])
    assert [w.severity for w in kinds(found, "contraindication")] == ["stop"]
    assert not kinds(found, "exposure") and not kinds(found, "goal"), [w.message for w in found]
    # a blood clot: the plan is not given at all, so the stop is all the planner says
    found = cu.plan_warnings(p, ["dvt"])
    assert [w.kind for w in found] == ["contraindication"] and found[0].severity == "stop"


def test_step_editor_puts_slider_names_above_their_tracks():
    # two columns of name + track + value left a track 30-60 px long at 1280 px: the name goes on a line of its own
    from course_utils.explorers import planner as ep

    planner = cu.SessionPlanner()
    grid = planner.editor.children[-1]
    assert ep.STACKED_LABELS_CLASS in grid._dom_classes
    css = ep.STACKED_LABELS_CSS
    assert css.count("{") == css.count("}") == 2 and "flex-wrap: wrap" in css and "flex: 0 0 100%" in css
    page = " ".join(c.value for c in planner.widget().children if isinstance(getattr(c, "value", None), str))
    assert ep.STACKED_LABELS_CSS in page
