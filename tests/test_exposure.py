"""Hand-arm vibration exposure (course_utils.models.exposure) against ISO 5349-1, the EU directive and arithmetic.

Expected values come from science.md §5 (Wh at the one-third-octave centres, computed from the exact filter and
agreeing with ISO 5349-1 Table A.2 to the digits shown; the check value 0.202 at 500 rad/s), from an independent
evaluation of the filter written here as ratios of polynomials in s, and from hand-worked examples whose
arithmetic is in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_utils.models import exposure

# ------------------------------------------------------------------------------------------------ Wh weighting
# science.md §5: Wh at the exact one-third-octave centres 10^(n/10) Hz, n = 8 … 31 (nominal 6.3 … 1250 Hz).
WH_TABLE = {
    8: ".727", 9: ".873", 10: ".951", 11: ".958", 12: ".896", 13: ".782", 14: ".647", 15: ".519", 16: ".411",
    17: ".324", 18: ".256", 19: ".202", 20: ".160", 21: ".127", 22: ".101", 23: ".0799", 24: ".0634", 25: ".0503",
    26: ".0398", 27: ".0314", 28: ".0245", 29: ".0186", 30: ".0135", 31: ".00894",
}


def _half_last_digit(text: str) -> float:
    """Half a unit in the last digit shown: the tolerance of a value given 'to the digits shown'."""
    return 0.5 * 10.0 ** -(len(text.split(".")[1]))


@pytest.mark.parametrize("n, shown", sorted(WH_TABLE.items()), ids=[f"band{n}" for n in sorted(WH_TABLE)])
def test_wh_at_one_third_octave_centres_matches_the_table(n, shown):
    f = 10.0 ** (n / 10)
    assert exposure.wh_weighting(f) == pytest.approx(float(shown), abs=_half_last_digit(shown))


def test_wh_check_value_at_500_rad_per_s():
    # science.md §5: an independent implementation gives 0.202 at ω = 500 rad/s, f = 500/(2π) ≈ 79.6 Hz
    assert exposure.wh_weighting(500 / (2 * math.pi)) == pytest.approx(0.202, abs=0.0005)


def _wh_polynomial(f_hz: np.ndarray) -> np.ndarray:
    """The Wh filter evaluated independently: each stage as numerator/denominator polynomials in s.

    Parameters typed here from science.md §5 (not imported):
    H_h = s² / (s² + (ω1/Q1)·s + ω1²), H_l = ω2² / (s² + (ω2/Q2)·s + ω2²),
    H_t = (ω4²/ω3)·(s + ω3) / (s² + (ω4/Q4)·s + ω4²).
    """
    w1, w2 = 2 * math.pi * 10**0.8, 2 * math.pi * 10**3.1
    w3 = w4 = 100.0  # 2π · 100/(2π) Hz
    q1 = q2 = 2**-0.5
    q4 = 0.64
    s = 2j * math.pi * np.asarray(f_hz, dtype=float)
    h_h = np.polyval([1, 0, 0], s) / np.polyval([1, w1 / q1, w1**2], s)
    h_l = w2**2 / np.polyval([1, w2 / q2, w2**2], s)
    h_t = (w4**2 / w3) * np.polyval([1, w3], s) / np.polyval([1, w4 / q4, w4**2], s)
    return np.abs(h_h * h_l * h_t)


def test_wh_between_the_centres_matches_an_independent_evaluation_of_the_filter():
    rng = np.random.default_rng(5349)
    f = 10 ** rng.uniform(-1, 4, 500)  # 0.1 Hz … 10 kHz, mostly between the band centres
    np.testing.assert_allclose(exposure.wh_weighting(f), _wh_polynomial(f), rtol=1e-9)


def test_wh_has_one_peak_between_10_and_16_hz_and_falls_on_both_sides():
    f = np.geomspace(0.1, 10000, 2001)
    wh = exposure.wh_weighting(f)
    peak = int(np.argmax(wh))
    assert 10 < f[peak] < 16
    assert np.all(np.diff(wh[: peak + 1]) > 0), "Wh must rise up to its peak"
    assert np.all(np.diff(wh[peak:]) < 0), "Wh must fall beyond its peak"
    assert wh.max() < 1.0


def test_wh_is_velocity_like_in_the_middle_band():
    # Between the transition (16 Hz) and the low-pass (1259 Hz), H_t ≈ (s/ω3)/(s²/ω4²) = ω4²/(ω3·s), so
    # |Wh| ≈ 100 rad/s / (2πf): Wh·f ≈ 100/(2π) = 15.9 Hz (acceleration weighted like velocity).
    f = np.array([100.0, 200.0, 400.0])
    np.testing.assert_allclose(exposure.wh_weighting(f) * f, 100 / (2 * math.pi), rtol=0.02)


def test_wh_scalars_give_floats_and_arrays_keep_their_shape():
    assert isinstance(exposure.wh_weighting(40), float)
    assert exposure.wh_weighting(np.ones((2, 3)) * 40).shape == (2, 3)


def test_frequency_weighted_acceleration_is_root_sum_of_weighted_squares():
    f = 10 ** 1.1  # 12.589 Hz, Wh = .958 (table)
    # one tone: 10 m/s² × 0.958 = 9.58 m/s²
    assert exposure.frequency_weighted_acceleration([10.0], [f]) == pytest.approx(9.58, abs=0.005)
    # two bands at the same frequency, 3 and 4 m/s²: √((3W)² + (4W)²) = 5W
    assert exposure.frequency_weighted_acceleration([3.0, 4.0], [f, f]) == pytest.approx(5 * 0.958, abs=0.003)
    # 100 Hz (Wh = .160) and 10 Hz (Wh = .951), 10 m/s² each: √(1.60² + 9.51²) = √(2.56 + 90.44) = 9.64
    assert exposure.frequency_weighted_acceleration([10.0, 10.0], [100.0, 10.0]) == pytest.approx(9.64, abs=0.01)


# ------------------------------------------------------------------------------------------------ exposure
def test_vibration_total_value_over_three_axes():
    # √(3² + 4² + 12²) = √(9 + 16 + 144) = √169 = 13
    assert exposure.vibration_total_value(3.0, 4.0, 12.0) == pytest.approx(13.0)
    np.testing.assert_allclose(exposure.vibration_total_value([3.0, 0.0], 4.0, [12.0, 0.0]), [13.0, 4.0])


def test_a8_of_one_tool():
    # 5 m/s² for 2 h: A(8) = 5·√(2/8) = 5·0.5 = 2.5 m/s²
    assert exposure.daily_exposure_a8(5.0, 120.0) == pytest.approx(2.5)
    # held the full 8 hours, A(8) equals the tool's vibration
    assert exposure.daily_exposure_a8(3.7, 480.0) == pytest.approx(3.7)
    # 10 m/s² for 30 min: 10·√(30/480) = 10·0.25 = 2.5 m/s² (a quarter of the time at twice the vibration)
    assert exposure.daily_exposure_a8(10.0, 30.0) == pytest.approx(2.5)


def test_a8_of_several_tools():
    # 4 m/s² for 120 min and 8 m/s² for 60 min: √((16·120 + 64·60)/480) = √((1920 + 3840)/480) = √12 = 3.464
    assert exposure.daily_exposure_a8([4.0, 8.0], [120.0, 60.0]) == pytest.approx(math.sqrt(12))
    # the same tool in two sessions counts as one session of the summed time
    assert exposure.daily_exposure_a8([6.0, 6.0], [45.0, 75.0]) == pytest.approx(exposure.daily_exposure_a8(6, 120))
    # a tool not used, or not vibrating, adds nothing
    assert exposure.daily_exposure_a8([5.0, 9.0, 0.0], [120.0, 0.0, 300.0]) == pytest.approx(2.5)


def test_partial_exposures_add_in_squares():
    # 4·√(120/480) = 2, 8·√(60/480) = 2.828; 2² + 2.828² = 4 + 8 = 12 = A(8)²
    parts = exposure.partial_exposure_a8([4.0, 8.0], [120.0, 60.0])
    np.testing.assert_allclose(parts, [2.0, math.sqrt(8)])
    assert float(np.sum(parts**2)) == pytest.approx(exposure.daily_exposure_a8([4.0, 8.0], [120.0, 60.0]) ** 2)


def test_minutes_to_reach_the_action_and_limit_values():
    # 5 m/s²: 480·(2.5/5)² = 480·0.25 = 120 min to the action value; 480·(5/5)² = 480 min to the limit value
    assert exposure.minutes_to_reach_a8(5.0, 2.5) == pytest.approx(120.0)
    assert exposure.minutes_to_reach_a8(5.0, 5.0) == pytest.approx(480.0)
    # 10 m/s²: 480·(2.5/10)² = 480/16 = 30 min; 480·(5/10)² = 120 min
    np.testing.assert_allclose(exposure.minutes_to_reach_a8([10.0, 10.0 / 2], 2.5), [30.0, 120.0])
    assert exposure.minutes_to_reach_a8(10.0, exposure.EU_LIMIT_VALUE_M_S2) == pytest.approx(120.0)


def test_minutes_left_after_earlier_use_today():
    # A(8) already 2 m/s²; a 3 m/s² tool adds 9·T/480 to A(8)²: 4 + 9T/480 = 6.25 → T = 480·2.25/9 = 120 min
    assert exposure.minutes_to_reach_a8(3.0, 2.5, already_a8_m_s2=2.0) == pytest.approx(120.0)
    # consistent with the A(8) of both together: 2 m/s² is 4 m/s² for 120 min; then 3 m/s² for 120 min
    assert exposure.daily_exposure_a8([4.0, 3.0], [120.0, 120.0]) == pytest.approx(2.5)
    # target already reached: no time left; a tool that does not vibrate never reaches it
    assert exposure.minutes_to_reach_a8(3.0, 2.5, already_a8_m_s2=3.0) == 0.0
    assert math.isinf(exposure.minutes_to_reach_a8(0.0, 2.5, already_a8_m_s2=1.0))


def test_eu_values_and_verdict_boundaries():
    # Directive 2002/44/EC, hand-arm: action value 2.5, limit value 5 m/s² A(8)
    assert (exposure.EU_ACTION_VALUE_M_S2, exposure.EU_LIMIT_VALUE_M_S2) == (2.5, 5.0)
    assert exposure.exposure_verdict(0.0) == "below the action value"
    assert exposure.exposure_verdict(2.49) == "below the action value"
    assert exposure.exposure_verdict(2.5) == "action value reached"
    assert exposure.exposure_verdict(4.99) == "action value reached"
    assert exposure.exposure_verdict(5.0) == "limit value reached"


def test_annex_c_years_to_10_percent_white_finger():
    # D_y = 31.8·A(8)^−1.06. A(8) = 1: 31.8 years. A(8) = 2.5: 31.8·e^(−1.06·ln 2.5) = 31.8·e^(−0.971) = 31.8·0.379
    # = 12.0 years (science.md: "≈12 years"). A(8) = 5: 31.8·e^(−1.06·1.609) = 31.8·0.182 = 5.8 years.
    assert exposure.years_to_10pct_white_finger(1.0) == pytest.approx(31.8)
    assert exposure.years_to_10pct_white_finger(2.5) == pytest.approx(12.0, abs=0.1)
    np.testing.assert_allclose(exposure.years_to_10pct_white_finger([2.5, 5.0]), [12.04, 5.78], atol=0.01)
    # doubling the exposure shortens the time by 2^1.06 ≈ 2.08
    ratio = exposure.years_to_10pct_white_finger(2.0) / exposure.years_to_10pct_white_finger(4.0)
    assert ratio == pytest.approx(2**1.06)


# ------------------------------------------------------------------------------------------------ bad inputs
@pytest.mark.parametrize("call, words", [
    (lambda: exposure.wh_weighting(0.0), ["frequency_hz", "Hz", "between 0.1 and 10000"]),
    (lambda: exposure.wh_weighting([40.0, 1e6]), ["frequency_hz", "Hz", "10000"]),
    (lambda: exposure.daily_exposure_a8(-1.0, 60.0), ["vibration_m_s2", "m/s²", "between 0 and 1000"]),
    (lambda: exposure.daily_exposure_a8(5.0, 2000.0), ["minutes_per_day", "min", "between 0 and 1440"]),
    (lambda: exposure.minutes_to_reach_a8(5.0, 0.0), ["target_a8_m_s2", "m/s²", "1000"]),
    (lambda: exposure.minutes_to_reach_a8(5.0, 2.5, -1.0), ["already_a8_m_s2", "m/s²", "between 0 and 1000"]),
    (lambda: exposure.years_to_10pct_white_finger(0.0), ["a8_m_s2", "m/s²", "1000"]),
    (lambda: exposure.exposure_verdict(math.nan), ["a8_m_s2", "m/s²"]),
    (lambda: exposure.vibration_total_value(1.0, 2.0, 5000.0), ["ahwz_m_s2", "m/s²", "between 0 and 1000"]),
    (lambda: exposure.frequency_weighted_acceleration([1.0], [-5.0]), ["frequency_hz", "Hz"]),
])
def test_bad_values_are_refused_naming_parameter_unit_and_range(call, words):
    with pytest.raises(ValueError) as info:
        call()
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("call, name", [
    (lambda: exposure.wh_weighting("40 Hz"), "frequency_hz"),
    (lambda: exposure.daily_exposure_a8([4.0, 8.0], None), "minutes_per_day"),
    (lambda: exposure.minutes_to_reach_a8(5.0, "2.5"), "target_a8_m_s2"),
    (lambda: exposure.exposure_verdict(True), "a8_m_s2"),
])
def test_wrong_types_are_refused_with_type_error(call, name):
    with pytest.raises(TypeError, match=name):
        call()


def test_tools_and_times_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match=r"vibration_m_s2.*minutes_per_day"):
        exposure.daily_exposure_a8([4.0, 8.0, 2.0], [120.0, 60.0])
