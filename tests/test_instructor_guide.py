"""The instructor's guide stays true: what it names exists, its schedule adds up, its answer key is current."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

import course_utils.explorers as explorers

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "instructor" / "README.md"
TEXT = GUIDE.read_text(encoding="utf-8")
NOTEBOOK_NAME = re.compile(r"\b(\d\d_[a-z_]+\.ipynb)\b")


def _sections() -> dict[str, str]:
    """The guide's per-notebook sections: '### 07 · …' heading → its text."""
    parts = re.split(r"^### (\d\d) · ", TEXT, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def test_every_notebook_the_guide_names_exists():
    named = set(NOTEBOOK_NAME.findall(TEXT))
    assert named, "the guide names no notebook"
    missing = sorted(n for n in named if not (ROOT / "notebooks" / n).is_file())
    assert not missing, f"the guide names notebooks that do not exist: {missing}"


def test_every_notebook_of_the_course_has_a_section_and_a_row_in_the_schedule():
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    sections = _sections()
    for name in notebooks:
        assert name[:2] in sections, f"the guide has no '### {name[:2]} · …' section for {name}"
        assert f"| `{name}`" in TEXT or f"`{name}` |" in TEXT or f": `{name}`" in TEXT, (
            f"{name} has no row in the guide's schedule")


def test_every_explorer_the_guide_names_exists():
    named = set(re.findall(r"`(\w+Explorer)`", TEXT))
    assert named, "the guide names no explorer"
    unknown = sorted(named - set(explorers.__all__))
    assert not unknown, f"the guide names explorers that do not exist: {unknown}"


def test_presets_and_controls_named_in_project_lines_exist():
    """A bold name in a section's 'Project:' line is a preset, control or button of that notebook's explorers."""
    for number, body in _sections().items():
        project = re.search(r"\*\*Project:\*\*(.*?)(?=\n- \*\*|\Z)", body, re.S)
        if not project:
            continue
        names = set(re.findall(r"`(\w+Explorer)`", body))
        known = {"Reset"}
        for name in names:
            cls = getattr(explorers, name)
            known |= set(cls.presets)
            known |= {getattr(c, "label", "") for c in cls.controls}
            known |= {option for c in cls.controls for option in getattr(c, "options", ())}
        bold = set(re.findall(r"\*\*([^*]+)\*\*", project.group(1).replace("\n", " ")))
        bold = {re.sub(r"\s+", " ", b).strip() for b in bold}
        if not names:
            continue
        unknown = sorted(b for b in bold if b not in known)
        assert not unknown, f"section {number}: {unknown} are not presets, controls or buttons of {sorted(names)}"


def test_schedule_rows_add_up():
    rows = re.findall(r"^\| (\d\d:\d\d) \| (.+?) \|\s*(\d*)\s*\|\s*(\d*)\s*\|\s*(\d*)\s*\| (\d+) min \|$", TEXT,
                      flags=re.M)
    assert len(rows) >= 10, "the schedule table was not found"
    clock = None
    for start, what, teach, explore, check, total in rows:
        h, m = map(int, start.split(":"))
        minutes = 60 * h + m
        if clock is not None:
            assert minutes == clock, f"the row '{what}' starts at {start}, but the previous row ends at " \
                                     f"{clock // 60:02d}:{clock % 60:02d}"
        parts = [int(x) for x in (teach, explore, check) if x]
        if parts:
            assert sum(parts) == int(total), f"'{what}': {parts} do not add up to {total} min"
        clock = minutes + int(total)
    assert clock <= 17 * 60, "the day runs past 17:00"


def test_answer_key_is_up_to_date():
    spec = importlib.util.spec_from_file_location("build_answers", ROOT / "instructor" / "build_answers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = (ROOT / "instructor" / "answers.md").read_text(encoding="utf-8")
    if written != module.build():
        pytest.fail("instructor/answers.md is out of date: run `.venv/bin/python instructor/build_answers.py`")


def test_answer_key_covers_every_quiz_and_try_this():
    written = (ROOT / "instructor" / "answers.md").read_text(encoding="utf-8")
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        text = path.read_text(encoding="utf-8")
        section = written.split(f"*Notebook:* `{path.name}`", 1)
        assert len(section) == 2, f"answers.md has no section for {path.name}"
        body = section[1].split("*Notebook:*", 1)[0]
        if "cu.Quiz(" in text:
            assert "### Self-check quiz" in body, f"answers.md lacks the quiz answers of {path.name}"
        if "### Try this" in text:
            assert "Try this" in body, f"answers.md lacks the Try-this answers of {path.name}"


def test_the_readme_links_the_guide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "instructor/README.md" in readme, "the README does not link the instructor's guide"
