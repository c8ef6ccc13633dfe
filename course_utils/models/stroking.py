"""Stroking and the C-tactile (CT) afferents (notebook ``03_stroking``).

CT afferents are slow, unmyelinated touch fibres in hairy skin. Microneurography shows that they fire most to
gentle strokes at 1–10 cm/s, the same speeds people rate most pleasant (loken2009), and that this tuning is
sharpest when the stroking object is at skin temperature, 32 °C, rather than cool (18 °C) or warm (42 °C)
(ackerley2014). Ackerley 2014 stroked the forearm at 0.3, 1, 3, 10 and 30 cm/s. The 1–10 cm/s preference in
pleasantness holds at every site tested except the palm (ackerley2014b).

The model here is a teaching model (ours): a Gaussian in log10(speed), i.e. an inverted U in log speed, peaking at
3 cm/s (the middle of 1–10 cm/s on a log scale). Its *shape* follows those papers; its *scale* is normalised so
that the best stroke at 32 °C gives 1. It is not a fit to the published firing rates, and the numbers for 18 and
42 °C (a lower, flatter curve) are ours: the papers report that firing was lower and less speed-tuned away from
32 °C, not these particular values. Between the tested temperatures the parameters are interpolated linearly
(ours). Say all this in the notebook.
"""

from __future__ import annotations

import math

import numpy as np

from ..validation import check_array, check_number

__all__ = [
    "CT_PREFERRED_BAND_CM_S",
    "CT_PEAK_SPEED_CM_S",
    "TESTED_SPEEDS_CM_S",
    "TESTED_TEMPERATURES_C",
    "SKIN_TEMPERATURE_C",
    "SPEED_RANGE_CM_S",
    "TEMPERATURE_RANGE_C",
    "CT_TUNING",
    "ct_response",
    "pleasantness_link",
]

# ---------------------------------------------------------------------------------------------------------------
# Constants (one block), each with its citation key; "ours" marks a teaching choice.
# ---------------------------------------------------------------------------------------------------------------
CT_PREFERRED_BAND_CM_S = (1.0, 10.0)  # CT firing and pleasantness highest at 1–10 cm/s: loken2009 (firing and
#   pleasantness); ackerley2014b measured pleasantness only (1–10 cm/s preferred at every site but the palm)
CT_PEAK_SPEED_CM_S = 3.0  # ours: log-centre of 1–10 cm/s (√10 ≈ 3.2), rounded to the tested speed 3 cm/s
TESTED_SPEEDS_CM_S = (0.3, 1.0, 3.0, 10.0, 30.0)  # stroking speeds used by ackerley2014
TESTED_TEMPERATURES_C = (18.0, 32.0, 42.0)  # stroking-probe temperatures tested: ackerley2014
SKIN_TEMPERATURE_C = 32.0  # "neutral" typical skin temperature where CT tuning is strongest: ackerley2014
SPEED_RANGE_CM_S = (0.3, 30.0)  # valid range = the tested range: loken2009, ackerley2014
TEMPERATURE_RANGE_C = (18.0, 42.0)  # valid range = the tested range: ackerley2014
# Tuning at each tested temperature: peak height (normalised) and width (standard deviation in decades of speed).
# All numbers ours; only the ordering (32 °C highest and most sharply tuned) is from ackerley2014. They are chosen
# so that the 18 and 42 °C curves lie below the 32 °C curve at every speed from 0.3 to 30 cm/s.
CT_TUNING = {
    18.0: {"peak": 0.5, "width_decades": 0.7},  # ours: weaker and flatter (cool probe)
    32.0: {"peak": 1.0, "width_decades": 0.55},  # ours: 1 by normalisation; 1–10 cm/s ≥ 0.6, 0.3 and 30 cm/s ≈ 0.2
    42.0: {"peak": 0.5, "width_decades": 0.7},  # ours: weaker and flatter (warm probe)
}
PLEASANTNESS_TRACKS_CT_AT_C = 32.0  # CT firing correlated with pleasantness only at 32 °C: ackerley2014

_T_ANCHORS = tuple(sorted(CT_TUNING))
_LOG_PEAK = math.log10(CT_PEAK_SPEED_CM_S)


def _check_temperature(temperature_c) -> float:
    return check_number("temperature_c", temperature_c, unit="°C", low=TEMPERATURE_RANGE_C[0],
                        high=TEMPERATURE_RANGE_C[1])


def _curve(log_speed: np.ndarray, anchor_c: float) -> np.ndarray:
    tuning = CT_TUNING[anchor_c]
    z = (log_speed - _LOG_PEAK) / tuning["width_decades"]
    return tuning["peak"] * np.exp(-0.5 * z * z)


def ct_response(speed_cm_s, temperature_c: float = SKIN_TEMPERATURE_C) -> np.ndarray:
    """Normalised C-tactile firing for a stroke at a given speed and temperature (teaching model, ours).

    An inverted U in log10(speed) peaking at 3 cm/s, strongest over 1–10 cm/s (loken2009; ackerley2014), highest
    and most sharply tuned at skin temperature, 32 °C, lower and flatter at 18 and 42 °C (ackerley2014). Shape
    from those papers; scale normalised to 1 for the best stroke at 32 °C; the exact numbers (:data:`CT_TUNING`)
    are ours. Between tested temperatures the two neighbouring curves are blended linearly (ours), so no
    temperature ever beats 32 °C at any speed.

    Args:
        speed_cm_s: Stroke speed in cm/s, 0.3–30 (number or array), the range the studies tested.
        temperature_c: Temperature of the stroking hand or probe in °C, 18–42.

    Returns:
        Relative CT response, 0–1, same shape as ``speed_cm_s``.

    Example:
        >>> float(ct_response(3.0))
        1.0

    Explained in notebook 03_stroking.
    """
    v = check_array("speed_cm_s", speed_cm_s, unit="cm/s", low=SPEED_RANGE_CM_S[0], high=SPEED_RANGE_CM_S[1])
    t = _check_temperature(temperature_c)
    log_v = np.log10(v)
    upper = next(anchor for anchor in _T_ANCHORS if anchor >= t)
    lower = max(anchor for anchor in _T_ANCHORS if anchor <= t)
    if upper == lower:
        return _curve(log_v, upper)
    share = (t - lower) / (upper - lower)
    return (1.0 - share) * _curve(log_v, lower) + share * _curve(log_v, upper)


def pleasantness_link(temperature_c: float = SKIN_TEMPERATURE_C) -> dict:
    """Whether CT firing predicts how pleasant a stroke feels at this temperature.

    In ackerley2014, CT firing correlated with pleasantness ratings only when the probe was at 32 °C, not at 18
    or 42 °C. Between the tested temperatures we use the nearest tested one (ours).

    Args:
        temperature_c: Temperature of the stroking hand or probe in °C, 18–42.

    Returns:
        A dict with ``nearest_tested_c`` (18, 32 or 42), ``tracks_ct`` (True only when that is 32 °C) and
        ``message``, one plain sentence for the explorer's text panel.

    Explained in notebook 03_stroking.
    """
    t = _check_temperature(temperature_c)
    nearest = min(TESTED_TEMPERATURES_C, key=lambda anchor: abs(anchor - t))
    tracks = nearest == PLEASANTNESS_TRACKS_CT_AT_C
    if tracks:
        message = ("At skin temperature the strokes that make CT fibres fire most (1–10 cm/s) are also the ones "
                   "rated most pleasant.")
    else:
        word = "cool" if nearest < PLEASANTNESS_TRACKS_CT_AT_C else "warm"
        message = (f"With a {word} touch (tested at {nearest:g} °C) CT firing no longer tracks how pleasant the "
                   "stroke feels; the link was found only at skin temperature (32 °C).")
    return {"nearest_tested_c": nearest, "tracks_ct": tracks, "message": message}
