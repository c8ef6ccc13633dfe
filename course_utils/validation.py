"""Argument checks shared by every public function of :mod:`course_utils`.

Every check raises a :class:`TypeError` (wrong kind of value) or a :class:`ValueError` (right kind, wrong
value) whose message names the parameter, the value received, the valid range and its unit, so that a learner
who mistypes a number sees at once what to change.

Example:
    >>> check_number("force_n", 20, low=1, high=100, unit="N")
    20.0
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import numpy as np

__all__ = ["check_number", "check_array", "check_choice", "check_bool", "check_int", "describe_range"]


def _fmt(x: float) -> str:
    """Format a number compactly for an error message (no trailing zeros)."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:g}"


def describe_range(low: float | None, high: float | None, unit: str, low_open: bool = False,
                   high_open: bool = False) -> str:
    """Describe a valid range in words, e.g. ``"between 1 and 300 Hz"`` or ``"greater than 0 mm"``."""
    u = f" {unit}" if unit else ""
    if low is not None and high is not None:
        if low_open or high_open:
            lb = "(" if low_open else "["
            rb = ")" if high_open else "]"
            return f"in {lb}{_fmt(low)}, {_fmt(high)}{rb}{u}"
        return f"between {_fmt(low)} and {_fmt(high)}{u}"
    if low is not None:
        return f"{'greater than' if low_open else 'at least'} {_fmt(low)}{u}"
    if high is not None:
        return f"{'less than' if high_open else 'at most'} {_fmt(high)}{u}"
    return f"a finite number{(' in ' + unit) if unit else ''}"


def _is_real_number(value: object) -> bool:
    return isinstance(value, (numbers.Real, np.number)) and not isinstance(value, (bool, np.bool_))


def check_number(name: str, value: object, *, unit: str, low: float | None = None, high: float | None = None,
                 low_open: bool = False, high_open: bool = False) -> float:
    """Check one real number and return it as a ``float``.

    Args:
        name: The parameter's name as the learner typed it, e.g. ``"frequency_hz"``.
        value: The value to check.
        unit: The unit shown in the message, e.g. ``"Hz"``; ``""`` for a dimensionless number.
        low: Smallest valid value, or ``None`` for no lower bound.
        high: Largest valid value, or ``None`` for no upper bound.
        low_open: If true, ``low`` itself is not valid (use for "must be positive").
        high_open: If true, ``high`` itself is not valid.

    Returns:
        The value as a float.

    Raises:
        TypeError: If ``value`` is not a real number (bools, strings, arrays and ``None`` are refused).
        ValueError: If ``value`` is NaN, infinite or outside the range.
    """
    rng = describe_range(low, high, unit, low_open, high_open)
    if not _is_real_number(value):
        shown = f"{value!r}"[:60]
        raise TypeError(f"{name} must be a number {rng}; got {shown} of type {type(value).__name__}.")
    try:
        x = float(value)  # type: ignore[arg-type]
    except OverflowError:
        raise ValueError(f"{name} must be {rng}; got a number too large to use.") from None
    if math.isnan(x) or math.isinf(x):
        raise ValueError(f"{name} must be a finite number {rng}; got {x}.")
    too_low = low is not None and (x <= low if low_open else x < low)
    too_high = high is not None and (x >= high if high_open else x > high)
    if too_low or too_high:
        u = f" {unit}" if unit else ""
        raise ValueError(f"{name} must be {rng}; got {_fmt(x)}{u}.")
    return x


def check_array(name: str, value: object, *, unit: str, low: float | None = None, high: float | None = None,
                low_open: bool = False, high_open: bool = False, ndim: int | None = None,
                min_size: int = 1) -> np.ndarray:
    """Check a number or array of numbers and return it as a float ``numpy`` array.

    Scalars are accepted and returned as 0-d arrays (unless ``ndim`` asks for another shape).

    Args:
        name: The parameter's name.
        value: A number, a list of numbers or a numpy array.
        unit: The unit shown in the message.
        low, high, low_open, high_open: The valid range, as in :func:`check_number`.
        ndim: Required number of dimensions, or ``None`` for any.
        min_size: Smallest number of elements allowed.

    Returns:
        A float64 array (a copy only when conversion needed one).

    Raises:
        TypeError: If the value is not numeric (strings, bools, objects, ``None``).
        ValueError: If its shape is wrong, it is empty, or any element is NaN, infinite or out of range.
    """
    rng = describe_range(low, high, unit, low_open, high_open)
    if value is None or isinstance(value, (str, bytes, bool, np.bool_, dict, set)):
        raise TypeError(f"{name} must be a number or an array of numbers {rng}; got {value!r:.60} "
                        f"of type {type(value).__name__}.")
    if _is_real_number(value):
        try:
            arr = np.asarray(value, dtype=float)
        except OverflowError:
            raise ValueError(f"{name} must be {rng}; got a number too large to use.") from None
    else:
        if not isinstance(value, (np.ndarray, list, tuple)) and not isinstance(value, Iterable):
            raise TypeError(f"{name} must be a number or an array of numbers {rng}; got {type(value).__name__}.")
        try:
            raw = np.asarray(value)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{name} must be a regular array of numbers {rng}; it could not be read "
                             f"as one ({exc}).") from None
        if raw.dtype.kind not in "iuf":
            raise TypeError(f"{name} must contain only numbers {rng}; got elements of type {raw.dtype}.")
        arr = raw.astype(float, copy=False)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array; got shape {arr.shape}.")
    if arr.size < min_size:
        raise ValueError(f"{name} must hold at least {min_size} value(s) {rng}; got {arr.size}.")
    if arr.size:
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must contain only finite numbers {rng}; it contains NaN or infinity.")
        lo, hi = float(arr.min()), float(arr.max())
        u = f" {unit}" if unit else ""
        if low is not None and (lo <= low if low_open else lo < low):
            raise ValueError(f"{name} must be {rng}; got a value of {_fmt(lo)}{u}.")
        if high is not None and (hi >= high if high_open else hi > high):
            raise ValueError(f"{name} must be {rng}; got a value of {_fmt(hi)}{u}.")
    return arr


def check_int(name: str, value: object, *, low: int | None = None, high: int | None = None,
              unit: str = "") -> int:
    """Check a whole number (bools refused) and return it as an ``int``."""
    rng = describe_range(low, high, unit)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be a whole number {rng}; got {value!r:.60} of type {type(value).__name__}.")
    check_number(name, int(value), unit=unit, low=low, high=high)
    return int(value)


def check_choice(name: str, value: object, choices: Iterable[str]) -> str:
    """Check that ``value`` is one of the allowed strings and return it.

    The comparison ignores case and surrounding spaces; the canonical spelling from ``choices`` is returned.
    """
    options = list(choices)
    listed = ", ".join(repr(c) for c in options)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {listed}; got {value!r:.60} of type {type(value).__name__}.")
    key = value.strip().lower()
    for c in options:
        if c.lower() == key:
            return c
    raise ValueError(f"{name} must be one of {listed}; got {value!r:.60}.")


def check_bool(name: str, value: object) -> bool:
    """Check a true/false flag (only ``True`` or ``False``; numbers and strings are refused)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r:.60} of type {type(value).__name__}.")
    return bool(value)
