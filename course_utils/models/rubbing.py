"""Rubbing: frictional heating of the skin (notebook ``04_rubbing``).

A hand sliding over skin turns frictional work into heat at the contact. The heat flux into the skin is

    q = η · μ · p · v        (W/m²)

with η the share of the heat that enters the skin (the rest warms the hand), μ the sliding friction coefficient,
p = F / A the contact pressure and v the sliding speed. The skin under the hand is treated as a semi-infinite
body heated by a constant flux over its surface (one-dimensional conduction into depth). Without blood flow the
surface warms as (Carslaw & Jaeger, constant flux on a semi-infinite solid)

    ΔT(t) = 2 q · √( t / (π · k ρ c) ).

With Pennes perfusion the blood arrives at core (arterial) temperature. At rest it *warms* skin, which is cooler
than the core, and the resting skin temperature is the balance of that with the heat lost at the surface. What
rubbing adds is an excess θ above that resting state, and the blood carries away only this extra heat, in
proportion to θ. So the equation for the excess temperature θ is ∂θ/∂t = α ∂²θ/∂x² − w θ, with α = k/(ρc) and
w = ω_b ρ_b c_b / (ρc). Solving it by Laplace transform with the flux condition −k ∂θ/∂x = q at x = 0 gives a
surface transform θ̄(0, s) = (q/k) · √α / (s · √(s + w)), whose inverse is

    ΔT(t) = (q/k) · √(α/w) · erf(√(w t)).

For small w·t, erf(z) ≈ 2z/√π and this becomes the no-perfusion formula; for large w·t it levels off at
q·δ/k, with the thermal penetration depth δ = √(α/w) (about 7 mm for resting skin).

What is simplified (say so in the notebook): the hand is assumed to stay over the same patch of skin (rubbing back
and forth over about its own area), so the patch receives the flux all the time; the skin is one homogeneous
layer with the IT'IS skin properties, even where the warmth reaches the fat below (about 7 mm down), whose heat
conduction is lower (0.16–0.20 W/m/K, burns2017) and blood flow smaller, so the rise at depth is under-estimated;
the contact is wide compared with the heated depth (√(α t) is about 5 mm
after 5 min, so a fingertip contact of 1 cm² is at the edge of this approximation and over-estimates the rise);
sweating, the hand's own temperature and the change of perfusion with heating are ignored. With η = 1 the model
gives an upper bound. Above about 50 °C (:data:`MODEL_LIMIT_C`), well past the ~45 °C where tissue damage
begins (guyton), the model no longer applies; :func:`heat_pain_check` says so instead of giving a temperature.

Science.md's worked example (μ 0.5, 20 N, 0.2 m/s, 100 cm²) gives q ≈ 200 W/m²: that is the *whole* frictional
power μ·p·v, i.e. η = 1, not η = 0.5. With the default η = 0.5 every temperature rise below is halved.
"""

from __future__ import annotations

import math

import numpy as np

from ..validation import check_array, check_choice, check_number

__all__ = [
    "SKIN",
    "BLOOD",
    "SKIN_PERFUSION_ML_MIN_KG",
    "LUBRICANTS",
    "HEAT_SHARE_INTO_SKIN",
    "BASELINE_SKIN_TEMPERATURE_C",
    "HEAT_PAIN_THRESHOLD_C",
    "MODEL_LIMIT_C",
    "EXPLORER_RANGES",
    "friction_coefficient",
    "contact_pressure_pa",
    "heat_flux_w_m2",
    "perfusion_rate_per_s",
    "penetration_depth_mm",
    "temperature_rise_no_perfusion_k",
    "temperature_rise_with_perfusion_k",
    "steady_temperature_rise_k",
    "time_to_temperature_rise_s",
    "rubbing_skin_temperature_c",
    "heat_pain_check",
]

# ---------------------------------------------------------------------------------------------------------------
# Constants (one block). Each gives its citation key; "ours" marks a teaching choice, "[M]" a value recalled
# without a checked source (show it as approximate).
# ---------------------------------------------------------------------------------------------------------------
SKIN = {
    "density_kg_m3": 1109.0,  # IT'IS tissue database value for skin [M]; mcintosh2010 is the checked database
    "specific_heat_j_kg_k": 3391.0,  # IT'IS [M]; burns2017 gives c ≈ 3350–3600 J/kg/K [C]
    "conductivity_w_m_k": 0.37,  # IT'IS [M]; burns2017: dermis 0.29–0.37 W/m/K [C]
}
BLOOD = {
    "density_kg_m3": 1050.0,  # IT'IS value for blood [M]; with SKIN it reproduces science.md's δ ≈ 7 mm
    "specific_heat_j_kg_k": 3617.0,  # IT'IS value for blood [M]
}
SKIN_PERFUSION_ML_MIN_KG = 106.0  # IT'IS skin perfusion, mL of blood per min per kg of tissue [M]; pennes1948 model
PERFUSION_RANGE_ML_MIN_KG = (0.0, 2000.0)  # ours: from no flow to ~20× rest (heated skin flow rises many-fold)

# Sliding friction coefficient μ per lubricant: typical value, range, and its standing.
LUBRICANTS = {
    "dry": {"mu": 0.36, "low": 0.2, "high": 0.5, "source": "veijgen2013, derler2012",
            "note": "'dry' means untreated skin: median dynamic μ 0.36 of untreated in-vivo skin at 32 °C "
                    "(veijgen2013); dry skin 0.2–0.5+ (derler2012)."},
    "lotion": {"mu": 0.6, "low": 0.36, "high": 1.0, "source": "sivamani2003, derler2012; value ours",
               "note": "Lotions hydrate skin, and hydration, glycerin and petrolatum RAISE μ (moist skin can exceed "
                       "1; derler2012, sivamani2003, whose probe slid at 0.4 mm/s under 20 g, not a hand). The "
                       "typical 0.6 is ours, chosen between dry and moist skin."},
    "oil": {"mu": 0.1, "low": 0.05, "high": 0.2, "source": "[M] approximate",
            "note": "A full oil film gives μ of roughly 0.05–0.2; recalled, not checked [M]: show as approximate."},
}
HEAT_SHARE_INTO_SKIN = 0.5  # η, share of frictional heat entering the skin; ours (equal split, skin ≈ hand)
BASELINE_SKIN_TEMPERATURE_C = 32.0  # typical skin surface temperature: ackerley2014 (32 °C), hinds2004 (31–32 °C)
HEAT_PAIN_THRESHOLD_C = {
    # The course's warning line: the low end of the heat-pain range (about 43–45 °C). A heat sensor of pain nerves
    # (TRPV1) opens near 42–43 °C, measured in cells (caterina1997); in cat skin, polymodal pain endings respond at
    # 42–56 °C (bessou1969). Not a measured human pain threshold.
    "trpv1": 43.0,
    "pain_and_damage": 45.0,  # pain and tissue damage from ~45 °C: guyton
}
MODEL_LIMIT_C = 50.0
"""Skin temperature above which this model no longer applies (°C; ours). Well past the ~45 °C where damage begins
(guyton), the skin is being damaged, blood flow no longer follows the resting Pennes term and the tissue's
properties change, so the linear model's numbers (it would print thousands of degrees for the hardest settings)
mean nothing."""
# Explorer controls for notebook 04 (ours; each range is what a hand can plausibly do in massage):
EXPLORER_RANGES = {
    "force_n": (1.0, 100.0),  # ours: a light stroke (~0.1 kg) to leaning body weight (~10 kg) into the hands
    "area_cm2": (1.0, 200.0),  # ours: a fingertip (~1 cm²) to both palms flat (~2 × 100 cm²)
    "speed_cm_s": (1.0, 50.0),  # ours: slow friction strokes to brisk rubbing (a hand's reach in ~0.5 s)
    "duration_min": (0.0, 10.0),  # ours: rubbing is applied in bouts of seconds to a few minutes on one area
}
TIME_RANGE_S = (0.0, 3600.0)  # ours: the model's time axis (up to one hour)
HEAT_FLUX_RANGE_W_M2 = (0.0, 1.0e6)  # ours: covers every explorer setting (max ≈ 1.5e5 W/m²)
FRICTION_RANGE = (0.0, 2.0)  # ours: from perfect lubrication to very moist skin (μ > 1, derler2012)
TEMPERATURE_RANGE_C = (20.0, 60.0)  # ours: range accepted for thresholds and baselines

_ERF = np.frompyfunc(math.erf, 1, 1)


def _volumetric_heat_capacity() -> float:
    return SKIN["density_kg_m3"] * SKIN["specific_heat_j_kg_k"]


def _diffusivity_m2_s() -> float:
    return SKIN["conductivity_w_m_k"] / _volumetric_heat_capacity()


def friction_coefficient(lubricant: str = "dry") -> float:
    """Typical sliding friction coefficient of skin for a lubricant.

    Args:
        lubricant: ``"dry"``, ``"lotion"`` or ``"oil"``.

    Returns:
        μ, dimensionless. Ranges and sources are in :data:`LUBRICANTS`: dry 0.36 (veijgen2013; derler2012),
        lotion 0.6 (ours; hydration, glycerin and petrolatum *raise* μ: sivamani2003, derler2012), oil 0.1
        (full film ~0.05–0.2, [M] approximate).

    Example:
        >>> friction_coefficient("oil")
        0.1

    Explained in notebook 04_rubbing.
    """
    key = check_choice("lubricant", lubricant, LUBRICANTS)
    return LUBRICANTS[key]["mu"]


def contact_pressure_pa(force_n, area_cm2) -> np.ndarray:
    """Mean contact pressure p = F / A.

    Args:
        force_n: Pressing force in N, 0–1000 (a number or array).
        area_cm2: Contact area in cm², 0.1–1000 (a number or array).

    Returns:
        Pressure in Pa (N/m²), broadcast over the inputs.

    Example:
        >>> float(contact_pressure_pa(20, 100))
        2000.0

    Explained in notebook 04_rubbing.
    """
    f = check_array("force_n", force_n, unit="N", low=0.0, high=1000.0)
    a = check_array("area_cm2", area_cm2, unit="cm²", low=0.1, high=1000.0)
    return f / (a * 1e-4)


def heat_flux_w_m2(force_n, area_cm2, speed_cm_s, friction_coefficient: float,
                   heat_share: float = HEAT_SHARE_INTO_SKIN) -> np.ndarray:
    """Frictional heat flux into the skin, q = η · μ · p · v.

    Args:
        force_n: Pressing force in N, 0–1000.
        area_cm2: Contact area in cm², 0.1–1000.
        speed_cm_s: Sliding speed in cm/s, 0–200.
        friction_coefficient: μ, 0–2 (see :func:`friction_coefficient`; derler2012, veijgen2013).
        heat_share: η, share of the heat entering the skin, 0–1 (default 0.5, ours). Use 1 for the upper
            bound of science.md's worked example.

    Returns:
        q in W/m², broadcast over the inputs.

    Example:
        >>> float(heat_flux_w_m2(20, 100, 20, 0.5, heat_share=1.0))  # science.md worked example
        200.0

    Explained in notebook 04_rubbing.
    """
    p = contact_pressure_pa(force_n, area_cm2)
    v = check_array("speed_cm_s", speed_cm_s, unit="cm/s", low=0.0, high=200.0) * 1e-2
    mu = check_number("friction_coefficient", friction_coefficient, unit="", low=FRICTION_RANGE[0],
                      high=FRICTION_RANGE[1])
    eta = check_number("heat_share", heat_share, unit="", low=0.0, high=1.0)
    return eta * mu * p * v


def perfusion_rate_per_s(perfusion_ml_min_kg: float = SKIN_PERFUSION_ML_MIN_KG) -> float:
    """Pennes perfusion rate w = ω_b ρ_b c_b / (ρ c) of skin.

    ω_b (volume of blood per volume of tissue per second) is perfusion × skin density; w is the rate (1/s) at
    which blood flow removes an excess temperature (pennes1948).

    Args:
        perfusion_ml_min_kg: Blood perfusion in mL/min per kg of tissue, 0–2000 (IT'IS skin ≈ 106 [M]).

    Returns:
        w in 1/s (about 2.0e-3 for resting skin).

    Explained in notebook 04_rubbing.
    """
    perf = check_number("perfusion_ml_min_kg", perfusion_ml_min_kg, unit="mL/min/kg",
                        low=PERFUSION_RANGE_ML_MIN_KG[0], high=PERFUSION_RANGE_ML_MIN_KG[1])
    omega_b = perf * 1e-6 / 60.0 * SKIN["density_kg_m3"]  # m³ blood / (m³ tissue · s)
    return omega_b * BLOOD["density_kg_m3"] * BLOOD["specific_heat_j_kg_k"] / _volumetric_heat_capacity()


def penetration_depth_mm(perfusion_ml_min_kg: float = SKIN_PERFUSION_ML_MIN_KG) -> float:
    """Thermal penetration depth δ = √(α / w) with perfusion (pennes1948; carslaw1959).

    Args:
        perfusion_ml_min_kg: Blood perfusion in mL/min/kg, greater than 0 and at most 2000.

    Returns:
        δ in mm (about 7 mm for resting skin, as in science.md §7).

    Explained in notebook 04_rubbing.
    """
    perf = check_number("perfusion_ml_min_kg", perfusion_ml_min_kg, unit="mL/min/kg", low=0.0,
                        high=PERFUSION_RANGE_ML_MIN_KG[1], low_open=True)
    return math.sqrt(_diffusivity_m2_s() / perfusion_rate_per_s(perf)) * 1e3


def _check_time_flux(time_s, heat_flux_w_m2_value) -> tuple[np.ndarray, np.ndarray]:
    t = check_array("time_s", time_s, unit="s", low=TIME_RANGE_S[0], high=TIME_RANGE_S[1])
    q = check_array("heat_flux_w_m2", heat_flux_w_m2_value, unit="W/m²", low=HEAT_FLUX_RANGE_W_M2[0],
                    high=HEAT_FLUX_RANGE_W_M2[1])
    return t, q


def temperature_rise_no_perfusion_k(time_s, heat_flux_w_m2) -> np.ndarray:
    """Surface temperature rise of a semi-infinite body under a constant flux, ΔT = 2q·√(t/(π·kρc)).

    Carslaw & Jaeger's solution (carslaw1959) with the skin constants of :data:`SKIN` (IT'IS [M]; burns2017).

    Args:
        time_s: Time since heating began in s, 0–3600 (number or array).
        heat_flux_w_m2: Heat flux into the skin in W/m², 0–1e6 (number or array, broadcast with ``time_s``).

    Returns:
        ΔT in K.

    Example:
        >>> round(float(temperature_rise_no_perfusion_k(60, 200)), 2)  # science.md: ≈ 1.5 K
        1.48

    Explained in notebook 04_rubbing.
    """
    t, q = _check_time_flux(time_s, heat_flux_w_m2)
    effusivity_sq = SKIN["conductivity_w_m_k"] * _volumetric_heat_capacity()
    return 2.0 * q * np.sqrt(t / (math.pi * effusivity_sq))


def temperature_rise_with_perfusion_k(time_s, heat_flux_w_m2,
                                      perfusion_ml_min_kg: float = SKIN_PERFUSION_ML_MIN_KG) -> np.ndarray:
    """Surface temperature rise with Pennes perfusion, ΔT = (q/k)·√(α/w)·erf(√(w·t)).

    Closed-form solution of ∂θ/∂t = α ∂²θ/∂x² − w θ with constant surface flux (derived in the module docstring;
    pennes1948, carslaw1959). It equals :func:`temperature_rise_no_perfusion_k` when perfusion is 0, stays
    below it otherwise, and levels off at q·δ/k.

    Args:
        time_s: Time since heating began in s, 0–3600.
        heat_flux_w_m2: Heat flux into the skin in W/m², 0–1e6.
        perfusion_ml_min_kg: Blood perfusion in mL/min/kg, 0–2000 (default 106, IT'IS skin [M]).

    Returns:
        ΔT in K.

    Explained in notebook 04_rubbing.
    """
    t, q = _check_time_flux(time_s, heat_flux_w_m2)
    w = perfusion_rate_per_s(perfusion_ml_min_kg)
    if w == 0.0:
        return temperature_rise_no_perfusion_k(t, q)
    k = SKIN["conductivity_w_m_k"]
    depth_m = math.sqrt(_diffusivity_m2_s() / w)
    erf_term = np.asarray(_ERF(np.sqrt(w * t)), dtype=float)
    return (q / k) * depth_m * erf_term


def steady_temperature_rise_k(heat_flux_w_m2, perfusion_ml_min_kg: float = SKIN_PERFUSION_ML_MIN_KG) -> np.ndarray:
    """Level at which the perfused rise settles, ΔT∞ = q·δ/k (pennes1948).

    Args:
        heat_flux_w_m2: Heat flux into the skin in W/m², 0–1e6.
        perfusion_ml_min_kg: Blood perfusion in mL/min/kg, greater than 0 and at most 2000.

    Returns:
        ΔT∞ in K (≈ 3.8 K for q = 200 W/m² in resting skin, science.md §7).

    Explained in notebook 04_rubbing.
    """
    q = check_array("heat_flux_w_m2", heat_flux_w_m2, unit="W/m²", low=HEAT_FLUX_RANGE_W_M2[0],
                    high=HEAT_FLUX_RANGE_W_M2[1])
    depth_m = penetration_depth_mm(perfusion_ml_min_kg) * 1e-3
    return q * depth_m / SKIN["conductivity_w_m_k"]


def _erfinv(y: float) -> float:
    """Inverse error function for 0 ≤ y < 1 by bisection on :func:`math.erf` (exact to ~1e-15)."""
    lo, hi = 0.0, 6.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if math.erf(mid) < y:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def time_to_temperature_rise_s(rise_k: float, heat_flux_w_m2: float,
                               perfusion_ml_min_kg: float = SKIN_PERFUSION_ML_MIN_KG) -> float:
    """Time the skin surface takes to warm by ``rise_k`` under a constant flux.

    Inverts :func:`temperature_rise_with_perfusion_k` (or the no-perfusion formula when perfusion is 0:
    t = π·kρc·(ΔT/(2q))²).

    Args:
        rise_k: Temperature rise to reach in K, greater than 0 and at most 40.
        heat_flux_w_m2: Heat flux into the skin in W/m², 0–1e6.
        perfusion_ml_min_kg: Blood perfusion in mL/min/kg, 0–2000.

    Returns:
        Time in s; ``math.inf`` if the rise is never reached (zero flux, or the perfused level q·δ/k is at or
        below ``rise_k``).

    Explained in notebook 04_rubbing.
    """
    dt = check_number("rise_k", rise_k, unit="K", low=0.0, high=40.0, low_open=True)
    q = check_number("heat_flux_w_m2", heat_flux_w_m2, unit="W/m²", low=HEAT_FLUX_RANGE_W_M2[0],
                     high=HEAT_FLUX_RANGE_W_M2[1])
    w = perfusion_rate_per_s(perfusion_ml_min_kg)
    if q == 0.0:
        return math.inf
    k = SKIN["conductivity_w_m_k"]
    if w == 0.0:
        return math.pi * k * _volumetric_heat_capacity() * (dt / (2.0 * q)) ** 2
    fraction = dt * k / (q * math.sqrt(_diffusivity_m2_s() / w))
    if fraction >= 1.0:
        return math.inf
    return _erfinv(fraction) ** 2 / w


def _check_rub(force_n: object, area_cm2: object, speed_cm_s: object) -> tuple[float, float, float]:
    """Check the explorer's force (N), contact area (cm²) and sliding speed (cm/s) against EXPLORER_RANGES."""
    return (check_number("force_n", force_n, unit="N", low=EXPLORER_RANGES["force_n"][0],
                         high=EXPLORER_RANGES["force_n"][1]),
            check_number("area_cm2", area_cm2, unit="cm²", low=EXPLORER_RANGES["area_cm2"][0],
                         high=EXPLORER_RANGES["area_cm2"][1]),
            check_number("speed_cm_s", speed_cm_s, unit="cm/s", low=EXPLORER_RANGES["speed_cm_s"][0],
                         high=EXPLORER_RANGES["speed_cm_s"][1]))


def rubbing_skin_temperature_c(time_s, force_n: float, area_cm2: float, speed_cm_s: float, lubricant: str = "dry",
                               heat_share: float = HEAT_SHARE_INTO_SKIN,
                               perfusion_ml_min_kg: float = SKIN_PERFUSION_ML_MIN_KG) -> np.ndarray:
    """Skin surface temperature while rubbing: the model behind notebook 04's explorer.

    Baseline skin temperature (32 °C) plus :func:`temperature_rise_with_perfusion_k` for the flux of
    :func:`heat_flux_w_m2`. Set ``perfusion_ml_min_kg=0`` for the no-perfusion curve.

    Args:
        time_s: Times in s, 0–600 (the explorer's 0–10 min).
        force_n: Pressing force in N, 1–100.
        area_cm2: Contact area in cm², 1–200.
        speed_cm_s: Sliding speed in cm/s, 1–50.
        lubricant: ``"dry"``, ``"lotion"`` or ``"oil"`` (:data:`LUBRICANTS`).
        heat_share: η, 0–1 (default 0.5, ours).
        perfusion_ml_min_kg: Blood perfusion in mL/min/kg, 0–2000 (default 106, IT'IS [M]).

    Returns:
        Skin surface temperature in °C at each time.

    Explained in notebook 04_rubbing.
    """
    t = check_array("time_s", time_s, unit="s", low=0.0, high=EXPLORER_RANGES["duration_min"][1] * 60.0)
    f, a, v = _check_rub(force_n, area_cm2, speed_cm_s)
    q = heat_flux_w_m2(f, a, v, friction_coefficient(lubricant), heat_share)
    return BASELINE_SKIN_TEMPERATURE_C + temperature_rise_with_perfusion_k(t, q, perfusion_ml_min_kg)


def heat_pain_check(force_n: float, area_cm2: float, speed_cm_s: float, lubricant: str = "dry",
                    duration_min: float = 1.0, threshold_c: float = HEAT_PAIN_THRESHOLD_C["trpv1"],
                    heat_share: float = HEAT_SHARE_INTO_SKIN,
                    perfusion_ml_min_kg: float = SKIN_PERFUSION_ML_MIN_KG) -> dict:
    """Say whether a rubbing setting would make the skin hot enough to hurt, and when.

    Args:
        force_n: Pressing force in N, 1–100.
        area_cm2: Contact area in cm², 1–200.
        speed_cm_s: Sliding speed in cm/s, 1–50.
        lubricant: ``"dry"``, ``"lotion"`` or ``"oil"``.
        duration_min: How long the same patch is rubbed, in min, 0–10.
        threshold_c: Warning temperature in °C, 33–60 (default 43 °C, the low end of the heat-pain range: a heat
            sensor of pain nerves, TRPV1, opens near 43 °C in cells, caterina1997; use 45 °C for pain with tissue
            damage: guyton).
        heat_share: η, 0–1 (default 0.5, ours).
        perfusion_ml_min_kg: Blood perfusion in mL/min/kg, 0–2000.

    Returns:
        A dict with ``heat_flux_w_m2``; ``final_temperature_c`` (at the end of the duration);
        ``plateau_temperature_c`` (where the perfused rise levels off; ``inf`` without perfusion);
        ``time_to_threshold_s`` (``inf`` if never reached); ``hurts`` (True if the threshold is reached within
        the duration); ``beyond_model`` (True if the skin would pass :data:`MODEL_LIMIT_C`, about 50 °C, within
        the duration: the temperatures are then meaningless and the message gives none); and ``message``, one
        plain sentence for the explorer's text panel.

    Example:
        >>> heat_pain_check(100, 1, 50, "lotion", 10)["beyond_model"]   # a hard, fast fingertip rub
        True

    Explained in notebook 04_rubbing.
    """
    f, a, v = _check_rub(force_n, area_cm2, speed_cm_s)
    dur = check_number("duration_min", duration_min, unit="min", low=EXPLORER_RANGES["duration_min"][0],
                       high=EXPLORER_RANGES["duration_min"][1])
    thr = check_number("threshold_c", threshold_c, unit="°C", low=BASELINE_SKIN_TEMPERATURE_C + 1.0,
                       high=TEMPERATURE_RANGE_C[1])
    q = float(heat_flux_w_m2(f, a, v, friction_coefficient(lubricant), heat_share))
    w = perfusion_rate_per_s(perfusion_ml_min_kg)
    final_c = float(BASELINE_SKIN_TEMPERATURE_C + temperature_rise_with_perfusion_k(dur * 60.0, q,
                                                                                    perfusion_ml_min_kg))
    plateau_c = (BASELINE_SKIN_TEMPERATURE_C + float(steady_temperature_rise_k(q, perfusion_ml_min_kg))
                 if w > 0.0 else math.inf)
    t_pain = time_to_temperature_rise_s(thr - BASELINE_SKIN_TEMPERATURE_C, q, perfusion_ml_min_kg)
    hurts = t_pain <= dur * 60.0
    beyond = final_c > MODEL_LIMIT_C
    advice = "Lighter pressure, a wider contact, oil or a slower hand would help."
    if hurts:
        when = f"after about {t_pain:.0f} s" if t_pain >= 1.0 else "within a second"
        message = f"Too hot: the skin would pass {thr:g} °C {when} of rubbing (heat flux {q:,.0f} W/m²). "
        if beyond:
            message += (f"Before the {dur:g} min are over it would go beyond about {MODEL_LIMIT_C:g} °C, where the "
                        "skin is being damaged and this model no longer applies. ")
        message += advice
    elif beyond:
        message = (f"Far too hot: within {dur:g} min the skin would go beyond about {MODEL_LIMIT_C:g} °C, where the "
                   f"skin is being damaged and this model no longer applies. {advice}")
    elif math.isfinite(t_pain):
        message = (f"Comfortable for {dur:g} min: the skin reaches about {final_c:.1f} °C, but it would pass "
                   f"{thr:g} °C after about {t_pain / 60:.1f} min on the same spot.")
    else:
        message = (f"Comfortable: the skin reaches about {final_c:.1f} °C and blood flow stops it rising above "
                   f"about {plateau_c:.1f} °C, below {thr:g} °C, where heat starts to hurt.")
    return {"heat_flux_w_m2": q, "final_temperature_c": final_c, "plateau_temperature_c": plateau_c,
            "time_to_threshold_s": t_pain, "hurts": bool(hurts), "beyond_model": bool(beyond), "message": message}
