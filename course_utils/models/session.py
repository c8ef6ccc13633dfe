"""One vibration session, every effect at once: the single entry point to the vibration science (notebook 07).

:func:`vibration_session` checks its five arguments once, then runs the waveform, nervous-system, blood-flow and
pain models (:mod:`~course_utils.models.vibration`, :mod:`~course_utils.models.nervous`,
:mod:`~course_utils.models.bloodflow`, :mod:`~course_utils.models.pain`) through their private, unchecked helpers,
each once, and returns a frozen :class:`VibrationSession` with every curve and end value the 07 explorer draws,
the verdict words and the evidence words. The explorer only draws what it returns; notebook 09's planner and the
hub's load test call the same function, so all three always agree.

    >>> s = vibration_session(frequency_hz=100, amplitude_mm=1.0, force_n=30, duration_min=30)
    >>> s.nervous_verdict, s.vasomotor_verdict, round(s.relief_end_pct)
    ('net inhibition', 'dilation', 55)

Everything here is a teaching model (ours; see each module for its sources and limits).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..validation import check_choice, check_number
from . import bloodflow, nervous, pain, vibration

__all__ = ["SESSION_TIME_MIN", "WAVEFORM_TIME_MS", "NET_BALANCED_BAND", "EVIDENCE", "VibrationSession",
           "vibration_session"]

# ------------------------------------------------------------------------------------------------- constants
SESSION_TIME_MIN = np.concatenate([np.linspace(0.0, 1.0, 80),
                                   np.geomspace(1.0, vibration.DURATION_RANGE_MIN[1], 200)[1:]])
"""Times (min) at which the time courses are given: dense over the first minute, then evenly on a log scale to
45 min (279 points). Read-only."""
SESSION_TIME_MIN.flags.writeable = False
WAVEFORM_TIME_MS = np.linspace(0.0, 100.0, 400)
"""Times (ms) of the waveform: 100 ms, 400 points. Read-only."""
WAVEFORM_TIME_MS.flags.writeable = False

NET_BALANCED_BAND = 0.05
"""TEACHING CHOICE (ours): a net excitation index within ±0.05 is called "roughly balanced"."""
RELIEF_WORDS = ((20.0, "pain relief"), (5.0, "slight pain relief"), (-5.0, "little or no pain relief"))
"""TEACHING CHOICE (ours): relief (%) at or above each bound earns its words; below −5% it is "more pain"."""
LATER_MIN = 180.0
"""Time after the session (min) at which the lasting relief is reported: 3 h, as Lundeberg's relief commonly
lasted > 3 h [lundeberg1983]."""

EVIDENCE = {
    "nervous": "supported in principle, for short-term effects",
    "vessels": "supported in principle",
    "pain": "supported, low-quality evidence",
}
"""Evidence words of the verdict line, the same words as the verdicts of notebook 07's evidence boxes C22 (nervous
system), C23 (vessels) and C24 (pain)."""

_S_PER_MIN = 60.0


def _readonly(x: np.ndarray) -> np.ndarray:
    x = np.array(x)
    x.flags.writeable = False
    return x


@dataclass(frozen=True, eq=False)
class VibrationSession:
    """Everything one vibration session does in the course's teaching models (returned by :func:`vibration_session`).

    Arrays are read-only. Time courses are given at :data:`SESSION_TIME_MIN` (``time_min``) as if the vibration
    ran the whole 45 min; ``during`` marks the times up to ``duration_min``. End values are at ``duration_min``.

    Attributes:
        frequency_hz, amplitude_mm, force_n, duration_min, site: The settings (checked; ``site`` canonical).
        peak_velocity_m_s: 2πfA, m/s.
        peak_acceleration_m_s2: (2πf)²A, m/s² (peak).
        peak_acceleration_g: The same in g (g_n = 9.80665 m/s²).
        rms_acceleration_m_s2: Peak / √2, m/s² r.m.s.
        extreme: True when the peak acceleration exceeds
            :data:`~course_utils.models.vibration.EXTREME_ACCELERATION_M_S2` (≈ 100 g): physically extreme, the
            models only extrapolate there.
        waveform_time_ms: Times of the waveform, ms (0–100).
        displacement_mm: Skin displacement at those times, mm.
        acceleration_m_s2: Acceleration at those times, m/s².
        time_min: Times of the time courses, min (0–45).
        during: Boolean mask, ``time_min <= duration_min``.
        tvr_drive: Steady TVR drive, 0–1 (the TVR's frequency tuning, peak ~120 Hz; not one Ia ending's rate).
        tvr: Tonic vibration reflex over time, 0–1.
        phasic_reflex: Tendon (phasic) reflex during vibration, relative to before (≤ 1).
        depression: H-reflex depression if the vibration stopped then, 0–0.8.
        net_index: Net excitation index over time (−0.8 to +1; > 0 excitation).
        net_index_end: The net index at the end of the session.
        tendon_reflex_end: The phasic reflex at the end of the session (relative to before).
        nervous_verdict: ``"net excitation"``, ``"net inhibition"``, ``"roughly balanced"`` or ``"none yet"``
            (a zero-length session).
        blood_flow: Blood flow at ``site`` over time, relative to baseline.
        blood_flow_end: Blood flow at the end of the session, relative to baseline.
        vasomotor_verdict: ``"dilation"``, ``"constriction"`` or ``"little change"`` at the end.
        large_fibre_drive: L of the gate model, 0–1.
        relief_pct: Pain relief over time, % of the pain before (vibration on up to ``duration_min``, then off).
        relief_end_pct: Relief at the end of the session, vibration still on, %.
        relief_later_pct: Relief 3 h after the session ended, %.
        gate_relief_pct: Relief from the fast gate alone, at once, while vibration runs, %.
        pain_verdict: ``"pain relief"``, ``"slight pain relief"``, ``"little or no pain relief"`` or
            ``"more pain"``.
        evidence: The evidence words for ``"nervous"``, ``"vessels"`` and ``"pain"`` (see :data:`EVIDENCE`).
    """

    frequency_hz: float
    amplitude_mm: float
    force_n: float
    duration_min: float
    site: str
    peak_velocity_m_s: float
    peak_acceleration_m_s2: float
    peak_acceleration_g: float
    rms_acceleration_m_s2: float
    extreme: bool
    waveform_time_ms: np.ndarray
    displacement_mm: np.ndarray
    acceleration_m_s2: np.ndarray
    time_min: np.ndarray
    during: np.ndarray
    tvr_drive: float
    tvr: np.ndarray
    phasic_reflex: np.ndarray
    depression: np.ndarray
    net_index: np.ndarray
    net_index_end: float
    tendon_reflex_end: float
    nervous_verdict: str
    blood_flow: np.ndarray
    blood_flow_end: float
    vasomotor_verdict: str
    large_fibre_drive: float
    relief_pct: np.ndarray
    relief_end_pct: float
    relief_later_pct: float
    gate_relief_pct: float
    pain_verdict: str
    evidence: tuple[tuple[str, str], ...]

    def evidence_for(self, panel: str) -> str:
        """The evidence words for ``panel``: ``"nervous"``, ``"vessels"`` or ``"pain"``."""
        return dict(self.evidence)[check_choice("panel", panel, list(EVIDENCE))]


def _nervous_verdict(net: float, duration_min: float) -> str:
    if duration_min == 0.0:
        return "none yet"
    if net > NET_BALANCED_BAND:
        return "net excitation"
    if net < -NET_BALANCED_BAND:
        return "net inhibition"
    return "roughly balanced"


def _pain_verdict(relief_pct: float) -> str:
    for bound, words in RELIEF_WORDS:
        if relief_pct >= bound:
            return words
    return "more pain"


def vibration_session(frequency_hz: float, amplitude_mm: float, force_n: float, duration_min: float,
                      site: str = "forearm") -> VibrationSession:
    """Run every vibration model once for one session and return all curves, end values and verdict words.

    Each argument is checked once, here; the models then run through their unchecked helpers. The results agree
    with the public functions (:func:`~course_utils.models.vibration.sine_kinematics`,
    :func:`~course_utils.models.nervous.nervous_time_course`, :func:`~course_utils.models.bloodflow.skin_blood_flow`,
    :func:`~course_utils.models.pain.pain_time_course`, …) called with the same settings.

    Args:
        frequency_hz: Vibration frequency, Hz (1–300).
        amplitude_mm: PEAK displacement of the applicator, mm (0.01–10).
        force_n: Pressing force, N (1–100); only the pain model uses it.
        duration_min: Session length, min (0–45).
        site: Where blood flow is judged: ``"forearm"`` (forearm and leg skin) or ``"finger"``.

    Returns:
        A frozen :class:`VibrationSession` (read-only arrays).

    Raises:
        ValueError, TypeError: An argument is missing its range or type; the message names it, with range and unit.

    Notebook: 07_vibration_effects (the explorer draws it); 09 (the planner).

    Example:
        >>> s = vibration_session(125, 0.2, 50, 30, site="finger")   # 87 m/s² r.m.s. at 125 Hz (Bovenzi 1997)
        >>> s.vasomotor_verdict, round(s.blood_flow_end, 2)
        ('constriction', 0.52)
    """
    f = check_number("frequency_hz", frequency_hz, unit="Hz", low=vibration.FREQUENCY_RANGE_HZ[0],
                     high=vibration.FREQUENCY_RANGE_HZ[1])
    a = check_number("amplitude_mm", amplitude_mm, unit="mm", low=vibration.AMPLITUDE_RANGE_MM[0],
                     high=vibration.AMPLITUDE_RANGE_MM[1])
    force = check_number("force_n", force_n, unit="N", low=vibration.FORCE_RANGE_N[0],
                         high=vibration.FORCE_RANGE_N[1])
    dur = check_number("duration_min", duration_min, unit="min", low=vibration.DURATION_RANGE_MIN[0],
                       high=vibration.DURATION_RANGE_MIN[1])
    where = check_choice("site", site, bloodflow.SITES)

    # waveform
    w = 2.0 * math.pi * f
    v_peak = w * a / 1000.0
    acc_peak = w * w * a / 1000.0
    kin = vibration._kinematics(WAVEFORM_TIME_MS / 1000.0, f, a)

    # the time courses, with the end of the session appended (one model run each)
    t = np.append(SESSION_TIME_MIN, dur)
    nc = nervous._course(t, f, a)
    flow = bloodflow._flow(t, f, a, where)

    # pain: the course, then the end (vibration on) and 3 h later, in one run of the gate model
    big = float(pain._l(f, a, force))
    small = float(pain._s(force))
    _, relief = pain._course(np.append(t, dur + LATER_MIN), big, small, dur)
    _, t_rest = pain._steady(0.0, pain.ONGOING_PAIN_DRIVE, pain.DESCENDING_INHIBITION)
    _, t_gate = pain._steady(big, small, pain.DESCENDING_INHIBITION)
    relief_end = float(relief[-2])
    net_end = float(nc.net_index[-1])

    return VibrationSession(
        frequency_hz=f, amplitude_mm=a, force_n=force, duration_min=dur, site=where,
        peak_velocity_m_s=v_peak, peak_acceleration_m_s2=acc_peak,
        peak_acceleration_g=acc_peak / vibration.STANDARD_GRAVITY_M_S2,
        rms_acceleration_m_s2=acc_peak / math.sqrt(2.0),
        extreme=acc_peak > vibration.EXTREME_ACCELERATION_M_S2,
        waveform_time_ms=WAVEFORM_TIME_MS, displacement_mm=_readonly(kin.displacement_mm),
        acceleration_m_s2=_readonly(kin.acceleration_m_s2),
        time_min=SESSION_TIME_MIN, during=_readonly(SESSION_TIME_MIN <= dur),
        tvr_drive=float(nervous._drive(f, a)),
        tvr=_readonly(nc.tvr[:-1]), phasic_reflex=_readonly(nc.phasic_reflex[:-1]),
        depression=_readonly(nc.depression[:-1]), net_index=_readonly(nc.net_index[:-1]),
        net_index_end=net_end, tendon_reflex_end=float(nc.phasic_reflex[-1]),
        nervous_verdict=_nervous_verdict(net_end, dur),
        blood_flow=_readonly(flow[:-1]), blood_flow_end=float(flow[-1]),
        vasomotor_verdict=bloodflow._verdict(float(flow[-1])),
        large_fibre_drive=big, relief_pct=_readonly(relief[:-2]), relief_end_pct=relief_end,
        relief_later_pct=float(relief[-1]), gate_relief_pct=float(100.0 * (t_rest - t_gate) / t_rest),
        pain_verdict=_pain_verdict(relief_end),
        evidence=tuple(EVIDENCE.items()),
    )
