"""The "pressure into depth" explorer of notebook 01 (model in :mod:`course_utils.models.tissue`)."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import FuncFormatter

from ..models import tissue
from ..plots import PALETTE, axis_label
from ..widgets import Explorer, Slider

__all__ = ["PressureDepthExplorer"]

LAYER_FILL = {"Epidermis": "#F0E442", "Dermis": "#E69F00", "Subcutis (fat)": "#56B4E9", "Muscle": "#CC79A7"}
"""Fill colour of each tissue layer (Okabe–Ito colours, drawn faint behind the curves)."""
# Marker depth of each receptor: the geometric middle of the layer it lives in (schematic, see tissue.py).
_MARKER_DEPTH_MM = {"Merkel": 0.06, "Meissner": 0.09, "Ruffini": 0.45, "Pacinian": 5.5, "Muscle spindle": 30.0}


_DEPTH_AXIS_TOP_MM = 0.035
"""Top of the depth axis (mm): a little above the model's shallowest depth, so the top receptor label fits."""


def pressure_controls(radius_mm: float) -> tuple[Slider, Slider]:
    """Force and contact-radius controls over the ranges of the pressure-into-depth model."""
    return (
        Slider("force_n", "Force", "N", *tissue.FORCE_RANGE_N, value=20, step=1, fmt=".0f"),
        Slider("radius_mm", "Contact radius", "mm", *tissue.RADIUS_RANGE_MM, value=radius_mm, step=0.5, fmt=".1f"),
    )


def shade_tissue_layers(ax) -> None:
    """Shade the tissue layers of :data:`course_utils.models.tissue.LAYERS` as horizontal bands (depth on the y axis)."""
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
        ax_frac.set_title("How much of the push gets down there")
        for (name, _layer), depth in zip(tissue.RECEPTORS, self.receptor_depths, strict=True):
            ax_frac.annotate(name, (2, depth), xytext=(0, 2), textcoords="offset points", ha="left", va="bottom",
                             fontsize="small", color="#333333")
        ax_kpa.set_xscale("log")
        ax_kpa.set_xlim(0.03, 2e4)
        ax_kpa.set_xlabel(axis_label("Vertical stress", "kPa"))
        ax_kpa.set_title("Stress at depth")
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
        (self.kpa_line,) = ax_kpa.plot([], [], color=PALETTE["blue"])
        self.surface_text = ax_kpa.text(0.03, 0.04, "", transform=ax_kpa.transAxes, fontsize="small",
                                        bbox={"facecolor": "white", "alpha": 0.85, "lw": 0})
        fig.legend(handles=[self.frac_line, self.markers, self.half_line], loc="outside lower center", ncols=3,
                   fontsize="small", frameon=False)
        plain = FuncFormatter(lambda x, _pos: f"{x:g}")
        ax_frac.yaxis.set_major_formatter(plain)
        ax_kpa.xaxis.set_major_formatter(plain)
        self.axes = (ax_frac, ax_kpa)
        return [self.frac_line, self.markers, self.half_line, self.kpa_line, self.surface_text]

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
        self.surface_text.set_text(f"surface: {p:,.0f} kPa")
        spindle = float(rec[-1])
        return (f"<b>{force:.0f} N</b> over a contact <b>{2 * radius:.0f} mm</b> across presses the skin with "
                f"<b>{p:,.0f} kPa</b>. Half of that pressure still acts at <b>{half:.1f} mm</b> "
                f"({tissue.layer_at(half).lower()}); at the muscle spindles (about 30 mm down) "
                f"<b>{100 * spindle:.0f}%</b> is left. A wider contact sends the same share deeper.")
