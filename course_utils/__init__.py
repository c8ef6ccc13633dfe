"""Helper package for the interactive therapeutic-massage course.

Models (pure functions), explorers (interactive widgets), quizzes, the plotting style and the reference
registry live here, so that notebooks stay short. The public API is re-exported below.
"""

from .course import DISCLAIMER, check_setup, setup_report
from .explorers import PressureDepthExplorer
from .plots import PALETTE, axis_label, is_projector_mode, projector_mode, use_course_style
from .quiz import PROGRESS, MultipleChoice, Numeric, Quiz
from .references import (
    REFERENCES,
    find_citations,
    format_reference,
    get_reference,
    notebook_citations,
    references_markdown,
    show_references,
)
from .tissue import depth_for_fraction_mm, layer_at, mean_pressure_kpa, stress_fraction, stress_on_axis_kpa
from .validation import check_array, check_bool, check_choice, check_int, check_number
from .widgets import Choice, Explorer, Slider, friendly_error

__version__ = "0.1.0"

__all__ = [
    "DISCLAIMER", "PALETTE", "PROGRESS", "REFERENCES", "Choice", "Explorer", "MultipleChoice", "Numeric",
    "PressureDepthExplorer", "Quiz", "Slider", "axis_label", "check_array", "check_bool", "check_choice",
    "check_int", "check_number", "check_setup", "depth_for_fraction_mm", "find_citations", "format_reference",
    "friendly_error", "get_reference", "is_projector_mode", "layer_at", "mean_pressure_kpa", "notebook_citations",
    "projector_mode", "references_markdown", "setup_report", "show_references", "stress_fraction",
    "stress_on_axis_kpa", "use_course_style",
]
