"""The course's question bank, read from the quizzes in the notebooks, so that the check-in grades answers itself.

Every quiz of the course is one code cell ``cu.Quiz(title, [cu.MultipleChoice(...), cu.Numeric(...), ...],
notebook="07")``. :func:`build_bank` reads those cells with :mod:`ast` (no kernel, nothing executed) and keeps,
per question, what grading needs: the right option or the right number and its tolerance. A question's id is the
one ``course_utils.quiz`` gives it, ``"<quiz title>#<number from 1>"``.

:meth:`Question.grade` decides like ``course_utils.quiz`` does: a multiple-choice answer is the chosen option
(its index from 0, or its text); a numeric answer is the number (or the text the learner typed, a comma allowed
as the decimal mark) and is right within the tolerance.

A quiz argument that is not a plain literal (a variable, an f-string, arithmetic) cannot be read without running
the notebook: :func:`build_bank` refuses it with a :class:`BankError` that names the notebook and the question.

Command line: ``python -m workshop.question_bank [NOTEBOOKS_DIR]`` prints a summary;
``--json FILE`` writes the bank as JSON (for a check-in service that runs without the notebooks, e.g. on
Kubernetes), which :func:`load_bank` reads back.

Example:
    >>> from workshop.question_bank import build_bank
    >>> bank = build_bank()
    >>> bank["00 practice#2"].grade("40")
    True
"""

from __future__ import annotations

import argparse
import ast
import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["Question", "BankError", "GradeError", "build_bank", "load_bank", "NOTEBOOKS"]

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
"""The course's notebooks (the default source of the bank)."""

MAX_TEXT_ANSWER = 200
"""Longest typed answer (characters) that is graded; a real one is a few characters."""

# the parameters of course_utils.quiz's constructors, in order (positional arguments are bound by these)
_SIGNATURES = {
    "MultipleChoice": ("prompt", "options", "answer", "explanation", "hint"),
    "Numeric": ("prompt", "answer", "tolerance", "unit", "explanation", "hint"),
    "Quiz": ("title", "questions", "notebook"),
}


class BankError(ValueError):
    """A quiz cell the bank cannot read; the message names the notebook, the quiz and what is wrong."""


class GradeError(ValueError):
    """An answer that cannot be graded (not an option, not a number); the message says what was expected."""


@dataclass(frozen=True)
class Question:
    """One quiz question as the check-in grades it.

    Attributes:
        question_id: ``"<quiz title>#<number>"``, as ``course_utils.quiz.AnswerEvent.question_id``.
        notebook: The quiz's notebook label (``Quiz(notebook=...)``), e.g. ``"07"``; may be ``""``.
        quiz: The quiz's title.
        number: The question's number in its quiz, from 1.
        kind: ``"choice"`` (MultipleChoice) or ``"numeric"`` (Numeric).
        prompt: The question's text.
        options: The options' texts (choice), else ``()``.
        answer: The right option's index from 0 (choice), or the right value in ``unit`` (numeric).
        tolerance: Accepted absolute difference in ``unit`` (numeric), else 0.
        unit: The unit of a numeric answer, else ``""``.
        source: The notebook's file name.
    """

    question_id: str
    notebook: str
    quiz: str
    number: int
    kind: str
    prompt: str
    options: tuple[str, ...]
    answer: float
    tolerance: float
    unit: str
    source: str

    def grade(self, raw: object) -> bool:
        """Whether the learner's raw answer is right; GradeError if it is no possible answer to this question."""
        if self.kind == "choice":
            return self.choice_index(raw) == self.answer
        value = self.number_value(raw)
        return abs(value - self.answer) <= self.tolerance  # exactly course_utils.quiz.Numeric.check

    def choice_index(self, raw: object) -> int:
        """The chosen option's index from an index (int) or an option's exact text."""
        n = len(self.options)
        if isinstance(raw, bool):
            raise GradeError(f"answer to {self.question_id!r} must be an option's index (0 to {n - 1}) or its "
                             f"text; got {raw!r}.")
        if isinstance(raw, int):
            if not 0 <= raw < n:
                raise GradeError(f"answer to {self.question_id!r} must be an option's index from 0 to {n - 1}; "
                                 f"got {raw}.")
            return raw
        if isinstance(raw, str):
            text = raw.strip()
            for i, option in enumerate(self.options):
                if option == text:
                    return i
            raise GradeError(f"answer to {self.question_id!r} is not one of its {n} options; send the option's "
                             f"index (0 to {n - 1}) or its exact text.")
        raise GradeError(f"answer to {self.question_id!r} must be an option's index (0 to {n - 1}) or its text; "
                         f"got {type(raw).__name__}.")

    def number_value(self, raw: object) -> float:
        """The number answered, or the typed text read as course_utils.quiz reads it (comma as decimal mark)."""
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
            raise GradeError(f"answer to {self.question_id!r} must be a number in {self.unit}; "
                             f"got {type(raw).__name__}.")
        if isinstance(raw, str):
            if len(raw) > MAX_TEXT_ANSWER:
                raise GradeError(f"answer to {self.question_id!r} is {len(raw)} characters; a number in "
                                 f"{self.unit} of at most {MAX_TEXT_ANSWER} characters is expected.")
            try:
                value = float(raw.strip().replace(",", "."))
            except ValueError:
                raise GradeError(f"answer to {self.question_id!r} must be a number in {self.unit}; got "
                                 f"{raw[:40]!r}.") from None
        else:
            value = float(raw)
        if not math.isfinite(value):
            raise GradeError(f"answer to {self.question_id!r} must be a finite number in {self.unit}; got {raw!r:.40}.")
        return value


# ============================================================================================ reading notebooks
def _literal(node: ast.AST, where: str, name: str) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        raise BankError(f"{where}: {name} is not a plain literal ({ast.unparse(node)[:60]!r}); the check-in reads "
                        "quizzes without running the notebook, so write the value itself.") from None


def _callee(node: ast.AST) -> str | None:
    """'Quiz', 'MultipleChoice' or 'Numeric' for a call of cu.X / course_utils.X / quiz.X / X, else None."""
    if not isinstance(node, ast.Call):
        return None
    f = node.func
    name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
    return name if name in _SIGNATURES else None


def _bind(call: ast.Call, kind: str, where: str) -> dict[str, ast.AST]:
    names = _SIGNATURES[kind]
    if len(call.args) > len(names) or any(isinstance(a, ast.Starred) for a in call.args):
        raise BankError(f"{where}: {kind}(...) has arguments the bank cannot read.")
    args = dict(zip(names, call.args, strict=False))  # fewer positional arguments than parameters
    for kw in call.keywords:
        if kw.arg is None or kw.arg not in names or kw.arg in args:
            raise BankError(f"{where}: {kind}(...) has an unexpected argument {kw.arg!r}.")
        args[kw.arg] = kw.value
    return args


def _number(value: object, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BankError(f"{where}: {name} must be a finite number; got {value!r:.40}.")
    return float(value)


def _question(call: ast.Call, kind: str, quiz: str, notebook: str, number: int, source: str) -> Question:
    where = f"{source}, quiz {quiz!r}, question {number}"
    args = _bind(call, kind, where)
    for need in ("prompt", "answer") + (("options",) if kind == "MultipleChoice" else ("tolerance", "unit")):
        if need not in args:
            raise BankError(f"{where}: {kind}(...) has no {need}.")
    prompt = _literal(args["prompt"], where, "prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise BankError(f"{where}: the prompt must be a non-empty text.")
    common = {"question_id": f"{quiz}#{number}", "notebook": notebook, "quiz": quiz, "number": number,
              "prompt": prompt, "source": source}
    if kind == "MultipleChoice":
        options = _literal(args["options"], where, "options")
        if not isinstance(options, (list, tuple)) or len(options) < 2 or not all(
                isinstance(o, str) and o.strip() for o in options):
            raise BankError(f"{where}: options must be a list of at least 2 non-empty texts.")
        if len(set(options)) != len(options):
            raise BankError(f"{where}: two options have the same text, so an answer given as text is ambiguous.")
        answer = _literal(args["answer"], where, "answer")
        if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < len(options):
            raise BankError(f"{where}: answer must be an option's index from 0 to {len(options) - 1}; got {answer!r}.")
        return Question(kind="choice", options=tuple(options), answer=answer, tolerance=0.0, unit="", **common)
    answer = _number(_literal(args["answer"], where, "answer"), where, "answer")
    tolerance = _number(_literal(args["tolerance"], where, "tolerance"), where, "tolerance")
    if tolerance <= 0:
        raise BankError(f"{where}: tolerance must be > 0; got {tolerance}.")
    unit = _literal(args["unit"], where, "unit")
    if not isinstance(unit, str) or not unit.strip():
        raise BankError(f"{where}: unit must be a non-empty text.")
    return Question(kind="numeric", options=(), answer=answer, tolerance=tolerance, unit=unit, **common)


def _cell_tree(source: str, where: str) -> ast.Module:
    # IPython magics and shell lines (%..., !...) are not Python: blank them, keeping the line numbers
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError as exc:
        raise BankError(f"{where}: the cell is not valid Python ({exc.msg}, line {exc.lineno}).") from None


def questions_in_notebook(path: Path) -> list[Question]:
    """Every quiz question of one notebook, in order. BankError for a quiz the bank cannot read."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    out: list[Question] = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", ""))
        if not any(k in source for k in _SIGNATURES):
            continue
        where = f"{path.name}, cell {index}"
        tree = _cell_tree(source, where)
        inside: set[int] = set()
        for node in ast.walk(tree):
            if _callee(node) != "Quiz":
                continue
            args = _bind(node, "Quiz", where)
            if "title" not in args or "questions" not in args:
                raise BankError(f"{where}: Quiz(...) needs a title and a list of questions.")
            title = _literal(args["title"], where, "the quiz title")
            notebook = _literal(args["notebook"], where, "notebook") if "notebook" in args else ""
            if not isinstance(title, str) or not title.strip() or not isinstance(notebook, str):
                raise BankError(f"{where}: the quiz title must be a non-empty text and notebook a text.")
            items = args["questions"]
            if not isinstance(items, (ast.List, ast.Tuple)):
                raise BankError(f"{where}: the questions of quiz {title!r} must be written as a list [...].")
            for number, item in enumerate(items.elts, 1):
                kind = _callee(item)
                if kind not in ("MultipleChoice", "Numeric"):
                    raise BankError(f"{where}: question {number} of quiz {title!r} is not a MultipleChoice(...) or "
                                    "Numeric(...) call.")
                inside.add(id(item))
                out.append(_question(item, kind, title, notebook.strip(), number, path.name))
        for node in ast.walk(tree):
            if _callee(node) in ("MultipleChoice", "Numeric") and id(node) not in inside:
                raise BankError(f"{where}: a {_callee(node)}(...) outside a Quiz([...]) has no question id the "
                                "check-in knows; put it in a quiz.")
    return out


def build_bank(notebooks: Path | str = NOTEBOOKS) -> dict[str, Question]:
    """question id → Question, for every quiz in the ``*.ipynb`` files of ``notebooks`` (in file order)."""
    folder = Path(notebooks)
    if not folder.is_dir():
        raise BankError(f"notebooks must be a folder of .ipynb files; {str(folder)!r} is not a folder.")
    bank: dict[str, Question] = {}
    for path in sorted(folder.glob("*.ipynb")):
        for q in questions_in_notebook(path):
            if q.question_id in bank:
                raise BankError(f"question id {q.question_id!r} appears in {bank[q.question_id].source} and in "
                                f"{q.source}: every quiz needs a title of its own.")
            bank[q.question_id] = q
    if not bank:
        raise BankError(f"no quiz found in {str(folder)!r}.")
    return bank


def to_json(bank: dict[str, Question]) -> str:
    return json.dumps({"questions": [asdict(q) for q in bank.values()]}, ensure_ascii=False, indent=1)


def load_bank(path: Path | str = NOTEBOOKS) -> dict[str, Question]:
    """The bank from a notebooks folder (read with :func:`build_bank`) or from a JSON file written by ``--json``."""
    p = Path(path)
    if p.is_dir():
        return build_bank(p)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        questions = [Question(**dict(q, options=tuple(q["options"]))) for q in data["questions"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BankError(f"bank {str(p)!r} is neither a notebooks folder nor a bank JSON file ({exc}).") from None
    return {q.question_id: q for q in questions}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="?", default=str(NOTEBOOKS), help="folder of the course's notebooks")
    parser.add_argument("--json", help="write the bank to this JSON file")
    args = parser.parse_args(argv)
    bank = build_bank(args.notebooks)
    if args.json:
        Path(args.json).write_text(to_json(bank), encoding="utf-8")
    quizzes = sorted({q.quiz for q in bank.values()})
    print(f"{len(bank)} questions in {len(quizzes)} quizzes: "
          f"{sum(q.kind == 'choice' for q in bank.values())} multiple choice, "
          f"{sum(q.kind == 'numeric' for q in bank.values())} numeric.")


if __name__ == "__main__":
    main()
