"""Draw images/trunk_map.png: the schematic back map of notebook 02 with every organ's segments.

Run from the repository root:  python images/trunk_map.py

Left: the schematic back used by the explorer, one band per spinal segment from C1 (neck) to S5 (sacrum),
shaded by region. Right: one column per organ (science.md §10), one row per spinal segment (C1 at the top, S5 at
the bottom). In each cell the left half is the Western table (blue, hatched ////) and the right half the
Russian segmental-massage texts (orange, hatched \\\\), so the two stay apart without colour. A grey
cross-hatch marks organs for which the Russian texts give no zone. Data: course_utils.models.segments (the map is
schematic: it shows the order of the segments, not their true shape).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.patches import Ellipse, FancyBboxPatch, Rectangle

import course_utils as cu
from course_utils.models import segments

OUT = Path(__file__).with_suffix(".png")
STYLE = {"western": (cu.PALETTE["blue"], "////"), "russian": (cu.PALETTE["orange"], "\\\\\\\\")}
REGION_FILL = {"cervical": "#E8E8E8", "thoracic": "#FFFFFF", "lumbar": "#E8E8E8", "sacral": "#FFFFFF"}
REGION_MIDDLE = {"cervical": 26.0, "thoracic": 16.0, "lumbar": 7.5, "sacral": 2.5}  # row units, from the bottom
REGION_BOUNDARIES = (22, 10, 5)  # below C8, T12 and L5, in row units from the bottom
SHORT = {"Liver / gallbladder": "Liver /\ngallbladder", "Small intestine": "Small\nintestine",
         "Kidney / ureter": "Kidney /\nureter"}


def draw_back(ax: plt.Axes) -> None:
    """The schematic back: head, trunk and the 30 segment bands in axes coordinates (from back_map_bands)."""
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    top, bottom = 0.88, 0.02
    ax.add_patch(Ellipse((0.5, 0.945), 0.34, 0.085, facecolor="#EFE6DC", edgecolor="#8C7B6B", lw=1.2))
    ax.add_patch(FancyBboxPatch((0.08, bottom - 0.005), 0.84, top - bottom + 0.015,
                                boxstyle="round,pad=0.0,rounding_size=0.08", facecolor="#EFE6DC",
                                edgecolor="#8C7B6B", lw=1.2))
    for band in segments.back_map_bands(None, left=0.18, right=0.82, top=top, bottom=bottom):
        ax.add_patch(Rectangle((band.x, band.y), band.width, band.height, facecolor=REGION_FILL[band.region],
                               edgecolor="#AAAAAA", lw=0.5))
        ax.text(0.5, band.y + band.height / 2, band.segment, ha="center", va="center", fontsize=6.5)
    ax.set_title("The back map:\none band\nper segment", fontsize="small")


def draw() -> plt.Figure:
    cu.use_course_style()
    organs = segments.organ_names()
    fig, (back, ax) = plt.subplots(1, 2, figsize=(8.0, 6.4), layout="constrained", width_ratios=(1.0, 4.2))
    draw_back(back)
    n_seg = len(segments.SEGMENTS)
    for col, organ in enumerate(organs):
        lit = {school: set(segments.organ_segments(organ, school) or []) for school in segments.SCHOOLS}
        for row, seg in enumerate(segments.SEGMENTS):
            y = n_seg - 1 - row
            for half, school in enumerate(segments.SCHOOLS):
                colour, hatch = STYLE[school]
                on = seg in lit[school]
                ax.add_patch(Rectangle((col + 0.05 + 0.45 * half, y + 0.05), 0.45, 0.9,
                                       facecolor=colour if on else "white", alpha=0.8 if on else 1.0,
                                       hatch=hatch if on else None, edgecolor="#333333" if on else "#CCCCCC",
                                       lw=0.5))
        if segments.organ_segments(organ, "russian") is None:
            ax.add_patch(Rectangle((col + 0.5, 0.05), 0.45, n_seg - 0.1, facecolor="none", hatch="xx",
                                   edgecolor="#BBBBBB", lw=0))
    ax.set_xlim(0, len(organs))
    ax.set_ylim(0, n_seg)
    ax.set_xticks([i + 0.5 for i in range(len(organs))], [SHORT.get(o, o) for o in organs], rotation=60,
                  ha="right", rotation_mode="anchor", fontsize="small")
    ax.set_yticks([n_seg - 1 - i + 0.5 for i in range(n_seg)], segments.SEGMENTS, fontsize=7)
    ax.set_ylabel(cu.axis_label("Spinal segment, head to tail", "segment name"))
    ax.grid(False)
    for boundary in REGION_BOUNDARIES:
        ax.axhline(boundary, color="#555555", lw=0.8)
    for name, middle in REGION_MIDDLE.items():
        ax.text(len(organs) + 0.1, middle, name, va="center", ha="left", fontsize="small", rotation=90)
    handles = [Rectangle((0, 0), 1, 1, facecolor=STYLE["western"][0], hatch=STYLE["western"][1], alpha=0.8,
                         edgecolor="#333333", label="Western table (left half)"),
               Rectangle((0, 0), 1, 1, facecolor=STYLE["russian"][0], hatch=STYLE["russian"][1], alpha=0.8,
                         edgecolor="#333333", label="Russian texts (right half)"),
               Rectangle((0, 0), 1, 1, facecolor="white", hatch="xx", edgecolor="#BBBBBB",
                         label="Russian texts give no zone")]
    fig.legend(handles=handles, loc="outside upper center", ncols=3, fontsize="small", frameon=False)
    ax.set_title("Organ → spinal segments (schematic: order, not true anatomy)", fontsize="small")
    return fig


if __name__ == "__main__":
    figure = draw()
    figure.savefig(OUT, dpi=100)
    print(f"wrote {OUT}")
