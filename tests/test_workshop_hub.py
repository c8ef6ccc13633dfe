"""The workshop hub, for real: JupyterHub + configurable-http-proxy on 127.0.0.1, two learners and an instructor.

Starts ``python -m workshop.hub`` on free ports with a roster of two learners (Unix users created by the hub,
deleted at the end), starts both servers before anyone logs in (``python -m workshop.hub prestart``), runs
notebook 07 in one of them through the hub, and checks that learners are kept apart: a learner's token cannot
read or run anything in the other's server or home, no or a wrong token is refused, a learner reaches no admin
page and no other learner's check-in results, nor the answer key, nor another learner's /tmp; a learner's
processes (detached ones too) end with their server, and their number is limited. The check-in refuses malformed
or oversized answers with a clear message and keeps every valid one, also when the service is killed and the hub
restarts it. Last, Ctrl+C stops the whole hub within 5 s without a traceback.

Needs root (the hub runs each server as the learner's own Unix user): skipped with a message when not root,
except in CI (CI=true), where it must run. ``.ci/run`` installs what it needs; locally ``python -m workshop.hub``
installs configurable-http-proxy (npm) and, if needed, a learners' Python environment by itself.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import secrets
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests
import websocket

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workshop.client import NOTEBOOK_07, HubError, Kernel, Learner  # noqa: E402
from workshop.spawner import cgroup_dirs  # noqa: E402
from workshop.testhub import TemporaryHub  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() == "true"
PIDS_LIMIT = 200  # the test hub's process limit per learner (the hub's default is 512)
pytestmark = [pytest.mark.hub, pytest.mark.timeout(420)]  # the whole module takes about 1-2 min as root


CHECKIN = "/services/checkin/api"
ANSWER = {"question_id": "07 self-check#2", "answer": 1}  # a real question of the course; option 1 is right
KEEP_IDS = ["00 practice#1", "01 self-check#1", "01 self-check#3", "01 self-check#4", "02 self-check#1",
            "02 self-check#2", "02 self-check#4", "03 self-check#1", "03 self-check#2", "03 self-check#4",
            "04 self-check#1", "04 self-check#3"]  # multiple-choice questions, answered by index


def _wait(predicate, timeout_s: float, what: str, interval: float = 0.3):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except (requests.RequestException, OSError):
            value = None
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")


@pytest.fixture(scope="module")
def hub(request):
    """A running workshop hub with a roster of two learners and one instructor; torn down with its users."""
    if os.geteuid() != 0:
        if not IN_CI:
            pytest.skip("the workshop hub test needs root (it creates Unix users and runs servers as them); run "
                        "it as root or in CI")
        pytest.fail("CI must run the workshop hub test as root (it creates Unix users)")
    tag = secrets.token_hex(3)
    names = {"a": f"wst{tag}a", "b": f"wst{tag}b", "instructor": f"wst{tag}i"}
    server = TemporaryHub([names["a"], names["b"]], names["instructor"], "instructor-pass-1", mem_limit="1G",
                          cpu_limit=1, pids_limit=PIDS_LIMIT)
    request.addfinalizer(server.close)
    # the instructor starts every roster learner's server before the room arrives
    t0 = time.monotonic()
    prestart = subprocess.run([sys.executable, "-m", "workshop.hub", "prestart", "--state-dir", server.state],
                              cwd=REPO, capture_output=True, text=True, timeout=240)
    prestart_s = time.monotonic() - t0
    learners = {}
    for key, name in names.items():
        person = Learner(server.base, name)
        person.login("instructor-pass-1" if key == "instructor" else f"password-{key}-{tag}")
        person.make_token()
        learners[key] = person
    return {"server": server, "base": server.base, "names": names, "homes": server.homes, "prestart": prestart,
            "prestart_s": prestart_s, **learners}


@pytest.fixture(scope="module")
def kernel_a(hub):
    """A kernel in learner A's server, notebook 07 run in it top to bottom through the hub."""
    k = hub["a"].kernel()
    errors = []
    for cell in hub["a"].notebook(NOTEBOOK_07)["cells"]:
        if cell["cell_type"] == "code":
            _out, err = k.execute(cell["source"], timeout_s=120)
            if err:
                errors.append(err)
    yield k, errors
    try:
        k.close()
    except (requests.RequestException, OSError, websocket.WebSocketException):
        pass  # the last hub test stops the hub


def test_each_learner_has_their_own_unix_user_private_home_and_the_course(hub):
    a, b = (pwd.getpwnam(hub["names"][k]) for k in ("a", "b"))
    assert a.pw_uid >= 1000 and b.pw_uid >= 1000 and a.pw_uid != b.pw_uid
    for entry in (a, b):
        home = Path(entry.pw_dir)
        assert home.parent == Path(hub["homes"])
        assert stat.S_IMODE(home.stat().st_mode) == 0o700, "a home must be private to its learner"
        nb = home / NOTEBOOK_07
        assert nb.read_bytes() == (REPO / NOTEBOOK_07).read_bytes()
        assert nb.stat().st_uid == entry.pw_uid
        for folder in ("notebooks", "images"):
            assert (home / folder).stat().st_uid == entry.pw_uid, f"{folder}/ must belong to the learner"


def test_jupyterlab_can_save_a_checkpoint_in_the_learners_own_folder(hub):
    """What JupyterLab does on opening a notebook; it failed when the course folder belonged to root."""
    name = hub["names"]["a"]
    r = hub["a"].api("POST", f"/user/{name}/api/contents/{NOTEBOOK_07}/checkpoints")
    assert r.status_code == 201, r.text[:300]
    home = Path(pwd.getpwnam(name).pw_dir)
    assert (home / "notebooks" / ".ipynb_checkpoints" / "07_vibration_effects-checkpoint.ipynb").is_file()


def test_notebook_07_runs_in_a_learners_server_through_the_hub(hub, kernel_a):
    k, errors = kernel_a
    assert errors == [], f"notebook 07 raised in the hub: {errors}"
    out, err = k.execute("explorer.set_values(frequency_hz=125); print(explorer.values['frequency_hz'])")
    assert err is None and float(out) == 125.0, (out, err)
    out, err = k.execute("import os; print(os.getuid(), os.getcwd())")
    uid, cwd = out.split()
    assert int(uid) == pwd.getpwnam(hub["names"]["a"]).pw_uid, "the kernel must run as the learner"
    assert cwd.endswith("/notebooks")


def test_servers_run_under_memory_and_cpu_limits(hub, kernel_a):
    k, _ = kernel_a
    out, _err = k.execute("print(open('/proc/self/cgroup').read())")
    dirs = cgroup_dirs(hub["names"]["a"])
    if not dirs:
        pytest.skip("this machine has no cgroups the hub can write: the hub runs servers without limits")
    assert f"workshop/{hub['names']['a']}" in out, out
    if "memory" in dirs:
        assert int((dirs["memory"] / "memory.limit_in_bytes").read_text()) == 1024**3
        assert int((dirs["cpu"] / "cpu.cfs_quota_us").read_text()) == 100000


def test_a_kernel_over_the_memory_limit_is_stopped_and_the_server_lives_on(hub):
    dirs = cgroup_dirs(hub["names"]["b"])
    if "memory" not in dirs and "unified" not in dirs:
        pytest.skip("this machine has no cgroups the hub can write: the hub runs servers without limits")
    b = hub["b"]
    k = b.kernel("notebooks/00_start_here.ipynb")
    try:
        _out, err = k.execute("x = b'x' * (1536 * 1024**2)", timeout_s=90)  # 1.5 GiB, over the 1 GiB limit
        assert err is not None and ("kernel" in err or "MemoryError" in err), err
    finally:
        try:
            k.close()
        except Exception:
            pass
    assert b.api("GET", f"/user/{hub['names']['b']}/api/status").status_code == 200, "the server must live on"


def test_a_quiz_answer_from_the_kernel_reaches_the_checkin(hub, kernel_a):
    k, _ = kernel_a
    code = ("from course_utils import checkin\n"
            f"print(checkin.report_answer({ANSWER!r}), checkin.flush(10), checkin.STATS['sent'] >= 1)\n"
            "print(checkin.sharing_notice())")
    out, err = k.execute(code)
    assert err is None, err
    first, notice = out.strip().splitlines()
    assert first == "True True True", out
    assert "instructor" in notice
    mine = hub["a"].api("GET", f"{CHECKIN}/answers/mine").json()
    graded = [(x["correct"], x["first_try"]) for x in mine["answers"] if x["question_id"] == ANSWER["question_id"]]
    assert graded[:1] == [(True, True)], "the service grades option 1 of '07 self-check#2' right, at the first try"


def test_answering_notebook_07s_quiz_reports_to_the_checkin_with_the_notice_shown(hub, kernel_a):
    """The real path: a quiz widget's Check button → quiz.py's answer listener → course_utils.checkin → service."""
    k, _ = kernel_a
    code = ("from course_utils import checkin, quiz as _quiz\n"
            "qz = [v for v in Out.values() if isinstance(v, _quiz.Quiz)][-1]\n"
            "q = next(x for x in qz.questions if isinstance(x, _quiz.MultipleChoice))\n"
            "n = qz.questions.index(q) + 1\n"
            "q.choice.index = (q.answer + 1) % len(q.options); q.submit()\n"
            "q.choice.index = q.answer; q.submit()\n"
            "notice = any('instructor' in getattr(c, 'value', '') for c in qz.widget().children)\n"
            "print(checkin.flush(10), notice, f'{qz.title}#{n}')")
    out, err = k.execute(code)
    assert err is None, err
    flushed, notice, qid = out.strip().split(" ", 2)
    assert flushed == "True" and notice == "True", out
    mine = [x for x in hub["a"].api("GET", f"{CHECKIN}/answers/mine").json()["answers"] if x["question_id"] == qid]
    assert [(x["correct"], x["first_try"]) for x in mine] == [(False, True), (True, False)]
    room = hub["instructor"].api("GET", f"{CHECKIN}/room").json()["questions"]
    q = next(x for x in room if x["question_id"] == qid)
    assert (q["answered"], q["right_first_try"]) == (1, 0), "the room counts first tries only"


def test_one_learners_token_cannot_reach_the_other_learners_server(hub, kernel_a):
    a, b = hub["a"], hub["b"]
    other = hub["names"]["a"]
    for method, path in (("GET", f"/user/{other}/api/contents/{NOTEBOOK_07}"), ("GET", f"/user/{other}/api/kernels"),
                         ("POST", f"/user/{other}/api/kernels"), ("GET", f"/user/{other}/api/sessions"),
                         ("GET", f"/user/{other}/lab")):
        r = b.api(method, path)
        assert r.status_code == 403, f"{method} {path} with the other learner's token gave {r.status_code}"
    # terminals are not served at all (a learner never needs one)
    for token in (b.token, a.token):
        assert a.api("GET", f"/user/{other}/api/terminals", token=token).status_code in (403, 404)
    with pytest.raises(HubError):
        Kernel(b, other)
    k, _ = kernel_a
    ws_url = a.base.replace("http", "ws", 1) + k.path + "/channels"
    with pytest.raises(websocket.WebSocketBadStatusException):
        websocket.create_connection(ws_url, header=[f"Authorization: token {b.token}"], timeout=10)
    # and A's own token does work on those paths (so the refusals above are about the token)
    assert a.api("GET", f"/user/{other}/api/contents/{NOTEBOOK_07}").status_code == 200


def test_one_learner_cannot_read_the_other_learners_home(hub):
    b = hub["b"]
    k = b.kernel("notebooks/00_start_here.ipynb")
    try:
        home_a = pwd.getpwnam(hub["names"]["a"]).pw_dir
        out, err = k.execute(
            "import os\n"
            f"for act in (lambda: os.listdir({home_a!r}), lambda: open({home_a + '/' + NOTEBOOK_07!r}).read(),\n"
            f"            lambda: open({home_a + '/intruder.txt'!r}, 'w')):\n"
            "    try:\n        act(); print('ALLOWED')\n"
            "    except PermissionError:\n        print('refused')\n")
        assert err is None, err
        assert out.split() == ["refused"] * 3, out
    finally:
        k.close()


def test_no_token_or_a_wrong_token_is_refused(hub):
    a = hub["a"]
    name = hub["names"]["a"]
    for token in (None, "not-a-token", secrets.token_hex(16)):
        for method, path in (("GET", f"/user/{name}/api/contents"), ("POST", f"/user/{name}/api/kernels"),
                             ("GET", f"/hub/api/users/{name}"), ("POST", f"/hub/api/users/{name}/server"),
                             ("GET", f"{CHECKIN}/answers/mine")):
            r = a.api(method, path, token=token)
            assert r.status_code in (401, 403), f"{method} {path} with token {token!r} gave {r.status_code}"
    r = a.api("POST", f"{CHECKIN}/answers", token=None, json=ANSWER)
    assert r.status_code == 401 and "token" in r.json()["error"]


def test_a_learner_reaches_no_admin_page_and_no_other_learners_results(hub):
    a, b, instructor = hub["a"], hub["b"], hub["instructor"]
    assert a.session.get(f"{a.base}/hub/admin", timeout=10).status_code == 403
    assert a.api("GET", "/hub/api/users").status_code == 403
    assert a.api("POST", f"/hub/api/users/{hub['names']['b']}/server").status_code in (403, 404)
    assert a.api("DELETE", f"/hub/api/users/{hub['names']['b']}").status_code in (403, 404)
    room = a.api("GET", f"{CHECKIN}/room")
    assert room.status_code == 403 and "instructor" in room.json()["error"]
    assert a.api("GET", f"{CHECKIN}/room?names=1").status_code == 403
    only_b = "07 self-check#3"  # answered by B only, wrong (option 1 is right), claiming to be right
    b_answer = {"question_id": only_b, "answer": 0, "correct": True, "first_try": True}
    assert b.api("POST", f"{CHECKIN}/answers", json=b_answer).status_code == 201
    for query in ("", f"?user={hub['names']['b']}"):
        mine = a.api("GET", f"{CHECKIN}/answers/mine{query}").json()
        assert mine["user"] == hub["names"]["a"]
        assert only_b not in [x["question_id"] for x in mine["answers"]]
    page = a.session.get(f"{a.base}/services/checkin/", timeout=10)
    assert page.status_code == 200 and "your answers" in page.text and hub["names"]["b"] not in page.text
    # the instructor sees the room, with names only when asked
    assert instructor.session.get(f"{a.base}/hub/admin", timeout=10).status_code == 200
    page = instructor.session.get(f"{a.base}/services/checkin/", timeout=10)
    assert page.status_code == 200 and "the room" in page.text
    xsrf = json.loads(page.text.split("const XSRF = ", 1)[1].split(";", 1)[0])
    as_browser = {"Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "same-origin"}  # the page's own fetch()
    live = instructor.session.get(f"{a.base}{CHECKIN}/room", headers={**as_browser, "X-XSRFToken": xsrf}, timeout=10)
    assert live.status_code == 200 and "questions" in live.json()
    forged = instructor.session.get(f"{a.base}{CHECKIN}/room", headers=as_browser, timeout=10)
    assert forged.status_code == 401, "a cross-site fetch without the page's xsrf token must not use the cookie"
    plain = instructor.api("GET", f"{CHECKIN}/room").json()
    q = next(x for x in plain["questions"] if x["question_id"] == only_b)
    assert (q["answered"], q["right_first_try"]) == (1, 0) and "wrong" not in q
    assert hub["names"]["b"] not in json.dumps(plain)
    named = instructor.api("GET", f"{CHECKIN}/room?names=1").json()
    q = next(x for x in named["questions"] if x["question_id"] == only_b)
    assert q["wrong"] == [hub["names"]["b"]]


@pytest.mark.parametrize(("body", "status", "words"), [
    (b"{not json", 400, "JSON"),
    (b"[1, 2]", 400, "JSON object"),
    (json.dumps({"question_id": ANSWER["question_id"]}).encode(), 400, "missing field"),
    (json.dumps(dict(ANSWER, question_id="q1")).encode(), 400, "unknown question_id"),
    (b"[" * 5000 + b"]" * 5000, 400, "nested too deeply"),
    (b'{"question_id": "07 self-check#2", "answer": ' + b"9" * 5000 + b"}", 400, "digits"),
    (json.dumps(dict(ANSWER, notebook=7)).encode(), 400, "notebook must be a text"),
    (json.dumps(dict(ANSWER, quiz="q" * 201)).encode(), 400, "quiz is 201 characters"),
    (json.dumps(dict(ANSWER, answer={"a": 1})).encode(), 400, "answer must be"),
    (json.dumps(dict(ANSWER, answer="x" * 2000)).encode(), 400, "answer is"),
    (json.dumps(dict(ANSWER, extra=1)).encode(), 400, "unknown field"),
    (json.dumps(dict(ANSWER, question="x" * 20000)).encode(), 413, "too large"),
    (json.dumps(dict(ANSWER, answer="x" * 500_000)).encode(), 413, "too large"),
])
def test_checkin_refuses_a_malformed_or_oversized_answer_with_a_clear_message(hub, body, status, words):
    before = hub["instructor"].api("GET", f"{CHECKIN}/room").json()["answers_stored"]
    r = hub["a"].api("POST", f"{CHECKIN}/answers", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == status, r.text
    assert words in r.json()["error"], r.json()
    assert hub["instructor"].api("GET", f"{CHECKIN}/room").json()["answers_stored"] == before


def test_checkin_keeps_every_valid_answer_across_a_service_restart(hub):
    a, instructor = hub["a"], hub["instructor"]
    before = instructor.api("GET", f"{CHECKIN}/room").json()["answers_stored"]
    sent = [{"question_id": qid, "answer": i % 2} for i, qid in enumerate(KEEP_IDS)]
    for i, answer in enumerate(sent[:6]):
        r = a.api("POST", f"{CHECKIN}/answers", json=answer)
        assert r.status_code == 201, (i, r.text)
    checkin_pid = hub["server"].checkin_pid
    pid = checkin_pid()
    assert pid, "the check-in service process was not found"
    os.kill(pid, signal.SIGKILL)  # mid-workshop crash; the hub restarts its managed service
    _wait(lambda: checkin_pid() not in (None, pid) and a.api("GET", f"{CHECKIN}/answers/mine").status_code == 200,
          60, "the check-in service to come back")
    for i, answer in enumerate(sent[6:], start=6):
        r = a.api("POST", f"{CHECKIN}/answers", json=answer)
        assert r.status_code == 201, (i, r.text)
    mine = a.api("GET", f"{CHECKIN}/answers/mine").json()["answers"]
    kept = {x["question_id"]: x for x in mine if x["question_id"] in KEEP_IDS}
    assert sorted(kept) == sorted(x["question_id"] for x in sent)
    assert all(kept[x["question_id"]]["answer"] == x["answer"] for x in sent)
    assert instructor.api("GET", f"{CHECKIN}/room").json()["answers_stored"] == before + len(sent)


# ------------------------------------------------------------------ ready in seconds
def test_prestart_starts_every_roster_learners_server_before_they_log_in(hub):
    out = hub["prestart"]
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 of 2 learners' servers ready" in out.stdout, out.stdout
    for key in ("a", "b"):
        person, sessions = hub[key], f"/user/{hub['names'][key]}/api/sessions"
        # the login goes straight to the learner's running server, and the first page is JupyterLab's
        assert person.landing == f"/user/{hub['names'][key]}/", person.landing
        before = person.api("GET", sessions).json()
        page = person.open_landing_page()
        # the landing page is the file browser in notebooks/: it names no notebook, so none opens by itself (and
        # the learner's browser runs only the kernel of the notebook they open)
        assert page.url.endswith(f"/user/{hub['names'][key]}/lab/tree/notebooks"), page.url
        assert "JupyterLab" in page.text
        assert person.api("GET", sessions).json() == before


def test_the_instructors_login_makes_no_server_and_no_unix_user(hub):
    instructor = hub["instructor"]
    assert instructor.landing == "/hub/home", instructor.landing
    with pytest.raises(KeyError):
        pwd.getpwnam(hub["names"]["instructor"])
    assert instructor.api("GET", f"/hub/api/users/{hub['names']['instructor']}").json()["servers"] == {}


def test_a_learners_server_loads_no_extension_the_course_does_not_use(hub):
    r = hub["a"].api("GET", f"/user/{hub['names']['a']}/api/kernelspecs")
    assert r.status_code == 200
    uid = pwd.getpwnam(hub["names"]["a"]).pw_uid
    server = next(" ".join(p.info["cmdline"]) for p in psutil.process_iter(["uids", "cmdline"])
                  if p.info["uids"] and p.info["uids"].real == uid and "jupyterhub.singleuser" in p.info["cmdline"])
    assert "jupyter_lsp=False" in server and "terminals_enabled=False" in server
    assert f"{REPO}/" not in server, "the learners' python must live outside the (private) repository"


# ------------------------------------------------------------------ contained learners
def _learner_pids(name: str) -> set[int]:
    """The learner's living processes (zombies, already ended but not yet collected by their parent, left out)."""
    uid = pwd.getpwnam(name).pw_uid
    return {p.pid for p in psutil.process_iter(["uids", "status"])
            if p.info["uids"] and p.info["uids"].real == uid and p.info["status"] != psutil.STATUS_ZOMBIE}


def test_a_learners_kernel_cannot_read_the_answer_key_or_the_repository(hub, kernel_a):
    k, _ = kernel_a
    code = ("import os, sys\n"
            "def attempt(f):\n"
            "    try:\n        f(); return 'ALLOWED'\n"
            "    except PermissionError:\n        return 'refused'\n"
            f"print(attempt(lambda: open({str(REPO / 'instructor' / 'answers.md')!r}).read()),\n"
            f"      attempt(lambda: open({str(REPO / 'instructor' / 'README.md')!r}).read()),\n"
            f"      attempt(lambda: os.listdir({str(REPO)!r})))\n"
            "home = os.path.expanduser('~')\n"
            "found = [os.path.join(d, f) for d, _, fs in os.walk(home) for f in fs if f == 'answers.md']\n"
            "print(found, os.path.exists(os.path.join(home, 'instructor')), sys.executable)")
    out, err = k.execute(code)
    assert err is None, err
    first, second = out.strip().splitlines()
    assert first.split() == ["refused"] * 3, out
    assert second.startswith("[] False "), out
    assert not second.split()[-1].startswith(str(REPO)), out


def test_each_learner_has_a_private_tmp(hub, kernel_a):
    k_a, _ = kernel_a
    out, err = k_a.execute("import os, tempfile; open('/tmp/only-a.txt', 'w').write('a'); "
                           "st = os.stat('/tmp'); print(tempfile.gettempdir(), oct(st.st_mode & 0o777), st.st_uid, "
                           "os.getuid(), sorted(os.listdir('/tmp')))")
    assert err is None, err
    tmpdir, mode, owner, uid, listing = out.split(" ", 4)
    assert tmpdir == "/tmp" and mode == "0o700" and owner == uid, out
    assert "'only-a.txt'" in listing, out
    k_b = hub["b"].kernel("notebooks/00_start_here.ipynb")
    try:
        out, err = k_b.execute("import os; print(os.path.exists('/tmp/only-a.txt'), os.environ['TMPDIR'])")
    finally:
        k_b.close()
    assert err is None, err
    assert out.split() == ["False", "/tmp"], out
    assert not Path("/tmp/only-a.txt").exists(), "a learner's /tmp must not be the machine's /tmp"


def test_a_learner_cannot_start_more_processes_than_the_limit(hub):
    dirs = cgroup_dirs(hub["names"]["b"])
    if "pids" not in dirs and "unified" not in dirs:
        pytest.skip("this machine has no pids cgroup the hub can write")
    k = hub["b"].kernel("notebooks/00_start_here.ipynb")
    try:
        out, err = k.execute(
            "import subprocess\n"
            "procs, error = [], None\n"
            f"for _ in range({PIDS_LIMIT + 50}):\n"
            "    try:\n"
            "        procs.append(subprocess.Popen(['sleep', '60']))\n"
            "    except OSError as exc:\n"
            "        error = type(exc).__name__\n        break\n"
            "n = len(procs)\n"
            "for p in procs:\n    p.kill(); p.wait()\n"
            "print(n, error)", timeout_s=120)
    finally:
        k.close()
    assert err is None, err
    started, error = out.split()
    assert error in ("BlockingIOError", "OSError"), out
    assert 0 < int(started) < PIDS_LIMIT, out
    limit_file = (dirs.get("pids") or dirs["unified"]) / "pids.max"
    assert limit_file.read_text().strip() == str(PIDS_LIMIT)


def test_stopping_a_server_ends_every_process_of_the_learner_and_removes_their_cgroups(hub):
    """A process detached with setsid survived the server's stop (and so the idle culler); no more."""
    b, name = hub["b"], hub["names"]["b"]
    k = b.kernel("notebooks/00_start_here.ipynb")
    out, err = k.execute("import subprocess; p = subprocess.Popen(['setsid', '--fork', 'sleep', '600'], "
                         "start_new_session=True); p.wait(); print('started')")
    k.ws.close()
    assert err is None and "started" in out, (out, err)
    detached = _wait(lambda: {p for p in _learner_pids(name) if psutil.Process(p).name() == "sleep"}, 10,
                     "the detached process")
    assert all(psutil.Process(p).ppid() == 1 or psutil.Process(p).ppid() not in _learner_pids(name)
               for p in detached), "the test process must be detached from the server"
    dirs = cgroup_dirs(name)
    assert dirs and all(d.is_dir() for d in dirs.values())
    b.stop_server()
    _wait(lambda: not b.api("GET", f"/hub/api/users/{name}").json()["servers"], 60, "B's server to stop")
    assert not any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE for p in detached), \
        "a detached process of the learner outlived their server"
    assert _learner_pids(name) == set(), "every process of the learner must end with their server"
    assert not any(d.exists() for d in dirs.values()), "the learner's cgroups must be removed"
    b.start_server()
    b.wait_ready(timeout_s=120)


def test_a_learners_edits_are_kept_when_their_server_starts_again(hub):
    b = hub["b"]
    path = f"/user/{hub['names']['b']}/api/contents/notebooks/00_start_here.ipynb"
    model = b.api("GET", path).json()
    model["content"]["cells"][0]["source"] = "# my own notes"
    r = b.api("PUT", path, json={"type": "notebook", "format": "json", "content": model["content"]})
    assert r.status_code == 200, r.text
    b.stop_server()
    _wait(lambda: not b.api("GET", f"/hub/api/users/{hub['names']['b']}").json()["servers"], 60,
          "B's server to stop")
    b.start_server()
    b.wait_ready(timeout_s=120)
    again = b.api("GET", path).json()["content"]["cells"][0]["source"]
    assert again == "# my own notes"


def test_ctrl_c_stops_the_hub_and_every_learners_process_within_5_s_without_a_traceback(hub):
    """The last hub test: it stops the module's hub, as an instructor pressing Ctrl+C does."""
    server, names = hub["server"], hub["names"]
    assert hub["a"].api("GET", f"/user/{names['a']}/api/status").status_code == 200, "A's server must be running"
    dirs = {n: cgroup_dirs(n) for n in (names["a"], names["b"])}
    seconds = server.interrupt(timeout_s=30)
    assert server.proc.returncode == 0, server.log_tail()
    assert seconds <= 5.0, f"Ctrl+C took {seconds:.1f} s"
    log = server.log_path.read_text(errors="replace")
    assert "Stopping the hub" in log, log[-3000:]
    after = log[log.index("Stopping the hub"):]  # what Ctrl+C printed
    assert "Traceback" not in after and "KeyboardInterrupt" not in after, after
    assert re.search(r"Stopped in \d+\.\d s", after), after
    for name in (names["a"], names["b"]):
        assert _learner_pids(name) == set(), f"{name} still has processes after the hub stopped"
        assert not any(d.exists() for d in dirs[name].values()), f"{name}'s cgroups are still there"
    assert server.hub_processes() == []


# ------------------------------------------------------------------ without a hub (run everywhere, no root)
def test_starting_the_hub_without_its_packages_says_what_to_install(tmp_path):
    """After the main README's install (no jupyterhub), the hub names what is missing instead of a traceback."""
    env_dir = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True, timeout=120)
    out = subprocess.run([str(env_dir / "bin" / "python"), "-m", "workshop.hub"], cwd=REPO, capture_output=True,
                         text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Traceback" not in out.stderr and "ModuleNotFoundError" not in out.stderr, out.stderr
    assert "jupyterhub" in out.stderr and "install -r workshop/requirements.txt" in out.stderr, out.stderr
    assert "workshop/start" in out.stderr, out.stderr


def test_off_the_hub_nothing_is_sent_and_no_network_code_is_imported():
    code = ("import sys, course_utils.checkin as c\n"
            "ev = dict(question_id='07 self-check#1', answer='Duration')\n"
            "print(c.sharing_notice() == '', c.report_answer(ev), c.STATS['queued'],"
            " any(m in sys.modules for m in ('urllib.request', 'http.client', 'requests', 'socket')))")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "COURSE_CHECKIN"))}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["True", "False", "0", "False"], out.stdout + out.stderr


# The kernel client's behaviour without a hub is tested in tests/test_checkin_grading.py, against the new client
# (which queues answers across an outage and retries them, instead of dropping them):
# test_a_silent_service_never_blocks_the_kernel_and_the_queue_is_bounded (report_answer returns at once, the queue is
# bounded), test_a_refused_answer_is_dropped_and_the_next_ones_still_go (a refusal is logged once) and
# test_report_answer_names_a_missing_or_wrong_field (question_id/answer; the kernel no longer sends correct or
# first_try). The old hanging-check-in-drops and correct/first_try field tests here were removed for them.


def test_the_kubernetes_values_use_the_same_scope_and_service_file_as_the_hub():
    yaml = pytest.importorskip("yaml")
    from workshop.checkin_service import ROOM_SCOPE

    values = yaml.safe_load((REPO / "workshop" / "z2jh-values.yaml").read_text(encoding="utf-8"))
    hub_cfg = values["hub"]
    assert ROOM_SCOPE in hub_cfg["config"]["JupyterHub"]["custom_scopes"]
    assert hub_cfg["loadRoles"]["checkin-instructor"]["scopes"] == [ROOM_SCOPE]
    assert "access:services!service=checkin" in hub_cfg["loadRoles"]["user"]["scopes"]
    port = hub_cfg["services"]["checkin"]["url"].rsplit(":", 1)[1]
    assert values["singleuser"]["extraEnv"]["COURSE_CHECKIN_URL"] == f"http://hub:{port}/services/checkin/api/answers"
    assert hub_cfg["service"]["extraPorts"][0]["port"] == int(port)
    # the same trimmed server, landing page, prestart role and private /tmp as the one-machine hub
    from workshop.hub import SINGLEUSER_ARGS

    single = values["singleuser"]
    assert single["cmd"] == ["jupyterhub-singleuser", *SINGLEUSER_ARGS]
    assert single["defaultUrl"] == "/lab/tree/notebooks"
    assert hub_cfg["loadRoles"]["prestart"] == {"scopes": ["list:users", "read:servers", "servers"],
                                                "services": ["prestart"]}
    assert "prestart" in hub_cfg["services"]
    assert {"name": "tmp", "mountPath": "/tmp"} in single["storage"]["extraVolumeMounts"]
    assert hub_cfg["config"]["Authenticator"]["allow_existing_users"] is False


def test_the_kubernetes_checkin_command_starts_the_service_from_the_mounted_files_and_bank(tmp_path):
    """The values' check-in command, run with its mounted files (checkin_service.py, question_bank.py beside it, the
    bank JSON) copied to a folder: the service's own command line accepts it and it starts with the whole bank."""
    yaml = pytest.importorskip("yaml")
    from workshop.question_bank import build_bank, to_json

    hub_cfg = yaml.safe_load((REPO / "workshop" / "z2jh-values.yaml").read_text(encoding="utf-8"))["hub"]
    command = hub_cfg["services"]["checkin"]["command"]
    mounts = {key: f["mountPath"] for key, f in hub_cfg["extraFiles"].items()}
    assert command[0] == "python3" and command[1] == mounts["checkin"]
    assert Path(mounts["questionbank"]) == Path(mounts["checkin"]).with_name("question_bank.py")
    options = dict(zip(command[2::2], command[3::2], strict=True))
    assert options["--bank"] == mounts["bank"] and options["--bank"].endswith(".json")
    assert options["--port"] == hub_cfg["services"]["checkin"]["url"].rsplit(":", 1)[1]
    # the same command, pointed at copies of the mounted files, a fresh database and a free port
    for key, source in (("checkin", REPO / "workshop" / "checkin_service.py"),
                        ("questionbank", REPO / "workshop" / "question_bank.py")):
        (tmp_path / Path(mounts[key]).name).write_bytes(source.read_bytes())
    bank = build_bank()
    (tmp_path / Path(mounts["bank"]).name).write_text(to_json(bank), encoding="utf-8")
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]
    local = {mounts[k]: str(tmp_path / Path(mounts[k]).name) for k in ("checkin", "bank")}
    local[options["--db"]] = str(tmp_path / "checkin.sqlite")
    local[options["--port"]] = str(free)
    args = [local.get(a, a) for a in command[1:]]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(JUPYTERHUB_API_TOKEN="x", JUPYTERHUB_SERVICE_URL=f"http://127.0.0.1:{free}")
    proc = subprocess.Popen([sys.executable, *args], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # the service's one line once it listens (or nothing if it exits)
        assert line.strip() == f"checkin: {len(bank)} questions in the bank; listening", (line, proc.poll())
        r = requests.get(f"http://127.0.0.1:{free}/services/checkin/api/answers/mine", timeout=10)
        assert r.status_code == 401, r.text  # it answers, and wants a hub token
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=30)
    assert "Traceback" not in err, err


@pytest.mark.parametrize("account", ["root", "nobody"])
def test_a_learner_name_that_is_an_existing_account_of_the_machine_is_refused(account):
    """Else anyone could sign up as e.g. 'nobody' and get a server (and a terminal) as that account."""
    from types import SimpleNamespace

    from workshop.spawner import WorkshopSpawner

    user = SimpleNamespace(name=account, url=f"/user/{account}/", server=None, escaped_name=account)
    with pytest.raises(RuntimeError, match="was not made by the workshop hub"):
        WorkshopSpawner(user=user, orm_spawner=None)._ensure_user()
