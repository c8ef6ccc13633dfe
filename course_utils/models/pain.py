"""Vibration and pain: a minimal gate-control model (notebook 07_vibration_effects, claim C24).

Gate control theory: input from large (touch and vibration) fibres closes a "gate" in the spinal cord's
substantia gelatinosa on the transmission (T) cells that carry pain, under control from the brain (Melzack &
Wall 1965 [melzack1965]). It is wrong in detail but has been productive (Mendell 2014 [mendell2014]).

Our stand-in (ours, science.md §3; NOT the Britton & Skevington model [britton1989], whose equations were not
checked). With L the large-fibre drive, S the small-fibre (pain) drive and D descending inhibition:

    τ_I·dI/dt = −I + σ(a·L − b·S)                          inhibitory interneuron
    τ_T·dT/dt = −T + σ(c·L + d·S − g·I·(L + S) − D)        transmission cell: the "pain" output
    σ(x) = 1 / (1 + e^(−x))

The fast part settles within tens of milliseconds, so on the minute scale of a session we use its steady state
(exact up to terms of order τ/minutes). A slow component adds to D while vibration runs, building over 25–45 min,
and fades over hours after it stops; it stands for the lasting relief Lundeberg reported: relief best at
50–150 Hz, moderate pressure, 30–45 min, commonly lasting > 3 h and sometimes > 12 h [lundeberg1983;
lundeberg1984a]. Lundeberg's 30–45 min is about how long the relief LASTED best; that the SIZE of the relief grows
with minutes of vibration is our assumption. Pressure pain from pressing very hard also slows the build-up of the
slow component (divided by S, ours), so the lasting relief, too, is best at moderate pressure.

How (frequency, amplitude, force) become L and S (ours): L follows a log-frequency bump centred on the middle of
50–150 Hz, saturates with amplitude, and needs enough contact force to couple the vibration into the tissue;
pressing very hard adds small-fibre (pressure-pain) drive, so moderate pressure works best.

Important: Lundeberg's "~70%" is the share of PATIENTS who reported less pain, not the size of the relief. The
size of the model's relief is a teaching scale, not a measurement: it tops out at about two-thirds (66%, at the
largest amplitude with the best frequency and force, after 45 min) and is about 55% after 30 min at 100 Hz, 1 mm
and 30 N. Limits: one ongoing pain of fixed strength; no placebo, no site (painful area, antagonist, trigger
point); no tolerance.

Controlled evidence is thin: Lundeberg's reports are case series without a control group. Beside them, one small
sham-controlled crossover trial found 35 min of 100 Hz vibration over the painful area relieved chronic pain more
than a sham (24 patients [guieu1991]); a small placebo-controlled trial of 100 Hz vibration at a point away from
the pain (on the hand, for acute facial pain) found only a minor effect (50 patients [ekblom1985]).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ..validation import check_array, check_number
from .vibration import AMPLITUDE_RANGE_MM, DURATION_RANGE_MIN, FORCE_RANGE_N, FREQUENCY_RANGE_HZ, _broadcast

__all__ = ["LASTING_RELIEF_BEST_MIN", "GateState", "PainCourse", "large_fibre_drive", "small_fibre_drive",
           "gate_steady_state", "gate_time_course", "pain_time_course", "relief_at_end"]

# ------------------------------------------------------------------------------------------------- constants
LASTING_RELIEF_BEST_MIN = (25.0, 45.0)
"""Vibration durations after which pain relief LASTED longest, min [lundeberg1984a] (30–45 min in
[lundeberg1983]). Not the share of patients relieved (about 70%, at any of the durations used): the one number the
planner of notebook 09 and its text quote for pain relief."""
RELIEF_BEST_FREQUENCY_HZ = math.sqrt(50.0 * 150.0)
"""Centre of the large-fibre tuning (Hz), ≈ 87 Hz: the geometric middle of the 50–150 Hz that relieved pain best
[lundeberg1983]; the tuning shape is ours."""
RELIEF_TUNING_WIDTH = 0.8
"""FREE TEACHING PARAMETER (ours): width of that tuning in natural-log units (50 and 150 Hz keep ~80% of L)."""
L_AMPLITUDE_SCALE_MM = 0.3
"""FREE TEACHING PARAMETER (ours): amplitude (mm) at which L reaches 63% of its maximum."""
CONTACT_HALF_FORCE_N = 10.0
"""FREE TEACHING PARAMETER (ours): contact force (N) that couples half the vibration into the tissue."""
ONGOING_PAIN_DRIVE = 1.0
"""FREE TEACHING PARAMETER (ours): small-fibre drive S of the patient's ongoing pain, before any pressing."""
PRESSURE_PAIN_ONSET_N = 40.0
"""FREE TEACHING PARAMETER (ours): force (N) above which pressing adds pressure-pain drive, so that moderate
pressure works best [lundeberg1983]."""
PRESSURE_PAIN_SCALE_N = 40.0
"""FREE TEACHING PARAMETER (ours): force (N) beyond the onset at which the added drive reaches PRESSURE_PAIN_GAIN."""
PRESSURE_PAIN_GAIN = 0.5
"""FREE TEACHING PARAMETER (ours): S added at onset + scale; grows with the square of the excess force."""
GATE_A, GATE_B = 2.0, 1.0
"""FREE TEACHING PARAMETERS (ours): weights a (L → I) and b (S → I)."""
GATE_C, GATE_D, GATE_G = 0.5, 3.0, 1.5
"""FREE TEACHING PARAMETERS (ours): weights c (L → T), d (S → T) and g (gating by I)."""
DESCENDING_INHIBITION = 1.0
"""FREE TEACHING PARAMETER (ours): resting descending inhibition D0."""
SLOW_RELIEF_GAIN = 2.0
"""FREE TEACHING PARAMETER (ours): extra descending inhibition built at full L (with the gate weights it sets the
model's ceiling of relief, about two-thirds, 66%)."""
SLOW_RELIEF_TIME_MIN = 12.0
"""FREE TEACHING PARAMETER (ours): build-up time constant (min); 92% built by 30 min and 98% by 45 min, matching
the 25–45 min that worked best [lundeberg1983; lundeberg1984a]."""
SLOW_RELIEF_DECAY_MIN = 360.0
"""FREE TEACHING PARAMETER (ours): fade-out time constant after vibration stops (min), 6 h; relief commonly lasted
> 3 h, sometimes > 12 h [lundeberg1983]. The model's relief still fades faster than the longest reports."""
TAU_I_MS, TAU_T_MS = 20.0, 10.0
"""FREE TEACHING PARAMETERS (ours): time constants τ_I and τ_T of the fast gate (ms)."""
TIME_AFTER_MAX_MIN = 1440.0
"""Longest time shown (min): 24 h, beyond the > 12 h relief sometimes reported [lundeberg1983]."""
GATE_TIME_MAX_MS = 1000.0
"""Longest time of the fast gate demonstration (ms)."""
_DRIVE_MAX = 10.0  # largest L, S or D accepted by the gate functions (ours)
_EULER_STEP_MS = 0.25  # internal step of gate_time_course, ≪ τ_T (ours)


class GateState(NamedTuple):
    """Inhibitory-interneuron activity I and transmission-cell output T (both 0–1)."""

    inhibitory: np.ndarray | float
    transmission: np.ndarray | float


class PainCourse(NamedTuple):
    """Pain (T-cell output, 0–1) and relief (% of the pre-session pain) over time, and the session's L."""

    pain: np.ndarray
    relief_pct: np.ndarray
    large_fibre_drive: float


# ------------------------------------------------------------------------------------------------- helpers
def _sig(x: np.ndarray | float) -> np.ndarray | float:
    return 1.0 / (1.0 + np.exp(-x))


def _l(f: np.ndarray, a: np.ndarray, force: np.ndarray) -> np.ndarray:
    tuning = np.exp(-np.log(f / RELIEF_BEST_FREQUENCY_HZ) ** 2 / (2.0 * RELIEF_TUNING_WIDTH**2))
    return tuning * (1.0 - np.exp(-a / L_AMPLITUDE_SCALE_MM)) * force / (force + CONTACT_HALF_FORCE_N)


def _s(force: np.ndarray | float) -> np.ndarray | float:
    excess = np.maximum(np.asarray(force) - PRESSURE_PAIN_ONSET_N, 0.0) / PRESSURE_PAIN_SCALE_N
    return ONGOING_PAIN_DRIVE + PRESSURE_PAIN_GAIN * excess**2


def _steady(big: np.ndarray | float, small: np.ndarray | float,
            desc: np.ndarray | float) -> tuple[np.ndarray | float, np.ndarray | float]:
    i = _sig(GATE_A * big - GATE_B * small)
    t = _sig(GATE_C * big + GATE_D * small - GATE_G * i * (big + small) - desc)
    return i, t


def _drives(name: str, value: object) -> np.ndarray:
    return check_array(name, value, unit="", low=0.0, high=_DRIVE_MAX)


def _session(frequency_hz: object, amplitude_mm: object, force_n: object,
             duration_min: object) -> tuple[float, float, float]:
    f = check_number("frequency_hz", frequency_hz, unit="Hz", low=FREQUENCY_RANGE_HZ[0], high=FREQUENCY_RANGE_HZ[1])
    a = check_number("amplitude_mm", amplitude_mm, unit="mm", low=AMPLITUDE_RANGE_MM[0], high=AMPLITUDE_RANGE_MM[1])
    force = check_number("force_n", force_n, unit="N", low=FORCE_RANGE_N[0], high=FORCE_RANGE_N[1])
    dur = check_number("duration_min", duration_min, unit="min", low=DURATION_RANGE_MIN[0],
                       high=DURATION_RANGE_MIN[1])
    return float(_l(np.asarray(f), np.asarray(a), np.asarray(force))), float(_s(force)), dur


def _course(t: np.ndarray, big: float, small: float, dur: float) -> tuple[np.ndarray, np.ndarray]:
    _, t0 = _steady(0.0, ONGOING_PAIN_DRIVE, DESCENDING_INHIBITION)
    on = t <= dur
    built = 1.0 - np.exp(-np.minimum(t, dur) / SLOW_RELIEF_TIME_MIN)
    fade = np.exp(-np.maximum(t - dur, 0.0) / SLOW_RELIEF_DECAY_MIN)
    desc = DESCENDING_INHIBITION + SLOW_RELIEF_GAIN * big * (ONGOING_PAIN_DRIVE / small) * built * fade
    if dur == 0.0:
        on = np.zeros_like(t, dtype=bool)
    _, pain = _steady(np.where(on, big, 0.0), np.where(on, small, ONGOING_PAIN_DRIVE), desc)
    pain = np.asarray(pain, dtype=float)
    return pain, 100.0 * (t0 - pain) / t0


# ------------------------------------------------------------------------------------------------- public
def large_fibre_drive(frequency_hz: object, amplitude_mm: object, force_n: object) -> np.ndarray | float:
    """Large-fibre (touch/vibration) drive L of the gate model, 0–1 (teaching mapping, ours).

    Largest near 87 Hz (the middle of 50–150 Hz [lundeberg1983]), grows with amplitude and with contact force.

    Args:
        frequency_hz: Frequency, Hz (1–300); number or array.
        amplitude_mm: Peak displacement, mm (0.01–10); number or array.
        force_n: Pressing force, N (1–100); number or array. All three broadcast together.

    Returns:
        L, 0–1; a float for scalar input.

    Notebook: 07_vibration_effects.

    Example:
        >>> large_fibre_drive(100, 1.0, 30) > large_fibre_drive(5, 1.0, 30)
        True
    """
    f = check_array("frequency_hz", frequency_hz, unit="Hz", low=FREQUENCY_RANGE_HZ[0], high=FREQUENCY_RANGE_HZ[1])
    a = check_array("amplitude_mm", amplitude_mm, unit="mm", low=AMPLITUDE_RANGE_MM[0], high=AMPLITUDE_RANGE_MM[1])
    force = check_array("force_n", force_n, unit="N", low=FORCE_RANGE_N[0], high=FORCE_RANGE_N[1])
    out = _l(*_broadcast(frequency_hz=f, amplitude_mm=a, force_n=force))
    return float(out) if out.ndim == 0 else out


def small_fibre_drive(force_n: object) -> np.ndarray | float:
    """Small-fibre (pain) drive S: the ongoing pain plus pressure pain from pressing hard (teaching mapping, ours).

    Args:
        force_n: Pressing force, N (1–100); number or array.

    Returns:
        S (≥ 1); a float for scalar input.

    Notebook: 07_vibration_effects.
    """
    force = check_array("force_n", force_n, unit="N", low=FORCE_RANGE_N[0], high=FORCE_RANGE_N[1])
    out = np.asarray(_s(force), dtype=float)
    return float(out) if out.ndim == 0 else out


def gate_steady_state(large_fibre_drive: object, small_fibre_drive: object,
                      descending_inhibition: object = DESCENDING_INHIBITION) -> GateState:
    """Settled state of the fast gate: I = σ(aL − bS), T = σ(cL + dS − g·I·(L + S) − D) (ours, science.md §3).

    Args:
        large_fibre_drive: L, dimensionless (0–10); number or array.
        small_fibre_drive: S, dimensionless (0–10); number or array.
        descending_inhibition: D, dimensionless (0–10); number or array. All three broadcast together.

    Returns:
        ``GateState(inhibitory, transmission)``, each 0–1 (floats for scalar input).

    Notebook: 07_vibration_effects. Source of the idea: [melzack1965].

    Example:
        >>> closed = gate_steady_state(1.0, 1.0).transmission
        >>> open_ = gate_steady_state(0.0, 1.0).transmission
        >>> closed < open_   # large-fibre input closes the gate
        True
    """
    big, small, desc = _broadcast(large_fibre_drive=_drives("large_fibre_drive", large_fibre_drive),
                                  small_fibre_drive=_drives("small_fibre_drive", small_fibre_drive),
                                  descending_inhibition=_drives("descending_inhibition", descending_inhibition))
    i, t = _steady(big, small, desc)
    return GateState(float(i) if np.ndim(i) == 0 else i, float(t) if np.ndim(t) == 0 else t)


def gate_time_course(time_ms: object, large_fibre_drive: float, small_fibre_drive: float = ONGOING_PAIN_DRIVE,
                     descending_inhibition: float = DESCENDING_INHIBITION) -> GateState:
    """The fast gate's response when vibration (large-fibre drive L) switches on at t = 0.

    Starts from the settled state without vibration (L = 0) and integrates τ_I·İ = −I + σ(aL − bS),
    τ_T·Ṫ = −T + σ(cL + dS − g·I·(L + S) − D) exactly for I and with exponential steps of 0.25 ms for T. The gate
    closes within tens of milliseconds: "at once" on the scale of a session.

    Args:
        time_ms: Times after vibration onset, ms (0–1000); 1-D array.
        large_fibre_drive: L during vibration, dimensionless (0–10).
        small_fibre_drive: S, dimensionless (0–10).
        descending_inhibition: D, dimensionless (0–10).

    Returns:
        ``GateState(inhibitory, transmission)`` arrays shaped like ``time_ms``.

    Notebook: 07_vibration_effects.
    """
    t = check_array("time_ms", time_ms, unit="ms", low=0.0, high=GATE_TIME_MAX_MS, ndim=1)
    big = check_number("large_fibre_drive", large_fibre_drive, unit="", low=0.0, high=_DRIVE_MAX)
    small = check_number("small_fibre_drive", small_fibre_drive, unit="", low=0.0, high=_DRIVE_MAX)
    desc = check_number("descending_inhibition", descending_inhibition, unit="", low=0.0, high=_DRIVE_MAX)
    i0, t0 = _steady(0.0, small, desc)
    i_inf = float(_sig(GATE_A * big - GATE_B * small))
    grid = np.arange(0.0, float(t.max()) + 2 * _EULER_STEP_MS, _EULER_STEP_MS)
    i_grid = i_inf + (i0 - i_inf) * np.exp(-grid / TAU_I_MS)
    target = _sig(GATE_C * big + GATE_D * small - GATE_G * i_grid * (big + small) - desc)
    decay = math.exp(-_EULER_STEP_MS / TAU_T_MS)
    t_grid = np.empty_like(grid)
    t_grid[0] = t0
    for k in range(1, grid.size):
        t_grid[k] = target[k - 1] + (t_grid[k - 1] - target[k - 1]) * decay
    i_out = i_inf + (i0 - i_inf) * np.exp(-t / TAU_I_MS)
    return GateState(i_out, np.interp(t, grid, t_grid))


def pain_time_course(time_min: object, frequency_hz: float, amplitude_mm: float, force_n: float,
                     duration_min: float) -> PainCourse:
    """Pain and relief over time for a vibration session of the given settings (teaching model, ours).

    Vibration runs from t = 0 to ``duration_min``. While it runs the gate is partly closed at once and a slow
    component builds over 25–45 min; after it stops the fast part reopens and the slow relief fades over hours
    [lundeberg1983]. Relief is the fall of T-cell output from its value before the session, in % (negative: more
    pain, e.g. from pressing very hard).

    Args:
        time_min: Times since the session began, min (0–1440); 1-D array.
        frequency_hz: Frequency, Hz (1–300).
        amplitude_mm: Peak displacement, mm (0.01–10).
        force_n: Pressing force, N (1–100).
        duration_min: Session length, min (0–45).

    Returns:
        ``PainCourse(pain, relief_pct, large_fibre_drive)``: T output (0–1) and relief (%) shaped like
        ``time_min``, and the session's L.

    Notebook: 07_vibration_effects.
    """
    t = check_array("time_min", time_min, unit="min", low=0.0, high=TIME_AFTER_MAX_MIN, ndim=1)
    big, small, dur = _session(frequency_hz, amplitude_mm, force_n, duration_min)
    pain, relief = _course(t, big, small, dur)
    return PainCourse(pain, relief, big)


def relief_at_end(frequency_hz: float, amplitude_mm: float, force_n: float, duration_min: float) -> float:
    """Relief (%) at the end of a session, while the vibration is still on (teaching model, ours).

    Args:
        frequency_hz: Frequency, Hz (1–300).
        amplitude_mm: Peak displacement, mm (0.01–10).
        force_n: Pressing force, N (1–100).
        duration_min: Session length, min (0–45).

    Returns:
        Relief in % of the pre-session pain (0 for a zero-length session).

    Notebook: 07_vibration_effects.

    Example:
        >>> relief_at_end(100, 1.0, 30, 30) > relief_at_end(100, 1.0, 30, 5)
        True
    """
    big, small, dur = _session(frequency_hz, amplitude_mm, force_n, duration_min)
    _, relief = _course(np.array([dur]), big, small, dur)
    return float(relief[0])
