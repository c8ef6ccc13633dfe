"""Class check-in: on a workshop JupyterHub, quiz answers go to the instructor's check-in page.

The course's quizzes call :func:`report_answer` after every answer and show :func:`sharing_notice` when the
course runs on a JupyterHub (``JUPYTERHUB_API_TOKEN`` is set in the kernel). Off the hub both do nothing: no
answer leaves the computer and no network code runs.

What is sent is only the question's id and the learner's raw answer (the option chosen, or the number typed),
with an id of the answer itself so that a retry is never stored twice. The check-in service grades the answer
against the course's own quizzes and decides from its own records whether it was a first try; nothing the kernel
thinks about right or wrong is sent.

Answers go out in a background thread with the learner's own hub token, one at a time and in the order they were
given, so pressing *Check* never waits for the network. While the service is unreachable (a restart takes about
10 s) the answers wait in the kernel, at most :data:`MAX_QUEUE` of them, and are sent again with a growing pause
(:data:`BACKOFF_S` up to :data:`MAX_BACKOFF_S`); when the service asks to slow down (429) the kernel waits as long
as it says. The learner never sees an error for any of this. Only an answer the service refuses outright (400,
401, 403, 413) is dropped, and logged once.

Example:
    >>> from course_utils.checkin import sharing_notice
    >>> sharing_notice() == "" or "instructor" in sharing_notice()
    True
"""

from __future__ import annotations

import collections
import json
import logging
import math
import os
import random
import secrets
import threading
import time
from collections.abc import Mapping

from .validation import check_number

__all__ = ["report_answer", "sharing_notice", "flush", "pending", "STATS"]

log = logging.getLogger(__name__)

TIMEOUT_S = 3.0
"""Longest wait for the check-in service per attempt, in seconds (in the background thread)."""

MAX_QUEUE = 500
"""Most answers kept in the kernel while the service is unreachable; answers beyond it are not kept."""

BACKOFF_S = 0.5
"""First pause before sending again after a failed attempt, in seconds; doubled after each failure."""

MAX_BACKOFF_S = 3.0
"""Longest pause between attempts, in seconds (so an answer goes out within about 3 s of the service's return)."""

MAX_RETRY_AFTER_S = 60.0
"""Longest wait honoured from a 429's Retry-After, in seconds."""

PERMANENT = frozenset({400, 401, 403, 404, 405, 413, 422})
"""HTTP statuses after which sending the same answer again cannot help: the answer is dropped."""

_TEXT_LIMIT = 200  # the service accepts ids and typed answers up to 200 characters

STATS = {"queued": 0, "sent": 0, "failed": 0, "retries": 0}
"""For this kernel session: answers queued, stored by the service, lost (refused, or the queue was full), and
attempts that had to be repeated."""

_pending: collections.deque = collections.deque()  # (url, token, body), oldest first; the head is being sent
_cond = threading.Condition()
_worker: threading.Thread | None = None
_session = secrets.token_hex(8)  # this kernel's part of every answer_id
_seq = 0
_warned = False
_outage_logged = False


def _url() -> str | None:
    """Where answers go, or None off the hub (no token) or when the hub did not say where."""
    if not os.environ.get("JUPYTERHUB_API_TOKEN"):
        return None
    return os.environ.get("COURSE_CHECKIN_URL") or None


def sharing_notice() -> str:
    """One line telling the learner their answers are shared with the instructor; ``""`` off the hub."""
    if _url() is None:
        return ""
    return ("Your quiz answers (which option or number you chose) are shared with your instructor, who sees how "
            "the room answered; other learners never see them.")


def _get(event: object, name: str, default: object = ...) -> object:
    if isinstance(event, Mapping):
        value = event.get(name, default)
    else:
        value = getattr(event, name, default)
    if value is ...:
        raise ValueError(f"event is missing the field {name!r}; it needs 'question_id' and 'answer'.")
    return value


def _raw_answer(event: object) -> object:
    """The learner's raw answer: the chosen option's index or the number when the event carries them
    (``choice`` / ``value``), else ``answer`` (the option's text, or the number as typed)."""
    for name in ("choice", "value"):
        value = _get(event, name, None)
        if value is not None and not isinstance(value, bool) and isinstance(value, (int, float)):
            if isinstance(value, float) and not math.isfinite(value):
                continue
            return value
    value = _get(event, "answer")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise TypeError(f"event.answer must be the option's text or index, or a number; got {type(value).__name__}.")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"event.answer must be a finite number; got {value!r}.")
    if isinstance(value, str):
        value = value.strip()
        if not value or len(value) > _TEXT_LIMIT:
            raise ValueError(f"event.answer must be a text of 1 to {_TEXT_LIMIT} characters; got {len(value)}.")
    return value


def _payload(event: object) -> dict:
    global _seq
    qid = _get(event, "question_id")
    if not isinstance(qid, str):
        raise TypeError(f"event.question_id must be text such as '07 self-check#3'; got {type(qid).__name__}.")
    if not qid.strip() or len(qid) > _TEXT_LIMIT:
        raise ValueError(f"event.question_id must be a text of 1 to {_TEXT_LIMIT} characters; got {qid!r:.60}.")
    answer = _raw_answer(event)
    with _cond:
        _seq += 1
        answer_id = f"{_session}-{_seq}"
    return {"question_id": qid, "answer": answer, "answer_id": answer_id}


class _Refused(Exception):
    """The service refused the answer for good (a 4xx that a retry cannot fix)."""


class _Later(Exception):
    """The service asked to wait (429): ``seconds`` to wait."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"asked to wait {seconds:g} s")
        self.seconds = seconds


def _send(url: str, token: str, body: bytes) -> None:
    """One attempt. Returns when stored; _Refused, _Later, or any other exception (try again)."""
    from urllib.error import HTTPError  # imported only on the hub, when there is something to send
    from urllib.request import Request, urlopen

    req = Request(url, data=body, method="POST",
                  headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    try:
        with urlopen(req, timeout=TIMEOUT_S) as resp:
            if resp.status not in (200, 201):
                raise OSError(f"check-in answered {resp.status}")
    except HTTPError as exc:
        if exc.code == 429:
            try:
                seconds = float(exc.headers.get("Retry-After", "1"))
            except (TypeError, ValueError):
                seconds = 1.0
            raise _Later(min(MAX_RETRY_AFTER_S, max(0.1, seconds if math.isfinite(seconds) else 1.0))) from None
        if exc.code in PERMANENT:
            try:
                detail = json.loads(exc.read().decode("utf-8", "replace")).get("error", "")
            except Exception:
                detail = ""
            raise _Refused(f"{exc.code} {detail}".strip()) from None
        raise


def _run() -> None:
    global _warned, _outage_logged
    failures = 0
    while True:
        with _cond:
            while not _pending:
                _cond.wait()
            item = _pending[0]
        url, token, body = item
        wait = 0.0
        try:
            _send(url, token, body)
        except _Refused as exc:
            STATS["failed"] += 1
            if not _warned:
                _warned = True
                log.warning("Class check-in: could not send an answer to %s: refused (%s); later refusals are not "
                            "logged.", url, exc)
        except _Later as exc:
            STATS["retries"] += 1
            wait = exc.seconds
        except Exception as exc:  # unreachable, restarting, timed out: keep the answer and try again
            STATS["retries"] += 1
            failures += 1
            wait = min(MAX_BACKOFF_S, BACKOFF_S * 2 ** min(failures - 1, 16)) * random.uniform(0.8, 1.2)
            if not _outage_logged:
                _outage_logged = True
                log.info("Class check-in: %s unreachable (%s); answers are kept and sent when it is back.", url, exc)
        else:
            STATS["sent"] += 1
            failures = 0
            _outage_logged = False
        with _cond:
            if wait == 0.0 and _pending and _pending[0] is item:
                _pending.popleft()
                _cond.notify_all()
        if wait:
            time.sleep(wait)


def report_answer(event: object) -> bool:
    """Send one quiz answer to the class check-in, in the background; return whether it was queued.

    Args:
        event: A mapping or object (such as ``course_utils.quiz.AnswerEvent``) with ``question_id`` (text,
            ``"<quiz title>#<number>"``) and ``answer`` (the option's text, or the number as typed); when it also
            has ``choice`` (the option's index from 0) or ``value`` (the number), that is sent instead. Any other
            field (``correct``, ``first_try``, ...) is not sent: the service grades the answer itself.

    Returns:
        False off the hub (nothing is sent) or when :data:`MAX_QUEUE` answers are already waiting; True when the
        answer will be sent.

    Raises:
        ValueError: a field is missing or empty. TypeError: a field has the wrong type.
    """
    payload = _payload(event)
    url = _url()
    if url is None:
        return False
    global _worker
    body = json.dumps(payload).encode("utf-8")
    with _cond:
        if len(_pending) >= MAX_QUEUE:
            STATS["failed"] += 1
            return False
        _pending.append((url, os.environ["JUPYTERHUB_API_TOKEN"], body))
        STATS["queued"] += 1
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_run, name="course-checkin", daemon=True)
            _worker.start()
        _cond.notify_all()
    return True


def pending() -> int:
    """How many answers are waiting to be sent (kept while the service is unreachable)."""
    with _cond:
        return len(_pending)


def flush(timeout_s: float = 10.0) -> bool:
    """Wait up to ``timeout_s`` seconds until every queued answer was stored or refused; return whether done."""
    timeout_s = check_number("timeout_s", timeout_s, unit="s", low=0, high=600)
    with _cond:
        return _cond.wait_for(lambda: not _pending, timeout=timeout_s)
