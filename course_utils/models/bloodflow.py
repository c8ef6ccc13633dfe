"""Vibration and skin blood flow: dilation or constriction (notebook 07_vibration_effects, claim C23).

Teaching model (ours: shapes from the sources below, sizes and widths named as teaching parameters; the notebook
says so). What the sources support:

* Moderate vibration dilates skin vessels: forearm skin blood flow rose by minute 4 and peaked by minute 5 of
  30 or 50 Hz vibration [maloneyhinds2008]; vibration about doubled leg skin blood flow [lohman2007]; 20 and 25 Hz
  raised it, 15 Hz did not [mahbub2020]; 30 Hz at 0.4 g raised it during vibration [tzen2018].
* Strong, higher-frequency vibration constricts: at equal acceleration (22 m/s²), 125 Hz cut finger blood flow
  more than 31.5 Hz [bovenzi1997]; 2 min of chisel vibration reduced flow [egan1996].
* Russian-school teaching notes agree on frequency: 20–50 Hz → vascular atony (dilation), 100–200 Hz →
  angiospasm (constriction) [russian_vibration].

The model (ours), flow relative to baseline (1 = baseline):

    flow(t) = max(floor, 1 + G_dil·w_dil(f)·s_dil(a)·k_dil(t) − G_con·w_con(f)·s_con(a)·k_con(t))

w_dil is a log-frequency bump centred on 40 Hz; w_con a logistic rise in log frequency (half at 80 Hz); s_dil and
s_con saturate with peak acceleration a = (2πf)²A; k_dil is a smooth step that is mostly done by minute 4 and
complete by minute 5; k_con rises within about a minute.

Limits: forearm/leg skin and finger flow are mixed (fingers have a strong sympathetic, constrictor supply, so
31.5 Hz may reduce finger flow where the model shows forearm dilation); no recovery phase (after 30 Hz flow fell
below baseline, after 50 Hz it stayed above [maloneyhinds2008]); no body-wide reflex (the unexposed hand also
constricted [bovenzi1997]); the brief dilation at the start of very strong 125 Hz exposure [bovenzi1997] is not
modelled; pressing force is not modelled.
"""

from __future__ import annotations

import math

import numpy as np

from ..validation import check_array, check_number
from .vibration import AMPLITUDE_RANGE_MM, DURATION_RANGE_MIN, FREQUENCY_RANGE_HZ

__all__ = ["DILATION_GAIN", "CONSTRICTION_GAIN", "skin_blood_flow", "vasomotor_verdict"]

# ------------------------------------------------------------------------------------------------- constants
DILATION_GAIN = 1.0
"""G_dil: largest rise, as a share of baseline; vibration "about doubled" skin blood flow [lohman2007] (frequency
not retrieved for that study)."""
DILATION_BEST_FREQUENCY_HZ = 40.0
"""Centre of the dilation band (Hz): the middle of the 30–50 Hz used by [maloneyhinds2008]; exact value ours."""
DILATION_TUNING_WIDTH = 0.45
"""FREE TEACHING PARAMETER (ours): width of the dilation band in natural-log units; gives little at 15 Hz and a
clear rise at 20–25 Hz, as [mahbub2020] found."""
DILATION_ACCEL_HALF_M_S2 = 2.0
"""FREE TEACHING PARAMETER (ours): peak acceleration (m/s²) giving half the dilation; 0.4 g (3.9 m/s²) at 30 Hz
already raised flow [tzen2018]."""
DILATION_HALF_TIME_MIN = 3.5
"""FREE TEACHING PARAMETER (ours): midpoint of the dilation step, chosen so flow has risen by minute 4 and peaked
by minute 5 [maloneyhinds2008]."""
DILATION_STEP_WIDTH_MIN = 0.4
"""FREE TEACHING PARAMETER (ours): steepness of that step (min)."""
CONSTRICTION_GAIN = 0.6
"""FREE TEACHING PARAMETER (ours): largest fall as a share of baseline; of the order of the fall of finger blood
flow to ~40% in a 16–315 Hz ramp study summarised in science.md §4 whose authors are not yet confirmed."""
CONSTRICTION_CORNER_HZ = 80.0
"""FREE TEACHING PARAMETER (ours): frequency (Hz) at which constriction reaches half its frequency weight; puts
31.5 Hz low and 125 Hz high, as [bovenzi1997] found, and 100–200 Hz in the constrictor range [russian_vibration]."""
CONSTRICTION_STEEPNESS = 3.0
"""FREE TEACHING PARAMETER (ours): steepness of that rise in log frequency."""
CONSTRICTION_ACCEL_HALF_M_S2 = 10.0
"""FREE TEACHING PARAMETER (ours): peak acceleration (m/s²) giving half the constriction (Bovenzi used 22 and
87 m/s² [bovenzi1997])."""
CONSTRICTION_TIME_MIN = 1.0
"""FREE TEACHING PARAMETER (ours): time constant (min) of constriction; 2 min of chisel vibration already reduced
flow [egan1996]."""
FLOW_FLOOR = 0.2
"""FREE TEACHING PARAMETER (ours): lowest relative flow the model returns."""
VERDICT_BAND = 0.1
"""FREE TEACHING PARAMETER (ours): changes smaller than ±10% of baseline are called "little change"."""

_MM_PER_M = 1000.0


# ------------------------------------------------------------------------------------------------- helpers
def _inputs(frequency_hz: object, amplitude_mm: object) -> tuple[float, float]:
    f = check_number("frequency_hz", frequency_hz, unit="Hz", low=FREQUENCY_RANGE_HZ[0], high=FREQUENCY_RANGE_HZ[1])
    a = check_number("amplitude_mm", amplitude_mm, unit="mm", low=AMPLITUDE_RANGE_MM[0], high=AMPLITUDE_RANGE_MM[1])
    return f, a


def _weights(f: float, a_mm: float) -> tuple[float, float]:
    """Dilation and constriction strengths (0–1 each) for frequency f (Hz) and amplitude a_mm (mm)."""
    acc = (2.0 * math.pi * f) ** 2 * a_mm / _MM_PER_M
    w_dil = math.exp(-math.log(f / DILATION_BEST_FREQUENCY_HZ) ** 2 / (2.0 * DILATION_TUNING_WIDTH**2))
    w_con = 1.0 / (1.0 + (CONSTRICTION_CORNER_HZ / f) ** CONSTRICTION_STEEPNESS)
    s_dil = acc / (acc + DILATION_ACCEL_HALF_M_S2)
    s_con = acc / (acc + CONSTRICTION_ACCEL_HALF_M_S2)
    return w_dil * s_dil, w_con * s_con


def _step(t_min: np.ndarray) -> np.ndarray:
    """Smooth step from 0 at t = 0 to 1, half-way at DILATION_HALF_TIME_MIN."""
    def sig(x: np.ndarray | float) -> np.ndarray | float:
        return 1.0 / (1.0 + np.exp(-x))

    s0 = sig(-DILATION_HALF_TIME_MIN / DILATION_STEP_WIDTH_MIN)
    return (sig((t_min - DILATION_HALF_TIME_MIN) / DILATION_STEP_WIDTH_MIN) - s0) / (1.0 - s0)


def _flow(t_min: np.ndarray, f: float, a_mm: float) -> np.ndarray:
    dil, con = _weights(f, a_mm)
    rel = (1.0 + DILATION_GAIN * dil * _step(t_min)
           - CONSTRICTION_GAIN * con * (1.0 - np.exp(-t_min / CONSTRICTION_TIME_MIN)))
    return np.maximum(FLOW_FLOOR, rel)


# ------------------------------------------------------------------------------------------------- public
def skin_blood_flow(time_min: object, frequency_hz: float, amplitude_mm: float) -> np.ndarray | float:
    """Skin blood flow during vibration, relative to baseline (1 = baseline, 2 = doubled).

    Moderate 30–50 Hz vibration dilates over minutes [maloneyhinds2008]; strong, higher-frequency vibration
    constricts, more at 125 Hz than at 31.5 Hz at the same acceleration [bovenzi1997]. Teaching model (ours).

    Args:
        time_min: Time since vibration began, min (0–45); number or array.
        frequency_hz: Frequency, Hz (1–300).
        amplitude_mm: Peak displacement, mm (0.01–10).

    Returns:
        Relative flow (≥ 0.2), shaped like ``time_min``; a float for scalar input.

    Notebook: 07_vibration_effects.

    Example:
        >>> skin_blood_flow(8, 40, 2.0) > 1.5   # 40 Hz, 2 mm, 8 min: clear dilation
        True
    """
    t = check_array("time_min", time_min, unit="min", low=DURATION_RANGE_MIN[0], high=DURATION_RANGE_MIN[1])
    f, a = _inputs(frequency_hz, amplitude_mm)
    out = _flow(t, f, a)
    return float(out) if out.ndim == 0 else out


def vasomotor_verdict(frequency_hz: float, amplitude_mm: float, duration_min: float) -> str:
    """One word for the verdict line: ``"dilation"``, ``"constriction"`` or ``"little change"``.

    Judged from the model's relative skin blood flow at the end of the exposure (±10% band).

    Args:
        frequency_hz: Frequency, Hz (1–300).
        amplitude_mm: Peak displacement, mm (0.01–10).
        duration_min: Exposure duration, min (0–45).

    Notebook: 07_vibration_effects.

    Example:
        >>> vasomotor_verdict(125, 0.5, 30)
        'constriction'
    """
    f, a = _inputs(frequency_hz, amplitude_mm)
    d = check_number("duration_min", duration_min, unit="min", low=DURATION_RANGE_MIN[0], high=DURATION_RANGE_MIN[1])
    flow = float(_flow(np.asarray(d), f, a))
    if flow > 1.0 + VERDICT_BAND:
        return "dilation"
    if flow < 1.0 - VERDICT_BAND:
        return "constriction"
    return "little change"
