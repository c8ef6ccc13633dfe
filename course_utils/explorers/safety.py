"""The explorers of notebook 08 (devices and safety).

Models live in :mod:`course_utils.models.exposure` and :mod:`course_utils.models.contraindications`; this module
only draws them.

* :class:`TherapistDayExplorer`: a therapist's working day with a massage gun and a second device: the daily
  exposure A(8) building up over the minutes of use, against the EU action and limit values, and each device on
  its own against the "time allowed" curves. Every vibration value is a *what-if* the learner sets: we found no
  published measurement of the vibration at a massage gun's handle (science.md §6).
* :class:`WhWeightingExplorer`: the ISO 5349-1 Wh weighting curve on a logarithmic frequency axis, where massage
  devices sit on it, and what a vibration at the chosen frequency counts for.
* :class:`ContraindicationsChecklist`: a checklist for the client; ticking an item shows what it rules out and why.
"""

from __future__ import annotations

import html
import math

import ipywidgets as w
import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from ..models import contraindications as ci
from ..models import exposure
from ..plots import PALETTE, axis_label
from ..widgets import RESET_BUTTON_STYLE, Explorer, Slider

__all__ = ["TherapistDayExplorer", "WhWeightingExplorer", "ContraindicationsChecklist"]

_PLAIN = FuncFormatter(lambda x, _pos: f"{x:g}")
_ACTION = exposure.EU_ACTION_VALUE_M_S2
_LIMIT = exposure.EU_LIMIT_VALUE_M_S2
_DAY_MIN = exposure.REFERENCE_DAY_MIN
_VIBRATION_MAX_M_S2 = 10.0  # what-if vibration control, m/s²: 0–10 covers the EU values and twice the limit (ours)
_USE_MAX_MIN = 240.0  # use of each device per day, min: up to 4 h each, so two fill the 8-hour day (ours)
_A8_AXIS_MAX = 10.5  # the dose axis holds the largest A(8) the controls allow (10 m/s²) (ours)
_DEVICES = (("gun", "massage gun", PALETTE["blue"], "o"), ("second", "second device", PALETTE["purple"], "s"))
_SHORT = {"gun": "the gun", "second": "the second device"}  # names in the text line
_ZONE_COLOURS = (PALETTE["green"], PALETTE["orange"], PALETTE["vermillion"])

# Frequencies of massage devices marked on the Wh curve (science.md §6 and §3).
_GUN_BAND_HZ = (20.0, 53.0)  # 1200–3200 percussions per minute, makers' pages [massage_gun_pages]
_PAIN_BAND_HZ = (50.0, 150.0)  # vibrators that relieved pain best, Lundeberg 1983 [lundeberg1983]
_WH_AXIS_HZ = (1.0, 2000.0)


def _duration(minutes: float) -> str:
    """Minutes in words: "45 min", "2 h 30 min", or "more than a working day" beyond 8 h."""
    if math.isinf(minutes) or minutes > _DAY_MIN:
        return "more than a working day"
    m = round(minutes)
    if m < 60:
        return f"{m} min"
    h, rest = divmod(m, 60)
    return f"{h} h" + (f" {rest} min" if rest else "")


# ============================================================================================== the day
class TherapistDayExplorer(Explorer):
    """A therapist's day with two vibrating devices against the daily exposure A(8) and the EU values."""

    title = "A therapist's day with vibrating devices"
    intro = ("Set how strongly each device's <b>handle</b> vibrates (its three-axis total value, Wh-weighted RMS) "
             "and how long you hold it. "
             "We found no published handle values for massage guns: every vibration here is a <b>what-if</b> "
             "you choose. Left: your dose over the day. Right: each device on its own.")
    controls = (
        Slider("gun_m_s2", "Gun handle, what if", "m/s²", 0.0, _VIBRATION_MAX_M_S2, value=3.0, step=0.5,
               fmt=".1f"),
        Slider("gun_min", "Gun use per day", "min", 0.0, _USE_MAX_MIN, value=60.0, step=5.0, fmt=".0f"),
        Slider("second_m_s2", "Second device, what if", "m/s²", 0.0, _VIBRATION_MAX_M_S2, value=2.0,
               step=0.5, fmt=".1f"),
        Slider("second_min", "Second device use per day", "min", 0.0, _USE_MAX_MIN, value=30.0, step=5.0,
               fmt=".0f"),
    )
    # What-if settings (ours), chosen so that the arithmetic comes out round; none is a measured device value.
    presets = {
        "Short sessions": {"gun_m_s2": 3.0, "gun_min": 30.0, "second_m_s2": 0.0, "second_min": 0.0},
        "Gun 3 h": {"gun_m_s2": 5.0, "gun_min": 180.0, "second_m_s2": 0.0, "second_min": 0.0},
        "Two devices": {"gun_m_s2": 4.0, "gun_min": 120.0, "second_m_s2": 8.0, "second_min": 60.0},
        "Strong, 30 min": {"gun_m_s2": 10.0, "gun_min": 30.0, "second_m_s2": 0.0, "second_min": 0.0},
        "Half as strong, 2 h": {"gun_m_s2": 5.0, "gun_min": 120.0, "second_m_s2": 0.0, "second_min": 0.0},
        "Over the limit": {"gun_m_s2": 10.0, "gun_min": 240.0, "second_m_s2": 0.0, "second_min": 0.0},
    }
    figsize = (8.0, 3.8)

    def build(self, fig):
        ax_d, ax_t = fig.subplots(1, 2, width_ratios=[1.15, 1.0])
        self.axes = (ax_d, ax_t)

        # --- left: the dose over the day
        ax_d.set_xlim(0, 2 * _USE_MAX_MIN)
        ax_d.set_ylim(0, _A8_AXIS_MAX)
        for (low, high), colour in zip(((0, _ACTION), (_ACTION, _LIMIT), (_LIMIT, _A8_AXIS_MAX)), _ZONE_COLOURS,
                                       strict=True):
            ax_d.axhspan(low, high, color=colour, alpha=0.10, lw=0)
        for value, name, style in ((_ACTION, "action value", "--"), (_LIMIT, "limit value", "-.")):
            ax_d.axhline(value, color=PALETTE["black"], lw=1.2, ls=style)
            ax_d.text(2 * _USE_MAX_MIN * 0.98, value, f"EU {name} {value:g} m/s²", ha="right", va="bottom",
                      fontsize="x-small")
        ax_d.set_xticks(np.arange(0, 2 * _USE_MAX_MIN + 1, 60))
        ax_d.set_xlabel(axis_label("Device use so far today", "min"))
        ax_d.set_ylabel(axis_label("Daily exposure A(8) so far", "m/s²"))
        ax_d.set_title("Your dose builds up", fontsize="medium")
        self.day_lines = {}
        for key, name, colour, _marker in _DEVICES:
            (self.day_lines[key],) = ax_d.plot([], [], color=colour, lw=2.2, label=name)
        self.crossings = ax_d.scatter([], [], s=45, marker="X", color=PALETTE["vermillion"], zorder=5)
        self.end_dot = ax_d.scatter([0], [0], s=50, color=PALETTE["black"], zorder=6)
        self.end_text = ax_d.text(0.03, 0.97, "", transform=ax_d.transAxes, va="top", fontsize="small")
        ax_d.legend(loc="upper right", bbox_to_anchor=(1.0, 0.88), fontsize="x-small", frameon=True,
                    framealpha=0.9, handlelength=1.6)

        # --- right: each device alone against the time it may be held
        a = np.linspace(0.05, _VIBRATION_MAX_M_S2, 300)
        action_min = exposure.minutes_to_reach_a8(a, _ACTION)
        limit_min = exposure.minutes_to_reach_a8(a, _LIMIT)
        ax_t.set_xlim(0, _VIBRATION_MAX_M_S2)
        ax_t.set_ylim(0, _USE_MAX_MIN * 2)
        top = _USE_MAX_MIN * 2
        ax_t.fill_between(a, 0, np.minimum(action_min, top), color=_ZONE_COLOURS[0], alpha=0.12, lw=0)
        ax_t.fill_between(a, np.minimum(action_min, top), np.minimum(limit_min, top), color=_ZONE_COLOURS[1],
                          alpha=0.14, lw=0)
        ax_t.fill_between(a, np.minimum(limit_min, top), top, color=_ZONE_COLOURS[2], alpha=0.12, lw=0)
        ax_t.plot(a, action_min, color=PALETTE["black"], lw=1.2, ls="--")
        ax_t.plot(a, limit_min, color=PALETTE["black"], lw=1.2, ls="-.")
        # a light box under each note: at projector size "action value" ran over the limit value's curve
        note_box = {"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.8, "edgecolor": "none"}
        ax_t.text(3.6, 255, "reaches the\naction value", fontsize="x-small", ha="left", va="bottom", bbox=note_box)
        ax_t.text(7.0, 300, "reaches the\nlimit value", fontsize="x-small", ha="left", va="bottom", bbox=note_box)
        ax_t.set_xticks(np.arange(0, _VIBRATION_MAX_M_S2 + 0.1, 2))
        ax_t.set_yticks(np.arange(0, top + 1, 60))
        ax_t.set_xlabel(axis_label("Handle vibration", "m/s²"))
        ax_t.set_ylabel(axis_label("Use per day", "min"))
        ax_t.set_title("Each device on its own", fontsize="medium")
        self.device_points = {}
        for key, name, colour, marker in _DEVICES:
            self.device_points[key] = ax_t.scatter([0], [0], s=70, marker=marker, color=colour, edgecolors="white",
                                                   zorder=5, label=name)
        return [*self.day_lines.values(), self.crossings, self.end_dot, self.end_text, *self.device_points.values()]

    def update(self, values):
        a = {"gun": values["gun_m_s2"], "second": values["second_m_s2"]}
        t = {"gun": values["gun_min"], "second": values["second_min"]}
        a8 = exposure.daily_exposure_a8([a["gun"], a["second"]], [t["gun"], t["second"]])

        # left: dose so far, device after device
        start, dose_sq = 0.0, 0.0  # dose_sq: Σ a²·T so far (m²/s⁴·min)
        for key, *_ in _DEVICES:
            times = np.linspace(0.0, t[key], 60)
            self.day_lines[key].set_data(start + times, np.sqrt((dose_sq + a[key] ** 2 * times) / _DAY_MIN))
            start += t[key]
            dose_sq += a[key] ** 2 * t[key]
        crossings = [[self._time_to(a, t, target), target] for target in (_ACTION, _LIMIT) if a8 >= target]
        self.crossings.set_offsets(np.array(crossings).reshape(-1, 2))
        self.end_dot.set_offsets([[start, a8]])
        self.end_text.set_text(f"A(8) = {a8:.2f} m/s²\nafter {_duration(start)} of use")
        for key, *_ in _DEVICES:
            self.device_points[key].set_offsets([[a[key], t[key]]])
        return self._describe(a, t, a8)

    @staticmethod
    def _time_to(a, t, target):
        """Minutes into the day's use at which A(8) reaches ``target`` (devices used one after the other)."""
        first = exposure.minutes_to_reach_a8(a["gun"], target)
        if first <= t["gun"]:
            return first
        already = exposure.partial_exposure_a8(a["gun"], t["gun"])
        return t["gun"] + exposure.minutes_to_reach_a8(a["second"], target, already)

    @staticmethod
    def _describe(a, t, a8) -> str:
        level = exposure.exposure_verdict(a8)
        if level == "below the action value":
            verdict = "<b>below the EU action value</b> (2.5 m/s²)"
        elif level == "action value reached":
            verdict = "<b>the EU action value is reached</b> (2.5 m/s²)"
        else:
            verdict = "<b>the EU limit value is reached</b> (5 m/s²)"
        clauses = []
        for target, name in ((_ACTION, "action"), (_LIMIT, "limit")):
            if a8 >= target:
                clauses.append(f"the {name} value is already reached")
                continue
            options = [f"{_duration(exposure.minutes_to_reach_a8(a[key], target, a8))} of {_SHORT[key]}"
                       for key, *_ in _DEVICES if a[key] > 0]
            lead = "time left before" if not clauses or "already" in clauses[0] else "before"
            clauses.append(f"{lead} the {name} value: {' or '.join(options)}" if options
                           else f"nothing vibrates, so the {name} value is never reached")
        left = "; ".join(clauses)
        years = ""
        if a8 > 0:
            years = (f" Every working day like this: about <b>{exposure.years_to_10pct_white_finger(a8):.0f} years"
                     "</b> until 1 in 10 workers exposed like this develop vibration white finger (ISO 5349-1 "
                     "Annex C; a group estimate, not a forecast for you).")
            if a8 < _ACTION:
                years += (" A dose this small lies below the exposures the estimate was fitted to, so that number is "
                          "an extrapolation.")
        return (f"What if: gun {a['gun']:g} m/s² × {t['gun']:g} min + second device {a['second']:g} m/s² × "
                f"{t['second']:g} min → <b>A(8) = {a8:.2f} m/s²</b>, {verdict}. {left[0].upper()}{left[1:]}."
                f"{years}")


# ============================================================================================== Wh weighting
class WhWeightingExplorer(Explorer):
    """The Wh frequency weighting of ISO 5349-1, where massage devices sit on it, and what a vibration counts for."""

    title = "How the hand's weighting counts each frequency"
    intro = ("The Wh weighting of ISO 5349-1: the share of a vibration that counts for the hand at each frequency "
             "(1 = all of it), on a logarithmic frequency axis. Shaded: where massage devices work.")
    controls = (
        Slider("frequency_hz", "Frequency", "Hz", *_WH_AXIS_HZ, value=40.0, log=True, fmt=".3g"),
        Slider("acceleration_m_s2", "Unweighted RMS", "m/s²", 0.0, 50.0, value=10.0,
               step=0.5, fmt=".1f"),
    )
    # Frequencies from science.md (§6 makers' pages, §3 Lundeberg 1983, §4 Bovenzi 1997); 10 m/s² is a what-if.
    presets = {
        "Most counted (12.5 Hz)": {"frequency_hz": 12.5, "acceleration_m_s2": 10.0},
        "Gun, slowest (20 Hz)": {"frequency_hz": 20.0, "acceleration_m_s2": 10.0},
        "Gun, fast (50 Hz)": {"frequency_hz": 50.0, "acceleration_m_s2": 10.0},
        "Vibrator (100 Hz)": {"frequency_hz": 100.0, "acceleration_m_s2": 10.0},
        "Power tool (125 Hz, as in 07)": {"frequency_hz": 125.0, "acceleration_m_s2": 10.0},
    }
    figsize = (8.0, 3.6)

    def build(self, fig):
        ax = fig.add_subplot()
        f = np.geomspace(*_WH_AXIS_HZ, 400)
        ax.set_xscale("log")
        ax.set_xlim(*_WH_AXIS_HZ)
        ax.set_ylim(0, 1.05)
        ax.axvspan(*_GUN_BAND_HZ, color=PALETTE["orange"], alpha=0.18, lw=0)
        ax.axvspan(*_PAIN_BAND_HZ, color=PALETTE["sky"], alpha=0.18, lw=0)
        (curve,) = ax.plot(f, exposure.wh_weighting(f), color=PALETTE["blue"], lw=2.0, label="Wh weighting")
        centres = 10.0 ** (np.arange(8, 32) / 10)  # one-third-octave centres 6.3–1250 Hz (exact: 10^(n/10))
        dots = ax.scatter(centres, exposure.wh_weighting(centres), s=14, color=PALETTE["blue"], zorder=3,
                          label="one-third-octave bands")
        ax.set_xlabel(axis_label("Frequency (logarithmic axis)", "Hz"))
        ax.set_ylabel(axis_label("Weighting Wh", "share counted"))
        ax.xaxis.set_major_formatter(_PLAIN)
        handles = [curve, dots, Patch(color=PALETTE["orange"], alpha=0.35, label="massage guns, 20–53 Hz"),
                   Patch(color=PALETTE["sky"], alpha=0.35, label="pain-relief vibrators, 50–150 Hz")]
        ax.legend(handles=handles, loc="upper right", fontsize="x-small", frameon=True, framealpha=0.9)
        self.marker_line = ax.axvline(40, color=PALETTE["vermillion"], lw=1.2, ls=":")
        self.point = ax.scatter([40], [0.4], s=60, color=PALETTE["vermillion"], zorder=5)
        self.readout = ax.text(0.015, 0.97, "", transform=ax.transAxes, va="top", fontsize="small")
        self.ax = ax
        return [self.marker_line, self.point, self.readout]

    def update(self, values):
        f, acc = values["frequency_hz"], values["acceleration_m_s2"]
        wh = exposure.wh_weighting(f)
        counted = exposure.frequency_weighted_acceleration([acc], [f])
        self.marker_line.set_xdata([f, f])
        self.point.set_offsets([[f, wh]])
        self.readout.set_text(f"Wh({f:g} Hz) = {wh:#.3g}\n{acc:g} m/s² counts as {counted:#.3g} m/s²")
        if f < exposure.WH_F1_HZ:
            where = "below the band the standard weights (about 6 Hz and up): the hand hardly counts it"
        elif wh > 0.8:
            where = "near the top of the curve, where the hand counts a vibration almost fully"
        elif f <= 1250:
            where = "on the falling side: the higher the frequency, the less each m/s² counts"
        else:
            where = "above the standard's bands (up to 1250 Hz): almost nothing counts"
        return (f"At <b>{f:g} Hz</b> the weighting is <b>{wh:#.3g}</b>: an unweighted vibration of "
                f"<b>{acc:g} m/s²</b> counts as <b>{counted:#.3g} m/s²</b> for the daily exposure; {where}.")


# ============================================================================================== checklist
_SOURCE_NAMES = {"nccih_massage": "NCCIH", "nccih_massage_earlier": "NCCIH (earlier wording)",
                 "vibration_device_lists": "vibration-device makers (low quality)",
                 "bovenzi1997": "Bovenzi 1997", "egan1996": "Egan 1996", "dong2021": "Dong 2021 (NIOSH review)",
                 "nilsson2017": "Nilsson 2017 (review)"}
_SCOPE_COLOURS = {ci.NO_MASSAGE: "#B00020", ci.ASK_FIRST: "#8a5a00", ci.NO_DEEP: "#7a4a00",
                  ci.NO_VIBRATION: "#6b3a8a", ci.VIBRATION_CARE: "#6b3a8a", ci.AVOID_AREA: "#1f5f80"}
# Checkbox labels wrap onto a second line instead of being cut with "…" (ipywidgets cuts them by default).
WRAP_CLASS = "cu-wrap-labels"
_W = f".{WRAP_CLASS}"
WRAP_LABELS_CSS = "<style>" + " ".join((
    f"{_W} .widget-checkbox .widget-label-basic {{white-space: normal !important; overflow: visible !important;"
    " text-overflow: clip !important; height: auto !important; line-height: 1.25 !important}",
    f"{_W} .widget-checkbox .widget-label-basic {{display: flex !important; align-items: flex-start; gap: 0.25em}}",
    f"{_W} .widget-checkbox {{height: auto !important;"
    " min-height: var(--jp-widgets-inline-height, 28px); align-items: flex-start}",
    f"{_W} .widget-checkbox input {{margin-top: 0.2em; flex: 0 0 auto}}",
)) + "</style>"
"""CSS that lets long checkbox labels wrap (the checklist of notebook 08 and the planner of 09)."""


class ContraindicationsChecklist:
    """Tick what applies to the client; each ticked item shows what it rules out and why, under one verdict.

    Attributes:
        checkboxes: The checkbox widgets, by item key (see :data:`course_utils.models.contraindications`).
        verdict: HTML widget with the verdict for the ticked items.
        details: HTML widget listing each ticked item with its scope, reason and sources.
        therapist_note: HTML widget with the note for a therapist who already has symptoms in the hands.
    """

    def __init__(self) -> None:
        items = sorted(ci.CONTRAINDICATIONS.values(), key=lambda c: c.label.lower())
        self.checkboxes: dict[str, w.Checkbox] = {
            c.key: w.Checkbox(value=False, description=c.label, indent=False,
                              layout=w.Layout(width="auto", margin="0 1em 0 0")) for c in items}
        self.verdict = w.HTML()
        self.details = w.HTML()
        self.therapist_note = w.HTML(f"<p style='margin:0.4em 0 0 0'><b>{html.escape(ci.THERAPIST_SYMPTOMS_NOTE)}"
                                     "</b></p>")
        self.clear_button = w.Button(description="Clear all", icon="undo", style=RESET_BUTTON_STYLE,
                                     layout=w.Layout(width="auto"))
        self.clear_button.on_click(lambda _b: self.clear())
        for box in self.checkboxes.values():
            box.observe(lambda _change: self.refresh(), names="value")
        self.refresh()

    @property
    def ticked(self) -> list[str]:
        """Keys of the ticked items, in checklist order."""
        return [key for key, box in self.checkboxes.items() if box.value]

    def tick(self, *keys: str) -> None:
        """Tick the items ``keys`` (others keep their state)."""
        for key in keys:
            if key not in self.checkboxes:
                raise ValueError(f"Unknown checklist item {key!r}; known: {', '.join(self.checkboxes)}.")
            self.checkboxes[key].value = True

    def clear(self) -> None:
        """Untick every item."""
        for box in self.checkboxes.values():
            box.value = False

    def refresh(self) -> None:
        """Recompute the verdict and the details from the ticked items."""
        result = ci.contraindication_verdict(self.ticked)
        colour = _SCOPE_COLOURS.get(result.headline, "#555555")
        self.verdict.value = (f'<div aria-live="polite" style="border-left:4px solid {colour};padding:0.3em 0.6em;'
                              f'font-size:1.05em"><b>Verdict:</b> {html.escape(result.text)}</div>')
        rows = []
        for key in self.ticked:
            item = ci.CONTRAINDICATIONS[key]
            scopes = " + ".join(f'<b style="color:{_SCOPE_COLOURS[s]}">{html.escape(s)}</b>' for s in item.scopes)
            sources = ", ".join(_SOURCE_NAMES.get(s, s) for s in item.sources)
            rows.append(f"<li>{html.escape(item.label)} → {scopes}. <i>Why (our summary; the lists "
                        f"themselves give no evidence):</i> {html.escape(item.reason)} "
                        f"<span style='color:#555'>(Sources: {html.escape(sources)}.)</span></li>")
        self.details.value = f"<ul style='margin:0.2em 0'>{''.join(rows)}</ul>" if rows else ""

    def widget(self) -> w.Widget:
        """The checklist as one widget: two columns of checkboxes, Clear, the verdict and the details."""
        grid = w.GridBox(list(self.checkboxes.values()),
                         layout=w.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))", width="100%"))
        grid.add_class(WRAP_CLASS)
        head = w.HTML("<h3 style='margin:0.2em 0'>Before you massage: a contraindications checklist</h3>"
                      "<p style='margin:0 0 0.4em 0'>Tick everything that applies to your client. A teaching "
                      "checklist, not a clinical tool: the published lists disagree. "
                      f"{html.escape(ci.STRICTER_SOURCE_GOVERNS)}</p>" + WRAP_LABELS_CSS)
        return w.VBox([head, grid, w.HBox([self.clear_button]), self.verdict, self.details, self.therapist_note])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())
