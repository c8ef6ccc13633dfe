"""The course's plotting style: one colour-blind-safe palette, readable sizes, units on every axis.

Call :func:`use_course_style` once in a notebook's setup cell. Instructors switch on :func:`projector_mode`
before a workshop: every figure drawn after it gets larger fonts and thicker lines.

The palette is the Okabe–Ito set (Okabe M, Ito K, 2008, *Color Universal Design*), chosen so that the
colours stay distinguishable for the common forms of colour blindness; lines also differ in style where two
colours could be confused in greyscale.
"""

from __future__ import annotations

import matplotlib as mpl
from cycler import cycler

from .validation import check_bool, check_choice

__all__ = ["PALETTE", "LINESTYLES", "use_course_style", "projector_mode", "is_projector_mode", "axis_label",
           "style_settings"]

PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
"""Okabe–Ito colours by name (yellow is for fills only: too pale for lines on white)."""

LINESTYLES: tuple[str, ...] = ("-", "--", "-.", ":")

_LINE_COLOURS = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]

_SIZES = {
    # name: (base font size pt, line width pt, figure dpi)
    "normal": (11.0, 2.0, 100),
    "projector": (16.0, 3.2, 100),
}

_state = {"mode": "normal"}


def style_settings(mode: str = "normal") -> dict[str, object]:
    """Return the Matplotlib rcParams of the course style for ``mode`` (``"normal"`` or ``"projector"``)."""
    mode = check_choice("mode", mode, list(_SIZES))
    font, line, dpi = _SIZES[mode]
    return {
        "axes.prop_cycle": cycler(color=_LINE_COLOURS),
        "font.size": font,
        "axes.titlesize": font * 1.05,
        "axes.labelsize": font,
        "xtick.labelsize": font * 0.9,
        "ytick.labelsize": font * 0.9,
        "legend.fontsize": font * 0.85,
        "legend.framealpha": 0.9,
        "lines.linewidth": line,
        "lines.markersize": line * 3.5,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.dpi": dpi,
        "savefig.dpi": 150,
        "figure.facecolor": "white",
        "axes.facecolor": "white",
    }


def use_course_style(projector: bool = False) -> None:
    """Apply the course style to every figure drawn from now on.

    Args:
        projector: If true, use the large projector sizes (see :func:`projector_mode`).
    """
    projector = check_bool("projector", projector)
    _state["mode"] = "projector" if projector else "normal"
    mpl.rcParams.update(style_settings(_state["mode"]))


def projector_mode(on: bool = True) -> None:
    """Switch workshop projector mode on or off: larger fonts and thicker lines for every later figure.

    Explorers created after this call also use wider controls. Figures already on screen keep their size:
    re-run their cells to redraw them.
    """
    use_course_style(projector=check_bool("on", on))


def is_projector_mode() -> bool:
    """Whether projector mode is on."""
    return _state["mode"] == "projector"


def axis_label(quantity: str, unit: str) -> str:
    """Build an axis label that always shows its unit, e.g. ``axis_label("Depth", "mm")`` → ``"Depth (mm)"``.

    Use ``unit="%"`` or ``unit="dB re 1 µm"`` for relative quantities; an empty unit is refused so that no axis is
    left without one (write ``"relative units"`` for a normalised scale).
    """
    if not isinstance(quantity, str) or not quantity.strip():
        raise TypeError(f"quantity must be a non-empty string such as 'Depth'; got {quantity!r:.60}.")
    if not isinstance(unit, str) or not unit.strip():
        raise ValueError(f"unit must be a non-empty string such as 'mm' (use 'relative units' for a normalised "
                         f"scale); got {unit!r:.60}.")
    return f"{quantity} ({unit})"
