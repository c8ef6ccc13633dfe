"""The friction-heating explorer of notebook 04 (model in :mod:`course_utils.models.rubbing`).

Left panel: skin surface temperature over ten minutes of rubbing the same patch, with blood flow (Pennes
perfusion, levels off) and without it (keeps rising), against the baseline skin temperature and the heat-pain
thresholds. Right panel: the temperature each lubricant would give at the chosen duration, so the learner sees at
once that oil cools the rub and lotion heats it. The temperature axis is fixed at 30–50 °C; hotter curves leave
the top of the plot and an arrow and the text line say so.
"""

from __future__ import annotations

import math

import numpy as np

from ..models import rubbing
from ..plots import PALETTE, axis_label
from ..widgets import Choice, Explorer, Slider

__all__ = ["RubbingHeatExplorer"]

_T_AXIS_C = (30.0, 50.0)  # fixed temperature axis (°C): baseline and both pain lines stay in view
_TIME_MAX_MIN = rubbing.EXPLORER_RANGES["duration_min"][1]
_LUBRICANTS = tuple(rubbing.LUBRICANTS)  # ("dry", "lotion", "oil")
_SMALL_CONTACT_CM2 = 10.0  # ours: below about a fingertip pad or two the model over-estimates (heat spreads sideways)
_LUB_PHRASE = {"dry": "on dry (untreated) skin", "lotion": "with lotion", "oil": "with oil"}
_LUB_COLOURS = {"dry": PALETTE["yellow"], "lotion": PALETTE["purple"], "oil": PALETTE["sky"]}


class RubbingHeatExplorer(Explorer):
    """Force, contact area, speed, lubricant and duration against skin temperature (friction-heating model)."""

    title = "Friction heating of the skin"
    intro = ("Rub the same patch of skin. Left: skin temperature over time, with blood flow (solid) and without it "
             "(dashed); the dot marks the end of your rubbing. Right: each lubricant at that moment.")
    controls = (
        Slider("force_n", "Force", "N", *rubbing.EXPLORER_RANGES["force_n"], value=20, step=1, fmt=".0f"),
        Slider("area_cm2", "Contact area", "cm²", *rubbing.EXPLORER_RANGES["area_cm2"], value=100, log=True,
               fmt=".0f"),
        Slider("speed_cm_s", "Sliding speed", "cm/s", *rubbing.EXPLORER_RANGES["speed_cm_s"], value=20, step=1,
               fmt=".0f"),
        Slider("duration_min", "Duration on one patch", "min", *rubbing.EXPLORER_RANGES["duration_min"], value=2,
               step=0.1, fmt=".1f"),
        Choice("lubricant", "Lubricant", _LUBRICANTS, "dry"),
    )
    # Illustrative settings (ours), not measurements of real hands.
    presets = {
        "Brisk dry palm rub": {"force_n": 30, "area_cm2": 80, "speed_cm_s": 40, "duration_min": 3,
                               "lubricant": "dry"},
        "Oiled palm rub": {"force_n": 30, "area_cm2": 80, "speed_cm_s": 40, "duration_min": 3, "lubricant": "oil"},
        "Palm rub with lotion": {"force_n": 30, "area_cm2": 80, "speed_cm_s": 40, "duration_min": 3,
                                 "lubricant": "lotion"},
        "Hard fingertip friction": {"force_n": 20, "area_cm2": 2, "speed_cm_s": 10, "duration_min": 1,
                                    "lubricant": "dry"},
    }
    figsize = (8.0, 4.2)

    def build(self, fig):
        self.time_min = np.linspace(0.0, _TIME_MAX_MIN, 241)
        self.time_s = self.time_min * 60.0
        self.baseline_c = rubbing.BASELINE_SKIN_TEMPERATURE_C
        self.pain_c = rubbing.HEAT_PAIN_THRESHOLD_C["trpv1"]
        self.damage_c = rubbing.HEAT_PAIN_THRESHOLD_C["pain_and_damage"]
        ax, ax_bar = fig.subplots(1, 2, sharey=True, width_ratios=[3.0, 1.15])
        for a in (ax, ax_bar):
            a.axhspan(self.pain_c, _T_AXIS_C[1], color=PALETTE["vermillion"], alpha=0.08, lw=0)
            a.axhline(self.baseline_c, color="#555555", ls=":", lw=1.5)
            a.axhline(self.pain_c, color=PALETTE["vermillion"], ls="--", lw=1.5)
            a.axhline(self.damage_c, color=PALETTE["vermillion"], ls="-.", lw=1.2)
        ax.set_xlim(0, _TIME_MAX_MIN)
        ax.set_ylim(*_T_AXIS_C)
        ax.set_xlabel(axis_label("Time rubbing the same patch", "min"))
        ax.set_ylabel(axis_label("Skin surface temperature", "°C"))
        ax.set_title("Skin temperature while rubbing")
        label_style = {"fontsize": "small", "ha": "right", "va": "bottom"}
        ax.text(_TIME_MAX_MIN * 0.99, self.baseline_c + 0.1, f"normal skin ≈ {self.baseline_c:g} °C",
                color="#555555", **label_style)
        ax.text(_TIME_MAX_MIN * 0.99, self.pain_c + 0.1, f"heat starts to hurt ≈ {self.pain_c:g} °C",
                color=PALETTE["vermillion"], **label_style)
        ax.text(_TIME_MAX_MIN * 0.99, self.damage_c + 0.1, f"pain and tissue damage ≈ {self.damage_c:g} °C",
                color=PALETTE["vermillion"], **label_style)

        (self.no_perf_line,) = ax.plot([], [], color=PALETTE["orange"], ls="--",
                                       label="without blood flow")
        (self.perf_line,) = ax.plot([], [], color=PALETTE["blue"], label="with blood flow (resting skin)")
        self.end_line = ax.axvline(0, color="#333333", lw=1, alpha=0.6)
        self.end_marker = ax.scatter([], [], s=60, color=PALETTE["blue"], edgecolor="white", zorder=4,
                                     label="end of your rubbing")
        self.off_scale = ax.annotate("", (0.02, 0.985), xycoords="axes fraction", ha="left", va="top",
                                     fontsize="small", color=PALETTE["vermillion"], fontweight="bold")
        fig.legend(handles=[self.perf_line, self.no_perf_line, self.end_marker], loc="outside lower center",
                   ncols=3, fontsize="small", frameon=False)

        bars = ax_bar.bar(range(len(_LUBRICANTS)), [0.0] * len(_LUBRICANTS), bottom=self.baseline_c,
                          color=[_LUB_COLOURS[k] for k in _LUBRICANTS], edgecolor="#333333", width=0.7)
        self.bars = list(bars)
        ax_bar.set_xticks(range(len(_LUBRICANTS)),
                          [f"{k}\nμ≈{rubbing.friction_coefficient(k):g}" for k in _LUBRICANTS])
        ax_bar.set_xlim(-0.6, len(_LUBRICANTS) - 0.4)
        ax_bar.set_title("At the dot, by lubricant", fontsize="medium")
        ax_bar.tick_params(axis="y", labelleft=False)
        ax_bar.grid(axis="x", visible=False)
        self.bar_labels = [ax_bar.text(i, self.baseline_c, "", ha="center", va="bottom", fontsize="small",
                                       bbox={"facecolor": "white", "alpha": 0.8, "lw": 0, "pad": 1})
                           for i in range(len(_LUBRICANTS))]
        self.axes = (ax, ax_bar)
        return [self.no_perf_line, self.perf_line, self.end_line, self.end_marker, self.off_scale, *self.bars,
                *self.bar_labels]

    def _rise_k(self, time_s, flux, perfused: bool):
        if perfused:
            return rubbing.temperature_rise_with_perfusion_k(time_s, flux)
        return rubbing.temperature_rise_no_perfusion_k(time_s, flux)

    def update(self, values):
        force, area, speed = values["force_n"], values["area_cm2"], values["speed_cm_s"]
        duration, lubricant = values["duration_min"], values["lubricant"]
        mu = rubbing.friction_coefficient(lubricant)
        q = float(rubbing.heat_flux_w_m2(force, area, speed, mu))
        top = _T_AXIS_C[1] + 1.0  # draw hotter values just above the axis so the line leaves the plot cleanly
        perf = self.baseline_c + self._rise_k(self.time_s, q, True)
        no_perf = self.baseline_c + self._rise_k(self.time_s, q, False)
        self.perf_line.set_data(self.time_min, np.minimum(perf, top))
        self.no_perf_line.set_data(self.time_min, np.minimum(no_perf, top))
        end_c = self.baseline_c + float(self._rise_k(duration * 60.0, q, True))
        end_dry_c = self.baseline_c + float(self._rise_k(duration * 60.0, q, False))
        self.end_line.set_xdata([duration, duration])
        self.end_marker.set_offsets([[duration, min(end_c, top)]])
        off = end_c > _T_AXIS_C[1]
        self.off_scale.set_text(f"↑ the dot is off the scale (above {_T_AXIS_C[1]:g} °C)" if off else "")

        for i, key in enumerate(_LUBRICANTS):
            q_k = float(rubbing.heat_flux_w_m2(force, area, speed, rubbing.friction_coefficient(key)))
            t_k = self.baseline_c + float(self._rise_k(duration * 60.0, q_k, True))
            self.bars[i].set_height(min(t_k, top) - self.baseline_c)
            self.bars[i].set_linewidth(2.5 if key == lubricant else 0.8)
            self.bar_labels[i].set_position((i, min(t_k, _T_AXIS_C[1] - 1.0)))
            self.bar_labels[i].set_text(f"{t_k:.1f}" if t_k < _T_AXIS_C[1] else f">{_T_AXIS_C[1]:g}")

        check = rubbing.heat_pain_check(force, area, speed, lubricant, duration, threshold_c=self.pain_c)
        flux = f"{q:,.0f}" if q >= 10 else f"only {q:.2g}"
        head = (f"<b>{force:.0f} N</b> over <b>{area:.0f} cm²</b> at <b>{speed:.0f} cm/s</b> "
                f"{_LUB_PHRASE[lubricant]} (μ ≈ {mu:g}) sends <b>{flux} W/m²</b> of heat into the skin. ")
        if check["hurts"]:
            t_pain = check["time_to_threshold_s"]
            when = f"after about {t_pain:.0f} s" if t_pain >= 1.0 else "within a second"
            where = (f"beyond about {rubbing.MODEL_LIMIT_C:g} °C, where the skin is being damaged and this model "
                     f"no longer applies" if check["beyond_model"] else f"at about {end_c:.0f} °C")
            small = " (an over-estimate for a small contact)" if area < _SMALL_CONTACT_CM2 else ""
            return head + (f'<span style="color:#B00020;font-weight:600">⚠ This would hurt: the skin passes '
                           f"{self.pain_c:g} °C, where heat starts to hurt, {when}, and after {duration:g} min it "
                           f"would be {where}{small}.</span> Use less force, a wider contact, oil or a slower hand.")
        if duration == 0:
            return head + "Move the duration slider to start rubbing."
        rise = end_c - self.baseline_c
        without = (f"above {rubbing.MODEL_LIMIT_C:g} °C" if end_dry_c > rubbing.MODEL_LIMIT_C
                   else f"{end_dry_c:.1f} °C")
        tail = (f"After {duration:g} min the skin is at about <b>{end_c:.1f} °C</b> ({rise:.1f} °C warmer) with "
                f"blood flow ({without} without). ")
        t_pain = check["time_to_threshold_s"]
        if math.isfinite(t_pain):
            tail += f"Keep going on the same spot and it would pass {self.pain_c:g} °C after {t_pain / 60:.1f} min."
        else:
            tail += (f"Blood flow stops it near {check['plateau_temperature_c']:.1f} °C, below "
                     f"{self.pain_c:g} °C, where heat starts to hurt.")
        return head + tail
