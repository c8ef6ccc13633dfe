"""The "pressure into depth" explorer of notebook 01 (model in :mod:`course_utils.models.tissue`)."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from ..models import tissue
from ..plots import PALETTE, axis_label, is_projector_mode
from ..validation import check_number
from ..widgets import Explorer, Slider

__all__ = ["PressureDepthExplorer", "pressure_controls", "shade_tissue_layers"]

LAYER_FILL = {"Epidermis": "#F0E442", "Dermis": "#E69F00", "Subcutis (fat)": "#56B4E9", "Muscle": "#CC79A7"}
"""Fill colour of each tissue layer (Okabe–Ito colours, drawn faint behind the curves)."""
# Marker depth of each receptor, inside the layer it lives in (schematic, see tissue.py): Merkel near the base of
# the epidermis, Meissner in the dermal papillae just below it, Ruffini deeper in the dermis.
_MARKER_DEPTH_MM = {"Merkel": 0.06, "Meissner": 0.16, "Ruffini": 0.7, "Pacinian": 5.5, "Muscle spindle": 30.0}


_DEPTH_AXIS_TOP_MM = 0.035
"""Top of the depth axis (mm): a little above the model's shallowest depth, so the top receptor label fits."""
DEPTH_TICKS_MM = (0.1, 0.3, 1, 3, 10, 30)
"""Labelled depths of the logarithmic depth axis (mm): every decade and the 3s between them."""


def pressure_controls(radius_mm: float) -> tuple[Slider, Slider]:
    """Force (N) and contact-radius (mm) controls over the ranges of the pressure-into-depth model.

    Args:
        radius_mm: Start-up contact radius, mm (2–50, on the slider's 0.5 mm grid).
    """
    radius_mm = check_number("radius_mm", radius_mm, unit="mm", low=tissue.RADIUS_RANGE_MM[0],
                             high=tissue.RADIUS_RANGE_MM[1])
    return (
        Slider("force_n", "Force", "N", *tissue.FORCE_RANGE_N, value=20, step=1, fmt=".0f"),
        Slider("radius_mm", "Contact radius", "mm", *tissue.RADIUS_RANGE_MM, value=radius_mm, step=0.5, fmt=".1f"),
    )


def shade_tissue_layers(ax: Axes) -> None:
    """Shade the tissue layers of :data:`course_utils.models.tissue.LAYERS` as bands across ``ax`` (depth on y).

    Args:
        ax: A Matplotlib ``Axes`` whose y axis is depth in mm.
    """
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a Matplotlib Axes (e.g. from fig.subplots()); got {ax!r:.60} of type "
                        f"{type(ax).__name__}.")
    for name, top, bottom in tissue.LAYERS:
        ax.axhspan(max(top, _DEPTH_AXIS_TOP_MM), min(bottom, tissue.DEPTH_RANGE_MM[1]),
                   color=LAYER_FILL[name], alpha=0.18, lw=0)


class PressureDepthExplorer(Explorer):
    """Force and contact size against the stress reaching each tissue layer (Boussinesq teaching model)."""

    title = "Pressure into depth"
    intro = ("Press with a force over a round contact. Left: the share of the surface pressure that still acts at "
             "each depth. Right: the same stress in kilopascals. Depth runs downwards on a log scale, so the thin "
             "skin layers stay visible.")
    controls = pressure_controls(radius_mm=10)
    # Illustrative settings (ours), not measurements: change them to match your own hand.
    presets = {
        "Fingertip": {"force_n": 10, "radius_mm": 5},
        "Thumb": {"force_n": 20, "radius_mm": 10},
        "Heel of hand": {"force_n": 40, "radius_mm": 20},
        "Whole palm": {"force_n": 60, "radius_mm": 40},
    }
    figsize = (8.0, 4.9)

    def build(self, fig):
        self.depth_mm = np.geomspace(_DEPTH_AXIS_TOP_MM, tissue.DEPTH_RANGE_MM[1], 160)
        self.receptor_depths = np.array([_MARKER_DEPTH_MM[name] for name, _ in tissue.RECEPTORS])
        ax_frac, ax_kpa = fig.subplots(1, 2, sharey=True)
        for ax in (ax_frac, ax_kpa):
            shade_tissue_layers(ax)
        ax_frac.set_yscale("log")
        ax_frac.set_ylim(tissue.DEPTH_RANGE_MM[1], _DEPTH_AXIS_TOP_MM)
        ax_frac.set_xlim(0, 105)
        ax_frac.set_xlabel(axis_label("Share of surface pressure", "%"))
        ax_frac.set_ylabel(axis_label("Depth below the skin", "mm"))
        # projector mode's larger type: titles at the base size, else the two touch at 127 kPa (Fingertip)
        title_kw = {"fontsize": "medium"} if is_projector_mode() else {}
        ax_frac.set_title("How much of the push gets down there", **title_kw)
        for (name, _layer), depth in zip(tissue.RECEPTORS, self.receptor_depths, strict=True):
            ax_frac.annotate(name, (2, depth), xytext=(0, 2), textcoords="offset points", ha="left", va="bottom",
                             fontsize="small", color="#333333")
        ax_kpa.set_xscale("log")
        ax_kpa.set_xlim(0.03, 2e4)
        ax_kpa.set_xlabel(axis_label("Vertical stress", "kPa"))
        # The title carries the surface pressure, so no label sits on the curve (it changes with the controls).
        self.kpa_title = ax_kpa.set_title("Stress at depth", **title_kw)
        for name, top, bottom in tissue.LAYERS:
            mid = math.sqrt(max(top, tissue.DEPTH_RANGE_MM[0]) * min(bottom, tissue.DEPTH_RANGE_MM[1]))
            ax_kpa.annotate(name, (1.0, mid), xycoords=("axes fraction", "data"), xytext=(4, 0),
                            textcoords="offset points", va="center", fontsize="small")

        (self.frac_line,) = ax_frac.plot([], [], color=PALETTE["blue"],
                                         label="stress under the contact's centre")
        self.markers = ax_frac.scatter([], [], s=36, color=PALETTE["vermillion"], zorder=3,
                                       label="receptors (schematic depth)")
        self.half_line = ax_frac.axhline(1, color=PALETTE["green"], ls="--", lw=1.5,
                                         label="half the pressure left")
        # The half-pressure depth, written on its line at the right edge of the left panel (clear of the
        # receptor names on the left).
        self.half_text = ax_frac.text(103, 1, "", ha="right", va="bottom", fontsize="small",
                                      color=PALETTE["green"], fontweight="bold",
                                      bbox={"facecolor": "white", "alpha": 0.85, "lw": 0, "pad": 1})
        (self.kpa_line,) = ax_kpa.plot([], [], color=PALETTE["blue"])
        fig.legend(handles=[self.frac_line, self.markers, self.half_line], loc="outside lower center", ncols=3,
                   fontsize="small", frameon=False)
        plain = FuncFormatter(lambda x, _pos: f"{x:g}")
        # Depth is labelled at 0.1, 0.3, 1, 3, 10 and 30 mm, so a reader can place a depth between the decades.
        ax_frac.yaxis.set_major_locator(FixedLocator(DEPTH_TICKS_MM))
        ax_frac.yaxis.set_major_formatter(plain)
        ax_frac.yaxis.set_minor_formatter(NullFormatter())
        ax_kpa.xaxis.set_major_formatter(plain)
        self.axes = (ax_frac, ax_kpa)
        return [self.frac_line, self.markers, self.half_line, self.half_text, self.kpa_line, self.kpa_title]

    def update(self, values):
        force, radius = values["force_n"], values["radius_mm"]
        frac = tissue.stress_fraction(radius, self.depth_mm)
        p = tissue.mean_pressure_kpa(force, radius)
        self.frac_line.set_data(100 * frac, self.depth_mm)
        self.kpa_line.set_data(p * frac, self.depth_mm)
        rec = tissue.stress_fraction(radius, self.receptor_depths)
        self.markers.set_offsets(np.column_stack([100 * rec, self.receptor_depths]))
        half = tissue.depth_for_fraction_mm(radius, 0.5)
        self.half_line.set_ydata([half, half])
        self.half_text.set_y(half)
        self.half_text.set_text(f"half left at {half:.1f} mm")
        self.kpa_title.set_text(f"Stress at depth (surface {p:,.0f} kPa)")
        spindle = float(rec[-1])
        return (f"<b>{force:.0f} N</b> over a contact <b>{radius:g} mm</b> in radius ({2 * radius:g} mm across) "
                f"presses the skin with "
                f"<b>{p:,.0f} kPa</b>. Half of that pressure still acts at <b>{half:.1f} mm</b> "
                f"({tissue.layer_at(half).lower()}); at the muscle spindles (about 30 mm down) "
                f"<b>{100 * spindle:.0f}%</b> is left, a stress of <b>{p * spindle:.1f} kPa</b>. "
                f"A wider contact sends the same share deeper.")
