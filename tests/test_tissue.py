"""The pressure-into-depth model against the closed-form Boussinesq results for a uniform circular load.

Analytic facts used (Johnson 1985, Contact Mechanics §3.4; Timoshenko & Goodier 1970):
* on the axis, σz(z)/p = 1 − z³/(a² + z²)^(3/2), so σz(0) = p and σz(a)/p = 1 − 2^(−3/2);
* far below (z ≫ a), σz/p → 1.5·a²/z² (a point force F = p·πa² gives σz = 3F/(2πz²));
* half the surface pressure remains at z = a·c/√(1 − c²), c = 0.5^(1/3), i.e. z ≈ 1.3048·a.
"""

from __future__ import annotations

import itertools
import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import course_utils as cu
from course_utils.models import tissue

RADII_MM = [2.0, 5.0, 10.0, 20.0, 50.0]


def _bisect_depth(radius_mm: float, fraction: float) -> float:
    """Independent root finder for σz/p = fraction (the formula written out here, solved by bisection)."""
    def f(z):
        return 1.0 - z**3 / (radius_mm**2 + z**2) ** 1.5 - fraction

    lo, hi = 0.0, 1e6 * radius_mm
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if f(mid) > 0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


@pytest.mark.parametrize("force_n, radius_mm", [(1, 2), (20, 10), (60, 40), (100, 50)])
def test_mean_pressure_is_force_over_circle_area(force_n, radius_mm):
    area_m2 = math.pi * (radius_mm / 1000) ** 2
    expected_kpa = force_n / area_m2 / 1000
    assert cu.mean_pressure_kpa(force_n, radius_mm) == pytest.approx(expected_kpa, rel=1e-12)


def test_mean_pressure_known_value():
    # 20 N over a circle of radius 10 mm: 20 / (π · 1e-4 m²) = 63 662 Pa.
    assert cu.mean_pressure_kpa(20, 10) == pytest.approx(63.662, abs=1e-3)


@pytest.mark.parametrize("radius_mm", RADII_MM)
def test_stress_equals_pressure_at_surface(radius_mm):
    assert float(cu.stress_fraction(radius_mm, 0.0)) == pytest.approx(1.0, abs=1e-15)
    p = 30.0 / (math.pi * (radius_mm / 1000) ** 2) / 1000
    assert float(cu.stress_on_axis_kpa(30, radius_mm, 0.0)) == pytest.approx(p, rel=1e-12)


@pytest.mark.parametrize("radius_mm", RADII_MM)
def test_stress_one_radius_down(radius_mm):
    assert float(cu.stress_fraction(radius_mm, radius_mm)) == pytest.approx(1 - 2**-1.5, rel=1e-12)


@pytest.mark.parametrize("radius_mm, depth_factor", [(2, 50), (5, 50), (10, 50), (20, 50), (2, 200), (5, 150)])
def test_far_field_is_point_load(radius_mm, depth_factor):
    z = depth_factor * radius_mm  # all within the valid depth range (≤ 1000 mm)
    far = 1.5 * radius_mm**2 / z**2
    assert float(cu.stress_fraction(radius_mm, z)) == pytest.approx(far, rel=0.01)


def test_far_field_point_load_in_kpa():
    force_n, radius_mm, z_mm = 50.0, 4.0, 400.0
    point_kpa = 3 * force_n / (2 * math.pi * (z_mm / 1000) ** 2) / 1000
    assert float(cu.stress_on_axis_kpa(force_n, radius_mm, z_mm)) == pytest.approx(point_kpa, rel=0.01)


@pytest.mark.parametrize("radius_mm", RADII_MM)
def test_stress_decreases_monotonically_with_depth(radius_mm):
    z = np.linspace(0, 1000, 2001)
    frac = cu.stress_fraction(radius_mm, z)
    assert frac.shape == z.shape
    assert np.all(np.diff(frac) < 0)
    assert np.all((frac > 0) & (frac <= 1))


def test_fraction_is_independent_of_force():
    z = np.geomspace(0.05, 60, 50)
    stress_5 = cu.stress_on_axis_kpa(5, 10, z)
    stress_80 = cu.stress_on_axis_kpa(80, 10, z)
    np.testing.assert_allclose(stress_5 / cu.mean_pressure_kpa(5, 10), stress_80 / cu.mean_pressure_kpa(80, 10),
                               rtol=1e-12)
    np.testing.assert_allclose(stress_80 / stress_5, 16.0, rtol=1e-12)


def test_array_shape_is_preserved():
    z = np.array([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
    assert cu.stress_fraction(10, z).shape == (2, 3)
    assert cu.stress_on_axis_kpa(10, 10, z).shape == (2, 3)


@pytest.mark.parametrize("radius_mm", RADII_MM)
@pytest.mark.parametrize("fraction", [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99])
def test_depth_for_fraction_inverts_stress_fraction(radius_mm, fraction):
    z = cu.depth_for_fraction_mm(radius_mm, fraction)
    assert z == pytest.approx(_bisect_depth(radius_mm, fraction), rel=1e-9)
    if z <= 1000:
        assert float(cu.stress_fraction(radius_mm, z)) == pytest.approx(fraction, rel=1e-9)


@pytest.mark.parametrize("radius_mm", RADII_MM)
def test_half_depth_is_about_1_305_radii(radius_mm):
    c = 0.5 ** (1 / 3)
    exact = c / math.sqrt(1 - c * c)
    assert exact == pytest.approx(1.3048, abs=1e-4)
    assert cu.depth_for_fraction_mm(radius_mm, 0.5) / radius_mm == pytest.approx(exact, rel=1e-12)


def test_wider_contact_reaches_deeper():
    depths = [cu.depth_for_fraction_mm(a, 0.5) for a in RADII_MM]
    assert depths == sorted(depths) and len(set(depths)) == len(depths)


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, 1.5])
def test_depth_for_fraction_refuses_fraction_outside_open_interval(bad):
    with pytest.raises(ValueError, match="fraction"):
        cu.depth_for_fraction_mm(10, bad)


@pytest.mark.parametrize("call, name", [
    (lambda: cu.stress_fraction(1.0, 1.0), "radius_mm"),
    (lambda: cu.stress_fraction(10, -1.0), "depth_mm"),
    (lambda: cu.stress_fraction(10, [1.0, 1001.0]), "depth_mm"),
    (lambda: cu.mean_pressure_kpa(0.5, 10), "force_n"),
    (lambda: cu.mean_pressure_kpa(20, 51), "radius_mm"),
    (lambda: cu.layer_at(-0.01), "depth_mm"),
])
def test_out_of_range_arguments_are_refused(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_layers_are_contiguous_from_the_surface():
    layers = tissue.LAYERS
    assert layers[0][1] == 0.0
    for (_n1, _top1, bottom1), (_n2, top2, _bottom2) in itertools.pairwise(layers):
        assert bottom1 == top2
    assert math.isinf(layers[-1][2])


@pytest.mark.parametrize("index", range(len(tissue.LAYERS)))
def test_layer_at_boundaries(index):
    name, top, bottom = tissue.LAYERS[index]
    assert cu.layer_at(top) == name                     # top boundary belongs to this layer
    if math.isfinite(bottom):
        assert cu.layer_at(bottom - 1e-9) == name       # just above the bottom boundary: still this layer
        assert cu.layer_at(bottom) == tissue.LAYERS[index + 1][0]  # the bottom boundary starts the next one
        assert cu.layer_at(0.5 * (top + bottom)) == name


def test_layer_at_typical_depths():
    assert cu.layer_at(0.0) == "Epidermis"
    assert cu.layer_at(1.0) == "Dermis"
    assert cu.layer_at(5.0) == "Subcutis (fat)"
    assert cu.layer_at(30.0) == "Muscle"
    assert cu.layer_at(1000.0) == "Muscle"


def test_every_receptor_lives_in_a_known_layer():
    names = {name for name, _top, _bottom in tissue.LAYERS}
    assert {layer for _receptor, layer in tissue.RECEPTORS} <= names


def test_receptors_sit_in_their_anatomical_layers():
    # Histology (Johnson 2001): Merkel cells in the basal epidermis, Meissner corpuscles in the dermal papillae
    # (dermis, not epidermis), Ruffini endings in the dermis, Pacinian corpuscles deep (subcutis), spindles in muscle.
    layer = dict(tissue.RECEPTORS)
    assert layer == {"Merkel": "Epidermis", "Meissner": "Dermis", "Ruffini": "Dermis", "Pacinian": "Subcutis (fat)",
                     "Muscle spindle": "Muscle"}


def test_receptor_markers_of_the_01_explorer_lie_in_their_layers():
    from course_utils.explorers.pressure import _MARKER_DEPTH_MM

    for receptor, layer in tissue.RECEPTORS:
        assert cu.layer_at(_MARKER_DEPTH_MM[receptor]) == layer, receptor
