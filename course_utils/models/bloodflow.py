"""Vibration and skin blood flow at two sites: forearm skin dilates, finger vessels constrict (notebook 07, claim C23).

Teaching model (ours: shapes from the sources below, sizes and widths named as teaching parameters; the notebook
says so). The site matters, so the model has two:

* ``"forearm"``: forearm and leg skin. Vibration dilates its vessels: forearm skin blood flow rose by minute 4
  and peaked by minute 5 of 30 or 50 Hz platform vibration at 5–6 mm [maloneyhinds2008]. That was no gentle
  exposure: read as peak-to-peak (the smaller reading), 5–6 mm is about 90–110 m/s² peak at 30 Hz and 250–300 m/s²
  at 50 Hz, well above the 31 m/s² peak at which finger flow fell [bovenzi1997], and at 50 Hz above Bovenzi's
  strong 123 m/s² too. So the documented difference between the two sites is the SITE, not the intensity.
  Vibration about doubled leg skin blood flow [lohman2007] (its frequency was not retrieved; the model's size of
  dilation comes from it). Foot skin, used with that caveat: 30 Hz at 0.4 g raised foot skin blood flow during
  vibration [tzen2018]; in the foot skin of older adults, whole-body vibration at 20 and 25 Hz raised it while
  15 Hz did not [mahbub2020]. The forearm model has no constriction because none of these skin studies found any
  during vibration (ours). (In [egan1996] the hand was vibrated and forearm LIMB flow, mostly muscle, stayed
  unchanged; that is not forearm skin.)
* ``"finger"``: the fingers. Vibration lowers finger blood flow: 30 min at 22 m/s² r.m.s. reduced it at 31.5 Hz,
  and more at 125 Hz at the same acceleration [bovenzi1997]; 2 min of chisel vibration reduced flow in fingers
  and toes, measured before, DURING and after the vibration, the finger fall largest in its first minute
  [egan1996]. Russian-school teaching notes also put angiospasm (constriction) at 100–200 Hz [russian_vibration].
  The unexposed hand constricted too [bovenzi1997], which points to a reflex through the nervous system rather
  than a local effect alone. Bovenzi & Griffin measured before and 0, 20, 40 and 60 min AFTER each 30-min
  exposure, not during it; Egan et al. did measure during vibration and found the fall then. The model draws the
  fall as a course during vibration (Egan's timing with Bovenzi's frequency ranking: a teaching construct), and
  the size of its fall (e.g. 0.52 × at the power-tool setting) is ours, not measured.

The model (ours), flow relative to baseline (1 = baseline):

    forearm:  flow(t) = 1 + G_dil · w_dil(f) · s_dil(a) · k_dil(t)
    finger:   flow(t) = max(floor, 1 − G_con · w_con(f) · s_con(a) · k_con(t))

w_dil is a log-frequency bump centred on 40 Hz; w_con a rise in frequency, a third of its top at 31.5 Hz and
most of it by 125 Hz; s_dil and s_con saturate with the peak acceleration a = (2πf)²A; k_dil is a smooth step that
is mostly done by minute 4 and complete by minute 5; k_con rises within about a minute.

Units: the model takes the PEAK displacement A. Bovenzi & Griffin's 22 and 87 m/s² are r.m.s. values
(unweighted); for a sine the peak is √2 × r.m.s., so 87 m/s² r.m.s. at 125 Hz is 123 m/s² peak, A = 0.20 mm.

Limits: two sites only; no recovery phase (after 30 Hz forearm flow fell below baseline, after 50 Hz it stayed
above [maloneyhinds2008]); no body-wide reflex (the unexposed hand also constricted [bovenzi1997]); the dilation
measured just after the 87 m/s² exposure, before constriction set in during recovery [bovenzi1997], is not
modelled; pressing force is not modelled.
"""

from __future__ import annotations

import math

import numpy as np

from ..validation import check_array, check_choice, check_number
from .vibration import AMPLITUDE_RANGE_MM, DURATION_RANGE_MIN, FREQUENCY_RANGE_HZ

__all__ = ["SITES", "DILATION_GAIN", "CONSTRICTION_GAIN", "skin_blood_flow", "vasomotor_verdict"]

# ------------------------------------------------------------------------------------------------- constants
SITES = ("forearm", "finger")
"""The two sites of the model: forearm (and leg) skin [maloneyhinds2008; lohman2007] and the fingers
[bovenzi1997; egan1996]."""

DILATION_GAIN = 1.0
"""G_dil: largest rise of forearm/leg skin flow, as a share of baseline; vibration "about doubled" leg skin blood
flow [lohman2007] (frequency not retrieved for that study, so using it at every frequency is ours)."""
DILATION_BEST_FREQUENCY_HZ = 40.0
"""Centre of the dilation band (Hz): the middle of the 30–50 Hz used by [maloneyhinds2008]; exact value ours."""
DILATION_TUNING_WIDTH = 0.45
"""FREE TEACHING PARAMETER (ours): width of the dilation band in natural-log units; gives little at 15 Hz and a
clear rise at 20–25 Hz, as [mahbub2020] found in the FOOT skin of older adults during whole-body vibration (a
different site and vibration from the forearm curve it tunes)."""
DILATION_ACCEL_HALF_M_S2 = 2.0
"""FREE TEACHING PARAMETER (ours): peak acceleration (m/s²) giving half the dilation; 0.4 g (3.9 m/s²) at 30 Hz
already raised FOOT skin flow [tzen2018] (a different site from the forearm curve it tunes)."""
DILATION_HALF_TIME_MIN = 3.5
"""FREE TEACHING PARAMETER (ours): midpoint of the dilation step, chosen so flow has risen by minute 4 and peaked
by minute 5 [maloneyhinds2008]."""
DILATION_STEP_WIDTH_MIN = 0.4
"""FREE TEACHING PARAMETER (ours): steepness of that step (min)."""
CONSTRICTION_GAIN = 0.6
"""FREE TEACHING PARAMETER (ours): largest fall of finger flow as a share of baseline; of the order of the fall of
finger blood flow to ~40% in a 16–315 Hz ramp study ("Effect of the magnitude and frequency of hand-transmitted
vibration on finger blood flow during and after exposure to vibration", summarised in science.md §4); its title
and abstract were found, its authors (probably Ye & Griffin) not confirmed, so it is not in the reference list."""
CONSTRICTION_CORNER_HZ = 50.0
"""FREE TEACHING PARAMETER (ours): frequency (Hz) at which the finger's constriction reaches half its frequency
weight; puts 31.5 Hz at about a third and 125 Hz near the top, so both lower finger flow and 125 Hz more, as
[bovenzi1997] found."""
CONSTRICTION_STEEPNESS = 2.0
"""FREE TEACHING PARAMETER (ours): steepness of that rise in log frequency."""
CONSTRICTION_ACCEL_HALF_M_S2 = 10.0
"""FREE TEACHING PARAMETER (ours): peak acceleration (m/s²) giving half the constriction (Bovenzi used 22 and
87 m/s² r.m.s., 31 and 123 m/s² peak [bovenzi1997])."""
CONSTRICTION_TIME_MIN = 1.0
"""FREE TEACHING PARAMETER (ours): time constant (min) of constriction; 2 min of chisel vibration already reduced
finger flow [egan1996]."""
FLOW_FLOOR = 0.2
"""FREE TEACHING PARAMETER (ours): lowest relative flow the model returns."""
VERDICT_BAND = 0.1
"""FREE TEACHING PARAMETER (ours): changes smaller than ±10% of baseline are called "little change"."""

_MM_PER_M = 1000.0


# ------------------------------------------------------------------------------------------------- helpers
# The underscore helpers take checked values and do not check them again: the public functions below and
# :func:`course_utils.models.session.vibration_session` check every argument once.
def _inputs(frequency_hz: object, amplitude_mm: object, site: object) -> tuple[float, float, str]:
    f = check_number("frequency_hz", frequency_hz, unit="Hz", low=FREQUENCY_RANGE_HZ[0], high=FREQUENCY_RANGE_HZ[1])
    a = check_number("amplitude_mm", amplitude_mm, unit="mm", low=AMPLITUDE_RANGE_MM[0], high=AMPLITUDE_RANGE_MM[1])
    return f, a, check_choice("site", site, SITES)


def _step(t_min: np.ndarray) -> np.ndarray:
    """Smooth step from 0 at t = 0 to 1, half-way at DILATION_HALF_TIME_MIN."""
    def sig(x: np.ndarray | float) -> np.ndarray | float:
        return 1.0 / (1.0 + np.exp(-x))

    s0 = sig(-DILATION_HALF_TIME_MIN / DILATION_STEP_WIDTH_MIN)
    return (sig((t_min - DILATION_HALF_TIME_MIN) / DILATION_STEP_WIDTH_MIN) - s0) / (1.0 - s0)


def _flow(t_min: np.ndarray, f: float, a_mm: float, site: str) -> np.ndarray:
    """Relative flow at times ``t_min`` (min) for checked frequency f (Hz), peak amplitude a_mm (mm) and site."""
    acc = (2.0 * math.pi * f) ** 2 * a_mm / _MM_PER_M
    if site == "forearm":
        w_dil = math.exp(-math.log(f / DILATION_BEST_FREQUENCY_HZ) ** 2 / (2.0 * DILATION_TUNING_WIDTH**2))
        s_dil = acc / (acc + DILATION_ACCEL_HALF_M_S2)
        return 1.0 + DILATION_GAIN * w_dil * s_dil * _step(t_min)
    w_con = 1.0 / (1.0 + (CONSTRICTION_CORNER_HZ / f) ** CONSTRICTION_STEEPNESS)
    s_con = acc / (acc + CONSTRICTION_ACCEL_HALF_M_S2)
    fall = CONSTRICTION_GAIN * w_con * s_con * (1.0 - np.exp(-t_min / CONSTRICTION_TIME_MIN))
    return np.maximum(FLOW_FLOOR, 1.0 - fall)


def _verdict(flow: float) -> str:
    if flow > 1.0 + VERDICT_BAND:
        return "dilation"
    if flow < 1.0 - VERDICT_BAND:
        return "constriction"
    return "little change"


# ------------------------------------------------------------------------------------------------- public
def skin_blood_flow(time_min: object, frequency_hz: float, amplitude_mm: float,
                    site: str = "forearm") -> np.ndarray | float:
    """Skin blood flow during vibration at one site, relative to baseline (1 = baseline, 2 = doubled).

    Forearm (and leg) skin: 30–50 Hz vibration dilates over minutes, even at the strong accelerations of a
    vibration platform [maloneyhinds2008; lohman2007]. Finger: vibration lowers flow, during vibration [egan1996]
    and after it, already at 31.5 Hz and more at 125 Hz at the same acceleration [bovenzi1997]. The site, not the
    intensity, is the documented difference. Teaching model (ours; see the module text for its limits).

    Args:
        time_min: Time since vibration began, min (0–45); number or array.
        frequency_hz: Frequency, Hz (1–300).
        amplitude_mm: PEAK displacement, mm (0.01–10). From an r.m.s. acceleration a_rms use
            ``amplitude_for_acceleration_mm(f, √2 · a_rms)``.
        site: ``"forearm"`` (forearm and leg skin) or ``"finger"``.

    Returns:
        Relative flow (≥ 0.2), shaped like ``time_min``; a float for scalar input.

    Notebook: 07_vibration_effects.

    Example:
        >>> skin_blood_flow(8, 40, 2.0) > 1.5   # forearm, 40 Hz, 2 mm, 8 min: clear dilation
        True
        >>> skin_blood_flow(8, 40, 2.0, site="finger") < 1.0   # the same vibration narrows finger vessels
        True
    """
    t = check_array("time_min", time_min, unit="min", low=DURATION_RANGE_MIN[0], high=DURATION_RANGE_MIN[1])
    f, a, where = _inputs(frequency_hz, amplitude_mm, site)
    out = _flow(t, f, a, where)
    return float(out) if out.ndim == 0 else out


def vasomotor_verdict(frequency_hz: float, amplitude_mm: float, duration_min: float, site: str = "forearm") -> str:
    """One word for the verdict line: ``"dilation"``, ``"constriction"`` or ``"little change"``.

    Judged from the model's relative blood flow at the site at the end of the exposure (±10% band).

    Args:
        frequency_hz: Frequency, Hz (1–300).
        amplitude_mm: Peak displacement, mm (0.01–10).
        duration_min: Exposure duration, min (0–45).
        site: ``"forearm"`` (forearm and leg skin) or ``"finger"``.

    Notebook: 07_vibration_effects.

    Example:
        >>> vasomotor_verdict(125, 0.2, 30, site="finger")   # the power-tool exposure of Bovenzi & Griffin
        'constriction'
        >>> vasomotor_verdict(125, 0.2, 30)   # forearm skin: the model's dilation band is centred on 40 Hz
        'little change'
    """
    f, a, where = _inputs(frequency_hz, amplitude_mm, site)
    d = check_number("duration_min", duration_min, unit="min", low=DURATION_RANGE_MIN[0], high=DURATION_RANGE_MIN[1])
    return _verdict(float(_flow(np.asarray(d), f, a, where)))
