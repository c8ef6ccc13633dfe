"""Vibration and the nervous system: the tonic vibration reflex and reflex depression (notebook 07).

Teaching model (ours: the shapes follow the sources below, the numbers are chosen for teaching and are named
as such in the constants block; the notebook says so). What the sources show:

* Vibration of a muscle or its tendon drives muscle-spindle primary (Ia) endings [roll1989; burke1976]. The
  tonic vibration reflex (TVR) it evokes grows with frequency up to about 100–150 Hz and declines beyond
  [park1993]; at 0.6–1.8 mm a larger amplitude gives a stronger TVR [eklund1966]. (The TVR keeps growing above
  the ~80 Hz up to which most single Ia endings follow every cycle [roll1989]; the curve here is the TVR's
  tuning, not one ending's firing rate.)
* The TVR builds up over tens of seconds (25 and 50 Hz for 70 s; more at 50 Hz) [zaidell2013].
* The "vibration paradox": while the tonic contraction builds, phasic reflexes (tendon jerk, H-reflex) are
  depressed [degail1966].
* After vibration the H-reflex is depressed. Two different studies, not one time course: 1 min of whole-body
  vibration at 20–50 Hz lowered it by 28–37%, by a similar amount at each frequency tested, with no clear
  frequency dependence [wbv_hreflex2018]; in another study it stayed 14–21% lower for 10 min after whole-body
  vibration [wbv_mep2017]. 30 min of 100 Hz was used to lower Ia input [ekblom2011]. Proposed mechanism:
  presynaptic inhibition.

The model (ours):

    drive(f, A)   = exp(−ln²(f/f_pk) / (2w²)) · s(A),   s(A) = 1 − exp(−A/A_c)          TVR drive, in [0, 1]
    D(t)          = s(A)^p · [D_fast·(1 − e^(−t/τ_fast)) + D_slow·(1 − e^(−t/τ_slow))]   reflex depression
    TVR(t)        = drive · (1 − e^(−t/τ_TVR)) · (1 − D(t))                               excitation
    phasic(t)     = 1 − P_max · drive · (1 − e^(−t/τ_on))                                 during vibration
    net(t)        = TVR(t) − D(t)           > 0: net excitation,  < 0: net inhibition;  range −0.8 to +1

The net index is a teaching construct with no measured counterpart: it subtracts D, the depression measured AFTER
vibration stops, from the TVR, which runs DURING vibration (the phasic reflex during vibration falls instead, within
about a second in the model: the fall is [degail1966]'s, its speed is ours). It only says which of the two
messages the model weighs more at each moment.

The depression D has no frequency tuning, because the source that compared frequencies found none
[wbv_hreflex2018]; it grows with amplitude and minutes of exposure only. So in the model a short, strong
exposure is net exciting and a long one (tens of minutes) net inhibiting. The time at which the net index changes
sign (from under a second to about 4 min, depending on frequency and amplitude) follows from the free parameters
below: it is ILLUSTRATIVE, not measured. That duration is the more dependable switch is the course's reading of
the sources (science.md §11), not a finding of one study. Limits: one "typical" muscle at rest; no fatigue, no
cortex, no site effects; pressing force is not modelled here (it enters only the pain model); reflex depression
measured with whole-body vibration at 20–50 Hz is applied to local vibration at every frequency of the explorer
(an extrapolation below 20 and above 50 Hz).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..validation import check_array, check_number
from .vibration import AMPLITUDE_RANGE_MM, DURATION_RANGE_MIN, FREQUENCY_RANGE_HZ, _broadcast, _out

__all__ = ["TVR_PEAK_FREQUENCY_HZ", "NET_SWITCH_LATEST_MIN", "NervousCourse", "tvr_drive", "tonic_vibration_reflex",
           "phasic_reflex_during", "post_vibration_depression", "net_excitation_index", "nervous_time_course"]

# ------------------------------------------------------------------------------------------------- constants
TVR_PEAK_FREQUENCY_HZ = 120.0
"""Frequency of the strongest TVR drive (Hz): inside the 100–150 Hz peak of the TVR [park1993]; exact value ours.
Not the Ia firing peak: most single endings follow 1:1 only to ~80 Hz [roll1989]."""
TVR_TUNING_WIDTH = 1.0
"""FREE TEACHING PARAMETER (ours): width w of the log-frequency tuning (natural-log units)."""
AMPLITUDE_SCALE_MM = 0.3
"""FREE TEACHING PARAMETER (ours): amplitude A_c (mm) at which drive reaches 63% of its maximum. Chosen so the
amplitudes at which Ia endings were studied drive the reflex well (Roll's 0.2–0.5 mm [roll1989]: 49–81% of full
drive; with A_c = 1 mm they got only 18–39%), while 1.8 mm still beats 0.6 mm as in [eklund1966]; little drive
below ~0.03 mm."""
TVR_BUILD_TIME_S = 20.0
"""FREE TEACHING PARAMETER (ours): time constant τ_TVR (s) of TVR build-up, "tens of seconds" [zaidell2013]."""
PHASIC_DEPRESSION_MAX = 0.6
"""FREE TEACHING PARAMETER (ours): deepest fall P_max of the phasic reflex during vibration at full drive
(the fall itself: [degail1966]; this size is not from a source)."""
PHASIC_ONSET_S = 1.0
"""FREE TEACHING PARAMETER (ours): time constant τ_on (s) of that fall, "at once" on the scale of the explorer."""
DEPRESSION_FAST_MAX = 0.35
"""FREE TEACHING PARAMETER (ours): fast share D_fast of post-vibration depression, set so 1 min at a large
amplitude gives ≈35%, the order of the 28–37% after 1 min of whole-body vibration [wbv_hreflex2018]."""
DEPRESSION_FAST_TIME_MIN = 0.5
"""FREE TEACHING PARAMETER (ours): time constant τ_fast (min) of the fast share."""
DEPRESSION_SLOW_MAX = 0.45
"""FREE TEACHING PARAMETER (ours): slow share D_slow, deepening over tens of minutes (prolonged 30-min vibration
lowers Ia input [ekblom2011]; this size is not from a source)."""
DEPRESSION_SLOW_TIME_MIN = 10.0
"""FREE TEACHING PARAMETER (ours): time constant τ_slow (min) of the slow share."""
DEPRESSION_AMPLITUDE_EXPONENT = 0.5
"""FREE TEACHING PARAMETER (ours): p in s(A)^p; depression saturates with amplitude, so gentle vibration still
depresses the reflex over minutes (as the textbook rule that long, gentle vibration inhibits [russian_segmental]
would have it; that rule speaks of calming, which reflex depression alone does not show)."""

_S_PER_MIN = 60.0


class NervousCourse(NamedTuple):
    """Time courses of the nervous-system panel (all dimensionless)."""

    tvr: np.ndarray
    phasic_reflex: np.ndarray
    depression: np.ndarray
    net_index: np.ndarray


# ------------------------------------------------------------------------------------------------- helpers
# The underscore helpers take checked numbers (floats or numpy arrays) and do not check them again: the public
# functions below and :func:`course_utils.models.session.vibration_session` check every argument once.
def _freq_amp(frequency_hz: object, amplitude_mm: object) -> tuple[np.ndarray, np.ndarray]:
    f = check_array("frequency_hz", frequency_hz, unit="Hz", low=FREQUENCY_RANGE_HZ[0], high=FREQUENCY_RANGE_HZ[1])
    a = check_array("amplitude_mm", amplitude_mm, unit="mm", low=AMPLITUDE_RANGE_MM[0], high=AMPLITUDE_RANGE_MM[1])
    return _broadcast(frequency_hz=f, amplitude_mm=a)


def _scalar_freq_amp(frequency_hz: object, amplitude_mm: object) -> tuple[float, float]:
    f = check_number("frequency_hz", frequency_hz, unit="Hz", low=FREQUENCY_RANGE_HZ[0], high=FREQUENCY_RANGE_HZ[1])
    a = check_number("amplitude_mm", amplitude_mm, unit="mm", low=AMPLITUDE_RANGE_MM[0], high=AMPLITUDE_RANGE_MM[1])
    return f, a


def _amplitude_share(a: np.ndarray | float) -> np.ndarray | float:
    """s(A) = 1 − exp(−A/A_c): how strongly an amplitude (mm) drives the endings, 0–1."""
    return 1.0 - np.exp(-np.asarray(a) / AMPLITUDE_SCALE_MM)


def _drive(f: np.ndarray | float, a: np.ndarray | float) -> np.ndarray | float:
    tuning = np.exp(-np.log(np.asarray(f) / TVR_PEAK_FREQUENCY_HZ) ** 2 / (2.0 * TVR_TUNING_WIDTH**2))
    return tuning * _amplitude_share(a)


def _depression(t_min: np.ndarray, a: float) -> np.ndarray:
    build = (DEPRESSION_FAST_MAX * (1.0 - np.exp(-t_min / DEPRESSION_FAST_TIME_MIN))
             + DEPRESSION_SLOW_MAX * (1.0 - np.exp(-t_min / DEPRESSION_SLOW_TIME_MIN)))
    return float(_amplitude_share(a)) ** DEPRESSION_AMPLITUDE_EXPONENT * build


def _tvr(t_min: np.ndarray, drive: float, depression: np.ndarray) -> np.ndarray:
    return drive * (1.0 - np.exp(-t_min * _S_PER_MIN / TVR_BUILD_TIME_S)) * (1.0 - depression)


def _phasic(t_s: np.ndarray, drive: float) -> np.ndarray:
    return 1.0 - PHASIC_DEPRESSION_MAX * drive * (1.0 - np.exp(-t_s / PHASIC_ONSET_S))


def _course(t_min: np.ndarray, f: float, a: float) -> NervousCourse:
    """All curves of :func:`nervous_time_course` for checked inputs."""
    drive = float(_drive(f, a))
    dep = _depression(t_min, a)
    tvr = _tvr(t_min, drive, dep)
    return NervousCourse(tvr, _phasic(t_min * _S_PER_MIN, drive), dep, tvr - dep)


# ------------------------------------------------------------------------------------------------- public
def tvr_drive(frequency_hz: object, amplitude_mm: object) -> np.ndarray | float:
    """Relative drive of the tonic vibration reflex (steady TVR strength, 0–1) for a frequency and amplitude.

    Grows with frequency up to ~120 Hz and falls beyond, the TVR's tuning (peak 100–150 Hz [park1993]); grows with
    amplitude (1.8 mm > 0.6 mm [eklund1966]). It is not the firing rate of one Ia ending, which stops rising above
    ~80 Hz for most endings (:func:`course_utils.models.receptors.spindle_following`, [roll1989]). Teaching model
    (ours): the shape follows the sources, the scale is relative.

    Args:
        frequency_hz: Frequency, Hz (1–300); number or array.
        amplitude_mm: Peak displacement, mm (0.01–10); number or array (broadcast with ``frequency_hz``).

    Returns:
        Relative drive, 0–1 (1 would be the peak frequency at a very large amplitude); float for scalar input.

    Notebook: 07_vibration_effects.

    Example:
        >>> tvr_drive(120, 1.8) > tvr_drive(120, 0.6)
        True
    """
    f, a = _freq_amp(frequency_hz, amplitude_mm)
    return _out(_drive(f, a))


def tonic_vibration_reflex(time_s: object, frequency_hz: float, amplitude_mm: float) -> np.ndarray:
    """Tonic vibration reflex (relative contraction, 0–1) building up during vibration.

    Rises with time constant ~20 s, reaching most of its size within a minute [zaidell2013]; over many minutes it
    weakens as reflex transmission is depressed (see :func:`post_vibration_depression`). Teaching model (ours).

    Args:
        time_s: Time since vibration began, s (0–2700, i.e. up to 45 min); number or array.
        frequency_hz: Frequency, Hz (1–300).
        amplitude_mm: Peak displacement, mm (0.01–10).

    Returns:
        Relative TVR, shaped like ``time_s``.

    Notebook: 07_vibration_effects.
    """
    t_s = check_array("time_s", time_s, unit="s", low=0.0, high=DURATION_RANGE_MIN[1] * _S_PER_MIN)
    f, a = _scalar_freq_amp(frequency_hz, amplitude_mm)
    t_min = t_s / _S_PER_MIN
    return _tvr(t_min, float(_drive(f, a)), _depression(t_min, a))


def phasic_reflex_during(time_s: object, frequency_hz: float, amplitude_mm: float) -> np.ndarray:
    """Phasic reflex (tendon jerk or H-reflex) during vibration, relative to before (1 = unchanged).

    It falls within seconds while the TVR builds: the vibration paradox [degail1966]. Vibration does not restore
    a faded tendon reflex while it runs; it depresses it (claim C20's verdict). Size of the fall: ours.

    Args:
        time_s: Time since vibration began, s (0–2700); number or array.
        frequency_hz: Frequency, Hz (1–300).
        amplitude_mm: Peak displacement, mm (0.01–10).

    Returns:
        Relative reflex amplitude (≤ 1), shaped like ``time_s``.

    Notebook: 07_vibration_effects.
    """
    t_s = check_array("time_s", time_s, unit="s", low=0.0, high=DURATION_RANGE_MIN[1] * _S_PER_MIN)
    f, a = _scalar_freq_amp(frequency_hz, amplitude_mm)
    return _phasic(t_s, float(_drive(f, a)))


def post_vibration_depression(duration_min: object, frequency_hz: float, amplitude_mm: float) -> np.ndarray | float:
    """Fractional depression of the H-reflex just after a vibration of the given duration (0 = none).

    Grows with minutes of exposure and with amplitude, not with frequency: the study that compared 20–50 Hz found
    depression of similar size at each [wbv_hreflex2018]. About a third after 1 min at a large amplitude (order of
    the 28–37% of [wbv_hreflex2018]) and deeper after tens of minutes (30 min of 100 Hz was used to lower Ia input
    [ekblom2011]; the size is ours). Teaching model (ours).

    Args:
        duration_min: Exposure duration(s), min (0–45); number or array.
        frequency_hz: Frequency, Hz (1–300); checked, but it does not change the result (see above).
        amplitude_mm: Peak displacement, mm (0.01–10).

    Returns:
        Fractional depression (0–0.8); a float for scalar input.

    Notebook: 07_vibration_effects.

    Example:
        >>> post_vibration_depression(1, 20, 5) == post_vibration_depression(1, 50, 5)   # no frequency tuning
        True
    """
    d = check_array("duration_min", duration_min, unit="min", low=DURATION_RANGE_MIN[0], high=DURATION_RANGE_MIN[1])
    _, a = _scalar_freq_amp(frequency_hz, amplitude_mm)
    return _out(_depression(d, a))


def net_excitation_index(duration_min: object, frequency_hz: float, amplitude_mm: float) -> np.ndarray | float:
    """Net nervous-system effect after a given exposure: TVR excitation minus reflex depression.

    Positive means net excitation, negative net inhibition (teaching index, ours). Its range is −0.8 to +1: at most
    +1 (full TVR drive, no depression) and at least −0.8 (no TVR, the deepest depression D_fast + D_slow). A short,
    strong exposure excites; tens of minutes inhibit, whatever the frequency. The time where it changes sign is
    illustrative (it follows from free parameters).

    Args:
        duration_min: Exposure duration(s), min (0–45); number or array.
        frequency_hz: Frequency, Hz (1–300).
        amplitude_mm: Peak displacement, mm (0.01–10).

    Returns:
        The index; a float for scalar input.

    Notebook: 07_vibration_effects.

    Example:
        >>> net_excitation_index(1, 120, 2) > 0 > net_excitation_index(30, 120, 2)
        True
    """
    d = check_array("duration_min", duration_min, unit="min", low=DURATION_RANGE_MIN[0], high=DURATION_RANGE_MIN[1])
    f, a = _scalar_freq_amp(frequency_hz, amplitude_mm)
    dep = _depression(d, a)
    return _out(_tvr(d, float(_drive(f, a)), dep) - dep)


def _switch_time_min(f: float, a: float) -> float:
    """First minute at which the net index turns negative (0.1-s grid), for checked inputs; inf if it stays positive
    for 45 min. ILLUSTRATIVE: the time follows from the free teaching parameters above, not from a measurement. It is
    latest at the TVR's peak frequency and a large amplitude, where the reflex is driven hardest."""
    t = np.linspace(0.0, DURATION_RANGE_MIN[1], int(DURATION_RANGE_MIN[1] * 600) + 1)  # 0.1-s grid
    dep = _depression(t, a)
    negative = np.flatnonzero((_tvr(t, float(_drive(f, a)), dep) - dep)[1:] < 0.0)
    return float(t[negative[0] + 1]) if negative.size else float("inf")


NET_SWITCH_LATEST_MIN = _switch_time_min(TVR_PEAK_FREQUENCY_HZ, AMPLITUDE_RANGE_MM[1])
"""The latest time (min) at which the model's net index turns to inhibition, over every frequency and amplitude
the model accepts: at the TVR's peak frequency and the largest amplitude, about 4.1 min. ILLUSTRATIVE (it follows
from the free teaching parameters above); the one number that notebook 07 ("after about 4 minutes" at 100 Hz) and
the planner of notebook 09 quote for the model's switch."""


def nervous_time_course(time_min: object, frequency_hz: float, amplitude_mm: float) -> NervousCourse:
    """All nervous-system curves of the 07 explorer over exposure time, in one call.

    Args:
        time_min: Time since vibration began, min (0–45); 1-D array.
        frequency_hz: Frequency, Hz (1–300).
        amplitude_mm: Peak displacement, mm (0.01–10).

    Returns:
        ``NervousCourse(tvr, phasic_reflex, depression, net_index)``, each shaped like ``time_min``: TVR (0–1),
        phasic reflex during vibration (relative, ≤ 1), H-reflex depression if vibration stopped then (0–0.8),
        and the net excitation index (−0.8 to +1; > 0 excitation, < 0 inhibition). Teaching model (ours).

    Notebook: 07_vibration_effects.
    """
    t = check_array("time_min", time_min, unit="min", low=DURATION_RANGE_MIN[0], high=DURATION_RANGE_MIN[1],
                    ndim=1)
    f, a = _scalar_freq_amp(frequency_hz, amplitude_mm)
    return _course(t, f, a)
