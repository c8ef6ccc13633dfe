"""The course's question bank, read from the notebooks' quiz cells, so that a server can grade answers itself.

Every quiz cell builds ``cu.Quiz("<title>", [cu.MultipleChoice(...), cu.Numeric(...), ...], notebook="NN")``
with literal arguments. :func:`question_bank` reads those cells with :mod:`ast` (nothing in a notebook is run)
and gives, by question id (``"<quiz title>#<n>"``, the id every :class:`~course_utils.answers.AnswerEvent`
carries), what the question asks for and its right answer. :func:`grade` applies the same rule as the quizzes
(``MultipleChoice.check``, ``Numeric.check``) to what a learner chose (``AnswerEvent.kind`` and ``.value``).

This module needs the standard library only (no widgets, no numpy), so the workshop's check-in service can use
it, or copy it, without the course's browser stack.

Example:
    >>> bank = question_bank("notebooks")  # doctest: +SKIP
    >>> bank["00 practice#2"]  # doctest: +SKIP
    {'notebook': '00', 'quiz': '00 practice', 'question': 2, 'prompt': '...', 'kind': 'number', 'answer': 50,
     'tolerance': 0.5, 'unit': 'Hz'}
    >>> grade(bank["00 practice#2"], 50.2)  # doctest: +SKIP
    True
"""

from __future__ import annotations

import ast
import json
import math
import os
from pathlib import Path

__all__ = ["question_bank", "grade"]

_ARGS = {  # the questions' positional parameters, as in course_utils.quiz
    "MultipleChoice": ("prompt", "options", "answer", "explanation", "hint"),
    "Numeric": ("prompt", "answer", "tolerance", "unit", "explanation", "hint"),
}
_QUIZ_ARGS = ("title", "questions", "notebook")


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _arguments(call: ast.Call, names: tuple[str, ...]) -> dict[str, ast.AST]:
    args = dict(zip(names, call.args, strict=False))
    args.update({kw.arg: kw.value for kw in call.keywords if kw.arg})
    return args


def _literal(node: ast.AST | None, where: str, what: str) -> object:
    if node is None:
        raise ValueError(f"{where}: the quiz gives no {what}.")
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise ValueError(f"{where}: {what} must be written as a literal for the question bank; got "
                         f"{ast.unparse(node)!r:.80}.") from None


def _questions_of_cell(source: str, where: str) -> list[dict]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and _name(node) == "Quiz"):
            continue
        quiz = _arguments(node, _QUIZ_ARGS)
        title = _literal(quiz.get("title"), where, "quiz title")
        notebook = _literal(quiz["notebook"], where, "notebook label") if "notebook" in quiz else ""
        items = quiz.get("questions")
        if not isinstance(items, ast.List):
            raise ValueError(f"{where}: the questions of quiz {title!r} must be a list written in the cell.")
        for number, item in enumerate(items.elts, 1):
            kind = _name(item) if isinstance(item, ast.Call) else ""
            if kind not in _ARGS:
                raise ValueError(f"{where}: question {number} of quiz {title!r} is not a MultipleChoice or Numeric.")
            args = _arguments(item, _ARGS[kind])
            at = f"{where}, quiz {title!r}, question {number}"
            entry = {"notebook": notebook, "quiz": title, "question": number,
                     "prompt": _literal(args.get("prompt"), at, "prompt")}
            if kind == "MultipleChoice":
                options = _literal(args.get("options"), at, "options")
                entry.update(kind="choice", answer=_literal(args.get("answer"), at, "answer"), options=list(options))
            else:
                entry.update(kind="number", answer=_literal(args.get("answer"), at, "answer"),
                             tolerance=_literal(args.get("tolerance"), at, "tolerance"),
                             unit=_literal(args.get("unit"), at, "unit"))
            out.append(entry)
    return out


def question_bank(path: str | os.PathLike) -> dict[str, dict]:
    """Every quiz question of the notebooks at ``path``, by question id (``"<quiz title>#<n>"``, n from 1).

    Args:
        path: A folder (its ``*.ipynb`` files are read, in name order) or one notebook.

    Returns:
        Question id → ``{"notebook", "quiz", "question", "prompt", "kind", "answer", "source", ...}``
        (``source``: the notebook's file name); a ``"choice"`` question adds ``"options"`` (``answer`` is the
        right option's index, from 0), a ``"number"`` question adds ``"tolerance"`` and ``"unit"`` (``answer``
        in that unit; right when ``|value - answer| <= tolerance``).

    Raises:
        ValueError: no such folder or notebook; a quiz argument that is not a literal; two questions with one id.
        TypeError: ``path`` is not a path.
    """
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a folder of notebooks or a notebook; got {path!r:.60} of type "
                        f"{type(path).__name__}.")
    where = Path(path)
    if not str(path).strip() or not where.exists():
        raise ValueError(f"path must be a folder of notebooks or a notebook; nothing at {str(path)!r:.200}.")
    files = sorted(where.glob("*.ipynb")) if where.is_dir() else [where]
    if where.is_file() and where.suffix != ".ipynb":
        raise ValueError(f"path must be a folder of notebooks or a .ipynb notebook; got {str(path)!r:.200}.")
    bank: dict[str, dict] = {}
    for nb_path in files:
        cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            if cell["cell_type"] != "code" or "Quiz(" not in source:
                continue
            for entry in _questions_of_cell(source, nb_path.name):
                qid = f"{entry['quiz']}#{entry['question']}"
                if qid in bank:
                    raise ValueError(f"{nb_path.name}: question id {qid!r} is used twice; quiz titles must be unique.")
                bank[qid] = {**entry, "source": nb_path.name}
    return bank


def grade(entry: dict, value: object) -> bool:
    """Whether ``value`` is the right answer to the bank's question ``entry``, by the quizzes' own rule.

    Args:
        entry: One value of :func:`question_bank`.
        value: What the learner chose (``AnswerEvent.value``): the option's index (int, from 0) for a
            ``"choice"`` question, the number (in the question's unit) for a ``"number"`` question.

    Raises:
        ValueError: an index out of range or a number that is not finite. TypeError: the wrong kind of value.
    """
    if not isinstance(entry, dict) or entry.get("kind") not in ("choice", "number"):
        raise TypeError(f"entry must be a question of question_bank(); got {entry!r:.60}.")
    if entry["kind"] == "choice":
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"value must be an option's index (an int) for a choice question; got {value!r:.60}.")
        if not 0 <= value < len(entry["options"]):
            raise ValueError(f"value must be an option's index from 0 to {len(entry['options']) - 1}; got {value}.")
        return value == entry["answer"]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"value must be a number (in {entry['unit']}) for a number question; got {value!r:.60}.")
    if not math.isfinite(value):
        raise ValueError(f"value must be a finite number (in {entry['unit']}); got {value!r}.")
    return abs(value - entry["answer"]) <= entry["tolerance"]
