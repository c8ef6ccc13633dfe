"""The metabolite wash-out explorer of notebook 05 (model and data in :mod:`course_utils.models.kneading`).

Left panel: a one-compartment wash-out model (ours) of a metabolite in muscle after exercise. Passive rest and
massage with the blood flows *measured* by Wiltshire et al. 2010 are fixed curves; the moving curve is kneading
with the flow change the learner claims. Right: what was measured, as a share of passive rest (flow and lactate
efflux, Wiltshire 2010), beside the flow the learner assumed; below it, the studies that reported their result
only in words, shown as words (no numbers are made up for them).
"""

from __future__ import annotations

import html
import textwrap

import numpy as np

from ..models import kneading
from ..plots import PALETTE, axis_label, is_projector_mode
from ..widgets import Explorer, Slider

__all__ = ["KneadingWashoutExplorer", "measured_data_table"]

_TIME_MAX_MIN = 60.0  # the model's drawn recovery window (within kneading.TIME_RANGE_MIN)
_REST = kneading.WILTSHIRE2010_FLOW_ML_MIN["passive rest"]
_MASSAGE = kneading.WILTSHIRE2010_FLOW_ML_MIN["massage"]
_EFFLUX = kneading.WILTSHIRE2010_LACTATE_EFFLUX_MMOL
_MEASURED_FLOW_PCT = 100.0 * _MASSAGE / _REST  # massage flow as % of passive rest (540 / 766)
_MEASURED_EFFLUX_PCT = 100.0 * _EFFLUX["massage"] / _EFFLUX["passive rest"]  # 14.7 / 20.5
_CHANGE_RANGE = kneading.FLOW_CHANGE_RANGE_PCT
_LABEL_BOX = {"facecolor": "white", "alpha": 0.85, "lw": 0, "pad": 1}


def _pct_left(flow_ml_min, time_min):
    """Share of the starting amount still in the compartment, in %."""
    k = float(kneading.washout_rate_per_min(flow_ml_min))
    return 100.0 * kneading.concentration_mmol_l(time_min, k, 1.0), float(kneading.half_life_min(k))


class KneadingWashoutExplorer(Explorer):
    """Claimed change of muscle blood flow with kneading against wash-out, beside the measured data."""

    title = "Does kneading flush metabolites out? Model versus measurement"
    intro = ("Left: a wash-out model: the more blood flows through the muscle, the faster it carries lactate away. "
             "Say with the slider how much kneading changes that flow. Right: what was measured.")
    controls = (
        Slider("flow_change_pct", "Flow change by kneading", "%", *_CHANGE_RANGE,
               value=kneading.CLAIMED_FLOW_CHANGE_PCT, step=5, fmt=".0f"),
        Slider("time_min", "Time after exercise", "min", 0.0, _TIME_MAX_MIN, value=15, step=1, fmt=".0f"),
    )
    presets = {
        "Flush story (+50 %)": {"flow_change_pct": kneading.CLAIMED_FLOW_CHANGE_PCT},
        "No change (arm and leg flow, Shoemaker 1997)": {"flow_change_pct": 0},
        "As measured (Wiltshire 2010)": {"flow_change_pct": round(_MEASURED_FLOW_PCT - 100.0)},  # 540/766: −29.5 %
    }
    figsize = (8.0, 5.0)

    def build(self, fig):
        self.time = np.linspace(0.0, _TIME_MAX_MIN, 241)
        grid = fig.add_gridspec(2, 2, width_ratios=[1.45, 1.0], height_ratios=[1.0, 0.95])
        ax = fig.add_subplot(grid[:, 0])
        ax_bar = fig.add_subplot(grid[0, 1])
        ax_words = fig.add_subplot(grid[1, 1])

        rest_pct, self.rest_half = _pct_left(_REST, self.time)
        massage_pct, self.massage_half = _pct_left(_MASSAGE, self.time)
        ax.set_xlim(0, _TIME_MAX_MIN)
        ax.set_ylim(0, 128)  # headroom above 100 % holds the legend, clear of every curve
        ax.set_yticks(np.arange(0, 101, 20))
        ax.set_xlabel(axis_label("Time after exercise", "min"))
        ax.set_ylabel(axis_label("Metabolite left in the muscle", "% of start"))
        ax.set_title("Model (ours): wash-out by blood flow", fontsize="medium")
        # Projector mode's larger text leaves this panel narrower: shorter legend labels keep the legend inside it.
        short = is_projector_mode()
        (self.rest_line,) = ax.plot(self.time, rest_pct, color=PALETTE["black"], ls=":",
                                    label=f"rest{',' if short else ': measured flow,'} {_REST:.0f} mL/min")
        (self.massage_line,) = ax.plot(self.time, massage_pct, color=PALETTE["vermillion"], ls="--",
                                       label=f"massage{',' if short else ': measured flow,'} {_MASSAGE:.0f} mL/min")
        (self.story_line,) = ax.plot([], [], color=PALETTE["blue"],
                                     label="your claimed flow" if short else "kneading: the flow you claim")
        self.time_line = ax.axvline(0, color="#333333", lw=1, alpha=0.6)
        self.time_dots = ax.scatter([0.0] * 3, [np.nan] * 3, s=40, edgecolor="white", zorder=4,
                                    color=[PALETTE["black"], PALETTE["vermillion"], PALETTE["blue"]])
        ax.legend(loc="upper right", fontsize="small", framealpha=0.95, borderaxespad=0.3)

        rows = ["Flow,\nyour claim", "Flow,\nmeasured", "Lactate efflux,\nmeasured"]
        y = np.arange(len(rows))[::-1]
        self.story_bar = ax_bar.barh(y[0], 0.0, color=PALETTE["blue"], height=0.6)[0]
        self.measured_bars = list(ax_bar.barh(y[1:], [_MEASURED_FLOW_PCT, _MEASURED_EFFLUX_PCT],
                                              color=PALETTE["vermillion"], height=0.6))
        self.measured_bars[1].set_hatch("//")
        ax_bar.axvline(100, color=PALETTE["black"], ls=":", lw=1.5)
        ax_bar.text(100, y[0] + 0.55, " passive rest = 100 %", fontsize="small", va="center", ha="left")
        # Axis text stays at full size in projector mode (about 20 px on screen), smaller otherwise.
        axis_text = "medium" if is_projector_mode() else "small"
        ax_bar.set_yticks(y, rows, fontsize=axis_text)
        ax_bar.set_ylim(-0.6, len(rows) - 0.05)
        ax_bar.set_xlim(0, 100.0 + _CHANGE_RANGE[1] + 20.0)
        ax_bar.set_xlabel(axis_label("Massage compared with rest", "%"), fontsize=axis_text)
        ax_bar.set_title("Massage: measured (Wiltshire 2010)", fontsize="medium")
        ax_bar.grid(axis="y", visible=False)
        self.measured_labels = [
            ax_bar.text(_MEASURED_FLOW_PCT + 5, y[1], f"{_MASSAGE:.0f} vs {_REST:.0f} mL/min", va="center",
                        fontsize="small", bbox=_LABEL_BOX),
            ax_bar.text(_MEASURED_EFFLUX_PCT + 5, y[2],
                        f"{_EFFLUX['massage']:g} vs {_EFFLUX['passive rest']:g} mmol", va="center",
                        fontsize="small", bbox=_LABEL_BOX),
        ]
        self.story_label = ax_bar.text(0, y[0], "", va="center", fontsize="small", bbox=_LABEL_BOX)

        ax_words.axis("off")
        words = ["Reported in words (no numbers here):"]
        for row in kneading.measured_data():
            if row["values"] is None:
                words.append(f"• {row['study']}: " + row["finding"])
        self.word_notes = ax_words.text(0.0, 1.0, "\n".join(
            textwrap.fill(line, 44, subsequent_indent="   ") for line in words), va="top", ha="left",
            fontsize="small", transform=ax_words.transAxes, linespacing=1.25)
        self.measured_artists = [self.rest_line, self.massage_line, *self.measured_bars, *self.measured_labels,
                                 self.word_notes]
        self.axes = (ax, ax_bar, ax_words)
        return [self.story_line, self.time_line, self.time_dots, self.story_bar, self.story_label]

    def update(self, values):
        change, t = values["flow_change_pct"], values["time_min"]
        flow = float(kneading.kneading_flow_ml_min(_REST, change))
        story_pct, story_half = _pct_left(flow, self.time)
        self.story_line.set_data(self.time, story_pct)
        self.time_line.set_xdata([t, t])
        left = [float(_pct_left(q, t)[0]) for q in (_REST, _MASSAGE, flow)]
        self.time_dots.set_offsets(np.column_stack([[t, t, t], left]))
        self.story_bar.set_width(100.0 + change)
        self.story_label.set_position((100.0 + change + 5, self.story_bar.get_y() + self.story_bar.get_height() / 2))
        self.story_label.set_text(f"{flow:.0f} mL/min")

        if change > 0:
            claim = (f"If kneading <b>raised</b> muscle blood flow by {change:g} %, the model would clear the "
                     f"metabolite <b>faster</b> than rest")
        elif change < 0:
            claim = (f"If kneading <b>lowered</b> muscle blood flow by {-change:g} %, the model would clear it "
                     f"<b>more slowly</b> than rest")
        else:
            claim = "If kneading left blood flow unchanged, the model would clear the metabolite just as at rest"
        claim += (f": half-life <b>{story_half:.1f} min</b> against {self.rest_half:.1f} min; after {t:.0f} min "
                  f"<b>{left[2]:.0f} %</b> left against {left[0]:.0f} %. ")
        measured = (f"Measured, massage <i>lowered</i> forearm flow ({_MASSAGE:.0f} vs {_REST:.0f} mL/min) and "
                    f"lactate efflux ({_EFFLUX['massage']:g} vs {_EFFLUX['passive rest']:g} mmol): fed that flow, "
                    f"the same model washes out more slowly (half-life about {self.massage_half:.0f} min).")
        return claim + measured


def measured_data_table(study: str | None = None):
    """The measured findings of :func:`course_utils.models.kneading.measured_data` as an HTML table.

    One row per finding: the study (linked to its entry in the notebook's reference list), where it was measured,
    the outcome, the numbers with their unit (or "reported in words only"; no numbers are made up) and the finding
    in one plain sentence.

    Args:
        study: A citation key (``"wiltshire2010"``, ``"martin1998"``, ``"hemmings2000"``, ``"crane2012"``) to show
            only that study's rows, or None for all.

    Returns:
        An ``IPython.display.HTML`` object (a notebook shows it as a table).

    Notebook: 05_kneading.
    """
    from IPython.display import HTML

    rows = kneading.measured_data(study)
    cells = []
    for row in rows:
        if row["values"]:
            unit = html.escape(row["unit"])
            numbers = "<br>".join(f"{html.escape(k)}: {v:g}&nbsp;{unit}" for k, v in row["values"].items())
        else:
            numbers = "<i>reported in words only</i>"
        link = f'<a href="#ref-{html.escape(row["key"])}">{html.escape(row["study"])}</a>'
        cells.append("<tr>" + "".join(f'<td style="text-align:left;vertical-align:top">{c}</td>' for c in (
            link, html.escape(row["site"]), html.escape(row["outcome"]), numbers, html.escape(row["finding"])))
                     + "</tr>")
    head = "".join(f'<th style="text-align:left">{h}</th>' for h in ("Study", "Where", "Outcome", "Measured",
                                                                     "Finding"))
    return HTML('<table class="course-measured-data"><caption style="text-align:left">Measured findings on '
                "massage and metabolite clearance</caption><thead><tr>" + head + "</tr></thead><tbody>"
                + "".join(cells) + "</tbody></table>")
