"""What Voila shows a learner matches Voila: no "run the next cell" where the cells are hidden and run by themselves."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from nbconvert.filters.markdown_mistune import MarkdownWithMath

from course_utils.voila_support import VOILA_INSTRUCTIONS, CourseMarkdownRenderer

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
ASKS_TO_RUN_A_CELL = re.compile(r"(run|click in) the next cell", re.I)


def _markdown_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def _voila_html(markdown: str) -> str:
    return MarkdownWithMath(renderer=CourseMarkdownRenderer(contents_manager=None)).render(markdown)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_voila_never_asks_the_learner_to_run_a_cell(path):
    for cell in _markdown_cells(path):
        html = _voila_html(cell)
        assert not ASKS_TO_RUN_A_CELL.search(re.sub(r"<[^>]+>", "", html)), html[:300]


def test_the_rewrite_is_used_and_says_what_voila_does():
    used = [cell for path in NOTEBOOKS for cell in _markdown_cells(path) if ASKS_TO_RUN_A_CELL.search(cell)]
    assert len(used) >= 10, "the notebooks' setup cells should still tell JupyterLab users to run the next cell"
    for cell in used:
        assert "In this app view (Voila)" in _voila_html(cell)
    assert all(isinstance(p, re.Pattern) for p, _ in VOILA_INSTRUCTIONS)


def test_other_text_is_left_as_it_is():
    html = _voila_html("Press **Reset**, then run the explorer again.")
    assert html.strip() == "<p>Press <strong>Reset</strong>, then run the explorer again.</p>"
