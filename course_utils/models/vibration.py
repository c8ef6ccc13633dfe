"""Vibration physics: the waveform, its units, and soft tissue as a damped oscillator (notebook 06_vibration_physics).

A massage vibrator moves the skin back and forth. The simplest picture is a sine wave of peak displacement A and
frequency f:

    x(t) = A·sin(2πft),   v(t) = 2πfA·cos(2πft),   a(t) = −(2πf)²A·sin(2πft)

so the peak velocity is 2πfA and the peak acceleration (2πf)²A: doubling the frequency at the same amplitude
quadruples the acceleration. The root-mean-square (r.m.s.) value of a sine is its peak divided by √2. Accelerations
are often quoted in g, with the standard acceleration of gravity g_n = 9.80665 m/s² (a defined constant, not a
measurement: 3rd General Conference on Weights and Measures, CGPM 1901).

Soft tissue under an applicator is pictured as a mass on a spring and damper whose base is shaken (a base-excited
single-degree-of-freedom oscillator; Rao 2017, *Mechanical Vibrations* [rao2017]). How much of the motion gets
through is the transmissibility

    T(r, ζ) = sqrt{ [1 + (2ζr)²] / [(1 − r²)² + (2ζr)²] },   r = f / f_n

with f_n the natural frequency and ζ the damping ratio. It is 1 at low frequency, peaks near r = 1, passes through
1 again at r = √2 for every ζ, and falls below 1 above: high frequencies are filtered out by the tissue.

The explorer control ranges of notebook 07 (frequency, amplitude, force, duration) are defined here once and used by
:mod:`course_utils.models.receptors`, :mod:`course_utils.models.nervous`, :mod:`course_utils.models.bloodflow` and
:mod:`course_utils.models.pain`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ..validation import check_array, check_number

__all__ = ["STANDARD_GRAVITY_M_S2", "FREQUENCY_RANGE_HZ", "AMPLITUDE_RANGE_MM", "FORCE_RANGE_N",
           "DURATION_RANGE_MIN", "EXTREME_ACCELERATION_M_S2", "Kinematics", "sine_kinematics", "peak_velocity_m_s",
           "peak_acceleration_m_s2",
           "amplitude_for_acceleration_mm", "rms", "sine_rms_from_peak", "to_g", "from_g", "transmissibility"]

# ------------------------------------------------------------------------------------------------- constants
STANDARD_GRAVITY_M_S2 = 9.80665
"""Standard acceleration of gravity g_n (m/s²): exact by definition (3rd CGPM, 1901); not a measured value."""

FREQUENCY_RANGE_HZ = (1.0, 300.0)
"""Frequency control of the 07 explorer (Hz): from slow shaking to the top of massage-device frequencies (ours)."""
AMPLITUDE_RANGE_MM = (0.01, 10.0)
"""Peak displacement control of the 07 explorer (mm): a faint buzz to a large percussive stroke (ours)."""
FORCE_RANGE_N = (1.0, 100.0)
"""Pressing-force control of the 07 explorer (N): a light touch to leaning in with body weight (ours)."""
DURATION_RANGE_MIN = (0.0, 45.0)
"""Exposure-duration control of the 07 explorer (min): up to the 45 min of Lundeberg 1983 [lundeberg1983]."""

EXTREME_ACCELERATION_M_S2 = 1000.0
"""TEACHING CHOICE (ours): peak accelerations above this (≈ 100 g) are physically extreme for massage. It lies
above the ≈ 890 m/s² upper free-air estimate for massage guns that follows from science.md §6's device ranges
(up to 53 Hz, a 16 mm stroke, i.e. 8 mm peak: (2π·53)²·0.008 m ≈ 890 m/s²), and a head pressed into tissue moves
less than in free air. The explorer's corner, 300 Hz at 10 mm, is (2π·300)²·0.01 m ≈ 35 500 m/s²: no hand-held
device keeps that amplitude at that frequency, and the models only extrapolate there."""

_TIME_MAX_S = 3600.0  # longest waveform time accepted (s), an hour (ours)
_KIN_FREQUENCY_MAX_HZ = 1000.0  # physics functions also serve notebook 06's wider plots (ours)
_ACCELERATION_MAX_M_S2 = 1.0e5  # larger than (2π·300 Hz)²·10 mm ≈ 3.6e4 m/s², the explorer's corner (ours)
_SIGNAL_MAX = 1.0e6  # largest |value| accepted by rms and sine_rms_from_peak, any unit (ours)
_RATIO_MAX = 100.0  # frequency ratio r = f/f_n shown (ours)
_DAMPING_RANGE = (0.01, 10.0)  # damping ratio ζ accepted: lightly damped to heavily overdamped (ours)
_MM_PER_M = 1000.0


class Kinematics(NamedTuple):
    """Displacement, velocity and acceleration of a sine vibration at the given times."""

    displacement_mm: np.ndarray
    velocity_m_s: np.ndarray
    acceleration_m_s2: np.ndarray


# ------------------------------------------------------------------------------------------------- helpers
def _freq(frequency_hz: object) -> np.ndarray:
    return check_array("frequency_hz", frequency_hz, unit="Hz", low=0.0, high=_KIN_FREQUENCY_MAX_HZ, low_open=True)


def _amp(amplitude_mm: object) -> np.ndarray:
    return check_array("amplitude_mm", amplitude_mm, unit="mm", low=0.0, high=AMPLITUDE_RANGE_MM[1])


def _broadcast(**arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Broadcast checked arrays together; a shape mismatch is a ValueError that names the arguments."""
    try:
        return tuple(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise ValueError(f"These arguments must have matching shapes (or be single numbers); got {shapes}.") from None


def _out(x: np.ndarray) -> np.ndarray | float:
    """Return a Python float for 0-d results, the array otherwise."""
    return float(x) if np.ndim(x) == 0 else x


def _kinematics(t_s: np.ndarray, f: float, a_mm: float) -> Kinematics:
    """Sine kinematics for checked inputs (no checks here: see :func:`sine_kinematics`)."""
    w = 2.0 * math.pi * f
    sin = np.sin(w * t_s)
    a_m = a_mm / _MM_PER_M
    return Kinematics(a_mm * sin, w * a_m * np.cos(w * t_s), -(w**2) * a_m * sin)


# ------------------------------------------------------------------------------------------------- kinematics
def sine_kinematics(time_s: object, frequency_hz: float, amplitude_mm: float) -> Kinematics:
    """Displacement, velocity and acceleration of x(t) = A·sin(2πft) at the given times.

    Args:
        time_s: Times, s (0–3600); a number or an array.
        frequency_hz: Vibration frequency f, Hz (0 < f ≤ 1000).
        amplitude_mm: Peak displacement A, mm (0–10).

    Returns:
        ``Kinematics(displacement_mm, velocity_m_s, acceleration_m_s2)``, arrays shaped like ``time_s``.

    Notebook: 06_vibration_physics. Source: elementary kinematics of simple harmonic motion [rao2017].

    Example:
        >>> k = sine_kinematics([0.0, 0.0025], 100, 1.0)   # a quarter period later x is at its peak
        >>> round(float(k.displacement_mm[1]), 6)
        1.0
    """
    t = check_array("time_s", time_s, unit="s", low=0.0, high=_TIME_MAX_S)
    f = check_number("frequency_hz", frequency_hz, unit="Hz", low=0.0, high=_KIN_FREQUENCY_MAX_HZ, low_open=True)
    a_mm = check_number("amplitude_mm", amplitude_mm, unit="mm", low=0.0, high=AMPLITUDE_RANGE_MM[1])
    return _kinematics(t, f, a_mm)


def peak_velocity_m_s(frequency_hz: object, amplitude_mm: object) -> np.ndarray | float:
    """Peak velocity v = 2πfA of a sine vibration, m/s.

    Args:
        frequency_hz: Frequency, Hz (0 < f ≤ 1000); number or array.
        amplitude_mm: Peak displacement, mm (0–10); number or array (broadcast with ``frequency_hz``).

    Returns:
        Peak velocity in m/s (a float for scalar input).

    Notebook: 06_vibration_physics. Source: simple harmonic motion [rao2017].

    Example:
        >>> round(peak_velocity_m_s(100, 1.0), 4)   # 2π·100 Hz·0.001 m
        0.6283
    """
    f, a = _broadcast(frequency_hz=_freq(frequency_hz), amplitude_mm=_amp(amplitude_mm))
    return _out(2.0 * math.pi * f * a / _MM_PER_M)


def peak_acceleration_m_s2(frequency_hz: object, amplitude_mm: object) -> np.ndarray | float:
    """Peak acceleration a = (2πf)²A of a sine vibration, m/s².

    Args:
        frequency_hz: Frequency, Hz (0 < f ≤ 1000); number or array.
        amplitude_mm: Peak displacement, mm (0–10); number or array (broadcast with ``frequency_hz``).

    Returns:
        Peak acceleration in m/s² (a float for scalar input).

    Notebook: 06_vibration_physics. Source: simple harmonic motion [rao2017].

    Example:
        >>> round(peak_acceleration_m_s2(100, 1.0), 1)   # (2π·100)²·0.001 m ≈ 40 g
        394.8
    """
    f, a = _broadcast(frequency_hz=_freq(frequency_hz), amplitude_mm=_amp(amplitude_mm))
    return _out((2.0 * math.pi * f) ** 2 * a / _MM_PER_M)


def amplitude_for_acceleration_mm(frequency_hz: object, acceleration_m_s2: object) -> np.ndarray | float:
    """Peak displacement A = a / (2πf)² that gives a peak acceleration a at frequency f, mm.

    Useful to compare frequencies "at equal acceleration", as Bovenzi & Griffin 1997 did [bovenzi1997].

    Args:
        frequency_hz: Frequency, Hz (0 < f ≤ 1000); number or array.
        acceleration_m_s2: Peak acceleration, m/s² (0–100 000); number or array.

    Returns:
        Peak displacement in mm (a float for scalar input).

    Notebook: 06_vibration_physics, 07_vibration_effects.

    Example:
        >>> round(amplitude_for_acceleration_mm(125, 22), 4)   # 22 m/s² at 125 Hz is a tiny motion
        0.0357
    """
    f, a = _broadcast(frequency_hz=_freq(frequency_hz),
                      acceleration_m_s2=check_array("acceleration_m_s2", acceleration_m_s2, unit="m/s²", low=0.0,
                                                    high=_ACCELERATION_MAX_M_S2))
    return _out(a / (2.0 * math.pi * f) ** 2 * _MM_PER_M)


def rms(values: object) -> float:
    """Root-mean-square of a sampled signal, sqrt(mean(x²)), in the unit of ``values``.

    For a sine sampled over whole periods this equals peak/√2 (see :func:`sine_rms_from_peak`).

    Args:
        values: A 1-D array of at least 2 samples, any unit (|x| ≤ 1 000 000).

    Notebook: 06_vibration_physics.
    """
    x = check_array("values", values, unit="", low=-_SIGNAL_MAX, high=_SIGNAL_MAX, ndim=1, min_size=2)
    return float(np.sqrt(np.mean(x * x)))


def sine_rms_from_peak(peak: object) -> np.ndarray | float:
    """r.m.s. value of a sine wave from its peak value: peak/√2 (same unit as ``peak``).

    Args:
        peak: Peak value(s) (0–1 000 000) of displacement, velocity or acceleration, any unit.

    Notebook: 06_vibration_physics. Source: definition of r.m.s. applied to a sine [rao2017].

    Example:
        >>> round(sine_rms_from_peak(10.0), 3)
        7.071
    """
    return _out(check_array("peak", peak, unit="", low=0.0, high=_SIGNAL_MAX) / math.sqrt(2.0))


def to_g(acceleration_m_s2: object) -> np.ndarray | float:
    """Convert acceleration from m/s² to multiples of standard gravity g_n = 9.80665 m/s².

    Args:
        acceleration_m_s2: Acceleration(s), m/s² (|a| ≤ 100 000; signed values allowed).

    Notebook: 06_vibration_physics. Source: g_n is defined exactly (3rd CGPM, 1901).

    Example:
        >>> to_g(9.80665)
        1.0
    """
    a = check_array("acceleration_m_s2", acceleration_m_s2, unit="m/s²", low=-_ACCELERATION_MAX_M_S2,
                    high=_ACCELERATION_MAX_M_S2)
    return _out(a / STANDARD_GRAVITY_M_S2)


def from_g(acceleration_g: object) -> np.ndarray | float:
    """Convert acceleration from multiples of g_n to m/s² (g_n = 9.80665 m/s², exact).

    Args:
        acceleration_g: Acceleration(s) in g (|a| ≤ 10 000 g; signed values allowed).

    Notebook: 06_vibration_physics.

    Example:
        >>> round(from_g(0.4), 3)   # the 0.4 g of Tzen et al. 2018 [tzen2018]
        3.923
    """
    lim = _ACCELERATION_MAX_M_S2 / 10.0
    return _out(check_array("acceleration_g", acceleration_g, unit="g", low=-lim, high=lim) * STANDARD_GRAVITY_M_S2)


# ------------------------------------------------------------------------------------- tissue as an oscillator
def transmissibility(frequency_ratio: object, damping_ratio: object) -> np.ndarray | float:
    """Displacement transmissibility of a base-excited, viscously damped single-degree-of-freedom oscillator.

    T(r, ζ) = sqrt{[1 + (2ζr)²] / [(1 − r²)² + (2ζr)²]} (Rao 2017, base excitation [rao2017]). T = 1 at r = 0 and
    at r = √2 for every ζ; near r = 1 it peaks at about sqrt(1 + 4ζ²)/(2ζ) when ζ is small; above r = √2 the
    tissue passes less motion than the applicator gives it. Teaching model: real tissue is layered and nonlinear.

    Args:
        frequency_ratio: r = f / f_n, the driving frequency over the natural frequency (0–100); number or array.
        damping_ratio: ζ, dimensionless (0.01–10); number or array (broadcast with ``frequency_ratio``).

    Returns:
        The amplitude ratio (tissue motion / applicator motion), dimensionless; a float for scalar input.

    Notebook: 06_vibration_physics.

    Example:
        >>> round(transmissibility(2 ** 0.5, 0.3), 12)
        1.0
    """
    r = check_array("frequency_ratio", frequency_ratio, unit="", low=0.0, high=_RATIO_MAX)
    z = check_array("damping_ratio", damping_ratio, unit="", low=_DAMPING_RANGE[0], high=_DAMPING_RANGE[1])
    r, z = _broadcast(frequency_ratio=r, damping_ratio=z)
    two_zr_sq = (2.0 * z * r) ** 2
    return _out(np.sqrt((1.0 + two_zr_sq) / ((1.0 - r * r) ** 2 + two_zr_sq)))
