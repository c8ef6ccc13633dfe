"""Helper package for the interactive therapeutic-massage course.

Models (pure functions), explorers (interactive widgets), quizzes, the plotting style and the reference
registry live here, so that notebooks stay short. The public API is re-exported below.
"""

from .references import REFERENCES, find_citations, get_reference, references_markdown, show_references
from .validation import check_array, check_bool, check_choice, check_int, check_number

__version__ = "0.1.0"
