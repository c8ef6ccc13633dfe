"""Quiz progress kept between sessions, in a small JSON file in the learner's home (never in the repository).

Every checked answer (an :class:`~course_utils.quiz.AnswerEvent`) is recorded by :func:`record_answer`, which
:mod:`course_utils.quiz` registers as an answer listener. Per question the file keeps the result of the first
try (the first answer ever recorded for it) and the current result (the latest answer).

Safety:

- The file is ``~/.massage_course/progress.json``; the environment variable ``MASSAGE_COURSE_PROGRESS`` names
  another file (tests use it). A path inside the course's repository is refused.
- Writes are atomic: a temporary file beside it, flushed to disk, then ``os.replace``.
- Two kernels writing at once lose no answer: each write reads, merges and writes under an exclusive lock
  (``fcntl.flock`` on ``progress.json.lock``; on systems without ``fcntl`` there is no lock).
- A missing file means no progress yet. An empty or unreadable file never breaks a notebook: it is set aside as
  ``progress.json.corrupt-<timestamp>`` with a one-line message, and progress starts again.

Example:
    >>> progress_summary()  # doctest: +SKIP
    {'01': {'answered': 3, 'first_try': 2, 'now': 3}}
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from .quiz import AnswerEvent

__all__ = ["progress_path", "record_answer", "reset_progress", "progress_summary", "show_progress"]

ENV_VAR = "MASSAGE_COURSE_PROGRESS"
"""Environment variable naming the progress file (default ``~/.massage_course/progress.json``)."""
_DEFAULT = Path("~") / ".massage_course" / "progress.json"
_VERSION = 1
_REPOSITORY = Path(__file__).resolve().parents[1]


def progress_path() -> Path:
    """The progress file: ``$MASSAGE_COURSE_PROGRESS`` if set, else ``~/.massage_course/progress.json``."""
    raw = os.environ.get(ENV_VAR, "").strip()
    path = Path(raw).expanduser() if raw else _DEFAULT.expanduser()
    resolved = path.resolve()
    home = Path.home().resolve()
    # (On Binder the repository is the home directory; the default hidden folder is then allowed.)
    if raw and (_REPOSITORY / ".git").exists() and _REPOSITORY != home and resolved.is_relative_to(_REPOSITORY):
        raise ValueError(f"{ENV_VAR} must name a file outside the course repository ({_REPOSITORY}); "
                         f"got {raw!r:.200}. Progress belongs in your home, e.g. ~/.massage_course/progress.json.")
    return path


def _empty() -> dict:
    return {"version": _VERSION, "answers": {}}


_NOTES: list[str] = []
"""Messages of this session not yet shown by :func:`show_progress` (one printed in a button's callback lands in
JupyterLab's log, where a learner may not look)."""


def _say(message: str) -> None:
    print(message)
    _NOTES.append(message)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the exclusive lock of ``path`` (a separate lock file, so replacing the data file keeps the lock)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a+b") as lock:
        if fcntl is not None:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _problem(data: object) -> str | None:
    """What is wrong with the structure of a loaded progress file, or None."""
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        return "it does not hold the course's progress"
    for key, rec in data["answers"].items():
        if not (isinstance(rec, dict) and isinstance(rec.get("notebook"), str) and isinstance(rec.get("quiz"), str)
                and isinstance(rec.get("first_try"), bool) and isinstance(rec.get("now"), bool)
                and isinstance(rec.get("attempts"), int)):
            return f"the record of {key!r:.60} is damaged"
    return None


def _set_aside(path: Path, problem: str) -> None:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    _say(f"Your saved quiz progress could not be read ({problem}); it was set aside as {target.name} "
         f"and your progress starts again.")


def _read(path: Path) -> dict:
    """The progress in ``path`` (call under the lock); an empty or damaged file is set aside."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _empty()
    if not raw.strip():
        problem: str | None = "the file is empty"
    else:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            problem = "the file is not valid JSON"
        else:
            problem = _problem(data)
    if problem:
        _set_aside(path, problem)
        return _empty()
    return data


def _write(path: Path, data: dict) -> None:
    """Replace ``path`` by ``data`` atomically: a reader sees the old file or the new one, never a part."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


def record_answer(event: AnswerEvent) -> dict:
    """Record one checked answer in the progress file (the answer listener that :mod:`~course_utils.quiz` adds).

    The first answer ever recorded for a question is its first-try result (a question first recorded after an
    earlier, unrecorded attempt counts as not right at the first try); the latest is its current result.

    Args:
        event: The :class:`~course_utils.quiz.AnswerEvent` of the check.

    Returns:
        The question's record as now stored (first_try, now, attempts, ...).
    """
    from .quiz import AnswerEvent

    if not isinstance(event, AnswerEvent):
        raise TypeError(f"event must be an AnswerEvent; got {event!r:.60} of type {type(event).__name__}.")
    path = progress_path()
    with _locked(path):
        data = _read(path)
        rec = data["answers"].get(event.question_id)
        if rec is None:
            rec = {"notebook": event.notebook, "quiz": event.quiz, "question": event.question,
                   "first_try": bool(event.correct and event.first_try), "attempts": 0}
        rec.update(now=bool(event.correct), attempts=rec["attempts"] + 1, answer=event.answer,
                   updated=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
        data["answers"][event.question_id] = rec
        _write(path, data)
    return dict(rec)


def reset_progress() -> int:
    """Forget every recorded answer (a fresh start); return how many questions were recorded."""
    path = progress_path()
    with _locked(path):
        n = len(_read(path)["answers"])
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
    return n


def progress_summary() -> dict[str, dict[str, int]]:
    """Per notebook: questions answered, right at the first try, and right now (pure data, sorted by notebook).

    A quiz made without a ``notebook`` label is listed under its title.

    Example:
        ``{"01": {"answered": 3, "first_try": 2, "now": 3}}``
    """
    path = progress_path()
    try:
        with _locked(path):
            answers = _read(path)["answers"]
    except OSError as exc:  # e.g. a home folder that cannot be written: the notebook goes on without progress
        _say(f"Your saved quiz progress could not be opened ({type(exc).__name__}: {exc}).")
        return {}
    summary: dict[str, dict[str, int]] = {}
    for rec in answers.values():
        row = summary.setdefault(rec["notebook"] or rec["quiz"], {"answered": 0, "first_try": 0, "now": 0})
        row["answered"] += 1
        row["first_try"] += int(rec["first_try"])
        row["now"] += int(rec["now"])
    return dict(sorted(summary.items()))


def show_progress():
    """A table of :func:`progress_summary` for notebook 10 (an IPython HTML object; display it or end a cell)."""
    from IPython.display import HTML

    summary = progress_summary()
    notes = "".join(f"<p role='note'>{html.escape(n)}</p>" for n in _NOTES)
    _NOTES.clear()
    if not summary:
        return HTML(f"{notes}<p>No answers recorded yet: answer the self-check quizzes in the notebooks, then run "
                    "this cell again.</p>")
    rows = "".join(f"<tr><th scope='row'>{html.escape(nb)}</th><td>{r['answered']}</td>"
                   f"<td>{r['first_try']} of {r['answered']}</td><td>{r['now']} of {r['answered']}</td></tr>"
                   for nb, r in summary.items())
    total = {k: sum(r[k] for r in summary.values()) for k in ("answered", "first_try", "now")}
    return HTML(f"{notes}<table><caption>Your self-check answers, kept between sessions</caption>"
                "<thead><tr><th scope='col'>Notebook</th><th scope='col'>Questions answered</th>"
                "<th scope='col'>Right at the first try</th><th scope='col'>Right now</th></tr></thead>"
                f"<tbody>{rows}</tbody><tfoot><tr><th scope='row'>All</th><td>{total['answered']}</td>"
                f"<td>{total['first_try']} of {total['answered']}</td><td>{total['now']} of {total['answered']}"
                "</td></tr></tfoot></table>")
