"""Which receptors feel a vibration: the four touch channels and the muscle-spindle primary ending.

Notebook 06_vibration_physics (receptor channels) and 07_vibration_effects (which receptors follow each cycle).

Touch is carried by four psychophysical channels, each tied to a receptor type (Bolanowski et al. 1988
[bolanowski1988]): P (Pacinian corpuscle), NP I (Meissner corpuscle), NP II (Ruffini ending) and NP III (Merkel
complex). Thresholds are given in dB re 1 µm peak displacement: 0 dB is 1 µm, −20 dB is 0.1 µm, +20 dB is 10 µm.
Masking one channel leaves the others unchanged, so the detection threshold is that of the most sensitive channel
(Gescheider et al. 2004 [gescheider2004]): the composite threshold is the minimum over the channels.

Teaching model (ours; the notebook says so). The curves are smooth stand-ins, not a fit to one data set. What
each is anchored to:

* P: T_P(f) = T_min + 10·log10{[(f0/f)^n + (f/f0)³]/2}, f0 = 250 Hz, where P is most sensitive [verrillo1966;
  bolanowski1988]. Above f0 it rises +9 dB/octave, the slope Verrillo described [verrillo1966]. Below f0 the
  exponent n is set so that the P curve meets the NP I curve at 40 Hz, where P and NP I thresholds are similar
  on glabrous skin ([bolanowski1988]; Güçlü & Bolanowski report the same, science.md §1; that paper's details are
  not yet confirmed, so it is not in the reference list): NP I then sets the threshold at 30 Hz and P at 60 Hz.
  The fit's low side is therefore steeper (about −17 dB/octave) than the −12 dB/octave that was measured
  [verrillo1966]. Why (ours): the absolute levels below are recalled values [M], the least certain part of the
  model; with them and a −12 dB/octave slope the curves would cross near 20 Hz, not at the measured 40 Hz, so we
  let the low-frequency slope absorb the difference and keep the measured crossing.
* NP I: flat from 3 to 40 Hz, rising outside that band (the rise is ours).
* NP II: the P curve shifted up by 15–20 dB (we use 17.5 dB).
* NP III: flat at the lowest frequencies (Merkel/SA1 best below ~5 Hz; Johnson 2001 [johnson2001]); its level is a
  free teaching parameter with no checked source.

Absolute levels marked APPROXIMATE below are recalled values (science.md [M]), not checked against the original
papers; a notebook that shows them says they are approximate.

Muscle spindle primary (Ia) endings phase-lock to tendon vibration from 20 to 220 Hz, firing on every cycle (1:1) or
on every n-th [burke1976], at amplitudes that drive them (Roll used 0.2–0.5 mm [roll1989]). Most follow 1:1 only
up to about 80 Hz, then fire on every 2nd or 3rd cycle (Roll et al. 1989 [roll1989]); a few of the
best stay 1:1 up to 180–220 Hz [roll1989; burke1976].
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ..validation import check_array, check_choice
from .vibration import AMPLITUDE_RANGE_MM, FREQUENCY_RANGE_HZ, _broadcast, _out

__all__ = ["CHANNELS", "CHANNEL_RECEPTOR", "THRESHOLD_FREQUENCY_RANGE_HZ", "P_BEST_FREQUENCY_HZ", "P_MIN_THRESHOLD_DB",
           "P_NP1_CROSSOVER_HZ", "NP1_LEVEL_DB", "NP1_FLAT_BAND_HZ", "NP2_ABOVE_P_DB", "NP3_LEVEL_DB",
           "SPINDLE_1TO1_MAX_HZ",
           "SpindleResponse", "displacement_db", "channel_threshold_db", "channel_thresholds_db",
           "composite_threshold_db", "detecting_channel", "db_above_threshold", "spindle_following"]

# ------------------------------------------------------------------------------------------------- constants
CHANNELS = ("P", "NP I", "NP II", "NP III")
"""The four psychophysical touch channels of glabrous skin [bolanowski1988]."""
CHANNEL_RECEPTOR = {"P": "Pacinian corpuscle", "NP I": "Meissner corpuscle", "NP II": "Ruffini ending",
                    "NP III": "Merkel complex"}
"""Receptor behind each channel [bolanowski1988]."""

THRESHOLD_FREQUENCY_RANGE_HZ = (0.4, 1000.0)
"""Frequencies the threshold curves accept (Hz): the channels together span ~0.4 to >500 Hz [bolanowski1988]."""

P_BEST_FREQUENCY_HZ = 250.0
"""f0 of the P-channel fit (Hz): P is most sensitive at 250–300 Hz [verrillo1966; bolanowski1988]; fit form ours."""
P_HIGH_EXPONENT = 3.0
"""Exponent of (f/f0) in the P fit: 10·log10(2³) ≈ 9 dB/octave above f0 [verrillo1966]."""
P_MIN_THRESHOLD_DB = -20.0
"""APPROXIMATE [M]: P minimum ≈ 0.05–0.2 µm (−26 to −14 dB re 1 µm), large contactor; we use the geometric middle,
0.1 µm (−20 dB). Recalled value for [bolanowski1988]-type data, not checked."""

NP1_LEVEL_DB = 20.0
"""APPROXIMATE [M]: NP I threshold ≈ 10–30 µm, roughly flat from 3 to 40 Hz; we use the low end, 10 µm (20 dB re
1 µm), so that NP I, not P, sets the threshold at the low end of its band as reviews say. Not checked."""
NP1_FLAT_BAND_HZ = (3.0, 40.0)
"""APPROXIMATE [M]: band over which NP I is flat (Hz) [bolanowski1988]."""
P_NP1_CROSSOVER_HZ = 40.0
"""Frequency (Hz) where the P and NP I curves meet: P and NP I thresholds are similar at 40 Hz on glabrous skin
[bolanowski1988] (Güçlü & Bolanowski report the same; details not confirmed). Anchors the low side of the P fit
(NP I detects at 30 Hz, P at 60 Hz)."""
NP2_ABOVE_P_DB = 17.5
"""APPROXIMATE [M]: NP II is about 15–20 dB less sensitive than P; we use the middle, 17.5 dB [bolanowski1988]."""
NP3_LEVEL_DB = 30.0
"""FREE TEACHING PARAMETER (ours, no checked source): NP III floor, dB re 1 µm, set above NP I so that NP III sets
the composite threshold only below ~1 Hz."""
NP3_CORNER_HZ = 5.0
"""APPROXIMATE [M]: Merkel/SA1 units respond best below ~5 Hz (band edge not checked) [johnson2001]."""
OUT_OF_BAND_EXPONENT = 2.0
"""FREE TEACHING PARAMETER (ours): outside their flat bands NP I and NP III rise by 10·log10(2²) ≈ 6 dB/octave."""


def _np1_at(f_hz: float) -> float:
    """NP I threshold (dB re 1 µm) at one frequency: its floor plus the soft rise outside 3–40 Hz (ours)."""
    low, high = NP1_FLAT_BAND_HZ
    return NP1_LEVEL_DB + 10.0 * math.log10(1.0 + (low / f_hz) ** OUT_OF_BAND_EXPONENT
                                            + (f_hz / high) ** OUT_OF_BAND_EXPONENT)


_X_CROSS = P_NP1_CROSSOVER_HZ / P_BEST_FREQUENCY_HZ
P_LOW_EXPONENT = math.log(2.0 * 10.0 ** ((_np1_at(P_NP1_CROSSOVER_HZ) - P_MIN_THRESHOLD_DB) / 10.0)
                          - _X_CROSS**P_HIGH_EXPONENT) / math.log(1.0 / _X_CROSS)
"""Exponent n of (f0/f) in the P fit, solved so that T_P(40 Hz) equals the NP I threshold there (≈ 5.8, i.e. about
−17 dB/octave well below f0, steeper than the measured −12 dB/octave because it absorbs the uncertainty of the
recalled absolute levels; ours). Derived from the anchors above, not a free choice."""
SPINDLE_DRIVING_AMPLITUDE_MM = 0.2
"""Smallest amplitude (mm) at which the explorer states the spindle rule: the bottom of the 0.2–0.5 mm at which Roll
et al. saw Ia endings follow [roll1989]; below it the rule is not supported."""

SPINDLE_1TO1_MAX_HZ = {"typical": 80.0, "best": 200.0}
"""Highest frequency (Hz) an Ia ending follows 1:1: most to ~80 Hz [roll1989]; the best to 180 Hz [roll1989] or
220 Hz [burke1976] (we use 200 Hz, the middle)."""

_UM_PER_MM = 1000.0


class SpindleResponse(NamedTuple):
    """Mean firing rate of a spindle primary ending and the share of vibration cycles it fires on."""

    firing_rate_hz: np.ndarray | float
    ratio: np.ndarray | float


# ------------------------------------------------------------------------------------------------- helpers
def _freq(frequency_hz: object) -> np.ndarray:
    lo, hi = THRESHOLD_FREQUENCY_RANGE_HZ
    return check_array("frequency_hz", frequency_hz, unit="Hz", low=lo, high=hi)


def _band(f: np.ndarray, level_db: float, low_hz: float | None, high_hz: float | None) -> np.ndarray:
    """A floor at ``level_db`` between the corners, rising OUT_OF_BAND_EXPONENT·10 dB/decade outside (ours)."""
    s = np.ones_like(f)
    if low_hz is not None:
        s = s + (low_hz / f) ** OUT_OF_BAND_EXPONENT
    if high_hz is not None:
        s = s + (f / high_hz) ** OUT_OF_BAND_EXPONENT
    return level_db + 10.0 * np.log10(s)


def _p_curve(f: np.ndarray) -> np.ndarray:
    x = f / P_BEST_FREQUENCY_HZ
    return P_MIN_THRESHOLD_DB + 10.0 * np.log10((x ** -P_LOW_EXPONENT + x**P_HIGH_EXPONENT) / 2.0)


def _threshold(f: np.ndarray, channel: str) -> np.ndarray:
    if channel == "P":
        return _p_curve(f)
    if channel == "NP I":
        return _band(f, NP1_LEVEL_DB, *NP1_FLAT_BAND_HZ)
    if channel == "NP II":
        return _p_curve(f) + NP2_ABOVE_P_DB
    return _band(f, NP3_LEVEL_DB, None, NP3_CORNER_HZ)


# ------------------------------------------------------------------------------------------------- public
def displacement_db(amplitude_mm: object) -> np.ndarray | float:
    """Peak displacement expressed in dB re 1 µm: 20·log10(A / 1 µm).

    Args:
        amplitude_mm: Peak displacement, mm (> 0 and ≤ 10); number or array.

    Notebook: 06_vibration_physics.

    Example:
        >>> displacement_db(0.01)   # 10 µm
        20.0
    """
    a = check_array("amplitude_mm", amplitude_mm, unit="mm", low=0.0, high=AMPLITUDE_RANGE_MM[1], low_open=True)
    return _out(20.0 * np.log10(a * _UM_PER_MM))


def channel_threshold_db(frequency_hz: object, channel: str) -> np.ndarray | float:
    """Detection threshold of one touch channel, dB re 1 µm peak displacement (teaching curves, see module text).

    Args:
        frequency_hz: Vibration frequency, Hz (0.4–1000); number or array.
        channel: ``"P"``, ``"NP I"``, ``"NP II"`` or ``"NP III"``.

    Returns:
        Threshold in dB re 1 µm (a float for scalar input). Absolute levels are approximate (science.md [M]).

    Notebook: 06_vibration_physics. Sources: [bolanowski1988], [verrillo1966], [gescheider2004].

    Example:
        >>> channel_threshold_db(250, "P")   # the fit's reference point: T_min at f0
        -20.0
    """
    f = _freq(frequency_hz)
    ch = check_choice("channel", channel, CHANNELS)
    return _out(_threshold(f, ch))


def channel_thresholds_db(frequency_hz: object) -> dict[str, np.ndarray | float]:
    """Thresholds of all four channels, dB re 1 µm, as a dict keyed by channel name (see :data:`CHANNELS`).

    Args:
        frequency_hz: Vibration frequency, Hz (0.4–1000); number or array.

    Notebook: 06_vibration_physics. Sources: [bolanowski1988], [verrillo1966].
    """
    f = _freq(frequency_hz)
    return {ch: _out(_threshold(f, ch)) for ch in CHANNELS}


def composite_threshold_db(frequency_hz: object) -> np.ndarray | float:
    """Detection threshold of the skin: the lowest of the four channel thresholds, dB re 1 µm.

    Args:
        frequency_hz: Vibration frequency, Hz (0.4–1000); number or array.

    Notebook: 06_vibration_physics. Source: the most sensitive channel sets the threshold [gescheider2004].
    """
    f = _freq(frequency_hz)
    return _out(np.min(np.stack([_threshold(f, ch) for ch in CHANNELS]), axis=0))


def detecting_channel(frequency_hz: object) -> np.ndarray | str:
    """Name of the channel that sets the composite threshold at each frequency.

    Args:
        frequency_hz: Vibration frequency, Hz (0.4–1000); number or array.

    Returns:
        A channel name (``str``) for scalar input, else an array of names.

    Notebook: 06_vibration_physics.

    Example:
        >>> detecting_channel(250)
        'P'
    """
    f = _freq(frequency_hz)
    idx = np.argmin(np.stack([_threshold(f, ch) for ch in CHANNELS]), axis=0)
    names = np.asarray(CHANNELS)[idx]
    return str(names) if np.ndim(names) == 0 else names


def db_above_threshold(amplitude_mm: object, frequency_hz: object) -> dict[str, np.ndarray | float]:
    """How far a vibration lies above each channel's threshold, dB (negative: below threshold, not felt by it).

    Args:
        amplitude_mm: Peak displacement, mm (> 0 and ≤ 10); number or array.
        frequency_hz: Vibration frequency, Hz (0.4–1000); number or array (broadcast with ``amplitude_mm``).

    Returns:
        A dict ``{channel: dB above threshold}`` for ``"P"``, ``"NP I"``, ``"NP II"``, ``"NP III"``.

    Notebook: 06_vibration_physics (massage amplitudes lie tens of dB above threshold).

    Example:
        >>> round(db_above_threshold(0.5, 250)["P"], 1)   # 0.5 mm = 500 µm = 54 dB re 1 µm; P threshold −20 dB
        74.0
    """
    a = check_array("amplitude_mm", amplitude_mm, unit="mm", low=0.0, high=AMPLITUDE_RANGE_MM[1], low_open=True)
    f = _freq(frequency_hz)
    a, f = _broadcast(amplitude_mm=a, frequency_hz=f)
    level = 20.0 * np.log10(a * _UM_PER_MM)
    return {ch: _out(level - _threshold(f, ch)) for ch in CHANNELS}


def spindle_following(frequency_hz: object, ending: str = "typical") -> SpindleResponse:
    """Mean firing rate of a muscle-spindle primary (Ia) ending driven by tendon vibration.

    Rule: the ending fires once per cycle (ratio 1) up to a limit frequency, above it on every n-th cycle with
    n = ceil(f / limit), so its rate never exceeds the limit. The limit is ~80 Hz for most endings and ~200 Hz for
    the best ones [roll1989; burke1976]. Roll 1989 saw 1/2–1/3 above 80 Hz; n = 4 above 240 Hz continues the rule
    (ours). Below ~20 Hz (the bottom of Burke's range) 1:1 is an extrapolation. Assumes an amplitude that drives the
    ending (Roll used 0.2–0.5 mm).

    Args:
        frequency_hz: Vibration frequency, Hz (1–300, the 07 explorer range); number or array.
        ending: ``"typical"`` (1:1 to 80 Hz) or ``"best"`` (1:1 to 200 Hz).

    Returns:
        ``SpindleResponse(firing_rate_hz, ratio)``: mean firing rate (Hz) and firing/vibration ratio (1, 1/2, 1/3…).

    Notebook: 06_vibration_physics, 07_vibration_effects.

    Example:
        >>> spindle_following(200).ratio   # 200 Hz: one spike every 3rd cycle
        0.3333333333333333
    """
    f = check_array("frequency_hz", frequency_hz, unit="Hz", low=FREQUENCY_RANGE_HZ[0], high=FREQUENCY_RANGE_HZ[1])
    kind = check_choice("ending", ending, list(SPINDLE_1TO1_MAX_HZ))
    n = np.maximum(1.0, np.ceil(f / SPINDLE_1TO1_MAX_HZ[kind] - 1e-12))
    ratio = 1.0 / n
    return SpindleResponse(_out(f * ratio), _out(ratio))

