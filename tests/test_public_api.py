"""Registry-driven property test of the whole public API of :mod:`course_utils`.

Every public function (and the constructors of the public question and control classes) is registered in
PUBLIC_CALLS with one valid set of keyword arguments. For each function and each argument, hypothesis replaces
that one argument with bad values and checks that a ValueError or TypeError is raised whose message names the
parameter; the valid call itself must succeed.

When you add a public function to ``course_utils.__all__``, add one line for it to PUBLIC_CALLS.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import course_utils as cu

NOTEBOOK_01 = str(Path(__file__).resolve().parents[1] / "notebooks" / "01_how_massage_works.ipynb")


def _question():
    return cu.MultipleChoice("Which?", ["a", "b"], answer=0, explanation="Because.")


def _answer_event():
    return cu.AnswerEvent(notebook="01", quiz="api test quiz", question=1, question_id="api test quiz#1",
                          correct=True, first_try=True, answer="b")


def _plan():
    return cu.EXAMPLE_PLANS["Pain relief (example)"]


_PLAN_DIR: list = []


def _plan_path():
    """A .md path in one temporary folder for save_plan_markdown's valid call (each call overwrites it)."""
    import tempfile

    if not _PLAN_DIR:
        _PLAN_DIR.append(Path(tempfile.mkdtemp(prefix="plan-api-")))
    return str(_PLAN_DIR[0] / "plan.md")


_AXES: list = []


def _axes():
    """One Axes shared by every valid call of the plotting helpers (no figure piles up)."""
    if not _AXES:
        _AXES.append(plt.figure().add_subplot())
    return _AXES[0]


# One line per public function: name → valid keyword arguments. Values that must be fresh objects
# (questions) are built by a zero-argument callable, marked with _Fresh.
class _Fresh:
    def __init__(self, make):
        self.make = make


PUBLIC_CALLS: dict[str, dict[str, object]] = {
    # course.py
    "check_setup": {},
    "setup_report": {},
    "environment": {},
    # plots.py
    "use_course_style": {"projector": False},
    "projector_mode": {"on": False},
    "is_projector_mode": {},
    "projector_requested": {},
    "axis_label": {"quantity": "Depth", "unit": "mm"},
    # validation.py (name="value" so the message must name the checked argument itself)
    "check_number": {"name": "value", "value": 5.0, "unit": "mm", "low": 0.0, "high": 10.0},
    "check_array": {"name": "value", "value": [1.0, 2.0], "unit": "mm", "low": 0.0, "high": 10.0},
    "check_int": {"name": "value", "value": 3, "low": 0, "high": 10},
    "check_choice": {"name": "value", "value": "oil", "choices": ["dry", "lotion", "oil"]},
    "check_bool": {"name": "value", "value": True},
    # references.py
    "get_reference": {"key": "loken2009"},
    "format_reference": {"ref": cu.REFERENCES["loken2009"], "style": "markdown"},
    "find_citations": {"text": "See [Löken 2009](#ref-loken2009)."},
    "notebook_citations": {"path": NOTEBOOK_01},
    "references_markdown": {"keys": ["loken2009", "hinds2004"]},
    "show_references": {"path": NOTEBOOK_01},
    # tissue.py
    "mean_pressure_kpa": {"force_n": 20.0, "radius_mm": 10.0},
    "stress_fraction": {"radius_mm": 10.0, "depth_mm": [0.0, 1.0, 10.0]},
    "stress_on_axis_kpa": {"force_n": 20.0, "radius_mm": 10.0, "depth_mm": [0.0, 1.0, 10.0]},
    "depth_for_fraction_mm": {"radius_mm": 10.0, "fraction": 0.5},
    "layer_at": {"depth_mm": 1.0},
    # widgets.py
    "friendly_error": {"exc": ValueError("force_n must be between 1 and 100 N; got 500 N.")},
    "nice_log_grid": {"low": 1.0, "high": 300.0},
    # quiz.py and progress.py (the tests' progress file is a temporary one: see conftest.py)
    "add_answer_listener": {"fn": _Fresh(lambda: (lambda event: None))},
    "remove_answer_listener": {"fn": _Fresh(lambda: (lambda event: None))},
    "record_answer": {"event": _Fresh(_answer_event)},
    "progress_path": {},
    "progress_summary": {},
    "reset_progress": {},
    "show_progress": {},
    "saved_answers": {},
    "export_progress": {},
    "import_progress": {"source": _Fresh(lambda: b'{"version": 1, "answers": {}}')},
    "progress_backup": {},
    # constructors of public classes
    "MultipleChoice": {"prompt": "Which?", "options": ["a", "b", "c"], "answer": 1, "explanation": "Because.",
                       "hint": "Think again."},
    "Numeric": {"prompt": "How many Hz?", "answer": 50.0, "tolerance": 0.5, "unit": "Hz", "explanation": "÷ 60.",
                "hint": "Per second."},
    "Quiz": {"title": "api test quiz", "questions": _Fresh(lambda: [_question()]), "notebook": "01"},
    "AnswerEvent": {"notebook": "01", "quiz": "api test quiz", "question": 1, "question_id": "api test quiz#1",
                    "correct": True, "first_try": False, "answer": "b"},
    "Slider": {"name": "force_n", "label": "Force", "unit": "N", "low": 1.0, "high": 100.0, "value": 20.0,
               "step": 1.0, "log": False, "fmt": ".0f"},
    "Choice": {"name": "lubricant", "label": "Lubricant", "options": ("dry", "oil"), "value": "oil"},
    # vibration.py
    "sine_kinematics": {"time_s": [0.0, 0.0025], "frequency_hz": 100.0, "amplitude_mm": 1.0},
    "peak_velocity_m_s": {"frequency_hz": [50.0, 100.0], "amplitude_mm": [0.5, 1.0]},
    "peak_acceleration_m_s2": {"frequency_hz": [50.0, 100.0], "amplitude_mm": [0.5, 1.0]},
    "amplitude_for_acceleration_mm": {"frequency_hz": [31.5, 125.0], "acceleration_m_s2": [22.0, 22.0]},
    "rms": {"values": [1.0, -1.0, 1.0, -1.0]},
    "sine_rms_from_peak": {"peak": [10.0, 1.0]},
    "to_g": {"acceleration_m_s2": [9.80665, -19.6133]},
    "from_g": {"acceleration_g": [0.4, -1.0]},
    "transmissibility": {"frequency_ratio": [0.5, 1.4142], "damping_ratio": [0.3, 0.3]},
    # receptors.py
    "displacement_db": {"amplitude_mm": [0.01, 0.5]},
    "channel_threshold_db": {"frequency_hz": [30.0, 250.0], "channel": "NP I"},
    "channel_thresholds_db": {"frequency_hz": [30.0, 250.0]},
    "composite_threshold_db": {"frequency_hz": [30.0, 250.0]},
    "detecting_channel": {"frequency_hz": [30.0, 250.0]},
    "db_above_threshold": {"amplitude_mm": [0.5, 1.0], "frequency_hz": [30.0, 250.0]},
    "spindle_following": {"frequency_hz": [50.0, 200.0], "ending": "best"},
    # nervous.py
    "tvr_drive": {"frequency_hz": [60.0, 120.0], "amplitude_mm": [0.6, 1.8]},
    "tonic_vibration_reflex": {"time_s": [0.0, 30.0], "frequency_hz": 120.0, "amplitude_mm": 1.0},
    "phasic_reflex_during": {"time_s": [0.0, 30.0], "frequency_hz": 120.0, "amplitude_mm": 1.0},
    "post_vibration_depression": {"duration_min": [1.0, 30.0], "frequency_hz": 120.0, "amplitude_mm": 1.0},
    "net_excitation_index": {"duration_min": [1.0, 30.0], "frequency_hz": 120.0, "amplitude_mm": 2.0},
    "nervous_time_course": {"time_min": [0.0, 5.0, 30.0], "frequency_hz": 120.0, "amplitude_mm": 1.0},
    # bloodflow.py
    "skin_blood_flow": {"time_min": [0.0, 8.0], "frequency_hz": 40.0, "amplitude_mm": 2.0, "site": "finger"},
    "vasomotor_verdict": {"frequency_hz": 125.0, "amplitude_mm": 0.5, "duration_min": 30.0, "site": "forearm"},
    # session.py
    "vibration_session": {"frequency_hz": 100.0, "amplitude_mm": 1.0, "force_n": 30.0, "duration_min": 30.0,
                          "site": "finger"},
    # pain.py
    "large_fibre_drive": {"frequency_hz": [5.0, 100.0], "amplitude_mm": [1.0, 1.0], "force_n": [30.0, 30.0]},
    "small_fibre_drive": {"force_n": [20.0, 80.0]},
    "gate_steady_state": {"large_fibre_drive": [0.0, 1.0], "small_fibre_drive": [1.0, 1.0],
                          "descending_inhibition": [1.0, 1.0]},
    "gate_time_course": {"time_ms": [0.0, 10.0, 50.0], "large_fibre_drive": 1.0, "small_fibre_drive": 1.0,
                         "descending_inhibition": 1.0},
    "pain_time_course": {"time_min": [0.0, 30.0, 240.0], "frequency_hz": 100.0, "amplitude_mm": 1.0,
                         "force_n": 30.0, "duration_min": 30.0},
    "relief_at_end": {"frequency_hz": 100.0, "amplitude_mm": 1.0, "force_n": 30.0, "duration_min": 30.0},
    # stroking.py
    "ct_response": {"speed_cm_s": [0.3, 3.0, 30.0], "temperature_c": 25.0},
    "pleasantness_link": {"temperature_c": 32.0},
    # rubbing.py
    "friction_coefficient": {"lubricant": "oil"},
    "contact_pressure_pa": {"force_n": [20.0, 40.0], "area_cm2": [100.0, 100.0]},
    "heat_flux_w_m2": {"force_n": [20.0, 40.0], "area_cm2": [100.0, 100.0], "speed_cm_s": [20.0, 20.0],
                       "friction_coefficient": 0.5, "heat_share": 0.5},
    "perfusion_rate_per_s": {"perfusion_ml_min_kg": 106.0},
    "penetration_depth_mm": {"perfusion_ml_min_kg": 106.0},
    "temperature_rise_no_perfusion_k": {"time_s": [0.0, 60.0], "heat_flux_w_m2": [200.0, 200.0]},
    "temperature_rise_with_perfusion_k": {"time_s": [0.0, 60.0], "heat_flux_w_m2": [200.0, 200.0],
                                          "perfusion_ml_min_kg": 106.0},
    "steady_temperature_rise_k": {"heat_flux_w_m2": [200.0, 400.0], "perfusion_ml_min_kg": 106.0},
    "time_to_temperature_rise_s": {"rise_k": 2.0, "heat_flux_w_m2": 200.0, "perfusion_ml_min_kg": 106.0},
    "rubbing_skin_temperature_c": {"time_s": [0.0, 60.0, 600.0], "force_n": 20.0, "area_cm2": 100.0,
                                   "speed_cm_s": 20.0, "lubricant": "lotion", "heat_share": 0.5,
                                   "perfusion_ml_min_kg": 106.0},
    "heat_pain_check": {"force_n": 20.0, "area_cm2": 100.0, "speed_cm_s": 20.0, "lubricant": "dry",
                        "duration_min": 1.0, "threshold_c": 43.0, "heat_share": 0.5, "perfusion_ml_min_kg": 106.0},
    # kneading.py
    "washout_rate_per_min": {"flow_ml_min": [540.0, 766.0], "volume_ml": 1000.0, "extraction_fraction": 0.1},
    "half_life_min": {"rate_per_min": [0.054, 0.0766]},
    "concentration_mmol_l": {"time_min": [0.0, 10.0], "rate_per_min": 0.0766, "initial_mmol_l": 10.0},
    "cleared_mmol": {"time_min": [0.0, 10.0], "rate_per_min": 0.0766, "initial_mmol_l": 10.0, "volume_ml": 1000.0},
    "kneading_flow_ml_min": {"rest_flow_ml_min": [766.0, 540.0], "flow_change_pct": 50.0},
    "flush_story_vs_measured": {"time_min": [0.0, 10.0, 30.0], "claimed_flow_change_pct": 50.0, "volume_ml": 1000.0,
                                "extraction_fraction": 0.1, "initial_mmol_l": 10.0},
    "measured_data": {"study": "wiltshire2010"},
    # exposure.py
    "wh_weighting": {"frequency_hz": [6.3, 79.6, 1250.0]},
    "frequency_weighted_acceleration": {"band_acceleration_m_s2": [10.0, 5.0], "frequency_hz": [40.0, 80.0]},
    "vibration_total_value": {"ahwx_m_s2": 2.0, "ahwy_m_s2": 3.0, "ahwz_m_s2": [6.0, 0.0]},
    "daily_exposure_a8": {"vibration_m_s2": [4.0, 8.0], "minutes_per_day": [120.0, 60.0]},
    "partial_exposure_a8": {"vibration_m_s2": [4.0, 8.0], "minutes_per_day": [120.0, 60.0]},
    "minutes_to_reach_a8": {"vibration_m_s2": [5.0, 2.5], "target_a8_m_s2": 2.5, "already_a8_m_s2": 1.0},
    "exposure_verdict": {"a8_m_s2": 3.0},
    "years_to_10pct_white_finger": {"a8_m_s2": [2.5, 5.0]},
    # contraindications.py
    "contraindication_verdict": {"ticked": ["wound", "pregnancy"]},
    "models.contraindications.still_applies_once_cleared": {"keys": ["dvt", "pregnancy"]},
    # planner.py (notebook 09)
    "plan_warnings": {"plan": _Fresh(_plan), "contraindications": ["wound"]},
    "plan_timeline": {"plan": _Fresh(_plan)},
    "plan_markdown": {"plan": _Fresh(_plan), "contraindications": ["epilepsy"]},
    "save_plan_markdown": {"plan": _Fresh(_plan), "path": _Fresh(_plan_path), "contraindications": ["wound"]},
    "StrokingStep": {"minutes": 5.0, "speed_cm_s": 3.0, "hand_temperature_c": 32.0},
    "RubbingStep": {"minutes": 2.0, "force_n": 20.0, "area_cm2": 100.0, "speed_cm_s": 10.0, "lubricant": "oil"},
    "KneadingStep": {"minutes": 10.0, "aim": "comfort"},
    "VibrationStep": {"minutes": 5.0, "frequency_hz": 40.0, "amplitude_mm": 1.0, "force_n": 20.0, "site": "forearm",
                      "handle_vibration_m_s2": 3.0},
    "SessionPlan": {"goal": "calming", "steps": _Fresh(lambda: [cu.StrokingStep(), cu.KneadingStep()]),
                    "sessions_per_day": 4, "title": "My plan"},
    # segments.py
    "parse_segments": {"text": "T10–L2, S2–S4"},
    "organ_names": {},
    "organ_segments": {"organ": "Heart", "school": "russian"},
    "segment_disagreement": {"organ": "Pancreas"},
    "segment_table": {},
    "back_map_bands": {"organ": "Heart", "left": 0.3, "right": 0.7, "top": 0.97, "bottom": 0.03},
    # --- public functions of course_utils.models.* and course_utils.explorers.* that the flat API does not export,
    # keyed by their path below course_utils (explorers' helpers included).
    "explorers.pressure.pressure_controls": {"radius_mm": 10.0},
    "explorers.pressure.shade_tissue_layers": {"ax": _Fresh(_axes)},
    "explorers.vibration.tone": {"frequency_hz": 100.0, "seconds": 0.5, "rate_hz": 8000},
    "measured_data_table": {"study": "wiltshire2010"},
}

CLASSES_WITH_CONSTRUCTORS = ("MultipleChoice", "Numeric", "Quiz", "Slider", "Choice", "AnswerEvent",
                             "StrokingStep", "RubbingStep", "KneadingStep", "VibrationStep", "SessionPlan")

# --- arguments that are legitimately unbounded: huge finite values (±1e30) are valid for them.
UNBOUNDED = {
    ("Numeric", "answer"),      # any real number can be the right answer
    ("Numeric", "tolerance"),   # only > 0; a huge tolerance is silly but valid
    ("Slider", "low"),          # a control's range is the model's: any finite number (±1e30 only
    ("Slider", "high"),         # breaks the low < value < high order, checked under value)
}

# --- free-text arguments: any string is valid (other types are still refused).
FREE_TEXT = {
    ("find_citations", "text"),  # any Markdown, also empty
    ("Quiz", "notebook"), ("AnswerEvent", "notebook"),  # a label, may be empty
    ("AnswerEvent", "answer"),  # what the learner typed
}

# --- non-empty text: any non-blank string is valid, "" and "   " are refused.
NONEMPTY_TEXT = {
    ("axis_label", "quantity"), ("axis_label", "unit"),
    ("MultipleChoice", "prompt"), ("MultipleChoice", "explanation"),
    ("Numeric", "prompt"), ("Numeric", "unit"), ("Numeric", "explanation"),
    ("Quiz", "title"),
    ("MultipleChoice", "hint"), ("Numeric", "hint"),
    ("AnswerEvent", "quiz"), ("AnswerEvent", "question_id"),
    ("Slider", "name"), ("Slider", "label"), ("Slider", "unit"),
    ("Choice", "name"), ("Choice", "label"),
    ("SessionPlan", "title"),
}

# --- arguments not checked, with the reason.
NOT_CHECKED = {
    # The check_* helpers' arguments other than `value` configure the check; they come from course code,
    # never from a learner, and checking them on every call would cost time in every model.
    **{(f, p): "configuration of the check, written by course authors"
       for f in ("check_number", "check_array", "check_int", "check_choice", "check_bool")
       for p in ("name", "unit", "low", "high", "choices")},
}
# references_markdown(keys=[]) is valid (a notebook that cites nothing), so [] is not a bad value there.

# --- arguments for which None is valid (it means "all" or "none"), so None is not a bad value there.
NONE_ALLOWED = {
    ("measured_data", "study"),    # None: the rows of every study
    ("measured_data_table", "study"),  # None: the table of every study
    ("back_map_bands", "organ"),   # None: the back map without a highlighted organ
    ("use_course_style", "projector"),  # None: projector mode only if asked for from outside (env, Voila URL)
    ("VibrationStep", "handle_vibration_m_s2"),  # None: not set (no handle vibration was measured for massage devices)
}

# --- lists of keys for which an empty list is valid, so [] is not a bad value there.
EMPTY_LIST_VALID = {
    ("references_markdown", "keys"),         # a notebook that cites nothing
    ("contraindication_verdict", "ticked"),  # nothing ticked
    ("models.contraindications.still_applies_once_cleared", "keys"),  # nothing else ticked
    ("plan_warnings", "contraindications"), ("plan_markdown", "contraindications"),  # nothing ticked
    ("save_plan_markdown", "contraindications"),
}

# --- format specifications: a string such as ".1f"; non-strings and invalid specs are refused.
FORMAT_SPEC = {("Slider", "fmt")}

# --- known bugs: (function, argument) → reason; these cases are marked xfail(strict=True).
KNOWN_BUGS: dict[tuple[str, str], str] = {}

# --------------------------------------------------------------------------------------------- bad values
_NUMBER_BAD = [math.nan, math.inf, -math.inf, "abc", "", None, True, object(), ["a", "b"]]
_HUGE = [1e30, -1e30]
_TEXT_BAD = [math.nan, 3.5, None, True, object(), ["a", "b"]]
_BOOL_BAD = [math.nan, 1, 0, "True", None, object(), [True]]
_ARRAY_BAD = [math.nan, math.inf, "abc", None, True, object(), ["a", "b"], [], [1.0, math.nan]]
_STR_LIST_BAD = [math.nan, "abc", None, True, object(), [1.0, 2.0]]
_OBJECT_BAD = [math.nan, "abc", None, True, object(), ["a", "b"]]


def _bad_values(func: str, param: str, valid: object) -> list[object]:
    bad = _bad_values_by_type(func, param, valid)
    return [b for b in bad if b is not None] if (func, param) in NONE_ALLOWED else bad


def _bad_values_by_type(func: str, param: str, valid: object) -> list[object]:
    key = (func, param)
    if isinstance(valid, bool):
        return _BOOL_BAD
    if isinstance(valid, (int, float)):
        return _NUMBER_BAD + ([] if key in UNBOUNDED else _HUGE)
    if isinstance(valid, str):
        if key in FREE_TEXT:
            return _TEXT_BAD
        if key in NONEMPTY_TEXT:
            return [*_TEXT_BAD, "", "   "]
        if key in FORMAT_SPEC:
            return [*_TEXT_BAD, "no-such-format", "%d"]
        return [*_TEXT_BAD, "", "no-such-choice-zz"]  # a choice, key or path: other strings are refused
    if isinstance(valid, (list, tuple)) and valid and all(isinstance(v, str) for v in valid):
        return [*_STR_LIST_BAD, ["no-such-choice-zz"]] + ([] if key in EMPTY_LIST_VALID else [[]])
    if isinstance(valid, (list, tuple)):  # arrays of numbers
        return _ARRAY_BAD + ([] if key in UNBOUNDED else [[1e30]])
    return _OBJECT_BAD  # an exception, a Reference, a list of questions


def _valid_kwargs(name: str) -> dict[str, object]:
    return {k: (v.make() if isinstance(v, _Fresh) else v) for k, v in PUBLIC_CALLS[name].items()}


def _resolve(name: str):
    """The function a registry key names: a flat name (``cu.name``) or a path below course_utils."""
    if "." in name:
        module, attr = name.rsplit(".", 1)
        return getattr(importlib.import_module(f"course_utils.{module}"), attr)
    return getattr(cu, name)


def _module_functions() -> list[str]:
    """Every public module-level function of course_utils.models.* and course_utils.explorers.* that is not
    already reachable under the same name through the flat API, as a path below course_utils."""
    found = []
    for package in ("models", "explorers"):
        pkg = importlib.import_module(f"course_utils.{package}")
        for info in pkgutil.iter_modules(pkg.__path__):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"course_utils.{package}.{info.name}")
            for fname, func in inspect.getmembers(module, inspect.isfunction):
                if fname.startswith("_") or func.__module__ != module.__name__:
                    continue
                if fname in cu.__all__ and getattr(cu, fname) is func:
                    continue  # registered under its flat name
                found.append(f"{package}.{info.name}.{fname}")
    return sorted(found)


def _public_functions() -> list[str]:
    names = [n for n in cu.__all__ if inspect.isfunction(getattr(cu, n))]
    return sorted(names) + list(CLASSES_WITH_CONSTRUCTORS) + _module_functions()


# --------------------------------------------------------------------------------------------- (a) registry


def test_every_public_function_is_registered():
    missing = [n for n in _public_functions() if n not in PUBLIC_CALLS]
    assert not missing, f"public functions without a valid call: {missing}; add it to PUBLIC_CALLS in " \
                        f"tests/test_public_api.py"


def test_every_module_function_is_found():
    # The search must reach module functions outside the flat API, or the registry test above passes vacuously.
    assert "explorers.pressure.shade_tissue_layers" in _module_functions()
    assert not [n for n in _module_functions() if n.rsplit(".", 1)[1] in ("mean_pressure_kpa", "heat_pain_check")]


def test_registry_has_no_stale_entries():
    stale = [n for n in PUBLIC_CALLS if n not in cu.__all__ and n not in _module_functions()]
    assert not stale, f"PUBLIC_CALLS names {stale}, which course_utils.__all__ no longer exports"


def test_registry_covers_every_argument():
    for name, kwargs in PUBLIC_CALLS.items():
        params = inspect.signature(_resolve(name)).parameters
        required = {p for p, spec in params.items() if spec.default is inspect.Parameter.empty
                    and spec.kind not in (spec.VAR_POSITIONAL, spec.VAR_KEYWORD)}
        assert set(kwargs) <= set(params), f"{name}: unknown arguments {set(kwargs) - set(params)}"
        assert required <= set(kwargs), f"{name}: PUBLIC_CALLS misses required arguments {required - set(kwargs)}"


# --------------------------------------------------------------------------------------------- (c) valid call


@pytest.mark.parametrize("name", sorted(PUBLIC_CALLS))
def test_valid_call_succeeds(name):
    result = _resolve(name)(**_valid_kwargs(name))
    if name not in ("check_setup", "show_references", "use_course_style", "projector_mode",
                    "explorers.pressure.shade_tissue_layers"):
        assert result is not None


# --------------------------------------------------------------------------------------------- (b) bad values


def _cases():
    cases = []
    for name in sorted(PUBLIC_CALLS):
        for param, valid in PUBLIC_CALLS[name].items():
            if (name, param) in NOT_CHECKED:
                continue
            bad = _bad_values(name, param, valid.make() if isinstance(valid, _Fresh) else valid)
            marks = ([pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[(name, param)])]
                     if (name, param) in KNOWN_BUGS else [])
            cases.append(pytest.param(name, param, bad, id=f"{name}-{param}", marks=marks))
    return cases


@pytest.mark.parametrize("name, param, bad_values", _cases())
def test_bad_argument_is_refused_with_a_message_naming_it(name, param, bad_values):
    func = _resolve(name)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(bad=st.sampled_from(bad_values))
    def check(bad):
        kwargs = _valid_kwargs(name)
        kwargs[param] = bad
        with pytest.raises((ValueError, TypeError)) as info:
            func(**kwargs)
        assert param in str(info.value), f"{name}({param}={bad!r}): message {str(info.value)!r} does not name {param!r}"

    check()


@settings(max_examples=40, deadline=None)
@given(force=st.floats(min_value=1e3, max_value=1e300) | st.floats(max_value=0.999),
       radius=st.floats(min_value=2, max_value=50))
def test_mean_pressure_refuses_any_out_of_range_force(force, radius):
    with pytest.raises(ValueError, match="force_n"):
        cu.mean_pressure_kpa(force, radius)


def test_bad_value_lists_are_not_valid_by_accident():
    # Guard against a bad-value list that contains the valid value itself (that test would then fail wrongly).
    for name, kwargs in PUBLIC_CALLS.items():
        for param, valid in kwargs.items():
            if isinstance(valid, _Fresh):
                continue
            bad = _bad_values(name, param, valid)
            assert not any(type(b) is type(valid) and np.array_equal(np.asarray(b, dtype=object),
                                                                      np.asarray(valid, dtype=object))
                           for b in bad if not isinstance(b, float) or not math.isnan(b))
