"""Unit tests for the technique models: stroking, rubbing, kneading and segmental zones (notebooks 02–05).

Expected values come from analytic results (Carslaw & Jaeger's constant-flux solution, a finite-difference solution
of the Pennes equation, ln 2 / k) or from published numbers in the course's science sheet, never from this
package's own output.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_utils.models import kneading, rubbing, segments, stroking

# Skin constants as printed in science.md §7 (IT'IS values), typed again here so the tests do not read them from
# the module under test.
RHO, C, K = 1109.0, 3391.0, 0.37
RHO_BLOOD, C_BLOOD = 1050.0, 3617.0
PERFUSION = 106.0


def cj_rise(q, t):
    """Carslaw & Jaeger: surface rise of a semi-infinite solid under constant flux."""
    return 2.0 * q * np.sqrt(np.asarray(t, float) / (math.pi * K * RHO * C))


def pennes_w(perfusion_ml_min_kg=PERFUSION):
    return perfusion_ml_min_kg * 1e-6 / 60.0 * RHO * RHO_BLOOD * C_BLOOD / (RHO * C)


def pennes_fd_surface_rise(q, w, times, depth_m=0.04, n=400, dt=0.25):
    """Crank–Nicolson finite-volume solution of θ_t = α θ_xx − w θ, −k θ_x(0) = q, θ(depth) = 0."""
    alpha = K / (RHO * C)
    dx = depth_m / n
    m = n  # unknowns at nodes 0..n-1; node n is held at 0
    lap = np.zeros((m, m))
    for i in range(1, m):
        lap[i, i - 1] = 1.0
        lap[i, i] = -2.0
        if i + 1 < m:
            lap[i, i + 1] = 1.0
    lap /= dx * dx
    lap[0, 0], lap[0, 1] = -2.0 / dx**2, 2.0 / dx**2  # half cell at the surface
    op = alpha * lap - w * np.eye(m)
    src = np.zeros(m)
    src[0] = 2.0 * q / (RHO * C * dx)
    eye = np.eye(m)
    step = np.linalg.solve(eye - 0.5 * dt * op, eye + 0.5 * dt * op)
    push = np.linalg.solve(eye - 0.5 * dt * op, dt * src)
    theta = np.zeros(m)
    out, t = [], 0.0
    for target in times:
        while t < target - 1e-9:
            theta = step @ theta + push
            t += dt
        out.append(theta[0])
    return np.array(out)


# ----------------------------------------------------------------------------------------------------- rubbing
class TestRubbing:
    def test_constant_flux_rise_matches_carslaw_jaeger(self):
        t = np.array([0.0, 1.0, 10.0, 60.0, 300.0, 600.0])
        for q in (50.0, 200.0, 1234.0):
            np.testing.assert_allclose(rubbing.temperature_rise_no_perfusion_k(t, q), cj_rise(q, t), rtol=1e-12)

    def test_worked_example_heat_flux_is_total_power(self):
        # science.md: μ 0.5, 20 N, 0.2 m/s over 100 cm² gives q ≈ 200 W/m²; that is μ·p·v with η = 1.
        assert float(rubbing.heat_flux_w_m2(20, 100, 20, 0.5, heat_share=1.0)) == pytest.approx(200.0)
        assert float(rubbing.heat_flux_w_m2(20, 100, 20, 0.5, heat_share=0.5)) == pytest.approx(100.0)
        assert float(rubbing.contact_pressure_pa(20, 100)) == pytest.approx(2000.0)

    def test_worked_example_rises(self):
        # science.md: ΔT ≈ 0.6 / 1.5 / 3.3 K at 10 / 60 / 300 s (no perfusion, q = 200 W/m²).
        rises = rubbing.temperature_rise_no_perfusion_k([10.0, 60.0, 300.0], 200.0)
        np.testing.assert_allclose(rises, [0.6, 1.5, 3.3], atol=0.05)

    def test_worked_example_steady_state_with_perfusion(self):
        # science.md: steady state with perfusion, depth ≈ 7 mm, ΔT ≈ 3.8 K.
        assert rubbing.penetration_depth_mm(PERFUSION) == pytest.approx(7.0, abs=0.1)
        assert float(rubbing.steady_temperature_rise_k(200.0, PERFUSION)) == pytest.approx(3.8, abs=0.05)

    def test_perfusion_rate_from_constants(self):
        assert rubbing.perfusion_rate_per_s(PERFUSION) == pytest.approx(pennes_w(), rel=1e-12)
        assert rubbing.perfusion_rate_per_s(0.0) == 0.0

    def test_perfused_rise_levels_off_below_unperfused(self):
        t = np.linspace(1.0, 3600.0, 300)
        q = 200.0
        with_flow = rubbing.temperature_rise_with_perfusion_k(t, q, PERFUSION)
        without = cj_rise(q, t)
        assert np.all(with_flow < without)
        assert np.all(np.diff(with_flow) > 0)
        delta = math.sqrt((K / (RHO * C)) / pennes_w())
        plateau = q * delta / K
        assert np.all(with_flow < plateau)
        assert with_flow[-1] == pytest.approx(plateau, rel=1e-3)

    def test_perfused_rise_matches_finite_difference_solution(self):
        times = [30.0, 120.0, 300.0, 900.0]
        q, w = 200.0, pennes_w()
        numeric = pennes_fd_surface_rise(q, w, times)
        closed = rubbing.temperature_rise_with_perfusion_k(times, q, PERFUSION)
        np.testing.assert_allclose(closed, numeric, rtol=0.01)

    def test_finite_difference_reference_matches_carslaw_jaeger(self):
        # Check the numerical reference itself on the known no-perfusion case.
        times = [30.0, 300.0]
        np.testing.assert_allclose(pennes_fd_surface_rise(200.0, 0.0, times), cj_rise(200.0, times), rtol=0.01)

    @given(st.floats(1e-9, 1e-4), st.floats(0.0, 600.0))
    def test_small_perfusion_limit_is_no_perfusion(self, perfusion, t):
        got = float(rubbing.temperature_rise_with_perfusion_k(t, 200.0, perfusion))
        expected = float(cj_rise(200.0, t))
        assert got == pytest.approx(expected, rel=1e-4, abs=1e-12)

    def test_zero_perfusion_is_no_perfusion(self):
        t = np.linspace(0, 600, 50)
        np.testing.assert_allclose(rubbing.temperature_rise_with_perfusion_k(t, 300.0, 0.0), cj_rise(300.0, t))

    def test_time_to_rise_inverts_analytic_formula(self):
        # No perfusion: t = π·kρc·(ΔT/(2q))².
        t = rubbing.time_to_temperature_rise_s(11.0, 5000.0, 0.0)
        assert t == pytest.approx(math.pi * K * RHO * C * (11.0 / 10000.0) ** 2, rel=1e-12)
        # With perfusion the rise at that time is the target.
        t = rubbing.time_to_temperature_rise_s(2.0, 200.0, PERFUSION)
        assert float(rubbing.temperature_rise_with_perfusion_k(t, 200.0, PERFUSION)) == pytest.approx(2.0, rel=1e-9)
        # Above the plateau (≈ 3.8 K for 200 W/m²) the rise is never reached.
        assert rubbing.time_to_temperature_rise_s(5.0, 200.0, PERFUSION) == math.inf
        assert rubbing.time_to_temperature_rise_s(5.0, 0.0, 0.0) == math.inf

    def test_lubricants(self):
        dry, lotion, oil = (rubbing.friction_coefficient(x) for x in ("dry", "lotion", "oil"))
        assert 0.2 <= dry <= 0.5  # derler2012; veijgen2013 median dynamic 0.36
        assert dry == pytest.approx(0.36)
        assert 0.05 <= oil <= 0.2  # full oil film [M]
        assert lotion > dry  # petrolatum and glycerin raise μ (sivamani2003)
        assert rubbing.friction_coefficient(" Oil ") == oil

    def test_constants(self):
        assert rubbing.BASELINE_SKIN_TEMPERATURE_C == pytest.approx(32.0)
        assert rubbing.HEAT_PAIN_THRESHOLD_C["trpv1"] == pytest.approx(43.0)
        assert rubbing.HEAT_PAIN_THRESHOLD_C["pain_and_damage"] == pytest.approx(45.0)
        assert (rubbing.SKIN["density_kg_m3"], rubbing.SKIN["specific_heat_j_kg_k"],
                rubbing.SKIN["conductivity_w_m_k"]) == (RHO, C, K)
        assert rubbing.EXPLORER_RANGES == {"force_n": (1.0, 100.0), "area_cm2": (1.0, 200.0),
                                           "speed_cm_s": (1.0, 50.0), "duration_min": (0.0, 10.0)}

    def test_explorer_temperature(self):
        t = np.linspace(0, 600, 300)
        temp = rubbing.rubbing_skin_temperature_c(t, 20, 100, 20, "dry")
        q = 0.5 * 0.36 * 2000.0 * 0.2
        assert temp[0] == pytest.approx(32.0)
        assert np.all(temp - 32.0 < cj_rise(q, t) + 1e-12)
        unperfused = rubbing.rubbing_skin_temperature_c(t, 20, 100, 20, "dry", perfusion_ml_min_kg=0.0)
        np.testing.assert_allclose(unperfused - 32.0, cj_rise(q, t), rtol=1e-12)

    def test_heat_pain_check(self):
        harsh = rubbing.heat_pain_check(100, 1, 50, "dry", duration_min=1.0)
        assert harsh["hurts"] and harsh["time_to_threshold_s"] < 60.0
        assert "Too hot" in harsh["message"]
        gentle = rubbing.heat_pain_check(20, 100, 20, "oil", duration_min=10.0)
        assert not gentle["hurts"] and gentle["time_to_threshold_s"] == math.inf
        assert gentle["plateau_temperature_c"] < 43.0
        # The worked example with η = 1 stays under 43 °C: plateau ≈ 32 + 3.8 K.
        example = rubbing.heat_pain_check(20, 100, 20, "dry", duration_min=10.0, heat_share=1.0)
        assert example["plateau_temperature_c"] == pytest.approx(32.0 + 3.8 * 0.36 / 0.5, abs=0.05)
        # Without perfusion any flux eventually hurts; a 10 min bout with a strong dry rub should.
        late = rubbing.heat_pain_check(60, 20, 30, "dry", duration_min=10.0, perfusion_ml_min_kg=0.0)
        expected_t = math.pi * K * RHO * C * (11.0 / (2 * late["heat_flux_w_m2"])) ** 2
        assert late["time_to_threshold_s"] == pytest.approx(expected_t, rel=1e-9)

    def test_heat_pain_check_advises_oil_not_any_lubricant(self):
        # The notebook teaches that lotion RAISES friction (sivamani2003), so the advice must name oil.
        harsh = rubbing.heat_pain_check(20, 2, 10, "dry", duration_min=2.0)
        assert harsh["hurts"]
        assert "oil" in harsh["message"] and "lubricant" not in harsh["message"]

    def test_heat_pain_check_flags_temperatures_beyond_the_model(self):
        # 100 N on 1 cm² at 50 cm/s with lotion: q = 0.5·0.6·1e6 Pa·0.5 m/s = 1.5e5 W/m², which the linear model
        # would turn into thousands of degrees (q·δ/k ≈ 2900 K). Above ~50 °C it must say it no longer applies.
        extreme = rubbing.heat_pain_check(100, 1, 50, "lotion", duration_min=10.0)
        assert extreme["heat_flux_w_m2"] == pytest.approx(0.5 * 0.6 * 1e6 * 0.5)
        assert extreme["beyond_model"] and extreme["hurts"]
        assert "no longer applies" in extreme["message"]
        assert not re.search(r"\d{3,}(\.\d)? ?°C", extreme["message"]), extreme["message"]
        # ... also when the chosen threshold lies above the model's limit (no "comfortable at 2538 °C").
        above = rubbing.heat_pain_check(100, 1, 50, "lotion", duration_min=10.0, threshold_c=60.0)
        assert above["beyond_model"] and "no longer applies" in above["message"]
        # A gentle rub stays inside the model.
        gentle = rubbing.heat_pain_check(20, 100, 20, "oil", duration_min=10.0)
        assert not gentle["beyond_model"] and gentle["final_temperature_c"] < rubbing.MODEL_LIMIT_C

    def test_flux_that_never_reaches_43_c(self):
        # Analytic plateau q·δ/k: the largest flux that stays below 43 °C however long is 11 K · k / δ.
        delta_m = math.sqrt(K / (RHO * C) / rubbing.perfusion_rate_per_s())
        q_max = 11.0 * K / delta_m
        assert 560 < q_max < 600  # δ ≈ 7 mm (science.md §7), k = 0.37 W/m/K
        assert math.isinf(rubbing.time_to_temperature_rise_s(11.0, 0.99 * q_max))
        assert math.isfinite(rubbing.time_to_temperature_rise_s(11.0, 1.01 * q_max))
        # Notebook 04's exercise: a third of 1800 W/m² (600 W/m²) is NOT enough; it passes 43 °C after ~18 min.
        assert rubbing.time_to_temperature_rise_s(11.0, 600.0) / 60 == pytest.approx(18.1, abs=0.2)


# ---------------------------------------------------------------------------------------------------- stroking
class TestStroking:
    speeds = np.geomspace(0.3, 30.0, 2001)

    @pytest.mark.parametrize("temperature", [18.0, 25.0, 32.0, 37.0, 42.0])
    def test_peak_inside_1_to_10_cm_s(self, temperature):
        r = stroking.ct_response(self.speeds, temperature)
        peak = self.speeds[np.argmax(r)]
        assert 1.0 <= peak <= 10.0
        # At the speeds the studies tested, 1, 3 and 10 cm/s beat 0.3 and 30 cm/s (loken2009; ackerley2014).
        tested = stroking.ct_response([0.3, 1.0, 3.0, 10.0, 30.0], temperature)
        assert min(tested[1:4]) > max(tested[0], tested[4])

    def test_normalised_to_one_at_skin_temperature(self):
        assert stroking.ct_response(self.speeds, 32.0).max() == pytest.approx(1.0, abs=1e-6)

    def test_highest_at_32_c(self):
        peaks = {t: stroking.ct_response(self.speeds, t).max() for t in (18.0, 32.0, 42.0)}
        assert peaks[32.0] > peaks[18.0] and peaks[32.0] > peaks[42.0]

    @given(st.floats(0.3, 30.0), st.floats(18.0, 42.0))
    def test_no_temperature_beats_32_c(self, speed, temperature):
        assert float(stroking.ct_response(speed, temperature)) <= float(stroking.ct_response(speed, 32.0)) + 1e-12

    def test_flatter_away_from_skin_temperature(self):
        def contrast(t):
            r = stroking.ct_response(np.array([0.3, 3.0, 30.0]), t)
            return r[1] / max(r[0], r[2])

        assert contrast(32.0) > contrast(18.0)
        assert contrast(32.0) > contrast(42.0)

    def test_pleasantness_tracks_ct_only_at_32(self):
        assert stroking.pleasantness_link(32.0)["tracks_ct"] is True
        assert stroking.pleasantness_link(18.0)["tracks_ct"] is False
        assert stroking.pleasantness_link(42.0)["tracks_ct"] is False

    def test_tested_design(self):
        assert stroking.TESTED_SPEEDS_CM_S == (0.3, 1.0, 3.0, 10.0, 30.0)
        assert stroking.TESTED_TEMPERATURES_C == (18.0, 32.0, 42.0)


# ---------------------------------------------------------------------------------------------------- kneading
class TestKneading:
    @given(st.floats(1e-3, 100.0))
    def test_half_life_is_ln2_over_k(self, k):
        assert float(kneading.half_life_min(k)) == pytest.approx(math.log(2) / k, rel=1e-12)

    @given(st.floats(1e-3, 5.0), st.floats(0.1, 50.0))
    def test_concentration_halves_at_half_life(self, k, c0):
        t_half = math.log(2) / k
        if t_half <= 120.0:
            assert float(kneading.concentration_mmol_l(t_half, k, c0)) == pytest.approx(c0 / 2, rel=1e-9)

    def test_exponential_solution(self):
        t = np.linspace(0, 60, 61)
        np.testing.assert_allclose(kneading.concentration_mmol_l(t, 0.2, 8.0), 8.0 * np.exp(-0.2 * t))
        np.testing.assert_allclose(kneading.cleared_mmol(t, 0.2, 8.0, 500.0), 0.5 * 8.0 * (1 - np.exp(-0.2 * t)))

    def test_rate_proportional_to_flow(self):
        k1, k2 = kneading.washout_rate_per_min([300.0, 600.0], 1000.0, 0.1)
        assert k2 == pytest.approx(2 * k1)
        assert k1 == pytest.approx(0.1 * 300.0 / 1000.0)

    def test_wiltshire_flows_massage_clears_less_than_rest(self):
        flows = kneading.WILTSHIRE2010_FLOW_ML_MIN
        assert flows == {"passive rest": 766.0, "active recovery": 614.0, "massage": 540.0}
        k_rest, k_massage = kneading.washout_rate_per_min([766.0, 540.0])
        assert k_massage < k_rest
        assert float(kneading.half_life_min(k_massage)) > float(kneading.half_life_min(k_rest))

    def test_flush_story_versus_measured(self):
        t = np.linspace(0, 30, 300)
        out = kneading.flush_story_vs_measured(t)
        rest = out["passive rest"]["concentration_mmol_l"]
        assert np.all(out["massage (measured)"]["concentration_mmol_l"][1:] > rest[1:])
        assert np.all(out["flush story"]["concentration_mmol_l"][1:] < rest[1:])
        assert out["model_clearance_ratio"] == pytest.approx(540.0 / 766.0)
        assert out["measured_efflux_ratio"] == pytest.approx(14.7 / 20.5)
        assert out["measured_efflux_ratio"] < 1.0

    def test_measured_table_holds_only_published_numbers(self):
        rows = kneading.measured_data()
        keys = {row["key"] for row in rows}
        assert keys == {"wiltshire2010", "martin1998", "massage_lactate1993", "hemmings2000", "crane2012"}
        numbers = sorted(v for row in rows if row["values"] for v in row["values"].values())
        # Wiltshire 2010's abstract: flow 30 s after handgrip 766/614/540 mL/min; 10-min flow totals 4203/3584/3178 mL;
        # 10-min lactate efflux 20.5 (passive) / 15.4 (active) / 14.7 (massage) mmol.
        assert numbers == sorted([766.0, 614.0, 540.0, 4203.0, 3584.0, 3178.0, 20.5, 15.4, 14.7])
        for row in rows:
            if row["key"] != "wiltshire2010":
                assert row["values"] is None and row["unit"] is None
        efflux = next(r for r in kneading.measured_data("wiltshire2010") if "efflux" in r["outcome"])
        assert efflux["values"] == {"passive rest": 20.5, "active recovery": 15.4, "massage": 14.7}
        # Locally the flow-only ranking holds: active recovery had less flow AND less efflux than passive rest.
        assert efflux["values"]["active recovery"] < efflux["values"]["passive rest"]
        efflux["values"]["massage"] = 0.0
        assert kneading.WILTSHIRE2010_LACTATE_EFFLUX_MMOL["massage"] == 14.7

    def test_kneading_flow(self):
        assert float(kneading.kneading_flow_ml_min(766.0, -29.5)) == pytest.approx(766.0 * 0.705)


# ---------------------------------------------------------------------------------------------------- segments
def span(first, last):
    order = [f"C{i}" for i in range(1, 9)] + [f"T{i}" for i in range(1, 13)] + [f"L{i}" for i in range(1, 6)] + \
        [f"S{i}" for i in range(1, 6)]
    return order[order.index(first): order.index(last) + 1]


class TestSegments:
    def test_segment_list(self):
        assert len(segments.SEGMENTS) == 30
        assert segments.SEGMENTS[:2] == ("C1", "C2") and segments.SEGMENTS[-1] == "S5"

    @pytest.mark.parametrize(("organ", "western", "russian"), [
        ("Heart", span("T1", "T5"), span("C3", "C4") + span("T1", "T8")),
        ("Lungs", span("T2", "T5"), span("C3", "C4") + span("T3", "T9")),
        ("Stomach", span("T6", "T9"), span("C3", "C4") + span("T5", "T9")),
        ("Liver / gallbladder", span("C3", "C5") + span("T6", "T9"), span("C3", "C4") + span("T6", "T10")),
        ("Pancreas", span("T6", "T10"), span("T7", "T9")),
        ("Small intestine", ["T9", "T10"], None),
        ("Appendix", ["T10"], None),
        ("Colon", span("T10", "L2") + span("S2", "S4"), None),
        ("Kidney / ureter", span("T10", "L2"), None),
        ("Bladder", span("T11", "L2") + span("S2", "S4"), None),
        ("Uterus", span("T10", "L1") + span("S2", "S4"), None),
    ])
    def test_table_rows(self, organ, western, russian):
        assert segments.organ_segments(organ, "western") == western
        assert segments.organ_segments(organ, "russian") == russian

    def test_every_organ_of_science_sheet(self):
        assert segments.organ_names() == ["Heart", "Lungs", "Stomach", "Liver / gallbladder", "Pancreas",
                                          "Small intestine", "Appendix", "Colon", "Kidney / ureter", "Bladder",
                                          "Uterus"]
        assert segments.organ_segments("heart") == span("T1", "T5")

    def test_parse(self):
        assert segments.parse_segments("T10–L2, S2–S4") == ["T10", "T11", "T12", "L1", "L2", "S2", "S3", "S4"]
        assert segments.parse_segments("C8-T2") == ["C8", "T1", "T2"]
        assert segments.parse_segments("T10–L1 / T11–L2") == span("T10", "L2")
        for bad in ("", " , ", "T13", "C0", "X1", "T5–T1", "T1–T2–T3", "L6"):
            with pytest.raises(ValueError):
                segments.parse_segments(bad)

    def test_disagreement(self):
        heart = segments.segment_disagreement("Heart")
        assert heart["both"] == span("T1", "T5")
        assert heart["western_only"] == []
        assert heart["russian_only"] == ["C3", "C4", "T6", "T7", "T8"]
        pancreas = segments.segment_disagreement("Pancreas")
        assert pancreas["western_only"] == ["T6", "T10"] and pancreas["russian_only"] == []
        colon = segments.segment_disagreement("Colon")
        assert colon["russian_given"] is False

    def test_back_map_geometry(self):
        bands = segments.back_map_bands("Colon", left=0.2, right=0.8, top=0.9, bottom=0.1)
        assert len(bands) == 30
        assert [b.segment for b in bands] == list(segments.SEGMENTS)
        assert bands[0].y + bands[0].height == pytest.approx(0.9)
        assert bands[-1].y == pytest.approx(0.1)
        for upper, lower in itertools.pairwise(bands):
            assert lower.y + lower.height == pytest.approx(upper.y)
        assert all(b.x == 0.2 and b.width == pytest.approx(0.6) for b in bands)
        assert [b.segment for b in bands if b.western] == span("T10", "L2") + span("S2", "S4")
        assert not any(b.russian for b in bands)
        assert not any(b.western or b.russian for b in segments.back_map_bands())


# ------------------------------------------------------------------------------------- validation (hypothesis)
# Each public function with valid keyword arguments, and for each argument its kind and valid range.
NUM, CHOICE, TEXT = "number", "choice", "text"
FUNCTIONS = {
    "friction_coefficient": (rubbing.friction_coefficient, {"lubricant": "dry"}, {"lubricant": (CHOICE,)}),
    "contact_pressure_pa": (rubbing.contact_pressure_pa, {"force_n": 20, "area_cm2": 100},
                            {"force_n": (NUM, 0, 1000), "area_cm2": (NUM, 0.1, 1000)}),
    "heat_flux_w_m2": (rubbing.heat_flux_w_m2,
                       {"force_n": 20, "area_cm2": 100, "speed_cm_s": 20, "friction_coefficient": 0.5,
                        "heat_share": 0.5},
                       {"force_n": (NUM, 0, 1000), "area_cm2": (NUM, 0.1, 1000), "speed_cm_s": (NUM, 0, 200),
                        "friction_coefficient": (NUM, 0, 2), "heat_share": (NUM, 0, 1)}),
    "perfusion_rate_per_s": (rubbing.perfusion_rate_per_s, {"perfusion_ml_min_kg": 106},
                             {"perfusion_ml_min_kg": (NUM, 0, 2000)}),
    "penetration_depth_mm": (rubbing.penetration_depth_mm, {"perfusion_ml_min_kg": 106},
                             {"perfusion_ml_min_kg": (NUM, 0, 2000, "low_open")}),
    "temperature_rise_no_perfusion_k": (rubbing.temperature_rise_no_perfusion_k,
                                        {"time_s": 60, "heat_flux_w_m2": 200},
                                        {"time_s": (NUM, 0, 3600), "heat_flux_w_m2": (NUM, 0, 1e6)}),
    "temperature_rise_with_perfusion_k": (rubbing.temperature_rise_with_perfusion_k,
                                          {"time_s": 60, "heat_flux_w_m2": 200, "perfusion_ml_min_kg": 106},
                                          {"time_s": (NUM, 0, 3600), "heat_flux_w_m2": (NUM, 0, 1e6),
                                           "perfusion_ml_min_kg": (NUM, 0, 2000)}),
    "steady_temperature_rise_k": (rubbing.steady_temperature_rise_k,
                                  {"heat_flux_w_m2": 200, "perfusion_ml_min_kg": 106},
                                  {"heat_flux_w_m2": (NUM, 0, 1e6), "perfusion_ml_min_kg": (NUM, 0, 2000, "low_open")}),
    "time_to_temperature_rise_s": (rubbing.time_to_temperature_rise_s,
                                   {"rise_k": 2, "heat_flux_w_m2": 200, "perfusion_ml_min_kg": 106},
                                   {"rise_k": (NUM, 0, 40, "low_open"), "heat_flux_w_m2": (NUM, 0, 1e6),
                                    "perfusion_ml_min_kg": (NUM, 0, 2000)}),
    "rubbing_skin_temperature_c": (rubbing.rubbing_skin_temperature_c,
                                   {"time_s": [0, 60], "force_n": 20, "area_cm2": 100, "speed_cm_s": 20,
                                    "lubricant": "dry", "heat_share": 0.5, "perfusion_ml_min_kg": 106},
                                   {"time_s": (NUM, 0, 600), "force_n": (NUM, 1, 100), "area_cm2": (NUM, 1, 200),
                                    "speed_cm_s": (NUM, 1, 50), "lubricant": (CHOICE,), "heat_share": (NUM, 0, 1),
                                    "perfusion_ml_min_kg": (NUM, 0, 2000)}),
    "heat_pain_check": (rubbing.heat_pain_check,
                        {"force_n": 20, "area_cm2": 100, "speed_cm_s": 20, "lubricant": "dry", "duration_min": 1,
                         "threshold_c": 43, "heat_share": 0.5, "perfusion_ml_min_kg": 106},
                        {"force_n": (NUM, 1, 100), "area_cm2": (NUM, 1, 200), "speed_cm_s": (NUM, 1, 50),
                         "lubricant": (CHOICE,), "duration_min": (NUM, 0, 10), "threshold_c": (NUM, 33, 60),
                         "heat_share": (NUM, 0, 1), "perfusion_ml_min_kg": (NUM, 0, 2000)}),
    "ct_response": (stroking.ct_response, {"speed_cm_s": 3, "temperature_c": 32},
                    {"speed_cm_s": (NUM, 0.3, 30), "temperature_c": (NUM, 18, 42)}),
    "pleasantness_link": (stroking.pleasantness_link, {"temperature_c": 32}, {"temperature_c": (NUM, 18, 42)}),
    "washout_rate_per_min": (kneading.washout_rate_per_min,
                             {"flow_ml_min": 766, "volume_ml": 1000, "extraction_fraction": 0.1},
                             {"flow_ml_min": (NUM, 1, 5000), "volume_ml": (NUM, 10, 1e5),
                              "extraction_fraction": (NUM, 0, 1, "low_open")}),
    "half_life_min": (kneading.half_life_min, {"rate_per_min": 0.1}, {"rate_per_min": (NUM, 0, 100, "low_open")}),
    "concentration_mmol_l": (kneading.concentration_mmol_l,
                             {"time_min": [0, 10], "rate_per_min": 0.1, "initial_mmol_l": 10},
                             {"time_min": (NUM, 0, 120), "rate_per_min": (NUM, 0, 100),
                              "initial_mmol_l": (NUM, 0, 50)}),
    "cleared_mmol": (kneading.cleared_mmol,
                     {"time_min": [0, 10], "rate_per_min": 0.1, "initial_mmol_l": 10, "volume_ml": 1000},
                     {"time_min": (NUM, 0, 120), "rate_per_min": (NUM, 0, 100), "initial_mmol_l": (NUM, 0, 50),
                      "volume_ml": (NUM, 10, 1e5)}),
    "kneading_flow_ml_min": (kneading.kneading_flow_ml_min, {"rest_flow_ml_min": 766, "flow_change_pct": 50},
                             {"rest_flow_ml_min": (NUM, 1, 5000), "flow_change_pct": (NUM, -90, 300)}),
    "flush_story_vs_measured": (kneading.flush_story_vs_measured,
                                {"time_min": [0, 10], "claimed_flow_change_pct": 50, "volume_ml": 1000,
                                 "extraction_fraction": 0.1, "initial_mmol_l": 10},
                                {"time_min": (NUM, 0, 120), "claimed_flow_change_pct": (NUM, -90, 300),
                                 "volume_ml": (NUM, 10, 1e5), "extraction_fraction": (NUM, 0, 1, "low_open"),
                                 "initial_mmol_l": (NUM, 0, 50)}),
    "measured_data": (kneading.measured_data, {"study": "wiltshire2010"}, {"study": (CHOICE, "none_ok")}),
    "parse_segments": (segments.parse_segments, {"text": "T1–T5"}, {"text": (TEXT,)}),
    "organ_segments": (segments.organ_segments, {"organ": "Heart", "school": "western"},
                       {"organ": (CHOICE,), "school": (CHOICE,)}),
    "segment_disagreement": (segments.segment_disagreement, {"organ": "Heart"}, {"organ": (CHOICE,)}),
    "back_map_bands": (segments.back_map_bands,
                       {"organ": "Heart", "left": 0.3, "right": 0.7, "top": 0.97, "bottom": 0.03},
                       {"organ": (CHOICE, "none_ok"), "left": (NUM, 0, 1), "right": (NUM, 0.3, 1, "low_open"),
                        "top": (NUM, 0, 1), "bottom": (NUM, 0, 0.97, "high_open")}),
}
CASES = [(name, param) for name, (_, _, specs) in FUNCTIONS.items() for param in specs]

ALWAYS_BAD = st.sampled_from([float("nan"), float("inf"), float("-inf"), True, False, "abc", "5", b"1", {},
                              {"a": 1}, object(), [float("nan")], [1.0, "x"], [[1.0], [2.0, 3.0]], complex(1, 1)])


def bad_values(spec):
    kind = spec[0]
    flags = spec[1:]
    if kind == NUM:
        low, high = spec[1], spec[2]
        strategies = [ALWAYS_BAD, st.none(), st.just([])]
        strategies.append(st.floats(max_value=low, exclude_max="low_open" not in flags, allow_nan=False,
                                    allow_infinity=False))
        strategies.append(st.floats(min_value=high, exclude_min="high_open" not in flags, allow_nan=False,
                                    allow_infinity=False))
        strategies.append(st.integers(max_value=math.floor(low) - 1))
        strategies.append(st.lists(st.floats(min_value=high, exclude_min=True, allow_nan=False,
                                             allow_infinity=False), min_size=1, max_size=4))
        return st.one_of(strategies)
    if kind == CHOICE:
        strategies = [ALWAYS_BAD, st.floats(), st.integers(), st.text().filter(lambda s: s.strip().lower() not in {
            "dry", "lotion", "oil", "western", "russian", "wiltshire2010", "martin1998", "hemmings2000",
            "crane2012", *(o.lower() for o in segments.organ_names())})]
        if "none_ok" not in flags:
            strategies.append(st.none())
        return st.one_of(strategies)
    return st.one_of(ALWAYS_BAD, st.none(), st.floats(), st.integers(),
                     st.sampled_from(["", "T13", "C0", "X1", "T5–T1", "L6", "T1–", "–T1", ",,", "S6", "T1 T2"]))


@pytest.mark.parametrize(("name", "param"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_bad_input_raises_value_or_type_error(name, param, data):
    func, valid, specs = FUNCTIONS[name]
    func(**valid)  # the valid call works
    bad = data.draw(bad_values(specs[param]), label=param)
    with pytest.raises((ValueError, TypeError)):
        func(**{**valid, param: bad})
