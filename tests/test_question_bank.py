"""The question bank read from the notebooks matches the quizzes they build, id for id and answer for answer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest

import course_utils as cu
from course_utils.question_bank import grade, question_bank

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
QUIZ_NOTEBOOKS = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _quiz_cell(name: str) -> str:
    cells = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]
    found = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
             for c in cells if c["cell_type"] == "code" and "cu.Quiz(" in "".join(c["source"])]
    assert len(found) == 1, f"{name}: expected one quiz cell, found {len(found)}"
    return found[0]


def _built_quiz(name: str) -> cu.Quiz:
    """The Quiz that the notebook's quiz cell builds (the cell is one expression)."""
    return eval(compile(_quiz_cell(name), name, "eval"), {"cu": cu})


@pytest.fixture(scope="module")
def bank():
    return question_bank(NOTEBOOKS)


def test_every_notebook_from_00_to_10_has_a_quiz_in_the_bank(bank):
    assert len(QUIZ_NOTEBOOKS) == 11
    assert {e["source"] for e in bank.values()} == set(QUIZ_NOTEBOOKS)


@pytest.mark.parametrize("name", QUIZ_NOTEBOOKS)
def test_the_bank_has_exactly_the_ids_and_answers_of_the_quiz_the_notebook_builds(bank, name):
    quiz = _built_quiz(name)
    label = name[:2]
    assert quiz.notebook == label, f"{name}: notebook= must be its number, {label!r}"
    assert quiz.title.startswith(label + " "), f"{name}: the quiz title must start with {label!r}"
    mine = {qid: e for qid, e in bank.items() if e["source"] == name}
    assert list(mine) == quiz.question_ids
    for qid, q in zip(quiz.question_ids, quiz.questions, strict=True):
        entry = mine[qid]
        assert (entry["notebook"], entry["quiz"], entry["prompt"]) == (label, quiz.title, q.prompt)
        if isinstance(q, cu.MultipleChoice):
            assert entry["kind"] == "choice" and entry["answer"] == q.answer and entry["options"] == q.options
            for i in range(len(q.options)):
                assert grade(entry, i) is q.check(i)
        else:
            assert entry["kind"] == "number" and entry["unit"] == q.unit
            assert (entry["answer"], entry["tolerance"]) == (q.answer, q.tolerance)
            for x in (q.answer, q.answer + q.tolerance, q.answer - q.tolerance, q.answer + 1.01 * q.tolerance,
                      q.answer - 3 * q.tolerance, 0.0):
                assert grade(entry, x) is q.check(x), (qid, x)


def test_question_ids_are_unique_in_the_course_and_of_the_documented_form(bank):
    titles = [_built_quiz(n).title for n in QUIZ_NOTEBOOKS]
    assert len(set(titles)) == len(titles)
    for qid, entry in bank.items():
        assert re.fullmatch(r"\d\d [^#]+#[1-9]\d*", qid), qid
        assert qid == f"{entry['quiz']}#{entry['question']}"


def test_what_a_learner_chooses_in_the_widgets_is_what_the_bank_grades(bank):
    """The event carries the option index and the number; the bank grades them as the kernel did."""
    heard = []
    listener = cu.add_answer_listener(heard.append)
    try:
        quiz = _built_quiz("00_start_here.ipynb")
        mc, num = quiz.questions
        mc.choice.index = (mc.answer + 1) % len(mc.options)  # a wrong option
        mc.button.click()
        num.entry.value = f"{num.answer:g}".replace(".", ",")  # the right number, with a decimal comma
    finally:
        cu.remove_answer_listener(listener)
    assert [(e.kind, e.value) for e in heard] == [("choice", (mc.answer + 1) % len(mc.options)),
                                                  ("number", num.answer)]
    for event in heard:
        assert grade(bank[event.question_id], event.value) is event.correct


@pytest.mark.parametrize("cell, message", [
    ('cu.Quiz("x quiz", [cu.Numeric("Q?", answer=2 * 3, tolerance=1, unit="Hz", explanation="E")])', "literal"),
    ('cu.Quiz("x quiz", [cu.Slider("a")])', "not a MultipleChoice or Numeric"),
    ('cu.Quiz("x quiz", questions)', "must be a list"),
])
def test_a_quiz_the_bank_cannot_read_is_refused_with_its_place(tmp_path, cell, message):
    nb = {"cells": [{"cell_type": "code", "source": cell, "metadata": {}, "outputs": []}], "metadata": {},
          "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "99_x.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(ValueError, match=message) as err:
        question_bank(path)
    assert "99_x.ipynb" in str(err.value)


def test_two_quizzes_with_one_title_are_refused(tmp_path):
    cell = 'cu.Quiz("same", [cu.MultipleChoice("Q?", ["a", "b"], answer=0, explanation="E")])'
    nb = {"cells": [{"cell_type": "code", "source": cell, "metadata": {}, "outputs": []}], "metadata": {},
          "nbformat": 4, "nbformat_minor": 5}
    for name in ("01_a.ipynb", "02_b.ipynb"):
        (tmp_path / name).write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(ValueError, match="'same#1' is used twice"):
        question_bank(tmp_path)


@pytest.mark.parametrize("bad, exc", [(None, TypeError), (3, TypeError), ("", ValueError),
                                      ("/no/such/folder", ValueError), (__file__, ValueError)])
def test_question_bank_refuses_what_is_not_notebooks(bad, exc):
    with pytest.raises(exc, match="path"):
        question_bank(bad)


@pytest.mark.parametrize("value, exc", [(True, TypeError), ("1", TypeError), (1.0, TypeError), (-1, ValueError),
                                        (9, ValueError)])
def test_grade_refuses_a_bad_choice(bank, value, exc):
    entry = bank["00 practice#1"]
    with pytest.raises(exc, match="value"):
        grade(entry, value)


@pytest.mark.parametrize("value, exc", [(float("nan"), ValueError), (float("inf"), ValueError), ("50", TypeError),
                                        (None, TypeError), (True, TypeError)])
def test_grade_refuses_a_bad_number(bank, value, exc):
    entry = bank["00 practice#2"]
    with pytest.raises(exc, match="value"):
        grade(entry, value)
