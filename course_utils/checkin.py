"""Class check-in: on a workshop JupyterHub, quiz answers go to the instructor's check-in page.

The course's quizzes call :func:`report_answer` after every answer and show :func:`sharing_notice` when the
course runs on a JupyterHub (``JUPYTERHUB_API_TOKEN`` is set in the kernel). Off the hub both do nothing: no
answer leaves the computer and no network code runs.

An answer is sent in a background thread with the learner's own hub token, so pressing *Check* never waits for
the network; a send that fails (hub down, timeout) is dropped and logged once, never shown as an error.

Example:
    >>> from course_utils.checkin import sharing_notice
    >>> sharing_notice() == "" or "instructor" in sharing_notice()
    True
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
from collections.abc import Mapping

from .validation import check_number

__all__ = ["report_answer", "sharing_notice", "flush", "STATS"]

log = logging.getLogger(__name__)

TIMEOUT_S = 3.0
"""Longest wait for the check-in service per answer, in seconds (in the background thread)."""

FIELDS = ("notebook", "quiz", "question", "question_id", "correct", "first_try", "answer")
_LIMITS = {"notebook": 200, "quiz": 200, "question_id": 200, "question": 2000}
_ANSWER_CHARS = 1000

STATS = {"queued": 0, "sent": 0, "failed": 0}
"""Answers queued, stored by the service, and lost (for this kernel session)."""

_queue: queue.Queue = queue.Queue(maxsize=1000)
_worker: threading.Thread | None = None
_lock = threading.Lock()
_warned = False


def _url() -> str | None:
    """Where answers go, or None off the hub (no token) or when the hub did not say where."""
    if not os.environ.get("JUPYTERHUB_API_TOKEN"):
        return None
    return os.environ.get("COURSE_CHECKIN_URL") or None


def sharing_notice() -> str:
    """One line telling the learner their answers are shared with the instructor; ``""`` off the hub."""
    if _url() is None:
        return ""
    return ("Your quiz answers (right or not, and your first try) are shared with your instructor, who sees how "
            "the room answered; other learners never see them.")


def _field(event: object, name: str) -> object:
    if isinstance(event, Mapping):
        if name not in event:
            raise ValueError(f"event is missing the field {name!r}; it needs {list(FIELDS)}.")
        return event[name]
    if not hasattr(event, name):
        raise ValueError(f"event is missing the field {name!r}; it needs {list(FIELDS)}.")
    return getattr(event, name)


def _payload(event: object) -> dict:
    out: dict = {}
    for name in FIELDS:
        value = _field(event, name)
        if name == "question":  # the question's text, when the event carries it, reads better than its number
            prompt = event.get("prompt") if isinstance(event, Mapping) else getattr(event, "prompt", None)
            if isinstance(prompt, str) and prompt.strip():
                value = prompt
        if name in ("correct", "first_try"):
            if not isinstance(value, bool):
                raise TypeError(f"event.{name} must be True or False; got {value!r:.40}.")
            out[name] = value
        elif name == "answer":
            if not isinstance(value, (str, int, float, bool)) and value is not None:
                value = str(value)
            if isinstance(value, str) and len(value) > _ANSWER_CHARS - 10:
                value = value[:_ANSWER_CHARS - 10]
            if isinstance(value, float) and value != value:  # NaN cannot go as JSON
                value = None
            out[name] = value
        else:
            if name == "question" and (value is None or isinstance(value, int)) and not isinstance(value, bool):
                value = "" if value is None else str(value)  # quiz.py gives the question's number
            if not isinstance(value, str):
                raise TypeError(f"event.{name} must be text; got {type(value).__name__}.")
            out[name] = value[:_LIMITS[name]]  # a very long prompt is cut, not refused
    return out


def _send(url: str, token: str, body: bytes) -> None:
    from urllib.request import Request, urlopen  # imported only on the hub, when there is something to send

    req = Request(url, data=body, method="POST",
                  headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urlopen(req, timeout=TIMEOUT_S) as resp:
        if resp.status != 201:
            raise OSError(f"check-in answered {resp.status}")


def _run() -> None:
    global _warned
    while True:
        url, token, body = _queue.get()
        try:
            _send(url, token, body)
            STATS["sent"] += 1
        except Exception as exc:  # never disturb the learner: count, log once, carry on
            STATS["failed"] += 1
            if not _warned:
                _warned = True
                log.warning("Class check-in: could not send an answer to %s (%s); later failures are not logged.",
                            url, exc)
        finally:
            _queue.task_done()


def report_answer(event: object) -> bool:
    """Send one quiz answer to the class check-in, in the background; return whether it was queued.

    Args:
        event: A mapping or object (such as ``course_utils.quiz.AnswerEvent``) with the fields ``notebook``,
            ``quiz``, ``question_id`` (text), ``question`` (text or the question's number), ``correct``,
            ``first_try`` (bool) and ``answer`` (text, number or None); an optional ``prompt`` (the question's
            text) is sent in place of ``question`` when present.

    Returns:
        False off the hub (nothing is sent) or when the queue is full; True when the answer will be sent.

    Raises:
        ValueError: a field is missing. TypeError: a field has the wrong type.
    """
    payload = _payload(event)
    url = _url()
    if url is None:
        return False
    global _worker
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_run, name="course-checkin", daemon=True)
            _worker.start()
    try:
        _queue.put_nowait((url, os.environ["JUPYTERHUB_API_TOKEN"], json.dumps(payload).encode("utf-8")))
    except queue.Full:
        STATS["failed"] += 1
        return False
    STATS["queued"] += 1
    return True


def flush(timeout_s: float = 10.0) -> bool:
    """Wait up to ``timeout_s`` seconds until every queued answer was sent or given up; return whether done."""
    timeout_s = check_number("timeout_s", timeout_s, unit="s", low=0, high=600)
    done = threading.Event()

    def wait() -> None:
        _queue.join()
        done.set()

    threading.Thread(target=wait, daemon=True).start()
    return done.wait(timeout_s)
