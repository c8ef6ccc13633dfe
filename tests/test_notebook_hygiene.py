"""Static checks of every notebook's structure (no kernel needed): the course skeleton of conventions.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import nbformat
import pytest

import course_utils as cu
from course_utils.references import CITATION_PATTERN

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
CONTENT_NOTEBOOKS = [p for p in NOTEBOOKS if p.name[:2].isdigit() and int(p.name[:2]) >= 1]
# Reference notebooks (not numbered lessons): no setup cell, no quiz, a plain name.
REFERENCE_NOTEBOOKS = {"glossary.ipynb"}
LESSONS = [p for p in NOTEBOOKS if p.name not in REFERENCE_NOTEBOOKS]
GLOSSARY = NOTEBOOK_DIR / "glossary.ipynb"
# Glossary anchors that notebooks 06-07 (and the brief of issue 8) rely on.
REQUIRED_GLOSSARY_ANCHORS = (
    "effect-size", "smd", "confidence-interval", "meta-analysis", "rct", "kelvin", "decibel", "log-axis", "rms",
    "peak", "frequency", "amplitude", "acceleration", "g-unit", "resonance", "damping", "transmissibility",
    "threshold", "afferent", "reflex", "h-reflex", "tvr", "perfusion", "teaching-model",
)


def _claims(first: int, last: int) -> list[str]:
    return [f"C{i:02d}" for i in range(first, last + 1)]


CLAIMS_BY_NOTEBOOK: dict[str, list[str]] = {
    "01": _claims(1, 8),
    "02": _claims(9, 13),
    "03": _claims(14, 15),
    "04": _claims(16, 17),
    "05": ["C18"],
    "06": ["C19", "C21"],
    "07": _claims(20, 24),
    "08": ["C09", "C23"],
    "09": ["C14", "C18", "C22", "C24"],
}

FILE_NAME = re.compile(r"^\d\d_[a-z0-9]+(?:_[a-z0-9]+)*\.ipynb$")
MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
EVIDENCE = re.compile(r"Evidence box\s*·\s*(C\d\d)")


def _ids(paths):
    return [p.name for p in paths]


def _load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _source(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def _markdown(nb) -> list[str]:
    return [_source(c) for c in nb.cells if c.cell_type == "markdown"]


def _lines_outside_code(text: str) -> list[str]:
    """Markdown lines that are not inside a fenced code block (a '# comment' there is not a heading)."""
    lines, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def _headings(nb) -> list[str]:
    return [line.lstrip("#").strip() for text in _markdown(nb) for line in _lines_outside_code(text)
            if re.match(r"^#{1,6} ", line)]


def _images(text: str) -> list[tuple[str, str]]:
    """(alt text, path) of every image in a Markdown text, both ![alt](path) and <img src=... alt=...>."""
    found = [(alt, src) for alt, src in MD_IMAGE.findall(text)]
    for tag in HTML_IMG.findall(text):
        src = re.search(r"""\bsrc\s*=\s*["']([^"']*)["']""", tag)
        alt = re.search(r"""\balt\s*=\s*["']([^"']*)["']""", tag)
        found.append((alt.group(1) if alt else "", src.group(1) if src else ""))
    return found


def _evidence_without_verdict(text: str) -> list[str]:
    """Claim ids whose evidence box (up to the next box) has no 'Verdict:'."""
    matches = list(EVIDENCE.finditer(text))
    missing = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        if "Verdict:" not in text[m.end():end]:
            missing.append(m.group(1))
    return missing


# ------------------------------------------------------------------------------------------------ helper checks
# The helpers above must themselves be able to find problems, or the checks below would pass vacuously.


def test_helpers_find_images_and_alt_text():
    text = 'See ![A diagram of skin](../images/skin.png) and <img src="x.svg" alt=""> and ![](y.png "t")'
    assert _images(text) == [("A diagram of skin", "../images/skin.png"), ("", "y.png"), ("", "x.svg")]


def test_helpers_find_evidence_box_without_verdict():
    text = "> **Evidence box · C01** — claim\n> **Verdict: mixed.**\n\n> **Evidence box · C02** — claim\n> text"
    assert _evidence_without_verdict(text) == ["C02"]


def test_helpers_ignore_comments_in_code_blocks():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title\n```python\n# comment\n```")])
    assert _headings(nb) == ["Title"]


def test_there_are_notebooks():
    assert any(p.name.startswith("00_") for p in NOTEBOOKS)
    assert CONTENT_NOTEBOOKS


# ------------------------------------------------------------------------------------------------ every notebook


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_valid_nbformat(path):
    json.loads(path.read_text(encoding="utf-8"))
    nb = _load(path)
    nbformat.validate(nb)
    assert nb.nbformat == 4


@pytest.mark.parametrize("path", LESSONS, ids=_ids(LESSONS))
def test_file_name(path):
    assert FILE_NAME.match(path.name), f"{path.name} should look like NN_snake_case.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_no_outputs_stored(path):
    nb = _load(path)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {i} has stored outputs; clear them before committing"
            assert cell.execution_count is None, f"cell {i} has an execution count; clear outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_exactly_one_h1_in_first_cell(path):
    nb = _load(path)
    h1_cells = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
                for line in _lines_outside_code(_source(cell)) if line.startswith("# ")]
    assert h1_cells == [0], f"H1 headings found in cells {h1_cells}; want exactly one, in cell 0"


@pytest.mark.parametrize("path", LESSONS, ids=_ids(LESSONS))
def test_first_code_cell_is_the_setup(path):
    nb = _load(path)
    code = [_source(c) for c in nb.cells if c.cell_type == "code"]
    assert code, "no code cell"
    assert "%matplotlib widget" in code[0]
    assert "import course_utils as cu" in code[0]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_ends_with_disclaimer(path):
    last = _load(path).cells[-1]
    assert last.cell_type == "markdown"
    assert _source(last) == cu.DISCLAIMER


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_images_exist_and_have_alt_text(path):
    for text in _markdown(_load(path)):
        for alt, src in _images(text):
            assert alt.strip(), f"image {src!r} has no alt text"
            assert src and not re.match(r"^[a-z]+:", src), f"image {src!r} must be a local file (course works offline)"
            assert (path.parent / src).is_file(), f"image {src!r} not found next to {path.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_citations_resolve(path):
    keys = cu.notebook_citations(path)  # raises ValueError on an unknown key
    assert set(keys) <= set(cu.REFERENCES)
    text = "\n".join(_markdown(_load(path)))
    # every link to a reference anchor must be one the citation pattern reads (else it is silently left out)
    assert len(re.findall(r"\(#ref-", text)) == len(CITATION_PATTERN.findall(text))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_show_references_names_its_own_notebook(path):
    for cell in _load(path).cells:
        if cell.cell_type == "code":
            for arg in re.findall(r"""show_references\(\s*["']([^"']+)["']""", _source(cell)):
                assert arg == path.name


# ------------------------------------------------------------------------------------------------ content notebooks


@pytest.mark.parametrize("path", CONTENT_NOTEBOOKS, ids=_ids(CONTENT_NOTEBOOKS))
@pytest.mark.parametrize("heading", ["Learning objectives", "Key points", "References"])
def test_required_headings(path, heading):
    assert any(h.startswith(heading) for h in _headings(_load(path))), f"no '{heading}' heading"


@pytest.mark.parametrize("path", CONTENT_NOTEBOOKS, ids=_ids(CONTENT_NOTEBOOKS))
def test_self_check_quiz_and_hidden_solution(path):
    nb = _load(path)
    assert any(c.cell_type == "code" and "cu.Quiz(" in _source(c) for c in nb.cells), "no self-check quiz"
    assert any("<details>" in text for text in _markdown(nb)), "no exercise with a hidden (<details>) solution"


@pytest.mark.parametrize("path", CONTENT_NOTEBOOKS, ids=_ids(CONTENT_NOTEBOOKS))
def test_evidence_boxes_for_every_claim(path):
    text = "\n\n".join(_markdown(_load(path)))
    assert "Evidence box" in text
    boxes = {m.group(1) for m in EVIDENCE.finditer(text)}
    expected = CLAIMS_BY_NOTEBOOK.get(path.name[:2], [])
    missing = [c for c in expected if c not in boxes]
    assert not missing, f"no evidence box for claims {missing}"
    for cell_text in _markdown(_load(path)):
        assert not _evidence_without_verdict(cell_text), f"evidence boxes without 'Verdict:': " \
                                                         f"{_evidence_without_verdict(cell_text)}"


@pytest.mark.parametrize("path", LESSONS, ids=_ids(LESSONS))
def test_quiz_code_starts_collapsed_so_answers_stay_hidden(path):
    nb = _load(path)
    quiz_cells = [c for c in nb.cells if c.cell_type == "code" and "cu.Quiz(" in _source(c)]
    assert quiz_cells, f"{path.name} has no quiz"
    shown = [i for i, c in enumerate(quiz_cells) if not c.metadata.get("jupyter", {}).get("source_hidden")]
    assert not shown, f"{path.name}: quiz cell(s) {shown} show their answers; set metadata.jupyter.source_hidden"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_links_to_other_notebooks_exist(path):
    import re

    text = "\n".join(_markdown(_load(path)))
    targets = re.findall(r"\]\(([^)#\s]+\.ipynb)(?:#[^)]*)?\)", text)
    missing = sorted({t for t in targets if not (path.parent / t).is_file()})
    assert not missing, f"{path.name} links to notebooks that do not exist: {missing}"


def _glossary_anchors() -> set[str]:
    return set(re.findall(r"""<a id=["']([^"']+)["']""", "\n".join(_markdown(_load(GLOSSARY)))))


def test_glossary_has_the_anchors_other_notebooks_link_to():
    anchors = _glossary_anchors()
    missing = [a for a in REQUIRED_GLOSSARY_ANCHORS if f"g-{a}" not in anchors]
    assert not missing, f"glossary.ipynb lacks anchors {missing}"
    text = "\n".join(_markdown(_load(GLOSSARY)))
    assert len(re.findall(r"<a id=", text)) == len(anchors), "an anchor id is used twice in the glossary"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_links_into_the_glossary_resolve(path):
    text = "\n".join(_markdown(_load(path)))
    own = "" if path == GLOSSARY else "glossary.ipynb"
    targets = set(re.findall(r"\]\(" + re.escape(own) + r"#(g-[a-z0-9-]+)\)", text))
    missing = sorted(targets - _glossary_anchors())
    assert not missing, f"{path.name} links to glossary entries that do not exist: {missing}"


def test_start_here_time_table_matches_each_notebook_header():
    table = "\n".join(_markdown(_load(NOTEBOOK_DIR / "00_start_here.ipynb")))
    rows = dict(re.findall(r"^\| (\d\d) \|[^\n]*\| (\d+) min \|$", table, flags=re.MULTILINE))
    for path in NOTEBOOKS:
        if path.name in REFERENCE_NOTEBOOKS:
            continue
        header = _source(_load(path).cells[0])
        minutes = re.search(r"Time\s+to\s+learn:\*\*\s*(\d+)\s*min", header)
        assert minutes, f"{path.name}: no 'Time to learn' in its header"
        assert rows.get(path.name[:2]) == minutes.group(1), \
            f"00's time table gives {rows.get(path.name[:2])} min for {path.name}; its header says {minutes.group(1)}"
    assert "glossary.ipynb" in table
