"""Class check-in: a JupyterHub service that stores every quiz answer and shows the room's first tries.

The hub starts this as a managed service (see ``jupyterhub_config.py``) and restarts it if it dies. Answers are
kept in its own SQLite file (``--db``), written and synced before the learner's request is answered, so every
answer that got a "201 stored" survives a restart of the service or of the whole machine.

Routes (under the service prefix, ``/services/checkin/``):

* ``POST api/answers`` — a learner's quiz answer, sent by ``course_utils.checkin`` with the learner's own hub
  token. A malformed or oversized answer is refused with 400/413 and a message that says what is wrong.
* ``GET api/answers/mine`` — the caller's own answers, nobody else's.
* ``GET api/room`` — per question, how many learners answered right on their first try. Instructor only
  (the custom scope ``custom:checkin:room``); names only with ``?names=1``.
* ``GET`` (the page) — the instructor sees the room, updated every few seconds; a learner sees their own results.

Run by hand (outside a hub) only for tests: ``python -m workshop.checkin_service --db answers.sqlite --port 8090``;
it needs the environment the hub gives a service (JUPYTERHUB_API_TOKEN, JUPYTERHUB_API_URL, ...).
"""

from __future__ import annotations

import argparse
import html
import json
import math
import os
import sqlite3
import threading
import time
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated
from tornado import ioloop, web

ROOM_SCOPE = "custom:checkin:room"
"""The scope that lets its holder (the instructor) see the whole room's answers."""

MAX_BODY_BYTES = 16 * 1024
"""Largest answer request accepted, in bytes (a real one is well under 2 KiB)."""

FIELDS = {  # name: (type, maximum length in characters for text)
    "notebook": (str, 200),
    "quiz": (str, 200),
    "question_id": (str, 200),
    "question": (str, 2000),
    "correct": (bool, None),
    "first_try": (bool, None),
    "answer": (object, 1000),
}
REQUIRED = ("notebook", "quiz", "question_id", "correct", "first_try")
NONEMPTY = ("quiz", "question_id")  # the notebook label may be "" (a quiz made without one)


class AnswerError(ValueError):
    """An answer the service refuses; the message tells the sender what to fix."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def validate_answer(body: bytes) -> dict:
    """Parse and check one answer; return the clean record or raise AnswerError with a clear message."""
    if len(body) > MAX_BODY_BYTES:
        raise AnswerError(f"answer too large: {len(body)} bytes; at most {MAX_BODY_BYTES} bytes are accepted.", 413)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnswerError(f"body is not valid UTF-8 JSON ({exc}); send one JSON object.") from None
    if not isinstance(data, dict):
        raise AnswerError(f"body must be a JSON object with fields {sorted(FIELDS)}; got {type(data).__name__}.")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise AnswerError(f"unknown field(s) {unknown}; allowed fields are {sorted(FIELDS)}.")
    missing = [f for f in REQUIRED if f not in data]
    if missing:
        raise AnswerError(f"missing field(s) {missing}; required are {list(REQUIRED)}.")
    clean: dict = {}
    for name, (kind, limit) in FIELDS.items():
        value = data.get(name)
        if name == "answer":
            if value is not None and not isinstance(value, (str, int, float, bool)):
                raise AnswerError(f"answer must be text, a number, true/false or null; got {type(value).__name__}.")
            if isinstance(value, float) and not math.isfinite(value):
                raise AnswerError(f"answer must be a finite number; got {value!r}.")
            text = json.dumps(value)
            if len(text) > limit:
                raise AnswerError(f"answer is {len(text)} characters as JSON; at most {limit} are accepted.")
            clean[name] = text
        elif kind is bool:
            if not isinstance(value, bool):
                raise AnswerError(f"{name} must be true or false; got {value!r:.40}.")
            clean[name] = int(value)
        else:
            if value is None and name not in REQUIRED:
                clean[name] = ""
                continue
            if not isinstance(value, str):
                raise AnswerError(f"{name} must be a text of at most {limit} characters; got {value!r:.40}.")
            if name in NONEMPTY and not value.strip():
                raise AnswerError(f"{name} must be a non-empty text of at most {limit} characters; got {value!r:.40}.")
            if len(value) > limit:
                raise AnswerError(f"{name} is {len(value)} characters long; at most {limit} are accepted.")
            clean[name] = value
    return clean


class Store:
    """The answers, in one SQLite file. Every insert is committed (and synced) before it returns."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS answers (id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, "
            "notebook TEXT NOT NULL, quiz TEXT NOT NULL, question_id TEXT NOT NULL, question TEXT NOT NULL, "
            "answer TEXT NOT NULL, correct INTEGER NOT NULL, first_try INTEGER NOT NULL, received REAL NOT NULL)")
        self.db.execute("CREATE INDEX IF NOT EXISTS by_user ON answers (user)")

    def add(self, user: str, rec: dict) -> int:
        with self._lock:
            cur = self.db.execute(
                "INSERT INTO answers (user, notebook, quiz, question_id, question, answer, correct, first_try, "
                "received) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (user, rec["notebook"], rec["quiz"], rec["question_id"], rec["question"], rec["answer"],
                 rec["correct"], rec["first_try"], time.time()))
            return int(cur.lastrowid)

    def mine(self, user: str) -> list[dict]:
        with self._lock:
            rows = self.db.execute(
                "SELECT notebook, quiz, question_id, question, answer, correct, first_try, received FROM answers "
                "WHERE user = ? ORDER BY id", (user,)).fetchall()
        return [{"notebook": r[0], "quiz": r[1], "question_id": r[2], "question": r[3], "answer": json.loads(r[4]),
                 "correct": bool(r[5]), "first_try": bool(r[6]), "received": r[7]} for r in rows]

    def room(self, names: bool) -> list[dict]:
        """Per question: learners who answered on a first try, how many were right (and who, if ``names``)."""
        with self._lock:
            rows = self.db.execute(
                "SELECT a.notebook, a.quiz, a.question_id, a.question, a.user, a.correct FROM answers a "
                "JOIN (SELECT MIN(id) AS id FROM answers WHERE first_try = 1 "
                "      GROUP BY notebook, quiz, question_id, user) f ON a.id = f.id "
                "ORDER BY a.notebook, a.quiz, a.question_id, a.user").fetchall()
        out: dict[tuple, dict] = {}
        for nb, quiz, qid, question, user, correct in rows:
            q = out.setdefault((nb, quiz, qid), {"notebook": nb, "quiz": quiz, "question_id": qid,
                                                 "question": question, "answered": 0, "right_first_try": 0})
            q["answered"] += 1
            q["right_first_try"] += int(correct)
            if names:
                q.setdefault("right", []).append(user) if correct else q.setdefault("wrong", []).append(user)
        return list(out.values())

    def count(self) -> int:
        with self._lock:
            return int(self.db.execute("SELECT COUNT(*) FROM answers").fetchone()[0])


class _Base(HubOAuthenticated, web.RequestHandler):
    def initialize(self, store: Store) -> None:
        self.store = store

    def write_error(self, status_code: int, **kwargs) -> None:
        exc = kwargs.get("exc_info", (None, None))[1]
        message = exc.log_message if isinstance(exc, web.HTTPError) and exc.log_message else self._reason
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error": message, "status": status_code}))

    def is_instructor(self, user: dict) -> bool:
        return ROOM_SCOPE in set(user.get("scopes", ()))


class _Api(_Base):
    def learner(self) -> dict:
        user = self.current_user
        if not user:
            raise web.HTTPError(401, "no valid hub token: send 'Authorization: token <your hub token>'.")
        return user


class AnswersHandler(_Api):
    def post(self) -> None:
        if not self.request.headers.get("Authorization", "").lower().startswith(("token ", "bearer ")):
            # a browser's cookie is not enough to send an answer (no cross-site posting in a learner's name)
            raise web.HTTPError(401, "send answers with 'Authorization: token <your hub token>'.")
        user = self.learner()
        try:
            rec = validate_answer(self.request.body)
        except AnswerError as exc:
            raise web.HTTPError(exc.status, str(exc)) from None
        rowid = self.store.add(user["name"], rec)
        self.set_status(201)
        self.finish({"stored": rowid})


class MineHandler(_Api):
    def get(self) -> None:
        self.finish({"user": self.learner()["name"], "answers": self.store.mine(self.learner()["name"])})


class RoomHandler(_Api):
    def get(self) -> None:
        user = self.learner()
        if not self.is_instructor(user):
            raise web.HTTPError(403, "only the instructor can see the room's answers; use api/answers/mine.")
        names = self.get_argument("names", "0") in ("1", "true", "yes")
        self.finish({"questions": self.store.room(names), "answers_stored": self.store.count()})


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font:16px/1.4 system-ui,sans-serif;margin:2em;max-width:60em}} td,th{{padding:.3em .6em;text-align:left}}
.bar{{background:#0072B2;height:1em}} .bg{{background:#ddd;width:12em}} .low{{color:#D55E00;font-weight:bold}}</style>
</head><body><h1>{title}</h1>{body}</body></html>"""

ROOM_JS = """<p>Per question: learners who answered on their first try, and how many of them were right.
Questions under 60 % right are marked: explain them again. <label><input type="checkbox" id="names">
show names</label></p><div id="room" aria-live="polite">loading…</div><script>
const XSRF = __XSRF__;
const esc = s => String(s).replace(/[&<>"']/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
async function tick() {
  const names = document.getElementById('names').checked ? '1' : '0';
  const r = await fetch('api/room?names=' + names, {credentials: 'same-origin', headers: {'X-XSRFToken': XSRF}});
  const d = await r.json();
  if (!r.ok) { document.getElementById('room').textContent = d.error; return; }
  let h = '<table><tr><th>Notebook</th><th>Quiz</th><th>Question</th><th>Right first try</th><th></th></tr>';
  for (const q of d.questions) {
    const p = q.answered ? Math.round(100 * q.right_first_try / q.answered) : 0;
    h += `<tr><td>${esc(q.notebook)}</td><td>${esc(q.quiz)}</td><td>${esc(q.question || q.question_id)}</td>` +
         `<td class="${p < 60 ? 'low' : ''}">${q.right_first_try} of ${q.answered} (${p} %)</td>` +
         `<td><div class="bg"><div class="bar" style="width:${p}%"></div></div></td></tr>`;
    if (q.wrong || q.right) h += `<tr><td></td><td colspan="4">right: ${esc((q.right||[]).join(', '))}` +
                                  ` — not yet: ${esc((q.wrong||[]).join(', '))}</td></tr>`;
  }
  document.getElementById('room').innerHTML = h + `</table><p>${d.answers_stored} answers stored.</p>`;
}
tick(); setInterval(tick, 3000); document.getElementById('names').onchange = tick;
</script>"""


class PageHandler(_Base):
    @web.authenticated
    def get(self) -> None:
        user = self.current_user
        if self.is_instructor(user):
            token = self.xsrf_token  # the page's own requests (fetch) must carry it: JupyterHub's xsrf protection
            token = token.decode() if isinstance(token, bytes) else token
            body = ROOM_JS.replace("__XSRF__", json.dumps(token).replace("<", "\\u003c"))
            self.finish(PAGE.format(title="Class check-in: the room", body=body))
            return
        rows = self.store.mine(user["name"])
        items = "".join(
            f"<tr><td>{html.escape(r['notebook'])}</td><td>{html.escape(r['question'] or r['question_id'])}</td>"
            f"<td>{'right' if r['correct'] else 'not yet'}{' (first try)' if r['first_try'] else ''}</td></tr>"
            for r in rows)
        body = (f"<p>Your own answers ({len(rows)}), {html.escape(user['name'])}. Your instructor sees how the "
                "room answered each question.</p><table><tr><th>Notebook</th><th>Question</th><th>Result</th></tr>"
                f"{items}</table>")
        self.finish(PAGE.format(title="Class check-in: your answers", body=body))


def make_app(db_path: str) -> web.Application:
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/checkin/")
    store = Store(db_path)
    auth = HubOAuth(api_token=os.environ["JUPYTERHUB_API_TOKEN"], cache_max_age=60)
    kw = {"store": store}
    return web.Application([
        (prefix + "oauth_callback", HubOAuthCallbackHandler),
        (prefix + "api/answers", AnswersHandler, kw),
        (prefix + "api/answers/mine", MineHandler, kw),
        (prefix + "api/room", RoomHandler, kw),
        (prefix.rstrip("/") + "/?", PageHandler, kw),
    ], hub_auth=auth, cookie_secret=os.urandom(32), xsrf_cookies=False, store=store)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite file for the answers (created if missing)")
    parser.add_argument("--port", type=int, default=None, help="port (default: from JUPYTERHUB_SERVICE_URL)")
    args = parser.parse_args()
    url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:8090"))
    app = make_app(args.db)
    # bodies up to 1 MiB reach the handler, which refuses anything over MAX_BODY_BYTES with a clear 413 message
    app.listen(args.port or url.port or 8090, url.hostname or "127.0.0.1", max_body_size=1024 * 1024)
    ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
