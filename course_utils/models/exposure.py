"""Hand-arm vibration exposure: the Wh weighting, A(8) and the EU limits (notebook 08_devices_and_safety).

A therapist who holds a vibrating device takes in vibration through the hand. ISO 5349-1 [iso5349] measures it as
an RMS acceleration in m/s², after a **frequency weighting Wh** that counts low frequencies (about 8–16 Hz) fully
and higher ones less and less, because they are thought to harm the hand less per m/s². The weighting is a filter
defined by ISO 5349-1 Annex A, with exact parameters in ISO 8041-1 [iso8041] (science.md §5). With s = j·2πf and
ω_i = 2πf_i:

    band limiting, high-pass   H_h(s) = 1 / (1 + ω1/(Q1·s) + ω1²/s²)
    band limiting, low-pass    H_l(s) = 1 / (1 + s/(Q2·ω2) + s²/ω2²)
    acceleration–velocity      H_t(s) = K·(1 + s/ω3) / (1 + s/(Q4·ω4) + s²/ω4²)
    Wh(f) = |H_h · H_l · H_t| at s = j·2πf

The weighted accelerations of the three axes combine into the **vibration total value**
a_hv = √(a_hwx² + a_hwy² + a_hwz²), and a working day into the **daily exposure**

    A(8) = √( Σ_i a_hv,i² · T_i / T_0 ),   T_0 = 8 h,

the steady vibration that, held for 8 hours, would give the same dose. Directive 2002/44/EC [eu2002] sets an
exposure action value of 2.5 m/s² and an exposure limit value of 5 m/s² A(8); it is addressed to employers of
workers (a self-employed therapist may not be covered). ISO 5349-1 Annex C estimates the
years of such exposure after which 10 % of a group of workers would have vibration white finger:
D_y = 31.8·A(8)^−1.06 years. It is a group estimate from studies of workers using vibrating tools, not a
prediction for one person.

Every function here is plain arithmetic on these published definitions; no constant is ours except the ranges of
accepted arguments, which are marked (ours).
"""

from __future__ import annotations

import math

import numpy as np

from ..validation import check_array, check_number
from .vibration import _broadcast, _out  # shared with the other vibration models

__all__ = ["WH_F1_HZ", "WH_F2_HZ", "WH_Q1", "WH_Q2", "WH_F3_HZ", "WH_F4_HZ", "WH_Q4", "WH_K",
           "WH_FREQUENCY_RANGE_HZ", "EU_ACTION_VALUE_M_S2", "EU_LIMIT_VALUE_M_S2", "REFERENCE_DAY_MIN",
           "ANNEX_C_COEFFICIENT_YEARS", "ANNEX_C_EXPONENT", "wh_weighting", "frequency_weighted_acceleration",
           "vibration_total_value", "daily_exposure_a8", "partial_exposure_a8", "minutes_to_reach_a8",
           "exposure_verdict", "years_to_10pct_white_finger"]

# ------------------------------------------------------------------------------------------------- constants
# Wh filter parameters: ISO 5349-1:2001 Table A.1 rounds them; ISO 8041-1:2017 gives the exact values
# [iso5349; iso8041] (science.md §5).
WH_F1_HZ = 10.0**0.8
"""Corner frequency of the band-limiting high-pass, Hz (10^0.8 ≈ 6.310 Hz) [iso8041]."""
WH_F2_HZ = 10.0**3.1
"""Corner frequency of the band-limiting low-pass, Hz (10^3.1 ≈ 1258.9 Hz) [iso8041]."""
WH_Q1 = 1.0 / math.sqrt(2.0)
"""Quality factor of the high-pass (1/√2) [iso8041]."""
WH_Q2 = 1.0 / math.sqrt(2.0)
"""Quality factor of the low-pass (1/√2) [iso8041]."""
WH_F3_HZ = 100.0 / (2.0 * math.pi)
"""Acceleration–velocity transition, numerator corner, Hz (100/(2π) ≈ 15.915 Hz) [iso8041]."""
WH_F4_HZ = 100.0 / (2.0 * math.pi)
"""Acceleration–velocity transition, denominator corner, Hz (equal to f3) [iso8041]."""
WH_Q4 = 0.64
"""Quality factor of the acceleration–velocity transition [iso8041]."""
WH_K = 1.0
"""Gain of the acceleration–velocity transition (Wh has no upward step) [iso8041]."""

WH_FREQUENCY_RANGE_HZ = (0.1, 10000.0)
"""Frequencies at which :func:`wh_weighting` is evaluated, Hz: two decades around the standard's one-third-octave
bands (6.3–1250 Hz) (ours)."""

EU_ACTION_VALUE_M_S2 = 2.5
"""Daily exposure action value for hand-arm vibration, A(8) in m/s² (Directive 2002/44/EC) [eu2002]."""
EU_LIMIT_VALUE_M_S2 = 5.0
"""Daily exposure limit value for hand-arm vibration, A(8) in m/s² (Directive 2002/44/EC) [eu2002]."""
REFERENCE_DAY_MIN = 480.0
"""Reference duration T_0 of the daily exposure A(8): 8 h = 480 min [iso5349]."""

ANNEX_C_COEFFICIENT_YEARS = 31.8
"""ISO 5349-1 Annex C: years of exposure to 10 % prevalence of vibration white finger at A(8) = 1 m/s² [iso5349]."""
ANNEX_C_EXPONENT = -1.06
"""ISO 5349-1 Annex C: exponent of A(8) in D_y = 31.8·A(8)^−1.06 [iso5349]."""

_ACCELERATION_MAX_M_S2 = 1000.0  # largest acceleration accepted, m/s²: far above any hand-held tool (ours)
_MINUTES_MAX = 1440.0  # longest use per day accepted, min: a whole day (ours)
_LEVELS = ("below the action value", "action value reached", "limit value reached")


# ------------------------------------------------------------------------------------------------- helpers
def _acc(name: str, value: object) -> np.ndarray:
    return check_array(name, value, unit="m/s²", low=0.0, high=_ACCELERATION_MAX_M_S2)


def _omega(f_hz: float) -> float:
    return 2.0 * math.pi * f_hz


# ------------------------------------------------------------------------------------------------- weighting
def wh_weighting(frequency_hz: object) -> np.ndarray | float:
    """The ISO 5349-1 frequency weighting Wh at any frequency, from the exact filter definition.

    Args:
        frequency_hz: Frequency, Hz (0.1–10 000); a number or an array. Values between the standard's
            one-third-octave centres are valid: the filter is a continuous function of frequency.

    Returns:
        The weighting factor |H_h·H_l·H_t| (dimensionless, at most about 0.96), a float for a number, an array
        shaped like ``frequency_hz`` otherwise.

    Notebook: 08_devices_and_safety. Source: ISO 5349-1 Annex A [iso5349], exact parameters ISO 8041-1 [iso8041].

    Example:
        >>> round(wh_weighting(500 / (2 * 3.141592653589793)), 3)   # 500 rad/s, the check value 0.202
        0.202
    """
    f = check_array("frequency_hz", frequency_hz, unit="Hz", low=WH_FREQUENCY_RANGE_HZ[0],
                    high=WH_FREQUENCY_RANGE_HZ[1])
    s = 1j * 2.0 * math.pi * f
    w1, w2, w3, w4 = (_omega(x) for x in (WH_F1_HZ, WH_F2_HZ, WH_F3_HZ, WH_F4_HZ))
    high_pass = 1.0 / (1.0 + w1 / (WH_Q1 * s) + w1**2 / s**2)
    low_pass = 1.0 / (1.0 + s / (WH_Q2 * w2) + s**2 / w2**2)
    transition = WH_K * (1.0 + s / w3) / (1.0 + s / (WH_Q4 * w4) + s**2 / w4**2)
    return _out(np.abs(high_pass * low_pass * transition))


def frequency_weighted_acceleration(band_acceleration_m_s2: object, frequency_hz: object) -> float:
    """Combine unweighted RMS accelerations of frequency bands into one Wh-weighted value a_hw = √Σ(Wh_i·a_i)².

    Args:
        band_acceleration_m_s2: Unweighted RMS acceleration of each band (or of each pure tone), m/s² (0–1000).
        frequency_hz: Centre frequency of each band, Hz (0.1–10 000), same length as the accelerations.

    Returns:
        The frequency-weighted RMS acceleration a_hw, m/s².

    Notebook: 08_devices_and_safety. Source: ISO 5349-1 [iso5349] (science.md §5).

    Example:
        >>> round(frequency_weighted_acceleration([10.0], [40.0]), 2)   # 10 m/s² at 40 Hz (Wh 0.409)
        4.09
    """
    a = _acc("band_acceleration_m_s2", band_acceleration_m_s2)
    f = check_array("frequency_hz", frequency_hz, unit="Hz", low=WH_FREQUENCY_RANGE_HZ[0],
                    high=WH_FREQUENCY_RANGE_HZ[1])
    a, f = _broadcast(band_acceleration_m_s2=a, frequency_hz=f)
    return float(np.sqrt(np.sum((wh_weighting(f) * a) ** 2)))


def vibration_total_value(ahwx_m_s2: object, ahwy_m_s2: object, ahwz_m_s2: object) -> np.ndarray | float:
    """The vibration total value a_hv = √(a_hwx² + a_hwy² + a_hwz²) over the three axes at the hand.

    Args:
        ahwx_m_s2, ahwy_m_s2, ahwz_m_s2: Wh-weighted RMS acceleration along each axis, m/s² (0–1000); numbers
            or arrays of matching shape.

    Returns:
        a_hv, m/s²: a float for numbers, an array otherwise.

    Notebook: 08_devices_and_safety. Source: ISO 5349-1 [iso5349].

    Example:
        >>> vibration_total_value(2.0, 3.0, 6.0)   # √(4 + 9 + 36) = 7
        7.0
    """
    x, y, z = _broadcast(ahwx_m_s2=_acc("ahwx_m_s2", ahwx_m_s2), ahwy_m_s2=_acc("ahwy_m_s2", ahwy_m_s2),
                         ahwz_m_s2=_acc("ahwz_m_s2", ahwz_m_s2))
    return _out(np.sqrt(x**2 + y**2 + z**2))


# ------------------------------------------------------------------------------------------------- daily dose
def _tools(vibration_m_s2: object, minutes_per_day: object) -> tuple[np.ndarray, np.ndarray]:
    a = _acc("vibration_m_s2", vibration_m_s2)
    t = check_array("minutes_per_day", minutes_per_day, unit="min", low=0.0, high=_MINUTES_MAX)
    return _broadcast(vibration_m_s2=a, minutes_per_day=t)


def partial_exposure_a8(vibration_m_s2: object, minutes_per_day: object) -> np.ndarray | float:
    """Each tool's own share of the daily exposure, A_i(8) = a_hv,i·√(T_i / 8 h).

    The day's A(8) is the root of the sum of their squares (see :func:`daily_exposure_a8`).

    Args:
        vibration_m_s2: Vibration total value a_hv of each tool (Wh-weighted RMS), m/s² (0–1000).
        minutes_per_day: Time each tool is held per day, min (0–1440), same shape as ``vibration_m_s2``.

    Returns:
        A_i(8) in m/s², a float for one tool, an array for several.

    Notebook: 08_devices_and_safety. Source: ISO 5349-1 [iso5349].

    Example:
        >>> partial_exposure_a8(5.0, 120.0)   # 5·√(120/480) = 5·0.5
        2.5
    """
    a, t = _tools(vibration_m_s2, minutes_per_day)
    return _out(a * np.sqrt(t / REFERENCE_DAY_MIN))


def daily_exposure_a8(vibration_m_s2: object, minutes_per_day: object) -> float:
    """The daily vibration exposure A(8) of one tool or several, A(8) = √(Σ a_hv,i²·T_i / 8 h).

    Args:
        vibration_m_s2: Vibration total value a_hv of each tool (Wh-weighted RMS), m/s² (0–1000); a number for one
            tool or a list for several.
        minutes_per_day: Time each tool is held per day, min (0–1440), same length as ``vibration_m_s2``.

    Returns:
        A(8), m/s².

    Notebook: 08_devices_and_safety. Source: ISO 5349-1 [iso5349].

    Example:
        >>> round(daily_exposure_a8([4.0, 8.0], [120.0, 60.0]), 3)   # √((16·120 + 64·60)/480) = √12
        3.464
    """
    a, t = _tools(vibration_m_s2, minutes_per_day)
    return float(np.sqrt(np.sum(a**2 * t) / REFERENCE_DAY_MIN))


def minutes_to_reach_a8(vibration_m_s2: object, target_a8_m_s2: float = EU_ACTION_VALUE_M_S2,
                        already_a8_m_s2: float = 0.0) -> np.ndarray | float:
    """Minutes of use of a tool after which the day's exposure reaches a target A(8).

    Solves already² + a²·T/8 h = target² for T. With nothing taken yet this is T = 8 h·(target/a)²: halving a
    tool's vibration lets it be held four times as long.

    Args:
        vibration_m_s2: Vibration total value a_hv of the tool (Wh-weighted RMS), m/s² (0–1000); a number or an
            array (one answer per tool).
        target_a8_m_s2: The A(8) to reach, m/s² (greater than 0, at most 1000); the EU action value 2.5 by
            default, 5 for the limit value.
        already_a8_m_s2: The A(8) already taken today from other use, m/s² (0–1000).

    Returns:
        Minutes (a float or an array): ``0`` when the target is already reached, ``inf`` when the tool does not
        vibrate (it can never reach the target).

    Notebook: 08_devices_and_safety. Source: arithmetic on the A(8) definition of ISO 5349-1 [iso5349].

    Example:
        >>> minutes_to_reach_a8(5.0, 2.5)   # 480·(2.5/5)² = 120 min
        120.0
    """
    a = _acc("vibration_m_s2", vibration_m_s2)
    target = check_number("target_a8_m_s2", target_a8_m_s2, unit="m/s²", low=0.0, high=_ACCELERATION_MAX_M_S2,
                          low_open=True)
    already = check_number("already_a8_m_s2", already_a8_m_s2, unit="m/s²", low=0.0, high=_ACCELERATION_MAX_M_S2)
    room = max(target**2 - already**2, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        minutes = np.where(a > 0, REFERENCE_DAY_MIN * room / np.where(a > 0, a, 1.0) ** 2,
                           np.inf if room > 0 else 0.0)
    return _out(minutes)


def exposure_verdict(a8_m_s2: float) -> str:
    """Where a daily exposure stands against the EU values of Directive 2002/44/EC.

    Args:
        a8_m_s2: Daily exposure A(8), m/s² (0–1000).

    Returns:
        ``"below the action value"`` (under 2.5 m/s²), ``"action value reached"`` (2.5 up to 5) or
        ``"limit value reached"`` (5 m/s² or more). The Directive's values apply when they are exceeded; a dose
        exactly at a value is reported as reaching it.

    Notebook: 08_devices_and_safety. Source: Directive 2002/44/EC [eu2002].

    Example:
        >>> exposure_verdict(3.0)
        'action value reached'
    """
    a8 = check_number("a8_m_s2", a8_m_s2, unit="m/s²", low=0.0, high=_ACCELERATION_MAX_M_S2)
    if a8 >= EU_LIMIT_VALUE_M_S2:
        return _LEVELS[2]
    if a8 >= EU_ACTION_VALUE_M_S2:
        return _LEVELS[1]
    return _LEVELS[0]


def years_to_10pct_white_finger(a8_m_s2: object) -> np.ndarray | float:
    """ISO 5349-1 Annex C: years of daily exposure A(8) after which 10 % of a group have vibration white finger.

    D_y = 31.8·A(8)^−1.06 years. A group estimate from studies of workers using vibrating tools, most uncertain far
    from the exposures those studies saw (small doses lie below them, so the years there are an extrapolation); it
    does not predict when one person will be affected.

    Args:
        a8_m_s2: Daily exposure A(8), m/s² (greater than 0, at most 1000); a number or an array.

    Returns:
        Years of exposure, a float or an array.

    Notebook: 08_devices_and_safety. Source: ISO 5349-1 Annex C [iso5349].

    Example:
        >>> round(years_to_10pct_white_finger(2.5), 1)   # 31.8 · 2.5^−1.06 ≈ 12 years
        12.0
    """
    a8 = check_array("a8_m_s2", a8_m_s2, unit="m/s²", low=0.0, high=_ACCELERATION_MAX_M_S2, low_open=True)
    return _out(ANNEX_C_COEFFICIENT_YEARS * a8**ANNEX_C_EXPONENT)
