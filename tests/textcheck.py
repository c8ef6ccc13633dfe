"""Find text a learner cannot read in a Matplotlib figure: clipped by the figure's edge, or on top of other text.

Used by the figure tests (every explorer at start-up and at every preset, in normal and projector mode).
Matplotlib gives every text's extent on the canvas (``get_window_extent``), so the check is exact for the
figure as drawn, independent of the browser.
"""

from __future__ import annotations

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox

# Pixels two boxes may share before they count as overlapping (antialiasing and font bearings).
TOLERANCE_PX = 1.0


def _label(artist: Text) -> str:
    text = artist.get_text().replace("\n", " ")
    return f"{text[:40]!r}"


def _undrawn_tick_labels(fig) -> set[int]:
    """Tick labels Matplotlib keeps for ticks outside the view: they exist but are not drawn."""
    hidden = set()
    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            # Compare in the axis's scale (log10 on a log axis), where "just inside the view" is well defined.
            scale = axis.get_transform()
            low, high = sorted(scale.transform(np.asarray(axis.get_view_interval(), dtype=float)))
            span = (high - low) * 1e-9
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                with np.errstate(divide="ignore", invalid="ignore"):
                    loc = float(scale.transform(np.asarray([tick.get_loc()], dtype=float))[0])
                if not (np.isfinite(loc) and low - span <= loc <= high + span):
                    hidden.update({id(tick.label1), id(tick.label2)})
    return hidden


def _visible_texts(fig) -> list[Text]:
    texts = []
    undrawn = _undrawn_tick_labels(fig)
    for artist in fig.findobj(Text):
        if not artist.get_visible() or not artist.get_text().strip() or id(artist) in undrawn:
            continue
        # Skip texts whose parent is hidden (e.g. the tick labels of an invisible axis).
        parent = artist.axes
        if parent is not None and not parent.get_visible():
            continue
        texts.append(artist)
    return texts


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return min(w, h) if w > 0 and h > 0 else 0.0


def text_problems(fig, min_legend_pt: float | None = None) -> list[str]:
    """Return a sentence for every readability problem in ``fig`` (empty list: none).

    Problems: a text outside the figure (clipped), two texts overlapping, a text under a legend it is not part
    of, a legend font smaller than ``min_legend_pt`` points (default: ``x-small`` at the current base size).
    """
    if min_legend_pt is None:
        min_legend_pt = FontProperties(size="x-small").get_size_in_points()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    fig_box = fig.bbox
    problems: list[str] = []
    texts = _visible_texts(fig)
    boxes = {}
    for t in texts:
        box = t.get_window_extent(renderer)
        if box.width <= 0 or box.height <= 0:
            continue
        # Tick labels that Matplotlib did not draw (outside the view) sit far away; only drawn ones count.
        boxes[t] = box
        if (box.x0 < fig_box.x0 - TOLERANCE_PX or box.y0 < fig_box.y0 - TOLERANCE_PX
                or box.x1 > fig_box.x1 + TOLERANCE_PX or box.y1 > fig_box.y1 + TOLERANCE_PX):
            problems.append(f"text {_label(t)} is clipped by the figure's edge")
    legends = [leg for leg in fig.findobj(Legend) if leg.get_visible()]
    legend_texts = {id(t) for leg in legends for t in leg.get_texts()}
    legend_texts |= {id(leg.get_title()) for leg in legends}
    for leg in legends:
        for t in leg.get_texts():
            if t.get_visible() and t.get_text().strip() and t.get_fontsize() < min_legend_pt - 1e-6:
                problems.append(f"legend text {_label(t)} is {t.get_fontsize():.1f} pt, smaller than x-small")
    items = list(boxes.items())
    for i, (a, box_a) in enumerate(items):
        for b, box_b in items[i + 1:]:
            if _overlap(box_a, box_b) > TOLERANCE_PX:
                problems.append(f"text {_label(a)} overlaps text {_label(b)}")
    for leg in legends:
        frame = leg.get_window_extent(renderer)
        for t, box in boxes.items():
            if id(t) in legend_texts:
                continue
            if _overlap(frame, box) > TOLERANCE_PX:
                problems.append(f"text {_label(t)} lies under a legend")
    return problems
