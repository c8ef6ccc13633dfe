"""The record of one checked quiz answer, and the listeners told of every check.

This small module is what :mod:`course_utils.quiz` (which makes answers) and :mod:`course_utils.progress`
(which keeps them) share, so that neither imports the other's internals the wrong way round: ``quiz`` imports
``answers`` and ``progress``; ``progress`` imports ``answers`` only. It needs no widget code.

Question ids: every question of a :class:`~course_utils.quiz.Quiz` has the id ``"<quiz title>#<n>"``, where
``n`` is its position in the quiz, from 1 (e.g. ``"07 self-check#3"``). Quiz titles are unique in the course
(each notebook has one quiz, titled after the notebook: ``"01 self-check"`` … ``"10 final review"``; a test
checks this), so an id names one question of one notebook, and it is the same in every kernel, every session and
on every machine. The id changes only when an author reorders or inserts questions in a quiz, and then the
question bank derived from the notebooks (:mod:`workshop.question_bank`, the check-in's) changes with it.

Example:
    >>> e = AnswerEvent("01", "01 self-check", 2, "01 self-check#2", correct=True, first_try=True,
    ...                 answer="63,7", prompt="Mean pressure?", kind="number", value=63.7)
    >>> e.value
    63.7
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

from .validation import check_bool, check_int

__all__ = ["AnswerEvent", "add_answer_listener", "remove_answer_listener", "KINDS"]

KINDS = ("choice", "number")
"""What a question asks for: ``"choice"`` (MultipleChoice: ``value`` is the option's index, from 0) or
``"number"`` (Numeric: ``value`` is the typed number, in the question's unit)."""

_log = logging.getLogger(__name__)


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{name} must be a non-empty string; got {value!r:.60}.")
    return value


@dataclass(frozen=True)
class AnswerEvent:
    """One checked answer, as told to every answer listener.

    What the learner chose travels as data (``kind`` and ``value``), so a listener that must not trust the
    kernel (the workshop check-in) can grade the answer itself against the question bank; ``correct`` and
    ``first_try`` are the kernel's own verdict, for the learner's feedback and progress file.

    Attributes:
        notebook: The notebook's label given to the quiz (``Quiz(notebook=...)``, e.g. ``"07"``), or ``""``.
        quiz: The quiz's title (e.g. ``"07 self-check"``).
        question: The question's number in its quiz, from 1.
        question_id: The question's stable id, ``"<quiz title>#<question>"`` (see the module docstring).
        correct: Whether this answer is right (the kernel's verdict).
        first_try: Whether this was the learner's first checked answer to the question in this kernel session.
        answer: The answer as the learner gave it (the option's text, or the number as typed, e.g. ``"63,7"``).
        prompt: The question's text, so that a report can show it; may be empty.
        kind: ``"choice"`` or ``"number"`` (:data:`KINDS`), or ``""`` for an event made without it.
        value: What the learner chose: the option's index (``int``, from 0) when ``kind == "choice"``; the
            number as read (``float``, comma taken as the decimal mark, in the question's unit) when
            ``kind == "number"``; None when ``kind == ""``.
    """

    notebook: str
    quiz: str
    question: int
    question_id: str
    correct: bool
    first_try: bool
    answer: str
    prompt: str = ""
    kind: str = ""
    value: int | float | None = None

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
        if self.kind not in ("", *KINDS):
            raise ValueError(f"kind must be one of {KINDS} (or '' for none); got {self.kind!r:.60}.")
        if self.kind == "choice":
            check_int("value", self.value, low=0)
        elif self.kind == "number":
            if isinstance(self.value, bool) or not isinstance(self.value, (int, float)) \
                    or not math.isfinite(self.value):
                raise TypeError(f"value must be a finite number for a 'number' question; got {self.value!r:.60}.")
        elif self.value is not None:
            raise ValueError(f"value must be None when kind is ''; got {self.value!r:.60}.")


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


def announce(event: AnswerEvent) -> None:
    """Tell every listener of ``event``, in the order they were added; a failing listener is logged and skipped."""
    for fn in list(_ANSWER_LISTENERS):
        try:
            fn(event)
        except Exception as exc:  # a listener (progress file, hub check-in) must never break a quiz
            _log.warning("answer listener %r failed: %s: %s", fn, type(exc).__name__, exc)
