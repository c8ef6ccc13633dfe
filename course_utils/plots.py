"""The course's plotting style: one colour-blind-safe palette, readable sizes, units on every axis.

Call :func:`use_course_style` once in a notebook's setup cell. Instructors switch on :func:`projector_mode`
before a workshop (or start Voila with ``?projector=1`` in the URL, or set the environment variable
``MASSAGE_COURSE_PROJECTOR=1``): every figure drawn after it is drawn larger on screen, and explorers enlarge
their controls, buttons and text line too.

How projector mode sizes an explorer: on a 1280 × 720 projector the whole explorer must fit the screen's height,
so it is laid out side by side: a column of controls, presets and Reset on the left (:data:`PROJECTOR_SIDE_PX`
wide), and on the right the figure with the text line under it. An interactive (ipympl) figure is shown at its
size in pixels, inches × dpi, and never shrunk. Explorers are designed at 8 inches wide; projector mode keeps
that size in inches (so the layout each explorer was designed with holds) and raises the dpi, so the figure is
:data:`PROJECTOR_FIGURE_WIDTH_PX` wide (see :func:`figure_dpi`), and its height at most
:data:`PROJECTOR_FIGURE_MAX_HEIGHT_PX`; fonts grow in points (11 → 12.25 pt) so that a tick label is still
18-19 px tall on screen.

The palette is the Okabe–Ito set (Okabe M, Ito K, 2008, *Color Universal Design*), chosen so that the
colours stay distinguishable for the common forms of colour blindness; lines also differ in style where two
colours could be confused in greyscale.
"""

from __future__ import annotations

import html
import math
import os
from urllib.parse import parse_qs

import matplotlib as mpl
from cycler import cycler

from .validation import check_array, check_bool, check_choice, check_number

__all__ = ["PALETTE", "LINESTYLES", "use_course_style", "projector_mode", "is_projector_mode", "axis_label",
           "style_settings", "projector_requested", "projector_min_font_pt", "raise_small_text"]

PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
"""Okabe–Ito colours by name (yellow is for fills only: too pale for lines on white)."""

LINESTYLES: tuple[str, ...] = ("-", "--", "-.", ":")

_LINE_COLOURS = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]

PROJECTOR_FIGURE_WIDTH_PX = 978
"""Width in screen pixels of an explorer's figure in projector mode: what is left beside the column of controls.
ipympl shows a figure at its pixel size and does not shrink it to fit: at 1280 × 720 a notebook's output area is
about 1250 px wide in Voila (room for both columns, 256 + 10 + 978 px) and 1100 px in JupyterLab with the file
browser closed (Ctrl+B), where the figure goes under the controls instead (the layout wraps)."""

PROJECTOR_SIDE_PX = 256
"""Width in screen pixels of the column of controls, presets and Reset left of the figure in projector mode."""

PROJECTOR_FIGURE_MAX_HEIGHT_PX = 580
"""Height cap in screen pixels of an explorer's figure in projector mode, so that the figure and its text line fit
a 720-px screen (see :func:`projector_figsize`)."""

_MAX_PROJECTOR_DPI = 144.0  # narrower figures stop growing here (text ~22-25 px)

_SIZES = {
    # name: (base font size pt, line width pt, figure dpi)
    "normal": (11.0, 2.0, 100),
    # an 8-in figure at 122.25 dpi is 978 px wide; 12.25-pt labels are 20.8 px, 11-pt ticks 18.7 px on screen
    # (18.0 px on the widest, 8.3-in explorer); 12.6 pt at 950 px made texts collide in three explorers
    "projector": (12.25, 2.2, 122.25),
}

PROJECTOR_ENV = "MASSAGE_COURSE_PROJECTOR"
"""Environment variable that switches projector mode on from outside a notebook (``1``, ``true``, ``yes``, ``on``)."""

_TRUE_WORDS = {"1", "true", "yes", "on"}

_state = {"mode": "normal"}

# CSS of projector mode, scoped to the class an explorer's box gets when it is built in projector mode. ipywidgets
# size their text and rows from these CSS variables, so the controls, readouts and buttons all grow together.
PROJECTOR_CSS_CLASS = "cu-projector"
_PROJECTOR_CSS = f"""
.{PROJECTOR_CSS_CLASS} {{
  --jp-widgets-font-size: 20px;
  --jp-widgets-inline-height: 38px;
  --jp-widgets-inline-width: 100%;
  --jp-widgets-slider-handle-size: 22px;
  --jp-widgets-slider-track-thickness: 6px;
  --jp-ui-font-size1: 20px;
  --jp-content-font-size1: 20px;
  font-size: 20px;
}}
.{PROJECTOR_CSS_CLASS} .widget-label, .{PROJECTOR_CSS_CLASS} .widget-readout,
.{PROJECTOR_CSS_CLASS} .widget-button, .{PROJECTOR_CSS_CLASS} .widget-toggle-button,
.{PROJECTOR_CSS_CLASS} .widget-html-content, .{PROJECTOR_CSS_CLASS} .widget-label-basic {{
  font-size: 20px; line-height: 1.35;
}}
.{PROJECTOR_CSS_CLASS} .widget-readout {{ min-width: 4.5em; }}
.{PROJECTOR_CSS_CLASS} .widget-button, .{PROJECTOR_CSS_CLASS} .widget-toggle-button {{
  height: auto; min-height: 38px; padding: 2px 12px;
}}
.{PROJECTOR_CSS_CLASS} h3 {{ font-size: 26px; line-height: 1.2; }}
/* the column of controls beside the figure: each control's label above its slider or buttons */
/* the column of controls beside the figure: a slider's label above its track and read-out */
.{PROJECTOR_CSS_CLASS} .cu-side .widget-hslider, .{PROJECTOR_CSS_CLASS} .cu-side .widget-toggle-buttons {{
  flex-wrap: wrap; height: auto; margin: 0 0 4px 0;
}}
.{PROJECTOR_CSS_CLASS} .cu-side .widget-label {{
  white-space: normal; overflow: visible; text-overflow: clip;  /* a long label wraps instead of being cut */
}}
.{PROJECTOR_CSS_CLASS} .cu-side .widget-hslider > .widget-label {{
  flex: 0 0 100%; width: 100% !important; max-width: 100%; text-align: left; line-height: 1.2; height: auto;
}}
.{PROJECTOR_CSS_CLASS} .cu-side .widget-hslider > .slider-container {{
  flex: 1 1 0; min-width: 0; width: auto; margin: 0 12px;
}}
.{PROJECTOR_CSS_CLASS} .cu-side .widget-hslider > .widget-readout {{
  flex: 0 0 auto; min-width: 2.6em; width: auto; text-align: right;
}}
.{PROJECTOR_CSS_CLASS} .cu-side .widget-toggle-buttons > .widget-label {{
  width: 100% !important; max-width: 100%; text-align: left; line-height: 1.2; height: auto;
}}
.{PROJECTOR_CSS_CLASS} .cu-side .widget-toggle-buttons .widget-toggle-button {{ margin-bottom: 2px; }}
.{PROJECTOR_CSS_CLASS} .cu-side .cu-buttons .widget-button {{
  margin: 2px 4px 2px 0; padding: 2px 8px; min-height: 34px; max-width: 100%; white-space: normal;
  overflow: visible; text-overflow: clip; text-align: left; line-height: 1.2;
}}
.{PROJECTOR_CSS_CLASS} .cu-side .cu-buttons .widget-label {{ width: auto; margin-right: 8px; }}
.{PROJECTOR_CSS_CLASS} .cu-side details summary {{ cursor: pointer; }}
.{PROJECTOR_CSS_CLASS} .cu-side h3 {{ font-size: 23px; line-height: 1.15; }}
.{PROJECTOR_CSS_CLASS} .cu-right .widget-html-content {{ line-height: 1.25; }}
"""

# Projector mode in Voila (a page a room reads): the body text, quizzes, checklists and every other widget's text at
# 20 px too, not only the explorers. Put on the page only in projector mode and only under Voila (see
# :func:`page_helpers_html` and :func:`use_course_style`), so normal mode and JupyterLab are unchanged.
def _page_rules(selectors: str, declarations: str) -> str:
    """CSS rules for the page's cells that leave the explorers' own projector rules alone: ``:where`` adds no
    weight and ``:not(.cu-projector *)`` skips an explorer's box (its side column has rules of its own)."""
    sel = ", ".join(f":where(#rendered_cells) {x.strip()}:not(.{PROJECTOR_CSS_CLASS} *)" for x in selectors.split(","))
    return f"{sel} {{ {declarations} }}\n"


_VOILA_PROJECTOR_CSS = (
    "body { --jp-content-font-size1: 20px; --jp-ui-font-size1: 20px; --jp-widgets-font-size: 20px;"
    " --jp-widgets-inline-height: 36px; --jp-content-line-height: 1.5; }\n"
    + _page_rules(".jp-RenderedHTMLCommon, .jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon li, "
                  ".jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon blockquote, "
                  ".jp-RenderedText pre", "font-size: 20px; line-height: 1.5;")
    + _page_rules(".jp-RenderedHTMLCommon code", "font-size: 19px;")
    + _page_rules(".widget-html-content, .widget-label, .widget-label-basic, .widget-checkbox label, "
                  ".widget-radio-box label, .widget-button, .widget-toggle-button, .widget-text input, "
                  ".widget-readout, .widget-dropdown select, .lm-TabBar-tabLabel, .jupyter-widget-Collapse-header",
                  "font-size: 20px; line-height: 1.4;")
    # long labels (a checklist's items, a quiz's answers) wrap instead of being cut
    + _page_rules(".widget-checkbox, .widget-radio-box label", "height: auto;")
    + _page_rules(".widget-checkbox label, .widget-label",
                  "white-space: normal; overflow: visible; text-overflow: clip; height: auto;")
    + _page_rules(".widget-button, .widget-toggle-button", "height: auto; min-height: 36px;")
)

# Screen-reader names for slider handles. ipywidgets' slider handle (noUiSlider, role="slider") carries no
# accessible name, so a screen reader announces "slider" without saying which; this gives each handle its
# widget's label ("Frequency (Hz)") as aria-label, and takes the figure out of the Tab order (see below). It runs
# in the page (JupyterLab and Voila alike) from an image's error handler inside an HTML widget: the HTML widget
# sets its value as innerHTML, where <script> never runs.
_A11Y_JS = (
    "if(!window.__cuA11y){window.__cuA11y=1;var n=function(){document.querySelectorAll('.widget-slider')"
    ".forEach(function(b){var l=b.querySelector('.widget-label');var t=l?l.textContent.trim():'';if(!t)return;"
    "b.querySelectorAll('.noUi-handle').forEach(function(h){if(h.getAttribute('aria-label')!==t)"
    "h.setAttribute('aria-label',t);});var r=b.querySelector('.widget-readout');"
    "if(r&&r.getAttribute('aria-label')!==t)r.setAttribute('aria-label',t);});"
    # ipympl's figure takes the keyboard focus and keeps it (Tab goes round inside it): a keyboard trap. The
    # explorers use no figure keys, so the figure leaves the Tab order and is announced as an image instead.
    "document.querySelectorAll('.jupyter-matplotlib-canvas-div').forEach(function(c){"
    "if(c.getAttribute('tabindex')!=='-1'){c.setAttribute('tabindex','-1');c.setAttribute('role','img');"
    "var b=c.closest('.cu-explorer')||c.closest('.widget-vbox');var h=b?b.querySelector('h3'):null;"
    "c.setAttribute('aria-label','Figure'+(h?': '+h.textContent.trim():''));}});"
    # Keys typed into a control belong to it, not to the notebook's shortcuts: in the browser build (JupyterLite)
    # the notebook took the arrow keys of a slider and the Enter of a number box. Lumino skips a key binding when it
    # meets an element marked data-lm-suppress-shortcuts before one its selector matches: the focused element
    # itself matches the notebook's ":focus" selectors, so the mark goes on the focusable parts of each control.
    "document.querySelectorAll('.jupyter-widgets .noUi-handle,.jupyter-widgets input,.jupyter-widgets select,"
    ".jupyter-widgets textarea,.widget-readout')"
    ".forEach(function(w){if(!w.hasAttribute('data-lm-suppress-shortcuts'))"
    "w.setAttribute('data-lm-suppress-shortcuts','true');});"
    # A text box that sends its value on Enter (continuous_update=False) waits for the input's change event, which
    # Chromium did not fire on Enter in the browser build (in JupyterLab, a shortcut moved the focus and the blur
    # fired it): Enter fires it here, once per box.
    "document.querySelectorAll('.widget-text input').forEach(function(i){if(!i.__cuEnter){i.__cuEnter=1;"
    "i.addEventListener('keydown',function(e){if(e.key==='Enter'&&!e.isComposing)"
    "i.dispatchEvent(new Event('change',{bubbles:true}));});}});};var p=0;"
    "new MutationObserver(function(){if(!p){p=1;requestAnimationFrame(function(){p=0;n();});}})"
    ".observe(document.body,{childList:true,subtree:true});n();}"
)


def style_settings(mode: str = "normal") -> dict[str, object]:
    """Return the Matplotlib rcParams of the course style for ``mode`` (``"normal"`` or ``"projector"``)."""
    mode = check_choice("mode", mode, list(_SIZES))
    font, line, dpi = _SIZES[mode]
    return {
        "axes.prop_cycle": cycler(color=_LINE_COLOURS),
        "font.size": font,
        "axes.titlesize": font * 1.05,
        "axes.labelsize": font,
        "xtick.labelsize": font * 0.9,
        "ytick.labelsize": font * 0.9,
        "legend.fontsize": font * 0.85,
        "legend.framealpha": 0.9,
        "lines.linewidth": line,
        "lines.markersize": line * 3.5,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.dpi": dpi,
        "savefig.dpi": 150,
        "figure.facecolor": "white",
        "axes.facecolor": "white",
    }


def projector_requested() -> bool:
    """Whether projector mode was asked for from outside the notebook.

    Either the environment variable ``MASSAGE_COURSE_PROJECTOR`` is ``1`` (or ``true``, ``yes``, ``on``), or the
    notebook runs in Voila and its URL has ``?projector=1`` (Voila gives the kernel the page's query string in the
    environment variable ``QUERY_STRING``).
    """
    if os.environ.get(PROJECTOR_ENV, "").strip().lower() in _TRUE_WORDS:
        return True
    query = parse_qs(os.environ.get("QUERY_STRING", ""), keep_blank_values=True)
    return any(v.strip().lower() in _TRUE_WORDS | {""} for v in query.get("projector", []))


def in_voila() -> bool:
    """Whether this kernel runs a Voila page (Voila sets ``SERVER_SOFTWARE`` to ``voila/<version>`` for its kernels)."""
    return os.environ.get("SERVER_SOFTWARE", "").lower().startswith("voila")


def use_course_style(projector: bool | None = None) -> None:
    """Apply the course style to every figure drawn from now on.

    Args:
        projector: True for the large projector sizes (see :func:`projector_mode`), False for normal sizes;
            None (the default): projector sizes only if asked for from outside (see :func:`projector_requested`).
    """
    projector = projector_requested() if projector is None else check_bool("projector", projector)
    _state["mode"] = "projector" if projector else "normal"
    mpl.rcParams.update(style_settings(_state["mode"]))
    if projector and in_voila():  # the page's body text, quizzes and checklists at projector size too
        _show_page_css(_VOILA_PROJECTOR_CSS)


def _show_page_css(css: str) -> None:
    """Put a style sheet on the notebook's page (as an output of the current cell); nothing outside IPython."""
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:  # pragma: no cover - IPython is a dependency of the course
        return
    if get_ipython() is not None:
        display(HTML(f"<style>{css}</style>"))


def projector_mode(on: bool = True) -> None:
    """Switch workshop projector mode on or off: larger figures, fonts, controls and text for every later explorer.

    Explorers already on screen keep their size; when there are some, a line says to re-run their cells.
    """
    on = check_bool("on", on)
    changed = on != is_projector_mode()
    use_course_style(projector=on)
    import matplotlib.pyplot as plt

    if changed and plt.get_fignums():
        print(f"Projector mode {'on' if on else 'off'}: re-run the cell of each explorer already on screen to "
              f"{'enlarge' if on else 'shrink'} it.")
    if changed and on:
        print("Projector mode on. In JupyterLab, hide the file browser (Ctrl+B) so that the figures fit the width.")


def figure_dpi(width_in: float) -> float:
    """The dpi at which an explorer's figure ``width_in`` inches wide is drawn: the course style's dpi normally; in
    projector mode the dpi that makes it :data:`PROJECTOR_FIGURE_WIDTH_PX` wide on screen (at most 144)."""
    width_in = check_number("width_in", width_in, unit="in", low=1.0, high=30.0)
    if not is_projector_mode():
        return float(_SIZES["normal"][2])
    return min(_MAX_PROJECTOR_DPI, PROJECTOR_FIGURE_WIDTH_PX / width_in)


PROJECTOR_MIN_TEXT_PX = 18.0
"""Smallest text on a projector screen, px: every text of an explorer's figure in projector mode (legends, notes in
the panels, annotations, tick labels) is at least this tall on screen. The README's "about 20 px"; 18 is the floor."""


def projector_min_font_pt(dpi: float) -> float:
    """The font size in points that is :data:`PROJECTOR_MIN_TEXT_PX` tall on screen for a figure drawn at ``dpi``
    (ipympl shows one figure pixel as one screen pixel), rounded up to 0.05 pt."""
    dpi = check_number("dpi", dpi, unit="dots per inch", low=10.0, high=1000.0)
    return math.ceil(PROJECTOR_MIN_TEXT_PX * 72.0 / dpi * 20.0 - 1e-9) / 20.0


def raise_small_text(fig, min_pt: float) -> int:
    """Raise every text of ``fig`` smaller than ``min_pt`` points to ``min_pt`` (titles, labels, ticks, legends,
    annotations, notes); larger texts are left alone. Returns how many texts were raised.

    ``fig`` is a Matplotlib figure, or a list of its artists (only the texts in those are looked at). Projector mode
    calls it on every explorer's figure, so that a size an explorer chose for the normal screen ("x-small" notes,
    legends) cannot fall under the projector's floor.
    """
    from matplotlib.artist import Artist
    from matplotlib.text import Text

    artists = [fig] if isinstance(fig, Artist) else list(fig) if isinstance(fig, (list, tuple)) else None
    if artists is None or not all(isinstance(a, Artist) for a in artists):
        raise TypeError(f"fig must be a Matplotlib figure or a list of its artists; got {type(fig).__name__}.")
    min_pt = check_number("min_pt", min_pt, unit="pt", low=1.0, high=100.0)
    raised = 0
    for text in (t for a in artists for t in a.findobj(Text)):
        if text.get_fontsize() < min_pt - 1e-9:
            text.set_fontsize(min_pt)
            raised += 1
    return raised


def projector_figsize(figsize: tuple[float, float],
                      max_height_px: float = PROJECTOR_FIGURE_MAX_HEIGHT_PX) -> tuple[float, float]:
    """An explorer's ``figsize`` (inches) as drawn: unchanged normally; in projector mode its height is capped at
    ``max_height_px`` on screen (at the dpi of :func:`figure_dpi`)."""
    width = check_number("figsize width", figsize[0], unit="in", low=1.0, high=30.0)
    height = check_number("figsize height", figsize[1], unit="in", low=0.5, high=50.0)
    max_height_px = check_number("max_height_px", max_height_px, unit="px", low=100.0, high=5000.0)
    if not is_projector_mode():
        return width, height
    return width, min(height, max_height_px / figure_dpi(width))


def pixel_exact_figsize(figsize: tuple[float, float], dpi: float) -> tuple[float, float]:
    """``figsize`` (inches) nudged so that width × dpi and height × dpi are whole pixels or a hair above.

    4.6 in × 100 dpi is 459.99999999999994 in floating point: Matplotlib draws 460 rows, but ipympl sizes the
    browser's canvas to the truncated 459, so the figure's last row is lost and the browser never shows exactly
    the kernel's picture. Nudging the size up by a few units in the last place keeps both at 460.

    Args:
        figsize: ``(width, height)`` in inches, each 0.5–50 in.
        dpi: Dots per inch of the figure (10–1000).

    Returns:
        ``(width, height)`` in inches.

    Raises:
        TypeError: If ``figsize`` is not a pair of numbers or ``dpi`` is not a number.
        ValueError: If ``figsize`` does not hold exactly two sizes (an empty array, say) or a value is out of range.

    Example:
        >>> round(pixel_exact_figsize((4.6, 3.0), 100)[0] * 100)
        460
    """
    sizes = check_array("figsize", figsize, unit="in", low=0.5, high=50.0, ndim=1, min_size=0)
    if sizes.size != 2:
        raise ValueError(f"figsize must be a pair (width, height) of sizes between 0.5 and 50 in; got "
                         f"{sizes.size} value(s).")
    dpi = check_number("dpi", dpi, unit="dpi", low=10.0, high=1000.0)
    out = []
    for size in sizes.tolist():
        target = round(size * dpi)
        exact = target / dpi
        for _ in range(8):
            if exact * dpi >= target:
                break
            exact = math.nextafter(exact, math.inf)
        out.append(exact)
    return out[0], out[1]


def is_projector_mode() -> bool:
    """Whether projector mode is on."""
    return _state["mode"] == "projector"


def page_helpers_html(projector: bool | None = None) -> str:
    """HTML that an explorer (or a quiz) puts on the page once: the CSS of projector mode, the slider names for
    screen readers, and the controls' keys kept from the notebook's shortcuts (see ``_A11Y_JS``). Used by
    :class:`course_utils.widgets.Explorer` and :class:`course_utils.quiz.Quiz`.

    Args:
        projector: Include the projector CSS (default: whether projector mode is on).
    """
    projector = is_projector_mode() if projector is None else check_bool("projector", projector)
    style = f"<style>{_PROJECTOR_CSS}{_VOILA_PROJECTOR_CSS if in_voila() else ''}</style>" if projector else ""
    script = html.escape(_A11Y_JS, quote=True)
    return f'{style}<img src="data:," alt="" style="display:none" onerror="{script}">'


def axis_label(quantity: str, unit: str) -> str:
    """Build an axis label that always shows its unit, e.g. ``axis_label("Depth", "mm")`` → ``"Depth (mm)"``.

    Use ``unit="%"`` or ``unit="dB re 1 µm"`` for relative quantities; an empty unit is refused so that no axis is
    left without one (write ``"relative units"`` for a normalised scale).
    """
    if not isinstance(quantity, str) or not quantity.strip():
        raise TypeError(f"quantity must be a non-empty string such as 'Depth'; got {quantity!r:.60}.")
    if not isinstance(unit, str) or not unit.strip():
        raise ValueError(f"unit must be a non-empty string such as 'mm' (use 'relative units' for a normalised "
                         f"scale); got {unit!r:.60}.")
    return f"{quantity} ({unit})"
