"""Tests of the shared argument checks in :mod:`course_utils.validation`."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_utils.validation import (
    check_array,
    check_bool,
    check_choice,
    check_int,
    check_number,
    describe_range,
)

# ------------------------------------------------------------------------------------------------ check_number


@pytest.mark.parametrize("value", [1, 20, 100, 1.0, 55.5, np.float64(3.0), np.int32(7), np.float32(2.5)])
def test_check_number_accepts_values_in_range_and_returns_float(value):
    out = check_number("force_n", value, unit="N", low=1, high=100)
    assert type(out) is float
    assert out == float(value)


def test_check_number_without_bounds_accepts_any_finite_number():
    assert check_number("x", -1e300, unit="") == -1e300
    assert check_number("x", 1e300, unit="") == 1e300


def test_check_number_open_bounds_exclude_the_limit_itself():
    assert check_number("radius_mm", 1e-9, unit="mm", low=0, low_open=True) == 1e-9
    with pytest.raises(ValueError, match="greater than 0 mm"):
        check_number("radius_mm", 0, unit="mm", low=0, low_open=True)
    with pytest.raises(ValueError, match=r"in \[0, 1\)"):
        check_number("fraction", 1, unit="", low=0, high=1, high_open=True)


@pytest.mark.parametrize("value, shown", [(0.5, "0.5"), (101, "101"), (-3, "-3"), (1e6, "1000000")])
def test_check_number_out_of_range_message_names_parameter_value_range_and_unit(value, shown):
    with pytest.raises(ValueError) as info:
        check_number("force_n", value, unit="N", low=1, high=100)
    msg = str(info.value)
    assert "force_n" in msg
    assert f"got {shown} N" in msg
    assert "between 1 and 100 N" in msg


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, np.float64("nan")])
def test_check_number_refuses_nan_and_infinity(value):
    with pytest.raises(ValueError) as info:
        check_number("frequency_hz", value, unit="Hz", low=1, high=300)
    msg = str(info.value)
    assert "frequency_hz" in msg
    assert "finite" in msg
    assert "between 1 and 300 Hz" in msg


@pytest.mark.parametrize("value", ["20", None, True, False, np.bool_(True), [20], (20,), np.array([20.0]),
                                   {"a": 1}, object(), 1 + 2j])
def test_check_number_refuses_non_numbers_with_type_error(value):
    with pytest.raises(TypeError) as info:
        check_number("force_n", value, unit="N", low=1, high=100)
    msg = str(info.value)
    assert "force_n" in msg
    assert "between 1 and 100 N" in msg
    assert type(value).__name__ in msg


def test_check_number_message_shows_the_offending_value_for_type_errors():
    with pytest.raises(TypeError, match="'twenty'"):
        check_number("force_n", "twenty", unit="N", low=1, high=100)


@pytest.mark.parametrize("low, high, unit, expected", [
    (1, 300, "Hz", "between 1 and 300 Hz"),
    (0, None, "mm", "at least 0 mm"),
    (None, 5, "min", "at most 5 min"),
    (None, None, "N", "a finite number in N"),
    (0, None, "", "at least 0"),
])
def test_describe_range_words(low, high, unit, expected):
    assert describe_range(low, high, unit) == expected


# ------------------------------------------------------------------------------------------------ check_array


def test_check_array_returns_float_array_for_list_scalar_and_int_array():
    out = check_array("depth_mm", [0, 1, 2.5], unit="mm", low=0, high=10)
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    np.testing.assert_array_equal(out, [0.0, 1.0, 2.5])
    scalar = check_array("depth_mm", 3, unit="mm", low=0)
    assert isinstance(scalar, np.ndarray) and scalar.ndim == 0 and float(scalar) == 3.0
    ints = check_array("depth_mm", np.arange(4), unit="mm", low=0)
    assert ints.dtype == np.float64
    np.testing.assert_array_equal(ints, [0, 1, 2, 3])
    tup = check_array("depth_mm", (1.0, 2.0), unit="mm", ndim=1)
    assert tup.shape == (2,)


@pytest.mark.parametrize("value, shown", [([1, 2, 11], "11"), ([-0.5, 1], "-0.5")])
def test_check_array_out_of_range_message(value, shown):
    with pytest.raises(ValueError) as info:
        check_array("depth_mm", value, unit="mm", low=0, high=10)
    msg = str(info.value)
    assert "depth_mm" in msg
    assert "between 0 and 10 mm" in msg
    assert f"got a value of {shown} mm" in msg


@pytest.mark.parametrize("value", [[1.0, math.nan], [math.inf], np.array([0.0, -np.inf])])
def test_check_array_refuses_nonfinite_elements(value):
    with pytest.raises(ValueError) as info:
        check_array("depth_mm", value, unit="mm", low=0, high=10)
    msg = str(info.value)
    assert "depth_mm" in msg and "NaN or infinity" in msg and "between 0 and 10 mm" in msg


@pytest.mark.parametrize("value", ["1, 2", b"12", None, True, np.bool_(False), {"a": 1}, {1, 2}, object(),
                                   ["a", "b"], [True, False], np.array(["x"]), [1 + 1j]])
def test_check_array_refuses_non_numeric_with_type_error(value):
    with pytest.raises(TypeError) as info:
        check_array("depth_mm", value, unit="mm", low=0, high=10)
    assert "depth_mm" in str(info.value)


def test_check_array_shape_and_size_rules():
    with pytest.raises(ValueError, match="depth_mm must be a 1-D array; got shape"):
        check_array("depth_mm", [[1.0, 2.0]], unit="mm", ndim=1)
    with pytest.raises(ValueError, match="depth_mm must hold at least 1 value"):
        check_array("depth_mm", [], unit="mm")
    with pytest.raises(ValueError, match="depth_mm must hold at least 3 value"):
        check_array("depth_mm", [1.0, 2.0], unit="mm", min_size=3)
    with pytest.raises(ValueError, match="depth_mm"):
        check_array("depth_mm", [[1.0], [1.0, 2.0]], unit="mm")  # ragged


# ------------------------------------------------------------------------------------------------ check_int


@pytest.mark.parametrize("value", [0, 3, np.int64(5), np.uint8(2)])
def test_check_int_accepts_whole_numbers_and_returns_int(value):
    out = check_int("answer", value, low=0, high=5)
    assert type(out) is int and out == int(value)


@pytest.mark.parametrize("value", [1.0, 2.5, "3", None, True, np.bool_(True), [1]])
def test_check_int_refuses_non_integers_with_type_error(value):
    with pytest.raises(TypeError) as info:
        check_int("n_strokes", value, low=0, high=5, unit="strokes")
    msg = str(info.value)
    assert "n_strokes" in msg and "between 0 and 5 strokes" in msg and "whole number" in msg


@pytest.mark.parametrize("value", [-1, 6, 10**6])
def test_check_int_out_of_range_message(value):
    with pytest.raises(ValueError) as info:
        check_int("n_strokes", value, low=0, high=5, unit="strokes")
    msg = str(info.value)
    assert "n_strokes" in msg and "between 0 and 5 strokes" in msg and f"got {value} strokes" in msg


# ------------------------------------------------------------------------------------------------ check_choice


@pytest.mark.parametrize("value", ["oil", "OIL", "  Oil ", "lotion"])
def test_check_choice_returns_canonical_spelling(value):
    out = check_choice("lubricant", value, ["dry", "lotion", "oil"])
    assert out in ("oil", "lotion") and out == value.strip().lower()


def test_check_choice_preserves_the_canonical_case_of_the_options():
    assert check_choice("mode", "projector", ["Normal", "Projector"]) == "Projector"


def test_check_choice_unknown_value_message_lists_options():
    with pytest.raises(ValueError) as info:
        check_choice("lubricant", "water", ["dry", "lotion", "oil"])
    msg = str(info.value)
    assert "lubricant" in msg and "'water'" in msg
    for option in ("'dry'", "'lotion'", "'oil'"):
        assert option in msg


@pytest.mark.parametrize("value", [None, 1, 1.5, True, ["oil"], b"oil"])
def test_check_choice_non_string_is_type_error(value):
    with pytest.raises(TypeError) as info:
        check_choice("lubricant", value, ["dry", "lotion", "oil"])
    msg = str(info.value)
    assert "lubricant" in msg and "'oil'" in msg and type(value).__name__ in msg


# ------------------------------------------------------------------------------------------------ check_bool


@pytest.mark.parametrize("value", [True, False, np.bool_(True), np.bool_(False)])
def test_check_bool_accepts_true_false(value):
    out = check_bool("projector", value)
    assert type(out) is bool and out == bool(value)


@pytest.mark.parametrize("value", [1, 0, 1.0, "True", "yes", None, [True]])
def test_check_bool_refuses_everything_else(value):
    with pytest.raises(TypeError) as info:
        check_bool("projector", value)
    msg = str(info.value)
    assert "projector" in msg and "True or False" in msg and type(value).__name__ in msg


# ------------------------------------------------------------------------------------------------ properties

ANY_INPUT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    # ints beyond float range are covered by the explicit huge-int tests at the end of this file
    st.integers(min_value=-(10**300), max_value=10**300),
    st.text(max_size=20),
    st.none(),
    st.booleans(),
    st.lists(st.one_of(st.floats(), st.integers(-(10**6), 10**6), st.text(max_size=3)), max_size=5),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
    hnp.arrays(dtype=st.sampled_from([np.float64, np.int64, np.bool_, np.complex128]),
               shape=hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=4)),
    st.builds(object),
)


@settings(max_examples=300, deadline=None)
@given(value=ANY_INPUT)
def test_check_number_any_input_gives_float_or_value_or_type_error(value):
    try:
        out = check_number("x", value, unit="mm", low=0, high=10)
    except (ValueError, TypeError) as exc:
        assert "x" in str(exc)
    else:
        assert type(out) is float and 0 <= out <= 10


@settings(max_examples=300, deadline=None)
@given(value=ANY_INPUT)
def test_check_array_any_input_gives_array_or_value_or_type_error(value):
    try:
        out = check_array("depth_mm", value, unit="mm", low=0, high=10)
    except (ValueError, TypeError) as exc:
        assert "depth_mm" in str(exc)
    else:
        assert isinstance(out, np.ndarray) and out.dtype == np.float64
        assert out.size >= 1 and np.all((out >= 0) & (out <= 10))


@settings(max_examples=300, deadline=None)
@given(value=ANY_INPUT)
def test_check_int_any_input_gives_int_or_value_or_type_error(value):
    try:
        out = check_int("n", value, low=-5, high=5)
    except (ValueError, TypeError) as exc:
        assert "n" in str(exc)
    else:
        assert type(out) is int and -5 <= out <= 5


@settings(max_examples=300, deadline=None)
@given(value=ANY_INPUT)
@example(value="  OIL ")
def test_check_choice_any_input_gives_choice_or_value_or_type_error(value):
    try:
        out = check_choice("lubricant", value, ["dry", "lotion", "oil"])
    except (ValueError, TypeError) as exc:
        assert "lubricant" in str(exc)
    else:
        assert out in ("dry", "lotion", "oil")


@settings(max_examples=300, deadline=None)
@given(value=ANY_INPUT)
def test_check_bool_any_input_gives_bool_or_type_error(value):
    try:
        out = check_bool("on", value)
    except TypeError as exc:
        assert "on" in str(exc)
    else:
        assert type(out) is bool


HUGE_INT = 10**400  # a Python int too large for a float


def test_check_number_huge_int_is_value_error():
    with pytest.raises(ValueError, match="x"):
        check_number("x", HUGE_INT, unit="mm", low=0, high=10)


def test_check_int_huge_int_is_value_error():
    with pytest.raises(ValueError, match="x"):
        check_int("x", HUGE_INT, low=0, high=10)


def test_check_array_huge_int_is_value_error():
    with pytest.raises(ValueError, match="x"):
        check_array("x", HUGE_INT, unit="mm", low=0, high=10)
