"""The vibration explorers of notebooks 06 (physics) and 07 (effects).

Models live in :mod:`course_utils.models` (vibration, receptors, nervous, bloodflow, pain, and the single entry
point :func:`course_utils.models.session.vibration_session`); this module only draws them. All are teaching
models (ours, shapes from the sources); the notebooks say so.

* :class:`WaveformExplorer` (06): displacement, velocity and acceleration of x(t) = A·sin(2πft), peak and r.m.s.,
  m/s² and g; :meth:`WaveformExplorer.sound` plays the chosen frequency.
* :class:`TissueResponseExplorer` (06): soft tissue as a base-excited damped oscillator (transmissibility).
* :class:`ReceptorChannelsExplorer` (06): the four touch-channel thresholds, the current (f, A) point and how far
  above each threshold it lies; which spindle endings follow every cycle.
* :class:`VibrationExplorer` (07): one change of any control makes one :func:`vibration_session` call and redraws
  four linked panels (waveform, nervous system, blood flow at the chosen site, pain) and a short verdict, with the
  details on demand.
"""

from __future__ import annotations

import math

import ipywidgets as w
import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from ..models import bloodflow, receptors, session, vibration
from ..plots import PALETTE, axis_label, is_projector_mode
from ..widgets import Choice, Explorer, Slider

__all__ = ["WaveformExplorer", "TissueResponseExplorer", "ReceptorChannelsExplorer", "VibrationExplorer", "tone"]

_PLAIN = FuncFormatter(lambda x, _pos: f"{x:g}")
_AUDIBLE_MIN_HZ = 20.0  # lower limit of human hearing, conventional value (ours to use here)
_SOUND_RATE_HZ = 8000  # sample rate of the demonstration sound: 8 kHz covers every frequency of the explorers
_ORDINAL = {2: "2nd", 3: "3rd", 4: "4th", 5: "5th"}
_CHANNEL_STYLE = {"P": (PALETTE["blue"], "-"), "NP I": (PALETTE["orange"], "--"),
                  "NP II": (PALETTE["green"], "-."), "NP III": (PALETTE["purple"], ":")}


def _fmt(x: float) -> str:
    """A number with about three significant figures, without scientific notation for everyday sizes."""
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 0.01:
        return f"{x:.3g}"
    return f"{x:.2g}"


def tone(frequency_hz: float, seconds: float = 1.0, rate_hz: int = _SOUND_RATE_HZ):
    """A short sine tone at ``frequency_hz`` to listen to, or a sentence saying why there is none.

    Args:
        frequency_hz: Frequency, Hz (1–1000). Below 20 Hz people feel vibration but do not hear it as a tone, so
            no sound is made.
        seconds: Length of the sound, s (0.1–3).
        rate_hz: Sample rate, Hz (the default 8 kHz keeps the notebook small and works offline).

    Returns:
        An ``IPython.display.Audio`` player, or a ``str`` explaining that the frequency is below hearing.

    Notebook: 06_vibration_physics.
    """
    from IPython.display import Audio

    from ..validation import check_int, check_number

    f = check_number("frequency_hz", frequency_hz, unit="Hz", low=1.0, high=1000.0)
    s = check_number("seconds", seconds, unit="s", low=0.1, high=3.0)
    rate = check_int("rate_hz", rate_hz, low=2000, high=48000)
    if f < _AUDIBLE_MIN_HZ:
        return (f"{f:.3g} Hz is below about 20 Hz, the bottom of human hearing: at this frequency you feel "
                f"the vibration as separate shakes but do not hear a tone. Choose 20 Hz or more to listen.")
    t = np.arange(int(s * rate)) / rate
    fade = np.minimum(1.0, np.minimum(t, s - t) / 0.02)  # 20 ms fade in and out, so the sound does not click
    return Audio(0.5 * np.sin(2 * math.pi * f * t) * fade, rate=rate)


# ============================================================================================== notebook 06
def _frequency_slider() -> Slider:
    """The frequency control shared by the vibration explorers (log scale over the course's 1–300 Hz)."""
    return Slider("frequency_hz", "Frequency", "Hz", *vibration.FREQUENCY_RANGE_HZ, value=50, log=True, fmt=".3g")


def _amplitude_slider(value: float) -> Slider:
    """The peak-amplitude control shared by the vibration explorers (log scale over 0.01–10 mm)."""
    return Slider("amplitude_mm", "Amplitude (peak)", "mm", *vibration.AMPLITUDE_RANGE_MM, value=value, log=True,
                  fmt=".3g")


class WaveformExplorer(Explorer):
    """x(t) = A·sin(2πft) with its velocity and acceleration; peak and r.m.s. in m/s² and g."""

    title = "Waveform and units"
    intro = ("Left: one vibration drawn over two cycles: displacement, velocity and acceleration, each scaled to "
             "its own peak so that you can compare their timing. Right: the peak acceleration for every frequency "
             "and amplitude; the dot is your setting.")
    controls = (
        _frequency_slider(),
        _amplitude_slider(1.0),
    )
    presets = {  # illustrative settings (ours)
        "Slow hand shaking (5 Hz, 5 mm)": {"frequency_hz": 5, "amplitude_mm": 5},
        "Massage gun (40 Hz, 5 mm)": {"frequency_hz": 40, "amplitude_mm": 5},
        "Buzzing device (100 Hz, 0.5 mm)": {"frequency_hz": 100, "amplitude_mm": 0.5},
        "Double the frequency (200 Hz, 0.5 mm)": {"frequency_hz": 200, "amplitude_mm": 0.5},
    }
    figsize = (8.0, 4.6)

    def build(self, fig):
        ax_w, ax_a = fig.subplots(1, 2, width_ratios=[1.0, 1.15])
        self.phase = np.linspace(0.0, 2.0, 241)  # two cycles
        ax_w.set_xlim(0, 2)
        ax_w.set_ylim(-1.25, 1.6)
        ax_w.set_xlabel(axis_label("Time", "cycles"))
        ax_w.set_ylabel(axis_label("Value / its peak", "relative units"))
        ax_w.set_title("One vibration, three views")
        s = np.sin(2 * np.pi * self.phase)
        ax_w.plot(self.phase, s, color=PALETTE["blue"], label="displacement x")
        ax_w.plot(self.phase, np.cos(2 * np.pi * self.phase), color=PALETTE["green"], ls="--", label="velocity v")
        ax_w.plot(self.phase, -s, color=PALETTE["vermillion"], ls="-.", label="acceleration a")
        ax_w.axhline(1 / math.sqrt(2), color="#777777", lw=1, ls=":")
        ax_w.text(2.0, 1 / math.sqrt(2), "r.m.s. = peak/√2 ", ha="right", va="bottom", fontsize="x-small",
                  color="#555555", zorder=5,  # projector mode: on a white backing, clear of the curves under it
                  bbox={"facecolor": "white", "alpha": 0.85, "lw": 0, "pad": 1} if is_projector_mode() else None)
        ax_w.legend(loc="upper left", ncols=2, fontsize="x-small", frameon=False, handlelength=1.8,
                    columnspacing=0.8, borderaxespad=0.2)

        f = np.geomspace(*vibration.FREQUENCY_RANGE_HZ, 200)
        ax_a.set_xscale("log")
        ax_a.set_yscale("log")
        ax_a.set_xlim(*vibration.FREQUENCY_RANGE_HZ)
        ax_a.set_ylim(1e-4, 1e5)
        ax_a.yaxis.set_major_locator(FixedLocator([1e-4, 1e-2, 1.0, 1e2, 1e4]))  # no tick outside the view
        for k, a_mm in enumerate((0.01, 0.1, 1.0, 10.0)):
            ax_a.plot(f, vibration.peak_acceleration_m_s2(f, a_mm), color="#999999", lw=1)
            # projector mode: each label a little further right along its line (18-px labels a decade apart
            # overlapped when stacked at one frequency)
            x = 2.0 * 1.9 ** k if is_projector_mode() else 2.0
            y = float(vibration.peak_acceleration_m_s2(x, a_mm))
            ax_a.annotate(f"{a_mm:g} mm", (x, y), xytext=(0, 3), textcoords="offset points", fontsize="x-small",
                          color="#555555", rotation=28, rotation_mode="anchor")
        g = vibration.STANDARD_GRAVITY_M_S2
        ax_a.axhline(g, color=PALETTE["black"], lw=1, ls="--")
        ax_a.text(300, g, "1 g ", ha="right", va="bottom", fontsize="small")
        ax_a.set_xlabel(axis_label("Frequency", "Hz"))
        ax_a.set_ylabel(axis_label("Peak acceleration", "m/s²"))
        ax_a.set_title("Acceleration grows with f²")
        ax_a.xaxis.set_major_formatter(_PLAIN)
        self.point = ax_a.scatter([50], [1.0], s=60, color=PALETTE["vermillion"], zorder=4)
        self.readout = ax_a.text(0.03, 0.97, "", transform=ax_a.transAxes, fontsize="small", va="top")
        self.axes = (ax_w, ax_a)
        return [self.point, self.readout]

    def update(self, values):
        f, a_mm = values["frequency_hz"], values["amplitude_mm"]
        v = vibration.peak_velocity_m_s(f, a_mm)
        acc = vibration.peak_acceleration_m_s2(f, a_mm)
        acc_g = vibration.to_g(acc)
        self.point.set_offsets([[f, acc]])
        self.readout.set_text(f"period {_fmt(1000 / f)} ms · peak v {_fmt(v)} m/s\n"
                              f"peak a {_fmt(acc)} m/s² = {_fmt(acc_g)} g")
        return (f"<b>{f:.3g} Hz</b> at <b>{a_mm:.3g} mm</b> peak: the skin moves through one cycle every "
                f"<b>{_fmt(1000 / f)} ms</b>, reaching <b>{_fmt(v)} m/s</b> and <b>{_fmt(acc)} m/s²</b> "
                f"(<b>{_fmt(acc_g)} g</b>) at its peak; r.m.s. values are the peaks divided by √2 "
                f"(<b>{_fmt(vibration.sine_rms_from_peak(acc))} m/s²</b> r.m.s.). Acceleration is largest where "
                f"displacement is largest, pointing the other way.")

    def sound(self, seconds: float = 1.0):
        """Listen to the current frequency (see :func:`tone`)."""
        return tone(self.values["frequency_hz"], seconds)


class TissueResponseExplorer(Explorer):
    """Transmissibility of a base-excited damped oscillator: how much applicator motion reaches the tissue."""

    title = "Soft tissue under an applicator"
    intro = ("The tissue under the applicator is drawn as a mass on a spring and a damper. The curve shows how "
             "much of the applicator's motion the tissue follows at each frequency (1 = all of it). The natural "
             "frequency is where it swings most easily; the damping ratio ζ (zeta) says how quickly a swing dies "
             "away: 0 = no damping, 1 = no bounce at all. Both are illustrative, not measured.")
    controls = (
        _frequency_slider(),
        Slider("natural_hz", "Natural frequency of the tissue", "Hz", 5, 100, value=20, log=True, fmt=".3g"),
        Slider("damping", "Damping ratio ζ", "relative units", 0.05, 2.0, value=0.3, log=True, fmt=".2f"),
    )
    presets = {  # illustrative settings (ours)
        "Lightly damped (ζ 0.1)": {"damping": 0.1, "natural_hz": 20, "frequency_hz": 20},
        "Well damped (ζ 0.5)": {"damping": 0.5, "natural_hz": 20, "frequency_hz": 20},
        "High frequency (150 Hz)": {"damping": 0.3, "natural_hz": 20, "frequency_hz": 150},
    }
    figsize = (8.0, 4.5)

    def build(self, fig):
        ax = fig.add_subplot()
        self.f = np.geomspace(*vibration.FREQUENCY_RANGE_HZ, 300)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(*vibration.FREQUENCY_RANGE_HZ)
        ax.set_ylim(0.005, 20)
        ax.axhline(1.0, color="#777777", lw=1, ls=":")
        ax.text(1.1, 1.05, "tissue follows the applicator fully", fontsize="x-small", color="#555555", va="bottom")
        ax.set_xlabel(axis_label("Frequency", "Hz"))
        ax.set_ylabel(axis_label("Tissue motion / applicator motion", "ratio"))
        ax.xaxis.set_major_formatter(_PLAIN)
        ax.yaxis.set_major_formatter(_PLAIN)
        (self.line,) = ax.plot([], [], color=PALETTE["blue"], label="transmissibility")
        self.fn_line = ax.axvline(20, color=PALETTE["green"], ls="--", lw=1.5, label="natural frequency")
        self.point = ax.scatter([50], [1.0], s=60, color=PALETTE["vermillion"], zorder=4, label="your frequency")
        ax.legend(loc="lower left", fontsize="small", frameon=True)
        self.ax = ax
        return [self.line, self.fn_line, self.point]

    def update(self, values):
        f, fn, z = values["frequency_hz"], values["natural_hz"], values["damping"]
        self.line.set_data(self.f, vibration.transmissibility(self.f / fn, z))
        tr = vibration.transmissibility(f / fn, z)
        self.fn_line.set_xdata([fn, fn])
        self.point.set_offsets([[f, tr]])
        if tr > 1.05:
            what = "<b>more</b> than the applicator: near the natural frequency the tissue resonates"
        elif tr < 0.95:
            what = "<b>less</b> than the applicator: above √2 × the natural frequency the tissue filters it out"
        else:
            what = "about as much as the applicator"
        return (f"At <b>{f:.3g} Hz</b> (ratio {f / fn:.2g} to the natural frequency {fn:.3g} Hz, damping "
                f"ζ = {z:.2f}) the tissue moves <b>{tr:.2f} ×</b> the applicator's motion, {what}.")


class ReceptorChannelsExplorer(Explorer):
    """The four touch-channel thresholds, the current (f, A) point, and which spindle endings follow each cycle."""

    title = "Which receptors feel it"
    intro = ("Left: the smallest vibration each touch channel can detect (lower = more sensitive) and your setting "
             "(the dot). Right: how often a muscle-spindle primary ending fires for each frequency of tendon "
             "vibration. Teaching curves with approximate levels.")
    controls = (
        _frequency_slider(),
        _amplitude_slider(0.5),
    )
    presets = {  # illustrative settings (ours)
        "Faint buzz (250 Hz, 0.01 mm)": {"frequency_hz": 250, "amplitude_mm": 0.01},
        "Flutter (20 Hz, 0.05 mm)": {"frequency_hz": 20, "amplitude_mm": 0.05},
        "Tendon vibration (80 Hz, 1 mm)": {"frequency_hz": 80, "amplitude_mm": 1.0},
        "Fast buzz (200 Hz, 0.5 mm)": {"frequency_hz": 200, "amplitude_mm": 0.5},
    }
    figsize = (8.0, 4.8)

    def build(self, fig):
        ax_t, ax_s = fig.subplots(1, 2, width_ratios=[1.25, 1.0])
        f = np.geomspace(*receptors.THRESHOLD_FREQUENCY_RANGE_HZ, 300)
        for ch, curve in receptors.channel_thresholds_db(f).items():
            colour, ls = _CHANNEL_STYLE[ch]
            ax_t.plot(f, curve, color=colour, ls=ls, label=f"{ch} ({receptors.CHANNEL_RECEPTOR[ch]})")
        ax_t.set_xscale("log")
        ax_t.set_xlim(*receptors.THRESHOLD_FREQUENCY_RANGE_HZ)
        ax_t.set_ylim(-30, 95)
        ax_t.set_xlabel(axis_label("Frequency", "Hz"))
        ax_t.set_ylabel(axis_label("Threshold and vibration level", "dB re 1 µm"))
        ax_t.set_title("Touch thresholds")
        ax_t.xaxis.set_major_formatter(_PLAIN)
        ax_t.legend(loc="upper left", fontsize="x-small", frameon=True, framealpha=0.9)
        self.point = ax_t.scatter([50], [0], s=60, color=PALETTE["vermillion"], zorder=4)
        self.stem = ax_t.vlines([50], [-30], [0], color=PALETTE["vermillion"], lw=1.2, ls=":")
        self.levels = ax_t.text(0.02, 0.03, "", transform=ax_t.transAxes, fontsize="x-small", va="bottom",
                                family="monospace")

        fs = np.geomspace(*vibration.FREQUENCY_RANGE_HZ, 300)
        ax_s.plot(fs, fs, color="#999999", lw=1, ls=":", label="once per cycle")
        ax_s.plot(fs, receptors.spindle_following(fs, "typical").firing_rate_hz, color=PALETTE["blue"],
                  label="typical ending")
        ax_s.plot(fs, receptors.spindle_following(fs, "best").firing_rate_hz, color=PALETTE["orange"], ls="--",
                  label="best endings")
        ax_s.set_xscale("log")
        ax_s.set_yscale("log")
        ax_s.set_xlim(*vibration.FREQUENCY_RANGE_HZ)
        ax_s.set_ylim(1, 400)
        ax_s.xaxis.set_major_formatter(_PLAIN)
        ax_s.yaxis.set_major_formatter(_PLAIN)
        ax_s.set_xlabel(axis_label("Vibration frequency", "Hz"))
        ax_s.set_ylabel(axis_label("Spindle firing rate", "signals/s"))
        ax_s.set_title("Spindles follow up to ~80 Hz")
        ax_s.legend(loc="upper left", fontsize="x-small", frameon=True)
        self.spindle_points = ax_s.scatter([50, 50], [50, 50], s=50, color=[PALETTE["blue"], PALETTE["orange"]],
                                           zorder=4, edgecolors="white")
        self.axes = (ax_t, ax_s)
        return [self.point, self.stem, self.levels, self.spindle_points]

    def update(self, values):
        f, a_mm = values["frequency_hz"], values["amplitude_mm"]
        level = receptors.displacement_db(a_mm)
        above = receptors.db_above_threshold(a_mm, f)
        self.point.set_offsets([[f, level]])
        self.stem.set_segments([[[f, -30], [f, level]]])
        self.levels.set_text("dB above threshold\n" + "\n".join(f"{ch:<6} {above[ch]:+5.0f}"
                                                              for ch in receptors.CHANNELS))
        typ = receptors.spindle_following(f, "typical")
        best = receptors.spindle_following(f, "best")
        self.spindle_points.set_offsets([[f, typ.firing_rate_hz], [f, best.firing_rate_hz]])
        felt = [ch for ch in receptors.CHANNELS if above[ch] > 0]
        felt_txt = (f"above the threshold of {', '.join(felt)} (most: {max(above, key=above.get)}, "
                    f"{max(above.values()):.0f} dB above its threshold)" if felt
                    else "below every channel's threshold: not felt")
        if a_mm < receptors.SPINDLE_DRIVING_AMPLITUDE_MM:
            spindle = (f"the studies we cite drove spindle endings with {receptors.SPINDLE_DRIVING_AMPLITUDE_MM:g} mm "
                       f"or more (0.2–0.5 mm), so below that the right panel does not apply")
        elif typ.ratio == 1:
            spindle = "a typical spindle ending fires once per cycle"
        else:
            n = round(1 / typ.ratio)
            spindle = (f"a typical spindle ending can no longer follow every cycle: it fires on every "
                       f"{_ORDINAL[n]} cycle ({typ.firing_rate_hz:.0f} signals per second"
                       + ("; every 4th is the model's extrapolation, the studies saw every 2nd or 3rd)" if n > 3
                          else ")")
                       + ("" if best.ratio == 1 else "; even the best endings skip cycles"))
        return (f"<b>{a_mm:.3g} mm</b> is <b>{level:.0f} dB</b> re 1 µm. At <b>{f:.3g} Hz</b> it lies {felt_txt}. "
                f"Tendon vibration at this size and frequency: {spindle}.")


# ============================================================================================== notebook 07
_T_MAX_MIN = vibration.DURATION_RANGE_MIN[1]
_WAVE_WINDOW_MS = float(session.WAVEFORM_TIME_MS[-1])

_PANEL_TITLES = {"waveform": "Waveform", "nervous": "Nervous system", "vessels": "Blood flow", "pain": "Pain relief"}
_SITE_WORDS = {"forearm": "forearm skin", "finger": "finger"}
_LINES = "<div style='line-height:1.4'>{}</div>"  # ipywidgets' HTML line height (28 px) would waste a screen
_NERVE_WORDS = {
    "net excitation": "<b>net excitation</b>",
    "net inhibition": "<b>net inhibition</b>",
    "roughly balanced": "<b>roughly balanced</b>",
}
_NERVE_WHY = {
    "net excitation": "the tonic vibration reflex outweighs reflex depression",
    "net inhibition": "reflex depression outweighs the tonic vibration reflex",
    "roughly balanced": "the tonic vibration reflex and reflex depression about cancel",
}


def _time_axis(ax) -> None:
    """Shared time axis of the three time panels: linear over the first minute, logarithmic beyond."""
    ax.set_xscale("symlog", linthresh=1.0, linscale=0.6)
    ax.set_xlim(0, _T_MAX_MIN)
    ax.xaxis.set_major_locator(FixedLocator([0, 0.5, 1, 2, 5, 10, 20, 45]))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.xaxis.set_major_formatter(_PLAIN)
    ax.set_xlabel(axis_label("Time since vibration began", "min"))


def _verdict_html(s: session.VibrationSession) -> tuple[str, str]:
    """The 07 explorer's short verdict line and its details, as HTML, for one session.

    Args:
        s: A :class:`~course_utils.models.session.VibrationSession` (from
            :func:`~course_utils.models.session.vibration_session`).

    Returns:
        ``(short, details)``: two or three lines for under the figure, and the longer explanation shown on demand.

    Notebook: 07_vibration_effects.
    """
    if not isinstance(s, session.VibrationSession):
        raise TypeError(f"s must be a VibrationSession from vibration_session(); got {s!r:.60} of type "
                        f"{type(s).__name__}.")
    where = _SITE_WORDS[s.site]
    ev = dict(s.evidence)
    warning = ""
    if s.extreme:
        warning = (f"<br><span style='color:#B00020'>⚠ {_fmt(s.peak_acceleration_m_s2)} m/s² "
                   f"({_fmt(s.peak_acceleration_g)} g) peak is physically extreme: above the roughly 890 m/s² a "
                   f"massage gun could reach in free air, so the models only extrapolate here.</span>")
    if s.duration_min == 0:
        short = ("<b>Duration 0 min: nothing has happened yet.</b> Move the Duration slider to start the session; "
                 "the dashed line in the time panels follows it." + warning)
        return (_LINES.format(short),
                "Start a session (Duration above 0 min) to see what it does and how good the evidence is.")
    if s.pain_verdict == "more pain":
        later = (f"{s.relief_later_pct:.0f}% relief" if s.relief_later_pct >= 0
                 else f"{-s.relief_later_pct:.0f}% worse")
        pain_txt = f"<b>more pain</b> ({-s.relief_end_pct:.0f}% worse); {later} after 3 h"
    else:
        pain_txt = f"<b>{s.pain_verdict}</b> {s.relief_end_pct:.0f}% ({s.relief_later_pct:.0f}% after 3 h)"
    short = (f"<b>After {_fmt(s.duration_min)} min at {_fmt(s.frequency_hz)} Hz, {_fmt(s.amplitude_mm)} mm, "
             f"{s.force_n:.0f} N:</b> nerves {_NERVE_WORDS[s.nervous_verdict]} · {where} "
             f"<b>{s.vasomotor_verdict}</b> ({s.blood_flow_end:.2f} × before) · "
             f"{pain_txt}.<br><span style='color:#555;font-size:0.9em'>Evidence: nerves "
             f"<i>{ev['nervous']}</i> (switch time illustrative) · vessels "
             f"<i>{ev['vessels']}</i> · pain <i>{ev['pain']}</i>.</span>" + warning)
    details = (
        f"<p style='margin:0.2em 0'><b>Nervous system:</b> {_NERVE_WORDS[s.nervous_verdict]}: "
        f"{_NERVE_WHY[s.nervous_verdict]} (net score {s.net_index_end:+.2f}; + excites, − inhibits reflexes). "
        f"Evidence: <i>{ev['nervous']}</i> (box C22). The time at "
        f"which the black curve crosses zero comes from our chosen model parameters: it is illustrative, not "
        f"measured. While the vibration runs the tendon jerk is <b>depressed</b> to "
        f"{100 * s.tendon_reflex_end:.0f}% of before, not restored.</p>"
        f"<p style='margin:0.2em 0'><b>Blood flow ({where}):</b> <b>{s.vasomotor_verdict}</b>, "
        f"{s.blood_flow_end:.2f} × baseline at the end. Evidence: <i>{ev['vessels']}</i> (box C23). "
        f"Forearm skin widens with 30–50 Hz vibration, even strong platform vibration (leg skin too, at a "
        f"frequency not reported in what we could read); finger vessels narrow, during vibration and after it, "
        f"at 31.5 Hz and more at 125 Hz. The site, not the intensity, is the documented difference (the studies "
        f"also differed in method). Sizes are ours.</p>"
        f"<p style='margin:0.2em 0'><b>Pain:</b> {pain_txt}; the gate alone gives {s.gate_relief_pct:.0f}% at once. "
        f"Evidence: <i>{ev['pain']}</i> (box C24: mostly uncontrolled case series, and one small sham-controlled "
        f"trial whose sham, electrodes without current, did not disguise the vibration). The pain model has no "
        f"body site: <b>Blood flow at</b> does not change it.</p>"
        f"<p style='margin:0.2em 0'>Peak acceleration {_fmt(s.peak_acceleration_m_s2)} m/s² "
        f"({_fmt(s.peak_acceleration_g)} g; {_fmt(s.rms_acceleration_m_s2)} m/s² r.m.s.). Pressing force moves only "
        f"the pain panel: the nerve and vessel models leave it out, and the waveform is the applicator's own.</p>")
    return _LINES.format(short), details


class VibrationExplorer(Explorer):
    """The 07 vibration explorer: four linked panels (waveform, nervous system, blood flow, pain) and a verdict.

    Every update makes one call to :func:`~course_utils.models.session.vibration_session` and draws what it returns.
    """

    title = "The vibration explorer"
    intro = ""  # the notebook explains the panels just above; the explorer must fit one screen (about 780 px)
    controls = (
        _frequency_slider(),
        _amplitude_slider(1.0),
        Slider("force_n", "Pressing force", "N", *vibration.FORCE_RANGE_N, value=20, step=1, fmt=".0f"),
        Slider("duration_min", "Duration", "min", *vibration.DURATION_RANGE_MIN, value=10, step=0.5, fmt=".1f"),
        Choice("site", "Blood flow at", bloodflow.SITES, "forearm"),
    )
    # Settings chosen to show each effect (ours). Pain relief: Lundeberg 1983 (100 Hz, 30 min). Massage gun:
    # 40 Hz, stroke ~10 mm (science.md §6). Power tool: Bovenzi & Griffin 1997, 87 m/s² r.m.s. (unweighted) at
    # 125 Hz for 30 min; peak = √2 × 87 = 123 m/s², A = 123 / (2π·125)² = 0.20 mm (the test computes it).
    presets = {
        "Gentle and long": {"frequency_hz": 50, "amplitude_mm": 0.2, "force_n": 10, "duration_min": 20,
                           "site": "forearm"},
        "Short and strong": {"frequency_hz": 100, "amplitude_mm": 1.5, "force_n": 30, "duration_min": 1,
                             "site": "forearm"},
        "Tendon reflex": {"frequency_hz": 100, "amplitude_mm": 1.0, "force_n": 20, "duration_min": 0.5,
                          "site": "forearm"},
        "Pain relief": {"frequency_hz": 100, "amplitude_mm": 1.0, "force_n": 30, "duration_min": 30,
                        "site": "forearm"},
        "Massage gun": {"frequency_hz": 40, "amplitude_mm": 5.0, "force_n": 40, "duration_min": 5, "site": "forearm"},
        "Power tool": {"frequency_hz": 125, "amplitude_mm": 0.2, "force_n": 50, "duration_min": 30, "site": "finger"},
    }
    figsize = (8.3, 4.6)
    projector_max_height_px = 520  # the text line and the details under it fill the rest of a 720-px screen

    def __init__(self) -> None:
        self.details = w.HTML()
        self.details_box = w.Accordion(children=[self.details], titles=("Why, and how good is the evidence?",),
                                       selected_index=None)
        super().__init__()
        site = self.controls_by_name["site"].layout  # the label beside its buttons, not above them
        site.display, site.align_items, site.width = "flex", "center", "auto"

    def build(self, fig):
        (ax_w, ax_n), (ax_b, ax_p) = fig.subplots(2, 2)
        self.axes = {"waveform": ax_w, "nervous": ax_n, "vessels": ax_b, "pain": ax_p}
        self.t_ms = session.WAVEFORM_TIME_MS
        self.t_min = session.SESSION_TIME_MIN
        animated = []
        # Titles are static: numbers that change go to the text line below (HTML is cheap; re-rendering four
        # titles on every tick cost about 7 ms of the kernel's 25 ms).
        for key, ax in self.axes.items():
            ax.set_title(_PANEL_TITLES[key], fontsize="medium", pad=3)

        # --- waveform: each trace scaled to its own peak; the numbers are written in the panel, under the legend
        ax_w.set_xlim(0, _WAVE_WINDOW_MS)
        # room above the traces for the legend and two lines of numbers (more in projector mode's larger text)
        ax_w.set_ylim(-1.2, 3.7 if is_projector_mode() else 2.8)
        ax_w.set_yticks([-1, 0, 1])
        ax_w.set_xlabel(axis_label("Time", "ms"))
        ax_w.set_ylabel(axis_label("Value / peak", "relative"))
        (self.disp_line,) = ax_w.plot([], [], color=PALETTE["blue"], lw=1.6, label="displacement")
        (self.acc_line,) = ax_w.plot([], [], color=PALETTE["vermillion"], lw=1.2, ls="--", label="acceleration")
        ax_w.legend(loc="upper left", ncols=2, fontsize="x-small", frameon=False, handlelength=1.8,
                    borderaxespad=0.2, columnspacing=1.0)
        self.wave_text = ax_w.text(0.02, 0.8 if is_projector_mode() else 0.84, "", transform=ax_w.transAxes,
                                   fontsize="x-small", va="top")
        animated += [self.disp_line, self.acc_line, self.wave_text]

        # --- nervous system
        _time_axis(ax_n)
        ax_n.set_ylim(-1.05, 1.15)
        ax_n.axhline(0, color="#777777", lw=0.8)
        ax_n.axhspan(0, 1.15, color=PALETTE["orange"], alpha=0.07, lw=0)
        ax_n.axhspan(-1.05, 0, color=PALETTE["sky"], alpha=0.10, lw=0)
        ax_n.text(0.99, 0.97, "excitation", transform=ax_n.transAxes, ha="right", va="top", fontsize="x-small",
                  color="#8a5a00")
        ax_n.text(0.99, 0.03, "inhibition", transform=ax_n.transAxes, ha="right", va="bottom", fontsize="x-small",
                  color="#1f5f80")
        ax_n.set_ylabel(axis_label("Level", "relative"))
        (self.drive_line,) = ax_n.plot([], [], color=PALETTE["sky"], lw=1.2, ls=":", label="TVR drive")
        (self.tvr_line,) = ax_n.plot([], [], color=PALETTE["blue"], lw=1.5, label="tonic reflex")
        (self.phasic_line,) = ax_n.plot([], [], color=PALETTE["orange"], lw=1.3, ls="-.", label="tendon reflex")
        (self.net_line,) = ax_n.plot([], [], color=PALETTE["black"], lw=2.0, label="net effect")
        (self.net_after,) = ax_n.plot([], [], color=PALETTE["black"], lw=1.0, ls=":", alpha=0.6)
        self.net_dot = ax_n.scatter([0], [0], s=40, color=PALETTE["black"], zorder=5)
        self.dur_lines = [ax.axvline(0, color=PALETTE["vermillion"], ls="--", lw=1.2)
                          for ax in (ax_n, ax_b, ax_p)]
        ax_n.legend(handles=[self.drive_line, self.tvr_line, self.phasic_line, self.net_line], loc="lower left",
                    ncols=2, fontsize="x-small", frameon=True, framealpha=0.9, handlelength=1.6,
                    borderaxespad=0.3, columnspacing=0.8)
        animated += [self.drive_line, self.tvr_line, self.phasic_line, self.net_line, self.net_after, self.net_dot]

        # --- blood flow at the chosen site
        _time_axis(ax_b)
        ax_b.set_ylim(0, 2.3)
        ax_b.axhline(1, color="#777777", lw=0.8)
        ax_b.text(0.02, 0.97, "dilation", transform=ax_b.transAxes, va="top", fontsize="x-small", color="#555555")
        ax_b.text(0.02, 0.03, "constriction", transform=ax_b.transAxes, va="bottom", fontsize="x-small",
                  color="#555555")
        self.site_text = ax_b.text(0.98, 0.97, "", transform=ax_b.transAxes, ha="right", va="top",
                                   fontsize="x-small", color=PALETTE["green"], fontweight="bold", zorder=6,
                                   bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5})
        ax_b.set_ylabel(axis_label("Flow / baseline", "ratio"))
        (self.flow_line,) = ax_b.plot([], [], color=PALETTE["green"], lw=2.0)
        (self.flow_after,) = ax_b.plot([], [], color=PALETTE["green"], lw=1.0, ls=":", alpha=0.7)
        self.flow_dot = ax_b.scatter([0], [1], s=40, color=PALETTE["green"], zorder=5)
        animated += [self.flow_line, self.flow_after, self.flow_dot]

        # --- pain
        _time_axis(ax_p)
        ax_p.set_ylim(-30, 85)
        ax_p.axhline(0, color="#777777", lw=0.8)
        ax_p.set_ylabel(axis_label("Relief", "% of before"))
        (self.relief_line,) = ax_p.plot([], [], color=PALETTE["purple"], lw=2.0, label="relief")
        (self.gate_line,) = ax_p.plot([], [], color=PALETTE["purple"], lw=1.0, ls="--", label="gate alone (at once)")
        self.relief_dot = ax_p.scatter([0], [0], s=40, color=PALETTE["purple"], zorder=5)
        ax_p.legend(handles=[self.relief_line, self.gate_line], loc="upper left", fontsize="x-small",
                    frameon=True, framealpha=0.9, borderaxespad=0.3)
        animated += [self.relief_line, self.gate_line, self.relief_dot]
        return animated + self.dur_lines + [self.site_text]  # the site label is drawn over the dashed line

    # ------------------------------------------------------------------------------------------ update
    def update(self, values):
        s = session.vibration_session(values["frequency_hz"], values["amplitude_mm"], values["force_n"],
                                      values["duration_min"], values["site"])
        self.session = s
        t, during, dur = s.time_min, s.during, s.duration_min

        # waveform
        self.disp_line.set_data(self.t_ms, s.displacement_mm / s.amplitude_mm)
        self.acc_line.set_data(self.t_ms, s.acceleration_m_s2 / s.peak_acceleration_m_s2)
        self.wave_text.set_text(f"peak {_fmt(s.amplitude_mm)} mm → {_fmt(s.peak_acceleration_m_s2)} m/s² "
                                f"({_fmt(s.peak_acceleration_g)} g)\n"
                                f"{_fmt(s.frequency_hz * _WAVE_WINDOW_MS / 1000)} cycles in "
                                f"{_WAVE_WINDOW_MS:.0f} ms")

        # nervous system
        self.drive_line.set_data([0, _T_MAX_MIN], [s.tvr_drive, s.tvr_drive])
        self.tvr_line.set_data(t[during], s.tvr[during])
        self.phasic_line.set_data(t[during], s.phasic_reflex[during])
        self.net_line.set_data(t[during], s.net_index[during])
        self.net_after.set_data(t[~during], s.net_index[~during])
        self.net_dot.set_offsets([[dur, s.net_index_end]])

        # blood flow
        self.site_text.set_text(_SITE_WORDS[s.site])
        self.flow_line.set_data(t[during], s.blood_flow[during])
        self.flow_after.set_data(t[~during], s.blood_flow[~during])
        self.flow_dot.set_offsets([[dur, s.blood_flow_end]])

        # pain
        self.relief_line.set_data(t, s.relief_pct)
        self.gate_line.set_data(t[during], np.full(int(during.sum()), s.gate_relief_pct))
        self.relief_dot.set_offsets([[dur, s.relief_end_pct]])
        for line in self.dur_lines:
            line.set_xdata([dur, dur])

        short, details = _verdict_html(s)
        self.details.value = details
        return short

    def _below_text(self):
        """The verdict's details on demand, under the text line (see :meth:`Explorer.widget`)."""
        return [self.details_box]
