"""The session planner of notebook 09 (model in :mod:`course_utils.models.planner`).

:class:`SessionPlanner` lets a learner compose a session: choose the goal, add, remove and reorder steps, set each
step's minutes and settings, tick the client's contraindications. A timeline (one horizontal bar per step on a
minutes axis, coloured and hatched by technique so that colour is not the only cue) and the warnings of
:func:`~course_utils.models.planner.plan_warnings`, in plain words under it, update with every change. The
example plans are presets; Reset returns to the start-up plan; "Export as Markdown" writes the plan to a file next
to the notebook.

A plan has a variable number of steps, which sliders of a fixed :class:`~course_utils.widgets.Explorer` cannot
hold, so this is a small widget of its own that keeps the same rules: the figure is built once and updated in
place, a failed update shows a short message (never a traceback), and a plain text line says what the plan is.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import threading
import traceback
from pathlib import Path

import ipywidgets as w
import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

from ..models import contraindications as ci
from ..models import planner as pm
from ..models import rubbing, stroking, vibration
from ..models.bloodflow import SITES
from ..plots import PALETTE, PROJECTOR_CSS_CLASS, axis_label, is_projector_mode, page_helpers_html
from ..widgets import RESET_BUTTON_STYLE, Choice, Slider, _hide_canvas_chrome, friendly_error
from .safety import WRAP_CLASS, WRAP_LABELS_CSS

__all__ = ["SessionPlanner"]

START_UP_PLAN = "Calming evening"
"""The example plan the planner starts with (and Reset returns to)."""
DEFAULT_FILE_NAME = "my_session_plan.md"

# Colour and hatch per technique: the hatch tells the techniques apart where colour cannot.
STYLE = {
    "stroking": (PALETTE["sky"], ".."),
    "rubbing": (PALETTE["orange"], "//"),
    "kneading": (PALETTE["green"], "xx"),
    "vibration": (PALETTE["purple"], "||"),
}
_SEVERITY_COLOUR = {"stop": "#B00020", "caution": "#8a5a00", "note": "#1f5f80"}
_NOTEBOOK_TITLES = {
    "03_stroking.ipynb": "03 · Stroking",
    "04_rubbing.ipynb": "04 · Rubbing",
    "05_kneading.ipynb": "05 · Kneading",
    "07_vibration_effects.ipynb": "07 · Vibration II",
    "08_devices_and_safety.ipynb": "08 · Devices and safety",
}


def _controls(technique: str) -> tuple[Slider | Choice, ...]:
    """The editor's controls for one technique: minutes first, then its settings (units on every slider)."""
    low, high = pm.STEP_MINUTES_RANGE[technique]
    minutes = Slider("minutes", "Minutes", "min", low, high, value=low, step=0.5, fmt=".1f")
    r = rubbing.EXPLORER_RANGES
    if technique == "stroking":
        return (minutes,
                Slider("speed_cm_s", "Stroke speed", "cm/s", *stroking.SPEED_RANGE_CM_S, value=3.0, log=True,
                       fmt=".3g"),
                Slider("hand_temperature_c", "Hand temperature", "°C", *stroking.TEMPERATURE_RANGE_C, value=32.0,
                       step=1.0, fmt=".0f"))
    if technique == "rubbing":
        return (minutes,
                Slider("force_n", "Force", "N", *r["force_n"], value=20.0, step=1.0, fmt=".0f"),
                Slider("area_cm2", "Contact area", "cm²", *r["area_cm2"], value=100.0, log=True, fmt=".0f"),
                Slider("speed_cm_s", "Sliding speed", "cm/s", *r["speed_cm_s"], value=10.0, step=1.0, fmt=".0f"),
                Choice("lubricant", "Lubricant", tuple(rubbing.LUBRICANTS), "oil"))
    if technique == "kneading":
        return (minutes, Choice("aim", "Aim", pm.KNEADING_AIMS, "comfort"))
    return (minutes,
            Slider("frequency_hz", "Frequency", "Hz", *vibration.FREQUENCY_RANGE_HZ, value=40.0, log=True, fmt=".3g"),
            Slider("amplitude_mm", "Amplitude", "mm", *vibration.AMPLITUDE_RANGE_MM, value=1.0, log=True,
                   fmt=".3g"),
            Slider("force_n", "Pressing force", "N", *vibration.FORCE_RANGE_N, value=20.0, step=1.0, fmt=".0f"),
            Choice("site", "Applied to", tuple(SITES), "forearm"),
            Slider("handle_vibration_m_s2", "Handle, what if", "m/s²", *pm.HANDLE_VIBRATION_RANGE_M_S2,
                   value=pm.HANDLE_VIBRATION_WHAT_IF_START_M_S2, step=0.5, fmt=".1f"))


HANDLE_SWITCH = "handle_what_if"
"""Name of the vibration editor's checkbox that switches the what-if handle value on (unset: no number assumed)."""
_HANDLE_SWITCH_LABEL = "Use a what-if handle value (not measured)"


_NEW_STEP = {"stroking": pm.StrokingStep, "rubbing": pm.RubbingStep, "kneading": pm.KneadingStep,
             "vibration": pm.VibrationStep}



STACKED_LABELS_CLASS = "cu-stacked-labels"
# In the step editor's two columns a slider's name beside its track left the track 30-60 px long at 1280 px (too
# short to drag): the name goes on its own line above, and the track and its value share the column's width.
STACKED_LABELS_CSS = (f"<style>.{STACKED_LABELS_CLASS} .widget-slider {{ flex-wrap: wrap; height: auto; }} "
                      f".{STACKED_LABELS_CLASS} .widget-slider > .widget-label {{ flex: 0 0 100%; max-width: none; "
                      "width: 100% !important; margin-bottom: 0; text-align: left; "
                      "justify-content: flex-start; }</style>")


class SessionPlanner:
    """Compose a massage session and see its timeline and the course's warnings (notebook 09).

    Attributes for notebooks and tests:
        goal: ToggleButtons with the goal.
        sessions_per_day: Slider: sessions like this per day (the therapist's vibration dose).
        step_list: Select listing the steps; its value is the selected step's index (0-based).
        editor_controls: The selected step's control widgets, by setting name (``"minutes"``, ``"speed_cm_s"``, …).
        add_technique, add_button, remove_button, up_button, down_button: Step buttons.
        checkboxes: Contraindication checkboxes, by checklist key.
        preset_buttons: One button per example plan; reset_button.
        fig, ax: The timeline figure (built once).
        bars, bar_labels: One bar and one label per possible step (hidden when unused).
        warnings_html, text, message: Warnings under the timeline, the plain text line, error messages.
        file_name, export_button, export_message: Markdown export.
        last_error: Traceback of the last failed update (for tests and instructors), or None.
        last_export: Path of the last file written, or None.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._batch = False
        self.last_error: str | None = None
        self.last_export: Path | None = None
        self.steps: list = []
        self.title = START_UP_PLAN

        self.goal = w.ToggleButtons(options=list(pm.GOALS), tooltips=[f"Goal: {g}" for g in pm.GOALS],
                                    style={"button_width": "auto"})
        self.sessions_per_day = w.IntSlider(value=pm.SESSIONS_PER_DAY_DEFAULT, min=pm.SESSIONS_PER_DAY_RANGE[0],
                                            max=pm.SESSIONS_PER_DAY_RANGE[1], step=1,
                                            description="Sessions like this per day",
                                            style={"description_width": "initial"}, layout=w.Layout(width="95%"))
        # its description is the list's accessible name (axe-core: a select must have one)
        self.step_list = w.Select(options=[], rows=5, description="Steps", style={"description_width": "initial"},
                                  layout=w.Layout(width="calc(100% - 12px)"))  # its right border clear of the editor
        self.editor = w.VBox(layout=w.Layout(width="100%"))
        self.editor_controls: dict[str, w.Widget] = {}
        self.add_technique = w.Dropdown(options=list(pm.TECHNIQUES), value="vibration", description="New step",
                                        style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self.add_button = w.Button(description="Add step", icon="plus", layout=w.Layout(width="auto"))
        self.remove_button = w.Button(description="Remove step", icon="minus", layout=w.Layout(width="auto"))
        self.up_button = w.Button(description="Move up", icon="arrow-up", layout=w.Layout(width="auto"))
        self.down_button = w.Button(description="Move down", icon="arrow-down", layout=w.Layout(width="auto"))
        self.checkboxes = {c.key: w.Checkbox(value=False, description=c.label, indent=False,
                                             layout=w.Layout(width="auto"))
                           for c in sorted(ci.CONTRAINDICATIONS.values(), key=lambda c: c.label.lower())}
        grid = w.GridBox(list(self.checkboxes.values()),
                         layout=w.Layout(grid_template_columns="repeat(3, minmax(0, 1fr))", width="100%"))
        grid.add_class(WRAP_CLASS)
        self.contraindications_box = w.Accordion(children=[grid])
        self.preset_buttons = {name: w.Button(description=name, tooltip=f"Example plan: {name}",
                                              layout=w.Layout(width="auto")) for name in pm.EXAMPLE_PLANS}
        self.reset_button = w.Button(description="Reset", icon="undo", style=RESET_BUTTON_STYLE,
                                     tooltip="Back to the start-up plan", layout=w.Layout(width="auto"))
        # under the figure, the planner's full width; it grows with the list, so no warning is ever cut off
        self.warnings_html = w.HTML(layout=w.Layout(width="100%"))
        self.text = w.HTML(layout=w.Layout(min_height="2.5em"))
        self.message = w.HTML()
        self.file_name = w.Text(value=DEFAULT_FILE_NAME, description="File name",
                                style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self.export_button = w.Button(description="Export as Markdown", icon="download", button_style="primary",
                                      layout=w.Layout(width="auto"))
        self.export_message = w.HTML()

        with plt.ioff():
            self.fig = plt.figure(figsize=(5.2, 2.7), layout="constrained")
        self._prepare_canvas()
        self._build_figure()

        # wiring
        self.contraindications_box.observe(lambda _c: self._set_checklist_title(), names="selected_index")
        self.goal.observe(self._on_plan_change, names="value")
        self.sessions_per_day.observe(self._on_plan_change, names="value")
        for box in self.checkboxes.values():
            box.observe(self._on_change, names="value")
        self.step_list.observe(lambda _c: self._guard(self._build_editor), names="value")
        self.add_button.on_click(lambda _b: self._guard(self.add_step, self.add_technique.value))
        self.remove_button.on_click(lambda _b: self._guard(self.remove_step))
        self.up_button.on_click(lambda _b: self._guard(self.move_step, -1))
        self.down_button.on_click(lambda _b: self._guard(self.move_step, +1))
        for name, button in self.preset_buttons.items():
            button.on_click(lambda _b, name=name: self._guard(self.load_example, name))
        self.reset_button.on_click(lambda _b: self._guard(self.reset))
        self.export_button.on_click(lambda _b: self.export())
        self.reset()

    # ----------------------------------------------------------------- state
    @property
    def ticked(self) -> list[str]:
        """Keys of the ticked contraindications, in checklist order."""
        return [k for k in ci.CONTRAINDICATIONS if self.checkboxes[k].value]

    @property
    def selected(self) -> int:
        """Index (0-based) of the selected step."""
        value = self.step_list.value
        return value if isinstance(value, int) and 0 <= value < len(self.steps) else 0

    @property
    def plan(self) -> pm.SessionPlan:
        """The plan as it stands (checked by :class:`~course_utils.models.planner.SessionPlan`)."""
        return pm.SessionPlan(self.goal.value, tuple(self.steps), sessions_per_day=int(self.sessions_per_day.value),
                              title=self.title)

    def load_example(self, name: str) -> None:
        """Load the example plan ``name`` (its goal, steps and sessions per day); ticked items stay ticked."""
        if name not in pm.EXAMPLE_PLANS:
            raise ValueError(f"Unknown example plan {name!r}; known: {', '.join(pm.EXAMPLE_PLANS)}.")
        plan = pm.EXAMPLE_PLANS[name]
        with self._batched():
            self.title = plan.title
            self.goal.value = plan.goal
            self.sessions_per_day.value = plan.sessions_per_day
            self.steps = list(plan.steps)
            self._sync_list(select=0)
        self.refresh()

    def reset(self) -> None:
        """Back to the start-up state: the start-up example plan, nothing ticked, the default file name."""
        with self._batched():
            for box in self.checkboxes.values():
                box.value = False
            self.file_name.value = DEFAULT_FILE_NAME
            self.export_message.value = ""
        self.load_example(START_UP_PLAN)

    def add_step(self, technique: str) -> None:
        """Add a step of ``technique`` (with its default settings) at the end and select it."""
        if technique not in pm.TECHNIQUES:
            raise ValueError(f"technique must be one of {', '.join(pm.TECHNIQUES)}; got {technique!r}.")
        if len(self.steps) >= pm.MAX_STEPS:
            raise ValueError(f"A plan holds at most {pm.MAX_STEPS} steps; remove one first.")
        self.steps.append(_NEW_STEP[technique]())
        self._edited()
        self._sync_list(select=len(self.steps) - 1)
        self.refresh()

    def remove_step(self) -> None:
        """Remove the selected step (a plan keeps at least one)."""
        if len(self.steps) <= 1:
            raise ValueError("A plan needs at least one step; add another before removing this one.")
        index = self.selected
        del self.steps[index]
        self._edited()
        self._sync_list(select=min(index, len(self.steps) - 1))
        self.refresh()

    def move_step(self, offset: int) -> None:
        """Move the selected step up (``-1``) or down (``+1``) in the session."""
        i = self.selected
        j = i + offset
        if not 0 <= j < len(self.steps):
            raise ValueError("That step is already at the " + ("start." if offset < 0 else "end."))
        self.steps[i], self.steps[j] = self.steps[j], self.steps[i]
        self._edited()
        self._sync_list(select=j)
        self.refresh()

    def set_step(self, **settings: object) -> None:
        """Change settings of the selected step, e.g. ``set_step(minutes=20)``, through its editor's controls."""
        for name, value in settings.items():
            if name not in self.editor_controls:
                raise ValueError(f"The selected step has no setting {name!r}; it has {sorted(self.editor_controls)}.")
            self.editor_controls[name].value = value

    # ----------------------------------------------------------------- editing
    def _edited(self) -> None:
        """The learner changed the plan: it is no longer the example it was loaded from."""
        if self.title in pm.EXAMPLE_PLANS:
            self.title = f"{self.title} (changed)"

    def _sync_list(self, select: int) -> None:
        with self._batched():
            self.step_list.options = [(self._step_label(i, s), i) for i, s in enumerate(self.steps)]
            self.step_list.value = select
        self._build_editor()

    @staticmethod
    def _step_label(i: int, step) -> str:
        return f"{i + 1} · {step.technique} · {step.minutes:g} min"

    def _build_editor(self) -> None:
        step = self.steps[self.selected]
        specs = _controls(step.technique)
        self._specs = {s.name: s for s in specs}
        widgets = {}
        for spec in specs:
            current = getattr(step, spec.name)
            if spec.name == "handle_vibration_m_s2":  # a what-if the learner switches on; unset by default
                switch = w.Checkbox(value=current is not None, description=_HANDLE_SWITCH_LABEL, indent=False,
                                    layout=w.Layout(width="95%"))
                switch.observe(lambda change: self._guard(self._switch_handle, change["new"]), names="value")
                widgets[HANDLE_SWITCH] = switch
                current = spec.value if current is None else current
            if isinstance(spec, Slider):
                widget = spec.make_widget("95%", extra=[current] if spec.log else ())
                widget.value = spec.snap(current, spec.grid([current]) if spec.log else None)
            else:  # a drop-down keeps the editor to one row per pair of controls
                widget = w.Dropdown(options=list(spec.options), value=current, description=spec.label,
                                    style={"description_width": "initial"}, layout=w.Layout(width="95%"))
            widget.observe(lambda change, name=spec.name: self._guard(self._edit, name, change["new"]),
                           names="value")
            widgets[spec.name] = widget
        if HANDLE_SWITCH in widgets:
            widgets["handle_vibration_m_s2"].disabled = not widgets[HANDLE_SWITCH].value
        self.editor_controls = widgets
        head = w.HTML(f"<b>Step {self.selected + 1}: {html.escape(step.technique)}</b>"
                      + (" <span style='color:#555'>(handle vibration: no measured values exist, so it stays unset "
                         "unless you set a what-if; see 08)</span>" if step.technique == "vibration" else ""))
        grid = w.GridBox(list(widgets.values()),
                         layout=w.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))", width="100%"))
        grid.add_class(WRAP_CLASS)  # the what-if switch's label wraps instead of being cut
        grid.add_class(STACKED_LABELS_CLASS)  # each slider's name above its track: the track gets the column's width
        self.editor.children = [head, grid]

    def _switch_handle(self, on: bool) -> None:
        """Switch the selected vibration step's what-if handle value on (the slider's value) or off (unset)."""
        slider = self.editor_controls["handle_vibration_m_s2"]
        slider.disabled = not on
        self._edit("handle_vibration_m_s2", float(slider.value) if on else None)

    def _edit(self, name: str, value: object) -> None:
        if name == "handle_vibration_m_s2" and value is not None and not self.editor_controls[HANDLE_SWITCH].value:
            return  # the slider only counts once the what-if is switched on
        i = self.selected
        self.steps[i] = dataclasses.replace(self.steps[i], **{name: value})
        self._edited()
        with self._batched():
            options = list(self.step_list.options)
            options[i] = (self._step_label(i, self.steps[i]), i)
            self.step_list.options = options
            self.step_list.value = i
        self.refresh()

    # ----------------------------------------------------------------- figure
    def _prepare_canvas(self) -> None:
        _hide_canvas_chrome(self.fig.canvas)

    def _build_figure(self) -> None:
        ax = self.fig.add_subplot()
        self.ax = ax
        ax.set_xlabel(axis_label("Time into the session", "min"))
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        self.bars: list[Rectangle] = []
        self.bar_labels = []
        for _ in range(pm.MAX_STEPS):
            bar = Rectangle((0, 0), 0, 0.7, facecolor="white", edgecolor=PALETTE["black"], lw=1.0, visible=False)
            ax.add_patch(bar)
            self.bars.append(bar)
            self.bar_labels.append(ax.text(0, 0, "", va="center", ha="left", fontsize="small", visible=False))
        self.title_text = ax.set_title("", fontsize="medium", loc="left")

    def _draw(self, plan: pm.SessionPlan, warnings: list[pm.PlanWarning]) -> None:
        timeline = pm.plan_timeline(plan)
        n = len(timeline)
        total = plan.total_minutes
        flagged = {wn.step for wn in warnings if wn.step is not None}
        for k, (bar, label) in enumerate(zip(self.bars, self.bar_labels, strict=True)):
            if k >= n:
                bar.set_visible(False)
                label.set_visible(False)
                continue
            entry = timeline[k]
            colour, hatch = STYLE[entry.technique]
            bar.set_bounds(entry.start_min, k - 0.35, entry.end_min - entry.start_min, 0.7)
            bar.set_facecolor(colour)
            bar.set_hatch(hatch)
            bar.set_visible(True)
            mark = " · see warning" if entry.step in flagged else ""
            label.set_position((entry.end_min + total * 0.015, k))
            label.set_text(f"{entry.end_min - entry.start_min:g} min{mark}")
            label.set_color(_SEVERITY_COLOUR["stop"] if mark else PALETTE["black"])
            label.set_visible(True)
        self.ax.set_xlim(0, total * 1.45)
        self.ax.set_ylim(n - 0.5, -0.5)
        self.ax.set_yticks(range(n), [f"{e.step} {e.technique}" for e in timeline])
        self.title_text.set_text(f"Goal: {plan.goal} · {total:g} min")
        self.fig.canvas.draw_idle()

    # ----------------------------------------------------------------- refresh
    def _on_change(self, _change) -> None:
        if not self._batch:
            self.refresh()

    def _on_plan_change(self, _change) -> None:
        if not self._batch:
            self._edited()
            self.refresh()

    def _guard(self, fn, *args) -> None:
        """Run a button's or control's action; a failure shows a short message, never a traceback."""
        if self._batch:
            return
        try:
            fn(*args)
        except Exception as exc:
            self._fail(exc)

    def _fail(self, exc: Exception) -> None:
        self.last_error = "".join(traceback.format_exception(exc))
        self.message.value = (f'<div role="alert" style="color:#B00020;font-weight:600">'
                              f"{html.escape(friendly_error(exc))}</div>")

    class _Batch:
        def __init__(self, owner: SessionPlanner) -> None:
            self.owner = owner

        def __enter__(self):
            self.before = self.owner._batch
            self.owner._batch = True

        def __exit__(self, *exc) -> None:
            self.owner._batch = self.before

    def _batched(self) -> SessionPlanner._Batch:
        return self._Batch(self)

    def refresh(self) -> None:
        """Recompute the warnings for the current plan and redraw; a failure shows a short message instead."""
        with self._lock:
            try:
                plan = self.plan
                warnings = pm.plan_warnings(plan, self.ticked)
                self._draw(plan, warnings)
            except Exception as exc:  # a learner must never see a traceback
                self._fail(exc)
                return
            self.last_error = None
            self.message.value = ""
            self.warnings = warnings
            self.warnings_html.value = self._warnings_html(warnings)
            self.text.value = f'<div aria-live="polite" style="font-size:1.05em">{self._describe(plan, warnings)}</div>'
            self._set_checklist_title()

    def _set_checklist_title(self) -> None:
        """The checklist's title: how many are ticked, and what a click on it does now (open or close)."""
        action = "click to close" if self.contraindications_box.selected_index == 0 else "click to open and tick"
        self.contraindications_box.set_title(0, f"Client's contraindications: {len(self.ticked)} ticked ({action})")

    @staticmethod
    def _warnings_html(warnings: list[pm.PlanWarning]) -> str:
        if not warnings:
            return ("<div style='padding:0.3em'><b>Warnings:</b> none. The course's models raise no warning for "
                    "this plan.</div>")
        items = []
        for wn in warnings:
            nb = wn.notebook.split("#")[0]
            where = _NOTEBOOK_TITLES.get(nb, nb)
            items.append(f"<li style='margin-bottom:0.3em'><b style='color:{_SEVERITY_COLOUR[wn.severity]}'>"
                         f"{wn.severity.upper()}:</b> {html.escape(wn.message)} "
                         f"<span style='color:#555'>(explained in {html.escape(where)})</span></li>")
        return (f"<div style='padding:0 0.3em;line-height:1.4'><b>Warnings ({len(warnings)}):</b><ul "
                f"style='margin:0.2em 0;padding-left:1.2em'>{''.join(items)}</ul></div>")

    @staticmethod
    def _describe(plan: pm.SessionPlan, warnings: list[pm.PlanWarning]) -> str:
        steps = ", ".join(f"{s.technique} {s.minutes:g} min" for s in plan.steps)
        head = f"A <b>{plan.total_minutes:g}-min</b> session for <b>{plan.goal}</b>: {steps}."
        if plan.title in pm.EXAMPLE_PLANS:
            head += " An example to explore, not a treatment plan."
        if not warnings:
            return f"{head} No warnings from the course's models."
        counts = {s: sum(wn.severity == s for wn in warnings) for s in pm.SEVERITIES}
        parts = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        plural = "s" if len(warnings) > 1 else ""
        return f"{head} <b>{len(warnings)} warning{plural}</b> ({parts}), listed under the timeline."

    # ----------------------------------------------------------------- export
    def export(self) -> Path | None:
        """Write the plan as Markdown to the file named in ``file_name`` (next to the notebook) and say where."""
        try:
            target = Path(self.file_name.value.strip() or DEFAULT_FILE_NAME)
            existed = target.expanduser().resolve().is_file()
            path = pm.save_plan_markdown(self.plan, target, self.ticked)
        except Exception as exc:
            self.last_error = "".join(traceback.format_exception(exc))
            reason = (str(exc).strip() if isinstance(exc, (ValueError, TypeError)) else
                      f"an unexpected problem while writing the file ({type(exc).__name__})")
            self.export_message.value = (f'<div role="alert" style="color:#B00020">The plan was not saved: '
                                         f"{html.escape(reason)} Type a file name ending in .md (for example "
                                         f"{DEFAULT_FILE_NAME}) and press Export as Markdown again; your plan is "
                                         "kept as it is.</div>")
            return None
        self.last_export = path
        again = " It replaced your earlier export of the same name." if existed else ""
        # A download link as well: in Voila (no file browser) and in the browser build it is the way to get the file.
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        link = (f'<a download="{html.escape(path.name)}" href="data:text/markdown;charset=utf-8;base64,{data}">'
                f"Download {html.escape(path.name)}</a>")
        self.export_message.value = (f"<div aria-live='polite'>Saved your plan to <code>{html.escape(str(path))}"
                                     f"</code>, next to this notebook (open it from the file browser to print or "
                                     f"share it), or {link} to your computer.{again}</div>")
        return path

    # ----------------------------------------------------------------- display
    def _figure_widget(self) -> w.Widget:
        if isinstance(self.fig.canvas, w.DOMWidget):
            return self.fig.canvas
        out = w.Output()
        with out:
            from IPython.display import display

            display(self.fig)
            print("Tip: run `%matplotlib widget` in the setup cell to get a live figure.")
        return out

    def widget(self) -> w.Widget:
        """The whole planner as one widget."""
        head = w.HTML("<h3 style='margin:0.2em 0'>Plan a session</h3><p style='margin:0 0 0.3em 0'>Choose a goal and "
                      "build the session; pick a step in the list to change it. Warnings come from the course's "
                      "models.</p>")
        presets = w.HBox([w.Label("Examples:"), *self.preset_buttons.values(), self.reset_button],
                         layout=w.Layout(flex_flow="row wrap", align_items="center"))
        buttons = w.HBox([self.add_technique, self.add_button, self.remove_button, self.up_button, self.down_button],
                         layout=w.Layout(flex_flow="row wrap", align_items="center"))
        steps = w.HBox([w.VBox([self.step_list], layout=w.Layout(width="30%")),
                        w.VBox([self.editor], layout=w.Layout(width="70%"))])
        figure = self._figure_widget()
        if isinstance(figure, w.DOMWidget) and hasattr(figure, "layout"):
            figure.layout.flex = "0 0 auto"
            figure.layout.width = f"{round(self.fig.get_figwidth() * self.fig.dpi) + 4}px"
        # the warnings under the figure, at full width: a long list stays short enough to read whole
        plot = w.VBox([figure, self.warnings_html])
        export = w.HBox([self.file_name, self.export_button], layout=w.Layout(align_items="center"))
        helpers = w.HTML(page_helpers_html(is_projector_mode()) + WRAP_LABELS_CSS + STACKED_LABELS_CSS,
                         layout=w.Layout(display="none"))
        goal = w.HBox([w.Label("Goal:"), self.goal], layout=w.Layout(align_items="center"))
        box = w.VBox([head, goal, presets, steps, buttons, self.sessions_per_day, self.contraindications_box,
                      plot, self.text, self.message, export, self.export_message, helpers])
        if is_projector_mode():
            box.add_class(PROJECTOR_CSS_CLASS)
        return box

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())
