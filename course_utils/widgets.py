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
import math
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
from traitlets import TraitError, validate

from .plots import (
    PROJECTOR_CSS_CLASS,
    PROJECTOR_FIGURE_MAX_HEIGHT_PX,
    PROJECTOR_SIDE_PX,
    figure_dpi,
    is_projector_mode,
    page_helpers_html,
    pixel_exact_figsize,
    projector_figsize,
    projector_min_font_pt,
    raise_small_text,
)
from .validation import check_bool, check_choice, check_number

RESET_BUTTON_STYLE = {"button_color": "#B34700", "text_color": "white"}
"""Reset buttons: dark orange with white text (contrast 5.5 : 1, WCAG AA); ipywidgets' "warning" is 2.2 : 1."""

__all__ = ["Slider", "Choice", "Explorer", "friendly_error", "nice_log_grid"]

_NICE_MANTISSAS = ("1", "1.2", "1.5", "2", "2.5", "3", "4", "5", "6", "8")
"""The round values of each decade offered by a logarithmic slider (× 10^k)."""
_REL_TOL = 1e-9  # two grid values closer than this (relative) are the same value


def nice_log_grid(low: float, high: float) -> tuple[float, ...]:
    """The round values 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k between ``low`` and ``high``, and both ends.

    A logarithmic slider offers these values only, so every value it shows is a round number typed exactly as
    a course author would type it (``float("1.5e-1") == 0.15``).

    Args:
        low: Smallest value (> 0), in the control's unit.
        high: Largest value (> ``low``), in the control's unit.

    Returns:
        The grid, sorted, from ``low`` to ``high`` inclusive.

    Example:
        >>> nice_log_grid(5, 20)
        (5.0, 6.0, 8.0, 10.0, 12.0, 15.0, 20.0)
    """
    lo = check_number("low", low, unit="", low=0, low_open=True)
    hi = check_number("high", high, unit="", low=0, low_open=True)
    if not lo < hi <= 1e12 * lo:
        raise ValueError(f"high must be greater than low and at most 1e12 × low (twelve decades); "
                         f"got low = {lo:g}, high = {hi:g}.")
    values = [float(f"{m}e{k}") for k in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
              for m in _NICE_MANTISSAS]
    return _merge_grid([lo, hi], [v for v in values if lo < v < hi])


def _merge_grid(keep: Sequence[float], others: Sequence[float]) -> tuple[float, ...]:
    """Sorted union of two lists of positive values; where two are nearly equal, the one in ``keep`` wins."""
    merged: list[float] = []
    for v in sorted([(float(v), 0) for v in keep] + [(float(v), 1) for v in others]):
        if merged and abs(v[0] - merged[-1][0]) <= _REL_TOL * abs(v[0]):
            if v[1] < merged[-1][1]:
                merged[-1] = v
            continue
        merged.append(v)
    return tuple(v for v, _ in merged)


def _grid_label(value: float, fmt: str) -> str:
    """The read-out of one grid value: the control's format, or more digits where that format would hide it."""
    label = format(value, fmt)
    try:
        shown = float(label)
    except ValueError:
        return label
    return label if abs(shown - value) <= _REL_TOL * abs(value) else f"{value:.4g}"


class _GridSlider(w.SelectionSlider):
    """A slider over a list of numbers; a number set from Python moves it to the nearest one (never an error).

    ipywidgets' ``SelectionSlider`` refuses a value not in its options; an explorer's rule is that a typed value
    is clamped, never refused, so here a value is moved to the nearest option (nearest on a logarithmic scale).
    """

    @validate("value")
    def _validate_value(self, proposal):
        value = proposal.value
        options = self._options_values
        if value in options:
            return options[options.index(value)]
        try:
            x = float(value)
        except (TypeError, ValueError):
            raise TraitError(f"{self.description}: {value!r:.60} is not a number.") from None
        if math.isnan(x):
            raise TraitError(f"{self.description}: {value!r:.60} is not a number.")
        logs = np.log10(options)
        target = math.log10(x) if x > 0 else -math.inf
        return options[int(np.argmin(np.abs(logs - target))) if math.isfinite(target) else 0]


@dataclass(frozen=True)
class Slider:
    """A numeric control with its unit and the model's valid range.

    Attributes:
        name: Parameter name passed to ``update`` (e.g. ``"force_n"``).
        label: What the learner reads (e.g. ``"Force"``); the unit is added in brackets.
        unit: Unit shown beside the label (e.g. ``"N"``).
        low, high: Valid range of the model, in ``unit``.
        value: Start-up value (what Reset returns to).
        step: Step of the slider, in ``unit``; 0 means (high − low) / 200. Ignored for logarithmic sliders.
            ``value`` must lie on the grid ``low + k·step``.
        log: If true, a logarithmic slider (for ranges spanning decades, e.g. 1–300 Hz). It offers the round
            values of :func:`nice_log_grid` between ``low`` and ``high``, plus ``value`` and the explorer's preset
            values for it, so every value it shows is exactly a value the course meant (issue 8).
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
            if self.high / self.low > 1e12:
                raise ValueError(f"{self.name}.high / {self.name}.low must be at most 1e12 (twelve decades); "
                                 f"got {self.high:g} / {self.low:g} {self.unit}.")
        else:
            self.check_on_grid(f"{self.name}.value", self.value)

    @property
    def grid_step(self) -> float:
        """The step of a linear slider, in ``unit`` (``step``, or (high − low) / 200 when ``step`` is 0)."""
        return float(self.step) or (self.high - self.low) / 200

    def on_grid(self, value: float, extra: Sequence[float] = ()) -> bool:
        """Whether ``value`` is one the slider can show exactly (a grid value, or one of ``extra`` if log)."""
        x = check_number(self.name, value, unit=self.unit)
        if self.log:
            return any(abs(x - g) <= _REL_TOL * abs(g) for g in self.grid(extra))
        k = (x - self.low) / self.grid_step
        return self.low <= x <= self.high and abs(k - round(k)) <= 1e-6

    def check_on_grid(self, name: str, value: float) -> float:
        """Return ``value`` if it lies on this linear slider's grid; else raise a ValueError naming ``name``."""
        x = check_number(name, value, unit=self.unit, low=self.low, high=self.high)
        if not self.on_grid(x):
            step = self.grid_step
            below = self.low + math.floor((x - self.low) / step) * step
            raise ValueError(f"{name} must lie on the slider's grid {self.low:g} + k × {step:g} {self.unit} "
                             f"(so the browser shows it exactly); got {x:g} {self.unit}, between {below:g} and "
                             f"{below + step:g}. Choose a grid value or a finer step.")
        return x

    def grid(self, extra: Sequence[float] = ()) -> tuple[float, ...]:
        """The values a logarithmic slider offers: :func:`nice_log_grid`, ``value`` and ``extra`` (e.g. presets).

        For a linear slider, the values ``low + k·step`` (for tests and read-outs).
        """
        if self.log:
            extras = [self.value, *(check_number(f"{self.name} preset", v, unit=self.unit, low=self.low,
                                                 high=self.high) for v in extra)]
            return _merge_grid(extras, nice_log_grid(self.low, self.high))
        n = round((self.high - self.low) / self.grid_step)
        if n > 100_000:
            raise ValueError(f"{self.name}: the grid has {n} values (more than 100000); choose a larger step.")
        return tuple(self._linear_point(k) for k in range(n + 1) if self._linear_point(k) <= self.high)

    def _linear_point(self, k: int) -> float:
        # round away the binary error of low + k·step (0 + 3 × 0.1 = 0.30000000000000004 → 0.3)
        return round(self.low + k * self.grid_step, 12 - math.floor(math.log10(self.grid_step)))

    def snap(self, value: float, grid: Sequence[float] | None = None) -> float:
        """The grid value nearest to ``value``, after clamping it to the range (typed values are never refused).

        Args:
            value: A number in ``unit``.
            grid: A logarithmic slider's grid (from :meth:`grid`); default: ``grid()``. Ignored if linear.
        """
        x = self.clamp(value)
        if self.log:
            options = self.grid() if grid is None else grid
            return min(options, key=lambda g: abs(math.log10(g) - math.log10(x)))
        k = round((x - self.low) / self.grid_step)
        if abs(x - (self.low + k * self.grid_step)) <= 1e-9 * self.grid_step:
            return x  # on the grid already: keep the number exactly as given
        return min(max(self._linear_point(k), self.low), self.high)

    def make_widget(self, width: str, extra: Sequence[float] = ()) -> w.Widget:
        """The slider widget; ``extra`` adds values (an explorer's presets) to a logarithmic slider's grid."""
        common = {
            "description": f"{self.label} ({self.unit})",
            "continuous_update": True,
            "readout_format": self.fmt,
            "style": {"description_width": "initial"},
            "layout": w.Layout(width=width),
        }
        if self.log:
            # A FloatLogSlider snaps to its step in the browser and sends the snapped value back (40 → 39.8 Hz):
            # a slider over a list of exact values shows the values meant.
            del common["readout_format"]
            options = [(_grid_label(v, self.fmt), v) for v in self.grid(extra)]
            return _GridSlider(options=options, value=self.value, **common)
        return w.FloatSlider(value=self.value, min=self.low, max=self.high, step=self.grid_step, **common)

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

    def snap(self, value: str, grid: object = None) -> str:
        """The option ``value`` (as :meth:`clamp`; a Choice has no grid)."""
        return self.clamp(value)


def _check_text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{name} must be a non-empty string; got {value!r:.60}.")
    return value


def _hide_canvas_chrome(canvas) -> None:
    """Hide ipympl's header, footer and toolbar, fix the figure's size and let the page scroll over it."""
    for attr, value in (("header_visible", False), ("footer_visible", False), ("toolbar_visible", False),
                        ("resizable", False), ("capture_scroll", False)):
        if hasattr(canvas, attr):
            setattr(canvas, attr, value)


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
    projector_max_height_px: float = PROJECTOR_FIGURE_MAX_HEIGHT_PX
    """Height cap (screen px) of the figure in projector mode, so that it and the text line fit a 720-px screen."""
    full_frame_delay_s: float = 0.15
    """After the controls stop for this long (s), one complete frame is sent (see ``_schedule_full_frame``)."""

    def __init_subclass__(cls, **kwargs) -> None:
        """Check the presets when the class is defined: known controls, valid values, on each slider's grid."""
        super().__init_subclass__(**kwargs)
        cls._check_presets()

    @classmethod
    def _check_presets(cls) -> None:
        specs = {c.name: c for c in cls.controls}
        for preset, values in cls.presets.items():
            unknown = set(values) - set(specs)
            if unknown:
                raise ValueError(f"{cls.__name__}: preset {preset!r} sets unknown control(s) {sorted(unknown)}; "
                                 f"known: {sorted(specs)}.")
            for name, value in values.items():
                spec = specs[name]
                where = f"{cls.__name__} preset {preset!r}: {name}"
                if isinstance(spec, Choice):
                    check_choice(where, value, spec.options)
                elif spec.log:
                    check_number(where, value, unit=spec.unit, low=spec.low, high=spec.high)
                else:
                    spec.check_on_grid(where, value)

    def __init__(self) -> None:
        if not self.controls:
            raise TypeError(f"{type(self).__name__} defines no controls; give it a `controls` tuple.")
        self._specs = {c.name: c for c in self.controls}
        self._check_presets()
        # the values each control must show exactly: its start-up value and every preset's value for it
        preset_values = {name: [p[name] for p in self.presets.values() if name in p] for name in self._specs}
        self._grids = {c.name: c.grid(preset_values[c.name]) for c in self.controls
                       if isinstance(c, Slider) and c.log}
        self._batch = False
        self._lock = threading.RLock()
        self._background = None
        self._background_renderer = None
        self._full_frame_timer: asyncio.TimerHandle | None = None
        self.last_update_ms = float("nan")
        self.last_error: str | None = None

        width = "100%" if is_projector_mode() else "95%"
        self.controls_by_name: dict[str, w.Widget] = {
            c.name: c.make_widget(width, extra=preset_values[c.name]) if isinstance(c, Slider) else c.make_widget(width)
            for c in self.controls}
        self.text = w.HTML(layout=w.Layout(min_height="3em"))
        self.message = w.HTML()
        self.preset_buttons = {name: w.Button(description=name, tooltip=f"Preset: {name}",
                                              layout=w.Layout(width="auto"))
                               for name in self.presets}
        self.reset_button = w.Button(description="Reset", icon="undo", style=RESET_BUTTON_STYLE,
                                     tooltip="Back to the start-up setting", layout=w.Layout(width="auto"))
        for name, button in self.preset_buttons.items():
            button.on_click(lambda _b, name=name: self.apply_preset(name))
        self.reset_button.on_click(lambda _b: self.reset())

        with plt.ioff():
            dpi = figure_dpi(self.figsize[0])
            figsize = projector_figsize(self.figsize, self.projector_max_height_px)  # as is, in normal mode
            self.fig = plt.figure(figsize=pixel_exact_figsize(figsize, dpi), dpi=dpi, layout="constrained")
        # projector mode: no text of the figure under the projector's floor on screen (see _refresh)
        self._min_text_pt = projector_min_font_pt(dpi) if is_projector_mode() else None
        self._texts_raised = False
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
        """The current value of every control, by parameter name (numbers as floats, on the control's grid)."""
        return {name: self._specs[name].snap(widget.value, self._grids.get(name))
                for name, widget in self.controls_by_name.items()}

    def set_values(self, **values: object) -> None:
        """Set several controls at once and redraw once.

        A number outside a control's range is clamped, and one between its grid values moves to the nearest
        (the value the slider can show); a number that is not one (text, NaN) raises a ValueError/TypeError.
        """
        unknown = set(values) - set(self._specs)
        if unknown:
            raise ValueError(f"Unknown control(s) {sorted(unknown)}; this explorer has {sorted(self._specs)}.")
        clamped = {name: self._specs[name].snap(v, self._grids.get(name)) for name, v in values.items()}
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
        _hide_canvas_chrome(canvas)
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
            if self._min_text_pt is not None:
                # every text once, at the first update (build and update have made them all); then only the
                # moving artists, the ones an update changes (a whole-figure search costs 2-9 ms a tick)
                raise_small_text(self.fig if not self._texts_raised else self._animated, self._min_text_pt)
                self._texts_raised = True
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
        """The whole explorer as one widget (controls, presets and Reset, figure, text line, message).

        In projector mode the explorer is laid out side by side so that it fits a 1280 × 720 screen: title,
        controls, presets and Reset in a column on the left, the figure and the text line on the right, and the
        intro folded (the instructor talks over it). Where the page is too narrow for both (JupyterLab with its
        side bar), the figure goes under the column instead.
        """
        figure = self.fig.canvas if isinstance(self.fig.canvas, w.DOMWidget) else self._static_figure()
        # Projector CSS (scoped to the class below) and screen-reader names for the slider handles; not shown.
        helpers = w.HTML(page_helpers_html(is_projector_mode()), layout=w.Layout(display="none"))
        below = [self.text, *self._below_text(), self.message]
        if is_projector_mode():
            return self._projector_widget(figure, below, helpers)
        header = [w.HTML(f"<h3 style='margin:0.2em 0'>{html.escape(self.title)}</h3>")] if self.title else []
        if self.intro:
            header.append(w.HTML(f"<p style='margin:0 0 0.4em 0'>{self.intro}</p>"))
        controls = w.GridBox(list(self.controls_by_name.values()),
                             layout=w.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))", width="100%"))
        buttons = w.HBox([w.Label("Presets:"), *self.preset_buttons.values(), self.reset_button],
                         layout=w.Layout(flex_flow="row wrap", align_items="center"))
        return w.VBox([*header, controls, buttons, figure, *below, helpers])

    def _below_text(self) -> list[w.Widget]:
        """Widgets shown just under the text line (none here; an explorer may add, e.g., details on demand)."""
        return []

    def _projector_widget(self, figure: w.Widget, below: list[w.Widget], helpers: w.Widget) -> w.Widget:
        """Projector mode's side-by-side layout (see :meth:`widget`)."""
        side = [w.HTML(f"<h3 style='margin:0 0 0.2em 0'>{html.escape(self.title)}</h3>")] if self.title else []
        if self.intro:
            side.append(w.HTML(f"<details style='margin:0 0 0.3em 0'><summary>About this explorer</summary>"
                               f"<p style='margin:0.2em 0'>{self.intro}</p></details>"))
        side.append(w.VBox(list(self.controls_by_name.values()), layout=w.Layout(width="100%")))
        buttons = w.HBox([w.Label("Presets:"), self.reset_button, w.HTML(layout=w.Layout(width="100%", height="0")),
                          *self.preset_buttons.values()],
                         layout=w.Layout(flex_flow="row wrap", align_items="center"))
        buttons.add_class("cu-buttons")
        side.append(buttons)
        left = w.VBox(side, layout=w.Layout(width=f"{PROJECTOR_SIDE_PX}px", flex=f"0 0 {PROJECTOR_SIDE_PX}px",
                                            margin="0 10px 0 0"))
        left.add_class("cu-side")
        # the column is as wide as what is left, but never narrower than the figure (else the layout wraps)
        right = w.VBox([figure, *below], layout=w.Layout(flex="1 1 0", min_width=f"{math.ceil(self.fig.bbox.width)}px"))
        right.add_class("cu-right")
        box = w.HBox([left, right, helpers], layout=w.Layout(flex_flow="row wrap", align_items="flex-start",
                                                             width="100%"))
        box.add_class(PROJECTOR_CSS_CLASS)
        box.add_class("cu-explorer")
        return box

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
