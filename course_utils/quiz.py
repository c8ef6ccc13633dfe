"""Self-check quizzes that work offline and give instant feedback.

Two kinds of question: :class:`MultipleChoice` and :class:`Numeric` (an answer with a tolerance and a unit).
After each answer the learner sees whether it was right and a short explanation. :class:`Quiz` groups
questions and keeps a score; every quiz a learner finishes is recorded in :data:`PROGRESS` for this session.

Example:
    >>> q = Numeric("How many hertz is 6000 strokes per minute?", answer=100, tolerance=1, unit="Hz",
    ...             explanation="Divide by 60 seconds.")
    >>> q.check(100.4)
    True
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import ipywidgets as w

from .validation import check_int, check_number

__all__ = ["MultipleChoice", "Numeric", "Quiz", "PROGRESS"]

PROGRESS: dict[str, tuple[int, int]] = {}
"""Quiz title → (questions answered correctly, number of questions), for this kernel session."""

_OK = "#009E73"
_NO = "#D55E00"


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{name} must be a non-empty string; got {value!r:.60}.")
    return value


class _Question:
    """Shared behaviour: a feedback area, a Check button and a record of the last result."""

    def __init__(self, prompt: str, explanation: str) -> None:
        self.prompt = _text("prompt", prompt)
        self.explanation = _text("explanation", explanation)
        self.correct: bool | None = None
        self.feedback = w.HTML()
        self.button = w.Button(description="Check", button_style="primary", layout=w.Layout(width="auto"))
        self.button.on_click(lambda _b: self.submit())
        self._listeners: list = []

    def _show(self, ok: bool | None, message: str) -> None:
        if ok is None:
            colour, mark = "#555555", "ℹ"
        else:
            colour, mark = (_OK, "✔ Correct.") if ok else (_NO, "✘ Not quite.")
        self.feedback.value = (f'<div role="status" style="color:{colour}"><b>{mark}</b> '
                               f"{message}</div>")

    def submit(self) -> bool | None:
        """Check the learner's current answer, show the feedback and return the result (None if unanswered)."""
        answer = self._current()
        if answer is None:
            self._show(None, "Choose or type an answer first, then press Check.")
            return None
        self.correct = self.check(answer)
        self._show(self.correct, html.escape(self.explanation))
        for listener in self._listeners:
            listener()
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
        explanation: Why the right answer is right, shown after any answer.
    """

    def __init__(self, prompt: str, options: Sequence[str], answer: int, explanation: str) -> None:
        super().__init__(prompt, explanation)
        if isinstance(options, str) or not isinstance(options, Sequence):
            raise TypeError(f"options must be a list of answer texts; got {type(options).__name__}.")
        self.options = [_text("options", o) for o in options]
        if len(self.options) < 2:
            raise ValueError(f"options must hold at least 2 answers; got {len(self.options)}.")
        self.answer = check_int("answer", answer, low=0, high=len(self.options) - 1)
        self.choice = w.RadioButtons(options=self.options, value=None, layout=w.Layout(width="auto"))

    def _input_widget(self) -> w.Widget:
        return self.choice

    def _current(self) -> int | None:
        return None if self.choice.index is None else int(self.choice.index)

    def check(self, index: int) -> bool:
        """Whether option ``index`` (from 0) is the right one."""
        return check_int("index", index, low=0, high=len(self.options) - 1) == self.answer


class Numeric(_Question):
    """A question whose answer is a number with a unit, accepted within a tolerance.

    Args:
        prompt: The question (say which unit to answer in).
        answer: The right value, in ``unit``.
        tolerance: Accepted absolute difference, in ``unit`` (> 0).
        unit: The unit, shown beside the answer box.
        explanation: How to get the answer, shown after any answer.
    """

    def __init__(self, prompt: str, answer: float, tolerance: float, unit: str, explanation: str) -> None:
        super().__init__(prompt, explanation)
        self.unit = _text("unit", unit)
        self.answer = check_number("answer", answer, unit=unit)
        self.tolerance = check_number("tolerance", tolerance, unit=unit, low=0, low_open=True)
        self.entry = w.Text(placeholder="your answer", layout=w.Layout(width="12em"))

    def _input_widget(self) -> w.Widget:
        return w.HBox([self.entry, w.Label(self.unit)])

    def _current(self) -> float | None:
        raw = self.entry.value.strip().replace(",", ".")
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self._show(None, f"Please type a plain number in {html.escape(self.unit)}, e.g. 12.5.")
            return None
        return value

    def submit(self) -> bool | None:
        raw = self.entry.value.strip()
        if raw and self._current() is None:  # a message was already shown for text that is not a number
            return None
        return super().submit()

    def check(self, value: float) -> bool:
        """Whether ``value`` (in the question's unit) is within the tolerance of the answer."""
        x = check_number("value", value, unit=self.unit)
        return abs(x - self.answer) <= self.tolerance


class Quiz:
    """A titled set of questions with a running score, recorded in :data:`PROGRESS`.

    Args:
        title: Shown above the questions and used as the key in :data:`PROGRESS` (e.g. ``"01 self-check"``).
        questions: The questions.
    """

    def __init__(self, title: str, questions: Sequence[_Question]) -> None:
        self.title = _text("title", title)
        if isinstance(questions, _Question) or not isinstance(questions, Sequence):
            raise TypeError("questions must be a list of MultipleChoice or Numeric questions.")
        if not questions or not all(isinstance(q, _Question) for q in questions):
            raise TypeError("questions must be a non-empty list of MultipleChoice or Numeric questions.")
        self.questions = list(questions)
        self.score = w.HTML()
        for q in self.questions:
            q._listeners.append(self._update_score)
        self._update_score()

    @property
    def n_correct(self) -> int:
        return sum(1 for q in self.questions if q.correct)

    def _update_score(self) -> None:
        answered = sum(1 for q in self.questions if q.correct is not None)
        n = len(self.questions)
        PROGRESS[self.title] = (self.n_correct, n)
        self.score.value = f"<i>Score: {self.n_correct} of {n} right ({answered} answered).</i>"

    def widget(self) -> w.Widget:
        parts: list[w.Widget] = [w.HTML(f"<h4>{html.escape(self.title)}</h4>")]
        for i, q in enumerate(self.questions, 1):
            box = q.widget()
            box.children = (w.HTML(f"Question {i}"), *box.children)
            parts.append(box)
        parts.append(self.score)
        return w.VBox(parts)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())
