"""Class check-in: a JupyterHub service that grades every quiz answer itself and shows the room's first tries.

The hub starts this as a managed service (see ``jupyterhub_config.py``) and restarts it if it dies. What it
guarantees:

* **Graded by the server.** A learner's kernel sends only the question's id and the raw answer (the option
  chosen, or the number). The service grades it against the course's own question bank, read from the quizzes
  in the notebooks (``workshop.question_bank``); whatever the kernel says about right or wrong is ignored.
* **First try from the server's records**: an answer is a first try when it is the first one stored for that
  learner and question.
* **Unknown questions refused**: an id that is not in the bank gets 400 with a message.
* **Rate limit per learner**: at most ``--burst`` answers at once, refilled at ``--rate`` per second; above it,
  429 with ``Retry-After`` (the kernel waits and sends again).
* **Every malformed body gets 400 with a message** (not JSON, nested containers, numbers with too many digits,
  NaN/Infinity, a wrong type, an unknown field), one over 16 KiB 413; never a 500.
* **Idempotent**: an answer carries its kernel's ``answer_id``; the same id sent again (a retry after a
  timeout) is not stored twice.
* **Kept**: answers live in the service's own SQLite file (``--db``), committed and synced before the reply.
* **Clearing**: the instructor can remove a question's results (``POST api/clear``); learners cannot.

Routes (under the service prefix, ``/services/checkin/``):

* ``POST api/answers`` — ``{"question_id": "07 self-check#3", "answer": 1, "answer_id": "..."}``, sent by
  ``course_utils.checkin`` with the learner's own hub token. 201 with the grade; 200 for a repeated answer_id.
* ``GET api/answers/mine`` — the caller's own answers, nobody else's.
* ``GET api/room`` — per question, how many learners answered right on their first try. Instructor only
  (the custom scope ``custom:checkin:room``); names only with ``?names=1``.
* ``POST api/clear`` — ``{"question_id": ..., "user": optional}``: delete that question's answers (of one learner
  or of everyone). Instructor only.
* ``GET`` (the page) — the instructor sees the room, updated every few seconds, with a Clear button per
  question; a learner sees their own results.

Run by hand (outside a hub) only for tests: ``python -m workshop.checkin_service --db answers.sqlite --port 8090``;
it needs the environment the hub gives a service (JUPYTERHUB_API_TOKEN, JUPYTERHUB_API_URL, ...). Without the
repository (e.g. in a Kubernetes hub pod) run it as a script with ``question_bank.py`` beside it and a bank file:
``python checkin_service.py --db answers.sqlite --bank bank.json`` (``python -m workshop.question_bank --json
bank.json`` writes it).
"""

from __future__ import annotations

import argparse
import html
import json
import math
import os
import sqlite3
import sys
import threading
import time
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated
from tornado import ioloop, web

try:
    from workshop.question_bank import NOTEBOOKS, BankError, GradeError, Question, load_bank
except ImportError:  # run as a lone script next to question_bank.py (Kubernetes: both mounted into the hub pod)
    from question_bank import NOTEBOOKS, BankError, GradeError, Question, load_bank  # type: ignore[no-redef]

ROOM_SCOPE = "custom:checkin:room"
"""The scope that lets its holder (the instructor) see the whole room's answers and clear them."""

MAX_BODY_BYTES = 16 * 1024
"""Largest answer request accepted, in bytes (a real one is well under 1 KiB)."""

MAX_DIGITS = 30
"""Most characters of a number in a body (Python refuses int strings over 4300 digits with ValueError)."""

RATE_PER_S = 1.0
"""Default answers per second a learner may send, on average."""

BURST = 30
"""Default answers a learner may send at once (a whole quiz, or a kernel's queue after an outage)."""

FIELDS = {"question_id": 200, "answer": 200, "answer_id": 64, "notebook": 200, "quiz": 200}
"""Fields read from an answer, with their longest text (characters)."""

IGNORED = ("correct", "first_try", "question", "prompt")
"""Fields an older kernel sends: accepted and ignored (the service decides right or wrong and first try)."""


class AnswerError(ValueError):
    """An answer the service refuses; the message tells the sender what to fix."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class RefusedError(web.HTTPError):
    """An HTTP error with extra headers (Retry-After) that survive tornado's send_error."""

    def __init__(self, status: int, message: str, headers: dict | None = None) -> None:
        super().__init__(status, message)
        self.headers = headers or {}


# ============================================================================================ parsing
def _parse_int(text: str) -> int:
    if len(text) > MAX_DIGITS:
        raise AnswerError(f"a number in the body has {len(text)} digits; at most {MAX_DIGITS} characters are "
                          "accepted.")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_DIGITS:
        raise AnswerError(f"a number in the body has {len(text)} characters; at most {MAX_DIGITS} are accepted.")
    value = float(text)
    if not math.isfinite(value):
        raise AnswerError(f"the number {text} is too large; send a finite number.")
    return value


def _parse_constant(name: str) -> float:
    raise AnswerError(f"{name} is not a number the check-in accepts; send a finite number.")


def parse_body(body: bytes) -> dict:
    """The body as a flat JSON object; AnswerError (400/413) with a message for anything else."""
    if len(body) > MAX_BODY_BYTES:
        raise AnswerError(f"answer too large: {len(body)} bytes; at most {MAX_BODY_BYTES} bytes are accepted.", 413)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise AnswerError("body is not UTF-8 text; send one JSON object.") from None
    try:
        data = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)
    except AnswerError:
        raise
    except RecursionError:
        raise AnswerError("body is nested too deeply; send one flat JSON object.") from None
    except ValueError as exc:  # JSONDecodeError, and anything else json refuses
        raise AnswerError(f"body is not valid JSON ({str(exc)[:120]}); send one JSON object.") from None
    if not isinstance(data, dict):
        raise AnswerError(f"body must be a JSON object with fields {sorted(FIELDS)}; got {type(data).__name__}.")
    return data


def validate_answer(body: bytes, bank: dict[str, Question]) -> dict:
    """Parse and check one answer; return ``{question, answer, answer_id}`` or raise AnswerError."""
    data = parse_body(body)
    unknown = sorted(set(data) - set(FIELDS) - set(IGNORED))
    if unknown:
        raise AnswerError(f"unknown field(s) {unknown}; allowed fields are {sorted(FIELDS)}.")
    missing = [f for f in ("question_id", "answer") if f not in data]
    if missing:
        raise AnswerError(f"missing field(s) {missing}; an answer needs 'question_id' and 'answer'.")
    for name, limit in FIELDS.items():
        value = data.get(name)
        if name == "answer" or (value is None and name != "question_id"):
            continue
        if not isinstance(value, str):
            raise AnswerError(f"{name} must be a text of at most {limit} characters; got {type(value).__name__}.")
        if len(value) > limit:
            raise AnswerError(f"{name} is {len(value)} characters long; at most {limit} are accepted.")
    qid = data["question_id"]
    if qid not in bank:
        raise AnswerError(f"unknown question_id {qid[:80]!r}: the course has no such question. Ids look like "
                          f"{next(iter(bank))!r} ('<quiz title>#<number>').")
    raw = data["answer"]
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise AnswerError(f"answer must be an option's index or text, or a number; got {type(raw).__name__}.")
    if isinstance(raw, str) and len(raw) > FIELDS["answer"]:
        raise AnswerError(f"answer is {len(raw)} characters long; at most {FIELDS['answer']} are accepted.")
    question = bank[qid]
    try:
        correct = question.grade(raw)
    except GradeError as exc:
        raise AnswerError(str(exc)) from None
    return {"question": question, "answer": raw, "correct": correct, "answer_id": data.get("answer_id")}


# ============================================================================================ storage
class Store:
    """The graded answers, in one SQLite file. Every insert is committed (and synced) before it returns.

    Rows from before grading by the server (table ``answers``, right/wrong reported by the kernel) stay in the
    file but are never read.
    """

    def __init__(self, path: str, bank: dict[str, Question]) -> None:
        self.path = path
        self.bank = bank
        self._lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS graded (id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, "
            "question_id TEXT NOT NULL, answer TEXT NOT NULL, correct INTEGER NOT NULL, first_try INTEGER NOT NULL, "
            "answer_id TEXT, received REAL NOT NULL)")
        self.db.execute("CREATE INDEX IF NOT EXISTS graded_by_user ON graded (user, question_id)")
        self.db.execute("CREATE UNIQUE INDEX IF NOT EXISTS graded_once ON graded (user, answer_id) "
                        "WHERE answer_id IS NOT NULL")

    def add(self, user: str, rec: dict) -> tuple[dict, bool]:
        """Store one graded answer; return (its record, whether it is new). First try: none stored before."""
        q: Question = rec["question"]
        with self._lock:
            if rec["answer_id"] is not None:
                row = self.db.execute("SELECT id, question_id, correct, first_try FROM graded WHERE user = ? AND "
                                      "answer_id = ?", (user, rec["answer_id"])).fetchone()
                if row:
                    return {"stored": row[0], "question_id": row[1], "correct": bool(row[2]),
                            "first_try": bool(row[3])}, False
            first = self.db.execute("SELECT 1 FROM graded WHERE user = ? AND question_id = ? LIMIT 1",
                                    (user, q.question_id)).fetchone() is None
            cur = self.db.execute(
                "INSERT INTO graded (user, question_id, answer, correct, first_try, answer_id, received) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user, q.question_id, json.dumps(rec["answer"]), int(rec["correct"]), int(first), rec["answer_id"],
                 time.time()))
            return {"stored": int(cur.lastrowid), "question_id": q.question_id, "correct": bool(rec["correct"]),
                    "first_try": first}, True

    def _describe(self, qid: str) -> dict:
        q = self.bank.get(qid)
        return ({"notebook": q.notebook, "quiz": q.quiz, "question_id": qid, "question": q.prompt} if q else
                {"notebook": "", "quiz": "", "question_id": qid, "question": ""})

    def mine(self, user: str) -> list[dict]:
        with self._lock:
            rows = self.db.execute("SELECT question_id, answer, correct, first_try, received FROM graded "
                                   "WHERE user = ? ORDER BY id", (user,)).fetchall()
        return [dict(self._describe(r[0]), answer=json.loads(r[1]), correct=bool(r[2]), first_try=bool(r[3]),
                     received=r[4]) for r in rows]

    def room(self, names: bool) -> list[dict]:
        """Per question (in the course's order): learners who answered it, how many were right at the first try."""
        with self._lock:
            rows = self.db.execute(
                "SELECT g.question_id, g.user, g.correct FROM graded g "
                "JOIN (SELECT MIN(id) AS id FROM graded GROUP BY user, question_id) f ON g.id = f.id "
                "ORDER BY g.user").fetchall()
            totals = dict(self.db.execute("SELECT question_id, COUNT(*) FROM graded GROUP BY question_id"))
        out: dict[str, dict] = {}
        for qid, user, correct in rows:
            q = out.setdefault(qid, dict(self._describe(qid), answered=0, right_first_try=0,
                                         answers=totals.get(qid, 0)))
            q["answered"] += 1
            q["right_first_try"] += int(correct)
            if names:
                q.setdefault("right" if correct else "wrong", []).append(user)
        order = {qid: i for i, qid in enumerate(self.bank)}
        return sorted(out.values(), key=lambda q: order.get(q["question_id"], len(order)))

    def clear(self, question_id: str, user: str | None = None) -> int:
        """Delete a question's answers (of one learner, or everyone's); return how many were removed."""
        with self._lock:
            if user is None:
                cur = self.db.execute("DELETE FROM graded WHERE question_id = ?", (question_id,))
            else:
                cur = self.db.execute("DELETE FROM graded WHERE question_id = ? AND user = ?", (question_id, user))
            return int(cur.rowcount)

    def count(self) -> int:
        with self._lock:
            return int(self.db.execute("SELECT COUNT(*) FROM graded").fetchone()[0])


class RateLimiter:
    """A token bucket per learner: ``burst`` answers at once, refilled at ``rate`` per second."""

    def __init__(self, rate: float, burst: int) -> None:
        if not (math.isfinite(rate) and rate > 0):
            raise ValueError(f"rate must be a number of answers per second > 0; got {rate!r}.")
        if isinstance(burst, bool) or not isinstance(burst, int) or burst < 1:
            raise ValueError(f"burst must be a whole number of answers >= 1; got {burst!r}.")
        self.rate, self.burst = float(rate), burst
        self._buckets: dict[str, tuple[float, float]] = {}  # user: (tokens, time)
        self._lock = threading.Lock()

    def take(self, user: str) -> float:
        """0 if the learner may post now (one token taken), else the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            tokens, then = self._buckets.get(user, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            if tokens >= 1:
                self._buckets[user] = (tokens - 1, now)
                return 0.0
            self._buckets[user] = (tokens, now)
            return (1 - tokens) / self.rate


# ============================================================================================ handlers
class _Base(HubOAuthenticated, web.RequestHandler):
    def initialize(self, store: Store, limiter: RateLimiter | None = None) -> None:
        self.store = store
        self.limiter = limiter

    def write_error(self, status_code: int, **kwargs) -> None:
        exc = kwargs.get("exc_info", (None, None))[1]
        message = exc.log_message if isinstance(exc, web.HTTPError) and exc.log_message else self._reason
        for name, value in getattr(exc, "headers", {}).items():
            self.set_header(name, value)
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

    def instructor(self, what: str) -> dict:
        user = self.learner()
        if not self.is_instructor(user):
            raise web.HTTPError(403, f"only the instructor can {what}; use api/answers/mine for your own answers.")
        return user


class AnswersHandler(_Api):
    def post(self) -> None:
        if not self.request.headers.get("Authorization", "").lower().startswith(("token ", "bearer ")):
            # a browser's cookie is not enough to send an answer (no cross-site posting in a learner's name)
            raise web.HTTPError(401, "send answers with 'Authorization: token <your hub token>'.")
        user = self.learner()
        wait = self.limiter.take(user["name"]) if self.limiter else 0.0
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise RefusedError(429, f"too many answers: at most {self.limiter.burst} at once and "
                                    f"{self.limiter.rate:g} per second; send again in {seconds} s.",
                               {"Retry-After": str(seconds)})
        try:
            rec = validate_answer(self.request.body, self.store.bank)
        except AnswerError as exc:
            raise web.HTTPError(exc.status, str(exc)) from None
        result, new = self.store.add(user["name"], rec)
        self.set_status(201 if new else 200)
        self.finish(result)


class MineHandler(_Api):
    def get(self) -> None:
        name = self.learner()["name"]
        self.finish({"user": name, "answers": self.store.mine(name)})


class RoomHandler(_Api):
    def get(self) -> None:
        self.instructor("see the room's answers")
        names = self.get_argument("names", "0") in ("1", "true", "yes")
        self.finish({"questions": self.store.room(names), "answers_stored": self.store.count()})


class ClearHandler(_Api):
    def post(self) -> None:
        self.instructor("clear answers")
        try:
            data = parse_body(self.request.body)
        except AnswerError as exc:
            raise web.HTTPError(exc.status, str(exc)) from None
        unknown = sorted(set(data) - {"question_id", "user"})
        if unknown:
            raise web.HTTPError(400, f"unknown field(s) {unknown}; send 'question_id' and, optionally, 'user'.")
        qid, user = data.get("question_id"), data.get("user")
        if not isinstance(qid, str) or qid not in self.store.bank:
            raise web.HTTPError(400, f"question_id must be one of the course's question ids; got {qid!r:.80}.")
        if user is not None and (not isinstance(user, str) or not user or len(user) > 200):
            raise web.HTTPError(400, f"user must be a learner's name (text); got {user!r:.80}.")
        self.finish({"question_id": qid, "user": user, "cleared": self.store.clear(qid, user)})


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font:16px/1.4 system-ui,sans-serif;margin:2em;max-width:64em}} td,th{{padding:.3em .6em;text-align:left}}
.bar{{background:#0072B2;height:1em}} .bg{{background:#ddd;width:12em}} .low{{color:#D55E00;font-weight:bold}}
.n{{white-space:nowrap}} button{{font:inherit}}</style>
</head><body><h1>{title}</h1>{body}</body></html>"""

ROOM_JS = """<p>Per question: learners who answered it, and how many were right at their first try (graded by
this service against the course's quizzes). Questions under 60 % right are marked: explain them again.
<em>Clear</em> removes a question's answers, so the room can answer it afresh. <label><input type="checkbox"
id="names"> show names</label></p><div id="room" aria-live="polite">loading…</div><script>
const XSRF = __XSRF__;
const esc = s => String(s).replace(/[&<>"']/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
async function clearQuestion(qid) {
  if (!confirm('Remove every answer to ' + qid + '?')) return;
  const r = await fetch('api/clear', {method: 'POST', credentials: 'same-origin',
    headers: {'X-XSRFToken': XSRF, 'Content-Type': 'application/json'}, body: JSON.stringify({question_id: qid})});
  const d = await r.json();
  const n = r.ok ? `${d.cleared} answer${d.cleared === 1 ? '' : 's'}` : '';
  document.getElementById('status').textContent = r.ok ? `Removed ${n} to ${qid}.` : d.error;
  tick();
}
async function tick() {
  const names = document.getElementById('names').checked ? '1' : '0';
  const r = await fetch('api/room?names=' + names, {credentials: 'same-origin', headers: {'X-XSRFToken': XSRF}});
  const d = await r.json();
  if (!r.ok) { document.getElementById('room').textContent = d.error; return; }
  let h = '<table><tr><th>Notebook</th><th>Question</th><th>Right first try</th><th></th><th></th></tr>';
  for (const q of d.questions) {
    const p = q.answered ? Math.round(100 * q.right_first_try / q.answered) : 0;
    h += `<tr><td>${esc(q.notebook)}</td><td>${esc(q.question || q.question_id)}</td>` +
         `<td class="n ${p < 60 ? 'low' : ''}">${q.right_first_try} of ${q.answered} (${p} %)</td>` +
         `<td><div class="bg"><div class="bar" style="width:${p}%"></div></div></td>` +
         `<td><button data-qid="${esc(q.question_id)}" aria-label="Clear the answers to ${esc(q.question_id)}">` +
         `Clear</button></td></tr>`;
    if (q.wrong || q.right) h += `<tr><td></td><td colspan="4">right: ${esc((q.right||[]).join(', '))}` +
                                  ` — not yet: ${esc((q.wrong||[]).join(', '))}</td></tr>`;
  }
  document.getElementById('room').innerHTML = h + `</table><p>${d.answers_stored} answers stored.</p>`;
  for (const b of document.querySelectorAll('button[data-qid]')) b.onclick = () => clearQuestion(b.dataset.qid);
}
tick(); setInterval(tick, 3000); document.getElementById('names').onchange = tick;
</script><p id="status" role="status"></p>"""


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


def make_app(db_path: str, bank: dict[str, Question] | None = None, rate: float = RATE_PER_S,
             burst: int = BURST) -> web.Application:
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/checkin/")
    store = Store(db_path, bank if bank is not None else load_bank(NOTEBOOKS))
    auth = HubOAuth(api_token=os.environ["JUPYTERHUB_API_TOKEN"], cache_max_age=60)
    kw = {"store": store}
    return web.Application([
        (prefix + "oauth_callback", HubOAuthCallbackHandler),
        (prefix + "api/answers", AnswersHandler, dict(kw, limiter=RateLimiter(rate, burst))),
        (prefix + "api/answers/mine", MineHandler, kw),
        (prefix + "api/room", RoomHandler, kw),
        (prefix + "api/clear", ClearHandler, kw),
        (prefix.rstrip("/") + "/?", PageHandler, kw),
    ], hub_auth=auth, cookie_secret=os.urandom(32), xsrf_cookies=False, store=store)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite file for the answers (created if missing)")
    parser.add_argument("--port", type=int, default=None, help="port (default: from JUPYTERHUB_SERVICE_URL)")
    parser.add_argument("--bank", default=str(NOTEBOOKS),
                        help="the course's notebooks folder, or a bank JSON file (python -m workshop.question_bank "
                             "--json FILE); default: %(default)s")
    parser.add_argument("--rate", type=float, default=RATE_PER_S, help="answers per second per learner (%(default)s)")
    parser.add_argument("--burst", type=int, default=BURST, help="answers at once per learner (%(default)s)")
    args = parser.parse_args(argv)
    try:
        bank = load_bank(args.bank)
        limiter_check = RateLimiter(args.rate, args.burst)
    except (BankError, ValueError) as exc:
        sys.exit(f"checkin: cannot start: {exc}")
    del limiter_check
    url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:8090"))
    app = make_app(args.db, bank, args.rate, args.burst)
    # bodies up to 1 MiB reach the handler, which refuses anything over MAX_BODY_BYTES with a clear 413 message
    app.listen(args.port or url.port or 8090, url.hostname or "127.0.0.1", max_body_size=1024 * 1024)
    print(f"checkin: {len(bank)} questions in the bank; listening", flush=True)
    ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
