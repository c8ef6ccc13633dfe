"""Self-check quizzes that work offline, give instant feedback and teach rather than give the answer away.

Two kinds of question: :class:`MultipleChoice` and :class:`Numeric` (an answer with a tolerance and a unit).
A first wrong answer gets a hint; a second wrong answer, or a right one, gets the full explanation. Changing a
checked answer clears its feedback; in a numeric question, Enter checks the answer. :class:`Quiz` groups
questions and keeps two scores: right at the first try (the one that counts) and right now.

Every check of an answer is announced to the answer listeners (:func:`add_answer_listener`) as an
:class:`AnswerEvent` (defined in :mod:`course_utils.answers`), which carries what the learner chose (the option's
index or the number) and the question's stable id ``"<quiz title>#<n>"``; the progress kept between sessions
(:mod:`course_utils.progress`) is one such listener. :data:`PROGRESS` holds, for this kernel session, each quiz's
answers that are right now.

When a quiz is shown, it reads the progress file and marks each question answered in an earlier session (after
a kernel restart, say) with its saved results: right at the first try or not, and the latest answer right or not.
The mark is only a note: the question is shown unanswered, and this session's score counts this session's checks.

Example:
    >>> q = Numeric("How many hertz is 6000 strokes per minute?", answer=100, tolerance=1, unit="Hz",
    ...             explanation="Divide by 60 seconds.")
    >>> q.check(100.4)
    True
"""

from __future__ import annotations

import html
import logging
import math
import os
from collections.abc import Callable, Sequence

import ipywidgets as w

from . import progress
from .answers import (  # noqa: F401 - _ANSWER_LISTENERS: the listeners' list, which tests read here
    _ANSWER_LISTENERS,
    AnswerEvent,
    add_answer_listener,
    announce,
    remove_answer_listener,
)
from .plots import page_helpers_html
from .validation import check_int, check_number

__all__ = ["MultipleChoice", "Numeric", "Quiz", "PROGRESS", "AnswerEvent", "add_answer_listener",
           "remove_answer_listener", "DEFAULT_HINT"]
# AnswerEvent and the listeners live in course_utils.answers (shared with course_utils.progress, which must not
# import this module); they are named here too, where a quiz's author looks for them.

PROGRESS: dict[str, tuple[int, int]] = {}
"""Quiz title → (questions whose checked answer is right now, number of questions), for this kernel session."""

DEFAULT_HINT = ("Read the question once more and look back at the section it comes from: which idea does it "
                "ask about? Then change your answer and press Check again.")
"""The hint a question gives after a first wrong answer when its author wrote none."""

ENTRY_PLACEHOLDER = "type a number, press Enter"
"""The grey hint inside a numeric question's empty answer box."""

# The width is the whole box's: its label ("Your answer", 6em) and the input. Measured in Chromium, 13-px Arial:
# the placeholder needs 156 px; 14em left the input 77 px of text room, so it read "type a numbe". 22em leaves
# 181 px; in em, it grows with the text: with projector mode's 20-px widget text, 293 px for the 240 px needed.
_ENTRY_WIDTH = "22em"

_OK = "#009E73"
_NO = "#D55E00"
_log = logging.getLogger(__name__)


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{name} must be a non-empty string; got {value!r:.60}.")
    return value


# ============================================================================================ questions
class _Question:
    """Shared behaviour: a feedback area, a Check button, the attempts and the first-try result.

    Attributes:
        correct: Whether the current answer, as last checked, is right (None: not checked since it changed).
        first_try: Whether the first checked answer was right (None: not answered yet).
        attempts: How many different answers were checked.
    """

    def __init__(self, prompt: str, explanation: str, hint: str) -> None:
        self.prompt = _text("prompt", prompt)
        self.explanation = _text("explanation", explanation)
        self.hint = _text("hint", hint)
        self.correct: bool | None = None
        self.first_try: bool | None = None
        self.attempts = 0
        self._wrong = 0
        self._checked: object = None  # the answer last checked
        self._context: tuple[str, str, int] | None = None  # (notebook, quiz title, number), set by Quiz
        self.feedback = w.HTML()
        self.saved = w.HTML()  # the results saved in the progress file (set by Quiz when it is shown)
        self.button = w.Button(description="Check", button_style="primary", layout=w.Layout(width="auto"),
                               tooltip="Check your answer")
        self.button.on_click(lambda _b: self.submit())
        self._listeners: list[Callable[[], object]] = []
        self._after_check: list[Callable[[], object]] = []

    # --------------------------------------------------------------- feedback
    def _show(self, ok: bool | None, message: str) -> None:
        if ok is None:
            colour, mark = "#555555", "ℹ"
        else:
            colour, mark = (_OK, "✔ Correct.") if ok else (_NO, "✘ Not quite.")
        self.feedback.value = (f'<div role="status" style="color:{colour}"><b>{mark}</b> '
                               f"{message}</div>")

    def _show_result(self) -> None:
        if self.correct:
            self._show(True, html.escape(self.explanation))
        elif self._wrong == 1:
            self._show(False, f"<b>Hint:</b> {html.escape(self.hint)}")
        else:
            self._show(False, html.escape(self.explanation))

    def _changed(self) -> None:
        """The learner changed the answer: a checked answer's feedback no longer applies."""
        if self.correct is None and not self.feedback.value:
            return
        if self._current_quietly() == self._checked and self.correct is not None:
            return
        self.correct = None
        self.feedback.value = ""
        self._tell_quiz()

    def _tell_quiz(self) -> None:
        for listener in self._listeners:
            listener()

    # --------------------------------------------------------------- checking
    def submit(self) -> bool | None:
        """Check the learner's current answer, show the feedback and return the result (None if unanswered).

        Checking the same answer again shows the same feedback and is not a new attempt.
        """
        answer = self._current()
        if answer is None:
            self._show(None, "Choose or type an answer first, then press Check.")
            return None
        if self.correct is not None and answer == self._checked:
            self._show_result()
            return self.correct
        self.correct = self.check(answer)
        self.attempts += 1
        first = self.first_try is None
        if first:
            self.first_try = self.correct
        if not self.correct:
            self._wrong += 1
        self._checked = answer
        self._show_result()
        self._tell_quiz()
        notebook, quiz, number = self._context or ("", "(no quiz)", 1)
        announce(AnswerEvent(notebook=notebook, quiz=quiz, question=number, question_id=question_id(quiz, number),
                             correct=bool(self.correct), first_try=first, answer=self._answer_text(answer),
                             prompt=self.prompt, kind=self.kind, value=answer))
        for hook in self._after_check:
            hook()
        return self.correct

    def widget(self) -> w.Widget:
        return w.VBox([w.HTML(f"<b>{html.escape(self.prompt)}</b>"), self.saved, self._input_widget(),
                       w.HBox([self.button]), self.feedback])

    def _show_saved(self, record: dict | None) -> None:
        """Show the results saved in the progress file for this question (``record``), or nothing (None)."""
        if record is None:
            self.saved.value = ""
            return

        def verdict(ok: bool) -> str:
            return (f'<b style="color:{_OK}">✔ right</b>' if ok else f'<b style="color:{_NO}">✘ not right</b>')

        times = "once" if record["attempts"] == 1 else f"{record['attempts']} times"
        self.saved.value = (
            f'<div role="note" class="course-quiz-saved" style="color:#333333">Saved in your progress file '
            f"(answered {times}): first try {verdict(record['first_try'])} · latest answer "
            f"{verdict(record['now'])}.</div>")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


def question_id(quiz_title: str, number: int) -> str:
    """The stable id of question ``number`` (from 1) of the quiz titled ``quiz_title``: ``"<title>#<number>"``.

    Example:
        >>> question_id("07 self-check", 3)
        '07 self-check#3'
    """
    return f"{_text('quiz_title', quiz_title)}#{check_int('number', number, low=1)}"


class MultipleChoice(_Question):
    """A question with one right option.

    Args:
        prompt: The question.
        options: Two or more answer texts.
        answer: Index (from 0) of the right option.
        explanation: Why the right answer is right, shown after a right answer or a second wrong one.
        hint: A nudge shown after the first wrong answer, without giving the answer away.
    """

    def __init__(self, prompt: str, options: Sequence[str], answer: int, explanation: str,
                 hint: str = DEFAULT_HINT) -> None:
        super().__init__(prompt, explanation, hint)
        if isinstance(options, str) or not isinstance(options, Sequence):
            raise TypeError(f"options must be a list of answer texts; got {type(options).__name__}.")
        self.options = [_text("options", o) for o in options]
        if len(self.options) < 2:
            raise ValueError(f"options must hold at least 2 answers; got {len(self.options)}.")
        self.answer = check_int("answer", answer, low=0, high=len(self.options) - 1)
        self.choice = w.RadioButtons(options=self.options, value=None, layout=w.Layout(width="auto"))
        self.choice.observe(lambda _c: self._changed(), names="index")

    kind = "choice"
    """What the learner's answer is (:data:`course_utils.answers.KINDS`): the index of an option."""

    def _input_widget(self) -> w.Widget:
        return self.choice

    def _current(self) -> int | None:
        return None if self.choice.index is None else int(self.choice.index)

    _current_quietly = _current

    def _answer_text(self, index: int) -> str:
        return self.options[index]

    def check(self, index: int) -> bool:
        """Whether option ``index`` (from 0) is the right one."""
        return check_int("index", index, low=0, high=len(self.options) - 1) == self.answer


class Numeric(_Question):
    """A question whose answer is a number with a unit, accepted within a tolerance.

    The learner types the number and presses Enter (or Check); a comma works as the decimal mark. The box says
    so in its placeholder, wide enough for the whole text (``_ENTRY_WIDTH``) at the course's font sizes.

    Args:
        prompt: The question (say which unit to answer in).
        answer: The right value, in ``unit``.
        tolerance: Accepted absolute difference, in ``unit`` (> 0).
        unit: The unit, shown beside the answer box.
        explanation: How to get the answer, shown after a right answer or a second wrong one.
        hint: A nudge shown after the first wrong answer, without giving the answer away.
    """

    def __init__(self, prompt: str, answer: float, tolerance: float, unit: str, explanation: str,
                 hint: str = DEFAULT_HINT) -> None:
        super().__init__(prompt, explanation, hint)
        self.unit = _text("unit", unit)
        self.answer = check_number("answer", answer, unit=unit)
        self.tolerance = check_number("tolerance", tolerance, unit=unit, low=0, low_open=True)
        # continuous_update=False: the box sends its text when the learner presses Enter (or leaves the box),
        # the way ipywidgets 8 replaces the deprecated Text.on_submit.
        self.entry = w.Text(placeholder=ENTRY_PLACEHOLDER, continuous_update=False,
                            layout=w.Layout(width=_ENTRY_WIDTH), description="Your answer",
                            style={"description_width": "initial"})
        self.entry.observe(self._on_entry, names="value")

    kind = "number"
    """What the learner's answer is (:data:`course_utils.answers.KINDS`): a number in the question's unit."""

    def _on_entry(self, _change) -> None:
        self._changed()
        if self.entry.value.strip():
            self.submit()

    def _input_widget(self) -> w.Widget:
        return w.HBox([self.entry, w.Label(self.unit)])

    def _parse(self) -> float | None:
        """The typed number (NaN if the text is not a finite number), or None if the box is empty."""
        raw = self.entry.value.strip().replace(",", ".")
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            return math.nan
        return value if math.isfinite(value) else math.nan

    def _current_quietly(self) -> float | None:
        value = self._parse()
        return None if value is None or math.isnan(value) else value

    def _current(self) -> float | None:
        value = self._parse()
        if value is not None and math.isnan(value):
            self._show(None, f"Please type a plain number in {html.escape(self.unit)}, e.g. 12.5.")
            return None
        return value

    def _answer_text(self, value: float) -> str:
        return self.entry.value.strip()

    def submit(self) -> bool | None:
        value = self._parse()
        if value is not None and math.isnan(value):  # text that is not a number: say so, count nothing
            self._current()
            return None
        return super().submit()

    def check(self, value: float) -> bool:
        """Whether ``value`` (in the question's unit) is within the tolerance of the answer."""
        x = check_number("value", value, unit=self.unit)
        return abs(x - self.answer) <= self.tolerance


# ============================================================================================ quiz

QUIZ_CSS_CLASS = "cu-quiz"
"""CSS class of a quiz's box, which scopes :data:`_QUIZ_CSS`."""

# ipywidgets gives each radio option a fixed height of one line: a long option wrapped and its second line was drawn
# over the next option (10's question 19 at 1280 px). Options grow to their text instead, aligned under the first.
_QUIZ_CSS = (f"<style>.{QUIZ_CSS_CLASS} .widget-radio-box label {{ height: auto; "
             "min-height: var(--jp-widgets-radio-item-height, 24px); line-height: 1.35; white-space: normal; "
             "padding: 2px 0; }</style>")


class Quiz:
    """A titled set of questions with two scores: right at the first try, and right now.

    Question ids: question ``n`` (from 1) has the id ``"<title>#<n>"`` (:func:`question_id`), the key of its
    record in the progress file and what the workshop check-in grades by. The course's quiz titles are unique
    (``"NN self-check"``, ``"00 practice"``, ``"10 final review"``), so the id is stable and unique per notebook
    and quiz; :mod:`workshop.question_bank` derives every id and answer from the notebooks.

    When shown, the quiz reads the progress file and marks each question answered before (:meth:`show_saved`).

    Args:
        title: Shown above the questions; the key in :data:`PROGRESS` and the start of each question's id
            (e.g. ``"01 self-check"``).
        questions: The questions.
        notebook: A label of the notebook the quiz is in (e.g. ``"01"``), used to group progress; may be empty.
    """

    heading_level = 3
    """HTML heading level of the title: under the notebook's H2 sections, so no heading level is skipped."""

    def __init__(self, title: str, questions: Sequence[_Question], notebook: str = "") -> None:
        self.title = _text("title", title)
        if not isinstance(notebook, str):
            raise TypeError(f"notebook must be a string (a label such as '01', or ''); got {notebook!r:.60} "
                            f"of type {type(notebook).__name__}.")
        self.notebook = notebook.strip()
        if isinstance(questions, _Question) or not isinstance(questions, Sequence):
            raise TypeError("questions must be a list of MultipleChoice or Numeric questions.")
        if not questions or not all(isinstance(q, _Question) for q in questions):
            raise TypeError("questions must be a non-empty list of MultipleChoice or Numeric questions.")
        self.questions = list(questions)
        self.score = w.HTML()
        self.saved: dict[str, dict] = {}
        """Question id → its record in the progress file, as last read by :meth:`show_saved`."""
        for number, q in enumerate(self.questions, 1):
            q._context = (self.notebook, self.title, number)
            q._listeners.append(self._update_score)
            q._after_check.append(self.show_saved)
        self._update_score()

    @property
    def question_ids(self) -> list[str]:
        """The stable id of each question, in order: ``"<title>#1"``, ``"<title>#2"``, ..."""
        return [question_id(self.title, n) for n in range(1, len(self.questions) + 1)]

    def show_saved(self) -> dict[str, dict]:
        """Read the progress file and mark each question that has a saved answer with its saved results.

        Nothing else changes: the question stays unanswered on screen and this session's score is untouched, so
        the learner is never shown as having answered in this session. A record whose saved question text
        differs from the question's (a quiz edited since) is not shown. Called when the quiz is shown and
        after every check.

        Returns:
            Question id → saved record (``first_try``, ``now``, ``attempts``, ...), for the questions marked.
        """
        records = progress.saved_answers()
        self.saved = {}
        for qid, q in zip(self.question_ids, self.questions, strict=True):
            rec = records.get(qid)
            if rec is not None and rec.get("prompt", q.prompt) != q.prompt:
                rec = None
            if rec is not None:
                self.saved[qid] = rec
            q._show_saved(rec)
        self._update_score()
        return dict(self.saved)

    @property
    def n_correct(self) -> int:
        """Questions whose checked answer is right now."""
        return sum(1 for q in self.questions if q.correct)

    @property
    def n_first_try(self) -> int:
        """Questions answered right at the first try (the score that counts)."""
        return sum(1 for q in self.questions if q.first_try)

    def _update_score(self) -> None:
        answered = sum(1 for q in self.questions if q.first_try is not None)
        n = len(self.questions)
        PROGRESS[self.title] = (self.n_correct, n)
        saved = ""
        if self.saved:
            recs = self.saved.values()
            saved = (f"<br>Saved in your progress file, all sessions: {len(self.saved)} of {n} answered, "
                     f"{sum(r['first_try'] for r in recs)} right at the first try, "
                     f"{sum(r['now'] for r in recs)} right now.")
        self.score.value = (f'<div role="status"><i>Score — first try: {self.n_first_try}/{n} · '
                            f"now: {self.n_correct}/{n} ({answered} of {n} answered).{saved}</i></div>")

    def widget(self) -> w.Widget:
        self.show_saved()
        h = self.heading_level
        parts: list[w.Widget] = [w.HTML(f"<h{h}>{html.escape(self.title)}</h{h}>")]
        notice = _sharing_notice()
        if notice:
            parts.append(w.HTML(f'<p style="font-size:0.9em;color:#555555">{html.escape(notice)}</p>'))
        for i, q in enumerate(self.questions, 1):
            box = q.widget()
            box.children = (w.HTML(f"Question {i}"), *box.children)
            parts.append(box)
        parts.append(self.score)
        # last: the other parts keep their places. The page helpers keep Enter in the number box for the quiz.
        box = w.VBox([*parts, w.HTML(_QUIZ_CSS + page_helpers_html(projector=False))])
        box.add_class(QUIZ_CSS_CLASS)
        return box

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


def _sharing_notice() -> str:
    """On a hub with the check-in helper: the sentence that tells the learner what is shared; else ""."""
    try:
        from .checkin import sharing_notice

        notice = sharing_notice()
    except Exception:  # no hub helper, or it failed: nothing is shared, so nothing to say
        return ""
    return notice.strip() if isinstance(notice, str) else ""


def _register_default_listeners() -> None:
    """Progress kept between sessions, and on JupyterHub the hub's check-in (if its helper is installed)."""
    add_answer_listener(progress.record_answer)
    if os.environ.get("JUPYTERHUB_API_TOKEN"):
        try:
            from .checkin import report_answer
        except Exception as exc:  # the hub helper is optional
            _log.info("no hub check-in: %s", exc)
        else:
            add_answer_listener(report_answer)


_register_default_listeners()
