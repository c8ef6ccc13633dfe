"""The explorer base: interactive panels that later notebooks build on.

An explorer is a set of controls (each with its unit and the model's valid range), a Matplotlib figure built
once, presets, a Reset to the start-up state, a plain-language line that says what the current setting does,
and a message area where a failed update shows a short, friendly message instead of a traceback.

Speed: the figure is drawn in full only when it is first shown (or resized). After that, each change of a
control redraws only the artists that move, onto a saved background (blitting), so the kernel renders and
sends only the changed pixels; when the controls pause, one complete frame follows. The slider widgets of
ipywidgets send a new value only after the kernel has handled the previous one, so a fast drag never piles up
a backlog: the latest value wins. Every draw of the figure holds one lock, because the kernel may handle widget
messages in more than one thread.

A subclass defines ``controls``, ``presets`` and two methods::

    class MyExplorer(Explorer):
        title = "Pressure into depth"
        controls = (Slider("force_n", "Force", "N", 1, 100, 20, 1),)
        presets = {"Light": {"force_n": 5}}

        def build(self, fig):          # called once: axes, static artists
            ax = fig.add_subplot()
            (self.line,) = ax.plot([], [])
            return [self.line]         # the artists that change with the controls

        def update(self, values):      # called on every change: set data, return the text line
            self.line.set_data(...)
            return "What this setting does, in one or two plain sentences."
"""

from __future__ import annotations

import asyncio
import html
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .plots import is_projector_mode
from .validation import check_bool, check_choice, check_number

__all__ = ["Slider", "Choice", "Explorer", "friendly_error"]


@dataclass(frozen=True)
class Slider:
    """A numeric control with its unit and the model's valid range.

    Attributes:
        name: Parameter name passed to ``update`` (e.g. ``"force_n"``).
        label: What the learner reads (e.g. ``"Force"``); the unit is added in brackets.
        unit: Unit shown beside the label (e.g. ``"N"``).
        low, high: Valid range of the model, in ``unit``.
        value: Start-up value (what Reset returns to).
        step: Step of the slider, in ``unit`` (ignored for logarithmic sliders).
        log: If true, a logarithmic slider (for ranges spanning decades, e.g. 1–300 Hz).
        fmt: Format of the read-out, e.g. ``".1f"``.
    """

    name: str
    label: str
    unit: str
    low: float
    high: float
    value: float
    step: float = 0.0
    log: bool = False
    fmt: str = ".3g"

    def __post_init__(self) -> None:
        for attr in ("name", "label", "unit"):
            _check_text(f"Slider.{attr}", getattr(self, attr))
        if not isinstance(self.fmt, str):
            raise TypeError(f"Slider.fmt must be a format string such as '.1f'; got {self.fmt!r:.60}.")
        try:
            format(1.0, self.fmt)
        except ValueError:
            raise ValueError(f"Slider.fmt must be a number format such as '.1f'; got {self.fmt!r:.60}.") from None
        check_bool(f"{self.name}.log", self.log)
        check_number(f"{self.name}.low", self.low, unit=self.unit)
        check_number(f"{self.name}.high", self.high, unit=self.unit, low=self.low, low_open=True)
        check_number(f"{self.name}.step", self.step, unit=self.unit, low=0, high=self.high - self.low)
        check_number(f"{self.name}.value", self.value, unit=self.unit, low=self.low, high=self.high)
        if self.log:
            check_number(f"{self.name}.low", self.low, unit=self.unit, low=0, low_open=True)

    def make_widget(self, width: str) -> w.Widget:
        common = {
            "description": f"{self.label} ({self.unit})",
            "continuous_update": True,
            "readout_format": self.fmt,
            "style": {"description_width": "initial"},
            "layout": w.Layout(width=width),
        }
        if self.log:
            return w.FloatLogSlider(value=self.value, base=10, min=float(np.log10(self.low)),
                                    max=float(np.log10(self.high)), step=0.01, **common)
        step = self.step or (self.high - self.low) / 200
        return w.FloatSlider(value=self.value, min=self.low, max=self.high, step=step, **common)

    def clamp(self, value: float) -> float:
        """Return ``value`` limited to the valid range (typed values outside it are clamped, never refused)."""
        x = check_number(self.name, value, unit=self.unit)
        return min(max(x, self.low), self.high)


@dataclass(frozen=True)
class Choice:
    """A control with a few named options (e.g. the lubricant: dry, lotion, oil)."""

    name: str
    label: str
    options: tuple[str, ...]
    value: str

    def __post_init__(self) -> None:
        _check_text("Choice.name", self.name)
        _check_text("Choice.label", self.label)
        if isinstance(self.options, str) or not isinstance(self.options, (tuple, list)) or len(self.options) < 2:
            raise TypeError(f"Choice.options must be a tuple of at least two option names; got {self.options!r:.60}.")
        for option in self.options:
            _check_text("Choice.options", option)
        check_choice(f"{self.name}.value", self.value, self.options)

    def make_widget(self, width: str) -> w.Widget:
        return w.ToggleButtons(options=list(self.options), value=self.value, description=self.label,
                               style={"description_width": "initial", "button_width": "auto"},
                               layout=w.Layout(width=width))

    def clamp(self, value: str) -> str:
        return check_choice(self.name, value, self.options)


def _check_text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{name} must be a non-empty string; got {value!r:.60}.")
    return value


def friendly_error(exc: BaseException) -> str:
    """Turn an exception into one short sentence for a learner (no traceback)."""
    if not isinstance(exc, BaseException):
        raise TypeError(f"exc must be an exception; got {exc!r:.60} of type {type(exc).__name__}.")
    if isinstance(exc, (ValueError, TypeError)):
        reason = str(exc).strip() or type(exc).__name__
    else:
        reason = f"an unexpected problem inside the model ({type(exc).__name__})"
    return f"That setting could not be shown: {reason} Try another value, or press Reset."


class Explorer:
    """Base class of every explorer in the course (see the module docstring for how to write one).

    Attributes set for subclasses and tests:
        fig: The Matplotlib figure (built once).
        controls_by_name: The control widgets, by parameter name.
        text: The HTML widget holding the plain-language description of the current state.
        message: The HTML widget where a failed update shows its short message.
        last_update_ms: Kernel time of the last update, in milliseconds (model + redraw + image).
    """

    title: str = ""
    intro: str = ""
    controls: Sequence[Slider | Choice] = ()
    presets: Mapping[str, Mapping[str, object]] = {}
    figsize: tuple[float, float] = (8.0, 4.2)
    blit: bool = True
    """Redraw only the moving artists on each change (fast). ``False`` redraws the whole figure (slow; kept as a
    fallback and as the baseline the benchmarks compare against)."""
    full_frame_delay_s: float = 0.15
    """After the controls stop for this long (s), one complete frame is sent (see ``_schedule_full_frame``)."""

    def __init__(self) -> None:
        if not self.controls:
            raise TypeError(f"{type(self).__name__} defines no controls; give it a `controls` tuple.")
        self._specs = {c.name: c for c in self.controls}
        for preset, values in self.presets.items():
            unknown = set(values) - set(self._specs)
            if unknown:
                raise ValueError(f"Preset {preset!r} sets unknown control(s) {sorted(unknown)}; "
                                 f"known: {sorted(self._specs)}.")
        self._batch = False
        self._lock = threading.RLock()
        self._background = None
        self._background_renderer = None
        self._full_frame_timer: asyncio.TimerHandle | None = None
        self.last_update_ms = float("nan")
        self.last_error: str | None = None

        width = "100%" if is_projector_mode() else "95%"
        self.controls_by_name: dict[str, w.Widget] = {c.name: c.make_widget(width) for c in self.controls}
        self.text = w.HTML(layout=w.Layout(min_height="3em"))
        self.message = w.HTML()
        self.preset_buttons = {name: w.Button(description=name, tooltip=f"Preset: {name}",
                                              layout=w.Layout(width="auto"))
                               for name in self.presets}
        self.reset_button = w.Button(description="Reset", icon="undo", button_style="warning",
                                     tooltip="Back to the start-up setting", layout=w.Layout(width="auto"))
        for name, button in self.preset_buttons.items():
            button.on_click(lambda _b, name=name: self.apply_preset(name))
        self.reset_button.on_click(lambda _b: self.reset())

        with plt.ioff():
            self.fig = plt.figure(figsize=self.figsize, layout="constrained")
        self._prepare_canvas()
        animated = self.build(self.fig)
        self._animated = list(animated)
        for artist in self._animated:
            artist.set_animated(True)
        self.fig.canvas.mpl_connect("draw_event", self._on_full_draw)

        for widget in self.controls_by_name.values():
            widget.observe(self._on_change, names="value")
        self.refresh()

    # ----------------------------------------------------------------- subclass API
    def build(self, fig):  # pragma: no cover - abstract
        """Create axes and artists once; return the artists that change with the controls."""
        raise NotImplementedError

    def update(self, values: dict[str, object]) -> str:  # pragma: no cover - abstract
        """Update the moving artists for ``values`` and return the plain-language text line (HTML allowed)."""
        raise NotImplementedError

    # ----------------------------------------------------------------- state
    @property
    def values(self) -> dict[str, object]:
        """The current value of every control, by parameter name."""
        # Clamped: a log slider at its top end reports 10**log10(high), which can exceed high by a rounding error.
        return {name: self._specs[name].clamp(widget.value) for name, widget in self.controls_by_name.items()}

    def set_values(self, **values: object) -> None:
        """Set several controls at once (values outside a control's range are clamped) and redraw once."""
        unknown = set(values) - set(self._specs)
        if unknown:
            raise ValueError(f"Unknown control(s) {sorted(unknown)}; this explorer has {sorted(self._specs)}.")
        clamped = {name: self._specs[name].clamp(v) for name, v in values.items()}
        self._batch = True
        try:
            for name, v in clamped.items():
                self.controls_by_name[name].value = v
        finally:
            self._batch = False
        self.refresh()

    def apply_preset(self, name: str) -> None:
        """Set the controls to the preset ``name``."""
        name = check_choice("preset", name, list(self.presets))
        self.set_values(**self.presets[name])

    def reset(self) -> None:
        """Return every control to its start-up value."""
        self.set_values(**{c.name: c.value for c in self.controls})

    # ----------------------------------------------------------------- drawing
    def _prepare_canvas(self) -> None:
        canvas = self.fig.canvas
        for attr, value in (("header_visible", False), ("footer_visible", False), ("toolbar_visible", False),
                            ("resizable", False), ("capture_scroll", False)):
            if hasattr(canvas, attr):
                setattr(canvas, attr, value)
        manager = getattr(canvas, "manager", None)
        if manager is not None and hasattr(manager, "handle_json"):
            # ipykernel 7 may handle a widget's messages in a subshell thread while the main thread runs another
            # update: without a lock, the browser's "draw" request and a slider update drew into the same image at
            # once and half-drawn frames were sent. Every draw of this figure goes through self._lock.
            handle_json = manager.handle_json

            def locked_handle_json(content, _handle=handle_json):
                with self._lock:
                    return _handle(content)

            manager.handle_json = locked_handle_json

    def _on_full_draw(self, _event) -> None:
        """After a full draw: save the static background, then paint the moving artists on top."""
        canvas = self.fig.canvas
        if not hasattr(canvas, "copy_from_bbox"):
            return
        self._background = canvas.copy_from_bbox(self.fig.bbox)
        self._background_renderer = canvas.get_renderer()
        for artist in self._animated:
            self.fig.draw_artist(artist)

    def _redraw(self) -> None:
        canvas = self.fig.canvas
        # A saved background is only valid for the renderer it came from (savefig at another dpi makes a new one).
        if self._background is None or not self.blit or canvas.get_renderer() is not self._background_renderer:
            canvas.draw_idle()
            return
        canvas.restore_region(self._background)
        for artist in self._animated:
            self.fig.draw_artist(artist)
        canvas.blit(self.fig.bbox)
        self._schedule_full_frame()

    def _schedule_full_frame(self) -> None:
        """Send one complete frame shortly after the last change (ipympl only).

        A blit sends only the pixels that changed since the previous frame. ipympl's browser side shows just the
        newest image when two arrive almost together (e.g. a preset click and the slider's echo of a rounded
        value), so a change could be lost until the next one. A full frame, once the learner pauses, repairs that.
        """
        canvas = self.fig.canvas
        if not hasattr(canvas, "_force_full") or not hasattr(canvas.manager, "refresh_all"):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain Python): nothing is sent anyway
            return
        if self._full_frame_timer is not None:
            self._full_frame_timer.cancel()
        self._full_frame_timer = loop.call_later(self.full_frame_delay_s, self._send_full_frame)

    def _send_full_frame(self) -> None:
        with self._lock:
            self._full_frame_timer = None
            canvas = self.fig.canvas
            canvas._force_full = True
            canvas._png_is_old = True
            canvas.manager.refresh_all()

    def _on_change(self, _change) -> None:
        if not self._batch:
            self.refresh()

    def refresh(self) -> None:
        """Recompute the model for the current values and redraw; a failure shows a short message instead."""
        with self._lock:
            self._refresh()

    def _refresh(self) -> None:
        start = time.perf_counter()
        try:
            description = self.update(self.values)
            self._redraw()
        except Exception as exc:  # a learner must never see a traceback in an explorer
            self.last_error = "".join(traceback.format_exception(exc))
            self.message.value = (f'<div role="alert" style="color:#B00020;font-weight:600">'
                                  f"{html.escape(friendly_error(exc))}</div>")
            return
        self.last_error = None
        self.message.value = ""
        self.text.value = f'<div aria-live="polite" style="font-size:1.05em">{description}</div>'
        self.last_update_ms = (time.perf_counter() - start) * 1e3

    # ----------------------------------------------------------------- display
    def widget(self) -> w.Widget:
        """The whole explorer as one widget (controls, presets and Reset, figure, text line, message)."""
        header = [w.HTML(f"<h3 style='margin:0.2em 0'>{html.escape(self.title)}</h3>")] if self.title else []
        if self.intro:
            header.append(w.HTML(f"<p style='margin:0 0 0.4em 0'>{self.intro}</p>"))
        controls = w.GridBox(list(self.controls_by_name.values()),
                             layout=w.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))", width="100%"))
        buttons = w.HBox([w.Label("Presets:"), *self.preset_buttons.values(), self.reset_button],
                         layout=w.Layout(flex_flow="row wrap", align_items="center"))
        figure = self.fig.canvas if isinstance(self.fig.canvas, w.DOMWidget) else self._static_figure()
        return w.VBox([*header, controls, buttons, figure, self.text, self.message])

    def _static_figure(self) -> w.Widget:
        """Fallback when the interactive backend is off: a still image, with a hint how to get the live one."""
        out = w.Output()
        with out:
            from IPython.display import display

            display(self.fig)
            print("Tip: run `%matplotlib widget` in the setup cell to get a live figure.")
        return out

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())
