"""Segmental (Head's) zones: which spinal segments each organ is linked to (notebook ``02_kinds_of_massage``).

Disease in an internal organ can make a band of skin tender or over-sensitive, in the segments that share the
organ's spinal nerve supply (Head's zones: head1893; beissner2011). Segmental-reflex massage works on these zones.
The table below gives two versions, the Western one (a flash-card deck [weak] and anatomy texts [M]) and the one
in Russian segmental-massage textbooks (russian_segmental [M]); the Russian texts give no zones for the lower
abdominal and pelvic organs (None). The two columns often disagree: :func:`segment_disagreement` lists where.

The back map of :func:`back_map_bands` is a schematic (ours): one horizontal band per spinal segment, from C1 at
the top to S5 at the bottom, with equal heights. Real dermatomes are not equal and not all horizontal on the back
(C5–T1 and L2–S2 run mostly into the limbs); the map shows order, not anatomy.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..validation import check_choice, check_number

__all__ = [
    "SEGMENTS",
    "REGIONS",
    "ORGAN_SEGMENTS",
    "SCHOOLS",
    "parse_segments",
    "organ_names",
    "organ_segments",
    "segment_disagreement",
    "segment_table",
    "Band",
    "back_map_bands",
]

# ---------------------------------------------------------------------------------------------------------------
# Constants (one block), each with its citation key; "ours" marks a teaching choice.
# ---------------------------------------------------------------------------------------------------------------
REGIONS = {"C": ("cervical", 8), "T": ("thoracic", 12), "L": ("lumbar", 5), "S": ("sacral", 5)}  # anatomy
SEGMENTS = tuple(f"{letter}{n}" for letter, (_, count) in REGIONS.items() for n in range(1, count + 1))
SCHOOLS = ("western", "russian")
# Organ → segments as written in science.md §10. Western column: flash-card deck [C, weak] and anatomy texts [M]
# (head1893; beissner2011); Russian column: segmental-massage texts [M] (russian_segmental); None = not given.
ORGAN_SEGMENTS = {
    "Heart": {"western": "T1–T5", "russian": "C3–C4, T1–T8", "note": ""},
    "Lungs": {"western": "T2–T5", "russian": "C3–C4, T3–T9", "note": ""},
    "Stomach": {"western": "T6–T9", "russian": "C3–C4, T5–T9", "note": ""},
    "Liver / gallbladder": {"western": "T6–T9, C3–C5", "russian": "C3–C4, T6–T10",
                            "note": "Western C3–C5 is pain referred to the right shoulder."},
    "Pancreas": {"western": "T6–T10", "russian": "T7–T9", "note": ""},
    "Small intestine": {"western": "T9–T10", "russian": None, "note": ""},
    "Appendix": {"western": "T10", "russian": None, "note": ""},
    "Colon": {"western": "T10–L2, S2–S4", "russian": None, "note": ""},
    "Kidney / ureter": {"western": "T10–L1 / T11–L2", "russian": None, "note": "Two organs with different zones: "
                                                                    "T10–L1 for the kidney, T11–L2 for the ureter."},
    "Bladder": {"western": "T11–L2, S2–S4", "russian": None, "note": ""},
    "Uterus": {"western": "T10–L1, S2–S4", "russian": None, "note": ""},
}
BACK_MAP_BOX = {"left": 0.3, "right": 0.7, "top": 0.97, "bottom": 0.03}  # ours: default map placement (axes coords)

_SEGMENT_INDEX = {name: i for i, name in enumerate(SEGMENTS)}
_SEGMENT_PATTERN = re.compile(r"^([CTLS])(\d{1,2})$")
_RANGE_SPLIT = re.compile(r"\s*[–—-]\s*")
_LIST_SPLIT = re.compile(r"\s*[,/;]\s*")


def _segment_index(token: str, text: str) -> int:
    match = _SEGMENT_PATTERN.match(token.upper())
    if match is None or match.group(0) not in _SEGMENT_INDEX:
        raise ValueError(f"text {text!r:.60} contains {token!r:.20}, which is not a spinal segment; use "
                         f"C1–C8, T1–T12, L1–L5 or S1–S5.")
    return _SEGMENT_INDEX[match.group(0)]


def parse_segments(text: str) -> list[str]:
    """Turn a written list of spinal segments into segment names.

    Items are separated by commas, slashes or semicolons; each is one segment (``"T10"``) or a range written
    with a dash (``"T10–L2"``, en dash or hyphen), which may cross regions.

    Args:
        text: The segment list, e.g. ``"T10–L2, S2–S4"``.

    Returns:
        The segment names in head-to-tail order (C1 … C8, T1 … T12, L1 … L5, S1 … S5), without repeats.

    Raises:
        TypeError: If ``text`` is not a string.
        ValueError: If it is empty, names an unknown segment, or has a range that runs upwards (``"T5–T1"``).

    Example:
        >>> parse_segments("T10–L2, S2–S4")
        ['T10', 'T11', 'T12', 'L1', 'L2', 'S2', 'S3', 'S4']

    Explained in notebook 02_kinds_of_massage.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string such as 'T10–L2, S2–S4'; got {text!r:.60} of type "
                        f"{type(text).__name__}.")
    items = [item for item in _LIST_SPLIT.split(text.strip()) if item]
    if not items:
        raise ValueError("text must name at least one spinal segment, such as 'T10–L2, S2–S4'; got an empty "
                         "string.")
    chosen: set[int] = set()
    for item in items:
        ends = _RANGE_SPLIT.split(item)
        if len(ends) == 1:
            chosen.add(_segment_index(ends[0], text))
        elif len(ends) == 2:
            first, last = _segment_index(ends[0], text), _segment_index(ends[1], text)
            if last < first:
                raise ValueError(f"text {text!r:.60} has the range {item!r}, which runs upwards; write it "
                                 f"head to tail, e.g. '{SEGMENTS[last]}–{SEGMENTS[first]}'.")
            chosen.update(range(first, last + 1))
        else:
            raise ValueError(f"text {text!r:.60} has {item!r:.20}, which is not a segment or a range.")
    return [SEGMENTS[i] for i in sorted(chosen)]


def organ_names() -> list[str]:
    """The organs in the segment table, in science.md §10 order.

    Explained in notebook 02_kinds_of_massage.
    """
    return list(ORGAN_SEGMENTS)


def organ_segments(organ: str, school: str = "western") -> list[str] | None:
    """Spinal segments linked to an organ by one school.

    Args:
        organ: An organ from :func:`organ_names` (case ignored), e.g. ``"Heart"``.
        school: ``"western"`` (flash-card deck [weak], anatomy texts [M]; head1893, beissner2011) or
            ``"russian"`` (segmental-massage texts [M]; russian_segmental).

    Returns:
        Segment names in head-to-tail order, or None if that school gives none for the organ.

    Example:
        >>> organ_segments("Heart")
        ['T1', 'T2', 'T3', 'T4', 'T5']

    Explained in notebook 02_kinds_of_massage.
    """
    name = check_choice("organ", organ, ORGAN_SEGMENTS)
    which = check_choice("school", school, SCHOOLS)
    text = ORGAN_SEGMENTS[name][which]
    return None if text is None else parse_segments(text)


def segment_disagreement(organ: str) -> dict:
    """Where the Western and Russian tables differ for an organ.

    Args:
        organ: An organ from :func:`organ_names` (case ignored).

    Returns:
        A dict with ``both``, ``western_only`` and ``russian_only`` (lists of segment names, head to tail),
        ``russian_given`` (False where the Russian texts give no zone; then the lists compare with nothing) and
        ``message``, one plain sentence for the explorer's text panel.

    Example:
        >>> segment_disagreement("Pancreas")["western_only"]
        ['T6', 'T10']

    Explained in notebook 02_kinds_of_massage.
    """
    name = check_choice("organ", organ, ORGAN_SEGMENTS)
    western = organ_segments(name, "western") or []
    russian = organ_segments(name, "russian")
    if russian is None:
        return {"both": [], "western_only": western, "russian_only": [], "russian_given": False,
                "message": f"{name}: the Russian texts give no zone; the Western table gives "
                           f"{ORGAN_SEGMENTS[name]['western']}."}
    both = [s for s in western if s in russian]
    western_only = [s for s in western if s not in russian]
    russian_only = [s for s in russian if s not in western]
    if not western_only and not russian_only:
        message = f"{name}: both schools give the same segments."
    else:
        parts = []
        if western_only:
            parts.append(f"only the Western table includes {', '.join(western_only)}")
        if russian_only:
            parts.append(f"only the Russian texts include {', '.join(russian_only)}")
        message = f"{name}: the schools agree on {len(both)} segment(s); " + "; ".join(parts) + "."
    return {"both": both, "western_only": western_only, "russian_only": russian_only, "russian_given": True,
            "message": message}


def segment_table() -> list[dict]:
    """The organ → segments table as rows for display.

    Returns:
        One dict per organ with ``organ``, ``western`` and ``russian`` (the segment lists of science.md §10 as
        text; None where the Russian texts give none) and ``note`` (what the text form leaves out, e.g. that the
        liver's Western C3–C5 is pain referred to the right shoulder).

    Explained in notebook 02_kinds_of_massage.
    """
    return [{"organ": organ, "western": row["western"], "russian": row["russian"], "note": row["note"]}
            for organ, row in ORGAN_SEGMENTS.items()]


class Band(NamedTuple):
    """One segment's rectangle on the schematic back map, in axes coordinates (0–1, origin bottom left).

    Attributes:
        segment: Segment name, e.g. ``"T4"``.
        region: ``"cervical"``, ``"thoracic"``, ``"lumbar"`` or ``"sacral"``.
        x: Left edge.
        y: Bottom edge.
        width: Width.
        height: Height.
        western: True if the chosen organ's Western zone includes this segment.
        russian: True if the chosen organ's Russian zone includes this segment.
    """

    segment: str
    region: str
    x: float
    y: float
    width: float
    height: float
    western: bool
    russian: bool


def back_map_bands(organ: str | None = None, left: float = BACK_MAP_BOX["left"],
                   right: float = BACK_MAP_BOX["right"], top: float = BACK_MAP_BOX["top"],
                   bottom: float = BACK_MAP_BOX["bottom"]) -> list[Band]:
    """Rectangles for a schematic back map with one horizontal band per spinal segment (schematic, ours).

    Bands run from C1 at the top to S5 at the bottom, all the same height, so a notebook can draw them with
    ``matplotlib.patches.Rectangle((b.x, b.y), b.width, b.height, transform=ax.transAxes)`` and colour those
    flagged for the chosen organ.

    Args:
        organ: An organ from :func:`organ_names` to flag its segments, or None for no highlight.
        left: Left edge of the map in axes coordinates, 0–1.
        right: Right edge, 0–1, greater than ``left``.
        top: Top edge, 0–1.
        bottom: Bottom edge, 0–1, less than ``top``.

    Returns:
        30 :class:`Band` rectangles, head to tail.

    Explained in notebook 02_kinds_of_massage.
    """
    x0 = check_number("left", left, unit="(axes fraction)", low=0.0, high=1.0)
    x1 = check_number("right", right, unit="(axes fraction)", low=x0, high=1.0, low_open=True)
    y1 = check_number("top", top, unit="(axes fraction)", low=0.0, high=1.0)
    y0 = check_number("bottom", bottom, unit="(axes fraction)", low=0.0, high=y1, high_open=True)
    if organ is None:
        western, russian = set(), set()
    else:
        name = check_choice("organ", organ, ORGAN_SEGMENTS)
        western = set(organ_segments(name, "western") or [])
        russian = set(organ_segments(name, "russian") or [])
    height = (y1 - y0) / len(SEGMENTS)
    regions = {letter: region for letter, (region, _) in REGIONS.items()}
    return [Band(seg, regions[seg[0]], x0, y1 - (i + 1) * height, x1 - x0, height, seg in western, seg in russian)
            for i, seg in enumerate(SEGMENTS)]
