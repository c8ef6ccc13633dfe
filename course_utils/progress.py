"""Quiz progress kept between sessions, in a small JSON file in the learner's home (never in the repository).

Every checked answer (an :class:`~course_utils.answers.AnswerEvent`) is recorded by :func:`record_answer`, which
:mod:`course_utils.quiz` registers as an answer listener. Per question (by its id, ``"<quiz title>#<n>"``) the
file keeps the result of the first try (the first answer ever recorded for it) and the current result (the
latest answer). This module imports :mod:`course_utils.answers` only, never :mod:`course_utils.quiz`.

Where the file is:

- ``$MASSAGE_COURSE_PROGRESS`` if set (tests use it); a path inside the course's repository is refused.
- In the browser build (JupyterLite, Pyodide kernel: ``sys.platform == "emscripten"``):
  ``/drive/my_progress/progress.json``. Only files under ``/drive`` are kept by JupyterLite (in the browser's
  own storage) across a page reload and a browser restart; ``/home/pyodide`` is gone after a reload. The folder
  has a visible name on purpose: JupyterLab's file browser hides dot-folders, and the learner should be able to
  see the file there (and download it with a right-click). Without a ``/drive`` (Pyodide outside JupyterLite)
  the file goes to the home folder, as elsewhere, and lasts as long as the page.
- Elsewhere: ``~/.massage_course/progress.json``.

Safety:

- Writes are atomic: a temporary file beside it, flushed to disk, then ``os.replace``. In the browser build the
  whole file is written at once instead (JupyterLite's ``/drive`` sends a file to the browser's storage in one
  piece when it is closed, so a reader sees the old file or the new one; no temporary file shows in the file
  browser). It is never opened with truncation there: ``/drive`` would first store it empty, which for a
  ``.json`` file froze the kernel (see :func:`_write_in_drive`).
- Two kernels writing at once lose no answer: each write re-reads the file, merges this answer in and writes,
  under an exclusive lock (``fcntl.flock`` on ``progress.json.lock``). Pyodide's ``fcntl`` has no ``flock`` and
  two browser tabs are two kernels that share no lock, so there each write re-reads and merges without a lock:
  two tabs lose nothing unless two answers are checked in the same few milliseconds (one learner clicks in one
  tab at a time). Windows (no ``fcntl``) has no lock either.
- A missing file means no progress yet. An empty or unreadable file never breaks a notebook: it is set aside as
  ``progress.json.corrupt-<timestamp>`` with a one-line message, and progress starts again.

Moving progress to another computer or browser: :func:`export_progress` gives the file's content,
:func:`import_progress` merges a saved file into this one (a damaged file is refused with a clear message), and
:func:`progress_backup` is a small widget doing both (a download link and an upload button) that works in
JupyterLab, Voila and JupyterLite.

Example:
    >>> progress_summary()  # doctest: +SKIP
    {'01': {'answered': 3, 'first_try': 2, 'now': 3}}
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from .answers import AnswerEvent

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]

__all__ = ["progress_path", "record_answer", "reset_progress", "progress_summary", "show_progress",
           "saved_answers", "export_progress", "import_progress", "progress_backup"]

ENV_VAR = "MASSAGE_COURSE_PROGRESS"
"""Environment variable naming the progress file (default ``~/.massage_course/progress.json``)."""
_DEFAULT = Path("~") / ".massage_course" / "progress.json"
DRIVE = Path("/drive")
"""JupyterLite's persistent folder (the browser's storage), seen by the Pyodide kernel."""
BROWSER_DEFAULT = DRIVE / "my_progress" / "progress.json"
"""The progress file in the browser build (see the module docstring for why a visible folder)."""
EXPORT_NAME = "massage_course_progress.json"
"""The file name a downloaded progress file gets."""
MAX_IMPORT_BYTES = 2_000_000
"""Largest progress file :func:`import_progress` reads, in bytes (the course's ~90 questions need ~40 kB)."""
_VERSION = 1
_STAMP = "%Y-%m-%dT%H:%M:%S%z"
_REPOSITORY = Path(__file__).resolve().parents[1]


def _in_browser() -> bool:
    """Whether this kernel is Pyodide in the browser (JupyterLite)."""
    return sys.platform == "emscripten"


def _can_lock() -> bool:
    return fcntl is not None and hasattr(fcntl, "flock") and not _in_browser()


def progress_path() -> Path:
    """The progress file: ``$MASSAGE_COURSE_PROGRESS`` if set; in the browser build
    ``/drive/my_progress/progress.json``; else ``~/.massage_course/progress.json``."""
    raw = os.environ.get(ENV_VAR, "").strip()
    if raw:
        path = Path(raw).expanduser()
    elif _in_browser() and DRIVE.is_dir():
        path = BROWSER_DEFAULT
    else:
        path = _DEFAULT.expanduser()
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
    """Hold the exclusive lock of ``path`` (a separate lock file, so replacing the data file keeps the lock).

    Where there is no ``flock`` (the browser build, Windows) no lock is taken and no lock file is made.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not _can_lock():
        yield
        return
    with open(path.with_name(path.name + ".lock"), "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
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


def _write_in_drive(path: Path, text: bytes) -> None:
    """Write ``text`` over the file at ``path`` in JupyterLite's ``/drive`` without ever truncating it.

    JupyterLite 0.6's ``/drive`` sends a file to the browser's storage whole, when it is closed. Opening an
    existing file for writing (``"w"``, ``O_TRUNC``) first stores it empty, and for a ``.json`` file that empty
    text makes the page's JSON parser fail, so the page never answers and the kernel waits for ever (the second
    checked answer of a session froze the kernel). Here the file is opened read-write, without truncation, and
    the new text is padded with spaces to the old length, so what is stored is always the whole new text (valid
    JSON). A new file is created as usual (nothing to truncate).
    """
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        path.write_bytes(text)
        return
    try:
        old = 0
        while chunk := os.read(fd, 1 << 16):
            old += len(chunk)
        os.lseek(fd, 0, os.SEEK_SET)
        text = text + b" " * max(0, old - len(text))
        view = memoryview(text)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _write(path: Path, data: dict) -> None:
    """Replace ``path`` by ``data`` atomically: a reader sees the old file or the new one, never a part."""
    if _in_browser():
        _write_in_drive(path, (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode())
        return
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
        event: The :class:`~course_utils.answers.AnswerEvent` of the check.

    Returns:
        The question's record as now stored (first_try, now, attempts, answer, prompt, first_answered, updated).
    """
    if not isinstance(event, AnswerEvent):
        raise TypeError(f"event must be an AnswerEvent; got {event!r:.60} of type {type(event).__name__}.")
    path = progress_path()
    with _locked(path):
        data = _read(path)
        rec = data["answers"].get(event.question_id)
        stamp = time.strftime(_STAMP)
        if rec is None:
            rec = {"notebook": event.notebook, "quiz": event.quiz, "question": event.question,
                   "first_try": bool(event.correct and event.first_try), "attempts": 0, "first_answered": stamp}
        rec.update(now=bool(event.correct), attempts=rec["attempts"] + 1, answer=event.answer, updated=stamp)
        if event.prompt:
            rec["prompt"] = event.prompt
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


# ============================================================================================ saved answers
def saved_answers() -> dict[str, dict]:
    """Every question's saved record, by question id (``"<quiz title>#<n>"``); ``{}`` if there is none.

    Used by a quiz when it is shown, to mark the questions answered in an earlier session. A file that cannot be
    opened gives ``{}`` (and a message in notebook 10's table), never an error.

    Example:
        ``{"01 self-check#2": {"first_try": False, "now": True, "attempts": 2, ...}}``
    """
    path = progress_path()
    try:
        with _locked(path):
            answers = _read(path)["answers"]
    except OSError as exc:
        _say(f"Your saved quiz progress could not be opened ({type(exc).__name__}: {exc}).")
        return {}
    return {qid: dict(rec) for qid, rec in answers.items()}


# ============================================================================================ moving progress
def export_progress() -> bytes:
    """The progress file's content (JSON, UTF-8), to download or copy to another computer or browser.

    With no answers yet, it is an empty progress file (which :func:`import_progress` accepts).
    """
    path = progress_path()
    with _locked(path):
        data = _read(path)
    data["version"] = _VERSION
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _when(rec: dict, key: str) -> datetime | None:
    raw = rec.get(key)
    if not isinstance(raw, str):
        return None
    try:
        return datetime.strptime(raw, _STAMP)
    except ValueError:
        return None


def _merge(mine: dict, theirs: dict) -> dict:
    """One question's record from two files: the first try from the earlier first answer, the rest from the latest.

    When the order of the first answers is unknown (a record without ``first_answered``), the first try counts
    as right only if both say so. Attempts are the larger count, so merging a file twice changes nothing.
    """
    a_first, b_first = _when(mine, "first_answered"), _when(theirs, "first_answered")
    if a_first is not None and b_first is not None:
        earlier = theirs if b_first < a_first else mine
        first_try, first_answered = earlier["first_try"], earlier["first_answered"]
    else:
        first_try = mine["first_try"] and theirs["first_try"]
        first_answered = mine.get("first_answered") or theirs.get("first_answered")
    a_last, b_last = _when(mine, "updated"), _when(theirs, "updated")
    latest = theirs if (a_last is not None and b_last is not None and b_last > a_last) \
        or (a_last is None and b_last is not None) else mine
    out = {**mine, **{k: v for k, v in latest.items() if k not in ("first_try", "attempts", "first_answered")}}
    out.update(first_try=first_try, attempts=max(mine["attempts"], theirs["attempts"]))
    if first_answered is not None:
        out["first_answered"] = first_answered
    return out


def _load_import(source: object) -> dict:
    """The progress held by ``source`` (bytes, or a path), checked; ValueError/TypeError naming ``source``."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
        where = "the uploaded file"
    elif isinstance(source, (str, os.PathLike)) and not isinstance(source, bool):
        path = Path(source).expanduser()
        if not str(source).strip() or not path.is_file():
            raise ValueError(f"source must be a progress file or its bytes; no file at {str(source)!r:.200}.")
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise ValueError(f"source {path.name!r:.100} is {path.stat().st_size} bytes; a progress file is at most "
                             f"{MAX_IMPORT_BYTES} bytes, so this is not one.")
        raw = path.read_bytes()
        where = path.name
    else:
        raise TypeError(f"source must be a path to a progress file or the file's bytes; got {source!r:.60} of type "
                        f"{type(source).__name__}.")
    if len(raw) > MAX_IMPORT_BYTES:
        raise ValueError(f"source is {len(raw)} bytes; a progress file is at most {MAX_IMPORT_BYTES} bytes, so "
                         "this is not one.")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValueError(f"source ({where}) is not a course progress file: it is not valid JSON text. "
                         "Nothing was changed.") from None
    problem = _problem(data)
    if problem is None and not isinstance(data.get("version", _VERSION), int):
        problem = "its version is not a number"
    if problem is None and data.get("version", _VERSION) > _VERSION:
        problem = f"it was made by a newer version of the course (file version {data['version']}, this one reads " \
                  f"{_VERSION})"
    if problem:
        raise ValueError(f"source ({where}) is not a course progress file: {problem}. Nothing was changed.")
    return data


def import_progress(source: str | os.PathLike | bytes) -> dict[str, int]:
    """Merge a saved progress file (from :func:`export_progress`, another computer or browser) into this one.

    Per question, the first-try result comes from whichever file answered it first, the current result from the
    latest answer; questions in only one file are kept as they are. Importing the same file twice changes nothing.
    A file that is not a course progress file is refused whole, with a message that says why.

    Args:
        source: The path of a progress file, or its content (bytes, e.g. from an upload widget).

    Returns:
        ``{"added": questions new here, "updated": questions whose record changed, "unchanged": the others}``.

    Raises:
        ValueError: ``source`` is not a progress file (missing, too large, not JSON, damaged records).
        TypeError: ``source`` is neither a path nor bytes.
    """
    incoming = _load_import(source)["answers"]
    path = progress_path()
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    with _locked(path):
        data = _read(path)
        for qid, rec in incoming.items():
            old = data["answers"].get(qid)
            new = dict(rec) if old is None else _merge(old, rec)
            counts["added" if old is None else "updated" if new != old else "unchanged"] += 1
            data["answers"][qid] = new
        if counts["added"] or counts["updated"]:
            _write(path, data)
    return counts


def _download_link() -> str:
    payload = base64.b64encode(export_progress()).decode("ascii")
    return (f'<a download="{EXPORT_NAME}" href="data:application/json;base64,{payload}" '
            f'style="text-decoration:underline">⬇ Download your progress file ({EXPORT_NAME})</a>')


def progress_backup():
    """A small widget to move progress: a download link for the progress file and an upload button to load one.

    The link is a ``data:`` address made when the widget is shown (and again after each upload or a press of
    *Refresh*), so it works with no server behind it: in JupyterLab, Voila and the browser build alike. An
    uploaded file is merged with the answers already here (:func:`import_progress`); a damaged one is refused
    with a short message and nothing changes.

    Returns:
        An ``ipywidgets.VBox``; its ``link``, ``upload``, ``refresh`` and ``status`` attributes are its parts.
    """
    import ipywidgets as w

    link = w.HTML()
    status = w.HTML()
    refresh = w.Button(description="Refresh link", tooltip="Make the download link hold your latest answers",
                       layout=w.Layout(width="auto"))
    upload = w.FileUpload(accept=".json", multiple=False, description="Load a progress file",
                          layout=w.Layout(width="auto"))

    def show_link(_b=None) -> None:
        try:
            link.value = _download_link()
        except Exception as exc:  # a widget callback never shows a traceback
            link.value = ""
            status.value = f'<span role="status">Your progress file could not be read ({html.escape(str(exc))}).</span>'

    def loaded(change) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        name = html.escape(str(item.get("name", "the file")))
        try:
            counts = import_progress(bytes(item["content"]))
        except (ValueError, TypeError) as exc:
            message = str(exc).replace("source (the uploaded file)", "This file")
            status.value = f'<span role="status" style="color:#D55E00">✘ {html.escape(message)}</span>'
        except Exception as exc:  # e.g. a folder that cannot be written
            status.value = (f'<span role="status" style="color:#D55E00">✘ {name} could not be loaded '
                            f"({html.escape(type(exc).__name__)}: {html.escape(str(exc))}).</span>")
        else:
            n = counts["added"]
            status.value = (f'<span role="status" style="color:#009E73">✔ {name} loaded: {n} '
                            f"question{'' if n == 1 else 's'} added, {counts['updated']} updated, "
                            f"{counts['unchanged']} already here. Run a quiz cell again to see its marks.</span>")
            show_link()
        upload.value = ()

    refresh.on_click(show_link)
    upload.observe(loaded, names="value")
    show_link()
    box = w.VBox([link, w.HBox([refresh, upload]), status])
    box.link, box.upload, box.refresh, box.status = link, upload, refresh, status
    return box
