"""The two explorers of notebook 03: stroke speed and the C-tactile response (model in
:mod:`course_utils.models.stroking`), and superficial versus deep stroking in the pressure-into-depth model of
notebook 01 (:mod:`course_utils.models.tissue`)."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import FuncFormatter

from ..models import stroking, tissue
from ..plots import PALETTE, axis_label, is_projector_mode
from ..widgets import Choice, Explorer, Slider
from .pressure import pressure_controls, shade_tissue_layers

__all__ = ["CTStrokingExplorer", "StrokeDepthExplorer", "TEMPERATURE_OPTIONS"]

TEMPERATURE_OPTIONS = {f"{t:g} °C": t for t in stroking.TESTED_TEMPERATURES_C}
"""Labels of the temperature control → temperature in °C (only the temperatures the studies tested)."""
# One curve per distinct model curve: in the model 18 and 42 °C share one curve (CT_TUNING), so they are drawn
# once, with one legend entry, and no entry names a curve hidden under another.
_CURVE_GROUPS = {(32.0,): (PALETTE["black"], "-", "hand at 32 °C (skin temperature)"),
                 (18.0, 42.0): (PALETTE["vermillion"], "--", "hand at 18 or 42 °C (same curve in the model)")}
_PLAIN = FuncFormatter(lambda x, _pos: f"{x:g}")


def _label_for(temperature_c: float) -> str:
    return next(label for label, t in TEMPERATURE_OPTIONS.items() if t == temperature_c)


class CTStrokingExplorer(Explorer):
    """Stroke speed and the temperature of the stroking hand against the C-tactile (CT) response (teaching model)."""

    title = "Stroke speed and the C-tactile response"
    intro = ("Move the stroke speed and choose how warm the hand is. The curves show how strongly the slow touch "
             "fibres of hairy skin (C-tactile, CT) respond (1 = the best stroke at skin temperature); the shaded "
             "band is 1–10 cm/s.")
    controls = (
        Slider("speed_cm_s", "Stroke speed", "cm/s", *stroking.SPEED_RANGE_CM_S, value=10.0, log=True, fmt=".2g"),
        Choice("temperature", "Temperature of the stroking hand", tuple(TEMPERATURE_OPTIONS),
               _label_for(stroking.SKIN_TEMPERATURE_C)),
    )
    # Teaching situations (the speeds are the tested 3 and 30 cm/s; the temperatures the tested 18, 32, 42 °C).
    presets = {
        "Slow caress": {"speed_cm_s": 3.0, "temperature": "32 °C"},
        "Brisk stroke": {"speed_cm_s": 30.0, "temperature": "32 °C"},
        "Cold hand": {"speed_cm_s": 3.0, "temperature": "18 °C"},
        "Hot hand": {"speed_cm_s": 3.0, "temperature": "42 °C"},
    }
    figsize = (8.0, 4.5)

    def build(self, fig):
        self.speeds = np.geomspace(*stroking.SPEED_RANGE_CM_S, 200)
        ax, bar_ax = fig.subplots(1, 2, width_ratios=(3.6, 1.0))
        low, high = stroking.CT_PREFERRED_BAND_CM_S
        ax.axvspan(low, high, color=PALETTE["green"], alpha=0.12, lw=0)
        # The band's label sits low in the band, under every curve (they stay above 0.35 there), and gets a white
        # backing so the speed line does not run through its letters.
        ax.text(math.sqrt(low * high), 0.04, f"{low:g}–{high:g} cm/s: CT firing and\npleasantness highest",
                ha="center", va="bottom", fontsize="small", color="#1B5E4A", zorder=5,
                bbox={"facecolor": "white", "alpha": 0.85, "lw": 0, "pad": 2})
        # The chosen temperature's curve is drawn thick, the other thin: both stay visible and in the legend.
        self.curves = {}
        for temps, (colour, style, label) in _CURVE_GROUPS.items():
            curve = stroking.ct_response(self.speeds, temps[0])
            (line,) = ax.plot(self.speeds, curve, color=colour, ls=style, lw=1.3, label=label)
            for t in temps:
                self.curves[t] = line
        self.marker = ax.scatter([], [], s=90, color=PALETTE["orange"], edgecolor="black", zorder=4, clip_on=False,
                                 label="your stroke")
        self.speed_line = ax.axvline(1, ymin=0.2, color=PALETTE["orange"], lw=1.2, ls="-.")  # above the band label
        ax.set_xscale("log")
        ax.set_xlim(*stroking.SPEED_RANGE_CM_S)
        ax.set_ylim(0, 1.15)
        ax.set_xticks(stroking.TESTED_SPEEDS_CM_S)
        ax.xaxis.set_major_formatter(_PLAIN)
        ax.xaxis.set_minor_formatter(FuncFormatter(lambda *_: ""))
        ax.set_xlabel(axis_label("Stroke speed (log scale)", "cm/s"))
        ax.set_ylabel(axis_label("CT response", "relative units"))
        ax.set_title("CT fibres: an inverted U in speed")

        (self.bar,) = bar_ax.bar([0], [0], width=0.6, color=PALETTE["orange"], edgecolor="black")
        bar_ax.set_xlim(-0.6, 0.6)
        bar_ax.set_ylim(0, 1.15)
        bar_ax.set_xticks([])
        bar_ax.set_ylabel(axis_label("CT response now", "relative units"))
        bar_ax.set_title("Your stroke")
        self.bar_text = bar_ax.text(0, 1.1, "", ha="center", va="top", fontsize="small")
        self.link_text = bar_ax.text(0.5, -0.06, "", transform=bar_ax.transAxes, ha="center", va="top",
                                     fontsize="small")
        self.lines = list(dict.fromkeys(self.curves.values()))
        self.current = self.curves[stroking.SKIN_TEMPERATURE_C]
        # projector mode: two columns (three ran past the figure's edge once the legend is 18 px on screen)
        fig.legend(handles=[*self.lines, self.marker], loc="outside lower center",
                   ncols=2 if is_projector_mode() else 3, fontsize="small", frameon=False, columnspacing=1.2,
                   handlelength=2.2)
        self.axes = (ax, bar_ax)
        return [*self.lines, self.marker, self.speed_line, self.bar, self.bar_text, self.link_text]

    def update(self, values):
        speed = float(values["speed_cm_s"])
        temperature = TEMPERATURE_OPTIONS[values["temperature"]]
        response = float(stroking.ct_response(speed, temperature))
        link = stroking.pleasantness_link(temperature)
        chosen = self.current = self.curves[temperature]  # the chosen temperature's curve, drawn thick
        for line in self.lines:
            line.set_linewidth(3.2 if line is chosen else 1.3)
            line.set_alpha(1.0 if line is chosen else 0.6)
        self.marker.set_offsets([[speed, response]])
        self.speed_line.set_xdata([speed, speed])
        self.bar.set_height(response)
        self.bar_text.set_text(f"{response:.2f}")
        self.bar_text.set_y(min(response + 0.1, 1.12))
        self.link_text.set_text("pleasantness\ntracks CT: " + ("yes" if link["tracks_ct"] else "no"))
        low, high = stroking.CT_PREFERRED_BAND_CM_S
        where = ("inside" if low <= speed <= high else "slower than" if speed < low else "faster than")
        band = f"{low:g}–{high:g} cm/s"
        place = f"inside the {band} band" if where == "inside" else f"{where} the {band} band"
        return (f"A stroke at <b>{speed:.2g} cm/s</b> with a hand at <b>{temperature:g} °C</b> ({place}) gives a "
                f"CT response of <b>{response:.2f}</b>, where 1 is the best stroke at skin temperature. "
                f"{link['message']}")


# ---------------------------------------------------------------------------------------------------------------
_CT_DEPTH_MM = next(bottom for name, _top, bottom in tissue.LAYERS if name == "Epidermis")  # dermis/epidermis border
_MUSCLE_TOP_MM = next(top for name, top, _bottom in tissue.LAYERS if name == "Muscle")
# Where the bars are read (mm): the CT afferents' layer, the top of the muscle, and twice as deep (as the spindle
# marker of the 01 explorer).
PROBE_DEPTHS_MM = (_CT_DEPTH_MM, _MUSCLE_TOP_MM, 2 * _MUSCLE_TOP_MM)
_PROBE_LABELS = (f"CT fibres\n{_CT_DEPTH_MM:g} mm", f"muscle\n{_MUSCLE_TOP_MM:g} mm",
                 f"muscle\n{2 * _MUSCLE_TOP_MM:g} mm")
_STRESS_LIMITS_KPA = (0.03, 2e4)


class StrokeDepthExplorer(Explorer):
    """Superficial versus deep stroking in the pressure-into-depth teaching model of notebook 01."""

    title = "Superficial and deep stroking: how far the push reaches"
    intro = ("The model of notebook 01. Left: the stress under the centre of the hand at each depth. Right: the "
             "stress at the CT fibres (top of the dermis) and in the muscle. Presets are illustrative settings.")
    controls = pressure_controls(radius_mm=20)
    # Illustrative settings (ours), not measurements.
    presets = {
        "Superficial stroke (palm)": {"force_n": 3, "radius_mm": 40},
        "Deep stroke (heel of hand)": {"force_n": 60, "radius_mm": 20},
        "Deep stroke (thumb)": {"force_n": 40, "radius_mm": 8},
        "Feather touch (fingertip)": {"force_n": 1, "radius_mm": 5},
    }
    figsize = (8.0, 4.5)

    def build(self, fig):
        self.depth_mm = np.geomspace(*tissue.DEPTH_RANGE_MM, 160)
        self.probe_depths = np.array(PROBE_DEPTHS_MM)
        ax, bar_ax = fig.subplots(1, 2, width_ratios=(1.5, 1.0))
        shade_tissue_layers(ax)
        for name, top, bottom in tissue.LAYERS:
            mid = math.sqrt(max(top, tissue.DEPTH_RANGE_MM[0]) * min(bottom, tissue.DEPTH_RANGE_MM[1]))
            ax.text(0.98, mid, name, transform=ax.get_yaxis_transform(), ha="right", va="center",
                    fontsize="small", color="#333333")
        ax.set_yscale("log")
        ax.set_xscale("log")
        ax.set_ylim(tissue.DEPTH_RANGE_MM[1], tissue.DEPTH_RANGE_MM[0])
        ax.set_xlim(*_STRESS_LIMITS_KPA)
        ax.set_xlabel(axis_label("Vertical stress", "kPa"))
        ax.set_ylabel(axis_label("Depth below the skin", "mm"))
        ax.set_title("Stress under the hand")
        ax.xaxis.set_major_formatter(_PLAIN)
        ax.yaxis.set_major_formatter(_PLAIN)
        (self.line,) = ax.plot([], [], color=PALETTE["blue"])
        self.probe_markers = ax.scatter([], [], s=50, color=PALETTE["vermillion"], edgecolor="black", zorder=4)

        positions = np.arange(len(PROBE_DEPTHS_MM))
        self.bars = bar_ax.bar(positions, np.zeros(len(PROBE_DEPTHS_MM)), bottom=_STRESS_LIMITS_KPA[0],
                               width=0.6, color=[PALETTE["green"], PALETTE["purple"], PALETTE["purple"]],
                               edgecolor="black")
        self.bars[0].set_hatch("..")
        self.bars[2].set_hatch("//")
        bar_ax.set_yscale("log")
        bar_ax.set_ylim(*_STRESS_LIMITS_KPA)
        bar_ax.set_xlim(-0.6, len(PROBE_DEPTHS_MM) - 0.4)
        # Tick text stays at full size in projector mode (about 20 px on screen), smaller otherwise.
        bar_ax.set_xticks(positions, _PROBE_LABELS, fontsize="medium" if is_projector_mode() else "small")
        bar_ax.set_ylabel(axis_label("Vertical stress", "kPa"))
        bar_ax.yaxis.set_major_formatter(_PLAIN)
        bar_ax.set_title("Where it counts")
        self.bar_labels = [bar_ax.text(x, 1.0, "", ha="center", va="bottom", fontsize="small") for x in positions]
        self.axes = (ax, bar_ax)
        return [self.line, self.probe_markers, *self.bars, *self.bar_labels]

    def update(self, values):
        force, radius = float(values["force_n"]), float(values["radius_mm"])
        stress = tissue.stress_on_axis_kpa(force, radius, self.depth_mm)
        at_probes = tissue.stress_on_axis_kpa(force, radius, self.probe_depths)
        p = tissue.mean_pressure_kpa(force, radius)
        self.line.set_data(stress, self.depth_mm)
        self.probe_markers.set_offsets(np.column_stack([at_probes, self.probe_depths]))
        for bar, label, value in zip(self.bars, self.bar_labels, at_probes, strict=True):
            bar.set_height(value - _STRESS_LIMITS_KPA[0])
            label.set_text(f"{value:.3g}")
            label.set_y(value * 1.3)
        ct, muscle = float(at_probes[0]), float(at_probes[1])
        return (f"<b>{force:.0f} N</b> over a contact <b>{radius:g} mm</b> in radius ({2 * radius:g} mm across): "
                f"<b>{p:.3g} kPa</b> at "
                f"the surface, <b>{ct:.3g} kPa</b> at the CT fibres ({100 * ct / p:.0f}%) and <b>{muscle:.3g} kPa"
                f"</b> at the top of the muscle ({100 * muscle / p:.0f}%). Force raises every depth alike; only a "
                f"wider contact sends a bigger share down to the muscle.")
