"""Planning a session: techniques in order toward a goal, and the warnings the course's models give (notebook 09).

A plan (:class:`SessionPlan`) is a goal (one of :data:`GOALS`) and an ordered list of steps, one technique each:
:class:`StrokingStep`, :class:`RubbingStep`, :class:`KneadingStep` or :class:`VibrationStep`, each with its
minutes and settings. Every constructor checks every field and names the field, the value, its range and unit.

:func:`plan_warnings` reads a plan with the course's own models and returns what a careful therapist would want
to know before giving it. Each :class:`PlanWarning` has a severity, one plain sentence and the notebook that
explains it:

* **skin too hot from rubbing**: :func:`~course_utils.models.rubbing.heat_pain_check` over the step's minutes,
  against 43 °C, the low end of the heat-pain range (notebook 04);
* **vibration for the therapist's hands**: the daily exposure A(8) of the plan's vibration steps against the EU
  action and limit values (notebook 08). No handle vibration was measured for massage devices, so a step's handle
  value is unset until the learner sets a *what-if*; while it is unset the planner gives the range instead: the
  handle vibration at which the day's minutes would reach each EU value;
* **a contraindication ticked**: :func:`~course_utils.models.contraindications.contraindication_verdict`, with
  whether it rules out massage (stop; then nothing else is listed, since the plan is not given), asks for a health
  professional first or light pressure only (caution; with light pressure only, every kneading step, every step
  pressing harder than :data:`LIGHT_PRESSURE_MAX_N` and every vibration step is named, with its own settings,
  unless a stop already takes the step out), rules out vibration (stop, only if the plan has vibration), allows
  vibration only with care (caution, only with vibration; a step on the finger is named), or only the area
  (caution) (notebook 08). Each cause is named once: the scope warnings of one cause are merged into one;
* **a goal the settings work against**: vibration before sport longer than the 5 min of percussion after which
  strength was unchanged [konrad2020] (strength losses have been reported after about 20–30 min of prolonged
  tendon vibration [ekblom2011]; one 30-min study found none [fry2014]) (notebook 08; the nervous-system model of
  notebook 07 is not used for this, since its switch time is illustrative and it says nothing about strength); any
  vibration step for calming (no study shows that vibration calms a person; notebook 07); vibration for pain
  shorter than the 25–45 min of the sessions whose relief lasted longest for Lundeberg's patients (notebook 07),
  left out when a ticked item rules out massage or vibration, asks for light pressure only or for care with
  vibration; stroking outside the 1–10 cm/s that C-tactile fibres prefer, or with a hand far from skin
  temperature, for calming (notebook 03); kneading meant to flush lactate, which the measurements do not support
  (notebook 05). The planner assumes stroking is light: it has no force setting, so no stroking step is flagged
  for a bleeding risk.

Safe settings give no warning. The rules are a teaching aid built from the course's teaching models, not a
clinical tool.

    >>> plan = EXAMPLE_PLANS["Calming evening"]
    >>> plan_warnings(plan)
    []
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Union

from ..course import DISCLAIMER
from ..validation import check_choice, check_int, check_number
from . import contraindications as ci
from . import exposure, rubbing, stroking, vibration
from .bloodflow import SITES
from .nervous import NET_SWITCH_LATEST_MIN
from .pain import LASTING_RELIEF_BEST_MIN

__all__ = ["GOALS", "TECHNIQUES", "SEVERITIES", "KNEADING_AIMS", "STEP_MINUTES_RANGE", "MAX_STEPS",
           "SESSIONS_PER_DAY_DEFAULT", "SESSIONS_PER_DAY_RANGE", "HANDLE_VIBRATION_DEFAULT_M_S2",
           "HANDLE_VIBRATION_WHAT_IF_START_M_S2", "HANDLE_VIBRATION_RANGE_M_S2", "PAIN_RELIEF_BEST_MIN",
           "WARM_UP_TESTED_MIN", "WHOLE_BODY_TESTED_MIN", "STRENGTH_LOSS_REPORTED_MIN", "LIGHT_PRESSURE_MAX_N",
           "PERCUSSION_AMPLITUDE_MM", "StrokingStep", "RubbingStep", "KneadingStep",
           "VibrationStep", "SessionPlan", "PlanWarning", "TimelineEntry", "EXAMPLE_PLANS", "plan_warnings",
           "plan_timeline", "plan_markdown", "save_plan_markdown"]

# ------------------------------------------------------------------------------------------------- constants
GOALS: tuple[str, ...] = ("calming", "warming up", "recovery", "pain relief")
"""The goals a plan can have."""
TECHNIQUES: tuple[str, ...] = ("stroking", "rubbing", "kneading", "vibration")
"""The four classical techniques (C13), in the order of notebooks 03–07."""
SEVERITIES: tuple[str, ...] = ("stop", "caution", "note")
"""Severity of a warning, most serious first (ours): *stop* — do not give the plan as it stands; *caution* — change
or check something first; *note* — the plan works against its own goal, by what the evidence says, or the planner
lacks a number to check it (an unset what-if handle vibration)."""
KNEADING_AIMS: tuple[str, ...] = ("comfort", "flush lactate")
"""What a kneading step is meant to do: help the person feel better, or the traditional "flush out lactate"."""

STEP_MINUTES_RANGE: dict[str, tuple[float, float]] = {
    "stroking": (0.5, 60.0),  # ours: a short opening stroke to a whole session of stroking
    "rubbing": (0.5, rubbing.EXPLORER_RANGES["duration_min"][1]),  # the heat model's range: one patch, up to 10 min
    "kneading": (0.5, 60.0),  # ours
    "vibration": (0.5, vibration.DURATION_RANGE_MIN[1]),  # the vibration models' range: up to 45 min
}
"""Minutes a step may last, by technique. Rubbing and vibration keep to the range their models cover."""
MAX_STEPS = 10
"""Most steps in one plan (ours): enough for any session the course discusses, and a readable timeline."""
SESSIONS_PER_DAY_DEFAULT = 4
"""Sessions like this one that the therapist gives per day, for the vibration dose (ours: a what-if, a working day
with several clients)."""
SESSIONS_PER_DAY_RANGE = (1, 12)
"""Sessions per day accepted (ours)."""
HANDLE_VIBRATION_DEFAULT_M_S2 = None
"""The handle vibration a new vibration step starts with: ``None``, not set. No handle vibration was measured for
massage devices (science.md §6), so the planner assumes no number; until the learner sets a what-if it gives the
range instead (the handle vibration at which the day's minutes reach each EU value)."""
HANDLE_VIBRATION_WHAT_IF_START_M_S2 = exposure.EU_ACTION_VALUE_M_S2
"""Where the planner's what-if handle slider starts when the learner switches it on, m/s²: the EU action value,
2.5 m/s² [eu2002], a reference point, not a device value (held 8 h a day it gives exactly the action value)."""
HANDLE_VIBRATION_RANGE_M_S2 = (0.0, 20.0)
"""What-if handle vibration accepted, m/s² (ours: 0 to four times the EU limit value)."""
PAIN_RELIEF_BEST_MIN = LASTING_RELIEF_BEST_MIN
"""How long the vibration ran in the sessions whose pain relief lasted longest, min [lundeberg1984a]: the constant
:data:`course_utils.models.pain.LASTING_RELIEF_BEST_MIN` (one source of truth); it says nothing about how many
patients were helped."""
WARM_UP_TESTED_MIN = 5.0
"""Minutes of percussion (a massage gun on the calf) after which maximal strength was unchanged while range of
motion rose [konrad2020]: the longest massage-gun time before sport in the course's sources (a 30-min study of
tendon vibration [fry2014] also found no loss; others did, see below)."""
WHOLE_BODY_TESTED_MIN = 1.0
"""Minutes of whole-body vibration after which a spinal reflex was depressed but voluntary activation was not
[wbv_hreflex2018]."""
STRENGTH_LOSS_REPORTED_MIN = (20.0, 30.0)
"""Minutes of prolonged tendon vibration after which strength losses have been reported, (from, to): science.md §12
reports a loss of strength after prolonged (~20–30 min) tendon vibration (the introduction of [ekblom2011], whose
own protocol was 30 min at 100 Hz; [bongiovanni1990], cited from memory in science.md); the course has not
confirmed the 20-min lower end. One
30-min study (80 Hz) found no change [fry2014]."""
LIGHT_PRESSURE_MAX_N = 10.0
"""TEACHING CHOICE (ours): the firmest press the planner counts as light pressure, N (about the force of a 1 kg
weight resting on the skin).
No source gives a measured line between light and deep massage; with a bleeding risk the planner names every step
pressing harder than this (and every vibration step, whatever its force). Weak bone stops the plan (no massage until
a health professional clears it), so its steps are not named."""
PERCUSSION_AMPLITUDE_MM = 5.0
"""TEACHING CHOICE (ours): peak displacement from which a vibration step counts as percussion, mm: half the
shortest massage-gun stroke of 10 mm [massage_gun_pages] (a stroke is twice the peak displacement)."""

_HAND_TEMPERATURE_DEFAULT_C = stroking.SKIN_TEMPERATURE_C
_NOTEBOOKS = {
    "stroking": "03_stroking.ipynb",
    "rubbing": "04_rubbing.ipynb",
    "kneading": "05_kneading.ipynb",
    "vibration": "07_vibration_effects.ipynb",
    "safety": "08_devices_and_safety.ipynb",
    "contraindications": "08_devices_and_safety.ipynb#contraindications",
}


# ------------------------------------------------------------------------------------------------- steps
def _minutes(technique: str, value: object) -> float:
    low, high = STEP_MINUTES_RANGE[technique]
    return check_number("minutes", value, unit="min", low=low, high=high)


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class StrokingStep:
    """Stroking (notebook 03).

    Attributes:
        minutes: How long, min (0.5–60).
        speed_cm_s: Stroke speed, cm/s (0.3–30, the range the C-tactile studies tested).
        hand_temperature_c: Temperature of the stroking hand, °C (18–42, the tested range).
    """

    minutes: float = 5.0
    speed_cm_s: float = 3.0
    hand_temperature_c: float = _HAND_TEMPERATURE_DEFAULT_C
    technique = "stroking"

    def __post_init__(self) -> None:
        _set(self, "minutes", _minutes("stroking", self.minutes))
        _set(self, "speed_cm_s", check_number("speed_cm_s", self.speed_cm_s, unit="cm/s",
                                              low=stroking.SPEED_RANGE_CM_S[0], high=stroking.SPEED_RANGE_CM_S[1]))
        _set(self, "hand_temperature_c", check_number("hand_temperature_c", self.hand_temperature_c, unit="°C",
                                                      low=stroking.TEMPERATURE_RANGE_C[0],
                                                      high=stroking.TEMPERATURE_RANGE_C[1]))

    def settings_text(self) -> str:
        """The settings in words with units, e.g. ``"3 cm/s, hand at 32 °C"``."""
        return f"{self.speed_cm_s:g} cm/s, hand at {self.hand_temperature_c:g} °C"


@dataclass(frozen=True)
class RubbingStep:
    """Rubbing one patch of skin (notebook 04).

    Attributes:
        minutes: How long the same patch is rubbed, min (0.5–10, the heat model's range).
        force_n: Pressing force, N (1–100).
        area_cm2: Contact area, cm² (1–200).
        speed_cm_s: Sliding speed, cm/s (1–50).
        lubricant: ``"dry"``, ``"lotion"`` or ``"oil"``.
    """

    minutes: float = 2.0
    force_n: float = 20.0
    area_cm2: float = 100.0
    speed_cm_s: float = 10.0
    lubricant: str = "oil"
    technique = "rubbing"

    def __post_init__(self) -> None:
        r = rubbing.EXPLORER_RANGES
        _set(self, "minutes", _minutes("rubbing", self.minutes))
        _set(self, "force_n", check_number("force_n", self.force_n, unit="N", low=r["force_n"][0],
                                           high=r["force_n"][1]))
        _set(self, "area_cm2", check_number("area_cm2", self.area_cm2, unit="cm²", low=r["area_cm2"][0],
                                            high=r["area_cm2"][1]))
        _set(self, "speed_cm_s", check_number("speed_cm_s", self.speed_cm_s, unit="cm/s", low=r["speed_cm_s"][0],
                                              high=r["speed_cm_s"][1]))
        _set(self, "lubricant", check_choice("lubricant", self.lubricant, rubbing.LUBRICANTS))

    def settings_text(self) -> str:
        """The settings in words with units."""
        return (f"{self.force_n:g} N over {self.area_cm2:g} cm², {self.speed_cm_s:g} cm/s, "
                f"{self.lubricant}")


@dataclass(frozen=True)
class KneadingStep:
    """Kneading (notebook 05).

    Attributes:
        minutes: How long, min (0.5–60).
        aim: What it is meant to do: ``"comfort"`` (help the person feel better) or ``"flush lactate"`` (the
            traditional story, which the measurements do not support).
    """

    minutes: float = 10.0
    aim: str = "comfort"
    technique = "kneading"

    def __post_init__(self) -> None:
        _set(self, "minutes", _minutes("kneading", self.minutes))
        _set(self, "aim", check_choice("aim", self.aim, KNEADING_AIMS))

    def settings_text(self) -> str:
        """The settings in words."""
        return f"aim: {self.aim}"


@dataclass(frozen=True)
class VibrationStep:
    """Vibration with a device (notebooks 06–08).

    Attributes:
        minutes: How long, min (0.5–45, the vibration models' range).
        frequency_hz: Frequency, Hz (1–300).
        amplitude_mm: Peak displacement of the applicator, mm (0.01–10).
        force_n: Pressing force, N (1–100).
        site: Which body site the blood-flow model uses: ``"forearm"`` (forearm and leg skin) or ``"finger"``.
        handle_vibration_m_s2: WHAT-IF: the vibration at the device's handle that the therapist's hand takes in,
            as the three-axis total value a_hv (Wh-weighted RMS), m/s² (0–20), or ``None`` (the default): not set.
            No measured handle values for massage devices were found (notebook 08), so this is the learner's
            assumption, used only for the therapist's daily dose.
    """

    minutes: float = 5.0
    frequency_hz: float = 40.0
    amplitude_mm: float = 1.0
    force_n: float = 20.0
    site: str = "forearm"
    handle_vibration_m_s2: float | None = HANDLE_VIBRATION_DEFAULT_M_S2
    technique = "vibration"

    def __post_init__(self) -> None:
        _set(self, "minutes", _minutes("vibration", self.minutes))
        _set(self, "frequency_hz", check_number("frequency_hz", self.frequency_hz, unit="Hz",
                                                low=vibration.FREQUENCY_RANGE_HZ[0],
                                                high=vibration.FREQUENCY_RANGE_HZ[1]))
        _set(self, "amplitude_mm", check_number("amplitude_mm", self.amplitude_mm, unit="mm",
                                                low=vibration.AMPLITUDE_RANGE_MM[0],
                                                high=vibration.AMPLITUDE_RANGE_MM[1]))
        _set(self, "force_n", check_number("force_n", self.force_n, unit="N", low=vibration.FORCE_RANGE_N[0],
                                           high=vibration.FORCE_RANGE_N[1]))
        _set(self, "site", check_choice("site", self.site, SITES))
        if self.handle_vibration_m_s2 is not None:
            _set(self, "handle_vibration_m_s2", check_number(
                "handle_vibration_m_s2", self.handle_vibration_m_s2, unit="m/s² (or None: not set)",
                low=HANDLE_VIBRATION_RANGE_M_S2[0], high=HANDLE_VIBRATION_RANGE_M_S2[1]))

    def settings_text(self) -> str:
        """The settings in words with units."""
        handle = ("handle vibration not set (none measured)" if self.handle_vibration_m_s2 is None
                  else f"handle {self.handle_vibration_m_s2:g} m/s² (what-if, not measured)")
        return f"{self.frequency_hz:g} Hz, {self.amplitude_mm:g} mm, {self.force_n:g} N, {self.site}; {handle}"


Step = Union[StrokingStep, RubbingStep, KneadingStep, VibrationStep]  # noqa: UP007 (a runtime alias, Python 3.10)
_STEP_TYPES = (StrokingStep, RubbingStep, KneadingStep, VibrationStep)


# ------------------------------------------------------------------------------------------------- the plan
@dataclass(frozen=True)
class SessionPlan:
    """A session: a goal and an ordered list of steps.

    Attributes:
        goal: One of :data:`GOALS`.
        steps: The steps in order, 1 to :data:`MAX_STEPS` of them (a list or tuple; stored as a tuple).
        sessions_per_day: How many sessions like this the therapist gives per day, 1–12 (default 4, a what-if);
            only the therapist's vibration dose uses it. The sessions must fit into a day (24 h).
        title: A short title for the printed plan (non-empty text).
    """

    goal: str
    steps: tuple
    sessions_per_day: int = SESSIONS_PER_DAY_DEFAULT
    title: str = "My session plan"

    def __post_init__(self) -> None:
        _set(self, "goal", check_choice("goal", self.goal, GOALS))
        steps = self.steps
        if isinstance(steps, (str, bytes)) or not isinstance(steps, (list, tuple)):
            raise TypeError(f"steps must be a list of steps (StrokingStep, RubbingStep, KneadingStep, VibrationStep);"
                            f" got {steps!r:.60} of type {type(steps).__name__}.")
        if not 1 <= len(steps) <= MAX_STEPS:
            raise ValueError(f"steps must hold between 1 and {MAX_STEPS} steps; got {len(steps)}.")
        for i, step in enumerate(steps, start=1):
            if not isinstance(step, _STEP_TYPES):
                raise TypeError(f"steps: step {i} must be a StrokingStep, RubbingStep, KneadingStep or VibrationStep; "
                                f"got {step!r:.60} of type {type(step).__name__}.")
        _set(self, "steps", tuple(steps))
        _set(self, "sessions_per_day", check_int("sessions_per_day", self.sessions_per_day,
                                                 low=SESSIONS_PER_DAY_RANGE[0], high=SESSIONS_PER_DAY_RANGE[1]))
        if not isinstance(self.title, str) or not self.title.strip():
            raise TypeError(f"title must be a non-empty string; got {self.title!r:.60}.")
        day_min = exposure.REFERENCE_DAY_MIN * 3  # 24 h
        if self.total_minutes * self.sessions_per_day > day_min:
            raise ValueError(f"sessions_per_day must let the sessions fit into a day: {self.sessions_per_day} × "
                             f"{self.total_minutes:g} min is more than {day_min:g} min (24 h); got "
                             f"sessions_per_day = {self.sessions_per_day}.")

    @property
    def total_minutes(self) -> float:
        """Length of the session, min."""
        return float(sum(step.minutes for step in self.steps))


class PlanWarning(NamedTuple):
    """One warning about a plan.

    Attributes:
        kind: ``"heat"``, ``"exposure"``, ``"contraindication"`` or ``"goal"``.
        severity: One of :data:`SEVERITIES`.
        message: One plain sentence.
        notebook: The notebook that explains it (file name, with an anchor where useful).
        step: The step it is about (1-based), or ``None`` for the whole plan.
    """

    kind: str
    severity: str
    message: str
    notebook: str
    step: int | None = None


class TimelineEntry(NamedTuple):
    """Where a step lies in the session: ``step`` (1-based), ``technique``, ``start_min`` and ``end_min``."""

    step: int
    technique: str
    start_min: float
    end_min: float


# ------------------------------------------------------------------------------------------------- checks
def _check_plan(plan: object) -> SessionPlan:
    if not isinstance(plan, SessionPlan):
        raise TypeError(f"plan must be a SessionPlan (see cu.EXAMPLE_PLANS); got {plan!r:.60} of type "
                        f"{type(plan).__name__}.")
    return plan


def _check_ticked(contraindications: object) -> list[str]:
    if isinstance(contraindications, (str, bytes)) or not isinstance(contraindications,
                                                                     (list, tuple, set, frozenset)):
        raise TypeError(f"contraindications must be a list of checklist keys such as ['pregnancy'] (or [] for "
                        f"none); got {contraindications!r:.60} of type {type(contraindications).__name__}.")
    return [check_choice("contraindications", key, list(ci.CONTRAINDICATIONS)) for key in contraindications]


# ------------------------------------------------------------------------------------------------- rules
def _heat_warnings(plan: SessionPlan) -> list[PlanWarning]:
    out = []
    for i, s in enumerate(plan.steps, start=1):
        if not isinstance(s, RubbingStep):
            continue
        check = rubbing.heat_pain_check(s.force_n, s.area_cm2, s.speed_cm_s, s.lubricant, duration_min=s.minutes)
        if not (check["hurts"] or check["beyond_model"]):
            continue
        threshold = rubbing.HEAT_PAIN_THRESHOLD_C["trpv1"]
        if check["beyond_model"]:
            what = (f"the skin would go beyond about {rubbing.MODEL_LIMIT_C:g} °C within {s.minutes:g} min, where "
                    "skin burns")
        else:
            what = (f"the skin would pass {threshold:g} °C, the low end of the heat-pain range, after about "
                    f"{check['time_to_threshold_s'] / 60:.1f} min on the same patch")
        out.append(PlanWarning("heat", "stop", f"Step {i} (rubbing): {what}; use lighter pressure, a wider contact, "
                               "oil, a slower hand or a shorter bout.", _NOTEBOOKS["rubbing"], i))
    return out


_HANDS_ADVICE = ("If your fingers already tingle, go numb or turn white, or your hands lose strength or feel clumsy, "
                 "stop using vibrating devices until a doctor (occupational health if you have one) has assessed "
                 "you, and keep your hands warm (notebook 08).")


def _exposure_warning(plan: SessionPlan) -> list[PlanWarning]:
    vib = [s for s in plan.steps if isinstance(s, VibrationStep)]
    if not vib:
        return []
    n = plan.sessions_per_day
    minutes = sum(s.minutes for s in vib) * n
    known = [s for s in vib if s.handle_vibration_m_s2 is not None]
    unset_min = sum(s.minutes for s in vib if s.handle_vibration_m_s2 is None) * n
    a8 = exposure.daily_exposure_a8([s.handle_vibration_m_s2 for s in known] or [0.0],
                                    [s.minutes * n for s in known] or [0.0])
    level = exposure.exposure_verdict(a8)
    if level != "below the action value":
        if level == "limit value reached":
            severity, value = "stop", f"the EU limit value of {exposure.EU_LIMIT_VALUE_M_S2:g} m/s²"
        else:
            severity, value = "caution", f"the EU action value of {exposure.EU_ACTION_VALUE_M_S2:g} m/s²"
        return [PlanWarning("exposure", severity,
                            f"Your hands: {n} sessions a day give {minutes:g} min of vibration. With your what-if "
                            f"handle vibration (not a measured value), that is a daily dose A(8) of {a8:.2f} m/s², "
                            f"which reaches {value}. The EU values are set for employers of workers; if you work for "
                            "yourself, treat them as your own limits. Use the device less, give fewer sessions or "
                            f"choose one with a lower measured handle vibration. {_HANDS_ADVICE}",
                            _NOTEBOOKS["safety"])]
    if not unset_min:
        return []
    # Unset handle values: the range of handle vibration at which this day reaches each EU value.
    reach = [exposure.minutes_to_reach_a8(1.0, target, a8) for target in
             (exposure.EU_ACTION_VALUE_M_S2, exposure.EU_LIMIT_VALUE_M_S2)]  # minutes at 1 m/s², scaled below
    action, limit = (math.sqrt(r / unset_min) for r in reach)
    already = " (with the what-if values you set for the other steps)" if known else ""
    return [PlanWarning("exposure", "note",
                        f"Your hands: {n} sessions a day give {minutes:g} min of vibration. No handle vibration was "
                        f"measured for massage devices, so the planner cannot give your dose: with these minutes, a "
                        f"handle vibrating at {action:.1f} m/s² or more would reach the EU action value "
                        f"({exposure.EU_ACTION_VALUE_M_S2:g} m/s²) and {limit:.1f} m/s² or more the limit value "
                        f"({exposure.EU_LIMIT_VALUE_M_S2:g} m/s²){already}. Set a what-if handle value to see a "
                        f"dose, or ask the maker for a measured one. {_HANDS_ADVICE}", _NOTEBOOKS["safety"])]


_LIGHT = f"press lightly (the course counts up to {LIGHT_PRESSURE_MAX_N:g} N as light)"


def _firm_steps(plan: SessionPlan) -> list[tuple[int, str, str]]:
    """Steps to check with light pressure only: (step, what it is, what to do and why).

    Kneading and rubbing are named when firm by their own settings. Every vibration step is named (the stricter
    reading): the planner has no measured line for the shaking a bleeding risk tolerates. (Weak bone never gets here:
    it rules out massage, so the plan stops first.)
    """
    out = []
    for i, s in enumerate(plan.steps, start=1):
        if isinstance(s, KneadingStep):
            out.append((i, "kneading", f"kneading squeezes the muscle and the planner cannot see how hard; {_LIGHT} "
                        "or leave the step out"))
        elif isinstance(s, RubbingStep) and s.force_n > LIGHT_PRESSURE_MAX_N:
            out.append((i, f"rubbing, {s.force_n:g} N", f"{s.force_n:g} N is firmer than light pressure; {_LIGHT}"))
        elif isinstance(s, VibrationStep):
            why = ["a vibration device shakes the tissue at any setting, so check with the person's health "
                   "professional first"]
            if s.force_n > LIGHT_PRESSURE_MAX_N:
                why.append(f"{s.force_n:g} N is firmer than light pressure, so {_LIGHT}")
            if s.amplitude_mm >= PERCUSSION_AMPLITUDE_MM:
                why.append(f"{s.amplitude_mm:g} mm is percussion (a massage gun's hammering stroke), so do not "
                           "percuss")
            out.append((i, f"vibration, {s.frequency_hz:g} Hz, {s.amplitude_mm:g} mm, {s.force_n:g} N",
                        "; ".join(why) + ", or leave the step out"))
    return out


def _vibration_steps(plan: SessionPlan) -> str:
    return ", ".join(str(i) for i, s in enumerate(plan.steps, start=1) if isinstance(s, VibrationStep))


# Per condition: why a vibration device needs care (the course's own reading, notebook 08 Section 3).
_CARE_REASONS = {
    "raynaud": "vibration narrows the small vessels of the fingers",
    "pvd": "blood flow is already poor and vibration can narrow the vessels further",
    "neuropathy": "a numb area cannot warn when vibration is too strong, and vibration itself can damage nerves",
}


def _contraindication_warnings(plan: SessionPlan, ticked: list[str]) -> list[PlanWarning]:
    if not ticked:
        return []
    verdict = ci.contraindication_verdict(ticked)
    vib_steps = [i for i, s in enumerate(plan.steps, start=1) if isinstance(s, VibrationStep)]
    where = _NOTEBOOKS["contraindications"]
    out = []
    if ci.NO_MASSAGE in verdict.by_scope:  # the plan is not given: nothing else to change in it
        because = ci._listed(verdict.by_scope[ci.NO_MASSAGE])
        cleared = (f" {ci.WEAK_BONE_AFTER_CLEARANCE}" if "weak_bone" in ticked else "") + \
            ci.still_applies_once_cleared(ticked)
        return [PlanWarning("contraindication", "stop",
                            f"Because of {because}: no massage for this person until a health professional says it "
                            f"is safe; do not give this plan.{cleared}", where)]
    removed = set(vib_steps) if ci.NO_VIBRATION in verdict.by_scope else set()
    area = ci.AVOID_AREA in verdict.by_scope
    parts: dict[tuple[str, str], list[str]] = {}  # (severity, cause) → what to do; each cause is named once
    steps: list[PlanWarning] = []
    for scope, labels in verdict.by_scope.items():
        key = ci._listed(labels)
        if scope == ci.ASK_FIRST:
            parts.setdefault(("caution", key), []).append("ask a health professional before giving this plan.")
        elif scope == ci.NO_DEEP:
            elsewhere = " elsewhere" if area else ""
            parts.setdefault(("caution", key), []).append(
                f"light pressure only{elsewhere}, no deep or forceful massage and no percussion (a massage gun's "
                "hammering stroke); the planner assumes stroking is light, and names the other steps to check.")
            steps += [PlanWarning("contraindication", "caution", f"Step {i} ({what}): {why}.", where, i)
                      for i, what, why in _firm_steps(plan) if i not in removed]
        elif scope == ci.NO_VIBRATION and vib_steps:
            parts.setdefault(("stop", key), []).append(
                f"no vibration device on this person; take out step(s) {_vibration_steps(plan)}.")
        elif scope == ci.VIBRATION_CARE and vib_steps and not removed:
            keys = [k for k in ticked if ci.VIBRATION_CARE in ci.CONTRAINDICATIONS[k].scopes]
            reasons = "; ".join(f"with {ci._in_sentence(ci.CONTRAINDICATIONS[k].label.split(' (')[0])}, "
                                f"{_CARE_REASONS[k]}" for k in keys if k in _CARE_REASONS)
            asked = any(t.startswith("ask a health professional") for t in parts.get(("caution", key), []))
            ask = "" if asked else "ask a health professional first, "
            parts.setdefault(("caution", key), []).append(
                f"a vibration device only with care (the course's own reading of the vibration studies): {ask}keep "
                f"step(s) {_vibration_steps(plan)} short, off the hands and feet and on the lowest setting, and stop "
                f"at once if fingers or toes go pale; no source gives safe minutes. Why: {reasons}.")
            steps += [PlanWarning("contraindication", "caution",
                                  f"Step {i} (vibration on the finger): move it off the hands and feet.", where, i)
                      for i, s in enumerate(plan.steps, start=1) if isinstance(s, VibrationStep) and s.site == "finger"]
        elif scope == ci.AVOID_AREA:
            parts.setdefault(("caution", key), []).append(
                "keep every step away from the affected area, with no pressure, rubbing, heat, percussion or "
                "vibration over it.")
    for (severity, because), todo in parts.items():
        text = " ".join(t if k == 0 else t[0].upper() + t[1:] for k, t in enumerate(todo))
        out.append(PlanWarning("contraindication", severity, f"Because of {because}: {text}", where))
    return out + steps


_NO_MORE_VIBRATION = (ci.NO_MASSAGE, ci.NO_VIBRATION, ci.NO_DEEP, ci.VIBRATION_CARE)
"""Scopes with which no goal note asks for more vibration (a stop, a bleeding risk or weak bone, care with
vibration)."""


def _goal_warnings(plan: SessionPlan, vibration_care: bool = False, skip_vibration: bool = False) -> list[PlanWarning]:
    """Goal notes. With ``vibration_care`` (a ticked item rules out massage or vibration, asks for light pressure only
    or for care with vibration) no note asks for more vibration; with ``skip_vibration`` (a stop takes the vibration
    steps out) no note is about a vibration step."""
    out = []
    low_band, high_band = stroking.CT_PREFERRED_BAND_CM_S
    mixed = STRENGTH_LOSS_REPORTED_MIN
    model = (f"The course's nervous-system model is not the reason: it turns to net inhibition within about "
             f"{NET_SWITCH_LATEST_MIN:.0f} min at the latest, but that timing is illustrative, and the model says "
             "nothing about strength or range of motion.")
    for i, s in enumerate(plan.steps, start=1):
        if skip_vibration and isinstance(s, VibrationStep):
            continue
        if isinstance(s, VibrationStep) and plan.goal == "warming up" and s.minutes > WARM_UP_TESTED_MIN:
            losses = (f"strength losses have been reported after about {mixed[0]:g}–{mixed[1]:g} min of prolonged "
                      f"tendon vibration (Ekblom 2011, Bongiovanni 1990; the {mixed[0]:g}-min figure could not be "
                      "checked against a study); one "
                      f"{mixed[1]:g}-min study found none (Fry 2014)")
            if s.minutes >= mixed[0]:
                what = f"{s.minutes:g} min of vibration is as long as prolonged tendon vibration: {losses}"
            else:
                what = (f"{s.minutes:g} min of vibration is longer than the {WARM_UP_TESTED_MIN:g} min of percussion "
                        f"after which strength was unchanged; {losses}")
            out.append(PlanWarning("goal", "note", f"Step {i}: {what}. For a warm-up, keep to about "
                                   f"{WARM_UP_TESTED_MIN:g} min, the longest massage-gun time before sport in the "
                                   f"course's sources "
                                   f"(strength was unchanged). {model}", _NOTEBOOKS["safety"], i))
        if isinstance(s, VibrationStep) and plan.goal == "calming":
            out.append(PlanWarning("goal", "note", f"Step {i}: no study shows that vibration calms a person (a "
                                   "depressed reflex is not a calmer person); for a calming session consider leaving "
                                   "it out.", _NOTEBOOKS["vibration"], i))
        if (isinstance(s, VibrationStep) and plan.goal == "pain relief" and s.minutes < PAIN_RELIEF_BEST_MIN[0]
                and not vibration_care):
            out.append(PlanWarning("goal", "note", f"Step {i}: {s.minutes:g} min of vibration is shorter than the "
                                   f"{PAIN_RELIEF_BEST_MIN[0]:g}–{PAIN_RELIEF_BEST_MIN[1]:g} min that the vibration "
                                   "ran in the sessions whose pain relief lasted longest for Lundeberg's patients "
                                   "(uncontrolled case series).", _NOTEBOOKS["vibration"], i))
        if isinstance(s, StrokingStep) and plan.goal == "calming":
            if not low_band <= s.speed_cm_s <= high_band:
                word = "slow" if s.speed_cm_s < low_band else "fast"
                out.append(PlanWarning("goal", "note", f"Step {i}: {s.speed_cm_s:g} cm/s is too {word} for calming "
                                       f"stroking; C-tactile fibres, linked to pleasant touch, prefer "
                                       f"{low_band:g}–{high_band:g} cm/s.", _NOTEBOOKS["stroking"], i))
            if not stroking.pleasantness_link(s.hand_temperature_c)["tracks_ct"]:
                action = ("warm your hands first" if s.hand_temperature_c < stroking.SKIN_TEMPERATURE_C
                          else "let your hands cool first")
                out.append(PlanWarning("goal", "note", f"Step {i}: a hand at {s.hand_temperature_c:g} °C is far from "
                                       f"skin temperature ({stroking.SKIN_TEMPERATURE_C:g} °C), the only "
                                       "temperature at which C-tactile firing tracked how pleasant a stroke felt; "
                                       f"{action}.",
                                       _NOTEBOOKS["stroking"], i))
        if isinstance(s, KneadingStep) and s.aim == "flush lactate":
            out.append(PlanWarning("goal", "note", f"Step {i}: kneading does not clear lactate faster than rest "
                                   "(in one study it slowed it), though people may feel more recovered; easy active "
                                   "recovery clears lactate fastest.", _NOTEBOOKS["kneading"], i))
    return out


def plan_warnings(plan: SessionPlan, contraindications: Iterable[str] = ()) -> list[PlanWarning]:
    """The warnings the course's models give for a plan, most serious first.

    Args:
        plan: A :class:`SessionPlan`.
        contraindications: Keys of the ticked checklist items (see
            :data:`~course_utils.models.contraindications.CONTRAINDICATIONS`), e.g. ``["pregnancy"]``; ``[]`` for
            none.

    Returns:
        A list of :class:`PlanWarning`, sorted by severity (stop, caution, note), then by step; empty when nothing
        in the plan calls for one.

    Raises:
        TypeError, ValueError: ``plan`` is not a plan, or ``contraindications`` is not a list of checklist keys.

    Notebook: 09_planning_a_session (each warning names the notebook that explains it).

    Example:
        >>> w = plan_warnings(EXAMPLE_PLANS["Calming evening"], ["epilepsy"])   # the plan has no vibration
        >>> w
        []
    """
    p = _check_plan(plan)
    ticked = _check_ticked(contraindications)
    scopes = {scope for k in ticked for scope in ci.CONTRAINDICATIONS[k].scopes}
    care = not scopes.isdisjoint(_NO_MORE_VIBRATION)
    if ci.NO_MASSAGE in scopes:  # the plan is not given: notes on its steps would only distract from the stop
        return _contraindication_warnings(p, ticked)
    if ci.NO_VIBRATION in scopes:  # the stop takes the vibration steps out: no dose or goal notes for them
        found = [*_contraindication_warnings(p, ticked), *_heat_warnings(p),
                 *_goal_warnings(p, vibration_care=care, skip_vibration=True)]
    else:
        found = [*_contraindication_warnings(p, ticked), *_heat_warnings(p), *_exposure_warning(p),
                 *_goal_warnings(p, vibration_care=care)]
    order = {s: k for k, s in enumerate(SEVERITIES)}
    return sorted(found, key=lambda w: (order[w.severity], w.step or 0))


def plan_timeline(plan: SessionPlan) -> list[TimelineEntry]:
    """Start and end minute of every step, one after the other from minute 0.

    Args:
        plan: A :class:`SessionPlan`.

    Returns:
        A list of :class:`TimelineEntry` (step, technique, start_min, end_min), in the plan's order.

    Notebook: 09_planning_a_session.

    Example:
        >>> [(e.start_min, e.end_min) for e in plan_timeline(EXAMPLE_PLANS["Calming evening"])]
        [(0.0, 10.0), (10.0, 25.0), (25.0, 35.0)]
    """
    p = _check_plan(plan)
    out, t = [], 0.0
    for i, s in enumerate(p.steps, start=1):
        out.append(TimelineEntry(i, s.technique, t, t + s.minutes))
        t += s.minutes
    return out


_SEVERITY_WORDS = {"stop": "STOP", "caution": "CAUTION", "note": "NOTE"}


def plan_markdown(plan: SessionPlan, contraindications: Iterable[str] = ()) -> str:
    """The plan as printable Markdown: goal, steps with settings and units, timeline, warnings and the disclaimer.

    Args:
        plan: A :class:`SessionPlan`.
        contraindications: Keys of the ticked checklist items, or ``[]``.

    Returns:
        Markdown text.

    Notebook: 09_planning_a_session.
    """
    p = _check_plan(plan)
    ticked = _check_ticked(contraindications)
    warnings = plan_warnings(p, ticked)
    lines = [f"# {p.title.strip()}", "",
             f"**Goal:** {p.goal} · **Length:** {p.total_minutes:g} min in {len(p.steps)} step(s) · "
             f"**Sessions like this per day:** {p.sessions_per_day}", "",
             "## Steps", "",
             "| Step | From–to (min) | Technique | Minutes | Settings |", "|---|---|---|---|---|"]
    for entry, step in zip(plan_timeline(p), p.steps, strict=True):
        lines.append(f"| {entry.step} | {entry.start_min:g}–{entry.end_min:g} | {step.technique} | {step.minutes:g} | "
                     f"{step.settings_text()} |")
    lines += ["", "## Client's contraindications (ticked)", ""]
    if ticked:
        verdict = ci.contraindication_verdict(ticked)
        lines += [f"* {ci.CONTRAINDICATIONS[k].label}" for k in ticked] + ["", verdict.text]
    else:
        lines.append("None ticked. The checklists disagree and are not complete: ask the client about their health "
                     "every time.")
    lines += ["", "## Warnings", ""]
    if warnings:
        lines += [f"* **{_SEVERITY_WORDS[w.severity]}:** {w.message} (Explained in notebook "
                  f"{w.notebook.split('#')[0]}.)" for w in warnings]
    else:
        lines.append("None: the course's models raise no warning for this plan.")
    lines += ["", "Vibration at a device's handle is a what-if you chose, or not set: no measured values for massage "
              "devices were found (notebook 08). Every warning comes from the course's simplified teaching models "
              f"and checklists. {ci.STRICTER_SOURCE_GOVERNS}", "",
              DISCLAIMER, ""]
    return "\n".join(lines)


def save_plan_markdown(plan: SessionPlan, path: str | os.PathLike = "my_session_plan.md",
                       contraindications: Iterable[str] = ()) -> Path:
    """Write :func:`plan_markdown` to a ``.md`` file and return its full path.

    An existing file of that name is replaced: exporting again updates your own earlier export.

    Args:
        plan: A :class:`SessionPlan`.
        path: File name or path ending in ``.md`` (default ``my_session_plan.md``, next to the notebook); its
            folder must exist.
        contraindications: Keys of the ticked checklist items, or ``[]``.

    Returns:
        The absolute path written.

    Raises:
        TypeError, ValueError: a bad plan or contraindications, or a path that is not a ``.md`` file name in an
            existing folder.

    Notebook: 09_planning_a_session.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file name ending in .md, such as 'my_session_plan.md'; got {path!r:.60} of "
                        f"type {type(path).__name__}.")
    target = Path(path).expanduser()
    if not target.name or target.suffix.lower() != ".md" or target.name.strip() in (".md", "") or target.is_dir():
        raise ValueError(f"path must be a file name ending in .md, such as 'my_session_plan.md'; got "
                         f"{str(path)!r:.60}.")
    if not target.parent.resolve().is_dir():
        raise ValueError(f"path must be in a folder that exists; got {str(path)!r:.60} (folder "
                         f"{str(target.parent)!r:.60} not found).")
    text = plan_markdown(plan, contraindications)
    target = target.resolve()
    target.write_text(text, encoding="utf-8")
    return target


# ------------------------------------------------------------------------------------------------- examples
EXAMPLE_PLANS: dict[str, SessionPlan] = {
    "Calming evening": SessionPlan("calming", (
        StrokingStep(minutes=10, speed_cm_s=3.0, hand_temperature_c=32.0),
        KneadingStep(minutes=15, aim="comfort"),
        StrokingStep(minutes=10, speed_cm_s=2.0, hand_temperature_c=32.0),
    ), title="Calming evening"),
    "Warm-up before sport": SessionPlan("warming up", (
        StrokingStep(minutes=2, speed_cm_s=10.0, hand_temperature_c=32.0),
        RubbingStep(minutes=3, force_n=20.0, area_cm2=100.0, speed_cm_s=20.0, lubricant="lotion"),
        KneadingStep(minutes=5, aim="comfort"),
        VibrationStep(minutes=1, frequency_hz=100.0, amplitude_mm=1.0, force_n=20.0, site="forearm"),
    ), title="Warm-up before sport"),
    "Recovery after training": SessionPlan("recovery", (
        StrokingStep(minutes=5, speed_cm_s=5.0, hand_temperature_c=32.0),
        KneadingStep(minutes=15, aim="flush lactate"),
        StrokingStep(minutes=5, speed_cm_s=3.0, hand_temperature_c=32.0),
    ), title="Recovery after training"),
    "Pain relief (example)": SessionPlan("pain relief", (
        StrokingStep(minutes=3, speed_cm_s=3.0, hand_temperature_c=32.0),
        VibrationStep(minutes=30, frequency_hz=100.0, amplitude_mm=1.0, force_n=30.0, site="forearm"),
        StrokingStep(minutes=2, speed_cm_s=3.0, hand_temperature_c=32.0),
    ), sessions_per_day=4, title="Pain relief (example)"),
}
"""Example plans (ours), one per goal, to explore, not treatment plans; the planner offers them as presets.
"Recovery after training" keeps the traditional aim of kneading ("flush lactate") on purpose, so that its warning
shows what the evidence says. No example sets a handle vibration: none was measured, so the planner shows the range
of handle values at which each plan's day would reach the EU values."""
