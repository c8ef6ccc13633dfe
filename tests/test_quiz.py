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


def test_multiple_choice_first_wrong_answer_gets_the_hint_not_the_explanation():
    q = _mc()
    q.choice.value = "Restarts"
    q.button.click()
    assert q.correct is False
    assert "Not quite" in q.feedback.value
    assert "Hint:" in q.feedback.value and cu.DEFAULT_HINT[:40] in q.feedback.value
    assert EXPLANATION not in q.feedback.value


def test_second_wrong_answer_gets_the_explanation():
    q = cu.MultipleChoice("What does Reset do?", ["Deletes", "Returns every control", "Restarts"], answer=1,
                          explanation=EXPLANATION, hint="Think of a video's rewind button.")
    q.choice.index = 0
    q.button.click()
    assert "Think of a video" in q.feedback.value and EXPLANATION not in q.feedback.value
    q.choice.index = 2
    q.button.click()
    assert "Not quite" in q.feedback.value and EXPLANATION in q.feedback.value
    assert "Think of a video" not in q.feedback.value
    assert q.attempts == 2 and q.first_try is False


def test_right_answer_after_a_hint_gets_the_explanation():
    q = _mc()
    q.choice.index = 0
    q.button.click()
    q.choice.index = 1
    q.button.click()
    assert "Correct" in q.feedback.value and EXPLANATION in q.feedback.value
    assert q.correct is True and q.first_try is False


def test_changing_a_checked_answer_clears_its_feedback():
    q = _mc()
    q.choice.index = 1
    q.button.click()
    assert "Correct" in q.feedback.value
    q.choice.index = 0                 # the learner picks another option but has not checked it
    assert q.feedback.value == "" and q.correct is None
    assert q.first_try is True         # the first try stays what it was


def test_checking_the_same_answer_again_is_not_a_new_attempt():
    q = _mc()
    q.choice.index = 0
    q.button.click()
    q.button.click()
    q.button.click()
    assert q.attempts == 1
    assert "Hint:" in q.feedback.value and EXPLANATION not in q.feedback.value


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
    assert ("Divide by 60 seconds per minute" in q.feedback.value) is ok  # a first wrong answer gets the hint


def test_enter_checks_a_numeric_answer():
    # With continuous_update=False the browser sends the box's text when the learner presses Enter.
    q = _numeric()
    assert q.entry.continuous_update is False
    q.entry.value = "50"               # what pressing Enter after typing 50 does
    assert q.correct is True and "Correct" in q.feedback.value and q.attempts == 1
    q.button.click()                   # pressing Check afterwards is not a second attempt
    assert q.attempts == 1
    q.entry.value = "70"
    assert q.correct is False and "Hint:" in q.feedback.value and q.attempts == 2
    q.entry.value = ""                 # emptying the box clears the feedback
    assert q.feedback.value == "" and q.correct is None


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


def test_quiz_scores_first_tries_and_shows_the_current_score_too():
    title = _unique_title()
    mc, num = _mc(), _numeric()
    quiz = cu.Quiz(title, [mc, num])
    assert cu.PROGRESS[title] == (0, 2)
    assert "first try: 0/2" in quiz.score.value and "now: 0/2" in quiz.score.value
    assert "(0 of 2 answered)" in quiz.score.value

    mc.choice.index = 1
    mc.button.click()
    assert cu.PROGRESS[title] == (1, 2)
    assert "first try: 1/2" in quiz.score.value and "now: 1/2" in quiz.score.value

    num.entry.value = "70"
    num.button.click()
    assert "first try: 1/2" in quiz.score.value and "now: 1/2" in quiz.score.value
    assert "(2 of 2 answered)" in quiz.score.value

    num.entry.value = "50"             # right at the second try: counts now, not at the first try
    num.button.click()
    assert cu.PROGRESS[title] == (2, 2)
    assert quiz.n_correct == 2 and quiz.n_first_try == 1
    assert "first try: 1/2" in quiz.score.value and "now: 2/2" in quiz.score.value

    mc.choice.index = 2                # changed, not yet checked: no longer counted as right now
    assert "now: 1/2" in quiz.score.value and cu.PROGRESS[title] == (1, 2)
    mc.button.click()
    assert cu.PROGRESS[title] == (1, 2)
    assert "first try: 1/2" in quiz.score.value


def test_unanswered_check_does_not_change_score():
    title = _unique_title()
    mc = _mc()
    quiz = cu.Quiz(title, [mc])
    mc.button.click()
    assert cu.PROGRESS[title] == (0, 1)
    assert "(0 of 1 answered)" in quiz.score.value


def test_quiz_widget_numbers_questions():
    quiz = cu.Quiz(_unique_title(), [_mc(), _numeric()])
    box = quiz.widget()
    texts = [getattr(child, "value", "") for q in box.children for child in getattr(q, "children", ())]
    assert "Question 1" in texts and "Question 2" in texts
    assert box.children[-2] is quiz.score  # last shown part; after it only the quiz's style sheet


def test_long_options_wrap_instead_of_running_over_the_next_one():
    # ipywidgets fixes a radio option at one line's height: a wrapped option overlapped the next (10's question 19)
    box = cu.Quiz(_unique_title(), [_mc()]).widget()
    assert "cu-quiz" in box._dom_classes
    css = box.children[-1].value.split("</style>")[0]
    rule = css.split(".cu-quiz .widget-radio-box label", 1)[1]
    assert "height: auto" in rule and "white-space: normal" in rule
    assert css.count("{") == css.count("}") == 1  # one well-formed, scoped rule


def test_a_quiz_keeps_its_keys_from_the_notebooks_shortcuts():
    # JupyterLite's notebook took the Enter of the number box; the page helpers mark the controls so that
    # Lumino's key bindings skip them (data-lm-suppress-shortcuts)
    html_value = cu.Quiz(_unique_title(), [_numeric()]).widget().children[-1].value
    assert "data-lm-suppress-shortcuts" in html_value and "input" in html_value and "onerror=" in html_value


def test_quiz_heading_fits_under_the_notebook_h2_sections():
    quiz = cu.Quiz("05 <self-check>", [_mc()])
    heading = quiz.widget().children[0].value
    assert heading == "<h3>05 &lt;self-check&gt;</h3>"


# ------------------------------------------------------------------------------------------------ answer events


@pytest.fixture
def heard():
    events = []
    listener = cu.add_answer_listener(events.append)
    yield events
    cu.remove_answer_listener(listener)


def test_every_check_is_announced_with_its_question_and_first_try(heard):
    title = _unique_title()
    mc, num = _mc(), _numeric()
    cu.Quiz(title, [mc, num], notebook="03")
    mc.choice.index = 0
    mc.button.click()
    mc.button.click()                  # the same answer again: not a new event
    mc.choice.index = 1
    mc.button.click()
    num.entry.value = " 50,2 "
    assert heard == [
        cu.AnswerEvent("03", title, 1, f"{title}#1", correct=False, first_try=True, answer="Deletes the notebook",
                       prompt=mc.prompt, kind="choice", value=0),
        cu.AnswerEvent("03", title, 1, f"{title}#1", correct=True, first_try=False, answer="Returns every control",
                       prompt=mc.prompt, kind="choice", value=1),
        cu.AnswerEvent("03", title, 2, f"{title}#2", correct=True, first_try=True, answer="50,2", prompt=num.prompt,
                       kind="number", value=50.2),
    ]
    assert heard[0].prompt and heard[2].prompt != heard[0].prompt  # the check-in page shows the question's text
    with pytest.raises(AttributeError, match=r"cannot assign"):
        heard[0].correct = True


def test_a_failing_listener_never_breaks_the_quiz(heard):
    def broken(event):
        raise RuntimeError("hub unreachable")

    cu.add_answer_listener(broken)
    try:
        q = _mc()
        cu.Quiz(_unique_title(), [q])
        q.choice.index = 1
        q.button.click()
        assert q.correct is True and "Correct" in q.feedback.value
        assert len(heard) == 1         # the other listeners still ran
    finally:
        assert cu.remove_answer_listener(broken) is True
    assert cu.remove_answer_listener(broken) is False


@pytest.mark.parametrize("bad", [None, "print", 3])
def test_listener_must_be_callable(bad):
    with pytest.raises(TypeError, match="fn must be a callable"):
        cu.add_answer_listener(bad)


def test_answer_event_validates_its_fields():
    with pytest.raises(ValueError, match="question"):
        cu.AnswerEvent("01", "q", 0, "q#0", True, True, "a")
    with pytest.raises(TypeError, match="correct"):
        cu.AnswerEvent("01", "q", 1, "q#1", 1, True, "a")


def test_progress_recorder_is_a_default_listener():
    from course_utils import progress, quiz

    assert progress.record_answer in quiz._ANSWER_LISTENERS


def test_on_a_hub_the_checkin_helper_is_registered_and_its_notice_shown(monkeypatch):
    import sys
    import types

    from course_utils import quiz

    fake = types.ModuleType("course_utils.checkin")
    fake.report_answer = lambda event: None
    fake.sharing_notice = lambda: "Your answers are shared with your teacher."
    monkeypatch.setitem(sys.modules, "course_utils.checkin", fake)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "test-token-not-real")
    try:
        quiz._register_default_listeners()
        assert fake.report_answer in quiz._ANSWER_LISTENERS
        box = cu.Quiz(_unique_title(), [_mc()]).widget()
        assert "shared with your teacher" in box.children[1].value
        fake.sharing_notice = lambda: ""
        box = cu.Quiz(_unique_title(), [_mc()]).widget()
        assert "Question 1" in box.children[1].children[0].value  # no notice line
    finally:
        cu.remove_answer_listener(fake.report_answer)


def test_without_the_hub_helper_no_notice_and_no_error(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "course_utils.checkin", None)  # import fails as if the file were absent
    box = cu.Quiz(_unique_title(), [_mc()]).widget()
    assert "Question 1" in box.children[1].children[0].value


# ------------------------------------------------------------------------------------------------ after a restart


@pytest.fixture
def own_progress(tmp_path, monkeypatch):
    """A fresh progress file of this test's own (the 'disk' that outlives a kernel restart)."""
    from course_utils import progress

    path = tmp_path / "progress.json"
    monkeypatch.setenv(progress.ENV_VAR, str(path))
    return path


def _restart_quiz(title):
    """The same quiz as a notebook builds it again after a kernel restart: new question objects, same title."""
    return cu.Quiz(title, [_mc(), _numeric(), cu.MultipleChoice("Never answered?", ["a", "b"], answer=0,
                                                                 explanation="E.")], notebook="04")


def test_after_a_restart_the_quiz_marks_what_was_answered_without_answering_it(own_progress):
    title = _unique_title()
    before = _restart_quiz(title)
    mc, num, _ = before.questions
    mc.choice.index = 1                # right at the first try
    mc.button.click()
    num.entry.value = "70"             # wrong, then right
    num.entry.value = "50"
    # --- the kernel restarts: nothing of the old objects is left but the progress file
    after = _restart_quiz(title)
    box = after.widget()
    mc2, num2, never = after.questions
    assert "first try <b style=\"color:#009E73\">✔ right</b>" in mc2.saved.value
    assert "latest answer <b style=\"color:#009E73\">✔ right</b>" in mc2.saved.value
    assert "answered once" in mc2.saved.value
    assert "first try <b style=\"color:#D55E00\">✘ not right</b>" in num2.saved.value
    assert "latest answer <b style=\"color:#009E73\">✔ right</b>" in num2.saved.value
    assert "answered 2 times" in num2.saved.value
    assert never.saved.value == ""
    assert set(after.saved) == {f"{title}#1", f"{title}#2"}
    # the marks are shown in the quiz, under each question's text
    assert box.children[1].children[2] is mc2.saved and box.children[2].children[2] is num2.saved
    # ... and the learner is not pretended to have answered in this session
    for q in after.questions:
        assert q.correct is None and q.first_try is None and q.attempts == 0 and q.feedback.value == ""
    assert mc2.choice.index is None and num2.entry.value == ""
    assert "first try: 0/3 · now: 0/3 (0 of 3 answered)" in after.score.value
    assert "Saved in your progress file, all sessions: 2 of 3 answered, 1 right at the first try, 2 right now" \
        in after.score.value
    assert cu.PROGRESS[title] == (0, 3)


def test_a_check_after_a_restart_updates_the_mark_and_keeps_the_saved_first_try(own_progress):
    title = _unique_title()
    first = _restart_quiz(title)
    first.questions[0].choice.index = 1
    first.questions[0].button.click()
    after = _restart_quiz(title)
    after.widget()
    mc = after.questions[0]
    mc.choice.index = 0                 # wrong now, in the new session
    mc.button.click()
    assert "first try <b style=\"color:#009E73\">✔ right</b>" in mc.saved.value     # the saved first try stays
    assert "latest answer <b style=\"color:#D55E00\">✘ not right</b>" in mc.saved.value
    assert "answered 2 times" in mc.saved.value
    assert "first try: 0/3" in after.score.value and "1 right at the first try, 0 right now" in after.score.value


def test_a_saved_answer_to_a_different_question_under_the_same_id_is_not_shown(own_progress):
    title = _unique_title()
    old = cu.Quiz(title, [cu.MultipleChoice("The old question?", ["a", "b"], answer=0, explanation="E.")])
    old.questions[0].choice.index = 0
    old.questions[0].button.click()
    edited = cu.Quiz(title, [_mc()])   # the author replaced question 1 since
    edited.widget()
    assert edited.questions[0].saved.value == "" and edited.saved == {}
    assert "Saved in your progress file" not in edited.score.value


def test_no_progress_file_means_no_marks(own_progress):
    quiz = _restart_quiz(_unique_title())
    quiz.widget()
    assert all(q.saved.value == "" for q in quiz.questions) and quiz.saved == {}
    assert not own_progress.exists()   # showing a quiz writes nothing


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


@pytest.mark.parametrize("bad", [None, 3, ["01"]])
def test_quiz_notebook_label_must_be_text(bad):
    with pytest.raises(TypeError, match="notebook"):
        cu.Quiz(_unique_title(), [_mc()], notebook=bad)


@pytest.mark.parametrize("bad, exc", [("", TypeError), ("   ", TypeError), (None, TypeError), (3, TypeError)])
def test_hint_must_be_text(bad, exc):
    with pytest.raises(exc, match="hint"):
        cu.MultipleChoice("Q?", ["a", "b"], answer=0, explanation="E.", hint=bad)
    with pytest.raises(exc, match="hint"):
        cu.Numeric("Q?", answer=1, tolerance=0.1, unit="Hz", explanation="E.", hint=bad)


def test_quiz_constructor_refuses_single_question_and_empty_title():
    with pytest.raises(TypeError, match="questions"):
        cu.Quiz(_unique_title(), _mc())
    with pytest.raises(TypeError, match="title"):
        cu.Quiz("", [_mc()])


# ------------------------------------------------------------------------------------------------ in the browser


def _numeric_answer_of(notebook: str) -> float:
    """The right answer of the (first) numeric question in ``notebook``'s quiz cell, read from its source."""
    import ast
    import json
    from pathlib import Path

    cells = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / notebook).read_text(encoding="utf-8"))
    for cell in cells["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and "cu.Numeric(" in source:
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Numeric":
                    return float(next(ast.literal_eval(k.value) for k in node.keywords if k.arg == "answer"))
    raise AssertionError(f"{notebook} has no numeric quiz question")


@pytest.mark.browser
@pytest.mark.timeout(300)
def test_browser_enter_checks_a_numeric_answer_and_a_wrong_one_gets_a_hint(tmp_path):
    from .conftest import require_browser

    require_browser()
    import json

    from course_utils.quiz import ENTRY_PLACEHOLDER

    from .lab_harness import Lab, wait_until

    # an earlier session (before a kernel restart) answered question 1 right at the first try
    (tmp_path / "progress.json").write_text(json.dumps({"version": 1, "answers": {"00 practice#1": {
        "notebook": "00", "quiz": "00 practice", "question": 1, "first_try": True, "now": True, "attempts": 1}}}))
    lab = Lab(["00_start_here.ipynb"], env={"MASSAGE_COURSE_PROGRESS": str(tmp_path / "progress.json")},
              viewport=(1280, 900))
    try:
        lab.open_notebook("00_start_here.ipynb")
        lab.run_all()
        box = lab.page.get_by_placeholder(ENTRY_PLACEHOLDER).first
        box.scroll_into_view_if_needed()
        # the whole hint fits in the box (it was cut to "type a numbe"): its text width ≤ the box's content width
        room, needed = box.evaluate(
            "el => { const cs = getComputedStyle(el); const c = document.createElement('canvas').getContext('2d');"
            " c.font = cs.font; return [el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),"
            " c.measureText(el.placeholder).width]; }")
        assert needed <= room, f"the placeholder needs {needed:.0f} px, the box has {room:.0f} px"
        quiz = lab.page.locator(".widget-vbox", has=lab.page.locator("h3", has_text="00 practice")).last
        marks = quiz.locator(".course-quiz-saved")
        assert marks.count() == 1 and "first try ✔ right" in marks.first.inner_text()
        assert "Saved in your progress file, all sessions: 1 of 2 answered" in quiz.inner_text()
        score = quiz.locator(".widget-html", has_text="first try:").last
        right = _numeric_answer_of("00_start_here.ipynb")
        box.fill(f"{right + 20:g}")
        box.press("Enter")
        hint = quiz.locator("[role=status]", has_text="Hint:")
        hint.wait_for(state="visible", timeout=20_000)
        box.fill(f"{right:g}")
        box.press("Enter")
        quiz.locator("[role=status]", has_text="Correct").wait_for(state="visible", timeout=20_000)
        text = wait_until(score.inner_text, lambda t: "now: 1/2" in t)
        assert "first try: 0/2" in text and "now: 1/2" in text
        lab.page.screenshot(path=str(tmp_path / "00_quiz_after_enter.png"))
        lab.assert_no_errors()
    finally:
        lab.close()
    saved = (tmp_path / "progress.json").read_text(encoding="utf-8")
    assert '"00 practice#2"' in saved
