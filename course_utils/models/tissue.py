"""Pressure into depth: how far the push of a hand reaches into the body (notebook 01, syllabus model 01).

Teaching model. The body is treated as one uniform, linear-elastic block of infinite depth (an elastic
half-space), and the hand as a uniform pressure over a circle of radius ``a``. Then the vertical stress on the
axis under the centre of the contact, at depth ``z``, has the closed form (Boussinesq's problem for a uniform
circular load; Johnson 1985, *Contact Mechanics*, §3.4 [johnson1985]; Timoshenko & Goodier 1970 [timoshenko1970]):

    σz(z) = p · [1 − z³ / (a² + z²)^(3/2)],   p = F / (π a²)

It does not depend on the tissue's stiffness at all, which is why it makes a clean first picture. Limits (the
notebook says so too): real tissue is layered, soft, nonlinear and has bone beneath; hands are not flat discs; and
stress is not the same as what a receptor feels. The shapes are right, the exact numbers are not.

Layer thicknesses and receptor depths are typical approximate values that vary with body site and person
(syllabus, model 01); receptor markers are placed in the layer where each receptor type lives, not at a measured
depth.
"""

from __future__ import annotations

import math

import numpy as np

from ..validation import check_array, check_number

__all__ = ["FORCE_RANGE_N", "RADIUS_RANGE_MM", "DEPTH_RANGE_MM", "LAYERS", "RECEPTORS", "mean_pressure_kpa",
           "stress_fraction", "stress_on_axis_kpa", "depth_for_fraction_mm", "layer_at"]

# ------------------------------------------------------------------------------------------------- constants
FORCE_RANGE_N = (1.0, 100.0)
"""Pressing force range of the explorer (N): from a feather-light touch to leaning in with body weight."""
RADIUS_RANGE_MM = (2.0, 50.0)
"""Contact radius range (mm): a narrow fingertip to a whole palm."""
DEPTH_RANGE_MM = (0.05, 60.0)
"""Depths shown (mm): from inside the epidermis to deep muscle."""

LAYERS: tuple[tuple[str, float, float], ...] = (
    # (name, top mm, bottom mm). Typical approximate values, site dependent (syllabus model 01).
    ("Epidermis", 0.0, 0.1),
    ("Dermis", 0.1, 2.0),
    ("Subcutis (fat)", 2.0, 15.0),
    ("Muscle", 15.0, math.inf),
)

RECEPTORS: tuple[tuple[str, str], ...] = (
    # (receptor, the layer it lives in) — syllabus model 01; Johnson 2001 [johnson2001]. Merkel cells sit in the
    # basal layer of the epidermis; Meissner corpuscles in the dermal papillae, i.e. the top of the dermis.
    ("Merkel", "Epidermis"),
    ("Meissner", "Dermis"),
    ("Ruffini", "Dermis"),
    ("Pacinian", "Subcutis (fat)"),
    ("Muscle spindle", "Muscle"),
)


# ------------------------------------------------------------------------------------------------- model
def mean_pressure_kpa(force_n: float, radius_mm: float) -> float:
    """Mean contact pressure p = F / (π a²), in kPa.

    Args:
        force_n: Pressing force, N (1–100).
        radius_mm: Contact radius, mm (2–50).

    Example:
        >>> round(mean_pressure_kpa(10, 10), 1)   # 10 N over a 2 cm-wide contact
        31.8
    """
    f = check_number("force_n", force_n, unit="N", low=FORCE_RANGE_N[0], high=FORCE_RANGE_N[1])
    a = check_number("radius_mm", radius_mm, unit="mm", low=RADIUS_RANGE_MM[0], high=RADIUS_RANGE_MM[1])
    return f / (math.pi * (a * 1e-3) ** 2) / 1e3


def _fraction(a_mm: float, z_mm: np.ndarray) -> np.ndarray:
    return 1.0 - z_mm**3 / (a_mm**2 + z_mm**2) ** 1.5


def stress_fraction(radius_mm: float, depth_mm: float | np.ndarray) -> np.ndarray:
    """Share of the surface pressure that acts at depth, σz(z)/p, on the axis of the contact (0–1).

    Far below the contact (z ≫ a) it falls as 1.5·a²/z² (the load then acts like a point force).

    Args:
        radius_mm: Contact radius, mm (2–50).
        depth_mm: Depth(s) below the skin surface, mm (0–1000).

    Returns:
        An array shaped like ``depth_mm``.
    """
    a = check_number("radius_mm", radius_mm, unit="mm", low=RADIUS_RANGE_MM[0], high=RADIUS_RANGE_MM[1])
    z = check_array("depth_mm", depth_mm, unit="mm", low=0, high=1000)
    return _fraction(a, z)


def stress_on_axis_kpa(force_n: float, radius_mm: float, depth_mm: float | np.ndarray) -> np.ndarray:
    """Vertical stress σz at depth on the contact's axis, in kPa (Boussinesq, uniform circular load).

    Args:
        force_n: Pressing force, N (1–100).
        radius_mm: Contact radius, mm (2–50).
        depth_mm: Depth(s), mm (0–1000).
    """
    return mean_pressure_kpa(force_n, radius_mm) * stress_fraction(radius_mm, depth_mm)


def depth_for_fraction_mm(radius_mm: float, fraction: float) -> float:
    """Depth (mm) at which σz has fallen to ``fraction`` of the surface pressure.

    Solves the model exactly: with c = (1 − fraction)^(1/3), z = a·c / √(1 − c²). For one half, z ≈ 1.3·a: the
    wider the contact, the deeper the same share of the pressure reaches.

    Args:
        radius_mm: Contact radius, mm (2–50).
        fraction: Share of the surface pressure, strictly between 0 and 1 (no unit).
    """
    a = check_number("radius_mm", radius_mm, unit="mm", low=RADIUS_RANGE_MM[0], high=RADIUS_RANGE_MM[1])
    frac = check_number("fraction", fraction, unit="", low=0, high=1, low_open=True, high_open=True)
    c = (1.0 - frac) ** (1.0 / 3.0)
    return a * c / math.sqrt(1.0 - c * c)


def layer_at(depth_mm: float) -> str:
    """Name of the tissue layer at ``depth_mm`` (mm, ≥ 0), using the typical thicknesses in :data:`LAYERS`."""
    z = check_number("depth_mm", depth_mm, unit="mm", low=0, high=1000)
    for name, top, bottom in LAYERS:
        if top <= z < bottom:
            return name
    return LAYERS[-1][0]
