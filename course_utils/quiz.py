"""Self-check quizzes that work offline, give instant feedback and teach rather than give the answer away.

Two kinds of question: :class:`MultipleChoice` and :class:`Numeric` (an answer with a tolerance and a unit).
A first wrong answer gets a hint; a second wrong answer, or a right one, gets the full explanation. Changing a
checked answer clears its feedback; in a numeric question, Enter checks the answer. :class:`Quiz` groups
questions and keeps two scores: right at the first try (the one that counts) and right now.

Every check of an answer is announced to the answer listeners (:func:`add_answer_listener`) as an
:class:`AnswerEvent`; the progress kept between sessions (:mod:`course_utils.progress`) is one such listener.
:data:`PROGRESS` holds, for this kernel session, each quiz's answers that are right now.

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
from dataclasses import dataclass

import ipywidgets as w

from .validation import check_bool, check_int, check_number

__all__ = ["MultipleChoice", "Numeric", "Quiz", "PROGRESS", "AnswerEvent", "add_answer_listener",
           "remove_answer_listener", "DEFAULT_HINT"]

PROGRESS: dict[str, tuple[int, int]] = {}
"""Quiz title → (questions whose checked answer is right now, number of questions), for this kernel session."""

DEFAULT_HINT = ("Read the question once more and look back at the section it comes from: which idea does it "
                "ask about? Then change your answer and press Check again.")
"""The hint a question gives after a first wrong answer when its author wrote none."""

_OK = "#009E73"
_NO = "#D55E00"
_log = logging.getLogger(__name__)


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{name} must be a non-empty string; got {value!r:.60}.")
    return value


# ============================================================================================ answer events
@dataclass(frozen=True)
class AnswerEvent:
    """One checked answer, as told to every answer listener.

    Attributes:
        notebook: The notebook's label given to the quiz (``Quiz(notebook=...)``), or ``""``.
        quiz: The quiz's title.
        question: The question's number in its quiz, from 1.
        question_id: A stable name of the question: ``"<quiz title>#<number>"``.
        correct: Whether this answer is right.
        first_try: Whether this was the learner's first checked answer to the question in this session.
        answer: The answer as the learner gave it (the option's text, or the typed number).
        prompt: The question's text, so that a report (e.g. the workshop check-in) can show it; may be empty.
    """

    notebook: str
    quiz: str
    question: int
    question_id: str
    correct: bool
    first_try: bool
    answer: str
    prompt: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.notebook, str):
            raise TypeError(f"notebook must be a string (may be empty); got {self.notebook!r:.60}.")
        _text("quiz", self.quiz)
        check_int("question", self.question, low=1)
        _text("question_id", self.question_id)
        check_bool("correct", self.correct)
        check_bool("first_try", self.first_try)
        if not isinstance(self.answer, str):
            raise TypeError(f"answer must be a string; got {self.answer!r:.60} of type {type(self.answer).__name__}.")
        if not isinstance(self.prompt, str):
            raise TypeError(f"prompt must be a string (may be empty); got {self.prompt!r:.60}.")


_ANSWER_LISTENERS: list[Callable[[AnswerEvent], object]] = []


def add_answer_listener(fn: Callable[[AnswerEvent], object]) -> Callable[[AnswerEvent], object]:
    """Call ``fn(event)`` with an :class:`AnswerEvent` every time a learner checks an answer.

    A listener that raises never breaks the quiz: its error is logged and the other listeners still run.
    Adding the same listener twice has no effect.

    Args:
        fn: A callable taking one :class:`AnswerEvent`.

    Returns:
        ``fn`` itself (so this can be used as a decorator).
    """
    if not callable(fn):
        raise TypeError(f"fn must be a callable taking one AnswerEvent; got {fn!r:.60} of type {type(fn).__name__}.")
    if fn not in _ANSWER_LISTENERS:
        _ANSWER_LISTENERS.append(fn)
    return fn


def remove_answer_listener(fn: Callable[[AnswerEvent], object]) -> bool:
    """Stop calling ``fn`` on checked answers; return whether it was registered."""
    if not callable(fn):
        raise TypeError(f"fn must be a callable taking one AnswerEvent; got {fn!r:.60} of type {type(fn).__name__}.")
    if fn in _ANSWER_LISTENERS:
        _ANSWER_LISTENERS.remove(fn)
        return True
    return False


def _announce(event: AnswerEvent) -> None:
    for fn in list(_ANSWER_LISTENERS):
        try:
            fn(event)
        except Exception as exc:  # a listener (progress file, hub check-in) must never break a quiz
            _log.warning("answer listener %r failed: %s: %s", fn, type(exc).__name__, exc)


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
        self.button = w.Button(description="Check", button_style="primary", layout=w.Layout(width="auto"),
                               tooltip="Check your answer")
        self.button.on_click(lambda _b: self.submit())
        self._listeners: list[Callable[[], object]] = []

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
        _announce(AnswerEvent(notebook=notebook, quiz=quiz, question=number, question_id=f"{quiz}#{number}",
                              correct=bool(self.correct), first_try=first, answer=self._answer_text(answer),
                              prompt=self.prompt))
        return self.correct

    def widget(self) -> w.Widget:
        return w.VBox([w.HTML(f"<b>{html.escape(self.prompt)}</b>"), self._input_widget(),
                       w.HBox([self.button]), self.feedback])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


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

    The learner types the number and presses Enter (or Check); a comma works as the decimal mark.

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
        self.entry = w.Text(placeholder="type a number, press Enter", continuous_update=False,
                            layout=w.Layout(width="14em"), description="Your answer",
                            style={"description_width": "initial"})
        self.entry.observe(self._on_entry, names="value")

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
class Quiz:
    """A titled set of questions with two scores: right at the first try, and right now.

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
        for number, q in enumerate(self.questions, 1):
            q._context = (self.notebook, self.title, number)
            q._listeners.append(self._update_score)
        self._update_score()

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
        self.score.value = (f'<div role="status"><i>Score — first try: {self.n_first_try}/{n} · '
                            f"now: {self.n_correct}/{n} ({answered} of {n} answered).</i></div>")

    def widget(self) -> w.Widget:
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
        return w.VBox(parts)

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
    from .progress import record_answer

    add_answer_listener(record_answer)
    if os.environ.get("JUPYTERHUB_API_TOKEN"):
        try:
            from .checkin import report_answer
        except Exception as exc:  # the hub helper is optional
            _log.info("no hub check-in: %s", exc)
        else:
            add_answer_listener(report_answer)


_register_default_listeners()
