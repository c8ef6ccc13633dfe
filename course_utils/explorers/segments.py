"""The segmental-zones explorer of notebook 02 (data and geometry in :mod:`course_utils.models.segments`)."""

from __future__ import annotations

import html

from matplotlib.patches import Ellipse, FancyBboxPatch, Rectangle

from ..models import segments
from ..plots import PALETTE, is_projector_mode
from ..widgets import Choice, Explorer

__all__ = ["SegmentZonesExplorer", "SCHOOL_STYLE", "MAP_COLUMNS"]

# How each school is drawn: colour (Okabe–Ito) AND a hatch direction, so the two stay apart without colour.
SCHOOL_STYLE = {
    "western": {"label": "Western table", "colour": PALETTE["blue"], "hatch": "////"},
    "russian": {"label": "Russian texts", "colour": PALETTE["orange"], "hatch": "\\\\\\\\"},
}
# Where the two columns sit on the map (axes fractions): the left and right half of the back (layout, ours).
MAP_COLUMNS = {"western": (0.22, 0.495), "russian": (0.505, 0.78)}
_MAP_TOP, _MAP_BOTTOM = 0.9, 0.01
_HEAD_Y = 0.955  # the head and the column headers, above the bands
_OFF_FILL = "#FFFFFF"
_OFF_EDGE = "#BBBBBB"


def _school_text(organ: str, school: str) -> str:
    text = segments.ORGAN_SEGMENTS[organ][school]
    return "none given" if text is None else text


def _without_organ(message: str, organ: str) -> str:
    """The disagreement sentence without its leading "Organ: " (the text line already starts with the organ)."""
    rest = message.removeprefix(f"{organ}: ")
    return rest[:1].upper() + rest[1:]


def _short_list(names: list[str]) -> str:
    """Segment names for the side panel, wrapped every four names so they stay inside the figure."""
    if not names:
        return "none"
    rows = [", ".join(names[i:i + 4]) for i in range(0, len(names), 4)]
    return ",\n    ".join(rows)


class SegmentZonesExplorer(Explorer):
    """Choose an organ: its spinal segments light up on a schematic back map, Western and Russian side by side."""

    title = "Segmental (Head's) zones"
    intro = ("Choose an organ: its segments light up on a schematic back, the <b>Western</b> table on the left "
             "half (blue, ////), the <b>Russian</b> texts on the right (orange, \\\\\\\\). One band per spinal "
             "segment, C1 at the top to S5 at the bottom: the order of the segments, not their true shape.")
    controls = (Choice("organ", "Organ", tuple(segments.organ_names()), "Heart"),)
    # What a teacher wants to show (names say why); the start-up organ is Heart.
    presets = {
        "Lungs: schools overlap": {"organ": "Lungs"},
        "Pancreas": {"organ": "Pancreas"},
        "Liver: shoulder zone": {"organ": "Liver / gallbladder"},
        "Colon: no Russian zone": {"organ": "Colon"},
    }

    @property
    def figsize(self) -> tuple[float, float]:
        """Short enough that the whole explorer fits one screen (about 780 px at 1280 × 900); projector mode's
        larger type needs a little more height for one label per segment."""
        return (8.0, 5.0) if is_projector_mode() else (8.0, 4.4)

    def build(self, fig):
        ax, info = fig.subplots(1, 2, width_ratios=(1.9, 1.0))
        for a in (ax, info):
            a.set_xlim(0, 1)
            a.set_ylim(0, 1)
            a.set_axis_off()
        self.ax, self.info = ax, info
        # Silhouette of a back (schematic, drawn once): head, neck and trunk behind the bands.
        ax.add_patch(Ellipse((0.5, _HEAD_Y), 0.09, 0.085, facecolor="#EFE6DC", edgecolor="#8C7B6B", lw=1.2))
        ax.add_patch(FancyBboxPatch((0.185, _MAP_BOTTOM - 0.005), 0.63, _MAP_TOP - _MAP_BOTTOM + 0.02,
                                    boxstyle="round,pad=0.0,rounding_size=0.06", facecolor="#EFE6DC",
                                    edgecolor="#8C7B6B", lw=1.2, zorder=0))
        self.bands: dict[str, list[Rectangle]] = {}
        for school, (left, right) in MAP_COLUMNS.items():
            rects = []
            for band in segments.back_map_bands(None, left=left, right=right, top=_MAP_TOP, bottom=_MAP_BOTTOM):
                rect = Rectangle((band.x, band.y), band.width, band.height, facecolor=_OFF_FILL,
                                 edgecolor=_OFF_EDGE, lw=0.6, zorder=2)
                ax.add_patch(rect)
                rects.append(rect)
            self.bands[school] = rects
        # Column headers beside the head, segment names on the left, regions on the right.
        ax.text(MAP_COLUMNS["western"][1] - 0.06, _HEAD_Y, "Western table", ha="right", va="center",
                fontsize="small", fontweight="bold", color=SCHOOL_STYLE["western"]["colour"])
        ax.text(MAP_COLUMNS["russian"][0] + 0.06, _HEAD_Y, "Russian texts", ha="left", va="center",
                fontsize="small", fontweight="bold", color="#9A6A00")
        left_edge = MAP_COLUMNS["western"][0]
        right_edge = MAP_COLUMNS["russian"][1]
        all_bands = segments.back_map_bands(None, left=left_edge, right=right_edge, top=_MAP_TOP,
                                            bottom=_MAP_BOTTOM)
        # Segment names left of the body's outline (not on its edge). In projector mode an 18-px name is taller
        # than a band, so the names alternate between two columns, the outer ones joined to their band by a
        # dotted leader.
        outline_left = 0.185 - 0.012
        for k, band in enumerate(all_bands):
            y = band.y + band.height / 2
            if is_projector_mode() and k % 2:
                ax.plot([outline_left - 0.075, outline_left + 0.012], [y, y], color="#999999", lw=0.8, ls=":",
                        zorder=1)
                ax.text(outline_left - 0.085, y, band.segment, ha="right", va="center", fontsize="small",
                        color="#333333")
            else:
                ax.text(outline_left, y, band.segment, ha="right", va="center", fontsize="small", color="#333333")
        for region in ("cervical", "thoracic", "lumbar", "sacral"):
            inside = [b for b in all_bands if b.region == region]
            top, bottom = inside[0].y + inside[0].height, inside[-1].y
            ax.plot([right_edge + 0.045] * 2, [bottom + 0.003, top - 0.003], color="#555555", lw=1.2)
            ax.text(right_edge + 0.06, (top + bottom) / 2, region, ha="left", va="center", fontsize="small",
                    color="#333333")
        # Spine: the line between the two halves of the back.
        ax.plot([0.5, 0.5], [_MAP_BOTTOM, _MAP_TOP], color="#8C7B6B", lw=1.0, zorder=3)

        self.none_text = ax.text(sum(MAP_COLUMNS["russian"]) / 2, 0.5, "", ha="center", va="center",
                                 fontsize="small", color="#333333", zorder=4,
                                 bbox={"facecolor": "white", "alpha": 0.9, "lw": 0})
        self.title_text = info.text(0.0, 0.97, "", ha="left", va="top", fontweight="bold")
        self.summary = info.text(0.0, 0.89, "", ha="left", va="top", fontsize="small", linespacing=1.5)
        legend_handles = [Rectangle((0, 0), 1, 1, facecolor=s["colour"], edgecolor="#333333", hatch=s["hatch"],
                                    alpha=0.75, label=s["label"]) for s in SCHOOL_STYLE.values()]
        info.legend(handles=legend_handles, loc="lower left", bbox_to_anchor=(0.0, 0.0), fontsize="small",
                    frameon=False, title="Lit band = zone given by", title_fontsize="small", alignment="left",
                    handlelength=2.5, handleheight=1.6)
        return [*self.bands["western"], *self.bands["russian"], self.none_text, self.title_text,
                self.summary]

    def update(self, values):
        organ = values["organ"]
        for school, rects in self.bands.items():
            lit = set(segments.organ_segments(organ, school) or [])
            style = SCHOOL_STYLE[school]
            for rect, segment in zip(rects, segments.SEGMENTS, strict=True):
                on = segment in lit
                rect.set_facecolor(style["colour"] if on else _OFF_FILL)
                rect.set_alpha(0.75 if on else 1.0)
                rect.set_hatch(style["hatch"] if on else None)
                rect.set_edgecolor("#333333" if on else _OFF_EDGE)
        gap = segments.segment_disagreement(organ)
        self.none_text.set_text("" if gap["russian_given"] else "no zone given")
        lines = [f"Western: {_school_text(organ, 'western')}", f"Russian: {_school_text(organ, 'russian')}", ""]
        if gap["russian_given"]:
            lines += [f"Both schools: {len(gap['both'])} segments",
                      f"Only Western: {_short_list(gap['western_only'])}",
                      f"Only Russian: {_short_list(gap['russian_only'])}"]
        else:
            lines += ["The Russian texts give", "no zone for this organ."]
        self.title_text.set_text(organ)
        self.summary.set_text("\n".join(lines))
        note = segments.ORGAN_SEGMENTS[organ]["note"]
        return (f"<b>{html.escape(organ)}</b>: Western table <b>{html.escape(_school_text(organ, 'western'))}</b>; "
                f"Russian texts <b>{html.escape(_school_text(organ, 'russian'))}</b>. "
                f"{html.escape(_without_organ(gap['message'], organ))}" + (f" {html.escape(note)}" if note else ""))
