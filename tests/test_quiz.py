"""Quizzes driven through their real widgets (radio buttons, text box, Check button)."""

from __future__ import annotations

import itertools
import math

import matplotlib

matplotlib.use("Agg")

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import course_utils as cu

_titles = itertools.count()
EXPLANATION = "Reset only moves the controls back to where they started"


def _unique_title() -> str:
    return f"test quiz {next(_titles)}"


def _mc() -> cu.MultipleChoice:
    return cu.MultipleChoice("What does Reset do?", ["Deletes the notebook", "Returns every control", "Restarts"],
                             answer=1, explanation=EXPLANATION)


def _numeric(answer: float = 50.0, tolerance: float = 0.5) -> cu.Numeric:
    return cu.Numeric("3000 strokes per minute in Hz?", answer=answer, tolerance=tolerance, unit="Hz",
                      explanation="Divide by 60 seconds per minute")


# ------------------------------------------------------------------------------------------------ MultipleChoice


def test_multiple_choice_right_answer_by_index():
    q = _mc()
    q.choice.index = 1
    q.button.click()
    assert q.correct is True
    assert "Correct" in q.feedback.value
    assert EXPLANATION in q.feedback.value
    assert "Not quite" not in q.feedback.value


def test_multiple_choice_wrong_answer_by_value():
    q = _mc()
    q.choice.value = "Restarts"
    q.button.click()
    assert q.correct is False
    assert "Not quite" in q.feedback.value
    assert EXPLANATION in q.feedback.value


def test_multiple_choice_unanswered_gives_hint():
    q = _mc()
    q.button.click()
    assert q.correct is None
    assert "Choose or type an answer first" in q.feedback.value
    assert "Correct" not in q.feedback.value and "Not quite" not in q.feedback.value


def test_multiple_choice_changing_the_answer_changes_feedback():
    q = _mc()
    q.choice.index = 0
    q.button.click()
    assert "Not quite" in q.feedback.value
    q.choice.index = 1
    q.button.click()
    assert "Correct" in q.feedback.value and q.correct is True


def test_multiple_choice_check_method():
    q = _mc()
    assert q.check(1) is True and q.check(0) is False
    with pytest.raises(ValueError, match="index"):
        q.check(3)


def test_feedback_escapes_html_in_the_explanation():
    q = cu.MultipleChoice("Which?", ["a", "b"], answer=0, explanation="x < y & <script>")
    q.choice.index = 0
    q.button.click()
    assert "<script>" not in q.feedback.value and "&lt;script&gt;" in q.feedback.value


# ------------------------------------------------------------------------------------------------ Numeric


@pytest.mark.parametrize("typed, ok", [
    ("50", True), ("50.5", True), ("49.5", True),     # the tolerance edges (exact in binary) are inside
    ("50.6", False), ("49.4", False), ("100", False),
    ("50,25", True), (" 49,75 ", True), ("-50", False),
])
def test_numeric_tolerance_edges_and_comma_decimal(typed, ok):
    q = _numeric()
    q.entry.value = typed
    q.button.click()
    assert q.correct is ok
    assert ("Correct" if ok else "Not quite") in q.feedback.value
    assert "Divide by 60 seconds per minute" in q.feedback.value


def test_numeric_comma_decimal_63_7():
    q = cu.Numeric("Mean pressure of 20 N over a 10 mm radius, in kPa?", answer=20 / (math.pi * 0.01**2) / 1000,
                   tolerance=0.5, unit="kPa", explanation="p = F / (π a²)")
    q.entry.value = "63,7"
    q.button.click()
    assert q.correct is True and "Correct" in q.feedback.value


@pytest.mark.parametrize("typed", ["sixty", "50 Hz", "1.000,5", "5O", "?"])
def test_numeric_text_that_is_not_a_number_gives_friendly_hint(typed):
    q = _numeric()
    q.entry.value = typed
    assert q.submit() is None  # direct call: an exception would propagate here
    assert q.correct is None
    assert "Please type a plain number in Hz" in q.feedback.value
    assert "Traceback" not in q.feedback.value


def test_numeric_empty_box_gives_hint():
    q = _numeric()
    q.entry.value = "   "
    assert q.submit() is None
    assert "Choose or type an answer first" in q.feedback.value


def _nonfinite_text(s: str) -> bool:
    try:
        return not math.isfinite(float(s.strip().replace(",", ".")))
    except ValueError:
        return False


@settings(max_examples=150, deadline=None)
@given(typed=st.text(max_size=12))
def test_numeric_any_typed_text_never_raises(typed):
    # Texts such as "nan" or "inf" are tested separately below (they must give the plain-number hint).
    if _nonfinite_text(typed):
        return
    q = _numeric()
    q.entry.value = typed
    result = q.submit()
    assert result in (True, False, None)
    assert q.feedback.value


@pytest.mark.parametrize("typed", ["nan", "inf", "-Infinity", "1e999"])
def test_numeric_nonfinite_text_gives_hint(typed):
    q = _numeric()
    q.entry.value = typed
    assert q.submit() is None
    assert "Please type a plain number" in q.feedback.value


# ------------------------------------------------------------------------------------------------ Quiz


def test_quiz_score_and_progress_follow_the_answers():
    title = _unique_title()
    mc, num = _mc(), _numeric()
    quiz = cu.Quiz(title, [mc, num])
    assert cu.PROGRESS[title] == (0, 2)
    assert "Score: 0 of 2 right (0 answered)" in quiz.score.value

    mc.choice.index = 1
    mc.button.click()
    assert cu.PROGRESS[title] == (1, 2)
    assert "Score: 1 of 2 right (1 answered)" in quiz.score.value

    num.entry.value = "70"
    num.button.click()
    assert cu.PROGRESS[title] == (1, 2)
    assert "Score: 1 of 2 right (2 answered)" in quiz.score.value

    num.entry.value = "50"
    num.button.click()
    assert cu.PROGRESS[title] == (2, 2)
    assert quiz.n_correct == 2
    assert "Score: 2 of 2 right (2 answered)" in quiz.score.value

    mc.choice.index = 2
    mc.button.click()
    assert cu.PROGRESS[title] == (1, 2)


def test_unanswered_check_does_not_change_score():
    title = _unique_title()
    mc = _mc()
    quiz = cu.Quiz(title, [mc])
    mc.button.click()
    assert cu.PROGRESS[title] == (0, 1)
    assert "(0 answered)" in quiz.score.value


def test_quiz_widget_numbers_questions():
    quiz = cu.Quiz(_unique_title(), [_mc(), _numeric()])
    box = quiz.widget()
    texts = [getattr(child, "value", "") for q in box.children for child in getattr(q, "children", ())]
    assert "Question 1" in texts and "Question 2" in texts
    assert box.children[-1] is quiz.score


# ------------------------------------------------------------------------------------------------ constructors


@pytest.mark.parametrize("kwargs, exc, word", [
    ({"options": []}, ValueError, "options"),
    ({"options": ["only one"]}, ValueError, "options"),
    ({"options": "ab"}, TypeError, "options"),
    ({"options": None}, TypeError, "options"),
    ({"options": ["a", ""]}, TypeError, "option"),
    ({"answer": 3}, ValueError, "answer"),
    ({"answer": -1}, ValueError, "answer"),
    ({"answer": 1.0}, TypeError, "answer"),
    ({"answer": True}, TypeError, "answer"),
    ({"prompt": ""}, TypeError, "prompt"),
    ({"explanation": None}, TypeError, "explanation"),
])
def test_multiple_choice_constructor_validation(kwargs, exc, word):
    args = {"prompt": "Q?", "options": ["a", "b", "c"], "answer": 0, "explanation": "E."}
    args.update(kwargs)
    with pytest.raises(exc, match=word):
        cu.MultipleChoice(**args)


@pytest.mark.parametrize("kwargs, exc, word", [
    ({"tolerance": 0}, ValueError, "tolerance"),
    ({"tolerance": -1}, ValueError, "tolerance"),
    ({"tolerance": math.nan}, ValueError, "tolerance"),
    ({"tolerance": "0.5"}, TypeError, "tolerance"),
    ({"answer": math.inf}, ValueError, "answer"),
    ({"answer": "50"}, TypeError, "answer"),
    ({"unit": ""}, TypeError, "unit"),
])
def test_numeric_constructor_validation(kwargs, exc, word):
    args = {"prompt": "Q?", "answer": 50, "tolerance": 0.5, "unit": "Hz", "explanation": "E."}
    args.update(kwargs)
    with pytest.raises(exc, match=word):
        cu.Numeric(**args)


@pytest.mark.parametrize("questions", [[], ["not a question"], None, "abc"])
def test_quiz_constructor_validation(questions):
    with pytest.raises(TypeError, match="questions"):
        cu.Quiz(_unique_title(), questions)


def test_quiz_constructor_refuses_single_question_and_empty_title():
    with pytest.raises(TypeError, match="questions"):
        cu.Quiz(_unique_title(), _mc())
    with pytest.raises(TypeError, match="title"):
        cu.Quiz("", [_mc()])
