"""The class check-in grades answers itself: the learner's kernel cannot fake a result.

The check-in service (``workshop/checkin_service.py``) runs here as it runs on the hub, a separate process on a
free port of 127.0.0.1, and identifies callers the way it does on the hub: its HubOAuth asks the hub's REST API
(``GET /hub/api/user`` with the caller's token) who the caller is and which scopes they hold. Instead of a whole
JupyterHub (which creates Unix users: tests/test_workshop_hub.py does that), a small fake hub in this process
answers that one call for three tokens: two learners and the instructor (who holds ``custom:checkin:room``).

The kernel side (``course_utils.checkin``) runs in this process, against the same service: what it sends, that
it keeps answers while the service restarts and sends them all, in order, when it is back.

The question bank is checked against the notebooks by a second, independent reading: the quiz cells are run
with the real ``course_utils`` and each question the quiz builds is compared with the bank's, grading included.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workshop import checkin_service as svc  # noqa: E402
from workshop.question_bank import BankError, build_bank, load_bank, questions_in_notebook, to_json  # noqa: E402

pytestmark = pytest.mark.timeout(180)

PREFIX = "/services/checkin/"
SERVICE_TOKEN = "service-token-for-tests"
TOKENS = {  # token: the user model the fake hub returns for it
    "tok-ann": {"kind": "user", "name": "ann", "scopes": ["access:services!service=checkin"]},
    "tok-bob": {"kind": "user", "name": "bob", "scopes": ["access:services!service=checkin"]},
    "tok-teach": {"kind": "user", "name": "teach", "admin": True,
                  "scopes": ["access:services!service=checkin", svc.ROOM_SCOPE]},
    "tok-other-service": {"kind": "user", "name": "eve", "scopes": ["access:services!service=other"]},
}
BANK = build_bank()
MC = next(q for q in BANK.values() if q.kind == "choice")  # the first multiple-choice question of the course
NUM = next(q for q in BANK.values() if q.kind == "numeric")
WRONG = (MC.answer + 1) % len(MC.options)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ============================================================================================ a fake hub API
class _HubAPI(http.server.BaseHTTPRequestHandler):
    """Answers the one call HubOAuth makes: GET /hub/api/user with ``Authorization: token <t>``."""

    calls: list[str] = []

    def do_GET(self) -> None:
        token = self.headers.get("Authorization", "").removeprefix("token ").strip()
        _HubAPI.calls.append(self.path)
        model = TOKENS.get(token) if self.path.rstrip("/") == "/hub/api/user" else None
        body = json.dumps(model or {"status": 403, "message": "no such token"}).encode()
        self.send_response(200 if model else 403)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def fake_hub():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HubAPI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hub/api"
    server.shutdown()
    server.server_close()


# ============================================================================================ the service
class Service:
    """``python -m workshop.checkin_service`` on a free port, with the environment the hub gives a service."""

    def __init__(self, hub_api: str, db: Path, *extra: str, script: Path | None = None) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}{PREFIX}"
        self.db, self.extra, self.hub_api = db, extra, hub_api
        self.script = script  # run this file as a lone script (as on Kubernetes) instead of the repo's module
        self.proc: subprocess.Popen | None = None
        self.log = db.with_suffix(".log")

    def start(self) -> Service:
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
        env.update(JUPYTERHUB_API_TOKEN=SERVICE_TOKEN, JUPYTERHUB_API_URL=self.hub_api,
                   JUPYTERHUB_SERVICE_NAME="checkin", JUPYTERHUB_SERVICE_PREFIX=PREFIX,
                   JUPYTERHUB_CLIENT_ID="service-checkin", JUPYTERHUB_BASE_URL="/",
                   JUPYTERHUB_SERVICE_URL=f"http://127.0.0.1:{self.port}", PYTHONPATH=str(REPO))
        run = ["-m", "workshop.checkin_service"]
        if self.script:
            env.pop("PYTHONPATH")
            run = [str(self.script)]
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, *run, "--db", str(self.db), "--port", str(self.port),
                                          *self.extra], cwd=self.script.parent if self.script else REPO,
                                         env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the check-in service exited: {self.log.read_text()[-2000:]}")
            try:
                if self.get("api/answers/mine", "tok-ann").status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError("the check-in service did not answer within 60 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)  # as a crash: nothing is flushed on the way out
            self.proc.wait(10)

    def post(self, path: str, token: str | None, body: object = None, data: bytes | None = None) -> requests.Response:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"token {token}"
        return requests.post(self.base + path, data=data if data is not None else json.dumps(body).encode(),
                             headers=headers, timeout=10)

    def get(self, path: str, token: str | None) -> requests.Response:
        return requests.get(self.base + path, headers={"Authorization": f"token {token}"} if token else {},
                            timeout=10)

    def answer(self, token: str, question_id: str, answer: object, **more) -> requests.Response:
        return self.post("api/answers", token, dict(question_id=question_id, answer=answer, **more))

    def mine(self, token: str) -> list[dict]:
        r = self.get("api/answers/mine", token)
        assert r.status_code == 200, r.text
        return r.json()["answers"]

    def room(self) -> dict:
        r = self.get("api/room", "tok-teach")
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture(scope="module")
def service(fake_hub, tmp_path_factory):
    # a generous limit: these tests post quickly; the limit itself is tested on a service of its own
    s = Service(fake_hub, tmp_path_factory.mktemp("checkin") / "checkin.sqlite", "--burst", "1000",
                "--rate", "100").start()
    yield s
    s.stop()


@pytest.fixture
def clean(service):
    """Start a test with no answers stored for the two questions used here."""
    for qid in (MC.question_id, NUM.question_id):
        assert service.post("api/clear", "tok-teach", {"question_id": qid}).status_code == 200
    return service


# ============================================================================================ grading
def test_a_forged_correct_and_first_try_are_ignored_the_service_grades(clean):
    s = clean
    r = s.answer("tok-ann", MC.question_id, WRONG, correct=True, first_try=True)  # a wrong option, claimed right
    assert r.status_code == 201, r.text
    assert (r.json()["correct"], r.json()["first_try"]) == (False, True)
    r = s.answer("tok-ann", MC.question_id, MC.answer, correct=True, first_try=True)  # right, but not a first try
    assert (r.json()["correct"], r.json()["first_try"]) == (True, False)
    r = s.answer("tok-ann", MC.question_id, MC.options[MC.answer], correct=False, first_try=False)  # as text
    assert (r.json()["correct"], r.json()["first_try"]) == (True, False)
    mine = [(a["answer"], a["correct"], a["first_try"]) for a in s.mine("tok-ann")
            if a["question_id"] == MC.question_id]
    assert mine == [(WRONG, False, True), (MC.answer, True, False), (MC.options[MC.answer], True, False)]
    q = next(x for x in s.room()["questions"] if x["question_id"] == MC.question_id)
    assert (q["answered"], q["right_first_try"], q["answers"]) == (1, 0, 3)
    assert q["question"] == MC.prompt and q["notebook"] == MC.notebook


def test_numeric_answers_are_graded_within_the_tolerance_as_typed_or_as_numbers(clean):
    s = clean
    right_text = f"{NUM.answer + 0.9 * NUM.tolerance:g}".replace(".", ",")  # a comma as the decimal mark
    results = [s.answer("tok-bob", NUM.question_id, a).json()["correct"]
               for a in (NUM.answer + 1.5 * NUM.tolerance, right_text, NUM.answer)]
    assert results == [False, True, True]
    q = next(x for x in s.room()["questions"] if x["question_id"] == NUM.question_id)
    assert (q["answered"], q["right_first_try"]) == (1, 0)


def test_first_try_comes_from_the_servers_records_not_from_the_kernel_session(clean):
    """A new kernel (a new answer_id prefix) cannot start a question afresh."""
    s = clean
    assert s.answer("tok-bob", MC.question_id, WRONG, answer_id="kernel1-1").json()["first_try"] is True
    again = s.answer("tok-bob", MC.question_id, MC.answer, answer_id="kernel2-1", first_try=True).json()
    assert again["first_try"] is False
    # and one learner's first try is not another's
    assert s.answer("tok-ann", MC.question_id, MC.answer).json()["first_try"] is True
    q = next(x for x in s.room()["questions"] if x["question_id"] == MC.question_id)
    assert (q["answered"], q["right_first_try"]) == (2, 1)


def test_the_same_answer_id_sent_twice_is_stored_once(clean):
    s = clean
    first = s.answer("tok-ann", MC.question_id, MC.answer, answer_id="k-7")
    repeat = s.answer("tok-ann", MC.question_id, MC.answer, answer_id="k-7")
    assert (first.status_code, repeat.status_code) == (201, 200)
    assert repeat.json() == first.json()
    assert [a["question_id"] for a in s.mine("tok-ann")].count(MC.question_id) == 1


def test_a_question_id_the_course_does_not_have_is_refused(service):
    before = service.room()["answers_stored"]
    for qid in ("q1", "invented#1", f"{MC.quiz}#99", MC.question_id + " "):
        r = service.answer("tok-ann", qid, 0, correct=True, first_try=True)
        assert r.status_code == 400, (qid, r.text)
        assert "unknown question_id" in r.json()["error"]
    assert service.room()["answers_stored"] == before


@pytest.mark.parametrize(("answer", "words"), [
    (len(MC.options), "index from 0"), (-1, "index from 0"), ("not an option", "not one of its"),
    (1.5, "index"), (True, "index"),
])
def test_an_answer_that_is_no_option_of_the_question_is_refused(service, answer, words):
    r = service.answer("tok-ann", MC.question_id, answer)
    assert r.status_code == 400 and words in r.json()["error"], r.text


# ============================================================================================ malformed bodies
GOOD = {"question_id": MC.question_id, "answer": MC.answer}
MALFORMED = [
    pytest.param(b"[" * 5000 + b"]" * 5000, "nested too deeply", id="array-nested-5000-deep"),
    pytest.param(b'{"a":' * 2000 + b"1" + b"}" * 2000, "nested too deeply", id="object-nested-2000-deep"),
    pytest.param(json.dumps(GOOD)[:-1].encode() + b', "answer_id": ' + b"[" * 4000 + b"]" * 4000 + b"}",
                 "nested too deeply", id="deeply-nested-field"),
    pytest.param(json.dumps(dict(GOOD, answer=[[[[1]]]])).encode(), "answer must be", id="nested-answer"),
    pytest.param(b'{"question_id": "%s", "answer": %s}' % (MC.question_id.encode(), b"9" * 5000), "digits",
                 id="5000-digit-number"),
    pytest.param(b'{"question_id": "%s", "answer": 1e999}' % NUM.question_id.encode(), "finite",
                 id="1e999"),
    pytest.param(b'{"question_id": "%s", "answer": NaN}' % NUM.question_id.encode(), "NaN", id="NaN"),
    pytest.param(b'{"question_id": "%s", "answer": -Infinity}' % NUM.question_id.encode(), "Infinity",
                 id="-Infinity"),
    pytest.param(b"{not json", "not valid JSON", id="not-json"),
    pytest.param(b"", "not valid JSON", id="empty"),
    pytest.param(b"\xff\xfe{}", "UTF-8", id="not-utf8"),
    pytest.param(b"[1, 2]", "JSON object", id="array"),
    pytest.param(b'"text"', "JSON object", id="string"),
    pytest.param(json.dumps({"answer": 1}).encode(), "missing field", id="no-question-id"),
    pytest.param(json.dumps({"question_id": MC.question_id}).encode(), "missing field", id="no-answer"),
    pytest.param(json.dumps(dict(GOOD, question_id=7)).encode(), "question_id must be a text", id="id-number"),
    pytest.param(json.dumps(dict(GOOD, question_id=["a"])).encode(), "question_id must be a text", id="id-list"),
    pytest.param(json.dumps(dict(GOOD, answer=None)).encode(), "answer must be", id="answer-null"),
    pytest.param(json.dumps(dict(GOOD, answer={"a": 1})).encode(), "answer must be", id="answer-object"),
    pytest.param(json.dumps(dict(GOOD, answer="x" * 2000)).encode(), "answer is 2000 characters", id="long-answer"),
    pytest.param(json.dumps(dict(GOOD, answer_id=5)).encode(), "answer_id must be a text", id="answer-id-number"),
    pytest.param(json.dumps(dict(GOOD, question_id="q" * 201)).encode(), "question_id is 201", id="long-id"),
    pytest.param(json.dumps(dict(GOOD, extra=1)).encode(), "unknown field", id="unknown-field"),
]


@pytest.mark.parametrize(("body", "words"), MALFORMED)
def test_every_malformed_body_gets_400_with_a_message_never_500(service, body, words):
    before = service.room()["answers_stored"]
    r = service.post("api/answers", "tok-bob", data=body)
    assert r.status_code == 400, r.text[:300]
    assert words in r.json()["error"], r.json()
    assert service.room()["answers_stored"] == before


def test_an_oversized_body_gets_413(service):
    r = service.post("api/answers", "tok-bob", dict(GOOD, answer_id="x" * 40_000))
    assert r.status_code == 413 and "too large" in r.json()["error"]


def test_without_a_valid_token_nothing_is_stored(service):
    before = service.room()["answers_stored"]
    for token in (None, "not-a-token", "tok-other-service"):  # the last: a real user without access to checkin
        r = service.post("api/answers", token, GOOD)
        assert r.status_code in (401, 403), (token, r.status_code)
    assert service.room()["answers_stored"] == before


@settings(max_examples=150, deadline=None)
@given(st.one_of(
    st.binary(max_size=300),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                 lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                 max_leaves=12).map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.sampled_from(["question_id", "answer", "answer_id", "correct", "first_try", "quiz"]),
                    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
                    | st.sampled_from(list(BANK)), max_size=6).map(lambda v: json.dumps(v).encode()),
))
def test_any_body_is_graded_or_refused_with_a_message_never_an_unexpected_error(body):
    try:
        rec = svc.validate_answer(body, BANK)
    except svc.AnswerError as exc:
        assert exc.status in (400, 413) and str(exc)
    else:
        assert rec["question"].question_id in BANK and isinstance(rec["correct"], bool)


# ============================================================================================ rate limit
def test_one_learner_posting_too_fast_gets_429_with_retry_after_others_do_not(fake_hub, tmp_path):
    s = Service(fake_hub, tmp_path / "limited.sqlite", "--burst", "3", "--rate", "0.2").start()
    try:
        codes = [s.answer("tok-ann", MC.question_id, MC.answer).status_code for _ in range(3)]
        assert codes == [201] * 3
        r = s.answer("tok-ann", MC.question_id, MC.answer)
        assert r.status_code == 429, r.text
        assert 1 <= int(r.headers["Retry-After"]) <= 5, r.headers  # one token at 0.2/s: at most 5 s
        assert "too many answers" in r.json()["error"]
        assert s.answer("tok-bob", MC.question_id, MC.answer).status_code == 201, "the limit is per learner"
        assert len(s.mine("tok-ann")) == 3
    finally:
        s.stop()


# ============================================================================================ clearing
def test_the_instructor_clears_a_questions_results_and_a_learner_cannot(clean):
    s = clean
    for token in ("tok-ann", "tok-bob"):
        assert s.answer(token, MC.question_id, WRONG).status_code == 201
    assert s.answer("tok-ann", NUM.question_id, NUM.answer).status_code == 201
    for token in ("tok-ann", "tok-bob"):  # learners may not clear, neither their own nor the room's
        for body in ({"question_id": MC.question_id}, {"question_id": MC.question_id, "user": "ann"}):
            r = s.post("api/clear", token, body)
            assert r.status_code == 403 and "instructor" in r.json()["error"], r.text
    assert s.post("api/clear", None, {"question_id": MC.question_id}).status_code in (401, 403)
    before = {q["question_id"]: q["answered"] for q in s.room()["questions"]}
    assert before[MC.question_id] == 2 and before[NUM.question_id] == 1
    # one learner's answers to one question
    r = s.post("api/clear", "tok-teach", {"question_id": MC.question_id, "user": "bob"})
    assert r.status_code == 200 and r.json()["cleared"] == 1
    # then the whole question
    r = s.post("api/clear", "tok-teach", {"question_id": MC.question_id})
    assert r.status_code == 200 and r.json()["cleared"] == 1
    after = {q["question_id"]: q["answered"] for q in s.room()["questions"]}
    assert MC.question_id not in after and after[NUM.question_id] == 1, "only that question is cleared"
    assert MC.question_id not in [a["question_id"] for a in s.mine("tok-ann")]
    # after clearing, the room answers the question afresh: the next answer is a first try again
    assert s.answer("tok-ann", MC.question_id, MC.answer).json()["first_try"] is True
    for body, words in (({"question_id": "nope#1"}, "question_id must be one of"), ({"qid": 1}, "unknown field"),
                        ({"question_id": MC.question_id, "user": 5}, "user must be")):
        r = s.post("api/clear", "tok-teach", body)
        assert r.status_code == 400 and words in r.json()["error"], r.text
    r = s.post("api/clear", "tok-teach", data=b"[" * 5000)
    assert r.status_code == 400 and "nested too deeply" in r.json()["error"]


def test_a_learner_sees_only_their_own_answers_and_not_the_room(clean):
    s = clean
    assert s.answer("tok-bob", MC.question_id, MC.answer).status_code == 201
    assert s.get("api/room", "tok-ann").status_code == 403
    assert all(a["question_id"] != MC.question_id for a in s.mine("tok-ann"))
    page = s.get("", "tok-ann")
    assert page.status_code == 200 and "your answers" in page.text and "Clear" not in page.text
    page = s.get("", "tok-teach")
    assert page.status_code == 200 and "the room" in page.text and "api/clear" in page.text


def test_the_instructors_clear_button_removes_a_questions_answers_in_the_browser(clean, tmp_path):
    from tests.conftest import require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    s = clean
    assert s.answer("tok-ann", MC.question_id, WRONG).status_code == 201
    assert s.answer("tok-bob", NUM.question_id, NUM.answer).status_code == 201
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"),
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900},
                                       extra_http_headers={"Authorization": "token tok-teach"}).new_page()
            page.goto(s.base)
            button = page.get_by_role("button", name=f"Clear the answers to {MC.question_id}")
            button.wait_for(timeout=10_000)
            page.screenshot(path=str(tmp_path / "room.png"))
            page.once("dialog", lambda d: d.accept())
            button.click()
            page.get_by_text(f"Removed 1 answer to {MC.question_id}.").wait_for(timeout=10_000)
            page.wait_for_function(f"!document.querySelector('button[data-qid={json.dumps(MC.question_id)}]')",
                                   timeout=10_000)
            assert page.get_by_role("button", name=f"Clear the answers to {NUM.question_id}").count() == 1
        finally:
            browser.close()
    assert MC.question_id not in [q["question_id"] for q in s.room()["questions"]]


# ============================================================================================ the kernel side
@pytest.fixture
def kernel_env(monkeypatch):
    """course_utils.checkin as in a learner's kernel on the hub; waits for its queue to empty afterwards."""
    from course_utils import checkin

    def point_at(url: str, token: str = "tok-ann") -> None:
        monkeypatch.setenv("JUPYTERHUB_API_TOKEN", token)
        monkeypatch.setenv("COURSE_CHECKIN_URL", url)

    monkeypatch.setattr(checkin, "BACKOFF_S", 0.2)
    monkeypatch.setattr(checkin, "MAX_BACKOFF_S", 1.0)
    yield checkin, point_at
    assert checkin.flush(30), "answers were left in the kernel's queue"


class _Recorder(http.server.BaseHTTPRequestHandler):
    bodies: list[dict] = []

    def do_POST(self) -> None:
        _Recorder.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(201)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args) -> None:
        pass


def test_the_kernel_sends_only_ids_and_the_raw_answer(kernel_env):
    checkin, point_at = kernel_env
    from course_utils.quiz import AnswerEvent

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        point_at(f"http://127.0.0.1:{server.server_address[1]}/answers")
        _Recorder.bodies.clear()
        event = AnswerEvent(notebook=MC.notebook, quiz=MC.quiz, question=MC.number, question_id=MC.question_id,
                            correct=True, first_try=True, answer=MC.options[WRONG], prompt=MC.prompt)
        assert checkin.report_answer(event) is True
        assert checkin.report_answer({"question_id": NUM.question_id, "answer": " 12,5 ", "correct": True}) is True
        assert checkin.flush(10)
    finally:
        server.shutdown()
        server.server_close()
    assert [set(b) for b in _Recorder.bodies] == [{"question_id", "answer", "answer_id"}] * 2
    assert [(b["question_id"], b["answer"]) for b in _Recorder.bodies] == [
        (MC.question_id, MC.options[WRONG]), (NUM.question_id, "12,5")]
    ids = [b["answer_id"] for b in _Recorder.bodies]
    assert len(set(ids)) == 2 and all(len(i) <= 64 for i in ids)


def test_report_answer_names_a_missing_or_wrong_field(kernel_env):
    checkin, _ = kernel_env
    with pytest.raises(ValueError, match="question_id"):
        checkin.report_answer({"answer": "x"})
    with pytest.raises(ValueError, match="answer"):
        checkin.report_answer({"question_id": MC.question_id})
    with pytest.raises(TypeError, match="question_id"):
        checkin.report_answer({"question_id": 3, "answer": "x"})
    with pytest.raises(TypeError, match="answer"):
        checkin.report_answer({"question_id": MC.question_id, "answer": ["x"]})
    with pytest.raises(ValueError, match="timeout_s"):
        checkin.flush(-1)


def test_a_real_quiz_reports_to_the_service_which_grades_it(clean, kernel_env):
    """quiz.py's Check → AnswerEvent → course_utils.checkin → the service, with a question of notebook 00."""
    import course_utils as cu
    from course_utils import quiz as quiz_mod

    checkin, point_at = kernel_env
    point_at(clean.base + "api/answers", "tok-bob")
    q = next(x for x in BANK.values() if x.notebook == "00" and x.kind == "choice")
    mc = cu.MultipleChoice(q.prompt, list(q.options), answer=q.answer, explanation="Because.")
    assert q.number == 1
    cu.Quiz(q.quiz, [mc], notebook=q.notebook)
    quiz_mod.add_answer_listener(checkin.report_answer)
    try:
        mc.choice.index = (q.answer + 1) % len(q.options)
        assert mc.submit() is False
        mc.choice.index = q.answer
        assert mc.submit() is True
        assert checkin.flush(15)
    finally:
        quiz_mod.remove_answer_listener(checkin.report_answer)
    got = [(a["correct"], a["first_try"]) for a in clean.mine("tok-bob") if a["question_id"] == q.question_id]
    assert got == [(False, True), (True, False)]


def test_answers_made_while_the_service_restarts_are_kept_and_all_stored_in_order(fake_hub, tmp_path, kernel_env,
                                                                                 caplog):
    checkin, point_at = kernel_env
    s = Service(fake_hub, tmp_path / "restart.sqlite").start()
    try:
        point_at(s.base + "api/answers", "tok-ann")
        qids = list(BANK)[:12]
        answers = [(qid, 0 if BANK[qid].kind == "choice" else "1") for qid in qids]
        for qid, a in answers[:4]:
            assert checkin.report_answer({"question_id": qid, "answer": a})
        assert checkin.flush(15)
        s.stop()  # killed: the hub would restart it after about 10 s
        with caplog.at_level("INFO", logger="course_utils.checkin"):
            t0 = time.perf_counter()
            for qid, a in answers[4:]:
                assert checkin.report_answer({"question_id": qid, "answer": a}) is True
            assert time.perf_counter() - t0 < 0.5, "answering must never wait for the service"
            time.sleep(2.0)
            assert checkin.pending() == 8, "the answers wait in the kernel while the service is down"
            s.start()  # back, same port and file
            assert checkin.flush(30), f"{checkin.pending()} answers were not sent after the service came back"
        assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")], "the learner sees no error"
        mine = s.mine("tok-ann")
        assert [a["question_id"] for a in mine] == qids, "every answer stored once, in the order given"
        assert [a["answer"] for a in mine] == [a for _, a in answers]
        assert all(a["first_try"] for a in mine)
    finally:
        s.stop()


def test_the_kernel_waits_when_asked_to_slow_down_and_sends_everything_in_order(fake_hub, tmp_path, kernel_env):
    checkin, point_at = kernel_env
    s = Service(fake_hub, tmp_path / "slow.sqlite", "--burst", "2", "--rate", "4").start()
    try:
        point_at(s.base + "api/answers", "tok-bob")
        retries = checkin.STATS["retries"]
        sent = [(MC.question_id, i % len(MC.options)) for i in range(7)]
        for qid, a in sent:
            assert checkin.report_answer({"question_id": qid, "answer": a})
        assert checkin.flush(30)
        assert checkin.STATS["retries"] > retries, "the service must have answered 429 at least once"
        assert [(a["question_id"], a["answer"]) for a in s.mine("tok-bob")] == sent
    finally:
        s.stop()


def test_a_refused_answer_is_dropped_and_the_next_ones_still_go(clean, kernel_env, caplog):
    checkin, point_at = kernel_env
    point_at(clean.base + "api/answers", "tok-ann")
    monkey_warned = checkin._warned
    checkin._warned = False
    try:
        failed = checkin.STATS["failed"]
        with caplog.at_level("WARNING", logger="course_utils.checkin"):
            for qid in ("invented#1", "invented#2", MC.question_id):
                assert checkin.report_answer({"question_id": qid, "answer": 0})
            assert checkin.flush(15)
        assert checkin.STATS["failed"] - failed == 2
        assert len([r for r in caplog.records if "refused" in r.getMessage()]) == 1, "logged once"
        assert [a["question_id"] for a in clean.mine("tok-ann")] == [MC.question_id]
    finally:
        checkin._warned = monkey_warned


def test_a_silent_service_never_blocks_the_kernel_and_the_queue_is_bounded(kernel_env, monkeypatch):
    checkin, point_at = kernel_env
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        point_at(f"http://127.0.0.1:{silent.getsockname()[1]}/answers")
        monkeypatch.setattr(checkin, "TIMEOUT_S", 0.3)
        monkeypatch.setattr(checkin, "MAX_QUEUE", 5)
        failed = checkin.STATS["failed"]
        t0 = time.perf_counter()
        results = [checkin.report_answer({"question_id": f"h#{i}", "answer": i}) for i in range(7)]
        assert time.perf_counter() - t0 < 0.1, "report_answer must return at once"
        assert results == [True] * 5 + [False] * 2, "the oldest answers are kept, the queue is bounded"
        assert checkin.STATS["failed"] - failed == 2
        assert checkin.flush(0.5) is False and checkin.pending() == 5
        with checkin._cond:  # end the test's outage: forget the answers meant for the silent socket
            checkin._pending.clear()
            checkin._cond.notify_all()


def test_off_the_hub_nothing_is_sent_and_no_network_code_is_imported():
    code = ("import sys, course_utils.checkin as c\n"
            "ev = dict(question_id='00 practice#1', answer='x')\n"
            "print(c.sharing_notice() == '', c.report_answer(ev), c.STATS['queued'],"
            " any(m in sys.modules for m in ('urllib.request', 'http.client', 'requests', 'socket')))")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "COURSE_CHECKIN"))}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["True", "False", "0", "False"], out.stdout + out.stderr


# ============================================================================================ the bank
QUIZ_NOTEBOOKS = sorted(p for p in (REPO / "notebooks").glob("*.ipynb") if re.match(r"\d\d_", p.name))


def _quiz_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code" and "Quiz(" in "".join(c["source"])]


def test_the_course_has_quizzes_in_notebooks_00_to_10():
    assert [p.name[:2] for p in QUIZ_NOTEBOOKS] == [f"{i:02d}" for i in range(11)]


@pytest.mark.parametrize("path", QUIZ_NOTEBOOKS, ids=lambda p: p.name[:2])
def test_the_bank_holds_every_quiz_question_of_the_notebook_as_the_quiz_grades_it(path, monkeypatch):
    """Run the notebook's quiz cells with the real course_utils and compare every question with the bank."""
    import course_utils as cu
    from course_utils import quiz as quiz_mod

    made: list = []
    real_init = quiz_mod.Quiz.__init__

    def recording_init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(quiz_mod.Quiz, "__init__", recording_init)
    cells = _quiz_cells(path)
    for source in cells:
        exec(compile(source, f"{path.name} quiz cell", "exec"), {"cu": cu})
    # an independent count: the calls written in the cells' text
    written = sum(len(re.findall(r"\b(?:MultipleChoice|Numeric)\(", s)) for s in cells)
    quizzes = [(qz, n, q) for qz in made for n, q in enumerate(qz.questions, 1)]
    assert made and len(quizzes) == written
    bank = {q.question_id: q for q in questions_in_notebook(path)}
    assert sorted(bank) == sorted(f"{qz.title}#{n}" for qz, n, _ in quizzes)
    for qz, n, real in quizzes:
        b = BANK[f"{qz.title}#{n}"]  # in the whole course's bank too, with the same content
        assert b == bank[b.question_id]
        assert (b.quiz, b.notebook, b.number, b.prompt, b.source) == (qz.title, qz.notebook, n, real.prompt, path.name)
        if isinstance(real, cu.MultipleChoice):
            assert b.kind == "choice" and list(b.options) == real.options
            for i, text in enumerate(real.options):  # every option graded as quiz.py grades it
                assert b.grade(i) == b.grade(text) == real.check(i)
            assert sum(b.grade(i) for i in range(len(real.options))) == 1
        else:
            assert isinstance(real, cu.Numeric) and b.kind == "numeric"
            assert (b.answer, b.tolerance, b.unit) == (real.answer, real.tolerance, real.unit)
            for x in (real.answer, real.answer - 0.99 * real.tolerance, real.answer + 0.99 * real.tolerance,
                      real.answer - 1.01 * real.tolerance, real.answer + 1.01 * real.tolerance, 0.0, -real.answer):
                assert b.grade(x) == real.check(x), (b.question_id, x)
                typed = repr(x).replace(".", ",")
                assert b.grade(typed) == real.check(float(typed.replace(",", "."))), (b.question_id, typed)


def test_the_bank_counts_every_question_of_the_course():
    """An independent count from the notebooks' raw text (no ast): every quiz question of 00-10 is in the bank."""
    written = 0
    for path in QUIZ_NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                written += len(re.findall(r"\bcu\.(?:MultipleChoice|Numeric)\(", "".join(cell["source"])))
    assert written >= 11 and len(BANK) == written
    assert len({q.quiz for q in BANK.values()}) == len(QUIZ_NOTEBOOKS)


def test_the_bank_round_trips_through_json(tmp_path):
    path = tmp_path / "bank.json"
    path.write_text(to_json(BANK), encoding="utf-8")
    assert load_bank(path) == BANK
    with pytest.raises(BankError, match="neither"):
        load_bank(tmp_path / "missing.json")


@pytest.mark.parametrize(("cell", "words"), [
    ('cu.Quiz("t", [cu.Numeric("p?", answer=x, tolerance=1, unit="Hz", explanation="e")])', "not a plain literal"),
    ('cu.Quiz("t", [cu.MultipleChoice("p?", ["a", "a"], 0, "e")])', "same text"),
    ('cu.Quiz("t", [cu.MultipleChoice("p?", ["a", "b"], 2, "e")])', "index from 0 to 1"),
    ('cu.Quiz("t", [cu.Numeric("p?", answer=1, tolerance=0, unit="Hz", explanation="e")])', "tolerance"),
    ('cu.MultipleChoice("p?", ["a", "b"], 0, "e")', "outside a Quiz"),
    ('cu.Quiz("t", questions)', "written as a list"),
])
def test_a_quiz_the_bank_cannot_read_is_refused_with_the_notebook_named(tmp_path, cell, words):
    nb = {"cells": [{"cell_type": "code", "source": cell, "metadata": {}, "outputs": [], "execution_count": None}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "99_x.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(BankError, match=words) as info:
        build_bank(tmp_path)
    assert "99_x.ipynb" in str(info.value)


def test_two_quizzes_with_the_same_title_are_refused(tmp_path):
    cell = 'cu.Quiz("same", [cu.MultipleChoice("p?", ["a", "b"], 0, "e")])'
    for name in ("98_a.ipynb", "99_b.ipynb"):
        nb = {"cells": [{"cell_type": "code", "source": cell, "metadata": {}}], "metadata": {}}
        (tmp_path / name).write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(BankError, match="every quiz needs a title of its own"):
        build_bank(tmp_path)


def test_without_the_repository_the_service_runs_from_its_two_files_and_a_bank_json(fake_hub, tmp_path):
    """As on Kubernetes: checkin_service.py and question_bank.py mounted side by side, the bank as JSON."""
    import shutil

    for name in ("checkin_service.py", "question_bank.py"):
        shutil.copy(REPO / "workshop" / name, tmp_path / name)
    (tmp_path / "bank.json").write_text(to_json(BANK), encoding="utf-8")
    s = Service(fake_hub, tmp_path / "k8s.sqlite", "--bank", str(tmp_path / "bank.json"),
                script=tmp_path / "checkin_service.py").start()
    try:
        r = s.answer("tok-ann", NUM.question_id, NUM.answer, correct=False)
        assert r.status_code == 201 and r.json()["correct"] is True
        assert s.answer("tok-ann", "invented#1", 0).status_code == 400
    finally:
        s.stop()


def test_the_service_does_not_start_without_a_bank(tmp_path):
    env = dict(os.environ, JUPYTERHUB_API_TOKEN="x", PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-m", "workshop.checkin_service", "--db", str(tmp_path / "a.sqlite"),
                          "--port", str(_free_port()), "--bank", str(tmp_path / "nothing")],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "cannot start" in out.stderr and "Traceback" not in out.stderr
