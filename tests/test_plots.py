"""course_utils.plots.pixel_exact_figsize: whole pixels for any valid size, a clear error for anything else."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_utils.plots import pixel_exact_figsize


@given(st.floats(0.5, 50.0), st.floats(0.5, 50.0), st.sampled_from([72, 100, 133.33, 150, 200]))
def test_sizes_give_whole_pixels_that_ipympl_does_not_truncate(width, height, dpi):
    out = pixel_exact_figsize((width, height), dpi)
    for before, after in zip((width, height), out, strict=True):
        pixels = after * dpi
        assert math.floor(pixels) == round(before * dpi), (before, after, pixels)
        assert abs(after - before) <= 0.5 / dpi + 1e-12


def test_the_case_that_motivated_it():
    assert 4.6 * 100 < 460  # floating point: 459.99999999999994, which ipympl truncates to 459 rows
    width, height = pixel_exact_figsize((8.3, 4.6), 100)
    assert math.floor(height * 100) == 460 and math.floor(width * 100) == 830


def test_an_array_is_accepted_like_a_tuple():
    assert pixel_exact_figsize(np.array([8.3, 4.6]), 100) == pixel_exact_figsize((8.3, 4.6), 100)


@pytest.mark.parametrize("figsize, words", [
    (np.array([]), "got 0 value"),
    ([], "got 0 value"),
    ((4.0,), "got 1 value"),
    ((4.0, 3.0, 2.0), "got 3 value"),
    (np.zeros((1, 2)) + 4, "1-D"),
    ((0.1, 3.0), "between 0.5 and 50 in"),
    ((4.0, math.nan), "finite"),
])
def test_a_figsize_that_is_not_a_pair_of_valid_sizes_is_a_clear_value_error(figsize, words):
    with pytest.raises(ValueError, match="figsize") as info:
        pixel_exact_figsize(figsize, 100)
    assert words in str(info.value)


@pytest.mark.parametrize("figsize", [None, "8x4", (4.0, "3"), {"w": 4, "h": 3}])
def test_a_figsize_of_the_wrong_kind_is_a_type_error(figsize):
    with pytest.raises(TypeError, match="figsize"):
        pixel_exact_figsize(figsize, 100)


@pytest.mark.parametrize("dpi", [0, -100, 5000, math.inf])
def test_a_dpi_out_of_range_is_a_value_error_naming_dpi(dpi):
    with pytest.raises(ValueError, match=r"dpi must be .*10 and 1000 dpi"):
        pixel_exact_figsize((4.0, 3.0), dpi)


@given(st.one_of(st.none(), st.text(max_size=3), st.lists(st.floats(allow_nan=True), max_size=4),
                 st.tuples(st.floats(), st.floats())), st.one_of(st.floats(), st.integers(-10, 2000)))
def test_any_bad_input_is_a_value_or_type_error_never_something_else(figsize, dpi):
    try:
        pixel_exact_figsize(figsize, dpi)
    except (ValueError, TypeError):
        pass
